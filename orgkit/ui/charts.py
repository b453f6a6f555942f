"""Streamlit helpers for the coverage page: cached analysis, lazily built figures, the gap list,
the network's people, downloads.

The analysis of a map is computed once per (database URL, map, revision, day) and shared by every
session through one process-wide cache bounded in bytes (`VIEWS`): a revision only moves when the
map is written, the day makes overdue steps and "this month" roll over, and the URL keeps tests
with different databases (and a second app server) apart. A map keeps only its newest revision
(nobody asks for an older one again), and beyond VIEW_CACHE_BYTES the least recently used views
go; a view's size is estimated from a sample of its rows (measuring every object would cost more
than the analysis). Figures are built on first request, when a view that shows them is opened,
kept in that cached view for everyone after, and counted in its size; building two at once in
two sessions only repeats a few milliseconds of work. Figures are returned, not copied:
st.plotly_chart only serialises them. Downloads are generated when clicked (a callable), not on
every run; a PNG goes through one warm headless Chromium (figures.to_png).
"""
from __future__ import annotations

import datetime as dt
import functools
import sys
import threading
from collections import Counter, OrderedDict

import plotly.graph_objects as go
import streamlit as st

from .. import coverage, figures, maps
from ..domain import LEVELS, Actor, OrgKitError
from ..storage import Store
from . import escape, escape_message, show_error

# What each figure is built from: the cached view of a map or of a workshop. Both views carry
# the same results under the same keys, so the charts they share have one builder each.
SHARED_FIGURES = {
    "coverage": lambda view: figures.coverage_by_level(view["coverage"]),
    "ladder": lambda view: figures.ladder_funnel(view["ladder"]),
    "strength": lambda view: figures.strength_by_level(view["strength"]),
    "gatekeepers": lambda view: figures.gatekeeper_share(view["gatekeepers"]),
    "constituencies": lambda view: figures.constituency_heatmap(view["constituencies"], view["wanted"]),
    "activity": lambda view: figures.activity(view["activity"]),
}
MAP_FIGURES = SHARED_FIGURES | {
    "network": lambda view: figures.network_graph(view["entries"], view["links"], view["network"]),
    "network_narrow": lambda view: figures.network_graph(view["entries"], view["links"],
                                                         view["network"], narrow=True),
    "power_grid": lambda view: figures.power_grid(view["power_grid"]),
    "power_grid_narrow": lambda view: figures.power_grid(view["power_grid"], narrow=True),
}
WORKSHOP_FIGURES = SHARED_FIGURES | {"small_multiples": figures.workshop_small_multiples}

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
        elif isinstance(o, go.Figure):
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

    def resize(self, key: tuple) -> None:
        """Measure a view again after a figure was added to it."""
        with self._lock:
            if key in self._views:
                self._resize(key)

    def _resize(self, key: tuple) -> None:
        family, view, old = self._views[key]
        new = approx_bytes(view)
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


def _build_map_view(store: Store, map_id: int, day: str) -> dict:
    map_row = store.maps.get(map_id)
    entries, links = store.maps.entries(map_id), store.maps.links(map_id)
    involved = store.maps.action_entries(map_id)  # who each one-on-one was with
    actions = [{**a, "entry_ids": involved.get(a["id"], [])} for a in store.maps.actions(map_id)]
    result = coverage.analyse_map(map_row, entries, links, actions, today=dt.date.fromisoformat(day))
    result.update(map=map_row, entries=entries, links=links, figures={}, builders=MAP_FIGURES)
    return result


def map_view(store: Store, url: str, map_id: int, revision: int, day: str) -> dict:
    """One map's analysis (keyed by URL, map, revision and day; the store is not a key)."""
    key = (url, "map", map_id, revision, day)
    view = VIEWS.get(key, (url, "map", map_id), lambda: _build_map_view(store, map_id, day))
    view["cache_key"] = key
    return view


