"""The network drawing (who is linked to whom, by level, with the cut points, the hubs and a
focus on one person), out of orgkit.coverage.figures, whose helpers it shares: a map of 10,000
entries is drawn as groups, not people. Every piece of user text passes through `_t`."""
from __future__ import annotations

import html
import math
from collections import Counter, defaultdict

import plotly.graph_objects as go

from ..domain import SHORT_LEVELS, STAGES
from ..i18n import DEFAULT_LANGUAGE, N_, Message, msg, nmsg, render
from .figures import LEVEL_COLOURS, LEVEL_ORDER, _layout, _levels, _t, _title, _wrap
from .model import DRAW_LIMIT, OUR_STRENGTHS, ROOT, Network, neighbourhood, path_from_us, path_share

ROWS_PER_COLUMN = 24  # nodes stacked in one sub-column before a level spreads into another
LABEL_FONT = 11
LABEL_CHARS = 18  # characters per line of a node label (a long name takes more lines)
# The plot area labels are kept apart in, (width, height) in pixels: the page draws the chart
# full width, ~900 px at 1,400 px beside the sidebar; a phone gives it ~300 px, and the legend,
# wrapping onto four lines there, takes height from it.
LABEL_AREA, NARROW_AREA = (900, 420), (290, 330)
NETWORK_X = (-0.5, 4.4)  # the columns 0..3, and room on the right for decision-makers' labels
HUB_LABELS = 8  # the largest hubs labelled besides our team, decision-makers and cut points


def _layered_positions(nodes: list, adjacency: dict, level_of: dict) -> dict:
    # Columns left to right: our team, leaders and organizations, impacted people, decision-makers.
    # A column with many people spreads into sub-columns side by side. Within a column, nodes
    # sit near the mean height of their neighbours already placed, which keeps most links short
    # without a costly force layout.
    columns = {ROOT: 0, "leader": 1, "organization": 1, "impacted": 2, "decision_maker": 3}
    by_column = defaultdict(list)
    for node in nodes:
        by_column[columns[ROOT if node == ROOT else level_of[node]]].append(node)
    pos = {}
    for col in sorted(by_column):
        members = by_column[col]

        def anchor(node):
            ys = [pos[n][1] for n in adjacency[node] if n in pos]
            return sum(ys) / len(ys) if ys else 0.5
        members.sort(key=lambda n: (anchor(n), str(level_of.get(n, "")), str(n)))
        subs = math.ceil(len(members) / ROWS_PER_COLUMN)
        per = math.ceil(len(members) / subs)
        for i, node in enumerate(members):
            sub, row = divmod(i, per)
            x = col if subs == 1 else col - 0.4 + 0.8 * (sub + 0.5) / subs
            # Alternate sub-columns are shifted by half a row, so labels next door do not align.
            pos[node] = (x, (row + 1 + (sub % 2) * 0.5) / (per + 1.5))
    return pos


def _label_box(x: float, y: float, text: str,
               area: tuple = LABEL_AREA) -> tuple[float, float, float, float]:
    """The pixel box a "middle right" label takes in the assumed plot area (its lines are
    split by <br>, centred on the marker)."""
    lines = text.split("<br>")
    px = (x - NETWORK_X[0]) / (NETWORK_X[1] - NETWORK_X[0]) * area[0] + 8
    py = (1 - y) * area[1]
    half = LABEL_FONT * 0.75 * len(lines)
    return px, py - half, px + max(map(len, lines)) * LABEL_FONT * 0.62, py + half


