"""Board exports: CSV and XLSX of the items, and an HTML summary for the workshop record.

None of them carries personal data: no author names, no participant ids, only the prompt, the
themes, item text, status and votes, whether an item came from the floor (typed by the
facilitator for someone without a phone), and the reveal. Spreadsheet cells that begin with
= + - or @ are prefixed with an apostrophe so a spreadsheet shows them as text instead of running
a formula.
The summary is the Jinja2 template board/templates/summary.html (orgkit.templates: every value
escaped where it is written).
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook

from .. import templates
from ..domain import PHASES
from ..i18n import DEFAULT_LANGUAGE, msg
from ..spreadsheet import neutralise
from .model import FROM_FLOOR, MERGED, WITHDRAWN, Snapshot, vote_count
from .view import group_name, grouped, reveal_lines

TEMPLATE = "board/templates/summary.html"
COLUMNS = ["item", "text", "theme", "votes", "status", "pinned", "merged_into", "posted_at",
           "from_floor"]


def rows(snap: Snapshot) -> list[list[object]]:
    """One row per item the group produced (withdrawn items are left out), neutralised."""
    themes = dict(snap.themes)
    out = []
    for item in snap.items:
        if item.status == WITHDRAWN:
            continue
        posted = dt.datetime.fromtimestamp(item.created_at, dt.timezone.utc)
        out.append([neutralise(v) for v in (
            item.id, item.text, themes.get(item.theme_id, ""), item.votes, item.status,
            "yes" if item.pinned else "", item.merged_into if item.status == MERGED else "",
            posted.strftime("%Y-%m-%d %H:%M UTC"), "yes" if item.from_floor else "")])
    return out


def to_csv(snap: Snapshot) -> bytes:
    """The items as UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows(snap))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(snap: Snapshot) -> bytes:
    """The items as an XLSX workbook, with the prompt on its own sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Items"
    sheet.append(COLUMNS)
    for row in rows(snap):
        sheet.append(row)
    about = book.create_sheet("Board")
    about.append(["prompt", neutralise(snap.board.prompt)])
    about.append(["phase", PHASES[snap.board.phase]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_html(snap: Snapshot, language: str = DEFAULT_LANGUAGE) -> str:
    """A self-contained HTML summary: prompt, themes with their items and votes, the reveal; our
    words in `language`, what people typed as they typed it (and the facilitator's prompt and
    reference points in the reader's language when they wrote them in several)."""
    snap = snap.in_language(language)
    groups = [(group_name(name or msg("Items"), language),
               [(item.text, vote_count(item.votes), FROM_FLOOR if item.from_floor else None)
                for item in items])
              for name, items in grouped(snap, by_votes=True)]
    return templates.render(TEMPLATE, language=language, prompt=snap.board.prompt,
                            groups=groups, reveal=reveal_lines(snap))
