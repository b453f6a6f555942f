"""The commitments step: what each person will do next, with whom, by when.

- Phone: the commitment form, then the person's own list (edit, delete) and "add to my
  calendar" (an .ics). The form's fields are plain widgets, not an `st.form`: a field's value
  reaches the server when it leaves the field, and each value is also kept under a key of its
  own (`_keep`), so what was typed survives every poll and a step change (a widget that is not
  drawn in a run loses its state; the kept copy brings it back when the form is drawn again).
  Save and Edit act in callbacks, before the form is drawn, so they can fill or empty it.
  Targets are 48 px; the fields are full width at 360 px.
- Projector: counts by kind and the next dates (commitments.service.room: built once per change
  and shared), a name only where the person chose to show it; never "with whom".
- Facilitator: every commitment, with names, and their count.
"""
from __future__ import annotations

import datetime as dt
import html
import time

import streamlit as st

from ..commitments import model as commitment_model
from ..commitments import service as commitments
from ..commitments.ics import title
from ..domain import LEVELS, OrgKitError
from ..i18n import _, format_date, ngettext
from ..map import service as maps
from ..markdown import escape
from ..session.model import Step
from .forms import error_text, submission_key
from .identity import Context

FIELDS = ("kind", "other_text", "entry_id", "with_whom", "due_on", "name", "show_name")
KEY = "commit_{}".format  # the form's widget keys: stable, so a poll never resets them
EDITING = "commit_editing"  # the id of the commitment being edited (None: a new one)
ANSWER = "commit_answer"  # the last save's confirmation or error, shown beside Save
SAVED_AT = "commit_saved_at"
CALENDAR = "commit_calendar"  # (what it was made from, the .ics bytes)
DOUBLE_TAP_S = 3  # a second tap of Save this soon after a save, on the emptied form, is ignored
DEFAULT_DAYS = 7  # "by when" starts a week ahead
REDRAW = "commit_redraw"  # the list changed what the form shows: rerun the page, not the poll

STEP_CSS = """<style>
.st-key-commit_form button, .st-key-commit_mine button, .st-key-commit_mine a
  {min-height:48px}
.st-key-commit_form input, .st-key-commit_form [data-testid=stSelectbox] [role=group]
  {min-height:48px; font-size:18px}
.st-key-commit_form label p {font-size:17px}
.st-key-commit_show_name label {min-height:48px; align-items:center}
.ok-commit {font-size:17px; margin:4px 0; overflow-wrap:anywhere}
</style>"""


# -- what the form keeps ---------------------------------------------------------------------

def _keep(name: str, default: object) -> str:
    """The widget key of a field, its state brought back from the kept copy when the widget
    was not drawn in the last run (a step change, an edit of another commitment)."""
    key, kept = KEY(name), f"_keep_{KEY(name)}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(kept, default)
    return key


def _remember() -> None:
    """Copy every field's value where a run that does not draw the form leaves it alone."""
    for name in FIELDS:
        if KEY(name) in st.session_state:
            st.session_state[f"_keep_{KEY(name)}"] = st.session_state[KEY(name)]


def _fill(values: dict) -> None:
    for name in FIELDS:
        st.session_state[KEY(name)] = st.session_state[f"_keep_{KEY(name)}"] = values[name]


def _blank() -> dict:
    return {"kind": None, "other_text": "", "entry_id": None, "with_whom": "",
            "due_on": dt.date.today() + dt.timedelta(days=DEFAULT_DAYS),
            "name": st.session_state.get(f"_keep_{KEY('name')}", ""),
            "show_name": st.session_state.get(f"_keep_{KEY('show_name')}", False)}


def _typed() -> dict:
    return {name: st.session_state.get(KEY(name)) for name in FIELDS}


# -- phone -------------------------------------------------------------------------------------

def phone_form(ctx: Context, step: Step) -> None:
    """The commitment form, drawn by the room outside the phone's poll and kept mounted (hidden)
    on other steps, so a step change never takes away what is being typed (orgkit.ui.room)."""
    if ctx.actor.participant_id is not None:
        st.html(STEP_CSS)
        form(ctx, commitments.entry_choices(ctx.store, ctx.actor))


def phone(ctx: Context, step: Step) -> None:
    """Under the form: the person's own commitments and their calendar file."""
    if ctx.actor.participant_id is None:
        st.info(_("Join the workshop with its code to make a commitment."))
        return
    own_list(ctx, editable=True)
    # Edit (in this poll's fragment) filled the form, which is drawn outside it: draw it again.
    if st.session_state.pop(REDRAW, False):
        st.rerun()


