"""Chart builders return figures with the expected traces and values (their PNGs, drawn by
Chromium, are tested with the browser tests: tests/e2e/test_chart_png.py)."""
import math

import pytest

from orgkit.coverage import figures, network_figure
from orgkit.coverage import analytics
from orgkit.coverage import model as coverage
from orgkit.coverage import service as coverage_service

from .test_coverage_analytics import TODAY, complete_map, entry, link


@pytest.fixture
def analysis():
    m, e, l, a = complete_map()
    return analytics.analyse_map(m, e, l, a, today=TODAY), e, l


def test_coverage_bars_stack_stages_with_target_markers(analysis):
    result, _, _ = analysis
    fig = figures.coverage_by_level(result["coverage"])
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "Identified", "Contacted", "One-on-one held", "Engaged", "Committed", "Target"]
    engaged = next(t for t in fig.data if t.name == "Engaged")
    assert list(engaged.x) == [2, 2, 2, 0] and fig.layout.barmode == "stack"
    assert engaged.orientation == "h"  # level names read across, on a phone too
    assert list(fig.data[-1].x) == [2, 2, 2, 1]


def test_each_bar_carries_its_number_against_its_target(analysis):
    fig = figures.coverage_by_level(analysis[0]["coverage"])
    (said,) = [t for t in fig.data if t.type == "scatter" and t.mode == "markers+text"]
    totals = [analysis[0]["coverage"][lv]["total"] for lv in figures.LEVEL_ORDER]
    assert list(said.x) == [max(n, t) for n, t in zip(totals, [2, 2, 2, 1])]  # past the target
    assert list(said.text) == [f"{n} of {t}" for n, t in zip(totals, [2, 2, 2, 1])]
    assert fig.layout.xaxis.range[1] >= max(totals)  # the number has room beside its bar


def test_the_gatekeeper_axis_fits_its_data():
    share = {"leader": {"gatekeepers": 1, "total": 8}, "organization": {"gatekeepers": 0,
                                                                         "total": 4}}
    fig = figures.gatekeeper_share(share)
    assert 12.5 <= fig.layout.yaxis.range[1] <= 20  # not 0..100 for a bar of 12.5 %
    assert list(fig.data[0].text) == ["1 of 8", "0 of 4"]


def test_names_are_wrapped_never_cut():
    long = "Commissioner Alicia Fontaine Whitfield"
    label = figures._wrap(long, 16, None)
    assert "…" not in label and label.replace("<br>", " ") == long
    cell = figures._cell_label([{"name": long}], "en")
    assert cell.replace("<br>", " ") == long


def test_the_power_grids_two_greens_differ_in_shape_too():
    rows = [{"name": n, "level": "leader", "office": "", "stance": 1, "influence": 4,
             "distance": d, "quadrant": "Allies to mobilise"} for n, d in (("A", 1), ("B", 2))]
    fig = figures.power_grid(rows)
    symbols = {t.marker.color: set(t.marker.symbol) for t in fig.data}
    assert symbols[figures.DISTANCE_COLOURS[1]] != symbols[figures.DISTANCE_COLOURS[2]]


def test_ladder_has_one_funnel_per_level(analysis):
    fig = figures.ladder_funnel(analysis[0]["ladder"])
    assert [t.type for t in fig.data] == ["funnel"] * 4
    assert list(fig.data[0].x) == [2, 2, 2, 2, 0]


def test_strength_and_gatekeeper_share(analysis):
    result, _, _ = analysis
    strong = next(t for t in figures.strength_by_level(result["strength"]).data
                  if t.name == "Strong")
    assert list(strong.x) == [0, 1, 0, 0]
    share = figures.gatekeeper_share({"leader": {"gatekeepers": 1, "total": 4},
                                      "organization": {"gatekeepers": 0, "total": 0}})
    assert list(share.data[0].y) == [25, 0] and list(share.data[0].text) == ["1 of 4", "0 of 0"]


