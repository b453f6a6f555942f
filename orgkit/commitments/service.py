"""The commitments service: who may write and read which commitments, through the store.

The roles (the rule lives here, not in a screen):
- a participant (a phone that joined) adds, edits and deletes only their own, and reads only
  their own;
- the facilitator reads all of the workshop's, with the names people gave;
- a map's team (its private link, or a phone that joined its table by the handout) reads those
  that name an entry of their map, with a name only where the person chose to show it;
- a lead (the facilitator, or the team of the map whose entry a commitment names) marks it kept
  after the seminar, and takes the mark back (its undo); the person may mark their own;
- the projector (anyone in the workshop) gets counts by kind and the next dates (model.room_view),
  built once per change of the workshop's commitments and shared by every session.

A phone that joined a table is remembered as that map's member (map.service.member_of): its
commitments carry the map, and "with whom" offers the map's entries while the table's handout is
open.
"""
from __future__ import annotations

import datetime as dt
import threading

from ..domain import (ID_MAX, Actor, NotFound, PermissionDenied, ValidationError,
                      require_facilitator)
from ..domain import today as today_now
from ..i18n import N_, msg
from ..map import service as maps
from ..storage import Store
from ..validation import clean_date, clean_int, clean_key
from ..workshop import service as workshops
from . import ics
from .model import PER_PERSON_MAX, RoomView, clean_commitment, room_view, shown_name


def _person(actor: Actor) -> int:
    if actor.participant_id is None or actor.workshop_id is None:
        raise PermissionDenied(msg("Join the workshop with its code to make a commitment."))
    return actor.participant_id


def entry_choices(store: Store, actor: Actor) -> list[dict] | None:
    """The entries "with whom" may name: those of the map this phone joined by its handout (id,
    name, level), or None when it is at no table (or the handouts were ended): free text."""
    member = maps.as_member(store, actor)
    return None if member is None else maps.entry_choices(store, member)


def _fields(store: Store, actor: Actor, raw: dict, today: dt.date | None) -> dict:
    fields = clean_commitment(raw, today=today or today_now(),
                              entries=entry_choices(store, actor))
    member = maps.member_of(store, actor)
    fields["map_id"] = None if member is None else member["id"]
    return fields


def add(store: Store, actor: Actor, raw: dict, idempotency_key: object = None, *,
        today: dt.date | None = None) -> int:
    """A participant adds a commitment; the same idempotency key again (a double tap) returns
    the first one's id."""
    person = _person(actor)
    fields = _fields(store, actor, raw, today)
    with store.atomic():
        if store.commitments.count_of(person) >= PER_PERSON_MAX:
            raise ValidationError(N_("Commitments"), msg(
                "you have {n}; the limit is {limit}.", n=PER_PERSON_MAX, limit=PER_PERSON_MAX))
        return store.commitments.insert(actor.workshop_id, person, fields,
                                        clean_key(idempotency_key))[0]


def update(store: Store, actor: Actor, commitment_id: int, raw: dict, *,
           today: dt.date | None = None) -> None:
    """A participant changes one of their own commitments."""
    person = _person(actor)
    fields = _fields(store, actor, raw, today)
    if store.commitments.update(int(commitment_id), person, fields) == 0:
        raise NotFound(msg("That commitment is not one of yours (or was deleted)."))


def delete(store: Store, actor: Actor, commitment_id: int) -> None:
    """A participant deletes one of their own commitments (gone already: nothing to do)."""
    store.commitments.delete(int(commitment_id), _person(actor))


def mine(store: Store, actor: Actor) -> list[dict]:
    """The commitments this participant made, by date."""
    if actor.participant_id is None:
        return []
    return store.commitments.of_participant(actor.participant_id)


def of_workshop(store: Store, actor: Actor) -> list[dict]:
    """Every commitment of the workshop, by date, with names: the facilitator's."""
    require_facilitator(actor, msg("Only the facilitator sees everyone's commitments."))
    return store.commitments.of_workshop(actor.workshop_id)


def due_between(store: Store, actor: Actor, start: object, end: object,
                map_id: int | None = None) -> list[dict]:
    """The commitments due from `start` to `end` (ISO dates, both included; an end left blank
    is open): the workshop's for its facilitator, or those naming an entry of map `map_id` for
    that map's team and the facilitator (names only where shown). For the follow-up's week."""
    start = clean_date(start, N_("From"))
    end = clean_date(end, N_("To"))
    if map_id is None:
        return [row for row in of_workshop(store, actor)
                if (not start or row["due_on"] >= start) and (not end or row["due_on"] <= end)]
    maps.get_map(store, actor, map_id)  # its team or the facilitator
    rows = store.commitments.naming_map(map_id, start, end)
    if actor.is_facilitator:
        return rows
    return [{**row, "name": shown_name(row)} for row in rows]


def for_map(store: Store, actor: Actor, map_id: int) -> list[dict]:
    """The commitments that name an entry of this map: its team's and the facilitator's view."""
    return due_between(store, actor, None, None, map_id)


def set_kept(store: Store, actor: Actor, commitment_id: object, kept: bool) -> None:
    """Mark a commitment kept (now) or not kept (the mark's undo): its person, the facilitator,
    or the team of the map whose entry it names."""
    commitment_id = clean_int(commitment_id, N_("Commitment"), low=1, high=ID_MAX)
    row = store.commitments.get(commitment_id)
    if row is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound(msg("That commitment was deleted."))
    if not actor.is_facilitator and row["participant_id"] != actor.participant_id:
        map_id = store.commitments.map_of(commitment_id)
        if map_id is None:
            raise PermissionDenied(msg("Only the facilitator and the person who made it mark "
                                       "this commitment."))
        maps.get_map(store, actor, map_id)  # its team, or refused in the map's words
    store.commitments.set_done(commitment_id, kept)


_ROOM: dict[tuple, RoomView] = {}
_ROOM_LOCK = threading.Lock()
_ROOM_KEPT = 64


def room(store: Store, actor: Actor, *, today: dt.date | None = None) -> RoomView:
    """The room's commitments as a shared screen shows them (counts by kind, the next dates,
    a name only where chosen): one cheap read of their signature per poll, built again only
    when it moved, shared by every session."""
    if actor.workshop_id is None:
        raise PermissionDenied(msg("Open a workshop first."))
    today = today or today_now()
    key = (store.url, actor.workshop_id, store.commitments.signature(actor.workshop_id), today)
    view = _ROOM.get(key)
    if view is None:
        view = room_view(store.commitments.of_workshop(actor.workshop_id), today)
        with _ROOM_LOCK:
            while len(_ROOM) >= _ROOM_KEPT:
                _ROOM.pop(next(iter(_ROOM)))
            _ROOM[key] = view
    return view


def calendar_file(store: Store, actor: Actor, language: str, host: str = "orgkit") -> bytes:
    """This participant's own commitments as an .ics their phone's calendar adds."""
    person = _person(actor)
    workshop = workshops.get_workshop(store, actor.workshop_id)
    return ics.calendar(store.commitments.of_participant(person), language, workshop.title, host)
