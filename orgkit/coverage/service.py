"""The coverage service: each map's analysis (and the workshop's) computed once per (database URL,
map, revision, day) and shared by every session through one process-wide cache bounded in bytes
(`VIEWS`).

A revision only moves when the map is written, the day makes overdue steps and "this month" roll
over, and the URL keeps tests with different databases (and a second app server) apart. A map
keeps only its newest revision (nobody asks for an older one again), and beyond VIEW_CACHE_BYTES
the least recently used views go; a view's size is estimated from a sample of its rows
(measuring every object would cost more than the analysis). Figures are built on first request,
when a view that shows them is opened, kept in that cached view (one per name and language) for
everyone after, and counted in its size; building two at once in two sessions only repeats a
few milliseconds of work.
Figures are returned, not copied: st.plotly_chart only serialises them.
"""
from __future__ import annotations

import datetime as dt
import sys
import threading
from collections import OrderedDict

import plotly.graph_objects as go

from ..domain import Actor, today
from ..i18n import DEFAULT_LANGUAGE
from ..map import service as maps
from ..map.model import MapView
from ..storage import Store
from . import analytics, figures, model, network_figure, room

# What each figure is built from: the cached view of a map or of a workshop, and the reader's
# language. Both views carry the same results under the same keys, so the charts they share have
# one builder each.
SHARED_FIGURES = {
    "coverage": lambda view, lang: figures.coverage_by_level(view["coverage"], lang),
    "ladder": lambda view, lang: figures.ladder_funnel(view["ladder"], lang),
    "strength": lambda view, lang: figures.strength_by_level(view["strength"], lang),
    "gatekeepers": lambda view, lang: figures.gatekeeper_share(view["gatekeepers"], lang),
    "constituencies": lambda view, lang: figures.constituency_heatmap(
        view["constituencies"], view["wanted"], language=lang),
    "activity": lambda view, lang: figures.activity(view["activity"], lang),
}


MAP_FIGURES = SHARED_FIGURES | {
    "network": lambda view, lang: network_figure.network_graph(
        view["entries"], view["links"], view["network"], language=lang),
    "network_narrow": lambda view, lang: network_figure.network_graph(
        view["entries"], view["links"], view["network"], narrow=True, language=lang),
    "power_grid": lambda view, lang: figures.power_grid(view["power_grid"], language=lang),
    "power_grid_narrow": lambda view, lang: figures.power_grid(view["power_grid"], narrow=True,
                                                               language=lang),
}


def _projected(build):
    return lambda view, lang: figures.projected(build(view, lang))


# The workshop's view is the one safe to project: its charts' text is projector-sized.
# On a phone the same charts at a phone's sizes (orgkit.ui.charts draws them on a narrow
# screen): a phone is not a projector, and 18 px text overlaps in a 360 px chart.
WORKSHOP_PHONE_FIGURES = SHARED_FIGURES | {"small_multiples": figures.workshop_small_multiples}
WORKSHOP_FIGURES = {name: _projected(build) for name, build in WORKSHOP_PHONE_FIGURES.items()}


# Looked up once: plotly resolves go.Figure lazily on every attribute read, and the estimate
# below asks for it once per object it measures.
FIGURE = go.Figure
VIEW_CACHE_BYTES = 256 * 2 ** 20  # every cached view and its figures together, estimated


SAMPLE = 48  # items of a long list or dict measured to estimate the whole


def approx_bytes(obj: object) -> int:
    """Estimated memory of an object graph: containers longer than SAMPLE are measured on
    SAMPLE evenly spaced items and scaled up (rows of one map are alike)."""
    seen: set[int] = set()

    def size(o) -> float:
        if id(o) in seen:
            return 0
        seen.add(id(o))
        total = sys.getsizeof(o)
        if isinstance(o, dict):
            items = _sample(o.items(), len(o))
            part = sum(size(k) + size(v) for k, v in items)
        elif isinstance(o, (list, tuple, set, frozenset)):
            items = _sample(o, len(o))
            part = sum(size(v) for v in items)
        elif isinstance(o, FIGURE):
            return total + size(o._data) + size(o._layout)  # the plain lists plotly keeps
        elif hasattr(o, "__dict__") and not isinstance(o, type):
            return total + size(vars(o))
        else:
            return total
        return total + (part * len(o) / len(items) if items else 0)

    return int(size(obj))


def _sample(items, length: int) -> list:
    if length <= SAMPLE:
        return list(items)
    step = length / SAMPLE  # evenly spread, off the first item (our team's node is first)
    picks = {int(step * (i + 0.5)) for i in range(SAMPLE)}
    return [item for i, item in enumerate(items) if i in picks]


