"""The gap finder: every gap on one map, ranked by how urgent it is (GAP_RANKS), each naming the
people to act with and a next step. Pure: it reads the map's rows and the network built in
orgkit.coverage.model, nothing else.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..domain import LEVELS, STAGES
from ..i18n import Message, N_, msg, nmsg
from ..map import power
from ..map.model import INFLUENCE_RANGE, tags, targets
from .model import (GATEKEEPER_LEVELS, NAMED_MAX, Gap, Network, action_day, build_network,
                    community_rows, is_ours, names, path_from_us, reach_without_gatekeepers,
                    reachers_of, single_points, wanted_of, warm_path)

NEAR_STEPS = 2  # a decision-maker is "near" when one of ours is within this many steps
RECENT_DAYS = 30  # "this month" for one-on-ones: the last 30 days, so the 1st is not a cliff
SPEAKER_STAGES = ("engaged", "committed")  # impacted people ready to be asked to speak



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


# Why a gap suggests its people (Gap.suggested), for gaps whose people are not their subject.
WHY_CONNECTORS = N_("your best-connected leaders and organizations")
WHY_OURS_HERE = N_("already ours at this level")
WHY_NEIGHBOURS = N_("they reach a community next to this one")
WHY_GATEKEEPERS = N_("the gatekeepers every path runs through")
WHY_SINGLE = N_("everyone of ours who reaches it depends on them")
WHY_READY = N_("engaged or committed and not yet asked")
WHY_CONTACTED = N_("only contacted so far")


def _gap(kind, subject, reason, step, level="", people=(), by_id=None, *, amount: int = 0,
         full: int | None = None, why: str | None = None,
         entry_step: Message | None = None) -> Gap:
    """A gap of `kind`, scored by GAP_RANKS (`amount`, `full`: its measure, see gap_score).

    With `why` its people are suggested, not its subject: it names them and why
    (Gap.suggested) instead of a point person, and `entry_step` is its step as the first
    person's own next step, written about them (a step that names them would ask them to ask
    themselves)."""
    people = tuple(people)
    if why is not None:
        suggested = (msg("Suggested: {names} ({why}).", names=names(people, by_id),
                         why=Message(why)) if people else None)
        return Gap(gap_score(kind, amount, full), kind, subject, reason, step, level, people,
                   "", suggested, entry_step)
    owner = (by_id[people[0]].get("point_person") or "").strip() if people and by_id else ""
    return Gap(gap_score(kind, amount, full), kind, subject, reason, step, level, people, owner,
               None, entry_step)



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
    return sorted(gaps, key=lambda g: (-g.score, g.kind, str(g.subject).lower()))


def _by_name(ids, by_id: dict) -> list:
    return sorted(ids, key=lambda i: by_id[i]["name"].lower())


def _connectors(entries: list[dict], network: Network) -> list:
    """Our best-connected direct ties among leaders and organizations (no gatekeepers), most
    links first: whom to ask when a gap has nobody of its own to start from."""
    ids = [e["id"] for e in entries if e["level"] in GATEKEEPER_LEVELS and is_ours(e)
           and not e["is_gatekeeper"]]
    ranked = sorted(ids, key=lambda i: (-len(network.adjacency[i]), i))
    return ranked[:NAMED_MAX]


def _listing(marked: list[str]) -> Message:
    """Marked ids as one list ("agenda, funders"), each rendered in the reader's language."""
    listing = Message(marked[0])
    for item in marked[1:]:
        listing = msg("{list}, {item}", list=listing, item=Message(item))
    return listing


