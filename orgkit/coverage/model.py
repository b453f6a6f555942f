"""Coverage analytics and the gap finder: pure functions on plain rows (dicts from the store).

Input is one map's row (with its per-level targets), its entries, links and actions, exactly as
`store.maps` returns them; nothing here touches the database or streamlit, so every measure can be
tested on a constructed map with a known answer.

The network is undirected: our team is a root node joined to every entry we have a relationship
with (strength weak, working or strong), plus the links between entries. It is kept as plain
adjacency dicts (an nx.Graph is built only for graphs small enough to draw). Reachability
questions (who reaches a constituency, how near each decision-maker is, who is a single point of
failure) are answered with breadth-first searches and one depth-first search from our team that
yields the dominator tree (Tarjan's articulation test per subtree), so they stay linear in the
size of the map: 10,000 entries and 30,000 links take under a tenth of a second.
Betweenness (node size on the drawn graph, a column of the people table) is measured only when
something shows it.

Every gap names the people to act with (`Gap.people`, the first is whose next step the suggested
step becomes) and, for a decision-maker far from us, the warm path: the shortest chain of links
from one of ours to them, told link by link.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from ..domain import LEVELS, STAGES, STRENGTHS
from ..map import power
from ..map.model import INFLUENCE_RANGE, SHORT_MAX, split_tags, tags, targets

ROOT = "us"
OUR_STRENGTHS = ("weak", "working", "strong")
REACH_LEVELS = ("impacted", "leader", "organization")  # who can reach a community
GATEKEEPER_LEVELS = ("leader", "organization")
NEAR_STEPS = 2  # a decision-maker is "near" when one of ours is within this many steps
RECENT_DAYS = 30  # "this month" for one-on-ones: the last 30 days, so the 1st is not a cliff
DRAW_LIMIT = 300  # beyond this many entries the network is drawn as groups, not people
NAMED_MAX = 3  # people named in one sentence before "and N more"
SPEAKER_STAGES = ("engaged", "committed")  # impacted people ready to be asked to speak
NEXT_STEP_DAYS = 7  # a gap's step made an entry's next step is due a week later
DIRECT_TIE = ("A direct tie to our team is anyone whose relationship strength is Weak, Working "
              "or Strong; at None we reach them only through their links, so a strength changes "
              "who counts as a gatekeeper-only path or a single point of failure.")


def wanted_of(map_row: dict) -> list[str]:
    """The communities the map's team wants to reach, in the team's order."""
    return split_tags(map_row.get("wanted_constituencies"))


def _is_ours(entry: dict) -> bool:
    return entry.get("strength") in OUR_STRENGTHS


def names(ids, by_id: dict, limit: int = NAMED_MAX) -> str:
    """ "A, B and C", or "A, B, C and 4 more": the first `limit` entries by name."""
    named = [by_id[i]["name"] for i in ids if i in by_id]
    if len(named) > limit:
        return ", ".join(named[:limit]) + f" and {len(named) - limit} more"
    return ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)


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
    return {level: {"gatekeepers": sum(1 for e in entries if e["level"] == level and e["is_gatekeeper"]),
                    "total": sum(1 for e in entries if e["level"] == level)}
            for level in GATEKEEPER_LEVELS}


def _community_rows(tagged: dict[str, str], wanted: list[str]) -> dict[str, str]:
    # Key (casefolded tag) -> name shown: the wanted communities first, in the team's order and
    # spelling, then every other tag seen on entries, by name.
    first = {tag.casefold(): tag for tag in wanted}
    return first | {key: tagged[key] for key in sorted(tagged) if key not in first}


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
            for key, name in _community_rows(tagged, list(wanted)).items()}


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _action_day(action: dict) -> dt.date | None:
    if action.get("due_on"):
        try:
            return dt.date.fromisoformat(action["due_on"])
        except ValueError:
            return None
    return dt.date.fromtimestamp(action["updated_at"]) if action.get("updated_at") else None


def activity_by_week(entries: list[dict], actions: list[dict]) -> list[dict]:
    """Per week (Monday), every week from the first to the last: entries added, one-on-ones held,
    actions done. An action row may stand for `n` alike actions (the workshop's counts)."""
    added = Counter(_week(dt.date.fromtimestamp(e["created_at"])) for e in entries)
    held, done = Counter(), Counter()
    for action in actions:
        day = _action_day(action)
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


# -- the network ----------------------------------------------------------------------------------

@dataclass
class Network:
    """Our team's network: who is linked to whom, distances from us and who everything depends on."""

    adjacency: dict  # node -> {neighbour: True}, an insertion-ordered set; our team is ROOT
    distance: dict  # node -> steps from our team (absent: unreachable)
    idom: dict  # node -> its immediate dominator on every path from our team (ROOT left out)
    depth: dict  # node -> its depth in that dominator tree (ROOT is 0)
    cut_points: set  # entries part of our reach depends on (articulation points from us)
    kinds: dict  # (source, target) -> the kind of the first link drawn between them

    @functools.cached_property
    def graph(self) -> nx.Graph:
        """The same network as a networkx graph, built on first use (drawing, betweenness)."""
        graph = nx.Graph()
        graph.add_nodes_from(self.adjacency)
        graph.add_edges_from((node, other) for node, neighbours in self.adjacency.items()
                             for other in neighbours)
        return graph

    @functools.cached_property
    def betweenness(self) -> dict:
        """Betweenness of every node, measured on first use: only the drawn network needs it,
        and it costs more than everything else here together."""
        return nx.betweenness_centrality(self.graph)


def build_network(entries: list[dict], links: list[dict]) -> Network:
    """Build the network and its measures (betweenness waits until something draws it)."""
    # Plain dicts rather than an nx.Graph: building one costs more than every measure below.
    adjacency: dict = {ROOT: {}}
    for e in entries:
        adjacency[e["id"]] = {}
    for e in entries:
        if _is_ours(e):
            adjacency[ROOT][e["id"]] = adjacency[e["id"]][ROOT] = True
    kinds: dict = {}
    for link in links:
        a, b = link["source_id"], link["target_id"]
        if a != b:
            adjacency.setdefault(a, {})[b] = adjacency.setdefault(b, {})[a] = True
            kinds.setdefault((a, b), link["kind"])
    idom, depth = _dominators(adjacency)
    return Network(adjacency, _distances(adjacency), idom, depth, set(idom.values()) - {ROOT},
                   kinds)


def path_from_us(network: Network, node) -> list:
    """A shortest path from our team to `node` (our team left out; [] when unreachable): walked
    back through neighbours one step nearer, so no parent table is kept for every search."""
    distance = network.distance
    if node not in distance or node == ROOT:
        return []
    path = [node]
    while distance[path[-1]] > 1:
        steps = distance[path[-1]]
        path.append(next(n for n in network.adjacency[path[-1]] if distance.get(n) == steps - 1))
    return path[::-1]


# How a link reads from either end: "Cleo is in the inner circle of Rep. Fox", and back.
RELATION = {"knows": ("knows", "knows"), "inner_circle": ("is in the inner circle of",
                                                         "has in their inner circle"),
            "funds": ("funds", "is funded by"), "answers_to": ("answers to", "oversees"),
            "member_of": ("is a member of", "has as a member")}


def relation(network: Network, a, b) -> str:
    """How `a` stands to `b`, in words, from the link between them."""
    if (a, b) in network.kinds:
        return RELATION.get(network.kinds[a, b], RELATION["knows"])[0]
    return RELATION.get(network.kinds.get((b, a)), RELATION["knows"])[1]


def warm_path(network: Network, by_id: dict, target) -> str:
    """The chain from one of ours to `target` in words: "Cleo (a direct tie) is in the inner
    circle of Rep. Fox, who answers to Mayor Hill" ("" when nobody of ours reaches them)."""
    path = path_from_us(network, target)
    if not path:
        return ""
    text = f"{by_id[path[0]]['name']} (a direct tie)"
    for i, (a, b) in enumerate(zip(path, path[1:])):
        text += f"{', who' if i else ''} {relation(network, a, b)} {by_id[b]['name']}"
    return text


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
    tagged, reachers = _reachers(entries)
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


def _reachers(entries: list[dict]) -> tuple[dict, dict]:
    """Communities seen on entries that can reach one ({key: name as first spelled}) and, per
    community key, the ids of the impacted people, leaders and organizations tagged with it."""
    reachers: dict[str, list] = defaultdict(list)
    tagged: dict[str, str] = {}
    for e in entries:
        if e["level"] in REACH_LEVELS:
            for tag in tags(e):
                tagged.setdefault(tag.casefold(), tag)
                reachers[tag.casefold()].append(e["id"])
    return tagged, reachers


def _distances(adjacency: dict, blocked: frozenset | set = frozenset()) -> dict:
    """Steps from our team to every node it reaches without passing through `blocked`."""
    distance, frontier, steps = {ROOT: 0}, [ROOT], 0
    while frontier:
        steps += 1
        reached = []
        for node in frontier:
            for other in adjacency[node]:
                if other not in distance and other not in blocked:
                    distance[other] = steps
                    reached.append(other)
        frontier = reached
    return distance


def _dominators(adjacency: dict) -> tuple[dict, dict]:
    """Immediate dominators from our team and their depths, in one depth-first search.

    In an undirected graph, v lies on every path from us to w exactly when v is an ancestor of w
    in the search tree and the subtree below v that holds w has no edge back above v
    (low >= disc[v]: Tarjan's articulation test, applied per subtree). So w's immediate dominator
    is its parent when that test holds for w's own subtree, and otherwise its parent's. Iterative,
    because a chain of 10,000 people would overflow Python's recursion limit."""
    disc, low, parent, order = {ROOT: 0}, {ROOT: 0}, {ROOT: None}, [ROOT]
    stack = [(ROOT, iter(adjacency[ROOT]))]
    while stack:
        node, neighbours = stack[-1]
        for other in neighbours:
            if other not in disc:
                disc[other] = low[other] = len(order)
                order.append(other)
                parent[other] = node
                stack.append((other, iter(adjacency[other])))
                break
            if other != parent[node] and disc[other] < low[node]:
                low[node] = disc[other]
        else:
            stack.pop()
            up = parent[node]
            if up is not None and low[node] < low[up]:
                low[up] = low[node]
    idom, depth = {}, {ROOT: 0}
    for node in order[1:]:  # preorder: a node's parent, and so its dominators, come first
        up = parent[node]
        idom[node] = up if up == ROOT or low[node] >= disc[up] else idom[up]
        depth[node] = depth[idom[node]] + 1
    return idom, depth


def single_points(targets: list, network: Network) -> list:
    """The nodes every path from our team to any of `targets` passes through (nearest us first)."""
    idom, depth = network.idom, network.depth
    reached = [t for t in targets if t in idom]
    if not reached:
        return []
    common = reached[0]
    for other in reached[1:]:  # lowest common ancestor in the dominator tree
        a, b = common, other
        while depth[a] > depth[b]:
            a = idom[a]
        while depth[b] > depth[a]:
            b = idom[b]
        while a != b:
            a, b = idom[a], idom[b]
        common = a
    chain = []
    while common != ROOT:
        chain.append(common)
        common = idom[common]
    return chain[::-1]


def reach_without_gatekeepers(entries: list[dict], network: Network) -> set:
    """Entries our team reaches by paths that pass through no gatekeeper."""
    blocked = {e["id"] for e in entries if e["is_gatekeeper"]}
    return set(_distances(network.adjacency, blocked)) - {ROOT}


POWER_LEVELS = ("leader", "organization", "decision_maker")  # who is placed on the power grid

# The grid's regions, told as what to do about whoever sits there: (stance side, high influence).
QUADRANTS = {("for", True): "Allies to mobilise", ("neutral", True): "Targets to move",
             ("against", True): "Opponents to watch", ("for", False): "Supporters to build up",
             ("neutral", False): "Keep informed", ("against", False): "Keep an eye on"}
HIGH_INFLUENCE = 3  # influence from this up counts as high


def quadrant(stance: int, influence: int) -> str:
    """What to do about someone at this stance (-2..2) and influence (1..5)."""
    side = "for" if stance > 0 else "against" if stance < 0 else "neutral"
    return QUADRANTS[side, influence >= HIGH_INFLUENCE]


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


# -- the people table ----------------------------------------------------------------------------

BETWEENNESS_SAMPLES = 8  # beyond DRAW_LIMIT entries betweenness is estimated from this many starts


def sampled_betweenness(adjacency: dict, samples: int, seed: int = 1) -> dict:
    """Brandes' betweenness from `samples` starting points, scaled as networkx scales its own
    estimate (normalised, undirected): on plain adjacency dicts, without predecessor lists (a
    predecessor is a neighbour one step nearer), about twice as fast as networkx's."""
    import random

    nodes = list(adjacency)
    n = len(nodes)
    between = dict.fromkeys(nodes, 0.0)
    for source in random.Random(seed).sample(nodes, min(samples, n)):
        sigma, dist, order, queue = {source: 1}, {source: 0}, [], [source]
        for node in queue:  # breadth first; the list grows while it is walked
            order.append(node)
            step = dist[node] + 1
            for other in adjacency[node]:
                if other not in dist:
                    dist[other] = step
                    queue.append(other)
                    sigma[other] = 0
                if dist[other] == step:
                    sigma[other] += sigma[node]
        delta = dict.fromkeys(order, 0.0)
        for node in reversed(order):
            share = (1 + delta[node]) / sigma[node]
            before = dist[node] - 1
            for other in adjacency[node]:
                if dist.get(other) == before:
                    delta[other] += sigma[other] * share
            if node != source:
                between[node] += delta[node]
    scale = 1 / ((n - 1) * (n - 2)) * n / min(samples, n) if n > 2 else 0
    return {node: value * scale for node, value in between.items()}


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
                     "ours": _is_ours(e), "cut_point": e["id"] in network.cut_points})
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["name"].lower()))


