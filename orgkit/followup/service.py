"""The lead's "This week": per map or for the whole workshop, what is due (overdue and this
week), the gaps that matter most now, what moved since the lead's last review (or any earlier
date), and the charts over time; and "Mark reviewed".

A lead is the facilitator (every map, and the whole workshop) or whoever holds a map's private
link (that map): maps.get_map decides, as for every read of a map. Due items and today's gaps come
from the map as it is (orgkit.coverage.service's cached view); what moved compares the history
rebuilt at the two moments (followup.model.as_of), so both ends are read the same way.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..commitments import service as commitments
from ..coverage import service as coverage_service
from ..coverage.model import Gap, wanted_of
from ..domain import Actor, PermissionDenied, today as today_now
from ..i18n import msg
from ..map import service as maps
from ..storage import Store
from . import model

DEFAULT_SINCE_DAYS = 7  # with no review yet, "since" is a week ago


@dataclass
class MapWeek:
    """One map's week."""

    map_id: int
    name: str
    overdue: list[model.DueItem]
    soon: list[model.DueItem]
    gaps: list[Gap]  # the TOP_GAPS most urgent now
    moved: model.Moved
    changes: list[dict] = field(repr=False, default_factory=list)
    wanted: list[str] = field(default_factory=list)  # the communities the team wants now
    actions: list[dict] = field(repr=False, default_factory=list)


@dataclass
class Week:
    """A lead's screen: the maps in view, what is due and the top gaps across them, and since
    when "moved" counts (`since`, epoch seconds; `last_review` the newest review, if any)."""

    teams: list[MapWeek]
    overdue: list[model.DueItem]  # commitments among them are missed
    soon: list[model.DueItem]
    gaps: list[tuple[int, Gap]]  # (map id, gap), most urgent first
    since: float
    last_review: dict | None
    today: dt.date
    kept: list[model.DueItem] = field(default_factory=list)  # commitments kept since `since`
    items: list[model.DueItem] = field(default_factory=list)  # everything dated, in view


def lead_maps(store: Store, actor: Actor, map_id: int | None) -> list[dict]:
    """The maps a lead reviews: one map (its team or the facilitator), or every map of the
    workshop (the facilitator only)."""
    if map_id is not None:
        return [maps.get_map(store, actor, map_id)]
    if not actor.is_facilitator:
        raise PermissionDenied(msg("Only the facilitator reviews the whole workshop; a team "
                                   "reviews its own map by its link."))
    return [maps.get_map(store, actor, m["id"]) for m in maps.team_maps(store, actor)]


def due_items(store: Store, actor: Actor, map_id: int | None) -> list[model.DueItem]:
    """Everything due on one map: its entries' next steps, its planned actions and the seminar
    commitments that name its entries (as the commitments service lets this reader see them:
    the facilitator with names, the map's team with a name only where the person chose to show
    it). `map_id` None: the commitments that name no map's entry (the facilitator's)."""
    if map_id is None:
        return model.commitment_items(None, [
            row for row in commitments.of_workshop(store, actor) if row["entry_id"] is None])
    view = maps.load_map(store, actor, map_id)
    return (model.next_step_items(map_id, view.entries)
            + model.action_items(map_id, view.entries, view.actions)
            + model.commitment_items(map_id, commitments.for_map(store, actor, map_id)))


def last_review(store: Store, actor: Actor, map_id: int | None) -> dict | None:
    lead_maps(store, actor, map_id)
    reviews = store.followup.reviews(actor.workshop_id, map_id)
    return reviews[0] if reviews else None


def set_kept(store: Store, actor: Actor, commitment_id: int, kept: bool) -> None:
    """A lead marks a commitment kept, or takes the mark back (commitments.service decides
    who may)."""
    commitments.set_kept(store, actor, commitment_id, kept)


def mark_reviewed(store: Store, actor: Actor, map_id: int | None) -> float:
    """Record that the lead reviewed this map (None: the whole workshop) now; returns when."""
    lead_maps(store, actor, map_id)
    with store.acting(*maps.author_of(store, actor)):
        return store.followup.add_review(actor.workshop_id, map_id)


def this_week(store: Store, actor: Actor, map_id: int | None, *, since: float | None = None,
              today: dt.date | None = None) -> Week:
    """The lead's screen for one map or the whole workshop. `since`: compare with this moment
    (default: the last review of this scope, else DEFAULT_SINCE_DAYS ago)."""
    today = today or today_now()
    rows = lead_maps(store, actor, map_id)
    review = last_review(store, actor, map_id)
    if since is None:
        since = review["reviewed_at"] if review else model.end_of(
            today - dt.timedelta(days=DEFAULT_SINCE_DAYS))
    now = model.end_of(today)
    weeks, all_items, all_gaps = [], [], []
    for row in rows:
        items = due_items(store, actor, row["id"])
        view = coverage_service.load_map(store, actor, row["id"])  # today's gaps, cached
        changes = maps.history(store, actor, row["id"])
        before, after = model.as_of(changes, since), model.as_of(changes, now)
        since_day = dt.date.fromtimestamp(since)
        moved = model.moved(before, after, model.gaps_of(before, row["id"], since_day),
                            model.gaps_of(after, row["id"], today))
        moved.kept = model.kept_between(items, since, now)
        overdue, soon = model.due_now(items, today)
        gaps = list(view["gaps"][:model.TOP_GAPS])
        weeks.append(MapWeek(row["id"], row["name"], overdue, soon, gaps, moved, changes,
                             wanted_of(row), maps.load_map(store, actor, row["id"]).actions))
        all_items += items
        all_gaps += [(row["id"], g) for g in view["gaps"][:model.TOP_GAPS]]
    if map_id is None:  # the commitments that name no map's entry count for the workshop
        all_items += due_items(store, actor, None)
    overdue, soon = model.due_now(all_items, today)
    top = sorted(all_gaps, key=lambda pair: -pair[1].score)[:model.TOP_GAPS]
    return Week(weeks, overdue, soon, top, since, review, today,
                model.kept_between(all_items, since, now), all_items)


# -- charts over time ------------------------------------------------------------------------

def chart_rows(week: Week) -> dict[str, list[dict]]:
    """The numbers of each chart over time, summed over the maps in view (one table per
    chart; the figure draws the same rows)."""
    ladders, plans, communities, times = [], [], [], []
    for one in week.teams:
        weekly = model.weekly_states(one.changes, week.today)
        weeks = [monday for monday, _ in weekly]
        ladders.append(model.ladder_by_week(weekly))
        plans.append(model.one_on_ones_by_week(one.actions, weeks))
        communities.append(model.community_coverage_by_week(weekly, one.wanted))
        times.append(model.days_to_one_on_one(one.changes))
    return {
        "ladder": sorted(model.summed(ladders, ("week", "level", "stage"), ("n",)),
                         key=lambda r: (r["week"], model.LEVEL_ORDER.index(r["level"]),
                                        model.STAGE_ORDER.index(r["stage"]))),
        "one_on_ones": sorted(model.summed(plans, ("week",), ("planned", "held")),
                              key=lambda r: r["week"]),
        "communities": sorted(model.summed(communities, ("week", "community"), ("n",)),
                              key=lambda r: (r["week"], r["community"].casefold())),
        "time_to_one_on_one": sorted((row for rows in times for row in rows),
                                     key=lambda r: (r["days"], r["name"].casefold())),
    }
