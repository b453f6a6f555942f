"""Coverage analytics: the counts, the power grid, the people table and what breaks when a cut
point leaves, for one map (analyse_map, which also runs the gap finder) and for a whole workshop
(workshop_summary, from rows a shared screen may show). Pure functions on plain rows; the
network and the vocabularies they share with the gap finder are in orgkit.coverage.model.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from ..domain import LEVELS, STAGES, STRENGTHS
from ..map.model import tags, targets
from . import gaps as gap_finder
from .model import (BETWEENNESS_SAMPLES, DRAW_LIMIT, GATEKEEPER_LEVELS, POWER_LEVELS, ROOT,
                    Network, action_day, build_network, community_rows, is_ours, quadrant,
                    reachers_of, single_points, wanted_of)

# -- counts ------------------------------------------------------------------------------------

def coverage_by_level(entries: list[dict], targets: dict[str, int]) -> dict[str, dict]:
    """Per level: entries per stage, the total and the target."""
    counts = Counter((e["level"], e["stage"]) for e in entries)
    return {level: {"stages": {stage: counts[level, stage] for stage in STAGES},
                    "total": sum(counts[level, stage] for stage in STAGES),
                    "target": targets.get(level, 0)}
            for level in LEVELS}


def ladder(entries: list[dict]) -> dict[str, dict[str, int]]:
    """The ladder of engagement: per level, how many entries reached at least each stage."""
    order = list(STAGES)
    counts = Counter((e["level"], order.index(e["stage"])) for e in entries if e["stage"] in STAGES)
    return {level: {stage: sum(counts[level, j] for j in range(i, len(order)))
                    for i, stage in enumerate(order)} for level in LEVELS}


def strength_by_level(entries: list[dict]) -> dict[str, dict[str, int]]:
    """Per level: entries per relationship strength."""
    counts = Counter((e["level"], e["strength"]) for e in entries)
    return {level: {s: counts[level, s] for s in STRENGTHS} for level in LEVELS}


def gatekeeper_share(entries: list[dict]) -> dict[str, dict[str, int]]:
    """Among leaders and organizations: how many are flagged as gatekeepers, of how many."""
    return {level: {"gatekeepers": sum(1 for e in entries
                                       if e["level"] == level and e["is_gatekeeper"]),
                    "total": sum(1 for e in entries if e["level"] == level)}
            for level in GATEKEEPER_LEVELS}



def constituency_matrix(entries: list[dict], wanted: list[str] = ()) -> dict[str, dict[str, int]]:
    """Per community: how many entries of each level reach it. The communities the team wants to
    reach come first, even when nobody reaches them; tags match ignoring case."""
    matrix: dict[str, Counter] = defaultdict(Counter)
    tagged: dict[str, str] = {}
    for entry in entries:
        for tag in tags(entry):
            key = tag.casefold()
            tagged.setdefault(key, tag)
            matrix[key][entry["level"]] += 1
    return {name: {level: matrix[key][level] for level in LEVELS}
            for key, name in community_rows(tagged, list(wanted)).items()}



def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def activity_by_week(entries: list[dict], actions: list[dict]) -> list[dict]:
    """Per week (Monday), every week from the first to the last: entries added, one-on-ones held,
    actions done. An action row may stand for `n` alike actions (the workshop's counts)."""
    added = Counter(_week(dt.date.fromtimestamp(e["created_at"])) for e in entries)
    held, done = Counter(), Counter()
    for action in actions:
        day = action_day(action)
        if action["status"] != "done" or day is None:
            continue
        count = action.get("n", 1)
        done[_week(day)] += count
        if action["kind"] == "one_on_one":
            held[_week(day)] += count
    weeks = set(added) | set(done)
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    rows = []
    while first <= last:
        rows.append({"week": first.isoformat(), "entries_added": added[first],
                     "one_on_ones": held[first], "actions_done": done[first]})
        first += dt.timedelta(days=7)
    return rows



def dominated_counts(network: Network) -> Counter:
    """For every node: how many others our team would lose if it left (its dominator subtree)."""
    below: Counter = Counter()
    for node in sorted(network.idom, key=network.depth.get, reverse=True):
        below[network.idom[node]] += below[node] + 1
    return below


def cut_point_effects(entries: list[dict], network: Network) -> list[dict]:
    """The cut points by name, most damaging first, each with what breaks if they leave: how
    many entries are cut off from us, which communities and which decision-makers we lose."""
    by_id = {e["id"]: e for e in entries}
    lost = dominated_counts(network)
    communities: dict = defaultdict(list)
    tagged, reachers = reachers_of(entries)
    for key, ids in reachers.items():
        for node in single_points(ids, network):
            communities[node].append(tagged[key])
    officials: dict = defaultdict(list)
    for e in entries:
        if e["level"] == "decision_maker" and e["id"] in network.idom:
            node = network.idom[e["id"]]
            while node != ROOT:
                officials[node].append(e["name"])
                node = network.idom[node]
    rows = [{"id": node, "name": by_id[node]["name"], "level": by_id[node]["level"],
             "cut_off": lost[node], "communities": sorted(communities[node], key=str.lower),
             "decision_makers": sorted(officials[node], key=str.lower)}
            for node in network.cut_points if node in by_id]
    return sorted(rows, key=lambda r: (-len(r["decision_makers"]) - len(r["communities"]),
                                       -r["cut_off"], r["name"].lower()))



def power_grid(entries: list[dict], network: Network) -> list[dict]:
    """Leaders, organizations and decision-makers with a stance or an influence: where they
    stand, how many steps our team is from each, and what to do about them."""
    rows = []
    for e in entries:
        if e["level"] in POWER_LEVELS and (e.get("stance") is not None
                                           or e.get("influence") is not None):
            placed = e.get("stance") is not None and e.get("influence") is not None
            rows.append({"id": e["id"], "name": e["name"], "level": e["level"],
                         "office": e.get("office") or "", "stance": e.get("stance"),
                         "influence": e.get("influence"), "distance": network.distance.get(e["id"]),
                         "quadrant": quadrant(e["stance"], e["influence"]) if placed else ""})
    return rows



def sampled_betweenness(adjacency: dict, samples: int, seed: int = 1) -> dict:
    """Brandes' betweenness from `samples` starting points, scaled as networkx scales its own
    estimate (normalised, undirected). Every start is searched at once, one breadth-first level
    at a time, as sparse matrix products (scipy): counting shortest paths forwards and their
    dependencies backwards costs two products per level instead of a Python step per link, so
    10,000 entries and 30,000 links take milliseconds, not half a second."""
    import random

    import numpy as np
    from scipy import sparse

    nodes = list(adjacency)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    rows = [index[node] for node, neighbours in adjacency.items() for _ in neighbours]
    cols = [index[other] for neighbours in adjacency.values() for other in neighbours]
    links = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    starts = [index[s] for s in random.Random(seed).sample(nodes, min(samples, n))]
    k = len(starts)
    dist = np.full((n, k), -1)
    sigma = np.zeros((n, k))
    dist[starts, range(k)] = 0
    sigma[starts, range(k)] = 1
    frontier, level = sigma.copy(), 0
    while frontier.any():  # paths to the next level: the sums over each node's neighbours
        paths = links @ frontier
        new = (paths > 0) & (dist < 0)
        level += 1
        dist[new] = level
        sigma[new] = paths[new]
        frontier = np.where(new, sigma, 0.0)
    delta = np.zeros((n, k))
    safe = np.where(sigma > 0, sigma, 1)
    for depth in range(level, 0, -1):  # each level's dependencies, handed one level up
        share = np.where(dist == depth, (1 + delta) / safe, 0.0)
        delta += np.where(dist == depth - 1, sigma * (links @ share), 0.0)
    delta[starts, range(k)] = 0  # a start is never between itself and another
    scale = 1 / ((n - 1) * (n - 2)) * n / k
    return dict(zip(nodes, (delta.sum(axis=1) * scale).tolist()))


def people_metrics(entries: list[dict], network: Network) -> list[dict]:
    """Per entry (Kumu's metrics view): links (degree, our team left out), betweenness (exact
    up to DRAW_LIMIT entries, the one the drawn network sizes its nodes by; estimated from a
    sample of starting points beyond) and two-step reach (how many entries are within two links,
    not counting paths through our team), most between first."""
    adjacency = network.adjacency
    if len(entries) <= DRAW_LIMIT:
        between = network.betweenness
    else:
        between = sampled_betweenness(adjacency, BETWEENNESS_SAMPLES)
    # Neighbour sets as bit masks: or-ing a hub's thousand neighbours is one integer operation,
    # where a set union would insert them one by one for each of the hub's neighbours.
    bit = {node: 1 << i for i, node in enumerate(adjacency)}
    mask = {node: sum(bit[n] for n in neighbours if n != ROOT)
            for node, neighbours in adjacency.items()}
    rows = []
    for e in entries:
        near = [n for n in adjacency.get(e["id"], ()) if n != ROOT]
        reach = mask[e["id"]]
        for n in near:
            reach |= mask[n]
        rows.append({"id": e["id"], "name": e["name"], "level": e["level"], "degree": len(near),
                     "betweenness": round(between.get(e["id"], 0.0), 4),
                     "reach": (reach & ~bit[e["id"]]).bit_count(),
                     "ours": is_ours(e), "cut_point": e["id"] in network.cut_points})
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["name"].lower()))