def neighbourhood(network: Network, node, limit: int = DRAW_LIMIT) -> tuple[list, int]:
    """The entries within two links of `node` (nearest first, at most `limit`), always with the
    shortest path from our team to it, and how many there are in all."""
    adjacency = network.adjacency
    near = [n for n in adjacency.get(node, ()) if n != ROOT]
    second = {m: None for n in near for m in adjacency[n] if m not in (ROOT, node)}
    ring = [node, *near, *(m for m in second if m not in set(near))]
    keep = list(dict.fromkeys([*path_from_us(network, node), *ring[:limit]]))
    return keep, len(ring)


# -- the gap finder ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """One gap: what kind, what it is about, why it matters, what to do next and with whom."""

    score: float  # higher is more urgent
    kind: str
    subject: str
    reason: str
    next_step: str
    level: str = ""
    people: tuple = ()  # entry ids to act with; the first is whose next step the step becomes
    point_person: str = ""  # the point person of that first entry

    def as_row(self) -> dict:
        return {"kind": GAP_KINDS[self.kind], "subject": self.subject, "level": LEVELS.get(self.level, ""),
                "point_person": self.point_person, "reason": self.reason,
                "next_step": self.next_step}


GAP_KINDS = {
    "level_empty": "Level with no one",
    "constituency_missing": "Wanted community nobody on the map reaches",
    "constituency_unreached": "Community nobody of ours reaches",
    "decision_maker_far": "Decision-maker out of reach",
    "constituency_gatekeeper": "Community only through a gatekeeper",
    "decision_maker_single": "Decision-maker through a single person",
    "constituency_single": "Community through a single person",
    "no_spokesperson": "No spokesperson",
    "level_below_target": "Level below target",
    "no_recent_one_on_one": "No recent one-on-one",
    "overdue": "Overdue next step",
    "stuck_contacted": "Stuck at contacted",
    "one_on_one_unrecorded": "Stage and one-on-ones disagree",
    "decision_maker_unknowns": "Decision-maker research missing",
}


