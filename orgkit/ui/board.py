"""Streamlit pieces of the live board: the projector's poll, the phone view, the facilitator tools.

The projector polls once a second. A poll is one indexed read (revision and participant count); the
board's HTML comes from the board service's cache shared by every session, keyed by (store, board,
revision, participants, join link), so a poll costs that read plus two small elements. Phones poll
every 10 s with one fragment that holds everything the room changes (phase, timer, form, vote list,
own items); it is drawn from the same shared (board, revision) snapshot and labels, plus one small
query for the phone's own items and votes per revision, and never reruns the page. The
facilitator's page is watched every 3 s (any move of the revision redraws it: counts, lists, the
reveal, the controls); on the projector the board controls re-read the board in their own 3 s
fragment.
Buttons that act on a field's value read it from st.session_state when clicked (`_act_on`),
never from the value the page was drawn with; widgets that mirror the board carry the mirrored
state in their key. Moderation and grouping use selects, a multiselect and buttons (no
drag-and-drop) so they work from a phone. Every rule is checked again by orgkit.board.service;
errors come back as OrgKitError and are shown with ui.show_error.
"""
from __future__ import annotations

import functools
import html
import secrets
import time

import segno
import streamlit as st

from ..board import export as board_export
from ..board import model as board_model
from ..board import service as boards
from ..board.model import Board, Snapshot
from ..board.view import PROJECTOR_CSS, Join, reveal_html
from ..domain import LEVELS, MODERATION, PHASES, OrgKitError, Role
from ..map import service as maps
from ..storage import Store
from ..workshop import service as workshops
from . import Context, escape, join_url, show_error, submission_key

PHONE_CSS = """<style>
.stButton button, .stFormSubmitButton button, .stDownloadButton button {min-height:48px}
/* Vote list: each idea a full-width tap target of at least 48 px whose whole text wraps and
   starts at the left, at every level of the nested flex boxes Streamlit wraps a label in. */
.st-key-phone_items button {min-height:48px; width:100%; border-radius:12px !important;
  padding:10px 14px !important; line-height:1.35 !important; height:auto !important}
.st-key-phone_items button, .st-key-phone_items button div, .st-key-phone_items button span,
.st-key-phone_items button p {justify-content:flex-start; text-align:left; white-space:normal;
  overflow:visible; text-overflow:clip; font-size:17px}
.stTextInput input {font-size:18px}
.ok-answer {font-size:17px; padding:8px 12px; border-radius:8px; margin:0;
  background:#e3f4e8; color:#0b4a1e}
.ok-own {font-size:17px} .ok-own ul {margin:4px 0 0 0; padding-left:20px}
.ok-own li {overflow-wrap:anywhere}
.ok-reveal {background:#eef2f7; border-radius:10px; padding:6px 12px}
.ok-reveal .ok-group {font-size:19px; font-weight:700} .ok-reveal li {font-size:17px}
[data-testid=stExpander] summary {min-height:48px}
h1 {font-size:1.6rem !important}
/* Streamlit's connection dialog speaks to developers ("Is Streamlit still running?"); on a phone
   it says what happened and what to do, in the participant's words. */
[data-testid=stDialog] section[role=dialog] h2, [data-testid=stDialog] section[role=dialog] h2 ~ div
  {font-size:0}
[data-testid=stDialog] section[role=dialog] h2::before {content:"Connection lost"; font-size:22px}
[data-testid=stDialog] section[role=dialog] h2 ~ div::before {font-size:17px; content:"The phone \
lost its connection to the workshop (the venue Wi-Fi, or a locked screen). Keep this page open: it \
comes back by itself, and what you typed stays here."}
</style>"""


def chosen_board(ctx: Context) -> Board | None:
    """The board named by the `board` query parameter, else the workshop's newest board.

    A bad or unknown `board` parameter is answered with its message and the page stops."""
    wanted = st.query_params.get("board")
    try:
        if wanted:
            return boards.get_board(ctx.store, ctx.actor, wanted)
        return boards.latest_board(ctx.store, ctx.actor)
    except OrgKitError as exc:
        show_error(exc)
        st.stop()


# -- the projector -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def qr_image(url: str, alt: str = "QR code of the join link") -> str:
    """An <img> of the URL's QR code as an SVG data URI (segno: no image libraries needed).

    st.html's sanitiser drops inline <svg>; an image with a data URI passes and scales crisply."""
    data = segno.make(url, error="m").svg_data_uri(scale=7, dark="#111418", light="#ffffff")
    return f'<img src="{data}" alt="{html.escape(alt)}">'


