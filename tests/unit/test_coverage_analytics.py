"""Coverage analytics and the gap finder on constructed maps with known answers."""
import datetime as dt
import random

import networkx as nx
import pytest

from orgkit.coverage import analytics
from orgkit.coverage import gaps as gap_finder
from orgkit.coverage import model as coverage
from orgkit.i18n import render
from orgkit.map import model as map_model

TODAY = dt.date(2026, 3, 18)
NOW = dt.datetime(2026, 3, 18, 12).timestamp()


def entry(id, level, name=None, **fields):
    row = {"id": id, "name": name or f"E{id}", "level": level, "constituencies": "",
           "is_gatekeeper": 0, "strength": "working", "stage": "engaged", "next_step": "",
           "next_step_on": None, "agenda": "", "office": "",
           "stance": None, "influence": None, "willing_to_speak": 0, "created_at": NOW}
    row.update(fields)
    return row


def link(a, b, kind="knows"):
    return {"source_id": a, "target_id": b, "kind": kind}


def complete_map():
    """A map with nothing missing: every level at target, every community reached twice (the
    wanted ones are spelled in other capitals than on the entries)."""
    map_row = {"id": 1, "workshop_id": 1, "name": "Team", "issue": "Child care",
               "target_impacted": 2, "target_leader": 2, "target_organization": 2,
               "target_decision_maker": 1, "wanted_constituencies": "tenants; PARENTS"}
    entries = [
        entry(1, "impacted", "Ana", constituencies="Tenants", willing_to_speak=1),
        entry(2, "impacted", "Ben", constituencies="Tenants; Parents"),
        entry(3, "leader", "Cleo", constituencies="Parents", strength="strong",
              next_step="Coffee", next_step_on="2026-03-25"),
        entry(4, "leader", "Dev", constituencies="Tenants"),
        entry(5, "organization", "Library", constituencies="Parents"),
        entry(6, "organization", "Union"),
        entry(7, "decision_maker", "Rep. Fox", strength="none", stage="identified",
              agenda="Budget", stance=1, influence=4),
    ]
    # Two ways to Rep. Fox: no single point of failure. Fox's funder and boss are links (the
    # one source of both): Union.
    links = [link(3, 7, "inner_circle"), link(4, 1), link(5, 2, "member_of"), link(4, 7),
             link(6, 7, "funds"), link(7, 6, "answers_to")]
    actions = [{"kind": "one_on_one", "status": "done", "due_on": "2026-03-10", "updated_at": NOW,
                "entry_ids": [3]}]
    return map_row, entries, links, actions


def gaps_of(map_row, entries, links, actions):
    return gap_finder.find_gaps(map_row, entries, links, actions, today=TODAY)


def test_a_complete_map_shows_no_gaps():
    assert gaps_of(*complete_map()) == []


def _by_id(entries, id):
    return next(e for e in entries if e["id"] == id)


def plant_empty_level(m, e, l, a):
    e[:] = [x for x in e if x["level"] != "organization"]
    l[:] = [x for x in l if x["source_id"] != 5]


def plant_below_target(m, e, l, a):
    m["target_leader"] = 5


def plant_gatekeeper(m, e, l, a):
    e += [entry(20, "leader", "Gate", is_gatekeeper=1, constituencies="Seniors", strength="weak"),
          entry(21, "impacted", "Sam", constituencies="Seniors", strength="none")]
    l.append(link(20, 21))


def plant_single_person(m, e, l, a):
    e += [entry(30, "impacted", "Yan", constituencies="Youth", strength="none"),
          entry(31, "impacted", "Zoe", constituencies="Youth", strength="none")]
    l += [link(4, 30), link(30, 31)]


def researched(e, l, official_id):
    """Give a planted decision-maker a funder and a boss (links): a stranger to the team."""
    e.append(entry(official_id + 1000, "leader", f"Backer of {official_id}",
                   strength="none"))
    l += [link(official_id + 1000, official_id, "funds"),
          link(official_id, official_id + 1000, "answers_to")]


def plant_unreached(m, e, l, a):
    e.append(entry(40, "impacted", "Far", constituencies="Farmworkers", strength="none"))


def plant_wanted_unreached(m, e, l, a):
    m["wanted_constituencies"] += "; Farmworkers"
    e.append(entry(41, "decision_maker", "Rep. Oak", constituencies="Farmworkers", agenda="x"))
    l.append(link(3, 41))  # a decision-maker does not reach a community
    researched(e, l, 41)


def plant_far_decision_maker(m, e, l, a):
    e.append(entry(50, "decision_maker", "Mayor Hill", strength="none", agenda="x"))
    researched(e, l, 50)


def plant_missing_research(m, e, l, a):
    _by_id(e, 7)["agenda"] = "  "