@dataclass(frozen=True)
class Rank:
    """Where one kind of gap ranks: its base score and, for a kind whose urgency grows with a
    measure, the most it rises above that base (`span` points, reached at `full` units)."""

    base: int
    span: int = 0
    full: int = 1


OVERDUE_FULL_DAYS = 30  # an overdue step stops climbing after a month: it is then simply late

# How urgent each kind of gap is (higher first). The order follows what the seminar teaches:
# power comes from relationships with the people the issue is about and the people who decide
# it, so a gap that leaves the campaign with no way in at all outranks one that leaves a way in
# weak, and that outranks follow-up and bookkeeping.
# - An empty level (100) means the team has not started on a whole part of the worksheet.
# - A decision-maker nobody of ours is near (90) blocks the campaign's ask outright: it ranks at
#   or above every community gap, since a thin community can still be built on while nobody can
#   move an official no one knows; it rises with the official's influence (at the top of
#   INFLUENCE_RANGE, +5).
# - A wanted community nobody on the map reaches (88), then one our people cannot reach (85),
#   only through a gatekeeper (80) or only through one person (70): from no way in to a fragile
#   one. Each but the first gains 5 when the team named the community as one it wants (the first
#   exists only for wanted communities).
# - A decision-maker reached through one person (75) has a way in that one departure ends; it
#   also rises with influence.
# - No spokesperson among the impacted (65): the campaign has no one to tell its story.
# - A level below its target (60) rises by up to 20 with the share of the target still missing,
#   so a level at a third of its target (73) outranks one a step short of it.
# - No one-on-one in a month (55): relationships are built one conversation at a time.
# - An overdue next step (50) gains a point per three days late, up to a month (+10).
# - Stuck at contacted (40), a stage that disagrees with the recorded one-on-ones (35) and missing
#   research on a decision-maker (30) are follow-up and record keeping: worth doing, never ahead
#   of a missing relationship.
GAP_RANKS = {
    "level_empty": Rank(100),
    "decision_maker_far": Rank(90, span=5, full=INFLUENCE_RANGE[1]),
    "constituency_missing": Rank(88),
    "constituency_unreached": Rank(85, span=5),
    "constituency_gatekeeper": Rank(80, span=5),
    "decision_maker_single": Rank(75, span=5, full=INFLUENCE_RANGE[1]),
    "constituency_single": Rank(70, span=5),
    "no_spokesperson": Rank(65),
    "level_below_target": Rank(60, span=20),  # full: the level's target
    "no_recent_one_on_one": Rank(55),
    "overdue": Rank(50, span=10, full=OVERDUE_FULL_DAYS),
    "stuck_contacted": Rank(40),
    "one_on_one_unrecorded": Rank(35),
    "decision_maker_unknowns": Rank(30),
}


