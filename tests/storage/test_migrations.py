"""Migrations on a real SQLite file and a real PostgreSQL database.

The whole schema a blank database migrates to is written out below as the migrations write it
(`{pk}`, `{float}`, NOT NULL, DEFAULT, REFERENCES ... ON DELETE), and read back from each engine's
catalogue into the same words: a new migration must say here what it changed, and a migration
that does something else on one engine fails on that engine. A UNIQUE written inside CREATE TABLE
has no name of ours: it is listed under PostgreSQL's name for it (<table>_<columns>_key), which
SQLite's sqlite_autoindex_<table>_<n> is given here. Not read (OrgKit uses none): CHECK
constraints, ON UPDATE actions, partial or expression indexes.
"""
import re

import pytest

from orgkit.storage import migrations, open_store
from orgkit.storage.migrations import MIGRATIONS, applied_versions, migrate

# Every column as its migration writes it; a table keyed by something other than its `{pk}` id
# says so in a PRIMARY KEY line, as in CREATE TABLE.
EXPECTED_TABLES = {
    "schema_migrations": {
        "version": "INTEGER NOT NULL",
        "name": "TEXT NOT NULL",
        "applied_at": "{float} NOT NULL",
        "PRIMARY KEY": "(version)",
    },
    "workshops": {
        "id": "{pk}",
        "title": "TEXT NOT NULL",
        "held_on": "TEXT",
        "join_code": "TEXT NOT NULL",
        "pin_hash": "TEXT NOT NULL",
        "failed_unlocks": "INTEGER NOT NULL DEFAULT 0",
        "unlock_blocked_until": "{float} NOT NULL DEFAULT 0",
        "is_demo": "INTEGER NOT NULL DEFAULT 0",
        "created_at": "{float} NOT NULL",
        "idempotency_key": "TEXT",
        "language": "TEXT NOT NULL DEFAULT 'en'",
        "bilingual_projector": "INTEGER NOT NULL DEFAULT 0",
    },
    "participants": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "token": "TEXT NOT NULL",
        "display_name": "TEXT NOT NULL DEFAULT ''",
        "created_at": "{float} NOT NULL",
        "last_seen": "{float} NOT NULL",
        "device_hash": "TEXT",
    },
    "maps": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "name": "TEXT NOT NULL",
        "issue": "TEXT NOT NULL DEFAULT ''",
        "link_token": "TEXT NOT NULL",
        "target_impacted": "INTEGER NOT NULL DEFAULT 0",
        "target_leader": "INTEGER NOT NULL DEFAULT 0",
        "target_organization": "INTEGER NOT NULL DEFAULT 0",
        "target_decision_maker": "INTEGER NOT NULL DEFAULT 0",
        "revision": "INTEGER NOT NULL DEFAULT 0",
        "created_at": "{float} NOT NULL",
        "wanted_constituencies": "TEXT NOT NULL DEFAULT ''",
        "idempotency_key": "TEXT",
        "short_code": "TEXT",
        "handout_open": "INTEGER NOT NULL DEFAULT 1",
    },
    "entries": {
        "id": "{pk}",
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "name": "TEXT NOT NULL",
        "level": "TEXT NOT NULL",
        "role": "TEXT NOT NULL DEFAULT ''",
        "constituencies": "TEXT NOT NULL DEFAULT ''",
        "contact": "TEXT NOT NULL DEFAULT ''",
        "how_help": "TEXT NOT NULL DEFAULT ''",
        "is_gatekeeper": "INTEGER NOT NULL DEFAULT 0",
        "gatekeeper_why": "TEXT NOT NULL DEFAULT ''",
        "strength": "TEXT NOT NULL DEFAULT 'none'",
        "stage": "TEXT NOT NULL DEFAULT 'identified'",
        "point_person": "TEXT NOT NULL DEFAULT ''",
        "next_step": "TEXT NOT NULL DEFAULT ''",
        "next_step_on": "TEXT",
        "notes": "TEXT NOT NULL DEFAULT ''",
        "office": "TEXT NOT NULL DEFAULT ''",
        "jurisdiction": "TEXT NOT NULL DEFAULT ''",
        "agenda": "TEXT NOT NULL DEFAULT ''",
        "issues": "TEXT NOT NULL DEFAULT ''",
        "answers_to": "TEXT NOT NULL DEFAULT ''",
        "funded_by": "TEXT NOT NULL DEFAULT ''",
        "stance": "INTEGER",
        "influence": "INTEGER",
        "willing_to_speak": "INTEGER NOT NULL DEFAULT 0",
        "trained": "INTEGER NOT NULL DEFAULT 0",
        "version": "INTEGER NOT NULL DEFAULT 1",
        "created_at": "{float} NOT NULL",
        "updated_at": "{float} NOT NULL",
        "extra": "TEXT NOT NULL DEFAULT ''",
        "external_id": "TEXT NOT NULL DEFAULT ''",
        "description": "TEXT NOT NULL DEFAULT ''",
        "source_type": "TEXT NOT NULL DEFAULT ''",
    },
    "links": {
        "id": "{pk}",
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "source_id": "BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE",
        "target_id": "BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE",
        "kind": "TEXT NOT NULL",
        "created_at": "{float} NOT NULL",
    },
    "actions": {
        "id": "{pk}",
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "kind": "TEXT NOT NULL",
        "title": "TEXT NOT NULL DEFAULT ''",
        "due_on": "TEXT",
        "status": "TEXT NOT NULL DEFAULT 'planned'",
        "outcome": "TEXT NOT NULL DEFAULT ''",
        "turnout": "INTEGER NOT NULL DEFAULT 0",
        "created_at": "{float} NOT NULL",
        "updated_at": "{float} NOT NULL",
    },
    "action_entries": {
        "action_id": "BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE",
        "entry_id": "BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE",
        "PRIMARY KEY": "(action_id, entry_id)",
    },
    "boards": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "prompt": "TEXT NOT NULL",
        "reference_notes": "TEXT NOT NULL DEFAULT ''",
        "anonymous": "INTEGER NOT NULL DEFAULT 0",
        "votes_per_participant": "INTEGER NOT NULL DEFAULT 3",
        "moderation": "TEXT NOT NULL DEFAULT 'open'",
        "item_limit": "INTEGER NOT NULL DEFAULT 280",
        "phase": "TEXT NOT NULL DEFAULT 'collect'",
        "timer_ends_at": "{float}",
        "locked": "INTEGER NOT NULL DEFAULT 0",
        "revealed": "INTEGER NOT NULL DEFAULT 0",
        "revision": "INTEGER NOT NULL DEFAULT 0",
        "created_at": "{float} NOT NULL",
        "votes_hidden": "INTEGER NOT NULL DEFAULT 0",
        "idempotency_key": "TEXT",
        "prompt_texts": "TEXT NOT NULL DEFAULT '{}'",
        "notes_texts": "TEXT NOT NULL DEFAULT '{}'",
    },
    "themes": {
        "id": "{pk}",
        "board_id": "BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE",
        "name": "TEXT NOT NULL",
        "created_at": "{float} NOT NULL",
    },
    "items": {
        "id": "{pk}",
        "board_id": "BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE",
        "participant_id": "BIGINT REFERENCES participants(id) ON DELETE SET NULL",
        "author_name": "TEXT NOT NULL DEFAULT ''",
        "text": "TEXT NOT NULL",
        "status": "TEXT NOT NULL DEFAULT 'visible'",
        "theme_id": "BIGINT REFERENCES themes(id) ON DELETE SET NULL",
        "pinned": "INTEGER NOT NULL DEFAULT 0",
        "merged_into": "BIGINT REFERENCES items(id) ON DELETE SET NULL",
        "idempotency_key": "TEXT",
        "created_at": "{float} NOT NULL",
        "updated_at": "{float} NOT NULL",
        "from_floor": "INTEGER NOT NULL DEFAULT 0",
    },
    "votes": {
        "item_id": "BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE",
        "participant_id": "BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE",
        "created_at": "{float} NOT NULL",
        "PRIMARY KEY": "(item_id, participant_id)",
    },
    "forum_questions": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "text": "TEXT NOT NULL",
        "position": "INTEGER NOT NULL DEFAULT 0",
        "texts": "TEXT NOT NULL DEFAULT '{}'",
    },
    "reveal_matches": {
        "board_id": "BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE",
        "point": "INTEGER NOT NULL",
        "item_id": "BIGINT REFERENCES items(id) ON DELETE SET NULL",
        "raised": "INTEGER NOT NULL DEFAULT 1",
        "PRIMARY KEY": "(board_id, point)",
    },
    "facilitator_unlocks": {
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "device_hash": "TEXT NOT NULL",
        "expires_at": "{float} NOT NULL",
        "PRIMARY KEY": "(workshop_id, device_hash)",
    },
    "merged_votes": {
        "item_id": "BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE",
        "participant_id": "BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE",
        "moved": "INTEGER NOT NULL",
        "created_at": "{float} NOT NULL",
        "PRIMARY KEY": "(item_id, participant_id)",
    },
    "import_mappings": {
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "shape": "TEXT NOT NULL",
        "mapping": "TEXT NOT NULL",
        "updated_at": "{float} NOT NULL",
        "PRIMARY KEY": "(map_id, shape)",
    },
    "backups": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "reason": "TEXT NOT NULL",
        "created_at": "{float} NOT NULL",
        "data": "TEXT NOT NULL",
    },
    "unlock_attempts": {
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "source": "TEXT NOT NULL",
        "failures": "INTEGER NOT NULL DEFAULT 0",
        "blocked_until": "{float} NOT NULL DEFAULT 0",
        "PRIMARY KEY": "(workshop_id, source)",
    },
    "device_languages": {
        "device_hash": "TEXT NOT NULL",
        "language": "TEXT NOT NULL",
        "updated_at": "{float} NOT NULL",
        "PRIMARY KEY": "(device_hash)",
    },
    "agenda_steps": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "position": "INTEGER NOT NULL",
        "kind": "TEXT NOT NULL",
        "title": "TEXT NOT NULL DEFAULT '{}'",
        "body": "TEXT NOT NULL DEFAULT '{}'",
        "duration_s": "INTEGER",
        "content": "TEXT NOT NULL DEFAULT '{}'",
    },
    "workshop_sessions": {
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "revision": "INTEGER NOT NULL DEFAULT 0",
        "current_step_id": "BIGINT REFERENCES agenda_steps(id) ON DELETE SET NULL",
        "step_started_at": "{float}",
        "PRIMARY KEY": "(workshop_id)",
    },
    "agenda_templates": {
        "id": "{pk}",
        "name": "TEXT NOT NULL",
        "data": "TEXT NOT NULL",
        "created_at": "{float} NOT NULL",
    },
    "map_members": {
        "participant_id": "BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE",
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "joined_at": "{float} NOT NULL",
        "PRIMARY KEY": "(participant_id)",
    },
    "commitments": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "participant_id": "BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE",
        "map_id": "BIGINT REFERENCES maps(id) ON DELETE SET NULL",
        "entry_id": "BIGINT REFERENCES entries(id) ON DELETE SET NULL",
        "kind": "TEXT NOT NULL",
        "other_text": "TEXT NOT NULL DEFAULT ''",
        "with_whom": "TEXT NOT NULL DEFAULT ''",
        "due_on": "TEXT NOT NULL",
        "name": "TEXT NOT NULL DEFAULT ''",
        "show_name": "INTEGER NOT NULL DEFAULT 0",
        "idempotency_key": "TEXT",
        "created_at": "{float} NOT NULL",
        "updated_at": "{float} NOT NULL",
        "done_at": "{float}",  # 15: kept, when
    },
    "map_changes": {
        "id": "{pk}",
        "map_id": "BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE",
        "at": "{float} NOT NULL",
        "subject": "TEXT NOT NULL",
        "subject_id": "BIGINT",
        "change": "TEXT NOT NULL",
        "fields": "TEXT NOT NULL DEFAULT '{}'",
        "before": "TEXT NOT NULL DEFAULT '{}'",
        "role": "TEXT NOT NULL",
        "display_name": "TEXT NOT NULL DEFAULT ''",
    },
    "map_reviews": {
        "id": "{pk}",
        "workshop_id": "BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE",
        "map_id": "BIGINT REFERENCES maps(id) ON DELETE CASCADE",
        "reviewed_at": "{float} NOT NULL",
        "role": "TEXT NOT NULL",
        "display_name": "TEXT NOT NULL DEFAULT ''",
    },
}