def _level_gaps(entries: list[dict], targets: dict[str, int], by_id: dict,
                connectors: list) -> list[Gap]:
    counts = Counter(e["level"] for e in entries)
    gaps = []
    for level, label in LEVELS.items():
        have, want = counts[level], targets.get(level, 0)
        if have == 0:
            add = max(want, 1)
            step = (msg("Ask {names}, your best-connected leaders and organizations, who belongs "
                        "here, and add at least {n}.", names=names(connectors, by_id), n=add)
                    if connectors else msg("Brainstorm who belongs here and add at least {n}.",
                                           n=add))
            gaps.append(_gap("level_empty", Message(label),
                             msg("Nobody is on the map at this level yet."), step, level,
                             connectors, by_id, why=WHY_CONNECTORS,
                             entry_step=msg("Ask who belongs at the level \u201c{level}\u201d, "
                                            "and add at least {n}.", level=Message(label),
                                            n=add)))
        elif have < want:
            ours = _by_name([e["id"] for e in entries if e["level"] == level and is_ours(e)], by_id)
            step = (msg("Find {n} more; ask {names} whom they know.", n=want - have,
                        names=names(ours, by_id)) if ours else
                    msg("Find {n} more; ask the ones you have whom they know.", n=want - have))
            gaps.append(_gap("level_below_target", Message(label),
                             msg("{have} of the {want} the team aimed for.", have=have, want=want),
                             step, level, ours[:NAMED_MAX], by_id,
                             amount=want - have, full=want, why=WHY_OURS_HERE,
                             entry_step=msg("Ask whom they know who belongs at the level "
                                            "\u201c{level}\u201d: the team wants {n} more.",
                                            level=Message(label), n=want - have)))
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
    tagged, reachers = reachers_of(entries)
    free = reach_without_gatekeepers(entries, network)
    pool = _bridges(entries, network, free)
    wanted_keys = {tag.casefold() for tag in wanted}
    gaps = []
    for key, tag in community_rows(tagged, wanted).items():
        ids = reachers[key]
        wanted_here = int(key in wanted_keys)  # the team said it wants this one
        if not ids:
            step = (msg("Ask {names}, your best-connected leaders and organizations, who works "
                        "with this community, and add those people to the map.",
                        names=names(connectors, by_id)) if connectors else
                    msg("Ask the leaders and organizations you know who works with this "
                        "community, and add those people to the map."))
            gaps.append(_gap("constituency_missing", tag,
                             msg("The team wants to reach this community, but no impacted "
                                 "person, leader or organization on the map reaches it."),
                             step, "", connectors, by_id, why=WHY_CONNECTORS,
                             entry_step=msg("Ask who works with {community}, and add those "
                                            "people to the map.", community=tag)))
            continue
        if not any(i in network.distance for i in ids):
            helpers = _helpers(key, ids, by_id, network, pool)
            step = (msg("Ask {names} (they reach a community next to this one) who knows "
                        "someone in this community.", names=names(helpers, by_id)) if helpers
                    else msg("Ask leaders you trust who knows someone in this community."))
            gaps.append(_gap("constituency_unreached", tag,
                             msg("Entries reach this community, but nobody we have a "
                                 "relationship with connects to them."),
                             step, "", helpers, by_id, amount=wanted_here, why=WHY_NEIGHBOURS,
                             entry_step=msg("Ask whom they know in {community}.",
                                            community=tag)))
        elif not any(i in free and not by_id[i]["is_gatekeeper"] for i in ids):
            keepers = _by_name({i for i in _chain_or_all(ids, network)
                                if i in by_id and by_id[i]["is_gatekeeper"]}, by_id)
            helpers = _helpers(key, ids, by_id, network, pool, exclude=set(ids))
            outside = (msg("outside the channels of {names}", names=names(keepers, by_id))
                       if keepers else msg("outside the gatekeeper's channels"))
            step = (msg("Ask {names} — they reach a community next to this one without a "
                        "gatekeeper — to introduce you to people of {community} directly, "
                        "{outside}.", names=names(helpers, by_id), community=tag,
                        outside=outside) if helpers else
                    msg("Meet people of this community directly, {outside}, and find a second "
                        "leader they trust.", outside=outside))
            reason = (msg("Every path from us to this community runs through a gatekeeper "
                          "({names}).", names=", ".join(by_id[i]["name"] for i in keepers))
                      if keepers else
                      msg("Every path from us to this community runs through a gatekeeper."))
            gaps.append(_gap("constituency_gatekeeper", tag, reason, step, "",
                             helpers or keepers, by_id, amount=wanted_here,
                             why=WHY_NEIGHBOURS if helpers else WHY_GATEKEEPERS,
                             entry_step=msg("Ask them to introduce you to people of {community} "
                                            "directly.", community=tag) if helpers else
                             msg("Meet people of {community} directly, outside their channels, "
                                 "and find a second leader they trust.", community=tag)))
        else:
            chain = single_points(ids, network)
            if chain:
                who = ", ".join(by_id[i]["name"] for i in chain)
                helpers = _helpers(key, ids, by_id, network, pool, exclude=set(chain) | set(ids))
                step = (msg("Build a second relationship into this community that does not go "
                            "through {who}: ask {names}, who reach a community next to it.",
                            who=who, names=names(helpers, by_id)) if helpers else
                        msg("Build a second relationship into this community that does not go "
                            "through {who}.", who=who))
                gaps.append(_gap("constituency_single", tag,
                                 msg("Everyone of ours who reaches this community depends on "
                                     "{who}: a single point of failure.", who=who),
                                 step, "", [*helpers, *chain], by_id, amount=wanted_here,
                                 why=WHY_NEIGHBOURS if helpers else WHY_SINGLE,
                                 entry_step=msg("Ask whom they know in {community}.",
                                                community=tag) if helpers else
                                 msg("Build a second relationship into {community} that does "
                                     "not depend on them alone.", community=tag)))
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
                step = msg("Warm path: {path}. Ask {first} to introduce you to {second}, and "
                           "ask {second} to take you on towards {name}.",
                           path=warm_path(network, by_id, e["id"]), first=first, second=second,
                           name=e["name"])
                people = (path[0], e["id"])
                entry_step = msg("Ask them to introduce you to {second}, and ask {second} to "
                                 "take you on towards {name}.", second=second, name=e["name"])
            else:
                circle = _by_name([n for n in network.adjacency[e["id"]] if n in by_id], by_id)
                step = (msg("Find out who is in their inner circle, funds them or whom they "
                            "answer to, and who of ours knows those people. The map has {names} "
                            "near them: find who of ours knows them.", names=names(circle, by_id))
                        if circle else
                        msg("Find out who is in their inner circle, funds them or whom they "
                            "answer to, and who of ours knows those people."))
                people = (e["id"], *circle[:NAMED_MAX])
                entry_step = None
            gaps.append(_gap("decision_maker_far", e["name"],
                             msg("Nobody we have a relationship with is within two steps of "
                                 "them."),
                             step, "decision_maker", people, by_id, amount=influence,
                             entry_step=entry_step))
        elif steps > 1:  # a direct tie is no single point: they are one of ours
            chain = [n for n in single_points([e["id"]], network) if n != e["id"]]
            if chain:
                who = names(chain, by_id, limit=len(chain))
                others = _by_name([n for n in network.adjacency[e["id"]]
                                   if n in by_id and n not in chain], by_id)
                step = (nmsg("Build a second way in that does not go through {who}: {names} is "
                             "near them too; find who of ours knows them.",
                             "Build a second way in that does not go through {who}: {names} are "
                             "near them too; find who of ours knows them.", len(others),
                             who=who, names=names(others, by_id)) if others else
                        msg("Build a second way in that does not go through {who}: find who else "
                            "is in their inner circle, funds them or whom they answer to.",
                            who=who))
                gaps.append(_gap("decision_maker_single", e["name"],
                                 msg("We reach them only through {who}: a single point of "
                                     "failure.", who=who),
                                 step, "decision_maker", (chain[0], e["id"]), by_id,
                                 amount=influence,
                                 entry_step=msg("Find a second way to {name} that does not "
                                                "depend on them alone.", name=e["name"])))
        missing = [power.RESEARCH[name] for name in power.unknowns(e, drawn)]
        if missing:
            circle = _by_name([n for n in network.adjacency[e["id"]] if n in by_id], by_id)
            step = (msg("Research the public record (votes, filings, statements) and ask "
                        "{names}, close to them on the map.", names=names(circle, by_id))
                    if circle else
                    msg("Research the public record (votes, filings, statements) and ask "
                        "people close to them."))
            gaps.append(_gap("decision_maker_unknowns", e["name"],
                             msg("Not researched yet: {missing}.", missing=_listing(missing)),
                             step,
                             "decision_maker", (e["id"], *circle[:NAMED_MAX]), by_id))
    return gaps