def gap_score(kind: str, amount: int = 0, full: int | None = None) -> float:
    """The kind's base score, raised by its span in proportion to `amount` of `full` units (the
    kind's own `full` unless given), never past the span."""
    rank = GAP_RANKS[kind]
    full = rank.full if full is None else full
    return rank.base + rank.span * min(amount, full) / full


def _gap(kind, subject, reason, step, level="", people=(), by_id=None, *, amount: int = 0,
         full: int | None = None) -> Gap:
    """A gap of `kind`, scored by GAP_RANKS (`amount`, `full`: its measure, see gap_score)."""
    people = tuple(people)
    owner = (by_id[people[0]].get("point_person") or "").strip() if people and by_id else ""
    return Gap(gap_score(kind, amount, full), kind, subject, reason, step, level, people, owner)


def as_next_step(gap: Gap) -> str:
    """The gap's suggested step as an entry's next step: cut to the field's limit."""
    text = gap.next_step
    return text if len(text) <= SHORT_MAX else text[:SHORT_MAX - 1].rstrip() + "\u2026"


def find_gaps(map_row: dict, entries: list[dict], links: list[dict], actions: list[dict],
              *, today: dt.date, network: Network | None = None) -> list[Gap]:
    """Every gap on one map, most urgent first."""
    network = network or build_network(entries, links)
    by_id = {e["id"]: e for e in entries}
    connectors = _connectors(entries, network)
    gaps = (_level_gaps(entries, targets(map_row), by_id, connectors)
            + _constituency_gaps(entries, network, wanted_of(map_row), by_id, connectors)
            + _decision_maker_gaps(entries, links, network, by_id)
            + _follow_up_gaps(entries, today, by_id) + _base_gaps(entries, actions, today, by_id))
    return sorted(gaps, key=lambda g: (-g.score, g.kind, g.subject.lower()))