def test_heatmap_marks_empty_cells_and_escapes_community_names():
    counts = {"impacted": 0, "leader": 3, "organization": 1, "decision_maker": 0}
    fig = figures.constituency_heatmap({"<b>Tenants</b>": counts})
    heat = fig.data[0]
    assert ([list(r) for r in heat.z] == [[0, 3, 1]]
            and [list(r) for r in heat.text] == [["none", "3", "1"]])
    assert list(heat.y) == ["&lt;b&gt;Tenants&lt;/b&gt;"]
    assert heat.colorscale[0][1] == figures.EMPTY_CELL  # zero is the warm colour
    assert heat.colorscale[-1][1] != figures.EMPTY_CELL


def test_heatmap_puts_wanted_communities_in_bold_and_still_escapes_them():
    zero = {"impacted": 0, "leader": 0, "organization": 0, "decision_maker": 0}
    fig = figures.constituency_heatmap({"<i>Vets</i>": zero, "Artists": zero}, ["<i>vets</i>"])
    assert list(fig.data[0].y) == ["<b>&lt;i&gt;Vets&lt;/i&gt;</b>", "Artists"]
    assert "bold" in fig.layout.title.text
    assert "bold" not in figures.constituency_heatmap({"Artists": zero}).layout.title.text


def grid_row(name, stance, influence, distance, level="decision_maker", office=""):
    from orgkit.coverage.model import quadrant
    return {"id": name, "name": name, "level": level, "office": office, "stance": stance,
            "influence": influence, "distance": distance,
            "quadrant": "" if stance is None or influence is None else quadrant(stance, influence)}


def test_power_grid_colours_everyone_with_power_by_distance():
    rows = [grid_row("Near", 1, 3, 2), grid_row("<i>Far</i>", -2, 5, None, office="Mayor"),
            grid_row("Unknown", None, 2, 1), grid_row("Chamber", 2, 4, 1, level="organization")]
    fig = figures.power_grid(rows)
    assert [(t.name, [h.split(" (")[0] for h in t.hovertext]) for t in fig.data] == [
        ("Direct tie to our team", ["Chamber"]), ("One step from a direct tie", ["Near"]),
        ("No path from us", ["&lt;i&gt;Far&lt;/i&gt;"])]
    assert fig.data[2].hovertext[0] == ("&lt;i&gt;Far&lt;/i&gt; (Decision-makers)<br>Mayor<br>"
                                        "Opposed, influence 5 · No path from us<br>"
                                        "Opponents to watch")
    assert list(fig.data[0].marker.symbol) == ["square"]  # shape: level
    cells = [a.text for a in fig.layout.annotations if not a.text.startswith("<i>")]
    assert sorted(cells) == ["&lt;i&gt;Far&lt;/i&gt;", "Chamber", "Near"]


def test_an_opposed_direct_tie_is_never_called_one_of_ours():
    fig = figures.power_grid([grid_row("Commissioner Roe", -2, 5, 1)])
    spec = fig.to_json()
    assert "ours" not in spec.replace("our team", "")  # only "Direct tie to our team"
    assert "Opponents to watch" in spec


def test_entries_sharing_a_cell_are_spread_and_named_once():
    rows = [grid_row(f"Official {i}", 1, 4, 2) for i in range(7)]
    fig = figures.power_grid(rows)
    points = list(zip(fig.data[0].x, fig.data[0].y))
    assert len(set(points)) == 7  # no two markers on the same spot
    assert all(0.5 < x < 1.5 and 3.5 < y < 4.5 for x, y in points)  # all inside their cell
    (cell,) = [a for a in fig.layout.annotations if not a.text.startswith("<i>")]
    assert cell.text == "Official 0<br>+6 more"