# Every index but the primary keys, as CREATE [UNIQUE] INDEX names it.
EXPECTED_INDEXES = {
    "workshops_join_code_key": "UNIQUE workshops(join_code)",
    "workshops_idempotency": "UNIQUE workshops(idempotency_key)",
    "participants_token_key": "UNIQUE participants(token)",
    "participants_workshop": "participants(workshop_id)",
    "participants_device": "UNIQUE participants(workshop_id, device_hash)",
    "maps_link_token_key": "UNIQUE maps(link_token)",
    "maps_workshop": "maps(workshop_id)",
    "maps_idempotency": "UNIQUE maps(workshop_id, idempotency_key)",
    "maps_short_code": "UNIQUE maps(short_code)",
    "entries_map_level": "entries(map_id, level)",
    "links_source_id_target_id_kind_key": "UNIQUE links(source_id, target_id, kind)",
    "links_map": "links(map_id)",
    "actions_map": "actions(map_id)",
    "boards_workshop": "boards(workshop_id)",
    "boards_idempotency": "UNIQUE boards(workshop_id, idempotency_key)",
    "items_board_id_idempotency_key_key": "UNIQUE items(board_id, idempotency_key)",
    "items_board": "items(board_id)",
    "votes_participant": "votes(participant_id)",
    "backups_workshop": "backups(workshop_id)",
    "agenda_steps_workshop": "agenda_steps(workshop_id, position)",
    "agenda_templates_name_key": "UNIQUE agenda_templates(name)",
    "map_members_map": "map_members(map_id)",
    "commitments_workshop": "commitments(workshop_id, due_on)",
    "commitments_participant": "commitments(participant_id)",
    "commitments_entry": "commitments(entry_id)",
    "commitments_idempotency": "UNIQUE commitments(participant_id, idempotency_key)",
    "map_changes_map": "map_changes(map_id, at)",
    "map_reviews_workshop": "map_reviews(workshop_id, map_id)",
}


