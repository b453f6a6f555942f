"""The demo workshop a newcomer opens at once: loaded from data/demo_workshop.json on first start.

Only where asked: its PIN is published, so it must never appear in a production database.
`ORGKIT_DEMO=1` loads it into an empty database, `ORGKIT_DEMO=0` never; unset, only the README's
quick start (the default SQLite file, no ORGKIT_DATABASE_URL) gets it.

Dates in the file are offsets from today ("next_step_in_days": -3), so overdue steps and this
month's one-on-ones stay meaningful whenever the demo is loaded.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import domain, security
from .board import model as board_model
from .i18n import msg
from .storage import Store
from .storage.database import DEFAULT_URL

DEMO_PATH = Path(__file__).resolve().parents[1] / "data" / "demo_workshop.json"
# The PIN as data/demo_workshop.json sets it: public on purpose, to try the facilitator's tools.
DEMO_PIN_NOTE = msg("The demo's facilitator PIN is {pin}.", pin="demo-pin-2026")

_ENTRY_FIELDS = ("name", "level", "role", "contact", "how_help", "gatekeeper_why", "strength",
                 "stage", "point_person", "next_step", "notes", "office", "jurisdiction",
                 "agenda", "issues", "stance", "influence")


def _day(offset: int | None, today: dt.date) -> str | None:
    return None if offset is None else (today + dt.timedelta(days=offset)).isoformat()


def wanted(url: str) -> bool:
    """Whether the app loads the demo into the database at `url` when it is empty."""
    setting = os.environ.get("ORGKIT_DEMO", "").strip().lower()
    if setting:
        return setting in ("1", "true", "yes", "on")
    return url == DEFAULT_URL


def ensure_demo(store: Store, path: Path = DEMO_PATH) -> int | None:
    """Load the demo into an empty database; return its workshop id (None if not loaded)."""
    if store.workshops.count() > 0:
        existing = store.workshops.demo()
        return existing["id"] if existing else None
    try:
        return load_demo(store, json.loads(path.read_text(encoding="utf-8")))
    except Exception:
        # Two sessions starting at once both found the database empty; the join code is
        # UNIQUE, so the second load rolled back whole. Anything else is a real error.
        existing = store.workshops.demo()
        if existing is None:
            raise
        return existing["id"]


def load_demo(store: Store, data: dict, today: dt.date | None = None) -> int:
    """Write the demo described by `data` in one transaction; return the workshop id."""
    today = today or domain.today()
    now = domain.now()
    spec = data["workshop"]
    with store.atomic():
        workshop_id = store.workshops.create(
            title=spec["title"], held_on=_day(spec.get("held_on_in_days", 0), today),
            join_code=spec["join_code"], pin_hash=security.hash_pin(spec["pin"]), is_demo=True)
        store.workshops.replace_forum_questions(workshop_id, data.get("forum_questions", []))
        for map_spec in data["maps"]:
            _load_map(store, workshop_id, map_spec, today, now)
        for board_spec in data["boards"]:
            _load_board(store, workshop_id, board_spec, now)
    return workshop_id


def _load_map(store: Store, workshop_id: int, spec: dict, today: dt.date, now: float) -> None:
    map_id = store.maps.create(workshop_id, spec["name"], spec["link_token"],
                               issue=spec.get("issue", ""), targets=spec.get("targets"))
    store.maps.set_wanted_constituencies(map_id, "; ".join(spec.get("wanted_constituencies", [])))
    ids: dict[str, int] = {}
    for entry in spec["entries"]:
        fields = {name: entry.get(name) for name in _ENTRY_FIELDS if entry.get(name) is not None}
        fields["constituencies"] = "; ".join(entry.get("constituencies", []))
        fields["is_gatekeeper"] = int(bool(entry.get("gatekeeper")))
        fields["willing_to_speak"] = int(bool(entry.get("willing_to_speak")))
        fields["trained"] = int(bool(entry.get("trained")))
        fields["next_step_on"] = _day(entry.get("next_step_in_days"), today)
        created = now - 86400 * entry.get("created_days_ago", 0)
        ids[entry["key"]] = store.maps.insert_entry(map_id, fields, created_at=created)
    for link in spec.get("links", []):
        store.maps.insert_link(map_id, ids[link["from"]], ids[link["to"]], link["kind"])
    for action in spec.get("actions", []):
        store.maps.insert_action(map_id, {
            "kind": action["kind"], "title": action.get("title", ""),
            "due_on": _day(action.get("in_days"), today), "status": action.get("status", "planned"),
            "outcome": action.get("outcome", ""), "turnout": action.get("turnout", 0),
        }, [ids[key] for key in action.get("entries", [])])


def _load_board(store: Store, workshop_id: int, spec: dict, now: float) -> None:
    board_id = store.boards.create(
        workshop_id, spec["prompt"], reference_notes="\n".join(spec.get("reference_notes", [])),
        anonymous=int(bool(spec.get("anonymous"))),
        votes_per_participant=spec.get("votes_per_participant", 3),
        phase=spec.get("phase", "collect"))
    people = {}
    for person in spec.get("participants", []):
        people[person["key"]] = (store.workshops.add_participant(
            workshop_id, security.new_token(), person.get("name", "")), person.get("name", ""))
    themes = {name: store.boards.insert_theme(board_id, name) for name in spec.get("themes", [])}
    for item in spec["items"]:
        participant_id, name = people[item["by"]]
        item_id, _ = store.boards.add_item(
            board_id, text=item["text"], participant_id=participant_id,
            author_name=board_model.stored_author(bool(spec.get("anonymous")), name),
            theme_id=themes.get(item.get("theme")),
            created_at=now - 60 * item.get("minutes_ago", 0))
        for voter in item.get("votes", []):
            store.boards.insert_vote(board_id, item_id, people[voter][0])


@dataclass(frozen=True)
class Showcase:
    """What the home page offers a newcomer: the demo workshop's title and join code, and its
    first team map's name and link (the demo's data is public by design)."""

    title: str
    join_code: str
    map_name: str | None
    map_token: str | None


def showcase(store: Store) -> Showcase | None:
    """The demo workshop of this database, or None when it has none."""
    row = store.workshops.demo()
    if row is None:
        return None
    first = store.maps.for_workshop(row["id"])[:1]
    return Showcase(row["title"], row["join_code"], first[0]["name"] if first else None,
                    first[0]["link_token"] if first else None)