def _by_name(ids, by_id: dict) -> list:
    return sorted(ids, key=lambda i: by_id[i]["name"].lower())


def _connectors(entries: list[dict], network: Network) -> list:
    """Our best-connected direct ties among leaders and organizations (no gatekeepers), most
    links first: whom to ask when a gap has nobody of its own to start from."""
    ids = [e["id"] for e in entries if e["level"] in GATEKEEPER_LEVELS and _is_ours(e)
           and not e["is_gatekeeper"]]
    ranked = sorted(ids, key=lambda i: (-len(network.adjacency[i]), i))
    return ranked[:NAMED_MAX]


def _ask_connectors(connectors: list, by_id: dict, what: str, fallback: str) -> str:
    return (f"Ask {names(connectors, by_id)}, your best-connected leaders and organizations, "
            f"{what}" if connectors else fallback)


def _level_gaps(entries: list[dict], targets: dict[str, int], by_id: dict,
                connectors: list) -> list[Gap]:
    counts = Counter(e["level"] for e in entries)
    gaps = []
    for level, label in LEVELS.items():
        have, want = counts[level], targets.get(level, 0)
        if have == 0:
            add = f"add at least {max(want, 1)}"
            gaps.append(_gap("level_empty", label, "Nobody is on the map at this level yet.",
                             _ask_connectors(connectors, by_id, f"who belongs here, and {add}.",
                                             f"Brainstorm who belongs here and {add}."),
                             level, connectors, by_id))
        elif have < want:
            ours = _by_name([e["id"] for e in entries if e["level"] == level and _is_ours(e)], by_id)
            ask = f"ask {names(ours, by_id)} whom they know" if ours else \
                "ask the ones you have whom they know"
            gaps.append(_gap("level_below_target", label,
                             f"{have} of the {want} the team aimed for.",
                             f"Find {want - have} more; {ask}.", level, ours[:NAMED_MAX], by_id,
                             amount=want - have, full=want))
    return gaps