# -- whole views ---------------------------------------------------------------------------------

class Deferred(dict):
    """A view whose measures are computed the first time something reads them (`view[key]`),
    then kept: a tab reads only what it shows, so the Network tab of a big map never pays for
    the gap finder or the heatmap. Two sessions reading a measure at once only repeat the work."""

    def __init__(self, later: dict, /, **now) -> None:
        super().__init__(now)
        self.later = later

    def __missing__(self, key):
        if key not in self.later:
            raise KeyError(key)
        value = self[key] = self.later[key]()
        self.filled(value)
        return value

    def filled(self, value) -> None:
        """Told each measure computed after the view was made (the cache counts its bytes)."""


def analyse_map(map_row: dict, entries: list[dict], links: list[dict], actions: list[dict],
                *, today: dt.date) -> Deferred:
    """Everything the coverage page shows for one map, each measure computed on first read, once
    per revision; the network they share is built at once."""
    network = build_network(entries, links)
    wanted = wanted_of(map_row)
    return Deferred({
        "coverage": lambda: coverage_by_level(entries, targets(map_row)),
        "ladder": lambda: ladder(entries),
        "strength": lambda: strength_by_level(entries),
        "gatekeepers": lambda: gatekeeper_share(entries),
        "constituencies": lambda: constituency_matrix(entries, wanted),
        "activity": lambda: activity_by_week(entries, actions),
        "power_grid": lambda: power_grid(entries, network),
        "cut_points": lambda: cut_point_effects(entries, network),
        "gaps": lambda: gap_finder.find_gaps(map_row, entries, links, actions, today=today,
                                             network=network),
    }, wanted=wanted, network=network)


