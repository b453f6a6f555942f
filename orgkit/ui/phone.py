"""The phone screen: a participant joins by the QR code or a typed code and adds to the live
board.

Phones poll every PHONE_POLL_S seconds with one fragment that holds everything the room changes
(phase, timer, form, vote list, own items); it is drawn from the board service's shared
(board, revision) snapshot and labels, plus one small query for the phone's own items and votes
per revision, and never reruns the page.
"""
from __future__ import annotations

import functools
import html
import secrets
import time

import streamlit as st

from ..board import model as board_model
from ..board import service as boards
from ..board.model import Board, Snapshot
from ..board.phone_list import numbered
from ..bidi import isolate, isolate_html
from ..board.view import reveal_html
from ..domain import PHASES, OrgKitError, Role
from ..i18n import Message, _, msg, ngettext
from ..markdown import escape
from ..workshop import service as workshops
from .board_parts import ITEM_STATUS, act, act_on, chosen_board, show_board_message
from .forms import error_text, join_form, show_error
from .identity import Context, device
from . import room

PHONE_CSS = """<style>
.stButton button, .stFormSubmitButton button, .stDownloadButton button {min-height:48px}
/* Vote list and own items' chooser: each idea a full-width tap target of at least 48 px whose
   whole text wraps and starts at the left, at every level of the nested flex boxes Streamlit
   wraps a label in. */
.st-key-phone_items button, [class*="st-key-own_edit_"] button {min-height:48px; width:100%;
  border-radius:12px !important; padding:10px 14px !important; line-height:1.35 !important;
  height:auto !important}
.st-key-phone_items button, .st-key-phone_items button div, .st-key-phone_items button span,
.st-key-phone_items button p, [class*="st-key-own_edit_"] button,
[class*="st-key-own_edit_"] button div, [class*="st-key-own_edit_"] button span,
[class*="st-key-own_edit_"] button p {justify-content:flex-start; text-align:left;
  white-space:normal; overflow:visible; text-overflow:clip; font-size:17px}
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
   it says what happened and what to do, in the participant's words (connection_css). */
[data-testid=stDialog] section[role=dialog] h2, [data-testid=stDialog] section[role=dialog] h2 ~ div
  {font-size:0}
</style>"""


def _css_text(text: str) -> str:
    """Our text as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def connection_css() -> str:
    """The connection dialog's title and body, in the reader's words."""
    dialog = "[data-testid=stDialog] section[role=dialog] h2"
    title = _css_text(_("Connection lost"))
    body = _css_text(_("The phone lost its connection to the workshop (the venue Wi-Fi, or a "
                       "locked screen). Keep this page open: it comes back by itself, and what "
                       "you typed stays here."))
    return (f"<style>{dialog}::before {{content:{title}; font-size:22px}}\n"
            f"{dialog} ~ div::before {{font-size:17px; content:{body}}}</style>")


# A phone polls this often. A poll reruns only the phone's live fragment: one revision read, then
# elements drawn from the shared per-revision snapshot (a cache hit) and this phone's own part
# (one small query, kept per revision in its session), never a full page run.
PHONE_POLL_S = 10


def join_screen(ctx: Context) -> None:
    """No workshop yet: the join-code form; a right code opens the workshop on this page."""
    st.title(_("Join a workshop"))
    if (workshop := join_form(ctx, "join_code")) is not None:
        st.query_params["code"] = workshop.join_code
        st.rerun()


def screen(ctx: Context) -> None:
    """The workshop's board on a participant's phone; a phone that came by code as nobody yet
    gets an identity first."""
    st.title(escape(isolate(ctx.workshop.title)))
    # The board first: a bad `board` parameter stops the page before anyone joins.
    board = chosen_board(ctx)
    if ctx.role is Role.VISITOR:
        # Arrived by code (the QR) as nobody yet: give this phone an identity, remembered by its
        # browser and kept in the URL too, so a rescan, a reload or a dropped connection comes
        # back as the same participant.
        try:
            _w, ctx.actor, ctx.participant_token = workshops.join(
                ctx.store, ctx.workshop.join_code, device=device())
        except OrgKitError as exc:
            show_error(exc)
            return
        # Drawn again as who they are now: the sidebar (role, links) was drawn before the join.
        st.query_params["p"] = ctx.participant_token
        st.rerun()
    if ctx.participant_token and st.query_params.get("p") != ctx.participant_token:
        st.query_params["p"] = ctx.participant_token
    st.caption(_("Joined with code {code}.", code=ctx.workshop.join_code))
    # The room's step when the facilitator runs the session; the board otherwise (orgkit.ui.room).
    room.phone(ctx, board, phone)


def phone(ctx: Context, board: Board) -> None:
    """A participant's view: the prompt, an optional name, then the live part of the board."""
    st.html(PHONE_CSS + connection_css())
    _prompt(board.prompt_in(ctx.language))
    if board.anonymous:
        st.caption(_("This board is anonymous: your name is not shown with your items."))
    else:
        _name_form(ctx)
    # The board's own poll, unless the room's polls for this page (one poll per phone: room.py).
    live = _phone_live_polled if room.board_polls(board.id) else _phone_live_still
    live(ctx, board.id)