def _bridges(entries: list[dict], network: Network, free: set) -> dict:
    """Per community key: the leaders and organizations, not gatekeepers, that we reach without a
    gatekeeper, nearest first (whom to ask about a neighbouring community)."""
    pool: dict = defaultdict(list)
    for e in entries:
        if e["level"] in GATEKEEPER_LEVELS and not e["is_gatekeeper"] and e["id"] in free:
            for tag in tags(e):
                pool[tag.casefold()].append(e["id"])
    for ids in pool.values():
        ids.sort(key=lambda i: (network.distance[i], i))
    return pool


def _neighbours_of(key: str, ids: list, by_id: dict, network: Network) -> list[str]:
    """The communities next to one: carried by its own people too, or by anyone linked to them."""
    seen: dict = {}
    for i in ids:
        for other in (i, *network.adjacency.get(i, ())):
            if other in by_id:
                for tag in tags(by_id[other]):
                    if tag.casefold() != key:
                        seen.setdefault(tag.casefold(), tag)
    return list(seen)


def _helpers(key, ids, by_id, network, pool, exclude=()) -> list:
    # Up to NAMED_MAX bridges from the communities next to this one, nearest to us first.
    found: dict = {}
    for near in _neighbours_of(key, ids, by_id, network):
        for i in pool.get(near, ()):
            if i not in exclude:
                found.setdefault(i, network.distance[i])
    return sorted(found, key=lambda i: (found[i], by_id[i]["name"].lower()))[:NAMED_MAX]


def _constituency_gaps(entries: list[dict], network: Network, wanted: list[str],
                       by_id: dict, connectors: list) -> list[Gap]:
    tagged, reachers = _reachers(entries)
    free = reach_without_gatekeepers(entries, network)
    pool = _bridges(entries, network, free)
    wanted_keys = {tag.casefold() for tag in wanted}
    gaps = []
    for key, tag in _community_rows(tagged, wanted).items():
        ids = reachers[key]
        wanted_here = int(key in wanted_keys)  # the team said it wants this one
        if not ids:
            gaps.append(_gap("constituency_missing", tag,
                             "The team wants to reach this community, but no impacted person, "
                             "leader or organization on the map reaches it.",
                             _ask_connectors(connectors, by_id, "who works with this community, "
                                             "and add those people to the map.",
                                             "Ask the leaders and organizations you know who works "
                                             "with this community, and add those people to the map."),
                             "", connectors, by_id))
            continue
        if not any(i in network.distance for i in ids):
            helpers = _helpers(key, ids, by_id, network, pool)
            ask = f"Ask {names(helpers, by_id)} (they reach a community next to this one)" \
                if helpers else "Ask leaders you trust"
            gaps.append(_gap("constituency_unreached", tag,
                             "Entries reach this community, but nobody we have a relationship "
                             "with connects to them.",
                             f"{ask} who knows someone in this community.", "", helpers, by_id,
                             amount=wanted_here))
        elif not any(i in free and not by_id[i]["is_gatekeeper"] for i in ids):
            keepers = _by_name({i for i in _chain_or_all(ids, network)
                                if i in by_id and by_id[i]["is_gatekeeper"]}, by_id)
            helpers = _helpers(key, ids, by_id, network, pool, exclude=set(ids))
            outside = f"outside the channels of {names(keepers, by_id)}" if keepers else \
                "outside the gatekeeper's channels"
            step = (f"Ask {names(helpers, by_id)} — they reach a community next to this one "
                    f"without a gatekeeper — to introduce you to people of {tag} directly, "
                    f"{outside}." if helpers else
                    f"Meet people of this community directly, {outside}, and find a second "
                    "leader they trust.")
            gaps.append(_gap("constituency_gatekeeper", tag,
                             "Every path from us to this community runs through a gatekeeper"
                             + (f" ({', '.join(by_id[i]['name'] for i in keepers)})." if keepers else "."),
                             step, "", helpers or keepers, by_id, amount=wanted_here))
        else:
            chain = single_points(ids, network)
            if chain:
                who = ", ".join(by_id[i]["name"] for i in chain)
                helpers = _helpers(key, ids, by_id, network, pool, exclude=set(chain) | set(ids))
                also = f": ask {names(helpers, by_id)}, who reach a community next to it" \
                    if helpers else ""
                gaps.append(_gap("constituency_single", tag,
                                 f"Everyone of ours who reaches this community depends on {who}: "
                                 "a single point of failure.",
                                 f"Build a second relationship into this community that does not "
                                 f"go through {who}{also}.", "", [*helpers, *chain], by_id,
                                 amount=wanted_here))
    return gaps


