"""The tables step: each team fills its map's worksheet from its phones.

- Phone: "scan your table's handout or type its code"; a phone becomes a member of a map only
  by that map's handout code (orgkit.map.service.join_by_handout: a map holds contact details),
  then shows that team's map as the map page draws it on a phone: what to add next and the entry
  form (orgkit.ui.map_page / map_entries), as the step's docked form (`phone_form`: an entry
  being typed survives the room moving on). The phone stays a member for the workshop, so the
  commitments step knows its team. A scanned handout brings the code in the address
  (`table=<code>`, orgkit.ui.handouts.handout_url): the phone joins at once, or is told why not
  (the tables' codes closed, a wrong code) at every poll until the code works or is typed anew.
- Projector: what a room at the tables looks up to read, how to join ("scan your table's
  handout or type its code", the phones' own words) and the worksheet in three short steps
  (orgkit.map.worksheet.ROOM_STEPS: a question per level of relationships, the gatekeeper
  caution, then the decision-makers), beside or above the tables' progress (entries per level
  per team against their targets); one HTML block built once per change of any map and per
  projector language (coverage.service.load_workshop's shared view), both languages on the
  bilingual projector: team names only, never a person's.
- Facilitator: how many tables' codes are open, and the one click that ends them all (the
  map's private link, which each team's lead keeps, still works); reopening sits behind an
  expander, away from where a second tap of the first click would land.
"""
from __future__ import annotations

import dataclasses
import html

import streamlit as st

from ..board.wall import ANY_WALL, Wall, page_due, page_line, wall_named
from ..coverage import service as coverage
from ..domain import CODE_TYPED_MAX, LEVELS, MAP_CODE_LENGTH, SHORT_LEVELS, OrgKitError
from ..i18n import N_, _, in_each, languages_of, ngettext, render
from ..map import service as maps
from ..map import worksheet
from ..session.model import STEP_KINDS, Step
from . import handouts, map_entries, map_page, step_parts
from .forms import show_error
from .identity import Context

# How a phone joins its table: the phone's heading and the projector's first line (one id).
JOIN = N_("Scan your table's handout or type its code")

# -- projector ---------------------------------------------------------------------------------

# In the room block's type (step_parts.ROOM_CSS: never under the room's floor on the projector).
# A room of a few tables (FEW_TEAMS) in one language: what to do at the tables on the left, the
# larger part of the wall, and a card per team beside it (its level names, bars and counts). More
# tables, or our words in two languages: the worksheet across the top (in two columns, or a
# column per language, the reader's first), and a row per team below it (the level names once,
# in the table's head, a line per language).
# The step's title keeps to one line (a long one is cut, not wrapped: the room reads the steps).
# The worksheet's type is larger than the floor where one language leaves it room, and above
# 720 px everything grows: the demo's three tables fill a 1280x720 and a 1920x1080 wall
# (tests/e2e/test_room_steps_fit_browser.py, with the bilingual and the crowded layouts).
# Crowded, the worksheet's lines and the teams' rows are packed tighter.
FEW_TEAMS = 3
# Crowded, the teams' rows a wall holds under the worksheet at the room's floor, by the window's
# class (orgkit.board.wall: what the projector's browser said of its size) and the number of
# languages the projector writes: measured with the demo's worksheet at each class's tightest
# window (1280x720, 1024x768, 1280x800, 1366x768, 1920x1080), at least 15 px to spare, and
# checked by tests/e2e/test_room_steps_fit_browser.py. A window whose class is not known yet takes
# the fewest. More teams than a screen holds turn in pages, as the board's ideas do (every PAGE_S
# seconds), as even as they can be; a page's line ("Page 1 of 2 ...") takes one row's room.
TEAMS_ON_A_SCREEN = {"720": {1: 11, 2: 5}, "4:3": {1: 8, 2: 5}, "16:10": {1: 9, 2: 9},
                     "1366": {1: 12, 2: 10}, "16:9": {1: 12, 2: 11}}
