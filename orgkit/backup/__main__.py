"""The operator's command line (see the README's "Backups"), a thin shell over
orgkit.backup.service:

    python -m orgkit.backup create [FILE]    whole database: SQLite online backup / pg_dump
    python -m orgkit.backup restore FILE     .db (SQLite), .dump (pg_restore) or .json (rows)

It speaks English to the operator's terminal (Messages print as their English text); its help
is marked for the catalog all the same.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from ..domain import ValidationError
from ..i18n import N_
from ..storage import open_store
from .service import create_file, restore_from_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orgkit.backup",
                                     description="Back up or restore the whole OrgKit database "
                                                 "named by ORGKIT_DATABASE_URL.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help=N_("write a backup file"))
    create.add_argument("file", nargs="?", type=Path,
                        help=N_("default: a dated file in ORGKIT_BACKUP_DIR or data/backups"))
    restore = commands.add_parser("restore", help=N_("replace the database with a backup file"))
    restore.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    store = open_store()
    try:
        if args.command == "create":
            print(f"Backup written: {create_file(store, args.file)}")
        else:
            restore_from_file(store, args.file)
            print(f"Restored from {args.file}")
    except subprocess.CalledProcessError as exc:
        print(f"error: {exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')}",
              file=sys.stderr)
        return 1
    except (ValidationError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