def _chain_or_all(ids: list, network: Network) -> list:
    # Name the gatekeepers everything passes through; failing a single one, every gatekeeper
    # that itself reaches the community.
    return single_points(ids, network) or ids


def _decision_maker_gaps(entries: list[dict], links: list[dict], network: Network,
                         by_id: dict) -> list[Gap]:
    gaps, drawn = [], power.power_links(links)
    for e in entries:
        if e["level"] != "decision_maker":
            continue
        steps = network.distance.get(e["id"])
        influence = e.get("influence") or 0
        if steps is None or steps > NEAR_STEPS + 1:  # +1: the edge from us to one of ours
            path = path_from_us(network, e["id"])
            if path:
                first, second = by_id[path[0]]["name"], by_id[path[1]]["name"]
                step = (f"Warm path: {warm_path(network, by_id, e['id'])}. Ask {first} to "
                        f"introduce you to {second}, and ask {second} to take you on towards "
                        f"{e['name']}.")
                people = (path[0], e["id"])
            else:
                circle = _by_name([n for n in network.adjacency[e["id"]] if n in by_id], by_id)
                known = f" The map has {names(circle, by_id)} near them: find who of ours " \
                    "knows them." if circle else ""
                step = ("Find out who is in their inner circle, funds them or whom they answer "
                        "to, and who of ours knows those people." + known)
                people = (e["id"], *circle[:NAMED_MAX])
            gaps.append(_gap("decision_maker_far", e["name"],
                             "Nobody we have a relationship with is within two steps of them.",
                             step, "decision_maker", people, by_id, amount=influence))
        elif steps > 1:  # a direct tie is no single point: they are one of ours
            chain = [n for n in single_points([e["id"]], network) if n != e["id"]]
            if chain:
                who = names(chain, by_id, limit=len(chain))
                others = _by_name([n for n in network.adjacency[e["id"]]
                                   if n in by_id and n not in chain], by_id)
                also = (f": {names(others, by_id)} {'is' if len(others) == 1 else 'are'} "
                        "near them too; find who of ours knows them" if others else
                        ": find who else is in their inner circle, funds them or whom they "
                        "answer to")
                gaps.append(_gap("decision_maker_single", e["name"],
                                 f"We reach them only through {who}: a single point of failure.",
                                 f"Build a second way in that does not go through {who}{also}.",
                                 "decision_maker", (chain[0], e["id"]), by_id, amount=influence))
        missing = [power.RESEARCH[name] for name in power.unknowns(e, drawn)]
        if missing:
            circle = _by_name([n for n in network.adjacency[e["id"]] if n in by_id], by_id)
            gaps.append(_gap("decision_maker_unknowns", e["name"],
                             f"Not researched yet: {', '.join(missing)}.",
                             "Research the public record (votes, filings, statements) and ask "
                             + (f"{names(circle, by_id)}, close to them on the map." if circle
                                else "people close to them."),
                             "decision_maker", (e["id"], *circle[:NAMED_MAX]), by_id))
    return gaps


def _follow_up_gaps(entries: list[dict], today: dt.date, by_id: dict) -> list[Gap]:
    gaps = []
    for e in entries:
        step = (e.get("next_step") or "").strip()
        owner = (e.get("point_person") or "").strip()
        if e["stage"] == "contacted" and not step:
            gaps.append(_gap("stuck_contacted", e["name"],
                             "Contacted, with no next step planned.",
                             f"{owner}: ask {e['name']} for a one-on-one, and set the date." if owner
                             else f"Agree who will ask {e['name']} for a one-on-one, and by when.",
                             e["level"], (e["id"],), by_id))
        if step and e.get("next_step_on"):
            try:
                due = dt.date.fromisoformat(e["next_step_on"])
            except ValueError:
                continue
            late = (today - due).days
            if late > 0:
                gaps.append(_gap("overdue", e["name"],
                                 f"\u201c{step}\u201d was due {late} day{'s' if late != 1 else ''} ago.",
                                 f"{owner or 'The point person'}: do it this week, or set a new date.",
                                 e["level"], (e["id"],), by_id, amount=late))
    return gaps