def workshop_view(store: Store, url: str, workshop_id: int, revisions: tuple) -> dict:
    """The shareable workshop view, rebuilt when any of its maps' revisions moves."""
    def build():
        summary = coverage.workshop_summary(store.maps.for_workshop(workshop_id),
                                            store.maps.shared_rows(workshop_id),
                                            store.maps.shared_actions_done(workshop_id))
        summary.update(figures={}, builders=WORKSHOP_FIGURES)
        return summary
    key = (url, "workshop", workshop_id, revisions)
    view = VIEWS.get(key, (url, "workshop", workshop_id), build)
    view["cache_key"] = key
    return view


def figure(view: dict, name: str, build=None):
    """One figure of a cached view, built the first time anyone asks for it (by its builder,
    or by `build` for a figure that is not one of the view's named charts)."""
    fig = view["figures"].get(name)
    if fig is None:
        fig = view["figures"][name] = (build or view["builders"][name])(view)
        VIEWS.resize(view["cache_key"])
    return fig


def load_map(store: Store, actor: Actor, map_id: int) -> dict:
    """The cached view of one map at its current revision, for those allowed to see it: its
    team and its workshop's facilitator (maps.get_map, the rule every map read goes through)."""
    map_row = maps.get_map(store, actor, map_id)
    return map_view(store, store.url, map_id, map_row["revision"], dt.date.today().isoformat())


def load_workshop(store: Store, workshop_id: int) -> dict:
    """The cached workshop view at the current revisions of its maps."""
    revisions = tuple((m["id"], m["revision"]) for m in store.maps.for_workshop(workshop_id))
    return workshop_view(store, store.url, workshop_id, revisions)


def _html(fig) -> str:
    # The whole plotly.js goes in, so the file opens offline (about 5 MB).
    return fig.to_html(include_plotlyjs=True, full_html=True)


def chart(view: dict, name: str, key: str, filename: str, build=None) -> None:
    """One figure of a cached view, with its HTML (and, where possible, PNG) download beside it."""
    fig = figure(view, name, build)
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    with st.container(horizontal=True):
        st.download_button("Download chart (HTML)", data=functools.partial(_html, fig),
                           file_name=f"{filename}.html", mime="text/html", key=f"dl_{key}",
                           icon=":material/download:", on_click="ignore")
        if figures.png_available():
            # One Chromium for every PNG of this server: only the first waits for it to start.
            st.download_button("PNG", data=functools.partial(figures.to_png, fig),
                               file_name=f"{filename}.png", mime="image/png", key=f"png_{key}",
                               icon=":material/image:", on_click="ignore",
                               help="The chart as a picture, for slides and documents")


# -- the gap list ----------------------------------------------------------------------------------

GROUP_SHOWN = 3  # gaps shown per kind while every kind is listed
KIND_SHOWN = 30  # gaps shown when one kind is chosen (the CSV has them all)
ALL = "All"


def _make_next_step(store: Store, actor: Actor, view: dict, entry: dict, text: str) -> None:
    # A button's callback: runs before the rerun, so the map's new revision shows at once.
    due = dt.date.today() + dt.timedelta(days=coverage.NEXT_STEP_DAYS)
    try:
        maps.update_entry(store, actor, view["map"]["id"], entry["id"], entry["version"],
                          {"next_step": text, "next_step_on": due.isoformat()})
    except OrgKitError as exc:
        st.session_state["gap_step_error"] = str(exc)
    else:
        owner = (entry.get("point_person") or "").strip()
        st.session_state["gap_step_saved"] = (
            f"Saved as {entry['name']}'s next step, due {due.isoformat()}"
            + (f" (point person: {owner})." if owner else "."))


