"""Wanted communities and the generated-map bulk insert on real SQLite and PostgreSQL: round
trips, the revision moving with every write, who may set the list, nothing saved on bad input,
and migration 3 on a database that already holds maps."""
import sqlite3

import psycopg
import pytest

from orgkit.coverage import model as coverage
from orgkit.domain import Actor, NotFound, PermissionDenied, Role, ValidationError
from orgkit.map import communities
from orgkit.map import service as maps
from orgkit.storage import migrations, open_store
from orgkit.workshop import service as workshops


@pytest.fixture
def team(store):
    """A workshop with two maps; returns (store, facilitator, member of the first, its map id)."""
    workshop = workshops.create_workshop(store, "Seminar", "2026-05-14", "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Northside", "Protect grants")["id"]
    maps.create_map(store, facilitator, "Riverbend", "Rental aid")
    return store, facilitator, Actor(Role.TEAM_MEMBER, workshop.id, map_id=map_id), map_id


def test_wanted_communities_round_trip_and_move_the_revision(team):
    store, facilitator, member, map_id = team
    assert store.maps.get(map_id)["wanted_constituencies"] == ""
    before = store.maps.revision(map_id)
    saved = communities.set_wanted(store, member, map_id,
                                   "Veterans\nSpanish-speaking tenants\nveterans")
    assert saved == ["Veterans", "Spanish-speaking tenants"]
    row = store.maps.get(map_id)
    assert coverage.wanted_of(row) == saved and row["revision"] == before + 1
    assert communities.set_wanted(store, facilitator, map_id, "") == []
    assert store.maps.get(map_id)["wanted_constituencies"] == ""
    assert store.maps.revision(map_id) == before + 2


@pytest.mark.parametrize("who", ["other team", "participant", "visitor", "other workshop"])
def test_only_the_team_and_the_facilitator_set_wanted_communities(team, who):
    store, facilitator, member, map_id = team
    communities.set_wanted(store, member, map_id, "Veterans")
    other_map = store.maps.for_workshop(member.workshop_id)[1]["id"]
    actor = {"other team": Actor(Role.TEAM_MEMBER, member.workshop_id, map_id=other_map),
             "participant": Actor(Role.PARTICIPANT, member.workshop_id, participant_id=1),
             "visitor": Actor(Role.VISITOR, member.workshop_id),
             "other workshop": Actor(Role.FACILITATOR, member.workshop_id + 1)}[who]
    before = store.maps.revision(map_id)
    with pytest.raises((PermissionDenied, NotFound)):
        communities.set_wanted(store, actor, map_id, "Farmworkers")
    assert store.maps.get(map_id)["wanted_constituencies"] == "Veterans"
    assert store.maps.revision(map_id) == before


def test_a_bad_list_saves_nothing(team):
    store, _, member, map_id = team
    communities.set_wanted(store, member, map_id, "Veterans")
    before = store.maps.revision(map_id)
    with pytest.raises(ValidationError, match="limit is 30"):
        communities.set_wanted(store, member, map_id, [f"Group {i}" for i in range(31)])
    assert store.maps.get(map_id)["wanted_constituencies"] == "Veterans"
    assert store.maps.revision(map_id) == before


def _generate(store, map_id, rows, links):
    """A generated map: entries with their own dates, then links by position, in one go."""
    with store.atomic():
        ids = store.maps.insert_entries(map_id, rows)
        store.maps.insert_links(map_id, [(ids[a], ids[b], kind) for a, b, kind in links])
    return ids


def test_a_generated_map_goes_in_whole_with_its_own_dates_and_links(team):
    store, _, _, map_id = team
    before = store.maps.revision(map_id)
    rows = [{"name": f"Person {i}", "level": "impacted", "constituencies": "Veterans",
             "created_at": 1_700_000_000.0 + i} for i in range(5)]
    ids = _generate(store, map_id, rows, [(0, 1, "knows"), (3, 4, "member_of")])
    entries = store.maps.entries(map_id)
    assert [e["id"] for e in entries] == ids
    assert [e["name"] for e in entries] == [r["name"] for r in rows]
    assert [e["created_at"] for e in entries] == [r["created_at"] for r in rows]
    assert [(l["source_id"], l["target_id"], l["kind"]) for l in store.maps.links(map_id)] == [
        (ids[0], ids[1], "knows"), (ids[3], ids[4], "member_of")]
    assert store.maps.revision(map_id) > before


def test_a_generated_map_with_a_bad_link_leaves_nothing_behind(team):
    store, _, _, map_id = team
    before = store.maps.revision(map_id)
    rows = [{"name": "A", "level": "impacted"}, {"name": "B", "level": "leader"}]
    # the same link twice breaks UNIQUE (source, target, kind) after both entries went in
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation)):
        _generate(store, map_id, rows, [(0, 1, "knows"), (0, 1, "knows")])
    assert store.maps.entries(map_id) == [] and store.maps.revision(map_id) == before


def test_migration_3_adds_an_empty_list_to_maps_already_there(db_url, monkeypatch):
    every = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in every if m[0] < 3])
    old = open_store(db_url)
    # Rows written as that schema knew them (today's code writes columns added later).
    workshop = old.db.insert("INSERT INTO workshops (title, join_code, pin_hash, created_at)"
                             " VALUES ('Seminar', 'OLDWS1', 'x', 0) RETURNING id", {})
    map_id = old.db.insert("INSERT INTO maps (workshop_id, name, link_token, created_at)"
                           " VALUES (:w, 'Northside', 'old-token', 0) RETURNING id",
                           {"w": workshop})
    assert "wanted_constituencies" not in old.maps.get(map_id)
    old.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", every)
    new = open_store(db_url)
    assert 3 in migrations.applied_versions(new.db)
    assert new.maps.get(map_id)["wanted_constituencies"] == ""
    new.close()
