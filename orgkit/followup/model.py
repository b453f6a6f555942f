"""The follow-up model: a map rebuilt as of any moment from its history, what is due this week,
what moved between two moments, and the numbers of the charts over time. Pure: plain rows and
history rows (storage.history's map_changes, `fields`/`before` decoded) in, dataclasses out.

`as_of` replays the history up to a moment: an added row takes its fields, a change updates the
fields it names, a removal drops the row; a row's `updated_at` is the moment of its last change
(an undated done action counts on that day, as on the map). The gaps of a past moment are the
gap finder's on the rebuilt rows (orgkit.coverage.gaps), so "gaps closed and opened" compares
like with like.

Due items: `DueItem` is what a lead follows up, from any source: an entry's next step, a planned
action, and a commitment made in the seminar. `due_now(items, today)` is the one place that sorts
them into overdue and due this week (a kept commitment is neither); `status` says due, done or
missed; a new source only builds its DueItems and adds them to the list it is given.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..commitments.model import KINDS as COMMITMENT_KINDS
from ..commitments.model import OTHER
from ..coverage import gaps as gap_finder
from ..coverage.model import REACH_LEVELS, Gap, action_day, is_ours
from ..domain import ACTION_KINDS, LEVELS, STAGES
from ..i18n import Message, msg
from ..map.model import tags

WEEK_DAYS = 7  # "this week": today and the six days after it, so Monday's list covers Sunday
TOP_GAPS = 3  # the gaps that matter most now, on the lead's screen
STAGE_ORDER = list(STAGES)
LEVEL_ORDER = list(LEVELS)
HELD = STAGE_ORDER.index("one_on_one")  # a stage at or above this has had its one-on-one


# -- a map as of a moment --------------------------------------------------------------------

@dataclass
class MapState:
    """A map's content at one moment: the map's own fields and its rows by id."""

    map: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)

    def rows(self, map_id: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
        """(map row, entries, links, actions) as the store gives them (each row with its id)."""
        def listed(rows: dict) -> list[dict]:
            return [{**row, "id": i, "map_id": map_id} for i, row in sorted(rows.items())]
        return {**self.map, "id": map_id}, listed(self.entries), listed(self.links), \
            listed(self.actions)


_TABLES = {"entry": "entries", "link": "links", "action": "actions"}


def apply(state: MapState, change: dict) -> None:
    """One history row applied to a state, in place."""
    kind, what = change["change"], change["subject"]
    if kind == "restored":
        return
    if what == "map":
        state.map.update(change["fields"])
        return
    rows = getattr(state, _TABLES[what])
    key = change["subject_id"]
    if kind == "removed":
        rows.pop(key, None)
    elif kind == "added":
        rows[key] = {**change["fields"], "updated_at": change["at"]}
    elif key in rows:
        rows[key].update(change["fields"], updated_at=change["at"])


def as_of(changes: list[dict], moment: float) -> MapState:
    """The map as it was at `moment` (epoch seconds), from its history (oldest first)."""
    state = MapState()
    for change in changes:
        if change["at"] > moment:
            break
        apply(state, change)
    return state


def end_of(day: dt.date) -> float:
    """The last moment of a day, in the server's time zone (as the map's dates are read)."""
    return dt.datetime.combine(day, dt.time.max).timestamp()


# -- due this week ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DueItem:
    """One thing a lead follows up: what (as the team wrote it), when, who is on it, and where
    to go (the map, and the entry where there is one). `source` is "next_step", "action" or
    "commitment"; `kind` the action's or the commitment's kind where there is one; `ref` the
    action's or the commitment's id.

    A commitment's `point_person` is the person who made it (their name only where the reader
    may see it, else ""), `participant_id` that person, `entry_name` its "with whom", `title` the
    "something else" text, `ref` its id and `done_at` when it was marked kept. `map_id` is None
    for a commitment that names no map's entry (the whole workshop's list only)."""

    source: str
    map_id: int | None
    title: str
    due: dt.date
    point_person: str = ""
    entry_id: int | None = None
    entry_name: str = ""
    kind: str = ""
    ref: int | None = None
    participant_id: int | None = None
    done_at: float | None = None


DUE, DONE, MISSED = "due", "done", "missed"  # a commitment's status


def status(item: DueItem, today: dt.date) -> str:
    """Done (kept), missed (past its date, not done) or due."""
    if item.done_at is not None:
        return DONE
    return MISSED if item.due < today else DUE


def commitment_items(map_id: int | None, rows: list[dict]) -> list[DueItem]:
    """Commitments as due items; `rows` as the commitments service gives them to this reader
    (a name only where they may see it)."""
    items = []
    for row in rows:
        due = _date(row.get("due_on"))
        if due is None:
            continue
        items.append(DueItem(
            "commitment", map_id, (row.get("other_text") or "").strip(), due,
            (row.get("name") or row.get("display_name") or "").strip(), row.get("entry_id"),
            (row.get("with_whom") or "").strip(), row["kind"], row["id"],
            row.get("participant_id"), row.get("done_at")))
    return items


def describe(item: DueItem) -> Message | str:
    """What is due, as a reader reads it: our words as a Message, the team's own text as typed
    (a next step's). The screen, the nudge lists and the calendar files all say it this way."""
    if item.source == "action":
        return msg("{kind}: {title}", kind=Message(ACTION_KINDS.get(item.kind, item.kind)),
                   title=item.title)
    if item.source == "commitment":
        what = item.title if item.kind == OTHER and item.title else \
            Message(COMMITMENT_KINDS.get(item.kind, item.kind))
        return (msg("Commitment: {what} with {whom}", what=what, whom=item.entry_name)
                if item.entry_name else msg("Commitment: {what}", what=what))
    return item.title


def kept_between(items: list[DueItem], start: float, end: float) -> list[DueItem]:
    """The commitments marked kept after `start` and by `end` (epoch seconds), by date."""
    return sorted((i for i in items if i.done_at is not None and start < i.done_at <= end),
                  key=_soonest)


def next_step_items(map_id: int, entries: list[dict]) -> list[DueItem]:
    """Every entry's dated next step."""
    items = []
    for e in entries:
        due = _date(e.get("next_step_on"))
        if due and (e.get("next_step") or "").strip():
            items.append(DueItem("next_step", map_id, e["next_step"].strip(), due,
                                 (e.get("point_person") or "").strip(), e["id"], e["name"]))
    return items


def action_items(map_id: int, entries: list[dict], actions: list[dict]) -> list[DueItem]:
    """Every planned action with a date; its point person is that of the first entry it
    involves that has one, and it opens at that entry."""
    by_id = {e["id"]: e for e in entries}
    items = []
    for a in actions:
        due = _date(a.get("due_on"))
        if a.get("status") != "planned" or due is None:
            continue
        involved = [by_id[i] for i in a.get("entry_ids", ()) if i in by_id]
        owner = next((e["point_person"].strip() for e in involved
                      if (e.get("point_person") or "").strip()), "")
        first = involved[0] if involved else None
        items.append(DueItem("action", map_id, (a.get("title") or "").strip(), due, owner,
                             first["id"] if first else None, first["name"] if first else "",
                             a["kind"], a["id"]))
    return items


def due_now(items: list[DueItem], today: dt.date) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, due this week) of any due items not yet kept, each soonest first: overdue is
    before today, this week is today and the WEEK_DAYS - 1 days after it."""
    open_ = [i for i in items if i.done_at is None]
    overdue = sorted((i for i in open_ if i.due < today), key=_soonest)
    week_end = today + dt.timedelta(days=WEEK_DAYS - 1)
    soon = sorted((i for i in open_ if today <= i.due <= week_end), key=_soonest)
    return overdue, soon


def _soonest(item: DueItem) -> tuple:
    return item.due, item.point_person.lower(), item.title.lower()


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# -- what moved ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StageMove:
    entry_id: int
    name: str
    level: str
    old: str
    new: str

    @property
    def up(self) -> bool:
        return STAGE_ORDER.index(self.new) > STAGE_ORDER.index(self.old)


@dataclass
class Moved:
    """What changed on a map between two moments."""

    added: Counter = field(default_factory=Counter)  # level -> entries added
    removed: Counter = field(default_factory=Counter)
    up: list[StageMove] = field(default_factory=list)
    down: list[StageMove] = field(default_factory=list)
    closed: list[Gap] = field(default_factory=list)
    opened: list[Gap] = field(default_factory=list)
    kept: list[DueItem] = field(default_factory=list)  # commitments marked kept

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.up or self.down or self.closed
                    or self.opened or self.kept)


def gaps_of(state: MapState, map_id: int, day: dt.date) -> list[Gap]:
    """The gap finder's gaps on a rebuilt map, as of `day`."""
    return gap_finder.find_gaps(*state.rows(map_id), today=day)