def plant_stuck(m, e, l, a):
    _by_id(e, 6).update(stage="contacted", next_step="")


def plant_overdue(m, e, l, a):
    _by_id(e, 3)["next_step_on"] = "2026-03-11"


def plant_no_speaker(m, e, l, a):
    _by_id(e, 1)["willing_to_speak"] = 0


def plant_old_one_on_one(m, e, l, a):
    a[0]["due_on"] = "2026-02-01"


def plant_single_decision_maker(m, e, l, a):
    l.remove(link(4, 7))  # Rep. Fox is left reachable only through Cleo
    _by_id(e, 6)["strength"] = "none"  # (his funder Union is no tie of ours)


def plant_unrecorded_one_on_one(m, e, l, a):
    _by_id(e, 4)["stage"] = "one_on_one"  # Dev: no done one-on-one involves him


@pytest.mark.parametrize("plant, kind, subject, says", [
    (plant_empty_level, "level_empty", "Organizations and institutions", "Nobody"),
    (plant_below_target, "level_below_target", "Community leaders and connectors", "2 of the 5"),
    (plant_gatekeeper, "constituency_gatekeeper", "Seniors", "Gate"),
    (plant_single_person, "constituency_single", "Youth", "Dev"),
    (plant_unreached, "constituency_unreached", "Farmworkers", "nobody"),
    (plant_wanted_unreached, "constituency_missing", "Farmworkers", "no impacted person"),
    (plant_far_decision_maker, "decision_maker_far", "Mayor Hill", "two steps"),
    (plant_missing_research, "decision_maker_unknowns", "Rep. Fox", "agenda"),
    (plant_stuck, "stuck_contacted", "Union", "no next step"),
    (plant_overdue, "overdue", "Cleo", "7 days ago"),
    (plant_no_speaker, "no_spokesperson", "Directly impacted people", "ready to speak"),
    (plant_old_one_on_one, "no_recent_one_on_one", "One-on-ones", "30 days"),
    (plant_single_decision_maker, "decision_maker_single", "Rep. Fox", "only through Cleo"),
    (plant_unrecorded_one_on_one, "one_on_one_unrecorded", "Dev", "One-on-one held"),
])
def test_each_planted_gap_is_found_and_only_it(plant, kind, subject, says):
    m, e, l, a = complete_map()
    plant(m, e, l, a)
    gaps = gaps_of(m, e, l, a)
    assert [(g.kind, str(g.subject)) for g in gaps] == [(kind, subject)]
    assert says in render(gaps[0].reason) and render(gaps[0].next_step)


@pytest.mark.parametrize("chain, far", [(1, False), (2, False), (3, True)])
def test_a_decision_maker_is_near_within_two_steps_of_one_of_ours(chain, far):
    # ours(3) -> chain of `chain - 1` strangers -> the decision-maker
    m, e, l, a = complete_map()
    previous = 3
    for i in range(chain - 1):
        e.append(entry(60 + i, "organization", f"Link {i}", strength="none"))
        l.append(link(previous, 60 + i))
        previous = 60 + i
    e.append(entry(70, "decision_maker", "Judge Ray", strength="none", agenda="a"))
    researched(e, l, 70)
    l.append(link(previous, 70))
    kinds = {g.kind for g in gaps_of(m, e, l, a)}
    assert ("decision_maker_far" in kinds) is far


def test_gaps_are_ranked_most_urgent_first():
    m, e, l, a = complete_map()
    for plant in (plant_missing_research, plant_empty_level, plant_overdue,
                  plant_far_decision_maker):
        plant(m, e, l, a)
    kinds = [g.kind for g in gaps_of(m, e, l, a)]
    assert kinds == ["level_empty", "decision_maker_far", "overdue", "decision_maker_unknowns"]


def test_every_kind_of_gap_has_a_label_and_a_rank():
    ranks = gap_finder.GAP_RANKS
    assert list(ranks) == sorted(ranks, key=lambda kind: -ranks[kind].base)  # read top down
    assert set(gap_finder.GAP_RANKS) == set(coverage.GAP_KINDS)


@pytest.mark.parametrize("due, score", [("2026-03-15", 51), ("2026-02-16", 60), ("2025-12-18", 60)])
def test_an_overdue_step_climbs_a_point_per_three_days_then_stops_after_a_month(due, score):
    m, e, l, a = complete_map()
    _by_id(e, 3)["next_step_on"] = due  # 3, 30 and 90 days before TODAY
    [gap] = gaps_of(m, e, l, a)
    assert (gap.kind, gap.score) == ("overdue", score)


