"""Streamlit pieces of the coverage page: a chart, the one download menu, the top gaps and the
gap list, the network's people, the power grid.

The analysis and the figures come from orgkit.coverage.service's shared cache; this module only
draws them. Every file of a view is in one download menu (a choice and one button), generated
when clicked (a callable), not on every run; a PNG goes through one warm headless Chromium
(png.to_png); the people for a CRM leave with their contact details only when that is ticked.
"""
from __future__ import annotations

import functools
from collections import Counter

import streamlit as st

from ..coverage import figures, network_figure, png
from ..coverage import model as coverage
from ..coverage import report
from ..coverage import service as coverage_service
from ..domain import LEVELS, Actor, OrgKitError, today
from ..i18n import N_, _, current_language, format_date, ngettext
from ..map import crm
from ..map import service as maps
from ..stores import Store
from ..markdown import escape
from .forms import error_text, shown


def _html(fig) -> str:
    # The whole plotly.js goes in, so the file opens offline (about 5 MB).
    return fig.to_html(include_plotlyjs=True, full_html=True)


def chart(view: dict, name: str, key: str, build=None) -> None:
    """One figure of a cached view (its files are in the view's download menu); on a phone, the
    workshop's projector-sized figures at a phone's sizes."""
    if (build is None and narrow_screen()
            and view["builders"] is coverage_service.WORKSHOP_FIGURES):
        name, build = f"{name}_phone", coverage_service.WORKSHOP_PHONE_FIGURES[name]
    fig = coverage_service.figure(view, name, build, current_language())
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})


# -- the download menu -----------------------------------------------------------------------------

# A file the menu offers: what the reader picks, how it is made (when clicked), its name and type.
Download = tuple[str, object, str, str]


def _chart_file(view: dict, name: str, language: str, as_png: bool) -> bytes | str:
    fig = coverage_service.figure(view, name, None, language)
    return png.to_png(fig) if as_png else _html(fig)


def chart_files(view: dict, charts: dict[str, tuple[str, str]]) -> dict[str, Download]:
    """Each chart of a view as HTML and, where Chromium is here, as a PNG picture: {chart name:
    (its marked title, its file name)}; built in the reader's language when clicked."""
    language, files = current_language(), {}
    for name, (title, filename) in charts.items():
        files[f"{name}.html"] = (_("{chart} (chart, HTML)", chart=_(title)), functools.partial(
            _chart_file, view, name, language, False), f"{filename}.html", "text/html")
        if png.png_available():
            # One Chromium for every PNG of this server: only the first waits for it to start.
            files[f"{name}.png"] = (_("{chart} (picture, PNG)", chart=_(title)),
                                    functools.partial(_chart_file, view, name, language, True),
                                    f"{filename}.png", "image/png")
    return files


def map_files(store: Store, actor: Actor, view: dict) -> dict[str, Download]:
    """A map's own files beside its charts: the gap list, the review report and its people for
    each CRM (contact details added by download_menu, on confirmation)."""
    language, map_id = current_language(), view["map"]["id"]
    files = {"gaps.csv": (_("The gap list (CSV)"),
                          lambda: report.gaps_csv(view["gaps"], language), "gaps.csv",
                          "text/csv"),
             "review.html": (_("The review report (HTML)"),
                             lambda: report.review_report(view["map"], view,
                                                          today=today(),
                                                          language=language),
                             "coverage-review.html", "text/html")}
    for tool, label in CRM_LABELS.items():
        files[f"crm.{tool}"] = (_(label), functools.partial(
            crm.crm_csv, store, actor, map_id, tool, language=language),
            f"map-{map_id}-{tool.replace('_', '-')}.csv", "text/csv")
    return files


CRM_LABELS = {"action_network": N_("People for Action Network (CSV upload)"),
              "nationbuilder": N_("People for NationBuilder (people import, CSV)"),
              "everyaction": N_("People for EveryAction / VAN (bulk upload, CSV)")}


