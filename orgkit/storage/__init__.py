"""The store: the only place OrgKit talks SQL.

`open_store()` reads ORGKIT_DATABASE_URL (default sqlite:///data/orgkit.db), applies pending
migrations and returns a Store whose repositories group the SQL by subject.
"""
from __future__ import annotations

import os

from .backups import BackupRepo, before_migration
from .boards import BoardRepo
from .commitments import CommitmentRepo
from .database import DEFAULT_URL, Database
from .followup import FollowupRepo
from .maps import MapRepo
from .migrations import migrate
from .sessions import SessionRepo
from .workshops import WorkshopRepo

HISTORY_BEGINS = 13  # the migration that added map_changes


class Store:
    """A migrated database and its repositories."""

    def __init__(self, url: str):
        self.url = url
        self.db = Database(url)
        applied = migrate(self.db, before=before_migration)
        self.workshops = WorkshopRepo(self.db)
        self.maps = MapRepo(self.db)
        self.boards = BoardRepo(self.db)
        self.backups = BackupRepo(self.db, self.maps)
        self.sessions = SessionRepo(self.db)
        self.commitments = CommitmentRepo(self.db, lambda: self.maps.clock())
        self.followup = FollowupRepo(self.db, lambda: self.maps.clock())
        if HISTORY_BEGINS in applied:  # maps made before their history was kept start it now
            for row in self.maps.without_history():
                self.maps.record_baseline(row["id"])

    def acting(self, role: str, display_name: str = ""):
        """Whom this thread's writes are by, for the map history (Database.acting)."""
        return self.db.acting(role, display_name)

    def atomic(self):
        """One transaction around several repository calls."""
        return self.db.atomic()

    def close(self) -> None:
        self.db.close()


def database_url() -> str:
    """The configured database URL: ORGKIT_DATABASE_URL or the embedded SQLite default."""
    return os.environ.get("ORGKIT_DATABASE_URL", "").strip() or DEFAULT_URL


def open_store(url: str | None = None) -> Store:
    """Open (and migrate) the store at `url`, or at the configured URL."""
    return Store(url or database_url())
