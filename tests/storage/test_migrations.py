"""Migrations on a real SQLite file and a real PostgreSQL database."""
import pytest

from orgkit.storage import migrations, open_store
from orgkit.storage.migrations import MIGRATIONS, applied_versions, migrate

TABLES = {"workshops", "maps", "entries", "links", "actions", "action_entries", "boards", "themes",
          "reveal_matches", "facilitator_unlocks", "import_mappings", "backups", "unlock_attempts",
          "merged_votes", "items", "votes", "participants", "forum_questions", "schema_migrations"}


def _tables(db) -> set[str]:
    if db.engine == "sqlite":
        rows = db.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = db.query("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
    return {row["name"] for row in rows} - {"sqlite_sequence"}


def test_blank_database_migrates_to_full_schema(db_url):
    store = open_store(db_url)
    assert TABLES <= _tables(store.db)
    assert applied_versions(store.db) == [number for number, _, _ in MIGRATIONS]
    store.close()


def test_opening_again_changes_nothing(db_url):
    first = open_store(db_url)
    recorded = first.db.query("SELECT version, applied_at FROM schema_migrations")
    tables = _tables(first.db)
    first.close()
    second = open_store(db_url)
    assert migrate(second.db) == []
    assert second.db.query("SELECT version, applied_at FROM schema_migrations") == recorded
    assert _tables(second.db) == tables
    second.close()


def test_sqlite_runs_in_wal_with_foreign_keys(sqlite_url):
    db = open_store(sqlite_url).db
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA busy_timeout") >= 5000


def test_postgres_reads_survive_the_server_dropping_pooled_connections(pg_cluster):
    import psycopg

    url = pg_cluster.new_database()
    store = open_store(url)
    dbname = url.rsplit("/", 1)[1]

    def drop_our_connections():
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))

    assert store.workshops.count() == 0  # the pool now holds an open connection
    drop_our_connections()
    assert store.workshops.count() == 0  # a read is repeated once on a fresh connection
    store.db.recheck_idle_s = 0  # every idle connection is pinged before use
    drop_our_connections()
    with store.atomic():  # a transaction never starts on a dead connection
        assert store.workshops.count() == 0
    store.close()


def test_default_database_is_the_embedded_sqlite_file(monkeypatch):
    from orgkit.storage import database_url

    monkeypatch.delenv("ORGKIT_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///data/orgkit.db"
    monkeypatch.setenv("ORGKIT_DATABASE_URL", "  ")
    assert database_url() == "sqlite:///data/orgkit.db"


def test_a_missing_sqlite_folder_is_created(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'new' / 'nested' / 'orgkit.db'}")
    assert (tmp_path / "new" / "nested" / "orgkit.db").exists()
    assert store.workshops.count() == 0
    store.close()


def test_an_unknown_database_scheme_is_refused_with_the_variable_named():
    with pytest.raises(ValueError, match="ORGKIT_DATABASE_URL must start with sqlite:/// or "
                                         "postgresql://"):
        open_store("mysql://localhost/orgkit")


def test_migration_6_keeps_extra_fields_and_import_mappings(db_url):
    store = open_store(db_url)
    assert "import_mappings" in _tables(store.db)
    workshop = store.db.insert_row("workshops", {"title": "W", "join_code": "ABCDEF",
                                                 "pin_hash": "x", "created_at": 0.0})
    map_id = store.maps.create(workshop, "Team", "token-1")
    entry = store.maps.insert_entry(map_id, {"name": "Ana", "level": "leader",
                                             "extra": '{"Website": "x"}', "external_id": "e1"})
    assert (store.maps.entry(entry)["extra"], store.maps.entry(entry)["external_id"]) == (
        '{"Website": "x"}', "e1")
    store.maps.remember_import_mapping(map_id, "shape", '{"a": 1}')
    store.maps.remember_import_mapping(map_id, "shape", '{"a": 2}')
    assert store.maps.import_mapping(map_id, "shape") == '{"a": 2}'
    assert store.maps.import_mapping(map_id, "other") is None
    store.close()


def test_migration_5_keeps_typed_funders_and_bosses_in_the_notes(db_url, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < 5])
    old = open_store(db_url)
    workshop = old.db.insert("INSERT INTO workshops (title, join_code, pin_hash, created_at)"
                             " VALUES ('W', 'OLDWS5', 'x', 0) RETURNING id", {})
    map_id = old.db.insert("INSERT INTO maps (workshop_id, name, link_token, created_at)"
                           " VALUES (:w, 'Team', 'old-map', 0) RETURNING id", {"w": workshop})
    rows = [("Rep. A", "Met once", "Realtors PAC", "Leadership"), ("Rep. B", "", "PAC", ""),
            ("Rep. C", "Keep", "", "")]
    for name, notes, funded, boss in rows:
        old.db.execute("INSERT INTO entries (map_id, name, level, notes, funded_by, answers_to,"
                       " created_at, updated_at) VALUES (:m, :n, 'decision_maker', :notes, :f,"
                       " :a, 0, 0)", {"m": map_id, "n": name, "notes": notes, "f": funded,
                                      "a": boss})
    old.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)  # every migration again
    new = open_store(db_url)
    got = {e["name"]: (e["notes"], e["funded_by"], e["answers_to"])
           for e in new.maps.entries(map_id)}
    assert got == {
        "Rep. A": ("Met once\nFunded by (typed before links): Realtors PAC\n"
                   "Answers to (typed before links): Leadership", "", ""),
        "Rep. B": ("Funded by (typed before links): PAC", "", ""),
        "Rep. C": ("Keep", "", "")}
    new.close()