def download_menu(files: dict[str, Download], key: str) -> None:
    """One menu for every file of a view: choose what, then one button. A CRM file carries
    contact details only when the box under it is ticked (they then leave OrgKit)."""
    with st.container(border=True):
        choice = st.selectbox(_("Download a file"), list(files), key=f"{key}_choice",
                              format_func=lambda k: files[k][0])
        label, build, file_name, mime = files[choice]
        if choice.startswith("crm."):
            contacts = st.checkbox(
                _("Include contact details (an email address and a phone number found in "
                  "How to contact): they leave OrgKit in this file"), key=f"{key}_contacts",
                help=_("Action Network and NationBuilder match people by email: without it "
                       "they cannot add a row. Notes never leave."))
            build = functools.partial(build, with_contacts=contacts)
        # Named for its file: a click before a slow rerun ends would get the last choice's.
        st.download_button(_("Download {file}", file=file_name), data=build,
                           file_name=file_name, mime=mime, key=f"{key}_button",
                           icon=":material/download:", on_click="ignore", type="primary")


# -- the gap list ----------------------------------------------------------------------------------

GROUP_SHOWN = 3  # gaps shown per kind while every kind is listed
KIND_SHOWN = 30  # gaps shown when one kind is chosen (the CSV has them all)
ALL = "All"  # the filters' first option: a key, drawn as _("All")


def _take_step(store: Store, actor: Actor, view: dict, entry: dict, text: str, how: str) -> None:
    # A button's callback: runs before the rerun, so the map's new revision shows at once.
    st.session_state.pop("gap_choosing", None)
    try:
        before, saved, version = coverage_service.take_step(store, actor, view["map"]["id"],
                                                            entry, text, how)
    except OrgKitError as exc:
        st.session_state["gap_step_error"] = error_text(exc)
        return
    st.session_state["gap_step_saved"] = _(
        "Saved as {name}'s next step, due {due}: \u201c{step}\u201d.", name=entry["name"],
        due=format_date(saved["next_step_on"]), step=saved["next_step"])
    st.session_state["gap_undo"] = (view["map"]["id"], entry["id"], entry["name"], before,
                                    version)


def _undo_step(store: Store, actor: Actor) -> None:
    map_id, entry_id, name, before, version = st.session_state.pop("gap_undo")
    try:
        maps.update_entry(store, actor, map_id, entry_id, version, before)
    except OrgKitError as exc:
        st.session_state["gap_step_error"] = error_text(exc)
        return
    st.session_state["gap_step_saved"] = _("{name}'s next step is back as it was.", name=name)


TOP_GAPS = 3  # the gaps the coverage page opens on


def _open_tab(key: str, label: str) -> None:
    st.session_state[key] = label  # a button's callback: runs before the tabs are drawn


def top_gaps(store: Store, actor: Actor, view: dict, gaps_tab: tuple, first=None) -> None:
    """What to do first: the most urgent gaps with their steps, a button to all of them (`gaps_tab`:
    the tabs' key, the Gaps tab's label as read), after `first` ((rank, gap) a link opened)."""
    gaps = view["gaps"]
    st.subheader(_("What to do first"), divider="gray")
    if not gaps:
        st.success(_("No gaps found on this map."))
        return
    _step_messages(store, actor)
    by_id = {e["id"]: e for e in view["entries"]}
    if first is not None:  # marked, whatever its rank
        st.markdown(_("**The gap you opened** ({rank} of {n})", rank=first[0], n=len(gaps)))
        _gap_card(store, actor, view, by_id, *first)
    for rank, gap in [pair for pair in enumerate(gaps, 1) if pair != first][:TOP_GAPS]:
        _gap_card(store, actor, view, by_id, rank, gap)
    if len(gaps) > TOP_GAPS:
        st.button(ngettext("See all {n} gap", "See all {n} gaps", len(gaps)),
                  key="see_all_gaps", on_click=_open_tab, args=gaps_tab, icon=":material/list:")


def _step_messages(store: Store, actor: Actor) -> None:
    """What the last gap step did (with its one-click undo), or why it did nothing."""
    if (saved := st.session_state.pop("gap_step_saved", None)) is not None:
        st.success(escape(saved))
        if "gap_undo" in st.session_state:
            st.button(_("Undo"), key="gap_undo_button", icon=":material/undo:",
                      on_click=_undo_step, args=(store, actor))
    if (error := st.session_state.pop("gap_step_error", None)) is not None:
        st.error(escape(error))