def _boxes_meet(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _labels(ranked: list, pos: dict, name_of: dict, area: tuple = LABEL_AREA) -> dict:
    """{node: label} for the nodes that matter, most important first, skipping any whose label
    would touch one already placed (the rest are named on hover)."""
    placed, chosen = [], {}
    for node in ranked:
        text = _wrap(name_of[node], LABEL_CHARS, None)
        box = _label_box(*pos[node], html.unescape(text), area)
        if not any(_boxes_meet(box, other) for other in placed):
            placed.append(box)
            chosen[node] = text
    return chosen


def network_graph(entries: list[dict], links: list[dict], network: Network, *,
                  focus=None, narrow: bool = False, language: str = DEFAULT_LANGUAGE) -> go.Figure:
    """The network from our team, node size by betweenness, gatekeepers marked, labels on our
    team, decision-makers, cut points and the largest hubs (the rest on hover). Beyond
    DRAW_LIMIT entries the people are grouped by level and stage, with a note. With `focus`
    (an entry id) only its neighbourhood within two links is drawn, with the path from us
    highlighted, sized by links (betweenness of a whole big map would cost seconds). `narrow`
    keeps the labels apart on a phone-wide chart (fewer of them)."""
    adjacency = network.adjacency
    if focus is None:
        if len(entries) > DRAW_LIMIT:
            return _grouped_network(entries, links, language)
        keep, shown = None, entries
        title = render(msg("Network ({entries}, {links})",
                           entries=nmsg("{n} entry", "{n} entries", len(entries)),
                           links=nmsg("{n} link", "{n} links", len(links))), language)
    else:
        keep, total = neighbourhood(network, focus)
        keep = set(keep)
        shown = [e for e in entries if e["id"] in keep]
        name = next(e["name"] for e in shown if e["id"] == focus)
        around = msg("Around {name}: {n} within two links", name=_t(name), n=len(shown))
        if total > len(keep):
            around = msg("{around} (the nearest {n} of {total})", around=around, n=len(keep),
                         total=total)
        title = _title(around, N_("sized by links; the path from our team in blue"), language)
    level_of = {e["id"]: e["level"] for e in shown}
    nodes = [ROOT, *level_of]
    pos = _layered_positions(nodes, {n: [m for m in adjacency[n] if m in level_of or m == ROOT]
                                     for n in nodes}, level_of)
    fig = go.Figure()
    edge_x, edge_y = [], []
    for a in nodes:
        for b in adjacency[a]:
            if b in pos and str(a) < str(b):
                edge_x += [pos[a][0], pos[b][0], None]
                edge_y += [pos[a][1], pos[b][1], None]
    fig.add_trace(go.Scatter(x=edge_x, y=edge_y, mode="lines", hoverinfo="skip",
                             name=render(N_("Links"), language),
                             line=dict(width=1, color="#bdbdbd"), showlegend=False))
    if focus is not None:
        path = [ROOT, *path_from_us(network, focus)]
        fig.add_trace(go.Scatter(x=[pos[n][0] for n in path], y=[pos[n][1] for n in path],
                                 mode="lines", hoverinfo="skip",
                                 name=render(N_("Path from our team"), language),
                                 line=dict(width=4, color="#2171b5")))
        weight = {e["id"]: len(adjacency[e["id"]]) for e in shown}
    else:
        weight = network.betweenness
    top = max((weight.get(e["id"], 0) for e in shown), default=0) or 1
    by_degree = sorted(level_of, key=lambda n: -len(adjacency[n]))
    # Who gets a label first: the focus, the three largest hubs, decision-makers, the other
    # hubs, cut points, then the rest; on a narrow chart the later ones are the first to lose
    # theirs (named on hover).
    ranked = ([focus] if focus is not None else []) + by_degree[:3] + \
        [e["id"] for e in shown if e["level"] == "decision_maker"] + by_degree[3:HUB_LABELS] + \
        sorted((n for n in level_of if n in network.cut_points), key=lambda n: -weight.get(n, 0)) \
        + by_degree  # then everyone else, wherever a label still fits
    labels = _labels(list(dict.fromkeys(ranked)), pos, {e["id"]: e["name"] for e in shown},
                     NARROW_AREA if narrow else LABEL_AREA)
    # Hover: the name, then "stage · betweenness 0.12" (or "· links 3" around one person).
    hover = ("%{customdata[0]} · %{customdata[1]}" if focus is None
             else render(N_("%{customdata[0]} · links %{customdata[1]}"), language))
    for level in LEVEL_ORDER:
        for keeper in (False, True):
            group = [e for e in shown if e["level"] == level and bool(e["is_gatekeeper"]) == keeper]
            if not group:
                continue
            fig.add_trace(go.Scatter(
                name=render(msg("{level} (gatekeeper)", level=Message(SHORT_LEVELS[level]))
                            if keeper else SHORT_LEVELS[level], language),
                x=[pos[e["id"]][0] for e in group], y=[pos[e["id"]][1] for e in group],
                mode="markers+text", text=[labels.get(e["id"], "") for e in group],
                textposition="middle right", textfont=dict(size=LABEL_FONT, color="#222"),
                cliponaxis=False, hovertext=[_t(e["name"]) for e in group],
                customdata=[[render(STAGES.get(e["stage"], ""), language),
                             render(path_share(network.betweenness.get(e["id"], 0)), language)
                             if focus is None else len(adjacency[e["id"]])] for e in group],
                hovertemplate="%{hovertext}<br>" + hover + "<extra></extra>",
                marker=dict(size=[8 + 22 * weight.get(e["id"], 0) / top for e in group],
                            color=LEVEL_COLOURS[level], symbol="diamond" if keeper else "circle",
                            line=dict(width=[3 if e["id"] == focus else 2 if keeper else 1
                                             for e in group],
                                      color=["#000" if e["id"] == focus else "#b2182b" if keeper
                                             else "#fff" for e in group]))))
    us = render(N_("Our team"), language)
    fig.add_trace(go.Scatter(name=us, x=[pos[ROOT][0]], y=[pos[ROOT][1]], mode="markers+text",
                             text=[us], textposition="bottom center", cliponaxis=False,
                             textfont=dict(size=LABEL_FONT, color="#222"),
                             marker=dict(size=24, color="#08306b", symbol="star")))
    ticks = dict(tickvals=[0, 1, 2, 3], ticktext=[render(t, language) for t in (
        N_("Us"), N_("Leaders & orgs"), SHORT_LEVELS["impacted"], SHORT_LEVELS["decision_maker"])])
    return _layout(fig, title, height=600,
                   xaxis=dict(showgrid=False, zeroline=False, range=list(NETWORK_X), **ticks),
                   yaxis=dict(visible=False, range=[-0.03, 1.03]), hovermode="closest")


GROUP_TEXT = "#222222"  # group counts, above their circle on white: 15.9:1 (WCAG AA is 4.5:1)


def _grouped_network(entries: list[dict], links: list[dict], language: str) -> go.Figure:
    group_of = {e["id"]: (e["level"], e["stage"]) for e in entries}
    sizes = Counter(group_of.values())
    keepers = Counter(group_of[e["id"]] for e in entries if e["is_gatekeeper"])
    ours = Counter(group_of[e["id"]] for e in entries if e["strength"] in OUR_STRENGTHS)
    between = Counter()
    for link in links:
        a, b = group_of.get(link["source_id"]), group_of.get(link["target_id"])
        if a and b:
            between[tuple(sorted((a, b)))] += 1
    stage_index = {stage: i for i, stage in enumerate(STAGES)}
    pos = {g: (1 + LEVEL_ORDER.index(g[0]), 1 - stage_index[g[1]] / 4) for g in sizes}
    pos[ROOT] = (0, 0.5)
    fig = go.Figure()
    # Edges in four width classes, one trace each: a trace per edge would cost ~1 ms apiece.
    for counts, start, colour in ((between, None, "#bdbdbd"), (ours, ROOT, "#9ecae1")):
        top = max(counts.values(), default=1)
        widths = defaultdict(lambda: ([], []))
        for key, n in counts.items():
            a, b = (start, key) if start else key
            xs, ys = widths[1 + math.ceil(3 * n / top)]
            xs += [pos[a][0], pos[b][0], None]
            ys += [pos[a][1], pos[b][1], None]
        for width, (xs, ys) in sorted(widths.items()):
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                     line=dict(width=width, color=colour)))
    groups = list(sizes)
    largest = max(sizes.values())
    fig.add_trace(go.Scatter(
        name=render(N_("Groups"), language), x=[pos[g][0] for g in groups],
        y=[pos[g][1] for g in groups], mode="markers+text",
        text=[f"{sizes[g]}" for g in groups], textposition="top center", cliponaxis=False,
        textfont=dict(size=13, color=GROUP_TEXT),
        customdata=[[render(SHORT_LEVELS[g[0]], language), render(STAGES[g[1]], language),
                     keepers[g]] for g in groups],
        hovertemplate=render(N_("%{customdata[0]}, %{customdata[1]}: %{text} entries, "
                                "%{customdata[2]} gatekeepers"), language) + "<extra></extra>",
        marker=dict(size=[14 + 34 * math.sqrt(sizes[g] / largest) for g in groups],
                    # Solid: plotly draws sized markers at 0.7 opacity, links showing through.
                    color=[LEVEL_COLOURS[g[0]] for g in groups], opacity=1,
                    line=dict(width=[3 if keepers[g] else 1 for g in groups],
                              color=["#b2182b" if keepers[g] else "#fff" for g in groups]))))
    us = render(N_("Our team"), language)
    fig.add_trace(go.Scatter(name=us, x=[0], y=[0.5], mode="markers+text", text=[us],
                             textposition="bottom center", cliponaxis=False,
                             textfont=dict(size=13, color=GROUP_TEXT),
                             marker=dict(size=24, color="#08306b", symbol="star")))
    # The note goes under the chart, in its own lines: above it, it ran into the title.
    note = msg("{n} entries are too many to draw one by one: each circle is a level and "
               "stage<br>(size: how many; red ring: holds gatekeepers). Focus on one person "
               "below to see them.", n=len(entries))
    fig.add_annotation(text=render(note, language),
                       xref="paper", yref="paper", x=0, y=-0.1, yanchor="top", showarrow=False,
                       align="left", font=dict(size=12, color=GROUP_TEXT))
    title = msg("Network, grouped ({entries}, {links})", entries=nmsg(
        "{n} entry", "{n} entries", len(entries)), links=nmsg("{n} link", "{n} links", len(links)))
    fig = _layout(fig, render(title, language), height=600, showlegend=False,
                  xaxis=dict(showgrid=False, zeroline=False, tickvals=[0, 1, 2, 3, 4],
                             range=[-0.4, 4.5],
                             ticktext=[render(N_("Us"), language), *_levels(language)]),
                  yaxis=dict(tickvals=[1 - i / 4 for i in range(len(STAGES))], range=[-0.12, 1.15],
                             ticktext=[render(label, language) for label in STAGES.values()],
                             showgrid=False, zeroline=False))
    fig.update_layout(margin=dict(b=80))
    return fig