@pytest.mark.parametrize("count", [2, 7, 40])
def test_markers_sharing_a_cell_keep_apart(count):
    rows = [grid_row(f"Official {i}", 1, 4, 1 + i % 3) for i in range(count)]
    fig = figures.power_grid(rows)
    points = [(x * 160, y * figures.CELL_PX, size) for t in fig.data
              for x, y, size in zip(t.x, t.y, t.marker.size)]  # pixels on a 900 px wide chart
    assert len(points) == count
    for i, (x, y, size) in enumerate(points):
        for x2, y2, size2 in points[i + 1:]:
            assert math.dist((x, y), (x2, y2)) >= (size + size2) / 2


def test_on_a_phone_a_cell_says_how_many_and_the_guidance_wraps():
    rows = [grid_row(f"Official {i}", 1, 4, 2) for i in range(7)] + [grid_row("Solo", -2, 1, 1)]
    fig = figures.power_grid(rows, narrow=True)
    texts = [a.text for a in fig.layout.annotations]
    assert {"7", "1"} <= set(texts) and not [t for t in texts if "Official" in t or "Solo" in t]
    assert {"<i>Opponents<br>to watch</i>", "<i>Supporters<br>to build<br>up</i>"} <= set(texts)
    assert sorted(fig.data[0].hovertext + fig.data[1].hovertext)[0].startswith("Official 0")


def test_power_grid_regions_carry_guidance():
    fig = figures.power_grid([])
    guidance = {a.text for a in fig.layout.annotations}
    assert guidance == {f"<i>{q}</i>" for q in coverage.QUADRANTS.values()}
    assert contrast(figures.GUIDE_COLOUR, "#ffffff") >= 4.5


def test_network_draws_people_sized_by_betweenness_and_marks_gatekeepers(analysis):
    result, e, l = analysis
    e = e + [entry(20, "leader", "Gate", is_gatekeeper=1)]
    network = coverage.build_network(e, l)
    fig = network_figure.network_graph(e, l, network)
    names = [t.name for t in fig.data]
    assert "Leaders (gatekeeper)" in names and "Our team" in names
    gate = fig.data[names.index("Leaders (gatekeeper)")]
    assert gate.marker.symbol == "diamond" and list(gate.hovertext) == ["Gate"]
    leaders = fig.data[names.index("Leaders")]
    sizes = dict(zip(leaders.hovertext, leaders.marker.size))
    assert sizes["Dev"] > sizes["Cleo"]  # Dev alone joins Ana to the rest


def test_network_agrees_with_the_people_table(analysis):
    _, e, l = analysis
    network = coverage.build_network(e, l)
    fig = network_figure.network_graph(e, l, network)
    drawn = {n: c[1] for t in fig.data if t.hovertext and t.customdata is not None
             for n, c in zip(t.hovertext, t.customdata)}
    table = {r["name"]: f"on {coverage.share_percent(r['betweenness'])} % of shortest paths "
             "between others" for r in analytics.people_metrics(e, network)}
    assert drawn == table  # in words: "on 9 % of shortest paths between others"


def labelled_network(n, seed=3):
    import random
    rng = random.Random(seed)
    levels = rng.choices(["impacted", "leader", "organization", "decision_maker"], [60, 20, 15, 5],
                         k=n)
    entries = [entry(i, lv, f"Person number {i}", strength=rng.choice(["none", "none", "weak"]))
               for i, lv in enumerate(levels, 1)]
    links = [link(rng.randint(1, n), rng.randint(1, n)) for _ in range(2 * n)]
    links += [link(1, i) for i in range(2, n, 5)]  # a hub
    return entries, links


