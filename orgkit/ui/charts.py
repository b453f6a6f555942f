"""Streamlit helpers for the coverage page: cached analysis, lazily built figures, downloads.

The analysis of a map is computed once per (database URL, map, revision, day) and shared by every
session through st.cache_resource: a revision only moves when the map is written, the day makes
overdue steps and "this month" roll over, and the URL keeps tests with different databases (and a
second app server) apart. Figures are built on first request, when a view that shows them is
opened, and kept in that cached view for everyone after; building two at once in two sessions
only repeats a few milliseconds of work. Figures are returned, not copied: st.plotly_chart only
serialises them. Downloads are generated when clicked (a callable), not on every run; a PNG
drives a headless Chromium through kaleido and is only offered where kaleido finds one.
"""
from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from .. import coverage, figures, maps
from ..domain import Actor
from ..storage import Store

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
    "power_grid": lambda view: figures.power_grid(view["power_grid"]),
}
WORKSHOP_FIGURES = SHARED_FIGURES | {"small_multiples": figures.workshop_small_multiples}


@st.cache_resource(show_spinner=False, max_entries=32)
def map_view(_store: Store, url: str, map_id: int, revision: int, day: str) -> dict:
    """One map's analysis (keyed by URL, map and revision; the store is not a key)."""
    map_row = _store.maps.get(map_id)
    entries, links = _store.maps.entries(map_id), _store.maps.links(map_id)
    actions = _store.maps.actions(map_id)
    result = coverage.analyse_map(map_row, entries, links, actions, today=dt.date.fromisoformat(day))
    result.update(map=map_row, entries=entries, links=links, figures={}, builders=MAP_FIGURES)
    return result


@st.cache_resource(show_spinner=False, max_entries=16)
def workshop_view(_store: Store, url: str, workshop_id: int, revisions: tuple) -> dict:
    """The shareable workshop view, rebuilt when any of its maps' revisions moves."""
    summary = coverage.workshop_summary(_store.maps.for_workshop(workshop_id),
                                        _store.maps.shared_rows(workshop_id),
                                        _store.maps.shared_actions_done(workshop_id))
    summary.update(figures={}, builders=WORKSHOP_FIGURES)
    return summary


def figure(view: dict, name: str):
    """One figure of a cached view, built the first time anyone asks for it."""
    fig = view["figures"].get(name)
    if fig is None:
        fig = view["figures"][name] = view["builders"][name](view)
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


def chart(view: dict, name: str, key: str, filename: str) -> None:
    """One figure of a cached view, with its HTML (and, where possible, PNG) download beside it."""
    fig = figure(view, name)
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    with st.container(horizontal=True):
        st.download_button("Download chart (HTML)", data=functools.partial(_html, fig),
                           file_name=f"{filename}.html", mime="text/html", key=f"dl_{key}",
                           icon=":material/download:", on_click="ignore")
        if figures.png_available():
            # A PNG starts a headless Chromium (2-3 s): only when clicked, in its own thread.
            st.download_button("PNG", data=functools.partial(figures.to_png, fig),
                               file_name=f"{filename}.png", mime="image/png", key=f"png_{key}",
                               icon=":material/image:", on_click="ignore",
                               help="The chart as a picture, for slides and documents")