def _base_gaps(entries: list[dict], actions: list[dict], today: dt.date, by_id: dict) -> list[Gap]:
    gaps = []
    impacted = [e for e in entries if e["level"] == "impacted"]
    if impacted and not any(e["willing_to_speak"] for e in impacted):
        ready = _by_name([e["id"] for e in impacted if e["stage"] in SPEAKER_STAGES], by_id)
        gaps.append(_gap("no_spokesperson", LEVELS["impacted"],
                         "No directly impacted person is ready to speak for the campaign"
                         + (f"; engaged or committed and not yet asked: {names(ready, by_id)}."
                            if ready else "; nobody is engaged or committed yet."),
                         f"Ask {names(ready, by_id)} whether they would speak, and offer story "
                         "and self-advocacy training." if ready else
                         "Hold one-on-ones to move impacted people up the ladder, then ask the "
                         "most engaged to speak.", "impacted", ready, by_id))
    # One-on-ones are counted from done actions (they carry a date; a stage does not), and an
    # entry whose stage says one was held but no done one-on-one involves them is named, so the
    # two never silently disagree.
    held = [a for a in actions if a["kind"] == "one_on_one" and a["status"] == "done"]
    since = today - dt.timedelta(days=RECENT_DAYS)
    recent = [a for a in held if (day := _action_day(a)) is not None and since <= day <= today]
    involved = {i for a in held for i in a.get("entry_ids", ())}
    unrecorded = _by_name([e["id"] for e in entries if e["stage"] == "one_on_one"
                           and e["id"] not in involved], by_id)
    if entries and not recent:
        contacted = _by_name([e["id"] for e in entries if e["stage"] == "contacted"
                              and e["level"] in GATEKEEPER_LEVELS], by_id)
        gaps.append(_gap("no_recent_one_on_one", "One-on-ones",
                         f"No one-on-one action was marked done in the last {RECENT_DAYS} days "
                         "(counted from the map's actions: a stage carries no date).",
                         f"Schedule one-on-ones with {names(contacted, by_id)}, whom you have only "
                         "contacted." if contacted else
                         "Schedule one-on-ones with the leaders you have only contacted.",
                         "", contacted[:NAMED_MAX], by_id))
    if unrecorded:
        gaps.append(_gap("one_on_one_unrecorded", names(unrecorded, by_id),
                         "Their stage says \u201cOne-on-one held\u201d, but no done one-on-one "
                         "action involves them, so it is not counted as held.",
                         "Record each one-on-one as a done action with its date (Actions on the "
                         "map), or set the stage back.", "", unrecorded, by_id))
    return gaps


# -- whole views ---------------------------------------------------------------------------------

def analyse_map(map_row: dict, entries: list[dict], links: list[dict], actions: list[dict],
                *, today: dt.date) -> dict:
    """Everything the coverage page shows for one map, computed once per revision."""
    network = build_network(entries, links)
    wanted = wanted_of(map_row)
    return {
        "wanted": wanted,
        "coverage": coverage_by_level(entries, targets(map_row)),
        "ladder": ladder(entries),
        "strength": strength_by_level(entries),
        "gatekeepers": gatekeeper_share(entries),
        "constituencies": constituency_matrix(entries, wanted),
        "activity": activity_by_week(entries, actions),
        "power_grid": power_grid(entries, network),
        "network": network,
        "cut_points": cut_point_effects(entries, network),
        "gaps": find_gaps(map_row, entries, links, actions, today=today, network=network),
    }


def workshop_summary(maps: list[dict], shared_rows: list[dict], actions_done: list[dict]) -> dict:
    """The shareable workshop view, from the store's shared rows and done-action counts: per map
    level x stage counts against targets; across all maps the ladder, strength per level,
    gatekeeper share, constituencies (every team's wanted ones first) and activity per week;
    organization names. The rows carry no individual's details; wanted communities are groups,
    not people. Each measure is the one-map function applied to every map's rows at once."""
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
                  "organizations": sorted((r["name"] for r in by_map[m["id"]]
                                           if r["level"] == "organization" and r["name"]),
                                          key=str.lower)}
                 for m in maps],
        "coverage": coverage_by_level(shared_rows, totals),
        "ladder": ladder(shared_rows),
        "strength": strength_by_level(shared_rows),
        "gatekeepers": gatekeeper_share(shared_rows),
        "constituencies": constituency_matrix(shared_rows, list(wanted.values())),
        "activity": activity_by_week(shared_rows, actions_done),
    }