def gap_list(store: Store, actor: Actor, view: dict) -> None:
    """The gaps grouped by kind with counts, filtered by kind, level and point person, the most
    urgent first; each a wrapping card with its step and a button that makes the step the
    next step of the entry it names first."""
    gaps = view["gaps"]
    st.caption(escape_message(coverage.DIRECT_TIE))
    if (saved := st.session_state.pop("gap_step_saved", None)) is not None:
        st.success(escape_message(saved))
    if (error := st.session_state.pop("gap_step_error", None)) is not None:
        show_error(OrgKitError(error))
    if not gaps:
        st.success("No gaps found on this map.")
        return
    counts = Counter(g.kind for g in gaps)
    kinds = list(dict.fromkeys(g.kind for g in gaps))  # by each kind's most urgent gap
    owners = sorted({g.point_person for g in gaps if g.point_person}, key=str.lower)
    with st.container(horizontal=True):
        kind = st.selectbox("Kind of gap", [ALL, *kinds], key="gap_kind",
                            format_func=lambda k: ALL if k == ALL else
                            f"{coverage.GAP_KINDS[k]} ({counts[k]})")
        level = st.selectbox("Level", [ALL, *LEVELS], key="gap_level",
                             format_func=lambda lv: LEVELS.get(lv, ALL))
        owner = st.selectbox("Point person", [ALL, *owners], key="gap_owner")
    chosen = [(rank, g) for rank, g in enumerate(gaps, 1)
              if (kind == ALL or g.kind == kind) and (level == ALL or g.level == level)
              and (owner == ALL or g.point_person == owner)]
    st.markdown(f"**{len(chosen)} of {len(gaps)} gaps** · "
                + " · ".join(f"{coverage.GAP_KINDS[k]}: {n}" for k, n in
                             Counter(g.kind for _, g in chosen).most_common()))
    by_id = {e["id"]: e for e in view["entries"]}
    for k in kinds:
        group = [(rank, g) for rank, g in chosen if g.kind == k]
        if not group:
            continue
        limit = KIND_SHOWN if kind == k else GROUP_SHOWN
        st.markdown(f"#### {coverage.GAP_KINDS[k]} ({len(group)})")
        for rank, gap in group[:limit]:
            _gap_card(store, actor, view, by_id, rank, gap)
        if len(group) > limit:
            st.caption(f"{limit} of {len(group)} shown, most urgent first: choose this kind above "
                       "to see more, or download the gap list for all of them.")
    left, right = st.columns(2)
    left.download_button("Download the gap list (CSV)", data=functools.partial(coverage.gaps_csv, gaps),
                         file_name="gaps.csv", mime="text/csv", on_click="ignore", key="dl_gaps",
                         icon=":material/download:")
    right.download_button(
        "Download the review report (HTML)", on_click="ignore", icon=":material/download:",
        data=functools.partial(coverage.review_report, view["map"], view, today=dt.date.today()),
        file_name="coverage-review.html", mime="text/html", key="dl_review")


def _gap_card(store: Store, actor: Actor, view: dict, by_id: dict, rank: int, gap) -> None:
    with st.container(border=True):
        about = [f"**{rank}. {escape(gap.subject)}**"]
        if gap.level:
            about.append(escape(LEVELS[gap.level]))
        if gap.point_person:
            about.append(f"point person: {escape(gap.point_person)}")
        st.markdown(" · ".join(about))
        st.markdown(f"{escape_message(gap.reason)}  \n**Next step:** {escape_message(gap.next_step)}")
        entry = by_id.get(gap.people[0]) if gap.people else None
        if entry is not None:
            st.button(f"Make this {escape(entry['name'])}'s next step", key=f"gap_step_{rank}",
                      icon=":material/event:", on_click=_make_next_step,
                      args=(store, actor, view, entry, coverage.as_next_step(gap)),
                      help=f"Sets their next step to this text, due in {coverage.NEXT_STEP_DAYS} "
                           "days; their point person stays the owner.")


# -- the network's people --------------------------------------------------------------------------

