"""The guided session's service: a workshop's agenda, the step the room is on, the moves that
change it, templates and the agenda file.

Only the facilitator moves the room or edits the agenda; everyone in the workshop reads the
room's step. A move names the step it was pressed on (`move(store, actor, from, to)`) and acts
only while the room is still there, in one statement: a double tap or a stale tab's click
changes nothing and is told so (Conflict), so a double tap never skips a step.

Every write bumps the workshop's one revision in the same transaction (orgkit.storage.sessions),
and the room's step is read as cheaply as a board: `room()` is one indexed read, `room_step()`
is shared by every session of the process per (store, workshop, revision).

A workshop gets the default agenda (orgkit/session/default_agenda.json, the seminar in English
and Spanish) the first time its facilitator opens it; a workshop that already has a board (the
demo) keeps that board as its brainstorm step. A brainstorm step without a board gets one,
through the board service, when the room first moves onto it. Until the facilitator starts the
session (the room has no step), the room sees today's screens: the board.
"""
from __future__ import annotations

import json
import time
from functools import lru_cache

from ..board import service as boards
from ..domain import ID_MAX, Actor, Conflict, NotFound, ValidationError, require_facilitator
from ..i18n import N_, LocalText, msg, pick_text
from ..storage import Store
from ..validation import clean_int, clean_text
from ..workshop import service as workshops
from ..workshop.model import Workshop
from .agenda import (AGENDA_FILE, DEFAULT_AGENDA, STEP_TITLE, STEP_TITLE_MAX, STEPS_MAX,
                     TEMPLATE_NAME, TEMPLATE_NAME_MAX, Room, agenda_document, clean_kind,
                     clean_local_text, clean_minutes, read_agenda, step_from_row, board_for)
from .model import Step

STEP = N_("Step")


def _step_id(value: object) -> int:
    return clean_int(value, STEP, low=1, high=ID_MAX)


# -- the room's step: what every poll reads --------------------------------------------------------

def room(store: Store, workshop_id: int) -> Room | None:
    """The workshop's revision and current step, one indexed read; None before its agenda."""
    row = store.sessions.poll(workshop_id)
    return None if row is None else Room.from_row(row)


@lru_cache(maxsize=64)
def room_step(store: Store, workshop_id: int, revision: int) -> Step | None:
    """The step the room is on at `revision`, read once for every session (the store is in the
    key, so two databases never share)."""
    polled = store.sessions.poll(workshop_id)
    if polled is None or polled["current_step_id"] is None:
        return None
    row = store.sessions.step(polled["current_step_id"])
    return None if row is None else step_from_row(row)


@lru_cache(maxsize=64)
def room_agenda(store: Store, workshop_id: int, revision: int) -> tuple[Step, ...]:
    """The workshop's steps at `revision`, read once for every session (phones draw each step's
    form from it)."""
    return tuple(step_from_row(row) for row in store.sessions.steps(workshop_id))


def step_board(store: Store, actor: Actor, step: Step) -> int | None:
    """The board `step` shows (its own, or the brainstorm's it follows), for anyone in the
    workshop; None when there is none yet."""
    if actor.workshop_id is None or (now := room(store, actor.workshop_id)) is None:
        return None
    return board_for(room_agenda(store, actor.workshop_id, now.revision), step)


def current(store: Store, actor: Actor) -> tuple[Room, Step] | None:
    """The room and its step for anyone in the workshop; None while no step is on."""
    if actor.workshop_id is None or (now := room(store, actor.workshop_id)) is None:
        return None
    step = room_step(store, actor.workshop_id, now.revision)
    return None if step is None else (now, step)


# -- the agenda --------------------------------------------------------------------------------

def _default_rows(store: Store, actor: Actor) -> list[dict]:
    rows = read_agenda(DEFAULT_AGENDA.read_bytes())
    existing = boards.latest_board(store, actor)
    if existing is not None:  # e.g. the demo's board: it is the brainstorm
        first = next(row for row in rows if row["kind"] == "brainstorm")
        first["content"] = {**first["content"], "board_id": existing.id}
    return rows


def _ensure(store: Store, actor: Actor) -> int:
    """Give the facilitator's workshop its default agenda the first time; cheap afterwards (one
    read). Returns the workshop's id."""
    workshop_id = require_facilitator(actor)
    if store.sessions.poll(workshop_id) is not None:
        return workshop_id
    with store.atomic():
        if store.sessions.open(workshop_id):  # a second tab at the same moment: no second agenda
            for row in _default_rows(store, actor):
                store.sessions.insert_step(workshop_id, **row)
    return workshop_id