TABLES_CSS = """<style>
.ok-tables-screen{display:grid;grid-template-columns:minmax(0,1.45fr) minmax(0,1fr);gap:0 1.2em}
.ok-tables-screen.ok-many{display:block}
.ok-many>.ok-work ol{columns:2;column-gap:2em} .ok-many>.ok-work ol>li{break-inside:avoid}
.ok-langs{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.1fr);gap:0 1.2em}
.ok-langs .ok-work+.ok-work{color:#2b3340}
.ok-tables-screen:not(.ok-both) .ok-work{font-size:1.12em}
.ok-room:has(.ok-tables-screen) h2{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
@media (min-height:721px){.ok-tables-screen{font-size:1.28em}
  .ok-tables-screen.ok-both{font-size:1.12em} .ok-room:has(.ok-tables-screen) h2{font-size:1.6em}}
.ok-work p,.ok-work ol,.ok-work ul,.ok-work li{font-size:inherit !important}
.ok-room .ok-work h3{font-size:1.05em !important;margin:0 0 .05em}
.ok-room .ok-work p.ok-join{font-weight:700;color:#1f4e9c;margin:0 0 .3em}
.ok-work{line-height:1.15} .ok-work ol{margin:0;padding:0 0 0 1.3em} .ok-work li{margin:0 0 .25em}
.ok-work ul{margin:0;padding:0;list-style:none} .ok-work ul li{margin:0 0 .15em}
.ok-work b{color:#2b3340} .ok-work .ok-q{font-style:italic} .ok-room .ok-work p{margin:0}
.ok-tables{display:grid;gap:.4em;margin-top:.1em}
.ok-table{background:#f3f5f9;border-radius:12px;padding:.3em .6em}
.ok-room .ok-table h3{margin:0 0 .1em 0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ok-level{display:grid;grid-template-columns:minmax(0,8.5em) 1fr 3em;align-items:center;
  gap:.4em;margin:.05em 0}
.ok-bar{height:.55em;min-height:10px;background:#dde3ee;border-radius:6px;overflow:hidden}
.ok-bar span{display:block;height:100%;background:#2f6fdf}
.ok-count{text-align:right;font-variant-numeric:tabular-nums}
.ok-room table.ok-teams{margin-top:.2em}
.ok-room .ok-teams th,.ok-room .ok-teams td{padding-top:.05em;padding-bottom:.05em;width:auto}
.ok-room .ok-teams th:first-child,.ok-room .ok-teams td:first-child{width:100%;max-width:0;
  overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ok-teams th span{display:block;white-space:nowrap;line-height:1.1}
.ok-teams .ok-cell{display:flex;align-items:center;justify-content:flex-end;gap:.35em}
.ok-teams .ok-cell .ok-bar{flex:none;width:2.5em}
.ok-many .ok-work li{margin-bottom:.1em} .ok-many .ok-work ul li{margin-bottom:0}
.ok-room .ok-many .ok-work p.ok-join{margin-bottom:.15em} .ok-room .ok-many table.ok-teams{margin:0}
.ok-room .ok-many .ok-teams th,.ok-room .ok-many .ok-teams td{padding-top:0;padding-bottom:0;
  line-height:1.05} .ok-many .ok-teams th span{line-height:1.05}
.ok-room .ok-tables-screen p.ok-turn{margin:0;line-height:1.05;color:#2b3340;
  font-size:inherit !important}
</style>"""


def _level_counts(team: dict) -> list[tuple[str, str, int]]:
    """(level, "done/target" or "done", the bar's width in %) for each level of a team's map."""
    counts = []
    for level in LEVELS:
        done, target = team["coverage"][level]["total"], team["coverage"][level]["target"]
        width = 100 if target and done >= target else (100 * done // target if target
                                                       else min(100, done * 10))
        counts.append((level, f"{done}/{target}" if target else str(done), width))
    return counts


def _bar(width: int) -> str:
    return f'<div class="ok-bar"><span style="width:{width}%"></span></div>'


def _crowded(view: dict, language: str) -> bool:
    """Whether the worksheet goes across the top and the teams in rows (TABLES_CSS)."""
    return len(view["maps"]) > FEW_TEAMS or len(languages_of(language)) > 1