@pytest.mark.parametrize("influence, score", [(None, 90), (1, 91), (5, 95)])
def test_a_far_decision_maker_ranks_higher_the_more_influence_they_have(influence, score):
    m, e, l, a = complete_map()
    plant_far_decision_maker(m, e, l, a)
    _by_id(e, 50)["influence"] = influence
    [gap] = gaps_of(m, e, l, a)
    assert (gap.kind, gap.score) == ("decision_maker_far", score)


def test_coverage_ladder_strength_and_gatekeepers_count_the_map():
    m, e, l, a = complete_map()
    e.append(entry(8, "leader", stage="contacted", strength="weak", is_gatekeeper=1))
    cov = analytics.coverage_by_level(e, map_model.targets(m))
    assert cov["leader"] == {"stages": {"identified": 0, "contacted": 1, "one_on_one": 0,
                                        "engaged": 2, "committed": 0}, "total": 3, "target": 2}
    assert analytics.ladder(e)["leader"] == {"identified": 3, "contacted": 3, "one_on_one": 2,
                                            "engaged": 2, "committed": 0}
    assert analytics.strength_by_level(e)["leader"] == {"none": 0, "weak": 1, "working": 1,
                                                        "strong": 1}
    assert analytics.gatekeeper_share(e) == {"leader": {"gatekeepers": 1, "total": 3},
                                            "organization": {"gatekeepers": 0, "total": 2}}


def test_constituency_matrix_splits_tags_and_counts_per_level():
    m, e, l, a = complete_map()
    matrix = analytics.constituency_matrix(e)
    assert list(matrix) == ["Parents", "Tenants"]
    assert matrix["Tenants"] == {"impacted": 2, "leader": 1, "organization": 0, "decision_maker": 0}


def test_wanted_communities_head_the_matrix_even_when_nobody_reaches_them():
    m, e, l, a = complete_map()
    e.append(entry(9, "leader", constituencies="parents; Artists"))
    matrix = analytics.constituency_matrix(e, ["Veterans", "tenants"])
    assert list(matrix) == ["Veterans", "tenants", "Artists", "Parents"]
    assert matrix["Veterans"] == dict.fromkeys(["impacted", "leader", "organization",
                                                "decision_maker"], 0)
    # "Tenants" on entries, counted under the team's spelling
    assert matrix["tenants"]["impacted"] == 2
    assert matrix["Parents"] == {"impacted": 1, "leader": 2, "organization": 1, "decision_maker": 0}


def test_analysis_carries_the_wanted_list_into_the_heatmap_rows():
    m, e, l, a = complete_map()
    m["wanted_constituencies"] = "Veterans; Parents"
    result = analytics.analyse_map(m, e, l, a, today=TODAY)
    assert result["wanted"] == ["Veterans", "Parents"]
    assert list(result["constituencies"]) == ["Veterans", "Parents", "Tenants"]
    assert [(g.kind, g.subject) for g in result["gaps"]] == [("constituency_missing", "Veterans")]


@pytest.mark.parametrize("wanted, subject, score",
                         [("", "Seniors", 80), ("seniors", "seniors", 85)])
def test_a_wanted_community_behind_a_gatekeeper_ranks_higher(wanted, subject, score):
    # a wanted community is named as the team spelled it
    m, e, l, a = complete_map()
    plant_gatekeeper(m, e, l, a)
    m["wanted_constituencies"] = wanted
    [gap] = gaps_of(m, e, l, a)
    assert (gap.kind, gap.subject, gap.score) == ("constituency_gatekeeper", subject, score)


def test_a_wanted_community_through_a_single_person_is_found():
    m, e, l, a = complete_map()
    plant_single_person(m, e, l, a)
    m["wanted_constituencies"] = "Youth"
    [gap] = gaps_of(m, e, l, a)
    assert (gap.kind, gap.subject, gap.score) == ("constituency_single", "Youth", 75)
    assert "Dev" in render(gap.reason)


def test_activity_fills_empty_weeks_and_counts_only_done_actions():
    monday = dt.datetime(2026, 3, 2, 9).timestamp()
    entries = [entry(1, "impacted", created_at=monday),
               entry(2, "leader", created_at=monday + 86400 * 14)]
    actions = [{"kind": "one_on_one", "status": "done", "due_on": "2026-03-04"},
               {"kind": "site_visit", "status": "done", "due_on": "2026-03-05"},
               {"kind": "one_on_one", "status": "planned", "due_on": "2026-03-09"}]
    assert analytics.activity_by_week(entries, actions) == [
        {"week": "2026-03-02", "entries_added": 1, "one_on_ones": 1, "actions_done": 2},
        {"week": "2026-03-09", "entries_added": 0, "one_on_ones": 0, "actions_done": 0},
        {"week": "2026-03-16", "entries_added": 1, "one_on_ones": 0, "actions_done": 0}]


