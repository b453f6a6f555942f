"""What a lead takes away from the coverage page: the review report (one HTML page) and the gap
list (CSV), both made from a map's analysis (analytics.analyse_map), never from the store.

The report is the Jinja2 template coverage/templates/report.html (orgkit.templates: every value
escaped where it is written); this module decides what goes in each table. Neither carries
contact details or notes; the CSV's formula-looking cells are neutralised for spreadsheets.
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from .. import templates
from ..i18n import DEFAULT_LANGUAGE, N_, format_date, msg, render
from ..domain import LEVELS, STAGES
from ..spreadsheet import neutralise
from .model import Gap

TEMPLATE = "coverage/templates/report.html"
# A gap's columns, in Gap.as_row's order: the CSV's headings and the report's.
GAP_COLUMNS = {"kind": N_("Gap"), "subject": N_("About"), "level": N_("Level"),
               "point_person": N_("Point person"), "reason": N_("Why it matters"),
               "next_step": N_("Suggested next step")}


def _gap_cells(gap: Gap, language: str) -> list[str]:
    row = gap.as_row()
    return [render(row[key], language) for key in GAP_COLUMNS]


def gaps_csv(gaps: list[Gap], language: str = DEFAULT_LANGUAGE) -> str:
    """The gap list as CSV, ranked, with formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([render(N_("Rank"), language),
                     *(render(heading, language) for heading in GAP_COLUMNS.values())])
    for rank, gap in enumerate(gaps, 1):
        writer.writerow([rank, *(neutralise(cell) for cell in _gap_cells(gap, language))])
    return out.getvalue()


def review_report(map_row: dict, analysis: dict, *, today: dt.date,
                  language: str = DEFAULT_LANGUAGE) -> str:
    """A one-page HTML review for leads: coverage against targets, decision-makers, ranked gaps.
    Every text is rendered here, in `language`; the template escapes it as it writes it."""
    def text(marked) -> str:
        return render(marked, language)

    cov = analysis["coverage"]
    coverage_rows = [[text(LEVELS[lv]), cov[lv]["total"], cov[lv]["target"] or "",
                      *(cov[lv]["stages"][st] for st in STAGES)] for lv in LEVELS]
    grid_rows = [[r["name"], text(LEVELS[r["level"]]), r["office"], r["stance"], r["influence"],
                  text(r["quadrant"]),
                  text(N_("not reachable")) if r["distance"] is None else r["distance"] - 1]
                 for r in analysis["power_grid"]]
    gap_rows = [[i, *_gap_cells(g, language)] for i, g in enumerate(analysis["gaps"], 1)]
    tables = [
        (N_("Coverage by level"), [N_("Level"), N_("Entries"), N_("Target"), *STAGES.values()],
         coverage_rows),
        (N_("Power grid"), [N_("Name"), N_("Level"), N_("Office"), N_("Stance"), N_("Influence"),
                            N_("What to do"), N_("Steps from a direct tie")], grid_rows),
        (N_("Gaps, most urgent first"), ["#", *GAP_COLUMNS.values()], gap_rows)]
    tables = [(text(heading), [text(h) for h in headers], rows)
              for heading, headers, rows in tables]
    return templates.render(TEMPLATE, title=text(msg("Coverage review: {name}",
                                                     name=map_row["name"])),
                            issue=map_row.get("issue") or text(N_("not stated")),
                            prepared=format_date(today, language), tables=tables, language=language)
