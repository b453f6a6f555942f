"""Numbered, append-only schema migrations, applied when a store is opened.

Never edit a migration that has shipped: add the next number. Each migration runs in one
transaction together with the row that records it in `schema_migrations`, so a crash leaves the
database at the previous version. On PostgreSQL an advisory lock keeps two app servers that start
at once from applying the same migration twice; on SQLite `BEGIN IMMEDIATE` does the same.

Column types `{pk}` and `{float}` are adapted per engine by Database.ddl(). Times are epoch seconds,
dates ISO text, flags 0/1 integers: the same on both engines.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from .database import Database

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "initial schema", [
        """CREATE TABLE workshops (
            id {pk},
            title TEXT NOT NULL,
            held_on TEXT,
            join_code TEXT NOT NULL UNIQUE,
            pin_hash TEXT NOT NULL,
            failed_unlocks INTEGER NOT NULL DEFAULT 0,
            unlock_blocked_until {float} NOT NULL DEFAULT 0,
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at {float} NOT NULL
        )""",
        """CREATE TABLE participants (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL DEFAULT '',
            created_at {float} NOT NULL,
            last_seen {float} NOT NULL
        )""",
        "CREATE INDEX participants_workshop ON participants(workshop_id)",
        """CREATE TABLE maps (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            issue TEXT NOT NULL DEFAULT '',
            link_token TEXT NOT NULL UNIQUE,
            target_impacted INTEGER NOT NULL DEFAULT 0,
            target_leader INTEGER NOT NULL DEFAULT 0,
            target_organization INTEGER NOT NULL DEFAULT 0,
            target_decision_maker INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            created_at {float} NOT NULL
        )""",
        "CREATE INDEX maps_workshop ON maps(workshop_id)",
        """CREATE TABLE entries (
            id {pk},
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            level TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            constituencies TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            how_help TEXT NOT NULL DEFAULT '',
            is_gatekeeper INTEGER NOT NULL DEFAULT 0,
            gatekeeper_why TEXT NOT NULL DEFAULT '',
            strength TEXT NOT NULL DEFAULT 'none',
            stage TEXT NOT NULL DEFAULT 'identified',
            point_person TEXT NOT NULL DEFAULT '',
            next_step TEXT NOT NULL DEFAULT '',
            next_step_on TEXT,
            notes TEXT NOT NULL DEFAULT '',
            office TEXT NOT NULL DEFAULT '',
            jurisdiction TEXT NOT NULL DEFAULT '',
            agenda TEXT NOT NULL DEFAULT '',
            issues TEXT NOT NULL DEFAULT '',
            answers_to TEXT NOT NULL DEFAULT '',
            funded_by TEXT NOT NULL DEFAULT '',
            stance INTEGER,
            influence INTEGER,
            willing_to_speak INTEGER NOT NULL DEFAULT 0,
            trained INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            created_at {float} NOT NULL,
            updated_at {float} NOT NULL
        )""",
        "CREATE INDEX entries_map_level ON entries(map_id, level)",
        """CREATE TABLE links (
            id {pk},
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            source_id BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            target_id BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            created_at {float} NOT NULL,
            UNIQUE (source_id, target_id, kind)
        )""",
        "CREATE INDEX links_map ON links(map_id)",
        """CREATE TABLE actions (
            id {pk},
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            due_on TEXT,
            status TEXT NOT NULL DEFAULT 'planned',
            outcome TEXT NOT NULL DEFAULT '',
            turnout INTEGER NOT NULL DEFAULT 0,
            created_at {float} NOT NULL,
            updated_at {float} NOT NULL
        )""",
        "CREATE INDEX actions_map ON actions(map_id)",
        """CREATE TABLE action_entries (
            action_id BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            entry_id BIGINT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            PRIMARY KEY (action_id, entry_id)
        )""",
        """CREATE TABLE boards (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            prompt TEXT NOT NULL,
            reference_notes TEXT NOT NULL DEFAULT '',
            anonymous INTEGER NOT NULL DEFAULT 0,
            votes_per_participant INTEGER NOT NULL DEFAULT 3,
            moderation TEXT NOT NULL DEFAULT 'open',
            item_limit INTEGER NOT NULL DEFAULT 280,
            phase TEXT NOT NULL DEFAULT 'collect',
            timer_ends_at {float},
            locked INTEGER NOT NULL DEFAULT 0,
            revealed INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            created_at {float} NOT NULL
        )""",
        "CREATE INDEX boards_workshop ON boards(workshop_id)",
        """CREATE TABLE themes (
            id {pk},
            board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            created_at {float} NOT NULL
        )""",
        """CREATE TABLE items (
            id {pk},
            board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
            participant_id BIGINT REFERENCES participants(id) ON DELETE SET NULL,
            author_name TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'visible',
            theme_id BIGINT REFERENCES themes(id) ON DELETE SET NULL,
            pinned INTEGER NOT NULL DEFAULT 0,
            merged_into BIGINT REFERENCES items(id) ON DELETE SET NULL,
            idempotency_key TEXT,
            created_at {float} NOT NULL,
            updated_at {float} NOT NULL,
            UNIQUE (board_id, idempotency_key)
        )""",
        "CREATE INDEX items_board ON items(board_id)",
        """CREATE TABLE votes (
            item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            created_at {float} NOT NULL,
            PRIMARY KEY (item_id, participant_id)
        )""",
        "CREATE INDEX votes_participant ON votes(participant_id)",
        """CREATE TABLE forum_questions (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        )""",
    ]),
    (2, "board reveal matches", [
        # The facilitator's confirmed or corrected answer, per reference point of a board, to
        # "did the group raise this?": item_id names the item that raised it; raised = 0 means
        # "not raised". A point with no row falls back to the suggestion by shared words.
        """CREATE TABLE reveal_matches (
            board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
            point INTEGER NOT NULL,
            item_id BIGINT REFERENCES items(id) ON DELETE SET NULL,
            raised INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (board_id, point)
        )""",
    ]),
    (3, "communities a team wants to reach", [
        # The map's wanted constituencies, "; "-joined like an entry's tags: a short ordered list
        # read with the map row, so no table of its own.
        "ALTER TABLE maps ADD COLUMN wanted_constituencies TEXT NOT NULL DEFAULT ''",
    ]),
    (4, "remembered browsers and hidden vote counts", [
        # A browser is remembered by a random HttpOnly cookie; only its SHA-256 is stored. A
        # phone that scans the QR again finds its participant by it (one per workshop).
        "ALTER TABLE participants ADD COLUMN device_hash TEXT",
        "CREATE UNIQUE INDEX participants_device ON participants(workshop_id, device_hash)",
        # A facilitator unlock kept for that browser for a working day, in every tab; locking
        # deletes the row.
        """CREATE TABLE facilitator_unlocks (
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            device_hash TEXT NOT NULL,
            expires_at {float} NOT NULL,
            PRIMARY KEY (workshop_id, device_hash)
        )""",
        # The projector and phones hide vote counts until the facilitator shows them.
        "ALTER TABLE boards ADD COLUMN votes_hidden INTEGER NOT NULL DEFAULT 0",
    ]),
    (5, "idempotent creates, map short codes, undoable merges, power as links only", [
        # One key per submitted form: a double click on "Create ..." inserts one row. NULLs
        # never collide in a UNIQUE index (both engines), so rows made without a key coexist.
        "ALTER TABLE workshops ADD COLUMN idempotency_key TEXT",
        "CREATE UNIQUE INDEX workshops_idempotency ON workshops(idempotency_key)",
        "ALTER TABLE boards ADD COLUMN idempotency_key TEXT",
        "CREATE UNIQUE INDEX boards_idempotency ON boards(workshop_id, idempotency_key)",
        "ALTER TABLE maps ADD COLUMN idempotency_key TEXT",
        "CREATE UNIQUE INDEX maps_idempotency ON maps(workshop_id, idempotency_key)",
        # A short code a person can type at the tables; maps made earlier get one when the
        # facilitator first lists them (maps.handout), so this needs no random SQL.
        "ALTER TABLE maps ADD COLUMN short_code TEXT",
        "CREATE UNIQUE INDEX maps_short_code ON maps(short_code)",
        # The votes a merged item had when it was merged, so the merge can be undone: `moved`
        # says whether the vote was carried to the target (0: the person had voted for both).
        """CREATE TABLE merged_votes (
            item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            moved INTEGER NOT NULL,
            created_at {float} NOT NULL,
            PRIMARY KEY (item_id, participant_id)
        )""",
        # A decision-maker's funders and bosses are links from now on (one source of truth).
        # What was typed in the old text fields is kept in the entry's notes, not lost.
        """UPDATE entries SET notes = notes
            || CASE WHEN notes <> '' THEN '