@pytest.mark.parametrize("seed", range(6))
def test_single_points_are_exactly_the_nodes_whose_removal_cuts_us_off(seed):
    rng = random.Random(seed)
    entries = [entry(i, rng.choice(["impacted", "leader"]),
                     strength=rng.choice(["none", "none", "none", "weak"])) for i in range(1, 40)]
    links = [link(*rng.sample(range(1, 40), 2)) for _ in range(45)]
    network = coverage.build_network(entries, links)
    targets = rng.sample(range(1, 40), 3)
    reached = [t for t in targets if t in network.distance]
    expected = set()
    for node in network.distance:
        if node == coverage.ROOT or not reached:
            continue
        cut = network.graph.copy()
        cut.remove_node(node)
        if not any(nx.has_path(cut, coverage.ROOT, t) for t in reached if t != node):
            expected.add(node)
    found = coverage.single_points(targets, network)
    assert set(found) == expected
    assert [network.distance[n] for n in found] == sorted(network.distance[n] for n in found)


@pytest.mark.parametrize("seed", range(20))
def test_one_pass_dominators_and_distances_agree_with_networkx(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 80)
    entries = [entry(i, "leader", strength=rng.choice(["none"] * 4 + ["weak"]))
               for i in range(1, n)]
    links = [link(rng.randint(1, n - 1), rng.randint(1, n - 1))
             for _ in range(rng.randint(0, 2 * n))]
    network = coverage.build_network(entries, links)
    graph = network.graph
    expected = nx.immediate_dominators(graph.to_directed(as_view=True), coverage.ROOT)
    expected.pop(coverage.ROOT, None)
    assert network.idom == expected
    assert network.distance == nx.single_source_shortest_path_length(graph, coverage.ROOT)
    ours = graph.subgraph(nx.node_connected_component(graph, coverage.ROOT))
    assert network.cut_points == set(nx.articulation_points(ours)) - {coverage.ROOT}


def test_a_chain_of_ten_thousand_people_needs_no_recursion():
    entries = [entry(i, "impacted", strength="weak" if i == 1 else "none")
               for i in range(1, 10_001)]
    links = [link(i, i + 1) for i in range(1, 10_000)]
    network = coverage.build_network(entries, links)
    assert network.distance[10_000] == 10_000
    assert coverage.single_points([10_000], network) == list(range(1, 10_001))  # itself too


def test_betweenness_is_measured_only_when_a_network_is_drawn_person_by_person():
    from orgkit.coverage import network_figure

    small = [entry(i, "leader") for i in range(1, 5)]
    network = coverage.build_network(small, [])
    assert "betweenness" not in vars(network)  # the analysis alone never pays for it
    network_figure.network_graph(small, [], network)
    assert set(vars(network)["betweenness"]) == {coverage.ROOT, 1, 2, 3, 4}
    big = [entry(i, "leader") for i in range(1, coverage.DRAW_LIMIT + 2)]
    network = coverage.build_network(big, [])
    network_figure.network_graph(big, [], network)  # drawn as groups: no betweenness needed
    assert "betweenness" not in vars(network)


def shared(map_id, level, stage, **fields):
    """One row as MapRepo.shared_rows fetches it."""
    return {"map_id": map_id, "level": level, "stage": stage, "strength": "none",
            "is_gatekeeper": 0, "constituencies": "", "created_at": NOW, "name": "", **fields}


@pytest.mark.parametrize("level", ["impacted", "leader", "decision_maker"])
def test_a_shared_screen_names_no_person(level):
    row = shared(1, level, "engaged", name="Maria Lopez")
    assert map_model.shared_row(row) == {**row, "name": ""}
    assert map_model.shared_row(shared(1, "organization", "engaged", name="Food Bank"))["name"] \
        == "Food Bank"


def test_workshop_summary_names_only_organizations():
    maps = [{"id": 1, "name": "Team", "target_impacted": 3, "target_leader": 0,
             "target_organization": 0, "target_decision_maker": 0}]
    rows = [shared(1, "impacted", "contacted", constituencies="Tenants", name="Maria Lopez"),
            shared(1, "leader", "engaged", name="Jon Park"),
            shared(1, "decision_maker", "identified", name="Rep. Fox"),
            shared(1, "organization", "engaged", is_gatekeeper=1, constituencies="Tenants",
                   name="Food Bank")]
    summary = analytics.workshop_summary(maps, [map_model.shared_row(r) for r in rows], [])
    assert summary["maps"][0]["organizations"] == ["Food Bank"]
    assert not [name for name in ("Maria Lopez", "Jon Park", "Rep. Fox") if name in repr(summary)]
    assert summary["wanted"] == [] and list(summary["constituencies"]) == ["Tenants"]
    assert summary["coverage"]["impacted"]["total"] == 1
    assert summary["coverage"]["impacted"]["target"] == 3
    assert summary["gatekeepers"]["organization"] == {"gatekeepers": 1, "total": 1}