# A prompt longer than a 360 px phone's line of its type is one line with "…" until tapped, so
# the idea form and the vote list stay on the first screen.
PROMPT_LINE = 40
PROMPT_CSS = """<style>
.ok-prompt summary {font-size:1.35rem; font-weight:700; line-height:1.35; cursor:pointer;
  min-height:44px; padding:6px 0}
.ok-prompt:not([open]) summary {white-space:nowrap; overflow:hidden; text-overflow:ellipsis}
.ok-prompt .ok-more {font-size:15px; font-weight:400; color:#1f4e9c}
.ok-prompt[open] .ok-more {display:none}
</style>"""


def _prompt(prompt: str) -> None:
    """The board's prompt: a heading, or (when long) one line that opens to the whole text."""
    if len(prompt) <= PROMPT_LINE:
        st.markdown(f"## {escape(isolate(prompt))}")
        return
    more = html.escape(_("Tap to read the whole prompt"))  # outside the f-string, for Babel
    st.html(PROMPT_CSS + f'<details class="ok-prompt"><summary>{isolate_html(prompt)}'
            f'<br><span class="ok-more">{more}</span></summary></details>')


@st.fragment
def _name_form(ctx: Context) -> None:
    # A fragment: saving a name reruns these few elements, not the page.
    with st.expander(_("Your name (optional)"), key="your_name"):
        with st.form("display_name", border=False):
            name = st.text_input(_("Display name"), key="display_name_field")
            if st.form_submit_button(_("Save name"), key="display_name_save"):
                try:
                    workshops.set_display_name(ctx.store, ctx.actor, name)
                    st.success(_("Saved. New items show this name."))
                except OrgKitError as exc:
                    show_error(exc)


def _own(ctx: Context, board_id: int, revision: int) -> board_model.Own:
    """This phone's items and votes at the board's live revision: one query per revision, not per
    poll (every change to them bumps the revision)."""
    key = f"phone_own_{board_id}"
    kept = st.session_state.get(key)
    if kept is None or kept[0] != revision:
        kept = (revision, boards.own_activity(ctx.store, ctx.actor, board_id))
        st.session_state[key] = kept
    return kept[1]


def _phone_live(ctx: Context, board_id: int) -> None:
    """Everything on the phone that the room changes: phase, timer, the form while ideas are open,
    the vote list, the phone's own items. A poll, a vote and a send each rerun only this."""
    room.board_poll_watch(ctx)  # the session started or ended, the room left the board's step
    revision = boards.revision(ctx.store, board_id)
    if revision is None:
        st.warning(_("This board was deleted."))
        return
    own = _own(ctx, board_id, revision)
    seen = boards.view_revision(ctx.store, board_id, revision,
                                at_least=st.session_state.get(f"phone_voted_{board_id}", 0))
    snap = boards.shared_snapshot(ctx.store, board_id, seen)
    board = snap.board
    line = [_("**Phase: {phase}**", phase=_(PHASES[board.phase]))]
    if timer := board.timer_text():
        line.append(f"**{_(timer)}**")
    line.append(ngettext("{left} of {total} vote left", "{left} of {total} votes left",
                         board.votes_per_participant, left=own.votes_left(board),
                         total=board.votes_per_participant))
    st.markdown(" · ".join(line))
    note = board.closed_note()
    if note:
        st.info(_(note))
    else:
        _add_form(ctx, board)
    _vote_list(ctx, snap, own)
    _own_items(ctx, snap, own)
    if board.revealed and snap.reveal:
        st.html(reveal_html(snap.in_language(ctx.language), ctx.language))


# One body, two fragments with the same id (the same function at the same place on the page):
# drawn polling, or still while the room's fragment polls for the page (orgkit.ui.room.poller).
_phone_live_polled = st.fragment(_phone_live, run_every=PHONE_POLL_S)
_phone_live_still = st.fragment(_phone_live)


