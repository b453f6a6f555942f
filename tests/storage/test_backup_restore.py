"""Backups on both engines: a workshop's file and its restore, automatic backups before what
cannot be undone, the operator's whole-database files (SQLite online backup, pg_dump), the copy
taken before a migration, and the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import restored_dump

from orgkit.backup import service as backup
from orgkit.workshop import backups as workshop_backups
from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.demo import DEMO_PATH, ensure_demo
from orgkit.domain import Actor, Role, ValidationError
from orgkit.storage import open_store
from orgkit.storage.backups import NOT_BACKED_UP, WORKSHOP_TABLES
from orgkit.workshop import service as workshops
from tests.conftest import ROOT


def _demo(store):
    workshop_id = ensure_demo(store, DEMO_PATH)
    facilitator = Actor(Role.FACILITATOR, workshop_id)
    board = boards.latest_board(store, facilitator)
    items = [i for i in boards.snapshot(store, board.id).items if i.status == board_model.SHOWN]
    boards.merge_items(store, facilitator, items[1].id, items[0].id)  # the self-reference
    boards.decide_match(store, facilitator, board.id, 0, items[0].id)
    return workshop_id, facilitator, board


def test_every_table_of_the_schema_is_backed_up_or_named_as_bookkeeping(store):
    assert store.backups.tables() - {"sqlite_sequence"} == set(WORKSHOP_TABLES) | NOT_BACKED_UP


def test_a_workshop_restored_from_its_backup_file_is_identical(store):
    workshop_id, facilitator, board = _demo(store)
    other = workshops.create_workshop(store, "Another workshop", None, "other-pin")
    before, others_before = store.backups.dump(workshop_id), store.backups.dump(other.id)
    assert all(before[t] for t in ("entries", "links", "actions", "action_entries", "items",
                                   "votes", "themes", "reveal_matches", "participants"))
    data = workshop_backups.workshop_backup(store, facilitator)
    # a bad afternoon: a board deleted, an entry changed, a participant renamed
    boards.delete_board(store, facilitator, board.id, "DELETE")
    store.db.execute("UPDATE entries SET name = 'changed'")
    store.db.execute("UPDATE participants SET display_name = 'someone else'")
    assert store.backups.dump(workshop_id) != before
    backup.restore_workshop(store, facilitator, data)
    assert restored_dump(store.backups.dump(workshop_id)) == before
    assert store.backups.dump(other.id)["workshops"] == others_before["workshops"]
    assert workshops.unlock(store, workshop_id, "demo-pin-2026", source="t").is_facilitator


@pytest.mark.parametrize("tamper, message", [
    (lambda d: d.update(format="something"), "is not an OrgKit backup"),
    (lambda d: d.update(scope="database"), "a backup of a database, not of a workshop"),
    (lambda d: d.update(schema=999), "newer version of OrgKit"),
    (lambda d: d["tables"]["workshops"][0].update(id=999999), "refer outside this workshop"),
    (lambda d: d["tables"]["entries"][0].update(secret_column=1), "does not fit"),
    (lambda d: d["tables"]["entries"][0].update(name="\ud800"), "damaged value"),
    (lambda d: d["tables"].update(pg_shadow=[]), "unknown table"),
])
def test_a_wrong_or_tampered_backup_file_is_refused_and_nothing_changes(store, tamper, message):
    workshop_id, facilitator, _ = _demo(store)
    document = json.loads(workshop_backups.workshop_backup(store, facilitator))
    tamper(document)
    before = store.backups.dump(None)
    with pytest.raises(ValidationError, match=message):
        backup.restore_workshop(store, facilitator, json.dumps(document).encode())
    assert store.backups.dump(None) == before


def test_a_backup_file_naming_another_workshops_map_is_refused_whole(store):
    workshop_id, facilitator, _ = _demo(store)
    other = workshops.create_workshop(store, "Elsewhere", None, "other-pin")
    from orgkit.map import service as maps

    foreign_map = maps.create_map(store, Actor(Role.FACILITATOR, other.id), "Their map")
    document = json.loads(workshop_backups.workshop_backup(store, facilitator))
    document["tables"]["entries"][0]["map_id"] = foreign_map["id"]
    before = store.backups.dump(None)
    with pytest.raises(ValidationError, match="refer outside this workshop"):
        backup.restore_workshop(store, facilitator, json.dumps(document).encode())
    assert store.backups.dump(None) == before
    for junk in (b"\xff\xfe", b"[1, 2]", b"{" * 100000):
        with pytest.raises(ValidationError, match="Backup file"):
            backup.restore_workshop(store, facilitator, junk)


def test_a_backup_that_names_an_anonymous_boards_author_is_restored_without_the_name(store,
                                                                                  tmp_path):
    """A hand-edited or foreign file cannot put a name on an anonymous board's item: restore
    writes items as OrgKit does (no view filters names again on the way out)."""
    made = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, made.id)
    board = boards.create_board(store, facilitator, "Quiet ideas", anonymous=True)
    named = boards.create_board(store, facilitator, "Loud ideas")
    participant = workshops.join(store, made.join_code, display_name="Maria")[1]
    boards.add_item(store, participant, board.id, "A quiet idea")
    boards.add_item(store, participant, named.id, "A loud idea")
    document = json.loads(workshop_backups.workshop_backup(store, facilitator))
    for item in document["tables"]["items"]:
        item["author_name"] = "Maria"
    backup.restore_workshop(store, facilitator, json.dumps(document).encode())
    authors = {i.text: i.author for b in (board, named) for i in boards.snapshot(store, b.id).items}
    assert authors == {"A quiet idea": None, "A loud idea": "Maria"}
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps({**document, "scope": "database",
                                 "tables": store.backups.dump(None) | {"items": [
                                     {**i, "author_name": "Maria"}
                                     for i in store.backups.dump(None)["items"]]}}))
    backup.restore_from_file(store, whole)
    authors = {i.text: i.author for b in (board, named) for i in boards.snapshot(store, b.id).items}
    assert authors == {"A quiet idea": None, "A loud idea": "Maria"}


def test_deleting_or_resetting_a_board_keeps_an_automatic_backup_that_restores_it(store):
    workshop_id, facilitator, board = _demo(store)
    before = store.backups.dump(workshop_id)
    boards.reset_votes(store, facilitator, board.id)
    boards.delete_board(store, facilitator, board.id, "DELETE")
    kept = workshop_backups.automatic_backups(store, facilitator)
    assert [str(k["reason"])[:30] for k in kept] == ["before deleting the board “Wha",
                                                     "before resetting the votes of "]
    backup.restore_automatic(store, facilitator, kept[-1]["id"])  # the one before the reset
    assert restored_dump(store.backups.dump(workshop_id)) == before
    for _ in range(workshop_backups.AUTO_KEPT + 2):
        boards.reset_votes(store, facilitator, board.id)
    assert len(workshop_backups.automatic_backups(store, facilitator)) == workshop_backups.AUTO_KEPT
    other = workshops.create_workshop(store, "Other", None, "other-pin")
    with pytest.raises(ValidationError, match="not one of this workshop's backups"):
        backup.restore_automatic(store, Actor(Role.FACILITATOR, other.id), kept[0]["id"])


def test_the_whole_database_file_round_trip_gives_identical_data(store, tmp_path):
    _demo(store)
    before = store.backups.dump(None)
    path = backup.create_file(store, tmp_path / ("whole.db" if store.db.engine == "sqlite"
                                                 else "whole.dump"))
    store.db.execute("DELETE FROM workshops")
    backup.restore_from_file(store, path)
    assert store.backups.dump(None) == before
    workshops.create_workshop(store, "After the restore", None, "after-pin")  # ids still free


def test_a_whole_database_json_restores_into_a_fresh_database_with_its_ids(store, tmp_path,
                                                                          request):
    _demo(store)
    before = store.backups.dump(None)
    path = tmp_path / "rows.json"
    from orgkit.storage.backups import backup_document

    path.write_text(json.dumps(backup_document(store.db, before, "database")))
    workshop_file = tmp_path / "one-workshop.json"
    workshop_file.write_bytes(workshop_backups.workshop_backup(store, Actor(Role.FACILITATOR, 1)))
    with pytest.raises(ValidationError, match="a backup of a workshop, not of a database"):
        backup.restore_from_file(store, workshop_file)  # never wipes the other workshops
    assert store.backups.dump(None) == before
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}" if store.db.engine == "sqlite"
                       else request.getfixturevalue("pg_cluster").new_database())
    backup.restore_from_file(fresh, path)
    assert fresh.backups.dump(None) == before
    made = workshops.create_workshop(fresh, "Next", None, "next-pin")  # sequences moved on
    assert made.id > max(row["id"] for row in before["workshops"])
    fresh.close()


def test_a_migration_on_an_existing_database_first_copies_it(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ORGKIT_BACKUP_DIR", str(tmp_path / "backups"))
    store = open_store(db_url)
    workshops.create_workshop(store, "Before the upgrade", None, "upgrade-pin")
    # pretend this database predates migration 7
    store.db.execute("DROP TABLE backups")
    store.db.execute("DROP TABLE unlock_attempts")
    store.db.execute("DELETE FROM schema_migrations WHERE version = 7")
    store.close()
    assert not (tmp_path / "backups").exists()
    store = open_store(db_url)
    (copy,) = (tmp_path / "backups").iterdir()
    assert copy.name.startswith("before-migration-") and copy.name.endswith(
        "-007.db" if store.db.engine == "sqlite" else "-007.json")
    if store.db.engine == "sqlite":
        restored = open_store(f"sqlite:///{copy}")
        assert [w["title"] for w in restored.db.query("SELECT title FROM workshops")] == [
            "Before the upgrade"]
        restored.close()
    else:
        assert json.loads(copy.read_text())["tables"]["workshops"][0]["title"] == \
            "Before the upgrade"
    store.close()


def test_the_command_line_backs_up_and_restores_the_configured_database(store, db_url, tmp_path):
    _demo(store)
    before = store.backups.dump(None)
    env = {**os.environ, "ORGKIT_DATABASE_URL": db_url, "ORGKIT_BACKUP_DIR": str(tmp_path)}
    made = subprocess.run([sys.executable, "-m", "orgkit.backup", "create"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    (path,) = tmp_path.glob("orgkit-*")
    assert str(path) in made.stdout
    store.db.execute("DELETE FROM workshops")
    store.close()
    subprocess.run([sys.executable, "-m", "orgkit.backup", "restore", str(path)], cwd=ROOT,
                   env=env, capture_output=True, text=True, check=True)
    again = open_store(db_url)
    assert again.backups.dump(None) == before
    again.close()
    failed = subprocess.run([sys.executable, "-m", "orgkit.backup", "restore",
                             str(tmp_path / "missing.json")], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert failed.returncode == 1 and "error:" in failed.stderr