def _definition(kind: str, not_null: bool, default: str | None,
                reference: tuple[str, str, str] | None) -> str:
    """A column as a migration writes it: `BIGINT NOT NULL REFERENCES maps(id) ON DELETE ...`."""
    words = [kind] + ["NOT NULL"] * bool(not_null) + [f"DEFAULT {default}"] * (default is not None)
    if reference:
        table, column, on_delete = reference
        words.append(f"REFERENCES {table}({column})" +
                     ("" if on_delete == "NO ACTION" else f" ON DELETE {on_delete}"))
    return " ".join(words)


def _kind(declared: str) -> str:
    return "{float}" if declared.upper() in ("REAL", "DOUBLE PRECISION") else declared.upper()


def _with_key(columns: dict[str, str], key: list[str]) -> dict[str, str]:
    """A table's key: implied by a `{pk}` id, else a PRIMARY KEY line as in CREATE TABLE."""
    if key != [name for name, kind in columns.items() if kind == "{pk}"]:
        columns["PRIMARY KEY"] = f"({', '.join(key)})"
    return columns


def _sqlite_schema(db) -> tuple[dict, dict]:
    tables, indexes = {}, {}
    for table in db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%'"):
        name = table["name"]
        columns = db.query(f"PRAGMA table_info({name})")
        key = [c["name"] for c in sorted(columns, key=lambda c: c["pk"]) if c["pk"]]
        refs = {fk["from"]: (fk["table"], fk["to"], fk["on_delete"])
                for fk in db.query(f"PRAGMA foreign_key_list({name})")}
        defined = {}
        for c in columns:
            rowid = key == [c["name"]] and c["type"] == "INTEGER"  # the rowid: never NULL
            defined[c["name"]] = "{pk}" if rowid and "AUTOINCREMENT" in table["sql"] else \
                _definition(_kind(c["type"]), c["notnull"] or rowid, c["dflt_value"],
                            refs.get(c["name"]))
        tables[name] = _with_key(defined, key)
        for index in db.query(f"PRAGMA index_list({name})"):
            if index["origin"] == "pk":
                continue
            on = [row["name"] for row in db.query(f"PRAGMA index_info({index['name']})")]
            label = f"{name}_{'_'.join(on)}_key" if index["origin"] == "u" else index["name"]
            indexes[label] = f"{'UNIQUE ' * index['unique']}{name}({', '.join(on)})"
    return tables, indexes


ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def _pg_schema(db) -> tuple[dict, dict]:
    ours = "relnamespace = current_schema()::regnamespace"
    keys, indexes = {}, {}
    for index in db.query(
            "SELECT i.relname AS name, t.relname AS tbl, x.indisunique AS uniq,"
            " x.indisprimary AS pk, ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY"
            " AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
            " ORDER BY k.n) AS cols FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            f" JOIN pg_class t ON t.oid = x.indrelid WHERE t.{ours}"):
        if index["pk"]:
            keys[index["tbl"]] = index["cols"]
        else:
            indexes[index["name"]] = \
                f"{'UNIQUE ' * index['uniq']}{index['tbl']}({', '.join(index['cols'])})"
    refs = {}
    for fk in db.query(
            "SELECT t.relname AS tbl, a.attname AS col, r.relname AS ref, ra.attname AS ref_col,"
            " c.confdeltype AS on_delete, cardinality(c.conkey) AS width FROM pg_constraint c"
            " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]"
            f" WHERE c.contype = 'f' AND t.{ours}"):
        assert fk["width"] == 1, f"{fk['tbl']} has a foreign key of several columns"
        refs[fk["tbl"], fk["col"]] = (fk["ref"], fk["ref_col"], ON_DELETE[fk["on_delete"]])
    tables: dict[str, dict] = {}
    for c in db.query("SELECT * FROM information_schema.columns"
                      " WHERE table_schema = current_schema() ORDER BY ordinal_position"):
        table, name = c["table_name"], c["column_name"]
        identity = c["data_type"] == "bigint" and c["identity_generation"] == "BY DEFAULT"
        default = c["column_default"] and re.sub(r"::[a-z ]+$", "", c["column_default"])  # ''::text
        tables.setdefault(table, {})[name] = "{pk}" if identity and keys.get(table) == [name] \
            else _definition(_kind(c["data_type"]), c["is_nullable"] == "NO", default,
                             refs.get((table, name)))
    return {t: _with_key(columns, keys.get(t, [])) for t, columns in tables.items()}, indexes


def schema(db) -> tuple[dict, dict]:
    """({table: {column: definition}}, {index: "[UNIQUE ]table(columns)"}) as the engine has it."""
    return _sqlite_schema(db) if db.engine == "sqlite" else _pg_schema(db)


def test_blank_database_migrates_to_exactly_the_expected_schema(store):
    tables, indexes = schema(store.db)
    assert sorted(tables) == sorted(EXPECTED_TABLES)
    for name, columns in EXPECTED_TABLES.items():  # table by table: a failure names the column
        assert tables[name] == columns, name
    assert indexes == EXPECTED_INDEXES
    assert applied_versions(store.db) == [number for number, _, _ in MIGRATIONS]


def test_opening_again_changes_nothing(db_url):
    first = open_store(db_url)
    recorded = first.db.query("SELECT version, applied_at FROM schema_migrations")
    before = schema(first.db)
    first.close()
    second = open_store(db_url)
    assert migrate(second.db) == []
    assert second.db.query("SELECT version, applied_at FROM schema_migrations") == recorded
    assert schema(second.db) == before
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


def test_migration_12_starts_each_existing_maps_history_with_what_it_holds(db_url,
                                                                          monkeypatch):
    """A database from before the history: each map's rows become its first history lines,
    each at its own created_at, so a rebuild of today matches the map."""
    from orgkit.followup import model as followup

    monkeypatch.setattr(migrations, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < 12])
    old = open_store(db_url)
    db = old.db
    db.execute("INSERT INTO workshops (title, join_code, pin_hash, created_at) "
               "VALUES ('W', 'ABCDEF', 'x', 1)")
    db.execute("INSERT INTO maps (workshop_id, name, link_token, target_leader, created_at) "
               "VALUES (1, 'M', 'tok', 3, 5)")
    db.execute("INSERT INTO entries (map_id, name, level, created_at, updated_at) "
               "VALUES (1, 'Ana', 'impacted', 10, 20)")
    old.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    store = open_store(db_url)
    changes = store.maps.changes(1)
    assert [(c["subject"], c["change"], c["at"]) for c in changes] == [
        ("map", "added", 5), ("entry", "added", 10)]
    state = followup.as_of(changes, 100)
    assert state.map["target_leader"] == 3 and state.entries[1]["name"] == "Ana"
    store.close()
