"""The facilitator's screen: unlock with the PIN, then the boards, the team maps and the backups.

The board part comes first, as the seminar runs: create boards, then run one (its controls,
board_parts: the only place they are, each click acting once on what its button names and saying
beside it what it did), moderate and group it (orgkit.ui.moderate), reveal the reference points,
export or delete it; then the team maps and the backups. Everything under the
Board picker comes from one snapshot at one revision, and _facilitator_watch (every WATCH_S
seconds) redraws the page when the revision moved: a vote, an item, a change made in another
tab. Widgets whose value mirrors the board (a theme's name, a reveal decision, an item's theme)
have that value in their key, so a redraw shows the new value instead of the one typed or picked
on the stale screen. Moderation and grouping use selects, a multiselect and buttons (no
drag-and-drop) so they work from a phone.
"""
from __future__ import annotations

import functools

import streamlit as st

from ..bidi import isolate
from ..board import export as board_export
from ..board import model as board_model
from ..board import service as boards
from ..board.model import Snapshot
from ..domain import MODERATION, OrgKitError
from ..i18n import _, ngettext
from ..markdown import escape
from ..stores import Store
from . import backups, handouts, moderate, session
from .board_parts import WATCH_S, act, board_controls, cut, said, show_board_message
from .forms import error_text, in_languages, show_error, submission_key, unlock_form
from .identity import Context
from .setup import PROJECTOR


def _title(ctx: Context) -> None:
    st.title(_("Facilitate: {title}", title=escape(ctx.workshop.title)))


def locked_screen(ctx: Context) -> None:
    """Not unlocked yet: the PIN form."""
    _title(ctx)
    st.write(_("Enter the workshop's facilitator PIN to moderate boards, see every map and "
               "export."))
    unlock_form(ctx)


def screen(ctx: Context) -> None:
    """The unlocked facilitator's tools for the workshop."""
    _title(ctx)
    st.success(_("Unlocked. Join code **{code}**.", code=ctx.workshop.join_code))
    draw_moves = session.panel(ctx)  # the agenda and the room's step, above the tools it uses
    # The seminar's order: the room brainstorms first, then the teams fill their maps.
    facilitator_section(ctx)
    handouts.facilitator_maps(ctx)
    backups.backup_section(ctx)
    draw_moves()  # in their place under the agenda, sent last (session.panel says why)


def facilitator_section(ctx: Context) -> None:
    """The board part of the facilitator page: create boards, then run and moderate one."""
    st.subheader(_("Brainstorm boards"))
    all_boards = boards.boards_for(ctx.store, ctx.actor)
    # Expanders are keyed: sections above them come and go with the board (a queue, the
    # grouping form), and an unkeyed expander that moves is drawn anew, closed.
    with st.expander(_("Create a board"), expanded=not all_boards, key="fac_create_board"):
        _create_form(ctx)
    if not all_boards:
        return
    ids = [b.id for b in reversed(all_boards)]
    chosen = st.selectbox(_("Board"), ids, key=_board_key(),
                          format_func={b.id: isolate(b.prompt) for b in all_boards}.get)
    try:
        snap = boards.snapshot(ctx.store, chosen, ctx.actor)
    except OrgKitError as exc:  # deleted in another tab since the list was read
        show_error(exc)
        return
    board = snap.board
    st.page_link(PROJECTOR, label=_("Open this board on the projector"),
                 icon=":material/present_to_all:",
                 query_params={**ctx.link_params(), "board": str(board.id)})
    show_board_message()
    if done := st.session_state.pop("board_done", None):
        st.success(escape(done))
    board_controls(ctx, board)
    moderate.from_floor(ctx, snap)
    moderate.queue(ctx, snap)
    moderate.grouping(ctx, snap)
    moderate.item_tools(ctx, snap)
    moderate.themes(ctx, snap)
    _reveal(ctx, snap)
    _export_and_delete(ctx, snap)
    _facilitator_watch(ctx.store, board.id, board.revision)


def _board_key() -> str:
    return f"fac_board_{st.session_state.get('fac_board_shown', 0)}"


def _show_board(board_id: int | None) -> None:
    """Show this board in the Board select from the next run on (None: the newest).

    The select gets a new key rather than a new value: a message the browser sent before it
    heard of the change (the second click of a double click) carries the old select's value,
    which would put the old board back; under a new key that stale value names no widget."""
    shown = st.session_state.get("fac_board_shown", 0) + 1
    st.session_state["fac_board_shown"] = shown
    if board_id is not None:
        st.session_state[_board_key()] = board_id