def form(ctx: Context, entries: list[dict] | None) -> None:
    editing = st.session_state.get(EDITING)
    with st.container(key="commit_form"):
        st.subheader(_("Change your commitment") if editing else _("What will you do next?"))
        kinds = list(commitment_model.KINDS)
        st.selectbox(_(commitment_model.KIND), kinds, key=_keep("kind", None),
                     format_func=lambda k: _(commitment_model.KINDS[k]),
                     placeholder=_("Choose one"))
        st.text_input(_("If something else: what, in a few words"), key=_keep("other_text", ""))
        if entries:
            by_id = {e["id"]: e for e in entries}
            if st.session_state.get(KEY("entry_id")) not in by_id:
                st.session_state[KEY("entry_id")] = None
            st.selectbox(_("With whom on your team's map"), list(by_id),
                         key=_keep("entry_id", None), placeholder=_("Someone not on the map"),
                         format_func=lambda i: _("{name} ({level})", name=by_id[i]["name"],
                                                 level=_(LEVELS[by_id[i]["level"]])))
        st.text_input(_("With whom") if not entries else _("Or someone not on the map"),
                      key=_keep("with_whom", ""))
        today = dt.date.today()
        st.date_input(_(commitment_model.DUE_ON), key=_keep("due_on", _blank()["due_on"]),
                      min_value=today,
                      max_value=today + dt.timedelta(days=commitment_model.DUE_DAYS_MAX))
        st.text_input(_("Your name (optional)"), key=_keep("name", ""))
        st.checkbox(_("Show my name on the screen"), key=_keep("show_name", False))
        with st.container(horizontal=True, vertical_alignment="center"):
            st.button(_("Save my commitment"), type="primary", key="commit_save",
                      on_click=_save, args=(ctx, editing))
            if editing:
                st.button(_("Cancel"), key="commit_cancel", on_click=_cancel)
        answer = st.session_state.get(ANSWER)
        if answer:
            (st.success if answer[0] == "ok" else st.error)(escape(answer[1]))
    _remember()


def _save(ctx: Context, editing: int | None) -> None:
    values = _typed()
    if values["kind"] is None and time.time() - st.session_state.get(SAVED_AT, 0) < DOUBLE_TAP_S:
        return  # the second tap of a double tap, on the form the first one emptied
    raw = {**values, "entry_id": values["entry_id"] or None,
           "with_whom": values["with_whom"] if not values["entry_id"] else ""}
    try:
        if editing:
            commitments.update(ctx.store, ctx.actor, editing, raw)
        else:
            commitments.add(ctx.store, ctx.actor, raw,
                            submission_key("commitment", tuple(sorted(map(str, raw.items())))))
    except OrgKitError as exc:
        st.session_state[ANSWER] = ("error", error_text(exc))
        return
    st.session_state[ANSWER] = ("ok", _("Saved. It is in your list below."))
    st.session_state[SAVED_AT] = time.time()
    st.session_state[EDITING] = None
    _fill(_blank())


def _cancel() -> None:
    st.session_state[EDITING] = None
    st.session_state[ANSWER] = None
    _fill(_blank())


def _edit(row: dict) -> None:
    st.session_state[REDRAW] = True
    st.session_state[EDITING] = row["id"]
    st.session_state[ANSWER] = None
    _fill({"kind": row["kind"], "other_text": row["other_text"], "entry_id": row["entry_id"],
           "with_whom": "" if row["entry_id"] else row["with_whom"],
           "due_on": dt.date.fromisoformat(row["due_on"]), "name": row["name"],
           "show_name": bool(row["show_name"])})


def _delete(ctx: Context, commitment_id: int) -> None:
    try:
        commitments.delete(ctx.store, ctx.actor, commitment_id)
    except OrgKitError as exc:
        st.session_state[ANSWER] = ("error", error_text(exc))
        return
    if st.session_state.get(EDITING) == commitment_id:
        _cancel()
        st.session_state[REDRAW] = True


def describe(row: dict, language: str) -> str:
    """"Dec 14, 2026 · One-on-one with Ana Ruiz" in the reader's language, as plain text."""
    return _("{date} · {what}", date=format_date(row["due_on"]), what=title(row, language))


def own_list(ctx: Context, *, editable: bool) -> None:
    """The person's own commitments (edit and delete on the commitments step) and the .ics."""
    rows = commitments.mine(ctx.store, ctx.actor)
    with st.container(key="commit_mine"):
        st.subheader(_("My commitments"))
        if not rows:
            st.caption(_("None yet."))
            return
        for row in rows:
            st.html(f'<p class="ok-commit">{html.escape(describe(row, ctx.language))}</p>')
            if editable:
                with st.container(horizontal=True):
                    st.button(_("Edit"), key=f"commit_edit_{row['id']}", on_click=_edit,
                              args=(row,), icon=":material/edit:")
                    # Behind a second tap: a stray tap in a crowded room deletes nothing.
                    with st.popover(_("Delete"), icon=":material/delete:",
                                    key=f"commit_delete_menu_{row['id']}"):
                        st.button(_("Yes, delete it"), key=f"commit_delete_{row['id']}",
                                  on_click=_delete, args=(ctx, row["id"]), type="primary")
        st.download_button(_("Add to my calendar (.ics)"), key="commit_ics",
                           data=_calendar(ctx, rows), file_name="my-commitments.ics",
                           mime="text/calendar", on_click="ignore", icon=":material/event:",
                           width="stretch")