def join_block(ctx: Context, board: Board) -> Join:
    """The join link of exactly this board, its QR, and a warning when no phone can reach it."""
    url, reachable = join_url(code=ctx.workshop.join_code, board=str(board.id))
    warning = None if reachable else (
        "Phones cannot open this address: it names this computer itself. Open OrgKit at this "
        "computer's network address (the Network URL that `streamlit run` prints), or set "
        "ORGKIT_PUBLIC_URL to the address phones use.")
    return Join(url, qr_image(url), warning)


def projector(ctx: Context, board: Board) -> None:
    """The projected board: controls when unlocked, then the live block (prompt, join, items)."""
    st.html(PROJECTOR_CSS)
    if ctx.role is Role.FACILITATOR:
        with st.expander("Facilitator controls", key="projector_controls"):
            board_controls(ctx, board)
    _live(ctx.store, board.id, join_block(ctx, board))


@st.fragment(run_every=1)
def _live(store: Store, board_id: int, join: Join) -> None:
    rendered = boards.projector_screen(store, board_id, join)
    if rendered is None:
        st.warning("This board was deleted.")
        return
    block, board = rendered
    st.html(block)
    if timer := board.timer_text(labelled=False):
        st.html(f'<div class="ok-timer" role="timer">{timer}</div>')


# -- the phone -----------------------------------------------------------------------------------

# A phone polls this often. A poll reruns only the phone's live fragment: one revision read, then
# elements drawn from the shared per-revision snapshot (a cache hit) and this phone's own part
# (one small query, kept per revision in its session), never a full page run.
PHONE_POLL_S = 10


def phone(ctx: Context, board: Board) -> None:
    """A participant's view: the prompt, an optional name, then the live part of the board."""
    st.html(PHONE_CSS)
    st.markdown(f"## {escape(board.prompt)}")
    if board.anonymous:
        st.caption("This board is anonymous: your name is not shown with your items.")
    else:
        _name_form(ctx)
    _phone_live(ctx, board.id)


@st.fragment
def _name_form(ctx: Context) -> None:
    # A fragment: saving a name reruns these few elements, not the page.
    with st.expander("Your name (optional)", key="your_name"):
        with st.form("display_name", border=False):
            name = st.text_input("Display name", key="display_name_field")
            if st.form_submit_button("Save name", key="display_name_save"):
                try:
                    workshops.set_display_name(ctx.store, ctx.actor, name)
                    st.success("Saved. New items show this name.")
                except OrgKitError as exc:
                    show_error(exc)


def _own(ctx: Context, snap: Snapshot) -> board_model.Own:
    """This phone's items and votes at the snapshot's revision: one query per revision, not per
    poll (every change to them bumps the revision)."""
    key = f"phone_own_{snap.board.id}"
    kept = st.session_state.get(key)
    if kept is None or kept[0] != snap.board.revision:
        kept = (snap.board.revision, boards.own_activity(ctx.store, ctx.actor, snap))
        st.session_state[key] = kept
    return kept[1]


@st.fragment(run_every=PHONE_POLL_S)
def _phone_live(ctx: Context, board_id: int) -> None:
    """Everything on the phone that the room changes: phase, timer, the form while ideas are open,
    the vote list, the phone's own items. A poll, a vote and a send each rerun only this."""
    revision = boards.revision(ctx.store, board_id)
    if revision is None:
        st.warning("This board was deleted.")
        return
    snap = boards.shared_snapshot(ctx.store, board_id, revision)
    board, own = snap.board, _own(ctx, snap)
    st.markdown(f"**Phase: {PHASES[board.phase]}**" +
                (f" · **{timer}**" if (timer := board.timer_text()) else "") +
                f" · {own.votes_left(board)} of {board.votes_per_participant} votes left")
    note = board.closed_note()
    if note:
        st.info(note)
    else:
        _add_form(ctx, board)
    _vote_list(ctx, snap, own)
    _own_items(ctx, snap, own)
    if board.revealed and snap.reveal:
        st.html(reveal_html(snap))