@pytest.mark.parametrize("n, narrow", [(60, False), (300, False), (60, True), (300, True)])
def test_network_labels_what_matters_without_overlapping(n, narrow):
    entries, links = labelled_network(n)
    network = coverage.build_network(entries, links)
    fig = network_figure.network_graph(entries, links, network, narrow=narrow)
    area = network_figure.NARROW_AREA if narrow else network_figure.LABEL_AREA
    shown = {}
    for t in fig.data:
        if t.hovertext:
            for name, text, x, y in zip(t.hovertext, t.text, t.x, t.y):
                if text:
                    shown[name] = (text, x, y)
    assert "Person number 1" in shown  # the hub
    officials = [e["name"] for e in entries if e["level"] == "decision_maker"]
    assert set(officials) & set(shown)
    boxes = [network_figure._label_box(x, y, text, area) for text, x, y in shown.values()]
    assert not [1 for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if network_figure._boxes_meet(a, b)]
    impacted = next(t for t in fig.data if t.name == "Impacted")
    assert len(set(impacted.x)) >= (2 if n > 100 else 1)  # many impacted spread into sub-columns
    points = [(x, y) for t in fig.data if t.hovertext for x, y in zip(t.x, t.y)]
    assert len(set(points)) == len(points) == n  # nobody drawn on top of another


def test_focus_draws_two_steps_around_one_person_and_the_path_from_us():
    entries = [entry(i, "impacted", f"P{i}", strength="weak" if i == 1 else "none")
               for i in range(1, 9)]
    links = [link(i, i + 1) for i in range(1, 8)]
    network = coverage.build_network(entries, links)
    fig = network_figure.network_graph(entries, links, network, focus=6)
    drawn = {n for t in fig.data if t.hovertext for n in t.hovertext}
    assert drawn == {f"P{i}" for i in range(1, 9)}  # 4, 5, 7, 8 within two links; 1-3 the path
    path = next(t for t in fig.data if t.name == "Path from our team")
    assert len(path.x) == 7  # us, P1 .. P6
    assert "Around P6" in fig.layout.title.text


def test_large_networks_are_grouped_with_a_note():
    entries = [entry(i, "impacted" if i % 2 else "leader", is_gatekeeper=i % 7 == 0)
               for i in range(1, coverage.DRAW_LIMIT + 50)]
    links = [link(i, i + 1) for i in range(1, coverage.DRAW_LIMIT + 40)]
    network = coverage.build_network(entries, links)
    fig = network_figure.network_graph(entries, links, network)
    (note,) = fig.layout.annotations
    assert "too many to draw" in note.text and note.y < 0  # under the chart, not on the title
    groups = next(t for t in fig.data if t.name == "Groups")
    assert sum(int(n) for n in groups.text) == len(entries)
    assert len(fig.data) < 15  # edges go in a few width classes, not one trace each


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def luminance(colour):
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_grouped_counts_are_legible():
    groups = "#222222"
    assert network_figure.GROUP_TEXT == groups and contrast(groups, "#ffffff") >= 4.5
    assert round(contrast("#767676", "#ffffff"), 1) == 4.5  # the WCAG reference grey


def test_one_week_of_activity_ticks_by_week_not_by_hour():
    fig = figures.activity([{"week": "2026-11-30", "entries_added": 2, "one_on_ones": 1,
                             "actions_done": 3}])
    axis = fig.layout.xaxis
    assert axis.dtick == 7 * 86_400_000 and axis.tick0 == "2026-11-30"
    assert "%H" not in axis.tickformat and list(axis.range) == ["2026-11-26", "2026-12-04"]


def test_activity_groups_three_series_per_week():
    weeks = [{"week": "2026-03-02", "entries_added": 2, "one_on_ones": 1, "actions_done": 3}]
    fig = figures.activity(weeks)
    assert [(t.name, list(t.y)) for t in fig.data] == [
        ("Entries added", [2]), ("One-on-ones held", [1]), ("Actions done", [3])]


def team(i, name=None, **targets):
    return {"id": i, "name": name or f"Team {i}", "target_impacted": 0, "target_leader": 0,
            "target_organization": 0, "target_decision_maker": 0, **targets}


def shared_row(map_id, level="leader", stage="engaged"):
    return {"map_id": map_id, "level": level, "stage": stage, "strength": "weak",
            "is_gatekeeper": 0, "constituencies": "", "created_at": 1_772_000_000.0, "name": ""}


def panel_titles(fig):
    return [a.text for a in fig.layout.annotations if a.text != "no entries yet"]


