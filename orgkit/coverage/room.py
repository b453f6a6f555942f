"""What the whole room sees on the seminar's later steps: who holds power (decision-makers per
office and our ties to them), the engagement actions planned per kind, and the report back (the
coverage per level and the top gaps). Pure views over every team map of a workshop
(`map.model.MapView`s), built once per set of map revisions by the coverage service.

The shared-screen rule is kept here, not in a screen: a room view holds counts, offices (typed
by the teams: "State Senator, 44th District"), levels, communities and team names, never the
name of a person or a title an organizer typed about one. A gap the gap finder names after a
person (an official out of reach, an overdue step) is said by its level; a community gap keeps
the community. The team's own views (`team_power`, `team_actions`) are for a team's members,
who may read their own map.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..domain import ACTION_KINDS, LEVELS
from ..i18n import Message, N_, msg, nmsg
from ..map.model import DECISION_MAKER, MapView, targets
from . import gaps as gap_finder
from .model import Network, build_network, is_ours

# How near our team is to a decision-maker, best first: a direct tie by its strength, one of
# ours linked to them, or nobody of ours within one link.
TIES = {"strong": N_("Strong"), "working": N_("Working"), "weak": N_("Weak"),
        "through": N_("Through one of ours"), "far": N_("Nobody near")}
NO_OFFICE = N_("Office not written yet")
OTHER_OFFICES = N_("Other offices")
ALL_OFFICES = N_("All offices")
OFFICES_SHOWN = 7  # rows of offices a 1280x720 projector shows; the rest are summed in one
GAPS_SHOWN = 5  # the top gaps of the report back
ENGAGED_STAGES = ("engaged", "committed")


@dataclass(frozen=True)
class OfficeRow:
    """Decision-makers at one office across the room, counted by our best tie to each."""

    office: str  # as a team typed it (its first spelling); "" for a row that `label` names
    ties: tuple[int, ...]  # per TIES key, in its order; they add up to the decision-makers
    links: int  # links between our people and these decision-makers
    label: str = ""  # a marked id where no office is typed (NO_OFFICE, OTHER_OFFICES, ALL)

    @property
    def decision_makers(self) -> int:
        return sum(self.ties)


@dataclass(frozen=True)
class PowerRoom:
    offices: tuple[OfficeRow, ...]
    total: OfficeRow
    missing: tuple[Message, ...]  # the facilitator's "who is missing" hints


@dataclass(frozen=True)
class KindRow:
    kind: str  # a key of ACTION_KINDS
    planned: int
    overdue: int  # planned with a date already past
    done: int
    next_on: str | None  # the soonest planned date from today, ISO


@dataclass(frozen=True)
class EngageRoom:
    kinds: tuple[KindRow, ...]
    missing: tuple[Message, ...]


@dataclass(frozen=True)
class LevelRow:
    level: str
    entries: int
    target: int
    ours: int  # with a relationship to our team (strength weak or better)
    engaged: int  # engaged or committed


@dataclass(frozen=True)
class GapRow:
    kind: str  # a key of coverage.model.GAP_KINDS
    level: str  # a key of LEVELS, or "" for a community's gap or one across levels
    community: str  # a community as a team typed it (its first spelling), or ""
    count: int
    teams: int


@dataclass(frozen=True)
class ReportRoom:
    levels: tuple[LevelRow, ...]
    gaps: tuple[GapRow, ...]
    missing: tuple[Message, ...]


# -- who holds power ------------------------------------------------------------------------------

def tie(entry: dict, network: Network) -> str:
    """Our best tie to one entry, a key of TIES."""
    if is_ours(entry):
        return entry["strength"]
    return "through" if network.distance.get(entry["id"]) == 2 else "far"


def _links_from_ours(entry_id: int, entries: dict, network: Network) -> int:
    return sum(1 for other in network.adjacency.get(entry_id, ())
               if other in entries and is_ours(entries[other]))


def power(maps: list[MapView]) -> PowerRoom:
    """Decision-makers per office across every map, each counted once (the same name at the
    same office on two teams' maps is one official, at the better tie of the two)."""
    best: dict[tuple[str, str], tuple[int, int]] = {}  # (office, name) -> (tie index, links)
    spelling: dict[str, str] = {}
    order = list(TIES)
    missing: list[Message] = []
    no_office = 0
    for view in maps:
        network = build_network(view.entries, view.links)
        by_id = {e["id"]: e for e in view.entries}
        officials = view.level(DECISION_MAKER)
        if not officials:
            missing.append(msg("{team} has no decision-makers on its map yet.",
                               team=view.map["name"]))
        for e in officials:
            office = (e.get("office") or "").strip()
            no_office += not office
            spelling.setdefault(office.casefold(), office)
            key = (office.casefold(), e["name"].strip().casefold())
            found = (order.index(tie(e, network)), _links_from_ours(e["id"], by_id, network))
            old = best.get(key)
            best[key] = found if old is None else (min(old[0], found[0]), max(old[1], found[1]))
    per_office: dict[str, list[int]] = defaultdict(lambda: [0] * (len(TIES) + 1))
    for (office, _name), (index, links) in best.items():
        per_office[office][index] += 1
        per_office[office][-1] += links
    rows = sorted((OfficeRow(spelling[o], tuple(c[:-1]), c[-1], "" if o else NO_OFFICE)
                   for o, c in per_office.items()),
                  key=lambda r: (not r.office, -r.decision_makers, -r.ties[-1],
                                 r.office.casefold()))
    for row in rows:
        if row.office and row.ties[-1] == row.decision_makers:
            missing.append(msg("Nobody of ours is near anyone at {office}: ask the room who "
                               "knows someone there.", office=row.office))
    if no_office:
        missing.append(nmsg("{n} decision-maker has no office written.",
                            "{n} decision-makers have no office written.", no_office))
    return PowerRoom(_fold(rows), _sum(ALL_OFFICES, rows), tuple(missing))


def _sum(label: str, rows) -> OfficeRow:
    return OfficeRow("", tuple(sum(r.ties[i] for r in rows) for i in range(len(TIES))),
                     sum(r.links for r in rows), label)


def _fold(rows: list[OfficeRow]) -> tuple[OfficeRow, ...]:
    """At most OFFICES_SHOWN rows: the rest are summed in one, so the projector never scrolls."""
    if len(rows) <= OFFICES_SHOWN:
        return tuple(rows)
    kept = rows[:OFFICES_SHOWN - 1]
    return (*kept, _sum(OTHER_OFFICES, rows[OFFICES_SHOWN - 1:]))


@dataclass(frozen=True)
class TeamOfficial:
    name: str
    office: str
    tie: str  # a key of TIES


def team_power(view: MapView) -> list[TeamOfficial]:
    """A team's own decision-makers with our tie to each (for the team's members only)."""
    network = build_network(view.entries, view.links)
    order = list(TIES)
    rows = [TeamOfficial(e["name"], (e.get("office") or "").strip(), tie(e, network))
            for e in view.level(DECISION_MAKER)]
    return sorted(rows, key=lambda r: (order.index(r.tie), r.name.casefold()))


# -- engage ---------------------------------------------------------------------------------------

def engage(maps: list[MapView], today: dt.date) -> EngageRoom:
    """Planned, overdue and done actions per kind across every map, with the next date planned
    (kinds, counts and dates only: an action's title and the people it involves stay on the
    team's map)."""
    day = today.isoformat()
    planned, overdue, done = Counter(), Counter(), Counter()
    upcoming: dict[str, str] = {}
    missing = []
    for view in maps:
        mine = [a for a in view.actions if a["status"] == "planned"]
        if not mine:
            missing.append(msg("{team} has no action planned yet.", team=view.map["name"]))
        for action in view.actions:
            kind = action["kind"]
            if action["status"] == "done":
                done[kind] += 1
            elif action["status"] == "planned":
                planned[kind] += 1
                due = action.get("due_on")
                if due and due < day:
                    overdue[kind] += 1
                elif due and (kind not in upcoming or due < upcoming[kind]):
                    upcoming[kind] = due
    kinds = tuple(KindRow(kind, planned[kind], overdue[kind], done[kind], upcoming.get(kind))
                  for kind in ACTION_KINDS)
    if maps and not any(planned.values()):
        missing.insert(0, msg("Nobody has planned an action yet."))
    return EngageRoom(kinds, tuple(missing))


@dataclass(frozen=True)
class TeamAction:
    kind: str
    title: str
    due_on: str | None


def team_actions(view: MapView) -> list[TeamAction]:
    """A team's own planned actions, soonest first, undated last (for the team's members)."""
    rows = [TeamAction(a["kind"], a["title"] or "", a.get("due_on"))
            for a in view.actions if a["status"] == "planned"]
    return sorted(rows, key=lambda a: (a.due_on is None, a.due_on or "", a.kind))


# -- report back ----------------------------------------------------------------------------------

def _where(gap) -> tuple[str, str]:
    """Where a gap is, said without a person: (level, community), one of them or neither."""
    if gap.kind.startswith("constituency"):
        return "", str(gap.subject)
    return gap.level, ""


def report_back(maps: list[MapView], today: dt.date) -> ReportRoom:
    """The room's coverage per level against the teams' targets, and the top gaps across the
    maps (found by the gap finder on each map), each said by level or community with how many
    there are and on how many teams' maps."""
    entries = [e for view in maps for e in view.entries]
    goal = Counter()
    for view in maps:
        goal.update(targets(view.map))
    levels = tuple(LevelRow(level, sum(e["level"] == level for e in entries), goal[level],
                            sum(e["level"] == level and is_ours(e) for e in entries),
                            sum(e["level"] == level and e["stage"] in ENGAGED_STAGES
                                for e in entries))
                   for level in LEVELS)
    found: dict[tuple[str, str], dict] = {}
    spelling: dict[str, str] = {}
    missing = []
    for view in maps:
        for gap in gap_finder.find_gaps(view.map, view.entries, view.links, view.actions,
                                        today=today):
            level, community = _where(gap)
            spelling.setdefault(community.casefold(), community)
            row = found.setdefault((gap.kind, level, community.casefold()),
                                   {"score": gap.score, "count": 0, "teams": set()})
            row["score"] = max(row["score"], gap.score)
            row["count"] += 1
            row["teams"].add(view.map["id"])
            if gap.kind == "level_empty":
                missing.append(msg("{team}: nobody at {level} yet.", team=view.map["name"],
                                   level=Message(LEVELS[gap.level])))
    ranked = sorted(found.items(), key=lambda kv: (-kv[1]["score"], -kv[1]["count"], kv[0]))
    gaps = tuple(GapRow(kind, level, spelling[community], row["count"], len(row["teams"]))
                 for (kind, level, community), row in ranked[:GAPS_SHOWN])
    return ReportRoom(levels, gaps, tuple(missing))