def _add_form(ctx: Context, board: Board) -> None:
    # Text refused while the form was hidden comes back (a hidden widget's state is dropped).
    if "idea_kept" in st.session_state:
        st.session_state["idea"] = st.session_state.pop("idea_kept")
    with st.form("add_item", border=False):
        st.text_input("Your idea", placeholder="Type your idea",
                      key="idea")
        st.form_submit_button("Send", type="primary", width="stretch", on_click=_send,
                              args=(ctx, board.id), key="idea_send")
    if answer := st.session_state.pop("idea_answer", None):  # to the send just made
        ok, text = answer
        if ok:  # it quotes the idea: HTML-escaped, so no Markdown directive or link comes alive
            st.html(f'<p class="ok-answer" role="status">{html.escape(text)}</p>')
        else:
            st.error(escape(text))


def _send(ctx: Context, board_id: int) -> None:
    """Post the typed idea; clear the field only when it was taken, so a refusal loses nothing."""
    text = st.session_state["idea"]
    # One key per submitted text, kept after the answer: a double tap or a resend after a
    # reconnect carries the same key, and the store returns the first item instead of a copy.
    pending = st.session_state.get("board_pending")
    if pending is None or pending["text"] != text or pending["board"] != board_id:
        pending = {"text": text, "board": board_id, "key": secrets.token_urlsafe(12)}
        st.session_state["board_pending"] = pending
    try:
        item, _ = boards.add_item(ctx.store, ctx.actor, board_id, text, pending["key"])
    except OrgKitError as exc:
        st.session_state["idea_answer"] = (False, str(exc))
        st.session_state["idea_kept"] = text
        return
    st.session_state["idea"] = ""
    waiting = " It shows once the facilitator approves it." if item.status == board_model.PENDING else ""
    st.session_state["idea_answer"] = (True, f"Sent: “{item.text}”.{waiting}")


def _vote_list(ctx: Context, snap: Snapshot, own: board_model.Own) -> None:
    """One tap-to-vote widget per theme group. A tap names the item the phone showed: the
    callback reads the option with the labels of the run that drew it, whatever moved since."""
    listed = boards.phone_labels(ctx.store, snap.board.id, snap.board.revision)
    if not listed.groups:
        st.caption("No ideas on the board yet.")
        return
    closed = snap.board.phase not in board_model.VOTE_PHASES or snap.board.locked
    groups = list(listed.groups)
    if extra := listed.voted_unlisted(own.votes):
        groups.append(("Your votes", extra))
    if listed.listed < listed.total:
        which = "most voted" if snap.board.phase in ("vote", "discuss") else "newest"
        st.caption(f"Showing the {listed.listed} {which} of {listed.total} ideas; every idea is "
                   "on the projector.")
    with st.container(key="phone_items"):
        for number, (name, ids) in enumerate(groups):
            key = f"vote_{snap.board.id}_{number}"
            st.pills(escape(name) if name else "Tap an idea to vote, tap again to take it back",
                     ids, format_func=functools.partial(listed.label, own.votes), key=key,
                     on_change=_vote_tapped, args=(ctx, key), disabled=closed, width="stretch")


def _vote_tapped(ctx: Context, key: str) -> None:
    item_id = st.session_state[key]
    st.session_state[key] = None  # the list shows votes by their marks, not as a selection
    if item_id is not None:
        try:
            boards.toggle_vote(ctx.store, ctx.actor, item_id)
        except OrgKitError as exc:
            st.toast(escape(exc), icon=":material/block:")


# What an author reads about each of their own items.
OWN_STATUS = {board_model.SHOWN: "on the board", board_model.PENDING: "waiting for the facilitator's approval",
              board_model.HIDDEN: "hidden by the facilitator", board_model.MERGED: "merged into a similar item"}


def _act(action, *args) -> None:
    """Run a core action from a button callback; keep its message for the next draw."""
    try:
        action(*args)
    except OrgKitError as exc:
        st.session_state["board_message"] = str(exc)


def _act_on(widget_key: str, action, *args) -> None:
    """Like _act, with the widget's value as the last argument, read when the button is clicked.

    A value bound into `args` is the one the page was drawn with: a field typed into and then
    left by clicking the button arrives in the same run as the click, after args were bound."""
    _act(action, *args, st.session_state[widget_key])