def _follow_up_gaps(entries: list[dict], today: dt.date, by_id: dict) -> list[Gap]:
    gaps = []
    stuck = [e for e in entries if e["stage"] == "contacted" and not (e.get("next_step") or "")
             .strip()]
    if len(stuck) > STUCK_SHOWN_ONE_BY_ONE:
        gaps += _stuck_by_point_person(stuck, by_id)
    for e in entries:
        step = (e.get("next_step") or "").strip()
        owner = (e.get("point_person") or "").strip()
        if e["stage"] == "contacted" and not step \
                and len(stuck) <= STUCK_SHOWN_ONE_BY_ONE:
            ask = (msg("{owner}: ask {name} for a one-on-one, and set the date.", owner=owner,
                       name=e["name"]) if owner else
                   msg("Agree who will ask {name} for a one-on-one, and by when.", name=e["name"]))
            gaps.append(_gap("stuck_contacted", e["name"],
                             msg("Contacted, with no next step planned."), ask,
                             e["level"], (e["id"],), by_id))
        if step and e.get("next_step_on"):
            try:
                due = dt.date.fromisoformat(e["next_step_on"])
            except ValueError:
                continue
            late = (today - due).days
            if late > 0:
                redo = (msg("{owner}: do it this week, or set a new date.", owner=owner)
                        if owner else msg("The point person: do it this week, or set a new date."))
                gaps.append(_gap("overdue", e["name"],
                                 nmsg("\u201c{step}\u201d was due {n} day ago.",
                                      "\u201c{step}\u201d was due {n} days ago.", late, step=step),
                                 redo, e["level"], (e["id"],), by_id, amount=late))
    return gaps