def _add_form(ctx: Context, board: Board) -> None:
    # Text refused while the form was hidden comes back (a hidden widget's state is dropped).
    if "idea_kept" in st.session_state:
        st.session_state["idea"] = st.session_state.pop("idea_kept")
    with st.form("add_item", border=False):
        st.text_input(_("Your idea"), placeholder=_("Type your idea"), key="idea")
        st.form_submit_button(_("Send"), type="primary", width="stretch", on_click=_send,
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
        item, _created = boards.add_item(ctx.store, ctx.actor, board_id, text, pending["key"])
    except OrgKitError as exc:
        st.session_state["idea_answer"] = (False, error_text(exc))
        st.session_state["idea_kept"] = text
        return
    st.session_state["idea"] = ""
    if item.status == board_model.PENDING:
        sent = _("Sent: “{text}”. It shows once the facilitator approves it.",
                 text=isolate(item.text))
    else:
        sent = _("Sent: “{text}”.", text=isolate(item.text))
    st.session_state["idea_answer"] = (True, sent)


def _vote_list(ctx: Context, snap: Snapshot, own: board_model.Own) -> None:
    """One tap-to-vote widget per theme group. A tap names the item the phone showed: the
    callback reads the option with the labels of the run that drew it, whatever moved since."""
    listed = boards.phone_labels(ctx.store, snap.board.id, snap.board.revision, ctx.language)
    if not listed.groups:
        st.caption(_("No ideas on the board yet."))
        return
    closed = snap.board.phase not in board_model.VOTE_PHASES or snap.board.locked
    groups = list(listed.groups)
    if extra := listed.voted_unlisted(own.votes):
        groups.append((msg("Your votes"), extra))
    if listed.listed < listed.total:
        if snap.board.phase in ("vote", "discuss"):
            st.caption(_("Showing the {n} most voted of {total} ideas; every idea is on the "
                         "projector.", n=listed.listed, total=listed.total))
        else:
            st.caption(_("Showing the {n} newest of {total} ideas; every idea is on the "
                         "projector.", n=listed.listed, total=listed.total))
    with st.container(key="phone_items"):
        for number, (name, ids) in enumerate(groups):
            key = f"vote_{snap.board.id}_{number}"
            st.pills(_group_label(name),
                     ids, format_func=functools.partial(listed.label, own.votes), key=key,
                     on_change=_vote_tapped, args=(ctx, snap.board.id, key), disabled=closed,
                     width="stretch")


def _group_label(name: Message | str | None) -> str:
    """A vote list's label: our words (a Message) in the reader's language, a theme's name as
    typed, isolated."""
    if isinstance(name, Message):
        return escape(_(name))
    if name:
        return escape(isolate(name))
    return _("Tap an idea to vote, tap again to take it back")


def _vote_tapped(ctx: Context, board_id: int, key: str) -> None:
    item_id = st.session_state[key]
    st.session_state[key] = None  # the list shows votes by their marks, not as a selection
    if item_id is not None:
        try:
            boards.toggle_vote(ctx.store, ctx.actor, item_id)
        except OrgKitError as exc:
            st.toast(escape(error_text(exc)), icon=":material/block:")
            return
        # The counts this phone reads next must include its vote (see boards.view_revision).
        st.session_state[f"phone_voted_{board_id}"] = boards.revision(ctx.store, board_id)


def _own_items(ctx: Context, snap: Snapshot, own: board_model.Own) -> None:
    show_board_message()
    if not own.items:
        return
    # Plain HTML, escaped: participant text is never Markdown, not even on its author's phone.
    # Our own words too: a translation is text, never markup.
    def ours(text: str) -> str:
        return html.escape(text, quote=False)

    heading = ours(_("Your items"))  # outside the f-string, where Babel's extractor sees it
    st.html(f'<div class="ok-own"><b>{heading}</b><ul>' + "".join(
        f"<li>{isolate_html(item.text)} · <i>{ours(_(ITEM_STATUS[item.status]))}</i></li>"
        for item in own.items) + "</ul></div>")
    now = time.time()
    editable = {item.id: item for item in own.items
                if item.status in (board_model.SHOWN, board_model.PENDING)
                and now - item.created_at < board_model.EDIT_WINDOW_S}
    if not editable:
        return
    # One chooser, and the edit box only for the item chosen: an expander per item in its window
    # sent seven elements per item on every poll, whether opened or not.
    minutes = board_model.EDIT_WINDOW_MINUTES
    key = f"own_edit_{snap.board.id}"
    taken: set[str] = set()
    labels = {i: numbered(escape(isolate(item.text[:40])), taken) for i, item in editable.items()}
    chosen = st.pills(ngettext("Change or withdraw ({n} minute)",
                               "Change or withdraw ({n} minutes)", minutes),
                      list(editable), format_func=labels.__getitem__, key=key, width="stretch")
    if chosen not in editable:
        return
    item = editable[chosen]
    st.text_input(_("Edit your item"), value=item.text, key=f"edit_{item.id}")
    save, withdraw = st.columns(2)
    save.button(_("Save"), key=f"save_{item.id}", on_click=_own_done, width="stretch",
                args=(key, act_on, f"edit_{item.id}", boards.edit_item, ctx.store, ctx.actor,
                      item.id))
    withdraw.button(_("Withdraw"), key=f"withdraw_{item.id}", on_click=_own_done,
                    width="stretch",
                    args=(key, act, boards.withdraw_item, ctx.store, ctx.actor, item.id))


def _own_done(chooser: str, action, *args) -> None:
    """Save or Withdraw: once done, close the edit box (the chooser shows nothing chosen); a
    refusal keeps it open with the text as typed."""
    if action(*args):
        st.session_state[chooser] = None