def team_pages(teams: list, language: str, wall: Wall = ANY_WALL) -> list[list]:
    """The crowded layout's teams split into the pages the wall turns (one page when they fit
    a screen of the window's class, TEAMS_ON_A_SCREEN; else pages of one row fewer, for the
    page's line, as even as they can be)."""
    languages = min(len(languages_of(language)), 2)
    room = min(rows[languages] for name, rows in TEAMS_ON_A_SCREEN.items()
               if wall.name in (name, ANY_WALL.name))
    if len(teams) <= room:
        return [teams]
    count = -(-len(teams) // (room - 1))
    size, longer = divmod(len(teams), count)  # the first `longer` pages take one team more
    ends = [(number + 1) * size + min(number + 1, longer) for number in range(count)]
    return [teams[end - size - (number < longer):end] for number, end in enumerate(ends)]


def progress_html(view: dict, language: str, wall: Wall = ANY_WALL) -> list[str]:
    """Every team's entries per level against its target, a card per team or, crowded, a row
    per team, turned in pages past what a screen holds (team_pages); each page's HTML (team
    names escaped and isolated; never a person's)."""
    if not view["maps"]:
        return [step_parts.note(render(N_("No team maps yet."), language))]

    def said(text: str) -> str:  # a line per language
        return "".join(f"<span>{html.escape(render(text, one))}</span>"
                       for one in languages_of(language))

    if _crowded(view, language):
        heads = [N_("Team"), *(SHORT_LEVELS[level] for level in LEVELS)]
        head = "".join(f"<th>{said(text)}</th>" for text in heads)
        pages = team_pages(view["maps"], language, wall)
        shown = []
        for number, teams in enumerate(pages, 1):
            rows = "".join(f'<tr><td>{step_parts.typed(team["name"])}</td>'
                           + "".join(f'<td><div class="ok-cell">{_bar(width)}<span '
                                     f'class="ok-count">{count}</span></div></td>'
                                     for _level, count, width in _level_counts(team)) + "</tr>"
                           for team in teams)
            turn = "" if len(pages) == 1 else '<p class="ok-turn">{}</p>'.format(html.escape(
                render(page_line(number, len(pages)), language)))
            shown.append(f'<table class="ok-teams" data-page="{number}" data-pages="{len(pages)}">'
                         f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{turn}')
        return shown
    label = {level: html.escape(render(SHORT_LEVELS[level], language)) for level in LEVELS}
    cards = []
    for team in view["maps"]:
        rows = "".join(f'<div class="ok-level"><span>{label[level]}</span>{_bar(width)}'
                       f'<span class="ok-count">{count}</span></div>'
                       for level, count, width in _level_counts(team))
        cards.append(f'<div class="ok-table"><h3>{step_parts.typed(team["name"])}</h3>'
                     f'{rows}</div>')
    return [f'<div class="ok-tables">{"".join(cards)}</div>']


def worksheet_html(language: str) -> str:
    """How to join a table and the worksheet in three steps, our words in `language` (on the
    bilingual projector, a column per language): what the room at the tables looks up to read."""
    if len(languages_of(language)) > 1:
        return f'<div class="ok-langs">{"".join(map(worksheet_html, languages_of(language)))}</div>'

    def say(text: str) -> str:
        return html.escape(render(text, language))

    levels = "".join(f'<li><b>{say(LEVELS[level])}</b>: <span class="ok-q">'
                     f'{say(worksheet.ROOM_QUESTION[level])}</span></li>'
                     for level in worksheet.HANDOUT_LEVELS)
    levels_step, caution_step, power_step = worksheet.ROOM_STEPS
    return (f'<div class="ok-work" lang="{language}"><p class="ok-join">{say(JOIN)}</p><ol>'
            f'<li><h3>{say(levels_step)}</h3><ul>{levels}</ul></li>'
            f'<li><h3>{say(caution_step)}</h3><p>{say(worksheet.ROOM_CAUTION)}</p></li>'
            f'<li><h3>{say(power_step)}</h3><p class="ok-q">'
            f'{say(worksheet.ROOM_QUESTION["decision_maker"])}</p></li></ol></div>')


def projector(ctx: Context, step: Step) -> None:
    """The step's title, what to do at the tables and the tables' progress as the room's
    projected block (step_parts), built once per maps' revision and projector language (both
    languages on the bilingual projector)."""
    # (No workshop: the room has no teams yet; the screen still says what the tables will do.)
    language = ctx.workshop.projector_language(ctx.language) if ctx.workshop else ctx.language
    view = coverage.load_workshop(ctx.store, ctx.actor)
    # The window's class, as the projector's browser said it (orgkit.ui.projector).
    wall = wall_named(st.query_params.get("wall"))
    built = view.setdefault("tables_html", {})  # kept with the shared view, per language, class
    if (language, wall.name) not in built:
        many = " ok-many" if _crowded(view, language) else ""
        both = " ok-both" if len(languages_of(language)) > 1 else ""
        work = worksheet_html(language)
        built[language, wall.name] = [
            f'{TABLES_CSS}<div class="ok-tables-screen{many}{both}">{work}'
            f'<div>{progress}</div></div>' for progress in progress_html(view, language, wall)]
    title = in_each(step.title or {}, language) or render(STEP_KINDS[step.kind], language)
    # The page due now: the projector's poll draws this every second, so the pages turn.
    due = page_due(built[language, wall.name])
    step_parts.draw([f"<h2>{step_parts.typed(title)}</h2>", due], projected=True)


# -- phone -------------------------------------------------------------------------------------

MAP_DRAWN = "tables_map_drawn"  # (map id, revision) of the team map this page drew, or None


def _membership(ctx: Context) -> tuple[int, int] | None:
    """(map id, revision) of the map this phone is a member of while its handout is open."""
    row = None if ctx.actor.participant_id is None else maps.member_of(ctx.store, ctx.actor)
    return None if row is None or not row["handout_open"] else (row["id"], row["revision"])


def phone_form(ctx: Context, step: Step) -> None:
    """A member's team map, drawn by the room outside the poll and kept mounted (hidden) while
    the room is on another step: an entry being typed at the table survives the room moving
    on, as the board's idea does (orgkit.ui.room)."""
    drawn = _membership(ctx)
    st.session_state[MAP_DRAWN] = drawn
    if drawn is not None:
        member = maps.as_member(ctx.store, ctx.actor)
        team_map(dataclasses.replace(ctx, actor=member, map=None))


def phone(ctx: Context, step: Step) -> None:
    """Join the table by its handout code; a member's map is the step's form (phone_form),
    which this poll has the page redraw when it changed (an entry from another phone at the
    table, the phone just joined, the handouts ended): a rerun that keeps what is typed."""
    if ctx.actor.participant_id is None:
        st.info(_("Join the workshop with its code first."))
        return
    # (Only once phone_form has run: a page without it must not rerun for ever.)
    if MAP_DRAWN in st.session_state and _membership(ctx) != st.session_state[MAP_DRAWN]:
        st.rerun(scope="app")
    if st.session_state.get(MAP_DRAWN) is None:
        join_table(ctx)


def join_table(ctx: Context) -> None:
    """The handout's code, typed or brought by its QR (`table=`), makes this phone a member."""
    joined = maps.member_of(ctx.store, ctx.actor)
    if joined is not None and not joined["handout_open"]:
        st.info(_("The tables' codes are closed. Your team's lead has the map's link."))
        return
    st.subheader(_(JOIN))
    brought = st.query_params.get(handouts.TABLE_PARAM)
    typed = st.text_input(_("Table code"), max_chars=CODE_TYPED_MAX, key="table_code_field",
                          placeholder=_("e.g. {code}", code="K7PX-3MQR"),
                          help=_("The {n}-character code on your table's handout.",
                                 n=MAP_CODE_LENGTH))
    clicked = st.button(_("Join my table"), type="primary", key="table_code_submit",
                        width="stretch")
    if not (clicked or brought):
        return
    try:
        maps.join_by_handout(ctx.store, ctx.actor, typed if clicked else brought)
    except OrgKitError as exc:
        show_error(exc)
        return
    # Kept while refused, so a phone that scanned before the codes were reopened joins then.
    st.query_params.pop(handouts.TABLE_PARAM, None)
    st.rerun()


def team_map(ctx: Context) -> None:
    """The team's map as a phone at the table fills it: what to add next and the entry form."""
    ctx.map = {"id": ctx.actor.map_id}
    view = map_page.load(ctx)  # one read with the map's access check (a member of this map)
    st.html(map_page.MAP_CSS)
    counts = {level: sum(e["level"] == level for e in view.entries) for level in LEVELS}
    suggested = map_page.header(ctx, counts)
    map_page.progress(ctx, counts)
    map_entries.entry_form(ctx, view, suggested)


# -- facilitator -------------------------------------------------------------------------------

def facilitator(ctx: Context, step: Step) -> None:
    """How many tables' codes are open, the one click that ends them, and every table's
    worksheet with its handout code to print."""
    handouts_control(ctx)
    handouts.print_all(ctx, prefix="tables_handouts")


def handouts_control(ctx: Context) -> None:
    """End every table's handout access in one click (the close step has it too)."""
    try:
        is_open, total = maps.open_handouts(ctx.store, ctx.actor)
    except OrgKitError as exc:
        show_error(exc)
        return
    if not total:
        st.caption(_("No team maps yet: create them under Team maps."))
        return
    if is_open:
        st.caption(ngettext("{n} table's code is open: phones join its map with it.",
                            "{n} tables' codes are open: phones join their maps with them.",
                            is_open))
        if st.button(_("End every table's handout access"), key="tables_end_handouts",
                     icon=":material/lock:"):
            _set_handouts(ctx, False)
        st.caption(_("Each team's private link, which its lead keeps, still opens its map."))
        return
    st.success(_("Every table's code is closed. Each team's private link still opens its map."))
    with st.expander(_("Closed them by mistake?"), key="tables_reopen_panel"):
        if st.button(_("Open the tables' codes again"), key="tables_reopen_handouts"):
            _set_handouts(ctx, True)


def _set_handouts(ctx: Context, is_open: bool) -> None:
    try:
        maps.set_handouts_open(ctx.store, ctx.actor, is_open)
    except OrgKitError as exc:
        show_error(exc)
        return
    st.rerun()
