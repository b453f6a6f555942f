"""Coverage charts as plotly figures, built from the plain results of orgkit.coverage.analytics.

Only plotly.graph_objects: Plotly Express costs tens of milliseconds per figure, these cost a few.
Plotly reads a few HTML tags in titles, tick labels, text and hover labels (<b>, <br>, <a>), so
every piece of user text (names, offices, constituencies, map names) passes through `_t` first.
Callers decide which figures a role may see: the network and power grid name people and are never
built for shared screens. PNGs are rendered offline by kaleido in the system's Chromium (plotly.js
from the plotly package, MathJax off so no page asks the network; orgkit.coverage.png).

Every text of ours on a chart (titles, axis titles, legend names, hover templates, notes) is a
marked id or a message, rendered in the `language` each figure is built for; the service caches
a figure per language.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from collections import defaultdict

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..domain import LEVELS, SHORT_LEVELS, STAGES, STRENGTHS
from ..i18n import DEFAULT_LANGUAGE, N_, msg, render
from .model import HIGH_INFLUENCE, quadrant

STAGE_COLOURS = dict(zip(STAGES, ["#d9d9d9", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]))
STRENGTH_COLOURS = dict(zip(STRENGTHS, ["#d9d9d9", "#fdd49e", "#fc8d59", "#d7301f"]))
LEVEL_COLOURS = dict(zip(LEVELS, ["#6a51a3", "#238b45", "#d94801", "#525252"]))
DISTANCE_COLOURS = {1: "#1a9850", 2: "#91cf60", 3: "#fee08b", 4: "#fc8d59", None: "#d73027"}
# The two greens differ in shape too (plotly symbol suffixes): a direct tie is a solid marker,
# one step away a hollow one with a thick outline, so colour is never the only difference.
DISTANCE_SHAPES = {1: "", 2: "-open", 3: "", 4: "", None: ""}
EMPTY_CELL = "#f4a582"  # constituency cells nobody reaches: warm, against a blue scale
LEVEL_ORDER = list(LEVELS)


def _t(text: object) -> str:
    """User text for a plotly label: tags shown as typed, not interpreted."""
    return html.escape(str(text), quote=False)


def _wrap(text: object, width: int, lines: int | None = 2) -> str:
    """User text for a plotly label, wrapped at spaces into lines of `width` characters, each
    escaped; with `lines`, at most that many (cut with an ellipsis beyond). People's names are
    never cut (lines=None): a name cut short can be someone else's."""
    parts = textwrap.wrap(str(text), width) or [""]
    if lines is None:
        return "<br>".join(_t(part) for part in parts)
    if len(parts) > lines:  # the last line shows as much of the rest as fits, then "…"
        rest = " ".join(parts[lines - 1:])
        parts = parts[:lines - 1] + [rest[:width - 1].rstrip() + "…"]
    return "<br>".join(_t(part) for part in parts)  # escaped after wrapping: no entity is split


NOTE_MARKUP = "{}<br><sup>{}</sup>"  # plotly markup: a title and its note, smaller, below it


def _title(main, note=None, language: str = DEFAULT_LANGUAGE) -> dict:
    # Plotly never wraps a title: a long one is cut off on a phone, so the detail goes on a
    # second, smaller line. `main` and `note` are marked ids or messages.
    main = render(main, language)
    return dict(text=NOTE_MARKUP.format(main, render(note, language)) if note else main)


def _layout(fig: go.Figure, title: str | dict, **extra) -> go.Figure:
    two_lines = isinstance(title, dict) and "<br>" in title["text"]
    fig.update_layout(title=title, template="plotly_white",
                      margin=dict(l=10, r=10, t=70 if two_lines else 50, b=10),
                      # Hung from its top edge: on a phone the legend wraps onto more lines, and
                      # growing downwards it never climbs over the x-axis title.
                      legend=dict(orientation="h", yanchor="top", y=-0.24), **extra)
    return fig


PROJECTED_FONT = 18  # px: the smallest chart text on a view safe to project (the back row)


def projected(fig: go.Figure) -> go.Figure:
    """Every text at least PROJECTED_FONT px (a title's note, ~70 % of the title, too); a number
    too big for its bar at that size is hidden, never shrunk."""
    big = PROJECTED_FONT
    fig.update_layout(font_size=big, title_font_size=round(big * 1.45), legend_font_size=big,
                      hoverlabel_font_size=big, uniformtext=dict(minsize=big, mode="hide"))
    for axes in (fig.update_xaxes, fig.update_yaxes):
        axes(tickfont_size=big, title_font_size=big)
    fig.update_annotations(font_size=big)
    for trace in fig.data:
        if "textfont" in trace:
            trace.textfont.size = big
    return fig


