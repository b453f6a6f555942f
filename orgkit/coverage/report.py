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
from ..domain import LEVELS, STAGES
from ..spreadsheet import neutralise
from .model import Gap

TEMPLATE = "coverage/templates/report.html"
# A gap's columns, in Gap.as_row's order: the CSV's headings and the report's.
GAP_COLUMNS = {"kind": "Gap", "subject": "About", "level": "Level", "point_person": "Point person",
               "reason": "Why it matters", "next_step": "Suggested next step"}


def gaps_csv(gaps: list[Gap]) -> str:
    """The gap list as CSV, ranked, with formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Rank", *GAP_COLUMNS.values()])
    for rank, gap in enumerate(gaps, 1):
        row = gap.as_row()
        writer.writerow([rank, *(neutralise(row[key]) for key in GAP_COLUMNS)])
    return out.getvalue()


def review_report(map_row: dict, analysis: dict, *, today: dt.date) -> str:
    """A one-page HTML review for leads: coverage against targets, decision-makers, ranked gaps."""
    cov = analysis["coverage"]
    coverage_rows = [[LEVELS[lv], cov[lv]["total"], cov[lv]["target"] or "",
                      *(cov[lv]["stages"][st] for st in STAGES)] for lv in LEVELS]
    grid_rows = [[r["name"], LEVELS[r["level"]], r["office"], r["stance"], r["influence"],
                  r["quadrant"], "not reachable" if r["distance"] is None else r["distance"] - 1]
                 for r in analysis["power_grid"]]
    gap_rows = [[i, *(g.as_row()[key] for key in GAP_COLUMNS)]
                for i, g in enumerate(analysis["gaps"], 1)]
    tables = [
        ("Coverage by level", ["Level", "Entries", "Target", *STAGES.values()], coverage_rows),
        ("Power grid", ["Name", "Level", "Office", "Stance", "Influence", "What to do",
                        "Steps from a direct tie"], grid_rows),
        ("Gaps, most urgent first", ["#", *GAP_COLUMNS.values()], gap_rows)]
    return templates.render(TEMPLATE, title=f"Coverage review: {map_row['name']}",
                            issue=map_row.get("issue") or "not stated",
                            prepared=today.isoformat(), tables=tables)