def test_gap_finder_and_checklist_agree_on_what_is_researched():
    """A funder or a boss drawn as a link counts as known for both (orgkit.map.power)."""
    from orgkit.map import power

    map_row, entries, links, actions = complete_map()
    official = _by_id(entries, 7)
    links = [l for l in links if l["kind"] not in ("funds", "answers_to")]
    entries += [entry(8, "organization", "Builders PAC"), entry(9, "organization", "Council")]
    for row in entries:
        row.setdefault("trained", 0)  # the checklist reads it; the gap finder does not
    drawn = links + [link(8, 7, "funds"), link(7, 9, "answers_to")]
    assert power.unknowns(official, power.power_links(drawn)) == []
    assert power.unknowns(official, power.power_links(links)) == ["funded_by", "answers_to"]
    step = next(s for s in map_model.checklist(entries, drawn, []) if "funders" in s.label)
    assert step.done
    assert not [g for g in gaps_of(map_row, entries, drawn, actions)
                if g.kind == "decision_maker_unknowns"]
    (unknown,) = [g for g in gaps_of(map_row, entries, links, actions)
                  if g.kind == "decision_maker_unknowns"]
    assert "funders, whom they answer to" in render(unknown.reason)


def test_workshop_view_lists_every_teams_wanted_communities_first():
    maps = [{"id": 1, "name": "A", "wanted_constituencies": "Veterans; Tenants"},
            {"id": 2, "name": "B", "wanted_constituencies": "tenants; Farmworkers"}]
    rows = [shared(2, "leader", "contacted", constituencies="Artists; Tenants")]
    summary = analytics.workshop_summary(maps, rows, [])
    assert summary["wanted"] == ["Veterans", "Tenants", "Farmworkers"]
    assert list(summary["constituencies"]) == ["Veterans", "Tenants", "Farmworkers", "Artists"]
    assert summary["constituencies"]["Tenants"]["leader"] == 1


def day(iso, hour=12):
    return dt.datetime.fromisoformat(iso).replace(hour=hour).timestamp()


def test_workshop_ladder_strength_and_activity_add_up_every_map():
    maps = [{"id": i, "name": f"Team {i}"} for i in (1, 2, 3)]  # the third map is still empty
    rows = [shared(1, "impacted", "committed", strength="strong", created_at=day("2026-03-02")),
            shared(1, "impacted", "contacted", strength="weak", created_at=day("2026-03-08")),
            shared(1, "leader", "one_on_one", strength="working", created_at=day("2026-03-10")),
            shared(2, "leader", "engaged", strength="strong", created_at=day("2026-03-16")),
            shared(2, "organization", "identified", created_at=day("2026-03-03"), name="Library"),
            shared(2, "decision_maker", "contacted", created_at=day("2026-03-22"))]
    # As MapRepo.shared_actions_done counts them: per kind and day, with n alike actions.
    actions = [{"kind": "one_on_one", "status": "done", "due_on": "2026-03-04",
                "updated_at": None, "n": 3},
               {"kind": "site_visit", "status": "done", "due_on": "2026-03-05",
                "updated_at": None, "n": 2},
               {"kind": "one_on_one", "status": "done", "due_on": None,
                "updated_at": day("2026-03-17"), "n": 1}]
    summary = analytics.workshop_summary(maps, rows, actions)
    assert summary["ladder"] == {
        "impacted": {"identified": 2, "contacted": 2, "one_on_one": 1, "engaged": 1,
                     "committed": 1},
        "leader": {"identified": 2, "contacted": 2, "one_on_one": 2, "engaged": 1,
                   "committed": 0},
        "organization": {"identified": 1, "contacted": 0, "one_on_one": 0, "engaged": 0,
                         "committed": 0},
        "decision_maker": {"identified": 1, "contacted": 1, "one_on_one": 0, "engaged": 0,
                           "committed": 0}}
    assert summary["strength"] == {
        "impacted": {"none": 0, "weak": 1, "working": 0, "strong": 1},
        "leader": {"none": 0, "weak": 0, "working": 1, "strong": 1},
        "organization": {"none": 1, "weak": 0, "working": 0, "strong": 0},
        "decision_maker": {"none": 1, "weak": 0, "working": 0, "strong": 0}}
    assert summary["activity"] == [
        {"week": "2026-03-02", "entries_added": 3, "one_on_ones": 3, "actions_done": 5},
        {"week": "2026-03-09", "entries_added": 1, "one_on_ones": 0, "actions_done": 0},
        {"week": "2026-03-16", "entries_added": 2, "one_on_ones": 1, "actions_done": 1}]
    # The same functions as for one map: the workshop's figures are each map's added up.
    for measure, key in ((analytics.ladder, "ladder"), (analytics.strength_by_level, "strength")):
        per_map = [measure([r for r in rows if r["map_id"] == m["id"]]) for m in maps]
        assert summary[key] == {level: {k: sum(p[level][k] for p in per_map) for k in counts}
                                for level, counts in summary[key].items()}


