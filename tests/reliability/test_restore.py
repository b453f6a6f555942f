"""A workshop's backup restored into a database that holds other workshops: moved from a
laptop's SQLite to a server's PostgreSQL, restored over itself, and refused whole when a
hand-edited row refers to a row outside the workshop (every foreign key of the schema tried)."""
from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from orgkit.backup import service as restores
from orgkit.workshop import backups
from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.commitments import service as commitments
from orgkit.demo import DEMO_PATH, ensure_demo
from orgkit.domain import Actor, Role, ValidationError
from orgkit.followup import service as followup
from orgkit.map import service as maps
from orgkit.session import service as sessions
from orgkit.storage import open_store
from orgkit.storage.backups import WORKSHOP_TABLES
from orgkit.storage.remap import foreign_keys
from orgkit.workshop import service as workshops

pytestmark = pytest.mark.reliability
PIN, DEMO_PIN = "move-pin-2026", "demo-pin-2026"


@pytest.fixture
def laptop_file(tmp_path) -> bytes:
    """The demo workshop's backup file, taken on a facilitator's laptop (SQLite), with a merged
    item (the self-reference) and a confirmed reveal match."""
    laptop = open_store(f"sqlite:///{tmp_path / 'laptop.db'}")
    facilitator = Actor(Role.FACILITATOR, ensure_demo(laptop, DEMO_PATH))
    board = boards.latest_board(laptop, facilitator)
    shown = [i for i in boards.snapshot(laptop, board.id).items if i.status == board_model.SHOWN]
    boards.merge_items(laptop, facilitator, shown[1].id, shown[0].id)
    boards.decide_match(laptop, facilitator, board.id, 0, shown[0].id)
    data = backups.workshop_backup(laptop, facilitator)
    laptop.close()
    return data


def _counts(store, workshop_id: int) -> dict[str, int]:
    return {table: len(rows) for table, rows in store.backups.dump(workshop_id).items()}


def _write_to_every_table(store, workshop_id: int) -> None:
    """One write to each table of the workshop, through the services, as a workshop in use."""
    facilitator = Actor(Role.FACILITATOR, workshop_id)
    code = workshops.get_workshop(store, workshop_id).join_code
    alice = workshops.join(store, code, display_name="Alice")[1]
    ben = workshops.join(store, code, display_name="Ben")[1]
    board = boards.create_board(store, facilitator, "After the move", reference_notes="Rent")
    one = boards.add_item(store, alice, board.id, "Rent is too high")[0]
    two = boards.add_item(store, ben, board.id, "Rents keep rising")[0]
    boards.toggle_vote(store, alice, two.id)
    boards.toggle_vote(store, ben, one.id)
    boards.merge_items(store, facilitator, two.id, one.id)  # merged_votes
    boards.assign_theme(store, facilitator, one.id,
                        boards.create_theme(store, facilitator, board.id, "Housing"))
    boards.decide_match(store, facilitator, board.id, 0, one.id)
    team = maps.create_map(store, facilitator, "Moved map")
    rosa = maps.create_entry(store, facilitator, team["id"], {"name": "Rosa", "level": "impacted"})
    tom = maps.create_entry(store, facilitator, team["id"], {"name": "Tom", "level": "leader"})
    maps.add_link(store, facilitator, team["id"], rosa, tom, "knows")
    maps.create_action(store, facilitator, team["id"], {"kind": "one_on_one", "title": "Coffee"},
                       [rosa])
    asked = workshops.forum_questions(store, facilitator)
    workshops.save_forum_questions(store, facilitator,
                                   "\n".join([*asked, f"Question {len(asked)}?"]))
    store.maps.remember_import_mapping(team["id"], "name,type", "{}")
    sessions.add_step(store, facilitator, "close")  # the agenda, and the room's revision row
    followup.mark_reviewed(store, facilitator, team["id"])  # map_reviews (map_changes: above)
    maps.join_by_handout(store, alice, team["short_code"])  # map_members
    commitments.add(store, alice, {"kind": "one_on_one", "entry_id": rosa,
                                   "due_on": dt.date.today().isoformat()})


