"""The facilitator's agenda panel, at the top of the unlocked Facilitate page: the agenda with the
room's step, Start / Back / Next, the step's clock, the step's own controls, and the editor.

A move button carries the step it was pressed on and the step it goes to in its callback
arguments, and its key names the step it was drawn on: a second click that left the browser
before the first one's redraw names a button that no longer exists, and the core refuses a move
from a step the room already left (orgkit.session.service.move), so a double tap never skips a
step. Editor buttons carry the step they act on the same way; fields are read when the button is
clicked (board_parts.act_on). The clock is a small fragment ticking every second; a watch redraws
the page when another tab moved the room or edited the agenda.
"""
from __future__ import annotations

from collections.abc import Callable

import dataclasses
import json
import time
import zlib

import streamlit as st

from ..domain import OrgKitError
from ..i18n import _
from ..markdown import escape
from ..session import service as sessions
from ..session.agenda import STEP_MINUTES_MAX, Clock, clock, neighbours
from ..session.model import STEP_KINDS, Step
from ..stores import Store
from . import room, step_print
from .board_parts import WATCH_S, act, act_on, said, tell
from .forms import error_text
from .identity import Context

SLOT = "agenda_move"  # where what a move did is said, beside Back / Next
EXPORT_NAME, EXPORT_TYPE = "agenda.json", "application/json"


def panel(ctx: Context) -> Callable[[], None]:
    """The agenda and the room's step. Back / Next / End sit under the agenda's line, but the
    page draws them last, through the function this returns: each move makes them anew (their
    key holds the step they were drawn on, so a double tap cannot skip a step), and a click on
    a button whose first run has not ended yet is lost inside Streamlit, so they reach the
    browser when the rest of the page's run is done."""
    st.subheader(_("Session agenda"), anchor=False)
    steps = sessions.agenda(ctx.store, ctx.actor)
    now = sessions.room(ctx.store, ctx.workshop.id)
    current = next((step for step in steps if now and step.id == now.step_id), None)
    _agenda_line(ctx, steps, current)
    moves = st.container()
    if current is not None:
        _clock(current, now.started_at)
        with st.container(border=True, key="agenda_step_controls"):
            room.draw(ctx, current, "facilitator")
    # A toggle, not an expander: the editor's sixty-odd widgets are drawn only while it is open,
    # so the page the facilitator runs the room from stays quick.
    if st.toggle(_("Edit the agenda"), key="agenda_editing"):
        with st.container(border=True, key="agenda_editor"):
            _editor(ctx, steps, current)
            _files(ctx, steps)
    _watch(ctx.store, ctx.workshop.id, now.revision if now else -1)

    def draw_moves() -> None:
        with moves:
            _moves(ctx, steps, current)
    return draw_moves


def _agenda_line(ctx: Context, steps: list[Step], current: Step | None) -> None:
    """The steps in order, the room's one in bold."""
    parts = []
    for number, step in enumerate(steps, start=1):
        name = escape(room.title(step, ctx.language))
        parts.append(f"**{number}. {name}**" if step is current else f"{number}. {name}")
    st.markdown(" → ".join(parts) if parts else _("The agenda is empty: add a step below."))


def _moves(ctx: Context, steps: list[Step], current: Step | None) -> None:
    back, forward = neighbours(steps, current.id if current else None)
    here = current.id if current else None
    key = f"agenda_{here}"  # the step the buttons were drawn on
    back_col, next_col, end_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    if current is None:
        next_col.button(_("Start the session"), key=f"{key}_start", type="primary",
                        width="stretch", disabled=forward is None, icon=":material/play_arrow:",
                        on_click=_move, args=(ctx, None, forward and forward.id))
    else:
        back_col.button(_("Back"), key=f"{key}_back", width="stretch", disabled=back is None,
                        icon=":material/arrow_back:",
                        on_click=_move, args=(ctx, here, back and back.id))
        next_col.button(_("Next: {step}", step=escape(room.title(forward, ctx.language)))
                        if forward else _("Last step"), key=f"{key}_next", type="primary",
                        width="stretch", disabled=forward is None,
                        icon=":material/arrow_forward:",
                        on_click=_move, args=(ctx, here, forward and forward.id))
        end_col.button(_("End the session"), key=f"{key}_end", width="stretch",
                       help=_("The projector and the phones show the board again."),
                       on_click=_move, args=(ctx, here, None))
    said(SLOT)