def _calendar(ctx: Context, rows: list[dict]) -> bytes:
    """The person's .ics as bytes, made again only when their commitments or language change.
    Bytes, not a callable built on the click: a poll that reruns the fragment between the tap
    and the download would cancel a deferred one (seen in Chromium)."""
    version = (ctx.language, tuple((row["id"], row["updated_at"]) for row in rows))
    kept = st.session_state.get(CALENDAR)
    if kept is None or kept[0] != version:
        kept = (version, commitments.calendar_file(ctx.store, ctx.actor, ctx.language))
        st.session_state[CALENDAR] = kept
    return kept[1]


# -- projector ---------------------------------------------------------------------------------

ROOM_CSS = """<style>
.ok-room {font-family:sans-serif; display:grid; grid-template-columns:1fr 1fr; gap:2vw}
.ok-room .ok-total {font-size:clamp(40px, 9vh, 140px); font-weight:700; line-height:1}
.ok-room .ok-label {font-size:clamp(18px, 3vh, 44px)}
.ok-room li {font-size:clamp(16px, 2.6vh, 38px); margin:.4vh 0; list-style:none}
.ok-room ul {padding:0; margin:1vh 0}
.ok-room .ok-n {display:inline-block; min-width:2.2em; font-weight:700;
  font-variant-numeric:tabular-nums}
</style>"""


def room_html(view: commitment_model.RoomView, *, next_dates: bool = True) -> str:
    """The room's commitments as a shared screen shows them: kinds and dates, a name only where
    the person chose to show it (escaped), never "with whom" or a typed text."""
    kinds = "".join(f'<li><span class="ok-n">{n}</span>'
                    f'{html.escape(_(commitment_model.KINDS.get(kind, kind)))}</li>'
                    for kind, n in view.by_kind[:8])
    label = html.escape(ngettext("commitment", "commitments", view.total))
    left = (f'<div><div class="ok-total">{view.total}</div><div class="ok-label">{label}</div>'
            f'<ul>{kinds}</ul></div>')
    if not next_dates:
        return ROOM_CSS + f'<div class="ok-room">{left}</div>'
    dates = "".join(
        f"<li>{html.escape(format_date(n.due_on))} · "
        f"{html.escape(_(commitment_model.KINDS.get(n.kind, n.kind)))}"
        f"{' · ' + html.escape(n.name) if n.name else ''}</li>" for n in view.next)
    coming, none = html.escape(_("Coming up")), html.escape(_("No dates yet."))
    right = f'<div><div class="ok-label">{coming}</div><ul>{dates or f"<li>{none}</li>"}</ul></div>'
    return ROOM_CSS + f'<div class="ok-room">{left}{right}</div>'


def room(ctx: Context) -> commitment_model.RoomView | None:
    """The room's shared view, or None (the reason shown) when this screen has no workshop."""
    try:
        return commitments.room(ctx.store, ctx.actor)
    except OrgKitError as exc:
        st.error(escape(error_text(exc)))
        return None


def projector(ctx: Context, step: Step) -> None:
    """Counts by kind and the next dates."""
    if (view := room(ctx)) is not None:
        st.html(room_html(view))


# -- facilitator -------------------------------------------------------------------------------

def facilitator(ctx: Context, step: Step) -> None:
    """Every commitment of the workshop, with the names people gave, and their count."""
    try:
        rows = commitments.of_workshop(ctx.store, ctx.actor)
        teams = {m["id"]: m["name"] for m in maps.team_maps(ctx.store, ctx.actor)}
    except OrgKitError as exc:
        st.error(escape(error_text(exc)))
        return
    people = len({row["participant_id"] for row in rows})
    st.markdown(ngettext("**{n} commitment** from {people} people",
                         "**{n} commitments** from {people} people", len(rows), people=people))
    if not rows:
        return
    st.dataframe([{_("By when"): row["due_on"], _("What"): title(row, ctx.language),
                   _("Name"): row["name"] or row["display_name"] or "—",
                   _("Shown"): bool(row["show_name"]),
                   _("Team"): teams.get(row["map_id"], "")} for row in rows],
                 hide_index=True, key="commit_all")