def _written_everywhere(store, workshop_id: int) -> None:
    """The restored workshop unlocks with the file's PIN and takes a write in every table."""
    assert workshops.unlock(store, workshop_id, DEMO_PIN, source="test").is_facilitator
    before = _counts(store, workshop_id)
    _write_to_every_table(store, workshop_id)
    after = _counts(store, workshop_id)
    assert [t for t in WORKSHOP_TABLES if t != "workshops" and after[t] <= before[t]] == []


def test_a_workshop_moves_from_sqlite_into_a_postgresql_database_holding_three_workshops(
        laptop_file, pg_cluster):
    server = open_store(pg_cluster.new_database())
    others = [workshops.create_workshop(server, f"Workshop {n}", None, PIN) for n in range(3)]
    for other in others:
        _write_to_every_table(server, other.id)
    source = json.loads(laptop_file)["tables"]
    taken = source["workshops"][0]["join_code"]
    server.db.execute("UPDATE workshops SET join_code = :c WHERE id = :id",
                      {"c": taken, "id": others[0].id})  # the laptop's code is in use here
    others_before = {o.id: server.backups.dump(o.id) for o in others}
    arrived = workshops.create_workshop(server, "Moving in", None, PIN)
    facilitator = Actor(Role.FACILITATOR, arrived.id)

    notes = restores.restore_workshop(server, facilitator, laptop_file)

    restored = server.backups.dump(arrived.id)
    counts = {t: len(rows) for t, rows in restored.items()}
    counts["map_changes"] -= len(restored["maps"])  # each map's history says it was restored
    assert counts == {t: len(rows) for t, rows in source.items()}
    assert sorted(e["name"] for e in restored["entries"]) == sorted(
        e["name"] for e in source["entries"])
    new_code = restored["workshops"][0]["join_code"]
    assert new_code != taken
    assert [str(n) for n in notes if "join code" in str(n)] == [
        f"The join code {taken} is used by another workshop here; this workshop's join code is "
        f"now {new_code}."]
    assert {o.id: server.backups.dump(o.id) for o in others} == others_before
    _written_everywhere(server, arrived.id)
    server.close()


def test_a_workshop_restored_over_itself_takes_new_writes_on_either_engine(laptop_file, store):
    """A fresh database's first workshop has the file's id: the rows keep their ids, and the
    next generated ids (PostgreSQL's sequences) follow them."""
    arrived = workshops.create_workshop(store, "Fresh", None, PIN)
    facilitator = Actor(Role.FACILITATOR, arrived.id)
    assert json.loads(laptop_file)["tables"]["workshops"][0]["id"] == arrived.id
    for _ in range(2):
        restores.restore_workshop(store, facilitator, laptop_file)
        _written_everywhere(store, arrived.id)


def test_a_backup_row_pointing_outside_the_workshop_is_refused_for_every_foreign_key(store):
    """Every foreign key the schema has (so a table a migration adds is tried too), pointed at
    the same kind of row in another workshop: the whole file is refused, naming the row."""
    workshop_id = ensure_demo(store, DEMO_PATH)
    facilitator = Actor(Role.FACILITATOR, workshop_id)
    _write_to_every_table(store, workshop_id)
    elsewhere = workshops.create_workshop(store, "Elsewhere", None, PIN)
    _write_to_every_table(store, elsewhere.id)
    theirs = store.backups.dump(elsewhere.id)
    document = json.loads(backups.workshop_backup(store, facilitator))
    before = store.backups.dump(None)
    keys = [k for k in foreign_keys(store.db) if k[0] in WORKSHOP_TABLES]
    assert {table for table, _, _ in keys} == set(WORKSHOP_TABLES) - {"workshops"}
    accepted = []
    for table, column, parent in keys:
        tampered = copy.deepcopy(document)
        rows = tampered["tables"][table]
        assert rows, f"the test's workshop has no {table} rows to tamper with"
        row = next((r for r in rows if r.get(column) is not None), rows[0])
        row[column] = theirs[parent][0]["id"]
        try:
            restores.restore_workshop(store, facilitator, json.dumps(tampered).encode())
            accepted.append(f"{table}.{column}")
        except ValidationError as exc:
            assert f"{table} row {rows.index(row) + 1}: {column}" in str(exc)
            assert "refer outside this workshop" in str(exc)
    assert accepted == []
    assert store.backups.dump(None) == before