def _levels(language: str) -> list[str]:
    return [render(SHORT_LEVELS[level], language) for level in LEVEL_ORDER]


def _stacked_levels(fig: go.Figure, coverage: dict, language: str, *, row=None, col=None,
                    legend=True) -> None:
    # One horizontal bar per level, stacked by stage, with the team's target as a marker: level
    # names read across on a phone, where upright bars would need tilted, overlapping labels.
    y = _levels(language)
    where = {} if row is None else {"row": row, "col": col}
    for stage, label in STAGES.items():
        fig.add_trace(go.Bar(name=render(label, language), y=y,
                             x=[coverage[level]["stages"][stage] for level in LEVEL_ORDER],
                             orientation="h", marker_color=STAGE_COLOURS[stage], legendgroup=stage,
                             showlegend=legend), **where)
    totals = [coverage[level]["total"] for level in LEVEL_ORDER]
    targets = [coverage[level]["target"] or None for level in LEVEL_ORDER]
    # Each bar says its number at its end: "9 of 12" against a target, else how many.
    said = [render(msg("{part} of {whole}", part=total, whole=target), language) if target
            else str(total) for total, target in zip(totals, targets)]
    # Placed past the target marker when the bar is short of it, so the two never overlap; an
    # invisible marker keeps the text a few pixels off the end.
    fig.add_trace(go.Scatter(x=[max(total, target or 0) for total, target in zip(totals, targets)],
                             y=y, mode="markers+text", text=said, textposition="middle right",
                             marker=dict(size=16, opacity=0), cliponaxis=False,
                             hoverinfo="skip", showlegend=False,
                             textfont=dict(color="#222")), **where)
    if any(targets):
        fig.add_trace(go.Scatter(name=render(N_("Target"), language), y=y, x=targets,
                                 mode="markers",
                                 marker=dict(symbol="line-ns-open", size=24, line=dict(width=3),
                                             color="#e31a1c"),
                                 legendgroup="target", showlegend=legend), **where)