def gap_list(store: Store, actor: Actor, view: dict) -> None:
    """The gaps grouped by kind with counts, filtered by kind, level and point person, the most
    urgent first; each a wrapping card with its step and a button that makes the step the
    next step of the entry it names first."""
    gaps = view["gaps"]
    st.caption(escape(_(coverage.DIRECT_TIE)))
    _step_messages(store, actor)
    if not gaps:
        st.success(_("No gaps found on this map."))
        return
    counts = Counter(g.kind for g in gaps)
    kinds = list(dict.fromkeys(g.kind for g in gaps))  # by each kind's most urgent gap
    owners = sorted({g.point_person for g in gaps if g.point_person}, key=str.lower)
    with st.container(horizontal=True):
        kind = st.selectbox(_("Kind of gap"), [ALL, *kinds], key="gap_kind",
                            format_func=lambda k: _("All") if k == ALL else
                            _("{kind} ({n})", kind=_(coverage.GAP_KINDS[k]), n=counts[k]))
        level = st.selectbox(_("Level"), [ALL, *LEVELS], key="gap_level",
                             format_func=lambda lv: _("All") if lv == ALL else _(LEVELS[lv]))
        owner = st.selectbox(_("Point person"), [ALL, *owners], key="gap_owner",
                             format_func=lambda o: _("All") if o == ALL else o)
    chosen = [(rank, g) for rank, g in enumerate(gaps, 1)
              if (kind == ALL or g.kind == kind) and (level == ALL or g.level == level)
              and (owner == ALL or g.point_person == owner)]
    st.markdown(" · ".join([ngettext("**{shown} of {n} gap**", "**{shown} of {n} gaps**",
                                              len(gaps), shown=len(chosen)), *(
        _("{kind}: {n}", kind=_(coverage.GAP_KINDS[k]), n=n)
        for k, n in Counter(g.kind for _rank, g in chosen).most_common())]))
    by_id = {e["id"]: e for e in view["entries"]}
    for k in kinds:
        group = [(rank, g) for rank, g in chosen if g.kind == k]
        if not group:
            continue
        limit = KIND_SHOWN if kind == k else GROUP_SHOWN
        st.markdown("#### " + _("{kind} ({n})", kind=_(coverage.GAP_KINDS[k]), n=len(group)))
        for rank, gap in group[:limit]:
            _gap_card(store, actor, view, by_id, rank, gap)
        if len(group) > limit:
            st.caption(_("{n} of {total} shown, most urgent first: choose this kind above to "
                         "see more, or download the gap list for all of them.", n=limit,
                         total=len(group)))
    st.caption(_("The whole list and the review report are in the download menu below."))


def _gap_card(store: Store, actor: Actor, view: dict, by_id: dict, rank: int, gap) -> None:
    with st.container(border=True):
        about = [f"**{rank}. {escape(shown(gap.subject))}**"]
        if gap.level:
            about.append(escape(_(LEVELS[gap.level])))
        if gap.point_person:
            about.append(_("point person: {name}", name=escape(gap.point_person)))
        if gap.suggested is not None:
            about.append(escape(shown(gap.suggested)))
        st.markdown(" · ".join(about))
        st.markdown(_("{reason}  \n**Next step:** {step}", reason=escape(shown(gap.reason)),
                      step=escape(shown(gap.next_step))))
        entry = by_id.get(gap.people[0]) if gap.people else None
        if entry is not None:
            _step_buttons(store, actor, view, rank, gap, entry)