def agenda(store: Store, actor: Actor) -> list[Step]:
    """The workshop's steps in order (the facilitator's first look gives it the default)."""
    if actor.workshop_id is None:
        return []
    if actor.is_facilitator:
        _ensure(store, actor)
    return [step_from_row(row) for row in store.sessions.steps(actor.workshop_id)]


def _own_step(store: Store, workshop_id: int, step_id: object) -> Step:
    row = store.sessions.step(_step_id(step_id))
    if row is None or row["workshop_id"] != workshop_id:
        raise NotFound(msg("That step is no longer on this workshop's agenda."))
    return step_from_row(row)


def move(store: Store, actor: Actor, from_step_id: object, to_step_id: object) -> Step | None:
    """Move the room from the step the click was made on (None: not started) to another (None:
    end the guided session; the room sees the board again). Acts once: if the room already left
    `from_step_id`, nothing moves and Conflict says so."""
    workshop_id = _ensure(store, actor)
    from_id = None if from_step_id is None else _step_id(from_step_id)
    with store.atomic():
        step = None if to_step_id is None else _own_step(store, workshop_id, to_step_id)
        if step is not None and step.kind == "brainstorm" and not step.content.get("board_id"):
            step = _with_board(store, actor, step)
        if step is not None and step.kind == "reveal":
            _reveal(store, actor, step)
        if not store.sessions.move(workshop_id, from_id, step and step.id, time.time()):
            raise Conflict(msg("The room had already moved on (another click or another tab), "
                               "so this click changed nothing."))
    return step


def _reveal(store: Store, actor: Actor, step: Step) -> None:
    """Arriving at a reveal step shows its board's reference notes: one click moves the room."""
    steps = [step_from_row(row) for row in store.sessions.steps(actor.workshop_id)]
    if (board_id := board_for(steps, step)) is None:
        return
    try:
        board = boards.get_board(store, actor, board_id)
    except NotFound:  # deleted since: the step shows that it has no board
        return
    if board.reference_points and not board.revealed:
        boards.set_revealed(store, actor, board.id, True)


def _with_board(store: Store, actor: Actor, step: Step) -> Step:
    """A brainstorm step's board, made from its prompt and notes in the workshop's language."""
    language = workshops.get_workshop(store, actor.workshop_id).language
    title = pick_text(step.title, language)
    board = boards.create_board(
        store, actor, pick_text(step.content.get("prompt"), language) or title or STEP,
        reference_notes=pick_text(step.content.get("notes"), language),
        idempotency_key=f"agenda-step-{step.id}")
    content = {**step.content, "board_id": board.id}
    store.sessions.update_step(step.id, content=content)
    return Step(step.id, step.position, step.kind, step.title, step.text, step.duration_s,
                content)


def add_step(store: Store, actor: Actor, kind: object, title: object = "",
             language: str = "en") -> Step:
    """A new step of `kind` at the end of the agenda."""
    workshop_id = _ensure(store, actor)
    kind = clean_kind(kind)
    titled = clean_local_text({language: title} if title else None, STEP_TITLE,
                              max_len=STEP_TITLE_MAX)
    with store.atomic():
        store.sessions.bump(workshop_id)
        steps = store.sessions.steps(workshop_id)
        if len(steps) >= STEPS_MAX:
            raise ValidationError(N_("Agenda"), msg("has {n} steps; the limit is {limit}.",
                                                    n=len(steps), limit=STEPS_MAX))
        step_id = store.sessions.insert_step(
            workshop_id, position=len(steps), kind=kind, title=titled, body={},
            duration_s=None, content={})
    return _own_step(store, workshop_id, step_id)


def remove_step(store: Store, actor: Actor, step_id: object) -> None:
    """Take a step off the agenda (not the one the room is on: move the room first)."""
    workshop_id = _ensure(store, actor)
    with store.atomic():
        store.sessions.bump(workshop_id)
        step = _own_step(store, workshop_id, step_id)
        if room(store, workshop_id).step_id == step.id:
            raise Conflict(msg("The room is on this step: move to another step before removing "
                               "it."))
        store.sessions.delete_step(step.id)
        store.sessions.set_order([row["id"] for row in store.sessions.steps(workshop_id)])


def shift_step(store: Store, actor: Actor, step_id: object, offset: int) -> None:
    """Move a step earlier (-1) or later (+1) in the agenda; at either end it stays."""
    workshop_id = _ensure(store, actor)
    with store.atomic():
        store.sessions.bump(workshop_id)
        step = _own_step(store, workshop_id, step_id)
        ids = [row["id"] for row in store.sessions.steps(workshop_id)]
        at = ids.index(step.id)
        to = min(max(at + (1 if offset > 0 else -1), 0), len(ids) - 1)
        ids.insert(to, ids.pop(at))
        store.sessions.set_order(ids)