def _move(ctx: Context, from_step: int | None, to_step: int | None) -> None:
    act(sessions.move, ctx.store, ctx.actor, from_step, to_step, slot=SLOT,
        done=_("The room moved.") if to_step else _("Session ended: the room sees the board."))


# The step's clock ticks in the browser: a fragment rerun every second would keep the page
# "running" for its watchers and cost the server a run a second for a number.
CLOCK_JS = """<p id="ok-clock" role="timer" style="font-size:1.5rem;font-weight:800;margin:0">
</p><script>(() => {
  const el = document.getElementById("ok-clock"), base = Date.now() / 1000 - ELAPSED;
  const texts = TEXTS, duration = DURATION;
  const mmss = s => Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  const tick = () => {
    if (!el.isConnected) return;
    const elapsed = Math.max(0, Math.floor(Date.now() / 1000 - base));
    const left = duration === null ? null : duration - elapsed;
    el.textContent = left === null ? texts.on.replace("TIME", mmss(elapsed))
      : left >= 0 ? texts.left.replace("TIME", mmss(left))
      : texts.over.replace("TIME", mmss(-left));
    el.style.color = left !== null && left < 0 ? "#b00020" : "#111418";
    setTimeout(tick, 1000 - Date.now() % 1000);
  };
  tick();
})();</script>"""


def _clock(step: Step, started_at: float | None) -> None:
    """The step's time, left or over (our words in the reader's language, ticking in the
    browser from the elapsed time the server measured)."""
    now = clock(step, started_at, time.time())
    texts = {name: _(dataclasses.replace(Clock(0, remaining).text(), values={"time": "TIME"}))
             for name, remaining in (("on", None), ("left", 0), ("over", -1))}
    script = (CLOCK_JS.replace("ELAPSED", str(now.elapsed_s))
              .replace("DURATION", json.dumps(step.duration_s))
              .replace("TEXTS", json.dumps(texts)))
    st.html(script, unsafe_allow_javascript=True)


@st.fragment(run_every=WATCH_S)
def _watch(store: Store, workshop_id: int, drawn: int) -> None:
    """Redraw the page when the room's revision is not the one on screen (another tab)."""
    now = sessions.room(store, workshop_id)
    if (now.revision if now else -1) != drawn:
        st.rerun(scope="app")


# -- the editor ---------------------------------------------------------------------------------