@st.fragment(run_every=WATCH_S)
def _facilitator_watch(store: Store, board_id: int, drawn: int) -> None:
    """One read of the revision; the page is drawn again when it is not the one on screen.

    `drawn` comes with each full run, so the run this triggers passes the new revision and
    does not trigger another one."""
    if boards.revision(store, board_id) != drawn:
        st.rerun(scope="app")


def _create_form(ctx: Context) -> None:
    # A new key after each board empties the form; not clear_on_submit, which empties it in the
    # browser at once, so the second click of a double click would send an empty prompt.
    made = st.session_state.get("create_board_made", 0)
    form = f"create_board_{made}"  # its fields' keys too, so they start empty with it
    with st.form(form):
        prompt = in_languages(st.text_input, _("Prompt"), f"{form}_prompt", ctx.language,
                              placeholder=_("What are key characteristics of community "
                                            "organizing?"))
        notes = in_languages(st.text_area, _("Reference notes (one point a line; shown only when "
                                             "you reveal them)"), f"{form}_notes", ctx.language)
        anonymous = st.checkbox(_("Anonymous (no names shown or kept with the items)"),
                                key=f"{form}_anonymous")
        # Hidden by default: counts seen while voting draw more votes to the leaders.
        hide_counts = st.checkbox(_("Hide vote counts until the vote closes"),
                                  value=board_model.VOTES_HIDDEN_DEFAULT,
                                  key=f"{form}_hide_counts")
        votes = st.number_input(_("Votes per participant"), 0, board_model.VOTES_MAX,
                                board_model.VOTES_DEFAULT, key=f"{form}_votes")
        moderation = st.radio(_("Moderation"), list(MODERATION),
                              format_func=lambda m: _(MODERATION[m]), horizontal=True,
                              key=f"{form}_moderation")
        limit = st.number_input(_("Item length limit (characters)"), board_model.ITEM_LIMIT_MIN,
                                board_model.ITEM_LIMIT_MAX, board_model.ITEM_LIMIT_DEFAULT,
                                key=f"{form}_item_limit")
        if st.form_submit_button(_("Create board"), type="primary", key=f"{form}_submit"):
            values = (prompt, notes, anonymous, votes, moderation, limit, hide_counts)
            try:
                board = boards.create_board(
                    ctx.store, ctx.actor, prompt, reference_notes=notes, anonymous=anonymous,
                    votes_per_participant=votes, moderation=moderation, item_limit=limit,
                    votes_hidden=hide_counts,
                    idempotency_key=submission_key("create_board", values))
            except OrgKitError as exc:
                show_error(exc)
            else:
                # Not by dropping the select's state: that leaves the browser showing the old
                # board while the tools below belong to the new one.
                _show_board(board.id)
                st.session_state["create_board_made"] = made + 1
                st.rerun()


def _reveal(ctx: Context, snap: Snapshot) -> None:
    """One row per reference point. A suggestion is the facilitator's alone (the room sees a
    point raised only once it is confirmed): its select can be corrected, then Confirm; a
    confirmed row shows the answer, fixed, and Undo makes it a suggestion again. "Confirm all"
    saves every suggested row as its select shows it."""
    if not snap.reveal:
        return
    board_id = snap.board.id
    shown = {item.id: item for item in snap.shown()}
    choices = [None, *shown]
    with st.expander(_("Reveal: which reference points did the group raise?"),
                     key=f"fac_reveal_{board_id}"):
        st.caption(_("Suggested by shared words and the glossary. The room sees a point as "
                     "raised only once you confirm it."))
        confirm_all = st.container()
        if said := st.session_state.pop(f"reveal_said_{board_id}", None):
            (st.success if said[0] == "done" else st.warning)(escape(said[1]))
        picks = {}  # point -> its select's key, for the suggestions still to confirm
        for point in snap.reveal:
            current = point.item_id if point.raised and point.item_id in shown else None
            pick_col, save_col = st.columns([4, 1], vertical_alignment="bottom")
            # The current answer is in the key: a decision or a new suggestion made since the
            # page was drawn redraws the select with it, so Confirm saves what it shows.
            pick_key = f"reveal_{board_id}_{point.number}_{current}_{point.confirmed}"
            text = escape(isolate(point.text))
            pick_col.selectbox(
                _("{point} (confirmed)", point=text) if point.confirmed
                else _("{point} (suggestion)", point=text), choices,
                index=choices.index(current), key=pick_key, disabled=point.confirmed,
                format_func=lambda i: _("Not raised") if i is None else cut(shown[i].text))
            if point.confirmed:
                save_col.button(_("Undo"), key=f"reveal_undo_{board_id}_{point.number}",
                                on_click=_reveal_act, args=(board_id, boards.undo_match, ctx.store,
                                                            ctx.actor, board_id, point.number))
                continue
            if current is not None:
                picks[point.number] = pick_key
            save_col.button(_("Confirm"), key=f"reveal_ok_{board_id}_{point.number}",
                            on_click=_confirm_picks, args=(ctx, board_id,
                                                           {point.number: pick_key}))
        if picks:
            confirm_all.button(
                ngettext("Confirm {n} suggestion", "Confirm all {n} suggestions", len(picks)),
                key=f"reveal_all_{board_id}", icon=":material/done_all:",
                on_click=_confirm_picks, args=(ctx, board_id, picks))


