"""The coverage model: what the analytics (orgkit.coverage.analytics) and the gap finder
(orgkit.coverage.gaps) share. Pure functions and types on plain rows (dicts from the store):
nothing here touches the database or streamlit, so every measure can be tested on a constructed
map with a known answer.

The network is undirected: our team is a root node joined to every entry we have a relationship
with (strength weak, working or strong), plus the links between entries. It is kept as plain
adjacency dicts (an nx.Graph is built only for graphs small enough to draw). Reachability
questions (who reaches a constituency, how near each decision-maker is, who is a single point of
failure) are answered with breadth-first searches and one depth-first search from our team that
yields the dominator tree (Tarjan's articulation test per subtree), so they stay linear in the
size of the map: 10,000 entries and 30,000 links take under a tenth of a second.
Betweenness (node size on the drawn graph, a column of the people table) is measured only when
something shows it.

A `Gap` names the people to act with (`Gap.people`, the first is whose next step the suggested
step becomes) and, for a decision-maker far from us, the warm path: the shortest chain of links
from one of ours to them, told link by link.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from ..i18n import DEFAULT_LANGUAGE, N_, Message, msg, nmsg, render
from ..domain import LEVELS, Conflict
from ..map.model import SHORT_MAX, split_tags, tags

ROOT = "us"
OUR_STRENGTHS = ("weak", "working", "strong")
REACH_LEVELS = ("impacted", "leader", "organization")  # who can reach a community
GATEKEEPER_LEVELS = ("leader", "organization")
DRAW_LIMIT = 300  # beyond this many entries the network is drawn as groups, not people
NAMED_MAX = 3  # people named in one sentence before "and N more"
NEXT_STEP_DAYS = 7  # a gap's step made an entry's next step is due a week later
DIRECT_TIE = N_("A direct tie to our team is anyone whose relationship strength is Weak, Working "
                 "or Strong; at None we reach them only through their links, so a strength changes "
                 "who counts as a gatekeeper-only path or a single point of failure.")


def wanted_of(map_row: dict) -> list[str]:
    """The communities the map's team wants to reach, in the team's order."""
    return split_tags(map_row.get("wanted_constituencies"))


def is_ours(entry: dict) -> bool:
    return entry.get("strength") in OUR_STRENGTHS


def names(ids, by_id: dict, limit: int = NAMED_MAX) -> Message | str:
    """ "A, B and C", or "A, B, C and 4 more": the first `limit` entries by name, as a message
    whose values are the names; one name is just that name (a value, never translated)."""
    named = [by_id[i]["name"] for i in ids if i in by_id]
    if len(named) > limit:
        more = len(named) - limit
        return nmsg("{names} and {n} more", "{names} and {n} more", more,
                    names=", ".join(named[:limit]))
    if len(named) > 1:
        return msg("{names} and {last}", names=", ".join(named[:-1]), last=named[-1])
    return "".join(named)


def community_rows(tagged: dict[str, str], wanted: list[str]) -> dict[str, str]:
    # Key (casefolded tag) -> name shown: the wanted communities first, in the team's order and
    # spelling, then every other tag seen on entries, by name.
    first = {tag.casefold(): tag for tag in wanted}
    return first | {key: tagged[key] for key in sorted(tagged) if key not in first}

def action_day(action: dict) -> dt.date | None:
    if action.get("due_on"):
        try:
            return dt.date.fromisoformat(action["due_on"])
        except ValueError:
            return None
    return dt.date.fromtimestamp(action["updated_at"]) if action.get("updated_at") else None

# -- the network ----------------------------------------------------------------------------------

@dataclass
class Network:
    """Our team's network: who is linked to whom, distances from us and who everything
    depends on."""

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
        if is_ours(e):
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
RELATION = {"knows": (N_("knows"), N_("knows")),
            "inner_circle": (N_("is in the inner circle of"), N_("has in their inner circle")),
            "funds": (N_("funds"), N_("is funded by")),
            "answers_to": (N_("answers to"), N_("oversees")),
            "member_of": (N_("is a member of"), N_("has as a member"))}


def relation(network: Network, a, b) -> str:
    """How `a` stands to `b`, in words, from the link between them."""
    if (a, b) in network.kinds:
        return RELATION.get(network.kinds[a, b], RELATION["knows"])[0]
    return RELATION.get(network.kinds.get((b, a)), RELATION["knows"])[1]


def warm_path(network: Network, by_id: dict, target) -> Message | None:
    """The chain from one of ours to `target` in words: "Cleo (a direct tie) is in the inner
    circle of Rep. Fox, who answers to Mayor Hill" (None when nobody of ours reaches them)."""
    path = path_from_us(network, target)
    if not path:
        return None
    text = msg("{name} (a direct tie)", name=by_id[path[0]]["name"])
    for i, (a, b) in enumerate(zip(path, path[1:])):
        how = Message(relation(network, a, b))
        text = (msg("{path}, who {relation} {name}", path=text, relation=how, name=by_id[b]["name"])
                if i else msg("{path} {relation} {name}", path=text, relation=how,
                              name=by_id[b]["name"]))
    return text

def reachers_of(entries: list[dict]) -> tuple[dict, dict]:
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
QUADRANTS = {("for", True): N_("Allies to mobilise"), ("neutral", True): N_("Targets to move"),
             ("against", True): N_("Opponents to watch"),
             ("for", False): N_("Supporters to build up"), ("neutral", False): N_("Keep informed"),
             ("against", False): N_("Keep an eye on")}
HIGH_INFLUENCE = 3  # influence from this up counts as high