def test_a_counted_action_row_weighs_as_many_single_actions():
    single = [{"kind": "one_on_one", "status": "done", "due_on": "2026-03-04"}] * 4
    counted = [{"kind": "one_on_one", "status": "done", "due_on": "2026-03-04", "n": 4}]
    assert analytics.activity_by_week([], counted) == analytics.activity_by_week([], single) == [
        {"week": "2026-03-02", "entries_added": 0, "one_on_ones": 4, "actions_done": 4}]


# -- naming people and next steps -----------------------------------------------------------------

def only(gaps, kind):
    (gap,) = [g for g in gaps if g.kind == kind]
    return gap


def test_cut_points_are_named_with_what_breaks_if_each_leaves():
    m, e, l, a = complete_map()
    plant_single_person(m, e, l, a)  # us - Dev - Yan - Zoe, the only way to Youth
    e.append(entry(50, "decision_maker", "Mayor Hill", strength="none"))
    l.append(link(31, 50))  # and on past Zoe to the mayor
    result = analytics.analyse_map(m, e, l, a, today=TODAY)
    effects = {row["name"]: row for row in result["cut_points"]}
    assert set(effects) == {"Dev", "Yan", "Zoe"}
    assert effects["Dev"]["communities"] == ["Youth"]  # Tenants: Ana and Ben are ours directly
    assert effects["Dev"]["decision_makers"] == ["Mayor Hill"]
    assert effects["Dev"]["cut_off"] == 3  # Yan, Zoe and the mayor
    assert effects["Zoe"] == {"id": 31, "name": "Zoe", "level": "impacted", "cut_off": 1,
                              "communities": [], "decision_makers": ["Mayor Hill"]}
    assert [r["name"] for r in result["cut_points"]][0] == "Dev"  # the most damaging first


@pytest.mark.parametrize("through", ["leader", "organization"])
def test_a_decision_maker_reached_through_one_entry_names_it(through):
    m, e, l, a = complete_map()
    e.append(entry(80, through, "Hinge", strength="strong", point_person="Rosa"))
    e.append(entry(81, "decision_maker", "Sheriff Day", strength="none", agenda="a",
                   funded_by="b", answers_to="c"))
    e.append(entry(82, "organization", "Chamber", strength="none"))
    l += [link(80, 81), link(82, 81, "funds")]
    gap = only(gaps_of(m, e, l, a), "decision_maker_single")
    assert gap.subject == "Sheriff Day" and "only through Hinge" in render(gap.reason)
    step = render(gap.next_step)
    assert "not go through Hinge" in step and "Chamber is near them" in step
    assert gap.people == (80, 81) and gap.point_person == "Rosa"


def test_a_decision_maker_who_is_a_direct_tie_has_no_single_point():
    m, e, l, a = complete_map()
    plant_single_decision_maker(m, e, l, a)
    _by_id(e, 7)["strength"] = "weak"
    assert not [g for g in gaps_of(m, e, l, a) if g.kind == "decision_maker_single"]


def test_a_far_decision_maker_gets_the_warm_path_from_one_of_ours():
    m, e, l, a = complete_map()
    e += [entry(60, "decision_maker", "Rep. Oak", strength="none", agenda="a", funded_by="b",
                answers_to="c"),
          entry(61, "organization", "Clerk", strength="none"),
          entry(62, "decision_maker", "Mayor Hill", strength="none", agenda="a", funded_by="b",
                answers_to="c")]
    l += [link(3, 60, "inner_circle"), link(60, 61, "answers_to"), link(62, 61, "inner_circle")]
    gap = only(gaps_of(m, e, l, a), "decision_maker_far")
    assert gap.subject == "Mayor Hill"
    assert render(gap.next_step) == (
        "Warm path: Cleo (a direct tie) is in the inner circle of Rep. Oak, who answers to Clerk, "
        "who has in their inner circle Mayor Hill. Ask Cleo to introduce you to Rep. Oak, and ask "
        "Rep. Oak to take you on towards Mayor Hill.")
    assert gap.people == (3, 62)