def _reveal_act(board_id: int, action, *args) -> bool:
    """Run a reveal action; a refusal is said inside the reveal, where the facilitator looks."""
    try:
        action(*args)
    except OrgKitError as exc:
        st.session_state[f"reveal_said_{board_id}"] = ("refused", error_text(exc))
        return False
    return True


def _confirm_picks(ctx: Context, board_id: int, picks: dict[int, str]) -> None:
    """Confirm the points of `picks` (point -> its select's key) as their selects show them
    when clicked."""
    decisions = {point: st.session_state.get(key) for point, key in picks.items()}
    if _reveal_act(board_id, boards.confirm_matches, ctx.store, ctx.actor, board_id, decisions):
        st.session_state[f"reveal_said_{board_id}"] = ("done", ngettext(
            "Confirmed {n} point: the room sees it as you set it.",
            "Confirmed {n} points: the room sees them as you set them.", len(decisions)))


EXPORTS = (  # (extension, build, MIME type)
    ("csv", board_export.to_csv, "text/csv"),
    ("xlsx", board_export.to_xlsx,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("html", board_export.to_html, "text/html"))


def _export_and_delete(ctx: Context, snap: Snapshot) -> None:
    name = f"board-{snap.board.id}"
    labels = (_("Export CSV"), _("Export XLSX"), _("Export summary (HTML)"))
    # Each file is built only when its button is clicked, not on every rerun of this view.
    for column, label, (ext, build, mime) in zip(st.columns(3), labels, EXPORTS):
        data = functools.partial(build, snap, *([ctx.language] if ext == "html" else []))
        column.download_button(label, data, f"{name}.{ext}", mime,
                               on_click="ignore", icon=":material/download:",
                               key=f"export_{ext}_{snap.board.id}")
    with st.expander(_("Reset votes or delete this board"), key=f"fac_danger_{snap.board.id}"):
        st.button(_("Reset all votes"), key=f"reset_{snap.board.id}", on_click=act,
                  args=(boards.reset_votes, ctx.store, ctx.actor, snap.board.id),
                  kwargs={"slot": f"reset_{snap.board.id}",
                          "done": _("All votes removed: everyone has their votes back.")})
        said(f"reset_{snap.board.id}")
        with st.form(f"delete_{snap.board.id}", border=False):
            st.text_input(_("Type {word} to delete the board and its items",
                            word=board_model.DELETE_WORD), key=f"delete_word_{snap.board.id}")
            st.form_submit_button(_("Delete board"), on_click=_delete_board,
                                  args=(ctx, snap.board.id), key=f"delete_{snap.board.id}_submit")


def _delete_board(ctx: Context, board_id: int) -> None:
    """Delete, then show the newest board left (a new select: see _show_board)."""
    try:
        boards.delete_board(ctx.store, ctx.actor, board_id,
                            st.session_state.get(f"delete_word_{board_id}"))
    except OrgKitError as exc:
        st.session_state["board_message"] = error_text(exc)
        return
    _show_board(None)  # the newest board left
    st.session_state["board_done"] = _("Board deleted.")