def quadrant(stance: int, influence: int) -> str:
    """What to do about someone at this stance (-2..2) and influence (1..5)."""
    side = "for" if stance > 0 else "against" if stance < 0 else "neutral"
    return QUADRANTS[side, influence >= HIGH_INFLUENCE]

# -- the people table ----------------------------------------------------------------------------

BETWEENNESS_SAMPLES = 8  # beyond DRAW_LIMIT entries betweenness is estimated from this many starts


def share_percent(betweenness: float) -> int:
    """Betweenness (the share of shortest paths between others through someone) as a whole
    percentage, for people to read; above zero it is at least 1, so "0 %" means none."""
    return max(1, round(100 * betweenness)) if betweenness > 0 else 0


def path_share(betweenness: float) -> Message:
    """Betweenness in words: "on 9 % of shortest paths" between others. The percent sign goes
    with the number, not in the id: "% o" in an id reads to gettext tools as a format code."""
    return msg("on {percent} of shortest paths between others",
               percent=f"{share_percent(betweenness)} %")

def neighbourhood(network: Network, node, limit: int = DRAW_LIMIT) -> tuple[list, int]:
    """The entries within two links of `node` (nearest first, at most `limit`), always with the
    shortest path from our team to it, and how many there are in all."""
    adjacency = network.adjacency
    near = [n for n in adjacency.get(node, ()) if n != ROOT]
    second = {m: None for n in near for m in adjacency[n] if m not in (ROOT, node)}
    ring = [node, *near, *(m for m in second if m not in set(near))]
    keep = list(dict.fromkeys([*path_from_us(network, node), *ring[:limit]]))
    return keep, len(ring)


# -- gaps ----------------------------------------------------------------------------------------

GAP_REF_LENGTH = 12  # hex digits of a gap's ref: a link's ?gap= is checked against it


@dataclass(frozen=True)
class Gap:
    """One gap: what kind, what it is about, why it matters, what to do next and with whom.
    Its reason and next step are messages the screen renders; its subject is what people named
    (a person, a community: text as typed) or our words (a Message: a level, one-on-ones)."""

    score: float  # higher is more urgent
    kind: str
    subject: Message | str
    reason: Message
    next_step: Message
    level: str = ""
    people: tuple = ()  # entry ids to act with; the first is whose next step the step becomes
    # The point person of that first entry, for a gap about that one person (an overdue step);
    # empty where the people are only suggested (a level or community gap), as nobody owns those.
    point_person: str = ""
    # Who is suggested and why ("Suggested: Aisha Bello (already ours at this level)."), for a
    # gap whose people are suggested rather than its subject.
    suggested: Message | None = None
    # The step as the first person's own next step, about them ("Ask whom they know ..."), where
    # the gap's step names them among others; None: the gap's step itself.
    entry_step: Message | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """Its identity across moments and reruns: its kind and what it is about (not its
        wording, its score or its rank)."""
        return self.kind, str(self.subject), self.level

    @property
    def ref(self) -> str:
        """The key as a short text for a link to the gap (the coverage page's ?gap=)."""
        return hashlib.sha256("\x1f".join(self.key).encode()).hexdigest()[:GAP_REF_LENGTH]

    def as_row(self) -> dict:
        return {"kind": GAP_KINDS[self.kind], "subject": self.subject,
                "level": LEVELS.get(self.level, ""),
                "point_person": self.point_person, "reason": self.reason,
                "next_step": self.next_step}


GAP_KINDS = {
    "level_empty": N_("Level with no one"),
    "constituency_missing": N_("Wanted community nobody on the map reaches"),
    "constituency_unreached": N_("Community nobody of ours reaches"),
    "decision_maker_far": N_("Decision-maker out of reach"),
    "constituency_gatekeeper": N_("Community only through a gatekeeper"),
    "decision_maker_single": N_("Decision-maker through a single person"),
    "constituency_single": N_("Community through a single person"),
    "no_spokesperson": N_("No spokesperson"),
    "level_below_target": N_("Level below target"),
    "no_recent_one_on_one": N_("No recent one-on-one"),
    "overdue": N_("Overdue next step"),
    "stuck_contacted": N_("Stuck at contacted"),
    "one_on_one_unrecorded": N_("Stage and one-on-ones disagree"),
    "decision_maker_unknowns": N_("Decision-maker research missing"),
}

def as_next_step(gap: Gap, language: str = DEFAULT_LANGUAGE) -> str:
    """The gap's suggested step as an entry's next step, in the writer's language (a stored step
    is read later as their own words): cut to the field's limit."""
    return _cut(render(gap.entry_step or gap.next_step, language))


def _cut(text: str) -> str:
    return text if len(text) <= SHORT_MAX else text[:SHORT_MAX - 1].rstrip() + "\u2026"


STEP_CHOICES = ("set", "replace", "add")  # "set": only where the entry has no next step yet


def step_change(entry: dict, step: str, how: str, today: dt.date) -> dict:
    """The fields that make `step` an entry's next step. A person's own next step is never
    overwritten silently: "set" is refused where one is there (the reader must choose); "replace"
    puts the step and a date a week away in its place; "add" keeps their words and date first and
    adds the step after them."""
    own = (entry.get("next_step") or "").strip()
    due = (today + dt.timedelta(days=NEXT_STEP_DAYS)).isoformat()
    if how not in STEP_CHOICES:
        raise ValueError(how)
    if how == "set" and own:
        raise Conflict(msg("{name} already has a next step: \u201c{step}\u201d. Choose to "
                           "replace it or add to it.", name=entry["name"], step=own))
    if how == "add" and own:
        return {"next_step": _cut(f"{own}; {step}"),
                "next_step_on": entry.get("next_step_on") or due}
    return {"next_step": step, "next_step_on": due}