def workshop_summary(maps: list[dict], shared_rows: list[dict], actions_done: list[dict]) -> dict:
    """The shareable workshop view, from the map service's shared rows and done-action
    counts: per map level x stage counts against targets; across all maps the ladder, strength
    per level, gatekeeper share, constituencies (every team's wanted ones first) and activity per
    week; organizations' names (the only names the service hands out: map.model.shared_row).
    The rows carry no contact details or notes; wanted communities are groups, not people. Each
    measure is the one-map function applied to every map's rows at once."""
    by_map: dict[int, list[dict]] = defaultdict(list)
    for row in shared_rows:
        by_map[row["map_id"]].append(row)
    totals = {level: sum(targets(m)[level] for m in maps) for level in LEVELS}
    wanted: dict[str, str] = {}  # every team's, in map order, the first spelling kept
    for m in maps:
        for tag in wanted_of(m):
            wanted.setdefault(tag.casefold(), tag)
    return {
        "wanted": list(wanted.values()),
        "maps": [{"id": m["id"], "name": m["name"],
                  "coverage": coverage_by_level(by_map[m["id"]], targets(m)),
                  "organizations": sorted((r["name"] for r in by_map[m["id"]] if r["name"]),
                                          key=str.lower)}
                 for m in maps],
        "coverage": coverage_by_level(shared_rows, totals),
        "ladder": ladder(shared_rows),
        "strength": strength_by_level(shared_rows),
        "gatekeepers": gatekeeper_share(shared_rows),
        "constituencies": constituency_matrix(shared_rows, list(wanted.values())),
        "activity": activity_by_week(shared_rows, actions_done),
    }