def _step_buttons(store: Store, actor: Actor, view: dict, rank: int, gap, entry: dict) -> None:
    """One click where the entry has no next step; where it has one, what is there and an
    explicit choice to replace it, add to it or keep it."""
    text = shown(coverage.as_next_step(gap, current_language()))
    own = (entry.get("next_step") or "").strip()
    if own and st.session_state.get("gap_choosing") == rank:
        st.info(_("{name}'s next step now: \u201c{own}\u201d (due {due}). The suggested step: "
                  "\u201c{step}\u201d.", name=escape(entry["name"]), own=escape(own),
                  due=entry.get("next_step_on") or _("no date"), step=escape(text)))
        with st.container(horizontal=True):
            for how, label, icon in (("replace", _("Replace it"), ":material/swap_horiz:"),
                                     ("add", _("Add to it"), ":material/add:")):
                st.button(label, key=f"gap_{how}_{rank}", icon=icon, on_click=_take_step,
                          args=(store, actor, view, entry, text, how))
            st.button(_("Keep it"), key=f"gap_keep_{rank}",
                      on_click=lambda: st.session_state.pop("gap_choosing", None))
        return
    label = _("Make this {name}'s next step", name=escape(entry["name"]))
    if own:
        st.button(label, key=f"gap_step_{rank}", icon=":material/event:",
                  on_click=lambda: st.session_state.update(gap_choosing=rank),
                  help=_("They already have a next step: you will see it and choose to replace "
                         "it, add to it or keep it."))
    else:
        st.button(label, key=f"gap_step_{rank}", icon=":material/event:", on_click=_take_step,
                  args=(store, actor, view, entry, text, "set"),
                  help=ngettext("Sets their next step to this text, due in {n} day; their "
                                "point person stays the owner.", "Sets their next step to "
                                "this text, due in {n} days; their point person stays the "
                                "owner.", coverage.NEXT_STEP_DAYS))


# -- the network's people --------------------------------------------------------------------------

