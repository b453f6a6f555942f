"""The charts over time on the lead's screen, each with the table of the same numbers beside it
(a text alternative): how the ladder fills per level, one-on-ones held against the plan, coverage
of each wanted community, and the days from "identified" to "one-on-one held".

Built with plotly.graph_objects from followup.service.chart_rows; every word is a message id
rendered in the reader's language; names people typed are escaped, never interpreted.
"""
from __future__ import annotations

import html

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..coverage.figures import LEVEL_COLOURS, STAGE_COLOURS
from ..domain import LEVELS, SHORT_LEVELS, STAGES
from ..i18n import DEFAULT_LANGUAGE, N_, format_date, render

CHARTS = {
    "ladder": N_("Entries per stage, per level, week by week"),
    "one_on_ones": N_("One-on-ones held per week, against the plan"),
    "communities": N_("Our people reaching each wanted community, week by week"),
    "time_to_one_on_one": N_("Days from identified to one-on-one held"),
}
COLUMNS = {
    "week": N_("Week of"), "level": N_("Level"), "stage": N_("Stage"), "n": N_("Entries"),
    "planned": N_("Planned"), "held": N_("Held"), "community": N_("Community"),
    "name": N_("Name"), "days": N_("Days"),
}
TABLE_COLUMNS = {
    "ladder": ("week", "level", "stage", "n"),
    "one_on_ones": ("week", "planned", "held"),
    "communities": ("week", "community", "n"),
    "time_to_one_on_one": ("name", "level", "days"),
}


def table(name: str, rows: list[dict], language: str = DEFAULT_LANGUAGE) -> list[dict]:
    """A chart's numbers as rows with headers and values in the reader's language."""
    def value(column: str, v):
        if column == "week":
            return format_date(v, language)
        if column == "level":
            return render(LEVELS[v], language)
        if column == "stage":
            return render(STAGES[v], language)
        return v
    columns = TABLE_COLUMNS[name]
    header = {"n": N_("Our people")} if name == "communities" else {}
    return [{render(header.get(c, COLUMNS[c]), language): value(c, row[c]) for c in columns}
            for row in rows]


def _layout(fig: go.Figure, name: str, language: str, **extra) -> go.Figure:
    fig.update_layout(title=render(CHARTS[name], language), template="plotly_white",
                      margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", yanchor="top", y=-0.15), **extra)
    return fig


def ladder(rows: list[dict], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """One panel per level: its entries stacked by stage at the end of each week."""
    fig = make_subplots(rows=2, cols=2, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=[render(SHORT_LEVELS[level], language)
                                        for level in LEVELS])
    for place, level in enumerate(LEVELS):
        where = {"row": place // 2 + 1, "col": place % 2 + 1}
        for stage, label in STAGES.items():
            mine = [r for r in rows if r["level"] == level and r["stage"] == stage]
            fig.add_trace(go.Bar(name=render(label, language), legendgroup=stage,
                                 showlegend=place == 0, marker_color=STAGE_COLOURS[stage],
                                 x=[r["week"].isoformat() for r in mine],
                                 y=[r["n"] for r in mine]), **where)
    return _layout(fig, "ladder", language, barmode="stack", height=520)


def one_on_ones(rows: list[dict], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Planned and held one-on-ones side by side, per week."""
    x = [r["week"].isoformat() for r in rows]
    fig = go.Figure([
        go.Bar(name=render(COLUMNS["planned"], language), x=x, y=[r["planned"] for r in rows],
               marker_color="#9ecae1", text=[r["planned"] for r in rows]),
        go.Bar(name=render(COLUMNS["held"], language), x=x, y=[r["held"] for r in rows],
               marker_color="#238b45", text=[r["held"] for r in rows])])
    return _layout(fig, "one_on_ones", language, barmode="group",
                   yaxis=dict(title=render(N_("One-on-ones"), language), tickformat="d",
                              rangemode="tozero"))


def communities(rows: list[dict], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """A line per wanted community: how many of our people reach it, week by week."""
    fig = go.Figure()
    for community in dict.fromkeys(r["community"] for r in rows):
        mine = [r for r in rows if r["community"] == community]
        fig.add_trace(go.Scatter(name=html.escape(community, quote=False), mode="lines+markers",
                                 x=[r["week"].isoformat() for r in mine],
                                 y=[r["n"] for r in mine]))
    return _layout(fig, "communities", language,
                   yaxis=dict(title=render(N_("Our people"), language), tickformat="d",
                              rangemode="tozero"))


def time_to_one_on_one(rows: list[dict], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """A bar per person who reached "one-on-one held": the days it took, coloured by level."""
    fig = go.Figure(go.Bar(
        orientation="h", y=[html.escape(r["name"], quote=False) for r in rows],
        x=[r["days"] for r in rows], text=[r["days"] for r in rows],
        marker_color=[LEVEL_COLOURS.get(r["level"], "#525252") for r in rows]))
    return _layout(fig, "time_to_one_on_one", language,
                   xaxis_title=render(COLUMNS["days"], language),
                   yaxis=dict(autorange="reversed"), height=max(300, 40 + 28 * len(rows)))


BUILDERS = {"ladder": ladder, "one_on_ones": one_on_ones, "communities": communities,
            "time_to_one_on_one": time_to_one_on_one}