def test_a_decision_maker_nobody_reaches_names_who_is_near_them_on_the_map():
    m, e, l, a = complete_map()
    e += [entry(50, "decision_maker", "Mayor Hill", strength="none", agenda="x", funded_by="y",
                answers_to="z"), entry(51, "organization", "Developers PAC", strength="none")]
    l.append(link(51, 50, "funds"))
    gap = only(gaps_of(m, e, l, a), "decision_maker_far")
    assert "Developers PAC near them" in render(gap.next_step) and gap.people == (50, 51)


@pytest.mark.parametrize("level, id", [("impacted", 2), ("leader", 4), ("organization", 6),
                                       ("decision_maker", 7)])
def test_stuck_at_contacted_is_found_at_every_level(level, id):
    m, e, l, a = complete_map()
    _by_id(e, id).update(stage="contacted", next_step="", point_person="Rosa")
    gap = only(gaps_of(m, e, l, a), "stuck_contacted")
    assert gap.level == level and gap.people == (id,)
    assert render(gap.next_step).startswith("Rosa: ask ") and gap.point_person == "Rosa"


def test_a_flood_stuck_at_contacted_is_one_line_per_point_person():
    m, e, l, a = complete_map()
    flood = gap_finder.STUCK_SHOWN_ONE_BY_ONE + 3
    e += [entry(100 + i, "impacted", f"Person {i:02d}", stage="contacted", next_step="",
                point_person="Rosa" if i % 3 else "") for i in range(flood)]
    stuck = [g for g in gaps_of(m, e, l, a) if g.kind == "stuck_contacted"]
    assert {g.point_person for g in stuck} == {"Rosa", ""}  # one line each, not one per entry
    rosa = next(g for g in stuck if g.point_person == "Rosa")
    assert render(rosa.reason).startswith("10 entries contacted, with no next step planned: "
                                          "Person 01, Person 02, Person 04 and 7 more")
    assert render(rosa.next_step).startswith("Rosa: plan a one-on-one with each of them")
    assert rosa.people == ()  # a plan for all of them, never one entry's next step
    nobody = next(g for g in stuck if not g.point_person)
    assert render(nobody.subject) == "No point person" and "5 entries" in render(nobody.reason)
    e = e[:-4]  # at the limit, each is its own line again
    assert len([g for g in gaps_of(m, e, l, a) if g.kind == "stuck_contacted"]) == flood - 4


def test_no_spokesperson_names_the_engaged_and_committed_impacted_people():
    m, e, l, a = complete_map()
    plant_no_speaker(m, e, l, a)
    _by_id(e, 2)["stage"] = "committed"
    e.append(entry(9, "impacted", "Cy", stage="contacted", constituencies="Tenants"))
    gap = only(gaps_of(m, e, l, a), "no_spokesperson")
    assert "not yet asked: Ana and Ben" in render(gap.reason) and "Cy" not in render(gap.reason)
    assert render(gap.next_step).startswith("Ask Ana and Ben whether they would speak")
    assert gap.people == (1, 2)


def test_one_on_ones_count_done_actions_and_a_held_stage_needs_one():
    m, e, l, a = complete_map()
    _by_id(e, 3)["stage"] = "one_on_one"  # Cleo: the done one-on-one involves her
    assert gaps_of(m, e, l, a) == []
    a[0]["entry_ids"] = []
    gap = only(gaps_of(m, e, l, a), "one_on_one_unrecorded")
    assert gap.subject == "Cleo" and gap.people == (3,)
    plant_old_one_on_one(m, e, l, a)
    gap = only(gaps_of(m, e, l, a), "no_recent_one_on_one")
    assert "counted from the map's actions" in render(gap.reason)


def test_a_gatekeeper_only_community_gets_the_bridges_next_to_it():
    m, e, l, a = complete_map()
    plant_gatekeeper(m, e, l, a)
    _by_id(e, 21)["constituencies"] = "Seniors; Parents"  # Sam is a parent too
    gap = only(gaps_of(m, e, l, a), "constituency_gatekeeper")
    assert render(gap.next_step).startswith("Ask Cleo and Library — they reach a community next "
                                            "to this one without a gatekeeper")
    assert "outside the channels of Gate." in render(gap.next_step) and gap.people == (3, 5)


def test_a_single_person_community_names_a_second_way_in():
    m, e, l, a = complete_map()
    plant_single_person(m, e, l, a)
    _by_id(e, 31)["constituencies"] = "Youth; Parents"
    gap = only(gaps_of(m, e, l, a), "constituency_single")
    assert render(gap.next_step).endswith("not go through Dev, Yan: ask Cleo and Library, who "
                                          "reach a community next to it.")


def test_a_level_below_target_names_whom_to_ask():
    m, e, l, a = complete_map()
    plant_below_target(m, e, l, a)
    gap = only(gaps_of(m, e, l, a), "level_below_target")
    assert "ask Cleo and Dev whom they know" in render(gap.next_step)