def _own_items(ctx: Context, snap: Snapshot, own: board_model.Own) -> None:
    if message := st.session_state.pop("board_message", None):
        st.warning(escape(message))
    if not own.items:
        return
    # Plain HTML, escaped: participant text is never Markdown, not even on its author's phone.
    st.html('<div class="ok-own"><b>Your items</b><ul>' + "".join(
        f"<li>{html.escape(item.text)} · <i>{OWN_STATUS[item.status]}</i></li>"
        for item in own.items) + "</ul></div>")
    now = time.time()
    for item in own.items:
        if item.status not in (board_model.SHOWN, board_model.PENDING) or \
                now - item.created_at >= board_model.EDIT_WINDOW_S:
            continue
        with st.expander(f"Change or withdraw ({board_model.EDIT_WINDOW_MINUTES} minutes): "
                         f"{escape(item.text[:40])}", key=f"own_{item.id}"):
            st.text_input("Edit your item", value=item.text, key=f"edit_{item.id}")
            save, withdraw = st.columns(2)
            save.button("Save", key=f"save_{item.id}", on_click=_act_on, width="stretch",
                        args=(f"edit_{item.id}", boards.edit_item, ctx.store, ctx.actor, item.id))
            withdraw.button("Withdraw", key=f"withdraw_{item.id}", on_click=_act, width="stretch",
                            args=(boards.withdraw_item, ctx.store, ctx.actor, item.id))


# -- the facilitator -----------------------------------------------------------------------------

WATCH_S = 3  # how often an open facilitator screen checks the board's revision


def facilitator_section(ctx: Context) -> None:
    """The board part of the facilitator page: create boards, then run and moderate one.

    Everything under the Board picker comes from one snapshot at one revision, and
    _facilitator_watch redraws the page when the revision moved: a vote, an item, a change
    made in another tab. Widgets whose value mirrors the board (a theme's name, a reveal
    decision, an item's theme) have that value in their key, so a redraw shows the new value
    instead of the one typed or picked on the stale screen."""
    st.subheader("Brainstorm boards")
    all_boards = boards.boards_for(ctx.store, ctx.actor)
    # Expanders are keyed: sections above them come and go with the board (a queue, the
    # grouping form), and an unkeyed expander that moves is drawn anew, closed.
    with st.expander("Create a board", expanded=not all_boards, key="fac_create_board"):
        _create_form(ctx)
    if not all_boards:
        return
    ids = [b.id for b in reversed(all_boards)]
    chosen = st.selectbox("Board", ids, key=_board_key(),
                          format_func={b.id: b.prompt for b in all_boards}.get)
    try:
        snap = boards.snapshot(ctx.store, chosen, ctx.actor)
    except OrgKitError as exc:  # deleted in another tab since the list was read
        show_error(exc)
        return
    board = snap.board
    st.page_link("pages/2_projector.py", label="Open this board on the projector",
                 icon=":material/present_to_all:",
                 query_params={**ctx.link_params(), "board": str(board.id)})
    if message := st.session_state.pop("board_message", None):
        st.warning(escape(message))
    if done := st.session_state.pop("board_done", None):
        st.success(escape(done))
    board_controls(ctx, board, poll=False)
    _queue(ctx, snap)
    _grouping(ctx, snap)
    _item_tools(ctx, snap)
    _themes(ctx, snap)
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
        prompt = st.text_input("Prompt", key=f"{form}_prompt",
                               placeholder="What are key characteristics of community organizing?")
        notes = st.text_area("Reference notes (one point a line; shown only when you reveal them)",
                             key=f"{form}_notes")
        anonymous = st.checkbox("Anonymous (no names shown or kept with the items)",
                                key=f"{form}_anonymous")
        votes = st.number_input("Votes per participant", 0, board_model.VOTES_MAX,
                                board_model.VOTES_DEFAULT, key=f"{form}_votes")
        moderation = st.radio("Moderation", list(MODERATION), format_func=MODERATION.get,
                              horizontal=True, key=f"{form}_moderation")
        limit = st.number_input("Item length limit (characters)", board_model.ITEM_LIMIT_MIN,
                                board_model.ITEM_LIMIT_MAX, board_model.ITEM_LIMIT_DEFAULT,
                                key=f"{form}_item_limit")
        if st.form_submit_button("Create board", type="primary", key=f"{form}_submit"):
            values = (prompt, notes, anonymous, votes, moderation, limit)
            try:
                board = boards.create_board(
                    ctx.store, ctx.actor, prompt, reference_notes=notes, anonymous=anonymous,
                    votes_per_participant=votes, moderation=moderation, item_limit=limit,
                    idempotency_key=submission_key("create_board", values))
            except OrgKitError as exc:
                show_error(exc)
            else:
                # Not by dropping the select's state: that leaves the browser showing the old
                # board while the tools below belong to the new one.
                _show_board(board.id)
                st.session_state["create_board_made"] = made + 1
                st.rerun()