def _editor(ctx: Context, steps: list[Step], current: Step | None) -> None:
    """One row per step: title (in the reader's language) and minutes, saved by the row's
    button; earlier, later, remove. Then a new step by kind."""
    for number, step in enumerate(steps, start=1):
        key = f"agenda_step_{step.id}"
        name_col, minutes_col, save_col, up_col, down_col, drop_col = st.columns(
            [5, 2, 1, 1, 1, 1], vertical_alignment="bottom")
        # The stored values are in the keys: a change made in another tab redraws the row.
        title_key = f"{key}_title_{zlib.crc32(room.title(step, ctx.language).encode())}"
        name_col.text_input(_("{n}. {kind}", n=number, kind=_(STEP_KINDS[step.kind])),
                            value=room.title(step, ctx.language),
                            key=title_key)
        minutes_key = f"{key}_min_{step.duration_s}"
        minutes_col.number_input(_("Minutes"), 0, STEP_MINUTES_MAX,
                                 (step.duration_s or 0) // 60, key=minutes_key)
        save_col.button(_("Save"), key=f"{key}_save", on_click=_save_row,
                        args=(ctx, step.id, title_key, minutes_key))
        up_col.button("↑", key=f"{key}_up", help=_("Earlier"), disabled=number == 1,
                      on_click=act, args=(sessions.shift_step, ctx.store, ctx.actor, step.id, -1),
                      kwargs={"slot": key})
        down_col.button("↓", key=f"{key}_down", help=_("Later"), disabled=number == len(steps),
                        on_click=act, args=(sessions.shift_step, ctx.store, ctx.actor, step.id, 1),
                        kwargs={"slot": key})
        drop_col.button(_("Remove"), key=f"{key}_remove", disabled=step is current,
                        on_click=act, args=(sessions.remove_step, ctx.store, ctx.actor, step.id),
                        kwargs={"slot": key})
        said(key)
    kind_col, add_col = st.columns([3, 1], vertical_alignment="bottom")
    kind_col.selectbox(_("New step"), list(STEP_KINDS), format_func=lambda k: _(STEP_KINDS[k]),
                       key="agenda_new_kind")
    add_col.button(_("Add step"), key="agenda_add", on_click=act_on,
                   args=("agenda_new_kind", sessions.add_step, ctx.store, ctx.actor),
                   kwargs={"slot": "agenda_add", "done": _("Step added at the end.")})
    said("agenda_add")


def _save_row(ctx: Context, step_id: int, title_key: str, minutes_key: str) -> None:
    """The row's title and minutes as its fields show them when Save is clicked."""
    slot = f"agenda_step_{step_id}"
    try:
        sessions.rename_step(ctx.store, ctx.actor, step_id, st.session_state[title_key],
                             ctx.language)
        sessions.set_duration(ctx.store, ctx.actor, step_id, st.session_state[minutes_key])
    except OrgKitError as exc:
        tell(slot, error_text(exc), ok=False)
        return
    tell(slot, _("Saved."))


def _files(ctx: Context, steps: list[Step]) -> None:
    """Templates (save this agenda by name, use one), the agenda file (export, import) and the
    agenda printed."""
    st.divider()
    step_print.agenda(ctx, steps)
    name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(_("Template name"), key="agenda_template_name")
    save_col.button(_("Save as template"), key="agenda_template_save", on_click=act_on,
                    args=("agenda_template_name", sessions.save_template, ctx.store, ctx.actor),
                    kwargs={"slot": "agenda_template", "done": _("Template saved.")})
    said("agenda_template")
    if kept := sessions.templates(ctx.store, ctx.actor):
        pick_col, use_col = st.columns([3, 1], vertical_alignment="bottom")
        pick_col.selectbox(_("Template"), list(kept), format_func=kept.get,
                           key="agenda_template_pick")
        use_col.button(_("Use this template"), key="agenda_template_use", on_click=act_on,
                       args=("agenda_template_pick", sessions.use_template, ctx.store, ctx.actor),
                       kwargs={"slot": "agenda_template_use",
                               "done": _("This workshop's agenda is now the template's.")})
        said("agenda_template_use")
    st.download_button(_("Export the agenda (file)"),
                       lambda: sessions.export_agenda(ctx.store, ctx.actor),
                       EXPORT_NAME, EXPORT_TYPE, on_click="ignore",
                       icon=":material/download:", key="agenda_export")
    upload_col, import_col = st.columns([3, 1], vertical_alignment="bottom")
    upload_col.file_uploader(_("Agenda file to import (replaces this agenda)"), type=["json"],
                             key="agenda_upload")
    import_col.button(_("Import"), key="agenda_import", on_click=_import, args=(ctx,))
    said("agenda_import")


def _import(ctx: Context) -> None:
    upload = st.session_state.get("agenda_upload")
    act(sessions.import_agenda, ctx.store, ctx.actor, upload.getvalue() if upload else None,
        slot="agenda_import", done=_("Agenda imported."))