def narrow_screen() -> bool:
    """Whether the browser says it is a phone ("Mobile" in its user agent, as Android and iOS
    browsers send): the charts that name people in cells then draw fewer, shorter labels."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


NO_FOCUS = 0  # entry ids start at 1
CUT_ROWS = 50  # cut points listed, most damaging first


def _focus_from_table(ids: list) -> None:
    """A person chosen in the people table (a row's selection) becomes the drawing's focus; the
    selection is read before the drawing, from the table's state of the last interaction."""
    table = st.session_state.get("people_table")
    rows = list(table["selection"]["rows"]) if table else []
    if rows != st.session_state.get("people_table_rows"):
        st.session_state["people_table_rows"] = rows
        if rows and rows[0] < len(ids):
            st.session_state["network_focus"] = ids[rows[0]]


def network_section(view: dict) -> None:
    """The network (or one person's neighbourhood: chosen in the list or by a row of the people
    table), who holds it together and what breaks if they leave, and the sortable people
    table. Labels are made once per run, not per person: a 10,000-row table would otherwise
    look up the reader's language tens of thousands of times."""
    st.caption(escape(_(coverage.DIRECT_TIE)))
    entries = {e["id"]: e for e in view["entries"]}
    rows = coverage_service.people(view)
    _focus_from_table([r["id"] for r in rows])
    level_names = {level: _(label) for level, label in LEVELS.items()}
    labelled = _("{name} ({level})")
    names = {NO_FOCUS: _("Everyone")} | {
        i: labelled.format(name=e["name"], level=level_names[e["level"]])
        for i, e in sorted(entries.items(), key=lambda item: item[1]["name"].lower())}
    focus = st.selectbox(_("Focus on one person"), list(names), key="network_focus",
                         format_func=names.__getitem__,
                         help=_("Their neighbourhood within two links, and how they connect to "
                                "us. Choosing a row in the people table below does the same."))
    narrow = narrow_screen()
    if focus == NO_FOCUS or focus not in entries:
        chart(view, "network_narrow" if narrow else "network", "network")
    else:
        chart(view, f"focus_{focus}" + ("_narrow" if narrow else ""), "network_focus_chart",
              build=lambda v, language: network_figure.network_graph(
                  v["entries"], v["links"], v["network"], focus=focus, narrow=narrow,
                  language=language))
        path = coverage.warm_path(view["network"], entries, focus)
        st.markdown(_("**How they connect to our team:** {path}", path=escape(shown(path))
                      if path else _("no path from anyone of ours yet.")))
        between = next((r["betweenness"] for r in rows if r["id"] == focus), 0)
        st.caption(_("{name} is {share}.", name=escape(entries[focus]["name"]),
                     share=_(coverage.path_share(between))))
    _cut_points(view["cut_points"], level_names)
    st.subheader(_("People by connections"), divider="gray")
    sampled = len(entries) > coverage.DRAW_LIMIT
    st.caption(_("Links: entries linked to them. On shortest paths: the share of shortest paths "
                 "between others that pass through them (node size in the drawing), estimated "
                 "from {n} starting points on a map this size. Within two links: how many "
                 "entries they reach through one other. Click a column to sort; choose a row "
                 "to focus the drawing on them.", n=coverage.BETWEENNESS_SAMPLES)
               if sampled else
               _("Links: entries linked to them. On shortest paths: the share of shortest paths "
                 "between others that pass through them (node size in the drawing). Within two "
                 "links: how many entries they reach through one other. Click a column to sort; "
                 "choose a row to focus the drawing on them."))
    share = _("On shortest paths")
    st.dataframe({_("Name"): [r["name"] for r in rows],
                  _("Level"): [level_names[r["level"]] for r in rows],
                  _("Links"): [r["degree"] for r in rows],
                  share: [coverage.share_percent(r["betweenness"]) for r in rows],
                  _("Within two links"): [r["reach"] for r in rows],
                  _("Direct tie"): [r["ours"] for r in rows],
                  _("Cut point"): [r["cut_point"] for r in rows]},
                 column_config={share: st.column_config.NumberColumn(share, format="%d %%")},
                 hide_index=True, width="stretch", key="people_table", on_select="rerun",
                 selection_mode="single-row")


def _cut_points(cuts: list[dict], level_names: dict) -> None:
    """Who holds the network together, as a table whose cells wrap (a long list of
    decision-makers reads down the page, never sideways)."""
    if not cuts:
        return
    st.subheader(ngettext("{n} person or group holds the network together",
                          "{n} people or groups hold the network together", len(cuts)),
                 divider="gray")
    st.caption(_("If one of them leaves, the entries, communities and decision-makers below "
                 "are cut off from us; the {n} who would cut off the most are listed.",
                 n=CUT_ROWS) if len(cuts) > CUT_ROWS else
               _("If one of them leaves, the entries, communities and decision-makers below "
                 "are cut off from us."))
    st.table({_("Who"): [c["name"] for c in cuts[:CUT_ROWS]],
              _("Level"): [level_names[c["level"]] for c in cuts[:CUT_ROWS]],
              _("Entries cut off"): [c["cut_off"] for c in cuts[:CUT_ROWS]],
              _("Communities lost"): ["; ".join(c["communities"]) for c in cuts[:CUT_ROWS]],
              _("Decision-makers lost"): ["; ".join(c["decision_makers"])
                                          for c in cuts[:CUT_ROWS]]}, hide_index=True)


def power_section(view: dict) -> None:
    """The power grid, and the same people in a list (a cell's names, on any screen)."""
    st.caption(escape(_(coverage.DIRECT_TIE)))
    chart(view, "power_grid_narrow" if narrow_screen() else "power_grid", "power_grid")
    rows = view["power_grid"]
    placed = [r for r in rows if r["quadrant"]]
    if len(placed) < len(rows):
        st.caption(_("{n} with only a stance or only an influence are not placed: set both on "
                     "their entry.", n=len(rows) - len(placed)))
    if not rows:
        st.info(_("Set a stance and an influence on leaders, organizations and decision-makers "
                  "(on the map) to place them here."))
        return
    st.dataframe([{_("Name"): r["name"], _("Level"): _(LEVELS[r["level"]]),
                   _("What to do"): _(r["quadrant"]),
                   _("Stance"): _(figures.STANCE_NAMES.get(r["stance"], "")),
                   _("Influence"): r["influence"],
                   _("From us"): _(figures.DISTANCE_LABELS[figures.distance_band(r["distance"])])}
                  for r in sorted(placed,
                                  key=lambda r: (r["quadrant"], -r["influence"], r["name"]))],
                 hide_index=True, width="stretch", key="power_table")