def coverage_by_level(coverage: dict, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Entries per level stacked by stage, with target markers."""
    fig = go.Figure()
    _stacked_levels(fig, coverage, language)
    top = max([max(lv["total"], lv["target"]) for lv in coverage.values()] or [0])
    return _layout(fig, render(N_("Coverage by level"), language), barmode="stack",
                   xaxis=dict(title=render(N_("Entries"), language),
                              range=[0, max(top, 1) * 1.25]),  # room for "9 of 12"
                   yaxis=dict(autorange="reversed"))


def ladder_funnel(ladder: dict, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """The ladder of engagement per level: how many reached at least each stage."""
    fig = go.Figure()
    stages = [render(label, language) for label in STAGES.values()]
    for level, name in zip(LEVEL_ORDER, _levels(language)):
        fig.add_trace(go.Funnel(name=name, y=stages,
                                x=list(ladder[level].values()), marker_color=LEVEL_COLOURS[level],
                                textinfo="value"))
    return _layout(fig, _title(N_("Ladder of engagement"),
                               N_("how many reached at least each stage"), language))


def strength_by_level(strength: dict, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Relationship strength per level, stacked."""
    fig = go.Figure()
    y = _levels(language)
    for value, label in STRENGTHS.items():
        counts = [strength[level][value] for level in LEVEL_ORDER]
        fig.add_trace(go.Bar(name=render(label, language), y=y, x=counts,
                             text=[str(n) if n else "" for n in counts], textposition="inside",
                             insidetextanchor="middle", orientation="h",
                             marker_color=STRENGTH_COLOURS[value]))
    return _layout(fig, render(N_("Relationship strength by level"), language), barmode="stack",
                   xaxis_title=render(N_("Entries"), language), yaxis=dict(autorange="reversed"))


def gatekeeper_share(share: dict, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """The share of leaders and organizations flagged as gatekeepers."""
    levels = list(share)
    percent = [100 * share[lv]["gatekeepers"] / share[lv]["total"] if share[lv]["total"] else 0
               for lv in levels]
    of = [msg("{part} of {whole}", part=share[lv]["gatekeepers"], whole=share[lv]["total"])
          for lv in levels]
    fig = go.Figure(go.Bar(x=[render(SHORT_LEVELS[lv], language) for lv in levels], y=percent,
                           marker_color="#b2182b", text=[render(t, language) for t in of],
                           textposition="outside", cliponaxis=False,
                           name=render(N_("Gatekeepers"), language)))
    return _layout(fig, _title(N_("Gatekeepers"), N_("share of leaders and organizations flagged"),
                               language),
                   # Fitted to the data, with room above the tallest bar for its "2 of 9".
                   yaxis=dict(title=render(N_("Flagged (%)"), language),
                              range=[0, min(100, max(percent, default=0) * 1.25) or 10]))


def constituency_heatmap(matrix: dict, wanted: list[str] = (),
                         levels: tuple = ("impacted", "leader", "organization"),
                         language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Constituency x level counts; cells nobody reaches stand out in a warm colour. Communities
    the team wants to reach (the matrix lists them first) are in bold."""
    rows = list(matrix)
    bold = {tag.casefold() for tag in wanted}
    z = [[matrix[tag][level] for level in levels] for tag in rows]
    top = max((v for row in z for v in row), default=1) or 1
    # Zero maps to the warm colour; every count from 1 up sits on the blue scale.
    edge = 0.5 / top
    scale = [[0, EMPTY_CELL], [edge, EMPTY_CELL], [edge, "#deebf7"], [1, "#08519c"]]
    none = render(N_("none"), language)
    text = [[str(v) if v else none for v in row] for row in z]
    labels = [f"<b>{_t(tag)}</b>" if tag.casefold() in bold else _t(tag) for tag in rows]
    fig = go.Figure(go.Heatmap(z=z, x=[render(SHORT_LEVELS[level], language) for level in levels],
                               y=labels, text=text,
                               texttemplate="%{text}", colorscale=scale, zmin=0, zmax=top,
                               showscale=False, xgap=2, ygap=2,
                               hovertemplate="%{y} / %{x}: %{z}<extra></extra>"))
    title = _title(N_("Who reaches each community"),
                   N_("bold: communities a team wants to reach") if bold else None, language)
    if not rows:  # no grid to draw: say what is missing and what fills it, not empty axes
        fig = go.Figure().add_annotation(
            text=_wrap(render(EMPTY_COMMUNITIES, language), 52, 4), x=0.5, y=0.5, xref="paper",
            yref="paper", showarrow=False, font=dict(size=15, color="#333333"))
        return _layout(fig, title, height=300, xaxis_visible=False, yaxis_visible=False)
    return _layout(fig, title, height=max(300, 40 + 28 * len(rows)),
                   yaxis=dict(autorange="reversed"))


EMPTY_COMMUNITIES = N_("No entry names a community it reaches yet. On the map, fill in each "
                       "entry's Constituencies (e.g. Spanish-speaking tenants).")


WEEK_TICKS = 6  # at most this many dated ticks under the activity bars (a phone fits them)
DAY_MS = 86_400_000


def activity(weeks: list[dict], language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Entries added, one-on-ones held and actions done, per week. The axis ticks whole weeks
    (never hours: one week of activity would otherwise read "00:00:00 Nov 30, 2026")."""
    x = [row["week"] for row in weeks]
    fig = go.Figure()
    for key, label, colour in (("entries_added", N_("Entries added"), "#6a51a3"),
                               ("one_on_ones", N_("One-on-ones held"), "#238b45"),
                               ("actions_done", N_("Actions done"), "#d94801")):
        # An explicit width (a third of 80 % of a week, in ms): on a date axis plotly sizes a
        # lone week's bars by the gap to the next, of which there is none, and draws them 0 wide.
        fig.add_trace(go.Bar(name=render(label, language), x=x, y=[row[key] for row in weeks],
                             marker_color=colour,
                             width=7 * DAY_MS * 0.8 / 3))
    # No axis title: the ticks take two lines, and the legend hung below them would meet it.
    axis = dict(type="date", tickformat="%b %-d<br>%Y")
    if x:
        every = max(1, math.ceil(len(x) / WEEK_TICKS))
        first, last = dt.date.fromisoformat(x[0]), dt.date.fromisoformat(x[-1])
        axis.update(tick0=x[0], dtick=7 * every * DAY_MS,
                    range=[(first - dt.timedelta(days=4)).isoformat(),
                           (last + dt.timedelta(days=4)).isoformat()])
    return _layout(fig, _title(N_("Activity per week"),
                               N_("each bar dated by the Monday its week starts"), language),
                   barmode="group", xaxis=axis, yaxis_title=render(N_("Count"), language))


def distance_band(steps: int | None) -> int | None:
    return None if steps is None else min(steps, 4)


# Steps from our team (1: a direct tie). Never "one of ours": an opponent can be a direct tie.
DISTANCE_LABELS = {1: N_("Direct tie to our team"), 2: N_("One step from a direct tie"),
                   3: N_("Two steps from a direct tie"), 4: N_("Further"),
                   None: N_("No path from us")}
POWER_SYMBOLS = {"decision_maker": "circle", "organization": "square", "leader": "diamond"}
STANCE_NAMES = {-2: N_("Opposed"), -1: N_("Leans against"), 0: N_("Neutral"),
                1: N_("Leans for"), 2: N_("Champion")}
CELL_NAMES = 2  # names printed in a shared cell; the rest on hover and in the table
CELL_NAME_WIDTH = 16  # characters per line of a name printed in a cell
CELL_LINES = 3  # lines of names a cell holds: two short names, or one name on up to three
GUIDE_COLOUR = "#595959"  # guidance text: 7:1 on white (WCAG AA is 4.5:1)
POWER_TOP, POWER_BOTTOM = 6.2, -0.2  # room above and below the cells for the guidance lines


def _cell_label(members: list[dict], language: str) -> str:
    # Names are wrapped, never cut: a cell names as many as fit whole in CELL_LINES lines.
    lines = [_wrap(r["name"], CELL_NAME_WIDTH, None) for r in members[:CELL_NAMES]]
    if len(members) <= CELL_NAMES and sum(t.count("<br>") + 1 for t in lines) <= CELL_LINES:
        return "<br>".join(lines)
    more = render(msg("+{n} more", n=len(members) - 1), language)
    return lines[0] + "<br>" + more


CELL_PX = 75  # about how many pixels one step of influence takes on the 640 px grid


def _spread(count: int) -> tuple[list[tuple[float, float]], float]:
    # Offsets inside a cell's lower half for `count` markers in a near-square grid, so entries
    # that share a stance and an influence sit side by side instead of on top of each other,
    # and the marker size that keeps neighbours in that grid apart.
    cols = math.ceil(math.sqrt(count))
    rows = math.ceil(count / cols)
    offsets = [(-0.38 + 0.76 * (i % cols + 0.5) / cols, -0.46 + 0.44 * (i // cols + 0.5) / rows)
               for i in range(count)]
    return offsets, max(4.0, min(14.0, 0.44 / rows * CELL_PX - 2))


def _power_hover(r: dict, label: str, language: str) -> str:
    # Plotly markup around our words: name (level), office, stance, influence, distance, region.
    office = "<br>" + _t(r["office"]) if r["office"] else ""
    said = msg("{stance}, influence {influence} · {distance}", stance=STANCE_NAMES[r["stance"]],
               influence=r["influence"], distance=label)
    return "".join([_t(r["name"]), " (", render(SHORT_LEVELS[r["level"]], language), ")", office,
                    "<br>", render(said, language), "<br>", render(r["quadrant"], language)])


def power_grid(rows: list[dict], *, narrow: bool = False,
               language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Everyone with power (leaders, organizations, decision-makers) by stance (x) and
    influence (y), coloured by how near our network is, shaped by level. Entries sharing a cell
    are spread inside it and named once per cell ("+N more"; `narrow`, for a phone's ~60 px
    cells: only how many, the names on tap and in the page's list); each region says what to do.
    Hover texts are whole strings and the annotations go in at once: thousands of points with
    per-point custom data, or one add_annotation call per cell, cost plotly's validation ~0.2 s."""
    cells = defaultdict(list)
    for row in rows:
        if row["stance"] is not None and row["influence"] is not None:
            cells[row["stance"], row["influence"]].append(row)
    points, notes, shapes = defaultdict(list), [], []
    for (stance, influence), members in sorted(cells.items()):
        members.sort(key=lambda r: (r["distance"] is None, r["distance"] or 0, r["name"].lower()))
        offsets, size = _spread(len(members))
        for r, (dx, dy) in zip(members, offsets):
            points[distance_band(r["distance"])].append((r, stance + dx, influence + dy, size))
        notes.append(dict(x=stance, y=influence + 0.46, yanchor="top", showarrow=False,
                          text=str(len(members)) if narrow else _cell_label(members, language),
                          font=dict(size=11, color="#222")))
    # The regions: tinted behind the cells, each with what to do about whoever is in it.
    for x0, x1, stance in ((-2.5, -0.5, -1), (-0.5, 0.5, 0), (0.5, 2.5, 1)):
        for high in (True, False):
            y0, y1 = (HIGH_INFLUENCE - 0.5, 5.5) if high else (0.5, HIGH_INFLUENCE - 0.5)
            shapes.append(dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, layer="below",
                               line_width=0,
                               fillcolor="#f7f7f7" if (stance + high) % 2 else "#ffffff"))
            region = render(quadrant(stance, 5 if high else 1), language)
            notes.append(dict(x=(x0 + x1) / 2, y=5.6 if high else 0.4,
                              yanchor="bottom" if high else "top", showarrow=False,
                              text="<i>" + (_wrap(region, 10, 3) if narrow else _t(region))
                                   + "</i>",
                              font=dict(size=10 if narrow else 12, color=GUIDE_COLOUR)))
    fig = go.Figure()
    for band, label in DISTANCE_LABELS.items():
        members = points.get(band, [])
        if not members:
            continue
        label = render(label, language)
        fig.add_trace(go.Scatter(
            name=label, x=[p[1] for p in members], y=[p[2] for p in members], mode="markers",
            hovertext=[_power_hover(p[0], label, language) for p in members], hoverinfo="text",
            marker=dict(size=[p[3] for p in members], color=DISTANCE_COLOURS[band], opacity=1,
                        symbol=[POWER_SYMBOLS[p[0]["level"]] + DISTANCE_SHAPES[band]
                                for p in members],
                        line=dict(width=3 if DISTANCE_SHAPES[band] else 1,
                                  color=DISTANCE_COLOURS[band] if DISTANCE_SHAPES[band]
                                  else "#333"))))
    note = N_("how many per cell: tap for names") if narrow else \
        N_("leaders, organizations and decision-makers; shape: level")
    return _layout(fig, _title(N_("Power grid"), note, language), height=640, annotations=notes,
                   shapes=shapes,
                   xaxis=dict(title=render(N_("Stance on our issue"), language), range=[-2.6, 2.6],
                              tickvals=list(STANCE_NAMES), zeroline=False, showgrid=False,
                              ticktext=[render(name, language) for name in STANCE_NAMES.values()]),
                   yaxis=dict(title=render(N_("Influence"), language), tickvals=[1, 2, 3, 4, 5],
                              range=[POWER_BOTTOM, POWER_TOP], showgrid=False, zeroline=False))


PANEL_COLUMNS = 2  # two panels side by side still read on a 360 px phone; more maps add rows
PANEL_TITLE_WIDTH = 16  # characters per line of a team's name above its panel (two lines at most)
PANEL_HEIGHT = 170  # pixels of bars per panel; the rows between them hold the names


def workshop_small_multiples(summary: dict, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """Every map in a grid of at most two columns: entries per level stacked by stage, against
    its targets, on one 0-based scale; a map with no entries says so."""
    maps = summary["maps"]
    cols = max(1, min(len(maps), PANEL_COLUMNS))
    rows = max(1, math.ceil(len(maps) / cols))
    cells = [[{} if r * cols + c < max(1, len(maps)) else None for c in range(cols)]
             for r in range(rows)]
    gap = 70  # pixels between rows: the x ticks of one row and the two-line name of the next
    plot_height = rows * PANEL_HEIGHT + (rows - 1) * gap
    fig = make_subplots(rows=rows, cols=cols, specs=cells, shared_yaxes=True,
                        horizontal_spacing=0.06,
                        vertical_spacing=gap / plot_height if rows > 1 else 0,
                        subplot_titles=[_wrap(m["name"], PANEL_TITLE_WIDTH) for m in maps] or [""])
    fig.update_annotations(font_size=13)  # the panel titles, before any note is added
    # One scale for every panel, from 0 (an empty map would otherwise get plotly's -1..1).
    top = max([max(lv["total"], lv["target"]) for m in maps for lv in m["coverage"].values()]
              or [0])
    for i, m in enumerate(maps):
        _stacked_levels(fig, m["coverage"], language, row=i // cols + 1, col=i % cols + 1,
                        legend=i == 0)
        if not any(lv["total"] for lv in m["coverage"].values()):
            axis = "" if i == 0 else i + 1  # make_subplots numbers the axes of its cells in order
            fig.add_annotation(text=render(N_("no entries yet"), language),
                               xref=f"x{axis} domain", yref=f"y{axis} domain",
                               x=0.5, y=0.5, showarrow=False, font=dict(size=13, color="#636363"))
    fig.update_xaxes(rangemode="tozero", range=[0, max(top, 1) * 1.08],
                     dtick=1 if top < 5 else None)  # whole entries, not 0.2 steps
    fig.update_yaxes(autorange="reversed")
    _layout(fig, render(N_("Every team's map by level"), language), barmode="stack",
            height=plot_height + 240)
    # Room above the first row for the title and two-line names; the legend below the last ticks.
    fig.update_layout(margin=dict(t=100), legend=dict(yanchor="top", y=-40 / plot_height))
    return fig