def narrow_screen() -> bool:
    """Whether the browser says it is a phone ("Mobile" in its user agent, as Android and iOS
    browsers send): the charts that name people in cells then draw fewer, shorter labels."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")


def people(view: dict) -> list[dict]:
    """The people table of a map view, measured once per revision."""
    if "people" not in view:
        view["people"] = coverage.people_metrics(view["entries"], view["network"])
        VIEWS.resize(view["cache_key"])
    return view["people"]


NO_FOCUS = 0  # entry ids start at 1
CUT_ROWS = 50  # cut points listed, most damaging first


def network_section(view: dict) -> None:
    """The network (or one person's neighbourhood), who holds it together and what breaks if
    they leave, and the sortable people table."""
    st.caption(escape_message(coverage.DIRECT_TIE))
    entries = {e["id"]: e for e in view["entries"]}
    order = sorted(entries, key=lambda i: entries[i]["name"].lower())
    focus = st.selectbox("Focus on one person", [NO_FOCUS, *order], key="network_focus",
                         format_func=lambda i: "Everyone" if i == NO_FOCUS else
                         f"{entries[i]['name']} ({LEVELS[entries[i]['level']]})",
                         help="Their neighbourhood within two links, and how they connect to us.")
    narrow = narrow_screen()
    if focus == NO_FOCUS or focus not in entries:
        chart(view, "network_narrow" if narrow else "network", "network", "network")
    else:
        chart(view, f"focus_{focus}" + ("_narrow" if narrow else ""), "network_focus_chart",
              "network-focus", build=lambda v: figures.network_graph(
                  v["entries"], v["links"], v["network"], focus=focus, narrow=narrow))
        path = coverage.warm_path(view["network"], entries, focus)
        st.markdown("**How they connect to our team:** " + (
            escape_message(path) if path else "no path from anyone of ours yet."))
    cuts = view["cut_points"]
    if cuts:
        st.subheader(f"{len(cuts)} people or groups hold the network together", divider="gray")
        st.caption("If one of them leaves, the entries, communities and decision-makers below are "
                   "cut off from us" + (f"; the {CUT_ROWS} who would cut off the most are listed."
                                        if len(cuts) > CUT_ROWS else "."))
        st.dataframe([{"Who": c["name"], "Level": LEVELS[c["level"]], "Entries cut off": c["cut_off"],
                       "Communities lost": "; ".join(c["communities"]),
                       "Decision-makers lost": "; ".join(c["decision_makers"])}
                      for c in cuts[:CUT_ROWS]],
                     hide_index=True, width="stretch", key="cut_points_table")
    rows = people(view)
    st.subheader("People by connections", divider="gray")
    st.caption("Links: entries linked to them. Betweenness: how often they lie on the shortest "
               "paths between others (node size in the drawing)"
               + (f"; estimated from {coverage.BETWEENNESS_SAMPLES} starting points on a map "
                  "this size" if len(entries) > coverage.DRAW_LIMIT else "")
               + ". Within two links: how many entries they reach through one other. Click a "
                 "column to sort.")
    st.dataframe([{"Name": r["name"], "Level": LEVELS[r["level"]], "Links": r["degree"],
                   "Betweenness": r["betweenness"], "Within two links": r["reach"],
                   "Direct tie": r["ours"], "Cut point": r["cut_point"]} for r in rows],
                 hide_index=True, width="stretch", key="people_table")


def power_section(view: dict) -> None:
    """The power grid, and the same people in a list (a cell's names, on any screen)."""
    st.caption(escape_message(coverage.DIRECT_TIE))
    chart(view, "power_grid_narrow" if narrow_screen() else "power_grid", "power_grid", "power-grid")
    rows = view["power_grid"]
    placed = [r for r in rows if r["quadrant"]]
    if len(placed) < len(rows):
        st.caption(f"{len(rows) - len(placed)} with only a stance or only an influence are not "
                   "placed: set both on their entry.")
    if not rows:
        st.info("Set a stance and an influence on leaders, organizations and decision-makers "
                "(on the map) to place them here.")
        return
    st.dataframe([{"Name": r["name"], "Level": LEVELS[r["level"]], "What to do": r["quadrant"],
                   "Stance": figures.STANCE_NAMES.get(r["stance"], ""), "Influence": r["influence"],
                   "From us": figures.DISTANCE_LABELS[figures.distance_band(r["distance"])]}
                  for r in sorted(placed, key=lambda r: (r["quadrant"], -r["influence"], r["name"]))],
                 hide_index=True, width="stretch", key="power_table")