# More people stuck at contacted than this, and the list would drown every other gap (at 10,000
# entries, most of the list): they are told as one line per point person instead.
STUCK_SHOWN_ONE_BY_ONE = 12


def _stuck_by_point_person(stuck: list[dict], by_id: dict) -> list[Gap]:
    """One gap per point person (and one for those with none) for a flood of entries stuck at
    contacted: how many, the first few by name, and the step for that point person. It names no
    single entry to act with (its step is a plan for all of them, not one person's next step)."""
    owners: dict[str, list] = defaultdict(list)
    for e in stuck:
        owners[(e.get("point_person") or "").strip()].append(e["id"])
    gaps = []
    for owner, ids in owners.items():
        ids = _by_name(ids, by_id)
        reason = nmsg("{n} entry contacted, with no next step planned: {names}.",
                      "{n} entries contacted, with no next step planned: {names}.", len(ids),
                      names=names(ids, by_id))
        step = (msg("{owner}: plan a one-on-one with each of them, and set the dates.",
                    owner=owner) if owner else
                msg("Agree who will follow up each of them, and by when."))
        gaps.append(Gap(gap_score("stuck_contacted"), "stuck_contacted",
                        owner or N_("No point person"), reason, step, "", (), owner))
    return gaps


def _base_gaps(entries: list[dict], actions: list[dict], today: dt.date, by_id: dict) -> list[Gap]:
    gaps = []
    impacted = [e for e in entries if e["level"] == "impacted"]
    if impacted and not any(e["willing_to_speak"] for e in impacted):
        ready = _by_name([e["id"] for e in impacted if e["stage"] in SPEAKER_STAGES], by_id)
        if ready:
            who = names(ready, by_id)
            reason = msg("No directly impacted person is ready to speak for the campaign; "
                         "engaged or committed and not yet asked: {names}.", names=who)
            step = msg("Ask {names} whether they would speak, and offer story and "
                       "self-advocacy training.", names=who)
        else:
            reason = msg("No directly impacted person is ready to speak for the campaign; "
                         "nobody is engaged or committed yet.")
            step = msg("Hold one-on-ones to move impacted people up the ladder, then ask the "
                       "most engaged to speak.")
        gaps.append(_gap("no_spokesperson", Message(LEVELS["impacted"]), reason, step, "impacted",
                         ready,
                         by_id, why=WHY_READY,
                         entry_step=msg("Ask whether they would speak, and offer story and "
                                        "self-advocacy training.")))
    # One-on-ones are counted from done actions (they carry a date; a stage does not), and an
    # entry whose stage says one was held but no done one-on-one involves them is named, so the
    # two never silently disagree.
    held = [a for a in actions if a["kind"] == "one_on_one" and a["status"] == "done"]
    since = today - dt.timedelta(days=RECENT_DAYS)
    recent = [a for a in held if (day := action_day(a)) is not None and since <= day <= today]
    involved = {i for a in held for i in a.get("entry_ids", ())}
    unrecorded = _by_name([e["id"] for e in entries if e["stage"] == "one_on_one"
                           and e["id"] not in involved], by_id)
    if entries and not recent:
        contacted = _by_name([e["id"] for e in entries if e["stage"] == "contacted"
                              and e["level"] in GATEKEEPER_LEVELS], by_id)
        step = (msg("Schedule one-on-ones with {names}, whom you have only contacted.",
                    names=names(contacted, by_id)) if contacted else
                msg("Schedule one-on-ones with the leaders you have only contacted."))
        gaps.append(_gap("no_recent_one_on_one", Message(N_("One-on-ones")),
                         msg("No one-on-one action was marked done in the last {days} days "
                             "(counted from the map's actions: a stage carries no date).",
                             days=RECENT_DAYS),
                         step, "", contacted[:NAMED_MAX], by_id, why=WHY_CONTACTED,
                         entry_step=msg("Ask them for a one-on-one, and set the date.")))
    if unrecorded:
        gaps.append(_gap("one_on_one_unrecorded", names(unrecorded, by_id),
                         msg("Their stage says \u201c{stage}\u201d, but no done one-on-one "
                             "action involves them, so it is not counted as held.",
                             stage=Message(STAGES["one_on_one"])),
                         msg("Record each one-on-one as a done action with its date (Actions on "
                             "the map), or set the stage back."), "", unrecorded, by_id))
    return gaps