def board_controls(ctx: Context, board: Board, *, poll: bool = True) -> None:
    """Phase, timer, lock and reveal: on the facilitator page and on an unlocked projector.

    On the projector (poll) a fragment reads the board again every WATCH_S seconds, so the lock
    and reveal labels and the phase follow changes made in another tab. The facilitator page
    draws them with the page, which its own revision watch redraws (one poll, not two: every
    timed rerun is a moment a click can land in)."""
    if poll:
        _controls_live(ctx, board.id)
    else:
        _controls(ctx, board)


@st.fragment(run_every=WATCH_S)
def _controls_live(ctx: Context, board_id: int) -> None:
    try:
        board = boards.get_board(ctx.store, ctx.actor, board_id)
    except OrgKitError:
        st.warning("This board was deleted.")
        return
    # A refused tap here reruns only this fragment: its message is shown here.
    if message := st.session_state.pop("board_message", None):
        st.warning(escape(message))
    _controls(ctx, board)


def _controls(ctx: Context, board: Board) -> None:
    key = f"ctl{board.id}"
    store, actor = ctx.store, ctx.actor
    # The phase is part of the key, so a change made elsewhere redraws the control with it; the
    # callback fires only when this person taps, never on a redraw.
    phase_key = f"{key}_phase_{board.phase}"
    st.segmented_control("Phase", list(PHASES), format_func=PHASES.get, default=board.phase,
                         key=phase_key, on_change=lambda: st.session_state[phase_key] and _act(
                             boards.set_phase, store, actor, board.id, st.session_state[phase_key]))
    minutes_col, start_col, stop_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    minutes_col.number_input("Timer minutes", board_model.TIMER_MIN_MINUTES,
                             board_model.TIMER_MAX_MINUTES, board_model.TIMER_DEFAULT_MINUTES,
                             key=f"{key}_min")
    start_col.button("Start timer", key=f"{key}_start", on_click=_act_on,
                     args=(f"{key}_min", boards.start_timer, store, actor, board.id))
    stop_col.button("Stop timer", key=f"{key}_stop", on_click=_act,
                    args=(boards.stop_timer, store, actor, board.id))
    lock_col, counts_col, reveal_col = st.columns(3)
    # The state is in the key and the args: the button drawn "Lock" can only lock.
    lock_col.button("Open the board" if board.locked else "Lock the board",
                    key=f"{key}_lock_{board.locked}", on_click=_act,
                    args=(boards.set_locked, store, actor, board.id, not board.locked))
    counts_col.button("Show vote counts" if board.votes_hidden else "Hide vote counts",
                      key=f"{key}_counts_{board.votes_hidden}", on_click=_act,
                      args=(boards.set_votes_hidden, store, actor, board.id, not board.votes_hidden))
    if board.reference_points:
        reveal_col.button("Hide the reference notes" if board.revealed else "Reveal the reference notes",
                          key=f"{key}_reveal_{board.revealed}", on_click=_act,
                          args=(boards.set_revealed, store, actor, board.id, not board.revealed))