def test_the_people_table_counts_links_betweenness_and_two_step_reach():
    m, e, l, a = complete_map()
    network = coverage.build_network(e, l)
    rows = {r["name"]: r for r in analytics.people_metrics(e, network)}
    # Dev: Ana and Rep. Fox, then Cleo and Union (Fox's funder) through Fox.
    assert rows["Dev"]["degree"] == 2 and rows["Dev"]["reach"] == 4
    assert rows["Union"]["degree"] == 1 and rows["Union"]["reach"] == 3  # Fox; Cleo, Dev via Fox
    # betweenness: what the drawing sizes by
    assert rows["Dev"]["betweenness"] == round(network.betweenness[4], 4)


def test_a_neighbourhood_holds_two_steps_and_the_path_from_us():
    entries = [entry(i, "impacted", strength="weak" if i == 1 else "none") for i in range(1, 8)]
    links = [link(i, i + 1) for i in range(1, 7)]  # a chain from our tie 1 to 7
    network = coverage.build_network(entries, links)
    keep, total = coverage.neighbourhood(network, 6)
    assert set(keep) == {1, 2, 3, 4, 5, 6, 7} and total == 4  # 6, 5, 7 and 4 within two links
    keep, total = coverage.neighbourhood(network, 6, limit=2)
    assert keep == [1, 2, 3, 4, 5, 6] and total == 4  # the path from us is always kept


@pytest.mark.parametrize("stance, influence, says", [(2, 5, "Allies to mobilise"),
                                                     (0, 4, "Targets to move"),
                                                     (-2, 3, "Opponents to watch"),
                                                     (-1, 1, "Keep an eye on")])
def test_the_power_grid_places_leaders_and_organizations_with_guidance(stance, influence, says):
    e = [entry(1, "organization", "Chamber", stance=stance, influence=influence),
         entry(2, "leader", "Pastor Li", strength="none", stance=1, influence=2),
         entry(3, "impacted", "Ana")]
    rows = analytics.power_grid(e, coverage.build_network(e, []))
    assert [(r["name"], r["level"]) for r in rows] == [("Chamber", "organization"),
                                                       ("Pastor Li", "leader")]
    assert rows[0]["quadrant"] == says and rows[0]["distance"] == 1


@pytest.mark.parametrize("seed", range(4))
def test_sampled_betweenness_from_every_start_is_networkx_exact_betweenness(seed):
    rng = random.Random(seed)
    entries = [entry(i, "leader", strength=rng.choice(["none", "weak"])) for i in range(1, 40)]
    links = [link(*rng.sample(range(1, 40), 2)) for _ in range(70)]
    network = coverage.build_network(entries, links)
    everyone = analytics.sampled_betweenness(network.adjacency, len(network.adjacency))
    assert everyone == pytest.approx(network.betweenness)
    estimate = analytics.sampled_betweenness(network.adjacency, 8)
    assert set(estimate) == set(network.betweenness)


@pytest.mark.parametrize("seed", range(4))
def test_two_step_reach_counts_the_entries_within_two_links_not_through_us(seed):
    rng = random.Random(seed)
    entries = [entry(i, "leader", strength=rng.choice(["none", "weak"])) for i in range(1, 50)]
    links = [link(*rng.sample(range(1, 50), 2)) for _ in range(80)]
    network = coverage.build_network(entries, links)
    graph = network.graph.copy()
    graph.remove_node(coverage.ROOT)
    for row in analytics.people_metrics(entries, network):
        within = nx.single_source_shortest_path_length(graph, row["id"], cutoff=2)
        assert row["reach"] == len(within) - 1, row
        assert row["degree"] == graph.degree(row["id"])


def test_a_community_nobody_reaches_names_our_best_connected_to_ask():
    m, e, l, a = complete_map()
    m["wanted_constituencies"] += "; Farmworkers"
    gap = only(gaps_of(m, e, l, a), "constituency_missing")
    assert render(gap.next_step).startswith("Ask Dev, Cleo and Library, your best-connected "
                                            "leaders and organizations, who works with this "
                                            "community")
    assert gap.people == (4, 3, 5)


def test_an_empty_level_names_whom_to_ask():
    m, e, l, a = complete_map()
    plant_empty_level(m, e, l, a)
    gap = only(gaps_of(m, e, l, a), "level_empty")
    assert render(gap.next_step).startswith("Ask Dev and Cleo,")


def test_missing_research_names_who_is_close_to_the_decision_maker():
    m, e, l, a = complete_map()
    plant_missing_research(m, e, l, a)
    gap = only(gaps_of(m, e, l, a), "decision_maker_unknowns")
    assert render(gap.next_step).endswith("ask Cleo, Dev and Union, close to them on the map.")
    assert gap.people == (7, 3, 4, 6)