class ViewCache:
    """Process-wide least-recently-used views, bounded in estimated bytes, one revision per
    map (or workshop). `peak` is the most it ever held."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._views: OrderedDict = OrderedDict()  # key -> (family, view, bytes)
        self._lock = threading.Lock()
        self.bytes = self.peak = 0

    def get(self, key: tuple, family: tuple, build) -> dict:
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key][1]
        view = build()  # outside the lock: another map's readers need not wait for this one
        with self._lock:
            for old in [k for k, (fam, _, _) in self._views.items() if fam == family and k != key]:
                self._drop(old)  # an older revision of the same map: never asked for again
            if key not in self._views:
                self._views[key] = (family, view, 0)
            self._resize(key)
            return self._views[key][1]

    def grow(self, key: tuple, added: object) -> None:
        """Count what was added to a cached view (a figure, a measure computed on first read):
        only the new object is measured, not the whole view again."""
        size = approx_bytes(added)
        with self._lock:
            if key in self._views:
                self._resize(key, size)

    def _resize(self, key: tuple, added: int | None = None) -> None:
        family, view, old = self._views[key]
        new = approx_bytes(view) if added is None else old + added
        self._views[key] = (family, view, new)
        self.bytes += new - old
        while self.bytes > self.max_bytes and len(self._views) > 1:
            oldest = next(iter(self._views))
            if oldest == key:
                break  # the view just asked for stays, whatever its size
            self._drop(oldest)
        self.peak = max(self.peak, self.bytes)

    def _drop(self, key: tuple) -> None:
        self.bytes -= self._views.pop(key)[2]

    def clear(self) -> None:
        with self._lock:
            self._views.clear()
            self.bytes = 0


VIEWS = ViewCache(VIEW_CACHE_BYTES)


def build_map_view(store: Store, actor: Actor, map_id: int, day: str) -> dict:
    """One map's analysis, uncached, read through the map's access rule (maps.load_map)."""
    view = maps.load_map(store, actor, map_id)
    result = analytics.analyse_map(view.map, view.entries, view.links, view.actions,
                                  today=dt.date.fromisoformat(day))
    result.update(map=view.map, entries=view.entries, links=view.links, actions=view.actions,
                  figures={},
                  builders=MAP_FIGURES)
    return result


def figure(view: dict, name: str, build=None, language: str = DEFAULT_LANGUAGE):
    """One figure of a cached view in `language`, built the first time anyone asks for it in
    that language (by its builder, or by `build(view, language)` for a figure that is not one of
    the view's named charts)."""
    fig = view["figures"].get((name, language))
    if fig is None:
        fig = view["figures"][name, language] = (build or view["builders"][name])(view, language)
        VIEWS.grow(view["cache_key"], fig)
    return fig


def load_map(store: Store, actor: Actor, map_id: int) -> dict:
    """The cached view of one map at its current revision (keyed by URL, map, revision and day;
    the store is not a key), for those allowed to see it: its team and its workshop's
    facilitator (maps.get_map, the rule every map read goes through, checked on every call)."""
    revision = maps.get_map(store, actor, map_id)["revision"]
    day = today().isoformat()
    key = (store.url, "map", map_id, revision, day)

    def build() -> dict:
        view = build_map_view(store, actor, map_id, day)
        view["cache_key"] = key
        view.filled = lambda value: VIEWS.grow(key, value)  # a measure computed later counts
        return view
    return VIEWS.get(key, (store.url, "map", map_id), build)


def load_workshop(store: Store, actor: Actor) -> dict:
    """The actor's workshop's shareable view (totals and organization names, no one's details),
    cached until any of its maps' revisions moves."""
    workshop_id = actor.workshop_id

    def build():
        summary = analytics.workshop_summary(*maps.workshop_rows(store, actor))
        summary.update(figures={}, builders=WORKSHOP_FIGURES)
        return summary
    revisions = tuple((m["id"], m["revision"]) for m in maps.team_maps(store, actor))
    key = (store.url, "workshop", workshop_id, revisions)
    view = VIEWS.get(key, (store.url, "workshop", workshop_id), build)
    view["cache_key"] = key
    return view


def take_step(store: Store, actor: Actor, map_id: int, entry: dict, step: str,
              how: str) -> tuple[dict, dict, int]:
    """Make a gap's step the next step of `entry` (as loaded, with its version) by the rule of
    model.step_change; returns (the fields before, the fields written, the new version), so
    that one click can undo it (maps.update_entry with the first at that version)."""
    fields = model.step_change(entry, step, how, today())
    version = maps.update_entry(store, actor, map_id, entry["id"], entry["version"], fields)
    return {name: entry.get(name) for name in fields}, fields, version


def people(view: dict) -> list[dict]:
    """The people table of a map view, measured once per revision."""
    if "people" not in view:
        view["people"] = analytics.people_metrics(view["entries"], view["network"])
        VIEWS.grow(view["cache_key"], view["people"])
    return view["people"]


# -- the room's views on the seminar's later steps (orgkit.coverage.room) ------------------------

ROOM_VIEWS = {"power": lambda maps, today: room.power(maps),
              "engage": room.engage,
              "report_back": room.report_back}


def room_view(store: Store, actor: Actor, name: str):
    """One of the room's views (ROOM_VIEWS: "power", "engage", "report_back") of the actor's
    workshop, for anyone in it: counts, offices, levels and communities, never a person's name.
    The maps are read once per set of map revisions and day (one small read of the revisions
    per call, so a poll that finds nothing moved costs that read), and each view is built on
    first request and shared by every session."""
    workshop_id = actor.workshop_id
    revisions = tuple((m["id"], m["revision"]) for m in maps.team_maps(store, actor))
    day = today().isoformat()
    key = (store.url, "room", workshop_id, revisions, day)
    cached = VIEWS.get(key, (store.url, "room", workshop_id),
                       lambda: {"maps": maps.room_contents(store, actor), "views": {}})
    if name not in cached["views"]:
        cached["views"][name] = ROOM_VIEWS[name](cached["maps"], dt.date.fromisoformat(day))
        VIEWS.grow(key, cached["views"][name])
    return cached["views"][name]


TEAM_VIEWS = {"power": room.team_power, "engage": room.team_actions}


def team_room_view(store: Store, actor: Actor, map_id: int, name: str) -> list:
    """The team's own side of a room view (TEAM_VIEWS: "power", its decision-makers and our tie
    to each; "engage", its planned actions), for those allowed to open the map (its team, the
    facilitator): names included, built once per map revision in the map's cached view."""
    view = load_map(store, actor, map_id)
    built = view.setdefault("room", {})
    if name not in built:
        built[name] = TEAM_VIEWS[name](MapView(view["map"], view["map"]["revision"],
                                               view["entries"], view["links"], view["actions"]))
        VIEWS.grow(view["cache_key"], built[name])
    return built[name]