def _cut(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _label(item: board_model.Item, limit: int = 70) -> str:
    # Selectbox options are drawn as plain text (unlike their labels, radio and pills options), so
    # user text needs no Markdown escaping here: escaping would show the backslashes.
    return f"{_cut(item.text, limit)} ({board_model.vote_count(item.votes)}, {OWN_STATUS[item.status]})"


def _queue(ctx: Context, snap: Snapshot) -> None:
    waiting = snap.with_status(board_model.PENDING)
    if snap.board.moderation != "approval" and not waiting:
        return
    st.markdown(f"**Waiting for approval: {len(waiting)}**")
    for item in waiting:
        text_col, approve_col, hide_col = st.columns([4, 1, 1], vertical_alignment="center")
        text_col.text(item.text)
        approve_col.button("Approve", key=f"approve_{item.id}", on_click=_act,
                           args=(boards.approve_item, ctx.store, ctx.actor, item.id))
        hide_col.button("Hide", key=f"qhide_{item.id}", on_click=_act,
                        args=(boards.hide_item, ctx.store, ctx.actor, item.id))


# -- grouping: a pick per item, a theme per group ------------------------------------------------

def _group_keys(board_id: int) -> tuple[str, str]:
    return f"group_items_{board_id}", f"group_theme_{board_id}"


def _group(ctx: Context, board_id: int, item_ids: tuple[int, ...] | None = None,
           theme: str | None = None) -> None:
    """File the picked items (or a suggestion's) under the theme picked or typed."""
    items_key, theme_key = _group_keys(board_id)
    if item_ids is None:
        item_ids, theme = st.session_state.get(items_key) or [], st.session_state.get(theme_key)
    try:
        boards.group_items(ctx.store, ctx.actor, board_id, list(item_ids), theme)
    except OrgKitError as exc:
        st.session_state["board_message"] = str(exc)
        return
    st.session_state[items_key], st.session_state[theme_key] = [], ""
    st.session_state["board_done"] = f"Grouped {len(item_ids)} under “{theme}”."


def _edit_suggestion(board_id: int, group: board_model.SuggestedGroup) -> None:
    items_key, theme_key = _group_keys(board_id)
    st.session_state[items_key], st.session_state[theme_key] = list(group.item_ids), group.name


def _grouping(ctx: Context, snap: Snapshot) -> None:
    """Pick several items, then one theme (picked or typed): one action per item and two per
    group, on a laptop and on a phone alike. Suggested groups take one tap to accept."""
    shown = snap.shown()
    if not shown:
        return
    board_id = snap.board.id
    themes = dict(snap.themes)
    # Ungrouped first; the label has no vote count, so a vote elsewhere does not change it
    # while the list is open.
    ordered = sorted(shown, key=lambda i: i.theme_id is not None)
    label = {i.id: _cut(i.text) + (f" · in {themes[i.theme_id]}" if i.theme_id in themes else "")
             for i in ordered}
    loose = sum(i.theme_id is None for i in shown)
    st.markdown(f"**Group items into themes** · {loose} of {len(shown)} not in a theme")
    items_key, theme_key = _group_keys(board_id)
    picked = st.session_state.get(items_key) or []
    if any(i not in label for i in picked):  # drop picks that left the board meanwhile
        st.session_state[items_key] = [i for i in picked if i in label]
    with st.form(f"group_{board_id}", border=False):
        st.multiselect("Items", list(label), format_func=label.get, key=items_key,
                       placeholder="Pick the items that belong together")
        # Typed, not picked: Enter sends the form, so a group costs its picks and three
        # actions (tap, type, Enter). An existing theme's name (any case) files there.
        st.text_input("Theme for these items", key=theme_key,
                      placeholder="Type a new theme or an existing one's name",
                      help="Themes so far: " + ", ".join(escape(t) for t in themes.values())
                      if themes else None)
        st.form_submit_button("Group", type="primary", on_click=_group, args=(ctx, board_id),
                              key=f"group_{board_id}_submit")
    suggestions = board_model.suggest_groups(snap)
    if suggestions:
        with st.expander(f"Suggested groups ({len(suggestions)}): items that share a word",
                         expanded=True, key=f"fac_suggest_{board_id}"):
            texts = {i.id: i.text for i in shown}
            for group in suggestions:
                text_col, accept_col, edit_col = st.columns([4, 1, 1], vertical_alignment="center")
                text_col.markdown(f"**{escape(group.name)}** · " + " · ".join(
                    escape(_cut(texts[i], 40)) for i in group.item_ids))
                key = f"suggest_{board_id}_{group.name}_{'_'.join(map(str, group.item_ids))}"
                accept_col.button("Accept", key=key + "_ok", on_click=_group,
                                  args=(ctx, board_id, group.item_ids, group.name),
                                  width="stretch")
                edit_col.button("Edit", key=key + "_edit", on_click=_edit_suggestion,
                                args=(board_id, group), width="stretch")


def _item_tools(ctx: Context, snap: Snapshot) -> None:
    items = [item for item in snap.items if item.status in (board_model.SHOWN, board_model.HIDDEN)]
    st.markdown(f"**Items: {len(snap.shown())} shown, {len(snap.with_status(board_model.HIDDEN))} hidden**")
    _merged(ctx, snap)
    if not items:
        return
    by_id = {item.id: item for item in items}
    chosen = st.selectbox("Item to moderate", list(by_id), format_func=lambda i: _label(by_id[i]),
                          key=f"mod_item_{snap.board.id}")
    item = by_id[chosen]
    store, actor = ctx.store, ctx.actor
    hide_col, pin_col = st.columns(2)
    # Keys carry the item and its state: a button drawn for one item and state acts on them only.
    state = f"{item.id}_{item.status}_{item.pinned}"
    if item.status == board_model.HIDDEN:
        hide_col.button("Unhide", key=f"mod_unhide_{state}", on_click=_act,
                        args=(boards.unhide_item, store, actor, item.id))
    else:
        hide_col.button("Hide", key=f"mod_hide_{state}", on_click=_act,
                        args=(boards.hide_item, store, actor, item.id))
    pin_col.button("Unpin" if item.pinned else "Pin", key=f"mod_pin_{state}", on_click=_act,
                   args=(boards.pin_item, store, actor, item.id, not item.pinned))
    themes = {None: "(no theme)", **dict(snap.themes)}
    theme_col, theme_btn = st.columns([3, 1], vertical_alignment="bottom")
    # Keyed by the item and its theme: another item, or this one filed elsewhere, starts from
    # its own current theme instead of the last one picked.
    theme_key = f"mod_theme_{item.id}_{item.theme_id}"
    theme_col.selectbox("Theme", list(themes), format_func=themes.get,
                        index=list(themes).index(item.theme_id), key=theme_key)
    theme_btn.button("Put in theme", key=f"mod_theme_go_{item.id}", on_click=_act_on,
                     args=(theme_key, boards.assign_theme, store, actor, item.id))
    others = [other for other in items if other.id != item.id]
    if others:
        merge_col, merge_btn = st.columns([3, 1], vertical_alignment="bottom")
        merge_col.selectbox("Merge this item into (votes combine)", [o.id for o in others],
                            key=f"mod_merge_{item.id}", format_func=lambda i: _label(by_id[i]))
        merge_btn.button("Merge", key=f"mod_merge_go_{item.id}", on_click=_act_on,
                         args=(f"mod_merge_{item.id}", boards.merge_items, store, actor, item.id))
    _promotion(ctx, item)


def _merged(ctx: Context, snap: Snapshot) -> None:
    """Undo a merge: the merged items, each with the item it went into."""
    merged = snap.with_status(board_model.MERGED)
    if not merged:
        return
    texts = {item.id: item.text for item in snap.items}
    with st.expander(f"Merged items ({len(merged)}): undo a merge",
                     key=f"fac_merged_{snap.board.id}"):
        for item in merged:
            text_col, undo_col = st.columns([4, 1], vertical_alignment="center")
            text_col.text(f"{_cut(item.text, 50)} → into {_cut(texts.get(item.merged_into, ''), 50)}")
            undo_col.button("Undo merge", key=f"unmerge_{item.id}", on_click=_act,
                            args=(boards.unmerge_item, ctx.store, ctx.actor, item.id))


def _promote(ctx: Context, item_id: int, keys: tuple[str, str, str]) -> None:
    """Add the item to the map with the name and level shown in the fields (read when clicked)."""
    map_id, level, name = (st.session_state.get(k) for k in keys)
    try:
        boards.promote_item(ctx.store, ctx.actor, item_id, map_id, level, name)
    except OrgKitError as exc:
        st.session_state["board_message"] = str(exc)
        return
    st.session_state["board_done"] = f"Added “{name}” to the map as a new entry."


def _promotion(ctx: Context, item: board_model.Item) -> None:
    """Promote the item into a team map: the entry's name (editable) and level (suggested by
    the item's words, or left for the facilitator to choose), and what will be created."""
    team_maps = {m["id"]: m["name"] for m in maps.team_maps(ctx.store, ctx.actor)}
    if not team_maps:
        return
    st.markdown("**Promote this item to a team map**")
    keys = (f"promote_map_{item.id}", f"promote_level_{item.id}", f"promote_name_{item.id}")
    map_col, level_col = st.columns(2)
    map_id = map_col.selectbox("Team map", list(team_maps), format_func=team_maps.get,
                               key=keys[0])
    suggested = board_model.suggest_level(item.text)
    level = level_col.selectbox(
        "Level", list(LEVELS), format_func=LEVELS.get, key=keys[1],
        index=None if suggested is None else list(LEVELS).index(suggested),
        placeholder="Choose a level")
    name = st.text_input("Entry name", value=board_model.entry_name_for(item.text), key=keys[2])
    if level is None:
        st.caption("The item's words suggest no level: choose one.")
    else:
        st.caption(f"Will add “{escape(name.strip())}” to {escape(team_maps[map_id])} as "
                   f"{LEVELS[level]} (stage: identified).")
    st.button("Add to the map", key=f"promote_go_{item.id}", on_click=_promote,
              args=(ctx, item.id, keys), disabled=level is None or not name.strip())


def _themes(ctx: Context, snap: Snapshot) -> None:
    counts = {theme_id: 0 for theme_id, _ in snap.themes}
    for item in snap.shown():
        if item.theme_id in counts:
            counts[item.theme_id] += 1
    with st.expander(f"Themes ({len(snap.themes)}): create, rename, un-group, delete",
                     key=f"fac_themes_{snap.board.id}"):
        with st.form(f"new_theme_{snap.board.id}", clear_on_submit=True, border=False):
            name = st.text_input("New theme", key=f"new_theme_{snap.board.id}_name")
            if st.form_submit_button("Create theme", key=f"new_theme_{snap.board.id}_submit"):
                _act(boards.create_theme, ctx.store, ctx.actor, snap.board.id, name)
                st.rerun()
        args = (ctx.store, ctx.actor, snap.board.id)
        for theme_id, current in snap.themes:
            # The name is in the key: a rename made elsewhere redraws the field with it.
            field = f"theme_{theme_id}_{current}"
            name_col, rename_col, ungroup_col, delete_col = st.columns(
                [3, 1, 1, 1], vertical_alignment="bottom")
            name_col.text_input(f"Theme name ({_items_count(counts[theme_id])})", value=current,
                                key=field)
            rename_col.button("Rename", key=f"rename_{theme_id}", on_click=_act_on,
                              args=(field, boards.rename_theme, *args, theme_id))
            ungroup_col.button("Un-group", key=f"ungroup_{theme_id}", on_click=_act,
                               args=(boards.ungroup_theme, *args, theme_id),
                               disabled=not counts[theme_id])
            delete_col.button("Delete", key=f"delete_theme_{theme_id}", on_click=_act,
                              args=(boards.delete_theme, *args, theme_id))


def _items_count(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _reveal(ctx: Context, snap: Snapshot) -> None:
    if not snap.reveal:
        return
    shown = {item.id: item for item in snap.shown()}
    choices = [None, *shown]
    with st.expander("Reveal: which reference points did the group raise?",
                     key=f"fac_reveal_{snap.board.id}"):
        st.caption("Suggested by shared words. Confirm or correct each point.")
        for point in snap.reveal:
            current = point.item_id if point.raised and point.item_id in shown else None
            pick_col, save_col = st.columns([4, 1], vertical_alignment="bottom")
            # The current answer is in the key: a decision or a new suggestion made since the
            # page was drawn redraws the select with it, so Confirm saves what it shows.
            pick_key = f"reveal_{snap.board.id}_{point.number}_{current}_{point.confirmed}"
            pick_col.selectbox(
                escape(point.text) + ("" if point.confirmed else " (suggestion)"), choices,
                index=choices.index(current), key=pick_key,
                format_func=lambda i: "Not raised" if i is None else _cut(shown[i].text))
            save_col.button("Confirm", key=f"reveal_ok_{snap.board.id}_{point.number}",
                            on_click=_act_on, args=(pick_key, boards.decide_match, ctx.store,
                                                    ctx.actor, snap.board.id, point.number))


def _export_and_delete(ctx: Context, snap: Snapshot) -> None:
    name = f"board-{snap.board.id}"
    # Each file is built only when its button is clicked, not on every rerun of this view.
    for column, (label, build, ext, mime) in zip(st.columns(3), [
            ("Export CSV", board_export.to_csv, "csv", "text/csv"),
            ("Export XLSX", board_export.to_xlsx, "xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("Export summary (HTML)", board_export.to_html, "html", "text/html")]):
        column.download_button(label, functools.partial(build, snap), f"{name}.{ext}", mime,
                               on_click="ignore", icon=":material/download:",
                               key=f"export_{ext}_{snap.board.id}")
    with st.expander("Reset votes or delete this board", key=f"fac_danger_{snap.board.id}"):
        st.button("Reset all votes", key=f"reset_{snap.board.id}", on_click=_act,
                  args=(boards.reset_votes, ctx.store, ctx.actor, snap.board.id))
        with st.form(f"delete_{snap.board.id}", border=False):
            st.text_input(f"Type {board_model.DELETE_WORD} to delete the board and its items",
                          key=f"delete_word_{snap.board.id}")
            st.form_submit_button("Delete board", on_click=_delete_board,
                                  args=(ctx, snap.board.id), key=f"delete_{snap.board.id}_submit")


def _delete_board(ctx: Context, board_id: int) -> None:
    """Delete, then show the newest board left (a new select: see _show_board)."""
    try:
        boards.delete_board(ctx.store, ctx.actor, board_id,
                            st.session_state.get(f"delete_word_{board_id}"))
    except OrgKitError as exc:
        st.session_state["board_message"] = str(exc)
        return
    _show_board(None)  # the newest board left
    st.session_state["board_done"] = "Board deleted."