' ELSE '' END
            || CASE WHEN funded_by <> '' THEN 'Funded by (typed before links): ' || funded_by
                    ELSE '' END
            || CASE WHEN funded_by <> '' AND answers_to <> '' THEN '
' ELSE '' END
            || CASE WHEN answers_to <> '' THEN 'Answers to (typed before links): ' || answers_to
                    ELSE '' END,
            funded_by = '', answers_to = ''
            WHERE funded_by <> '' OR answers_to <> ''""",
    ]),
    (6, "imported extra fields and remembered import mappings", [
        # Columns of an imported file that match no field of ours, kept on the entry as a JSON
        # object {column: text} (shown on the entry, exported again); and the file's own ID of
        # the entry, so importing the same file again updates it instead of adding a twin.
        "ALTER TABLE entries ADD COLUMN extra TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN external_id TEXT NOT NULL DEFAULT ''",
        # The mapping step's answers (columns -> fields, Types -> levels, connection types ->
        # link kinds) per map and file shape, offered again for the next file of that shape.
        """CREATE TABLE import_mappings (
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            shape TEXT NOT NULL,
            mapping TEXT NOT NULL,
            updated_at {float} NOT NULL,
            PRIMARY KEY (map_id, shape)
        )""",
    ]),
    (7, "automatic backups and PIN guessing per source", [
        # A workshop's automatic backups (before an import, a board reset or deletion): the
        # backup file's JSON text, the last few per workshop (orgkit/workshop/backups.py).
        """CREATE TABLE backups (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            reason TEXT NOT NULL,
            created_at {float} NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX backups_workshop ON backups(workshop_id)",
        # Wrong PINs per source (a hash of the client address or remembered browser), so one
        # guesser slows down without pausing the facilitator; workshops.failed_unlocks stays the
        # workshop-wide ceiling.
        """CREATE TABLE unlock_attempts (
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            blocked_until {float} NOT NULL DEFAULT 0,
            PRIMARY KEY (workshop_id, source)
        )""",
    ]),
    (8, "imported descriptions and Types", [
        # Long text an import brings (a Kumu Description), whole and not private; and the Type
        # a peer tool gave the entry, as it came (many Types fold into one level).
        "ALTER TABLE entries ADD COLUMN description TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entries ADD COLUMN source_type TEXT NOT NULL DEFAULT ''",
    ]),
    (9, "languages: a workshop's default and each browser's choice", [
        # The language a workshop's links suggest to a device that has not chosen one.
        "ALTER TABLE workshops ADD COLUMN language TEXT NOT NULL DEFAULT 'en'",
        # A person's language, kept against their browser's device cookie (its SHA-256, as for
        # participants), so a rescan or a reload keeps it in every workshop.
        """CREATE TABLE device_languages (
            device_hash TEXT NOT NULL,
            language TEXT NOT NULL,
            updated_at {float} NOT NULL,
            PRIMARY KEY (device_hash)
        )""",
    ]),
    (10, "the agenda: steps, the room's step, templates", [
        # A workshop's agenda (orgkit/session): title, text and content are JSON (text per
        # language: {"en": ..., "es": ...}; content is the kind's own settings).
        """CREATE TABLE agenda_steps (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '{}',
            body TEXT NOT NULL DEFAULT '{}',
            duration_s INTEGER,
            content TEXT NOT NULL DEFAULT '{}'
        )""",
        "CREATE INDEX agenda_steps_workshop ON agenda_steps(workshop_id, position)",
        # The step the room is on, when it started, and ONE revision per workshop that every
        # move and agenda edit bumps (phones and the projector poll it as they poll a board's).
        # No current step: the guided session has not started (the room sees the board).
        """CREATE TABLE workshop_sessions (
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            revision INTEGER NOT NULL DEFAULT 0,
            current_step_id BIGINT REFERENCES agenda_steps(id) ON DELETE SET NULL,
            step_started_at {float},
            PRIMARY KEY (workshop_id)
        )""",
        # Agendas saved by name to start other workshops from: the agenda file's JSON, shared by
        # the whole database (a design, no person's data).
        """CREATE TABLE agenda_templates (
            id {pk},
            name TEXT NOT NULL UNIQUE,
            data TEXT NOT NULL,
            created_at {float} NOT NULL
        )""",
    ]),
    (11, "the tables step and commitments: map membership by handout, commitments", [
        # A table's handout code lets phones join its map until the facilitator ends it; the
        # map's private link is not affected.
        "ALTER TABLE maps ADD COLUMN handout_open INTEGER NOT NULL DEFAULT 1",
        # A phone (participant) that joined a table's map by its handout: one map per phone.
        """CREATE TABLE map_members (
            participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            joined_at {float} NOT NULL,
            PRIMARY KEY (participant_id)
        )""",
        "CREATE INDEX map_members_map ON map_members(map_id)",
        # What one person says they will do next. The entry (and its map) it names may be
        # deleted later: the commitment stays, with the name it was made with (with_whom).
        """CREATE TABLE commitments (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            participant_id BIGINT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            map_id BIGINT REFERENCES maps(id) ON DELETE SET NULL,
            entry_id BIGINT REFERENCES entries(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            other_text TEXT NOT NULL DEFAULT '',
            with_whom TEXT NOT NULL DEFAULT '',
            due_on TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            show_name INTEGER NOT NULL DEFAULT 0,
            idempotency_key TEXT,
            created_at {float} NOT NULL,
            updated_at {float} NOT NULL
        )""",
        "CREATE INDEX commitments_workshop ON commitments(workshop_id, due_on)",
        "CREATE INDEX commitments_participant ON commitments(participant_id)",
        "CREATE INDEX commitments_entry ON commitments(entry_id)",
        "CREATE UNIQUE INDEX commitments_idempotency ON commitments(participant_id, "
        "idempotency_key)",
    ]),
    (12, "items from the floor", [
        # An item the facilitator (or a helper at a table, with the facilitator's unlock) typed
        # on behalf of the room: someone without a phone said it aloud.
        "ALTER TABLE items ADD COLUMN from_floor INTEGER NOT NULL DEFAULT 0",
    ]),
    (13, "map history and leads' reviews", [
        # Every change to a map's content, appended in the change's transaction
        # (storage.history says what each column holds). subject_id is no foreign key: the
        # history outlives the rows it tells of.
        """CREATE TABLE map_changes (
            id {pk},
            map_id BIGINT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
            at {float} NOT NULL,
            subject TEXT NOT NULL,
            subject_id BIGINT,
            change TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            before TEXT NOT NULL DEFAULT '{}',
            role TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX map_changes_map ON map_changes(map_id, at)",
        # A lead's "Mark reviewed", per map or (map_id NULL) for the whole workshop: "since last
        # review" compares with the newest.
        """CREATE TABLE map_reviews (
            id {pk},
            workshop_id BIGINT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
            map_id BIGINT REFERENCES maps(id) ON DELETE CASCADE,
            reviewed_at {float} NOT NULL,
            role TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX map_reviews_workshop ON map_reviews(workshop_id, map_id)",
    ]),
    (14, "the facilitator's texts in several languages; the bilingual projector", [
        # One text per language as a JSON object ({"en": ..., "es": ...}; '{}' before this):
        # a board's prompt and reference notes, a forum question. The plain column keeps the
        # text written in the form's first field, which every older reader goes on reading.
        "ALTER TABLE boards ADD COLUMN prompt_texts TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE boards ADD COLUMN notes_texts TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE forum_questions ADD COLUMN texts TEXT NOT NULL DEFAULT '{}'",
        # Whether the shared screens show our words in every language at once.
        "ALTER TABLE workshops ADD COLUMN bilingual_projector INTEGER NOT NULL DEFAULT 0",
    ]),
    (15, "commitments followed after the seminar: kept", [
        # When a lead (or the person) marked a commitment kept; NULL: not kept (yet). Undoing
        # the mark sets it back to NULL.
        "ALTER TABLE commitments ADD COLUMN done_at {float}",
    ]),
]