def test_small_multiples_give_each_map_its_panel():
    maps = [team(i, f"<b>Team {i}</b>", target_impacted=1) for i in (1, 2, 3, 4)]
    fig = figures.workshop_small_multiples(analytics.workshop_summary(maps, [shared_row(2)], []))
    assert panel_titles(fig) == [f"&lt;b&gt;Team {i}&lt;/b&gt;" for i in (1, 2, 3, 4)]
    engaged = [t for t in fig.data if t.name == "Engaged"]
    assert len(engaged) == 4 and list(engaged[1].x) == [0, 1, 0, 0]
    assert sum(bool(t.showlegend) for t in fig.data) == 6  # one legend: 5 stages + target


def grid(fig):
    """(rows, columns, panels) of a figure's subplots, from its axes' domains."""
    xs = [fig.layout[name] for name in fig.layout if name.startswith("xaxis")]
    ys = [fig.layout[name] for name in fig.layout if name.startswith("yaxis")]
    return len({tuple(y.domain) for y in ys}), len({tuple(x.domain) for x in xs}), len(xs)


@pytest.mark.parametrize("count, rows, cols",
                         [(1, 1, 1), (2, 1, 2), (3, 2, 2), (4, 2, 2), (5, 3, 2), (8, 4, 2)])
def test_small_multiples_lay_maps_out_two_columns_wide_with_a_row_per_pair(count, rows, cols):
    maps = [team(i) for i in range(1, count + 1)]
    rows_ = [shared_row(m["id"]) for m in maps]
    fig = figures.workshop_small_multiples(analytics.workshop_summary(maps, rows_, []))
    assert grid(fig) == (rows, cols, count)  # no empty panel drawn in an odd grid
    assert fig.layout.height >= rows * figures.PANEL_HEIGHT  # more maps make it taller, not thinner


def test_small_multiples_use_short_level_names_on_horizontal_bars():
    fig = figures.workshop_small_multiples(analytics.workshop_summary([team(1), team(2)],
                                                                     [shared_row(1)], []))
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.orientation for t in bars} == {"h"}
    assert list(bars[0].y) == list(figures.SHORT_LEVELS.values())


@pytest.mark.parametrize("name, lines", [
    ("Northside Family Services", ["Northside Family", "Services"]),
    ("St. Brigid Congregation", ["St. Brigid", "Congregation"]),
    ("<b>Riverbend</b> Tenants & Neighbours Union of the East Side",
     ["&lt;b&gt;Riverbend&lt;/b&gt;", "Tenants &amp; Neigh…"]),
    ("Supercalifragilisticexpialidocious", ["Supercalifragili", "sticexpialidoci…"]),
    ("Tenants", ["Tenants"]),
])
def test_small_multiples_wrap_long_team_names_in_at_most_two_escaped_lines(name, lines):
    summary = analytics.workshop_summary([team(1, name)], [shared_row(1)], [])
    fig = figures.workshop_small_multiples(summary)
    assert panel_titles(fig) == ["<br>".join(lines)]


def test_an_empty_map_gets_a_zero_based_panel_that_says_it_has_no_entries_yet():
    maps = [team(1, target_leader=4), team(2), team(3)]
    rows = [shared_row(1)] * 3 + [shared_row(3, "impacted")] * 7
    fig = figures.workshop_small_multiples(analytics.workshop_summary(maps, rows, []))
    notes = [a for a in fig.layout.annotations if a.text == "no entries yet"]
    assert [(a.xref, a.yref, a.x, a.y) for a in notes] == [("x2 domain", "y2 domain", 0.5, 0.5)]
    ranges = {tuple(fig.layout[name].range) for name in ("xaxis", "xaxis2", "xaxis3")}
    assert len(ranges) == 1  # one scale for every panel, the empty one included
    low, high = ranges.pop()
    assert low == 0 and 7 <= high < 8  # up to the fullest bar (7 impacted) with a little room
    assert {fig.layout[name].rangemode for name in ("xaxis", "xaxis2", "xaxis3")} == {"tozero"}