def gap_key(gap: Gap) -> tuple:
    """A gap's identity across moments (Gap.key)."""
    return gap.key


def moved(before: MapState, after: MapState, gaps_before: list[Gap],
          gaps_after: list[Gap]) -> Moved:
    """Entries added and removed per level, stage moves up and down, gaps closed and opened."""
    out = Moved()
    for i, e in after.entries.items():
        if i not in before.entries:
            out.added[e["level"]] += 1
        elif (old := before.entries[i].get("stage")) != e.get("stage") and old in STAGES \
                and e.get("stage") in STAGES:
            move = StageMove(i, e["name"], e["level"], old, e["stage"])
            (out.up if move.up else out.down).append(move)
    for i, e in before.entries.items():
        if i not in after.entries:
            out.removed[e["level"]] += 1
    was, now = {gap_key(g) for g in gaps_before}, {gap_key(g) for g in gaps_after}
    out.closed = [g for g in gaps_before if gap_key(g) not in now]
    out.opened = [g for g in gaps_after if gap_key(g) not in was]
    return out


# -- charts over time ------------------------------------------------------------------------

def week_starts(first: dt.date, today: dt.date) -> list[dt.date]:
    """The Mondays from the week of `first` to the week of `today`."""
    start = first - dt.timedelta(days=first.weekday())
    return [start + dt.timedelta(weeks=n)
            for n in range((today - start).days // WEEK_DAYS + 1)]


def weekly_states(changes: list[dict], today: dt.date) -> list[tuple[dt.date, MapState]]:
    """(Monday, the map at the end of that week or today if sooner) for every week of the
    history, in one pass."""
    if not changes:
        return []
    first = dt.date.fromtimestamp(changes[0]["at"])
    state, out, position = MapState(), [], 0
    for monday in week_starts(first, today):
        moment = end_of(min(monday + dt.timedelta(days=WEEK_DAYS - 1), today))
        while position < len(changes) and changes[position]["at"] <= moment:
            apply(state, changes[position])
            position += 1
        out.append((monday, MapState(dict(state.map), {i: dict(r) for i, r in
                                                        state.entries.items()}, {}, {})))
    return out


def ladder_by_week(weekly: list[tuple[dt.date, MapState]]) -> list[dict]:
    """Entries per stage per level at the end of each week: rows {week, level, stage, n}."""
    rows = []
    for monday, state in weekly:
        counts = Counter((e["level"], e.get("stage")) for e in state.entries.values())
        rows += [{"week": monday, "level": level, "stage": stage, "n": counts[level, stage]}
                 for level in LEVELS for stage in STAGES]
    return rows


def one_on_ones_by_week(actions: list[dict], weeks: list[dt.date]) -> list[dict]:
    """One-on-ones held (done) per week against the plan (every one-on-one action dated in
    that week, whatever became of it): rows {week, planned, held}."""
    planned, held = Counter(), Counter()
    for a in actions:
        if a.get("kind") != "one_on_one":
            continue
        if (due := _date(a.get("due_on"))) is not None:
            planned[due - dt.timedelta(days=due.weekday())] += 1
        if a.get("status") == "done" and (day := action_day(a)) is not None:
            held[day - dt.timedelta(days=day.weekday())] += 1
    return [{"week": w, "planned": planned[w], "held": held[w]} for w in weeks]


def community_coverage_by_week(weekly: list[tuple[dt.date, MapState]],
                               wanted: list[str]) -> list[dict]:
    """For each community the team wants now (its list may be newer than the entries), how many
    of our people (a direct tie, at a level that reaches communities) reached it at the end of
    each week: rows {week, community, n}."""
    rows = []
    for monday, state in weekly:
        reach = Counter(tag.casefold() for e in state.entries.values()
                        if e["level"] in REACH_LEVELS and is_ours(e) for tag in tags(e))
        rows += [{"week": monday, "community": tag, "n": reach[tag.casefold()]} for tag in wanted]
    return rows


def days_to_one_on_one(changes: list[dict]) -> list[dict]:
    """For each entry that reached "one-on-one held" (or above) after being on the map below it:
    the days from being added (identified) to that stage. Rows {entry_id, name, level, days},
    quickest first."""
    added_at, name, level, reached = {}, {}, {}, {}
    for change in changes:
        if change["subject"] != "entry" or change["change"] not in ("added", "changed"):
            continue
        key, fields = change["subject_id"], change["fields"]
        if change["change"] == "added":
            added_at[key], name[key], level[key] = change["at"], fields.get("name", ""), \
                fields.get("level", "")
            if STAGE_ORDER.index(fields.get("stage", "identified")) >= HELD:
                reached[key] = None  # already past it when added: no time to measure
            continue
        name[key] = fields.get("name", name.get(key, ""))
        stage = fields.get("stage")
        if stage in STAGES and STAGE_ORDER.index(stage) >= HELD and key not in reached \
                and key in added_at:
            reached[key] = change["at"]
    rows = [{"entry_id": key, "name": name[key], "level": level[key],
             "days": round((at - added_at[key]) / 86400, 1)}
            for key, at in reached.items() if at is not None]
    return sorted(rows, key=lambda r: (r["days"], r["name"].lower()))


def summed(per_map: list[list[dict]], keys: tuple[str, ...],
           values: tuple[str, ...]) -> list[dict]:
    """Several maps' rows of one chart added up by `keys` (the whole workshop's chart); a map
    with no row for a key (a week before its history began) adds nothing."""
    total: dict = defaultdict(lambda: dict.fromkeys(values, 0))
    for rows in per_map:
        for row in rows:
            sums = total[tuple(row[k] for k in keys)]
            for v in values:
                sums[v] += row[v]
    return [{**dict(zip(keys, key)), **sums} for key, sums in total.items()]