def _ensure_table(db: Database) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at " + db.ddl("{float}") +
        " NOT NULL)"
    )


def applied_versions(db: Database) -> list[int]:
    """The migration numbers recorded in this database, in order."""
    _ensure_table(db)
    return [row["version"]
            for row in db.query("SELECT version FROM schema_migrations ORDER BY version")]


def migrate(db: Database, before: Callable[[Database, int], object] | None = None) -> list[int]:
    """Apply every migration this database has not recorded; return the numbers applied.
    `before(db, number)` runs once, before the first change to an existing database (the Store
    passes storage.backups.before_migration: the copy is taken by whoever opens the store, so
    this module, which the backup format reads its schema version from, imports no backup)."""
    if set(applied_versions(db)) >= {number for number, _, _ in MIGRATIONS}:
        return []  # the common case: one cheap read on open
    applied: list[int] = []
    backed_up = False
    for number, name, statements in MIGRATIONS:
        if not backed_up and number not in applied_versions(db):
            if before is not None:
                before(db, number)
            backed_up = True
        with db.atomic():
            if db.engine == "postgresql":
                db.execute("SELECT pg_advisory_xact_lock(7400411)")
            if db.scalar("SELECT 1 FROM schema_migrations WHERE version = :v", {"v": number}):
                continue  # another server applied it while we waited for the lock
            for statement in statements:
                db.execute(db.ddl(statement))
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
                {"v": number, "n": name, "t": time.time()},
            )
        applied.append(number)
    return applied