def test_a_workshop_with_only_empty_maps_still_has_a_whole_number_axis():
    fig = figures.workshop_small_multiples(analytics.workshop_summary([team(1), team(2)], [], []))
    assert len([a for a in fig.layout.annotations if a.text == "no entries yet"]) == 2
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] >= 1
    assert fig.layout.xaxis.dtick == 1


def _our_words(fig) -> list[str]:
    """The texts of ours on a figure: title, axis titles, legend names, notes."""
    layout = fig.layout
    axes = [layout[name] for name in layout if name.startswith(("xaxis", "yaxis"))]
    return [text for text in [layout.title.text, *(axis.title.text for axis in axes),
                              *(trace.name for trace in fig.data if trace.showlegend is not False),
                              *(note.text for note in layout.annotations)] if text]


def test_each_figure_is_drawn_and_kept_in_the_readers_language(analysis, stand_in_spanish):
    result, entries, links = analysis
    view = result  # a deferred view: each measure computed when a figure first reads it
    view.update(entries=entries, links=links, figures={}, builders=coverage_service.MAP_FIGURES,
                cache_key=("test", "map", 1, 1, "day"))
    people = {e["name"] for e in entries}  # a power grid cell shows its names (or its count)
    for name in coverage_service.MAP_FIGURES:
        english = coverage_service.figure(view, name)
        spanish = coverage_service.figure(view, name, language="es")
        assert coverage_service.figure(view, name, language="es") is spanish  # kept
        assert not any("[es:" in text for text in _our_words(english))
        words = _our_words(spanish)
        assert words and [w for w in words if "[es:" not in w and w not in people
                          and not w.isdigit()] == [], name
    grid = coverage_service.figure(view, "power_grid", language="es")
    assert "Rep. Fox ([es:Decision-makers])" in grid.data[0].hovertext[0]
    assert "[es:Rep. Fox]" not in str(grid.to_plotly_json())


def test_a_small_network_names_every_person():
    e = [entry(1, "leader", "Hub", strength="strong")] + [
        entry(i, "impacted", f"Neighbour {i}") for i in range(2, 14)]
    l = [link(1, i) for i in range(2, 14)]
    network = coverage.build_network(e, l)
    fig = network_figure.network_graph(e, l, network)
    unnamed = [name for t in fig.data if t.hovertext
               for name, text in zip(t.hovertext, t.text) if not text]
    assert unnamed == []


def test_no_community_named_yet_says_what_is_missing_instead_of_empty_axes():
    fig = figures.constituency_heatmap({})
    assert not fig.data and not fig.layout.xaxis.visible and not fig.layout.yaxis.visible
    note = fig.layout.annotations[0].text.replace("<br>", " ")
    assert "No entry names a community" in note and "Constituencies" in note


def _text_sizes(fig):
    """Every text size a figure sets or inherits (layout font for what sets none)."""
    base = fig.layout.font.size
    sizes = [base, fig.layout.legend.font.size or base]
    for axis in [fig.layout[n] for n in fig.layout if n[1:5] == "axis"]:
        sizes += [axis.tickfont.size or base, axis.title.font.size or base]
    sizes += [a.font.size or base for a in fig.layout.annotations]
    sizes += [t.textfont.size or base for t in fig.data if "textfont" in t]
    return sizes


def test_the_workshop_view_safe_to_project_draws_every_chart_text_at_projector_size():
    maps = [team(i, f"Team {i}", target_impacted=1) for i in (1, 2, 3)]
    view = analytics.workshop_summary(maps, [shared_row(1), shared_row(2)], [])
    view.update(figures={}, builders=coverage_service.WORKSHOP_FIGURES, cache_key=("t",))
    for name in coverage_service.WORKSHOP_FIGURES:
        fig = coverage_service.figure(view, name)
        assert min(_text_sizes(fig)) >= figures.PROJECTED_FONT, name
        assert fig.layout.title.font.size * 0.7 >= figures.PROJECTED_FONT  # its note too