def rename_step(store: Store, actor: Actor, step_id: object, title: object,
                language: str) -> Step:
    """Set a step's title in one language (blank: the kind's name shows)."""
    workshop_id = _ensure(store, actor)
    titled = clean_local_text({language: "" if title is None else str(title)}, STEP_TITLE,
                              max_len=STEP_TITLE_MAX)
    with store.atomic():
        store.sessions.bump(workshop_id)
        step = _own_step(store, workshop_id, step_id)
        new: LocalText = {code: text for code, text in step.title.items() if code != language}
        store.sessions.update_step(step.id, title={**new, **titled})
    return _own_step(store, workshop_id, step.id)


def set_duration(store: Store, actor: Actor, step_id: object, minutes: object) -> Step:
    """A step's planned minutes (0 or blank: no duration)."""
    workshop_id = _ensure(store, actor)
    duration = clean_minutes(minutes)
    with store.atomic():
        store.sessions.bump(workshop_id)
        step = _own_step(store, workshop_id, step_id)
        store.sessions.update_step(step.id, duration_s=duration)
    return _own_step(store, workshop_id, step.id)


# -- files and templates -----------------------------------------------------------------------

def export_agenda(store: Store, actor: Actor) -> bytes:
    """The agenda as a file another organization can import (no ids of this workshop)."""
    require_facilitator(actor)
    document = agenda_document(agenda(store, actor))
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _replace(store: Store, workshop_id: int, rows: list[dict]) -> None:
    with store.atomic():
        store.sessions.open(workshop_id)
        store.sessions.bump(workshop_id)
        if room(store, workshop_id).step_id is not None:
            raise Conflict(msg("The session is running: end it before replacing the agenda."))
        store.sessions.delete_steps(workshop_id)
        for row in rows:
            store.sessions.insert_step(workshop_id, **row)


def import_agenda(store: Store, actor: Actor, data: object) -> list[Step]:
    """Replace the agenda with a file's, checked whole first (nothing half saved)."""
    workshop_id = require_facilitator(actor)
    if not isinstance(data, (bytes, str)):
        raise ValidationError(AGENDA_FILE, msg("is required."))
    _replace(store, workshop_id, read_agenda(data))
    return agenda(store, actor)


def save_template(store: Store, actor: Actor, name: object) -> int:
    """Keep this agenda under a name (the same name again replaces it) to start workshops
    from."""
    require_facilitator(actor)
    name = clean_text(name, TEMPLATE_NAME, max_len=TEMPLATE_NAME_MAX, required=True)
    return store.sessions.save_template(name, export_agenda(store, actor).decode("utf-8"))


def templates(store: Store, actor: Actor) -> dict[int, str]:
    """The saved templates, id -> name, for the facilitator's agenda editor."""
    require_facilitator(actor)
    return template_names(store)


def template_names(store: Store) -> dict[int, str]:
    """The saved templates a new workshop can start from, id -> name: for the home page's create
    form, where nobody is a facilitator yet (anyone may create a workshop, from a template too:
    new_workshop_from_template). Names only; a template's steps are read when one is used."""
    return {row["id"]: row["name"] for row in store.sessions.templates()}


def _template_rows(store: Store, template_id: object) -> list[dict]:
    row = store.sessions.template(clean_int(template_id, TEMPLATE_NAME, low=1, high=ID_MAX))
    if row is None:
        raise NotFound(msg("That template no longer exists."))
    return read_agenda(row["data"])


def use_template(store: Store, actor: Actor, template_id: object) -> list[Step]:
    """Replace this workshop's agenda with a template's."""
    workshop_id = require_facilitator(actor)
    _replace(store, workshop_id, _template_rows(store, template_id))
    return agenda(store, actor)


def new_workshop_from_template(store: Store, template_id: object, title: object,
                               held_on: object, pin: object, idempotency_key: object = None,
                               language: object = "en") -> Workshop:
    """Create a workshop (as workshops.create_workshop) whose agenda is a template's. The same
    idempotency key again returns the first workshop, agenda untouched."""
    rows = _template_rows(store, template_id)
    workshop = workshops.create_workshop(store, title, held_on, pin, idempotency_key, language)
    if room(store, workshop.id) is None:  # new (a repeat's agenda exists already)
        _replace(store, workshop.id, rows)
    return workshop
