"""Streamlit helpers for the coverage page: cached analysis and figures, charts with downloads.

The analysis and figures of a map are built once per (database URL, map, revision, day) and
shared by every session through st.cache_resource: a revision only moves when the map is written,
the day makes overdue steps and "this month" roll over, and the URL keeps tests with different
databases (and a second app server) apart. Figures are returned, not copied: st.plotly_chart
only serialises them. Downloads are generated when clicked (a callable), not on every run.
"""
from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from .. import coverage, figures
from ..domain import Actor, NotFound
from ..storage import Store

MAP_FIGURES = ("coverage", "ladder", "strength", "gatekeepers", "constituencies", "network",
               "power_grid", "activity")


@st.cache_resource(show_spinner=False, max_entries=32)
def map_view(_store: Store, url: str, map_id: int, revision: int, day: str) -> dict:
    """One map's analysis and figures (keyed by URL, map and revision; the store is not a key)."""
    map_row = _store.maps.get(map_id)
    entries, links = _store.maps.entries(map_id), _store.maps.links(map_id)
    actions = _store.maps.actions(map_id)
    result = coverage.analyse_map(map_row, entries, links, actions, today=dt.date.fromisoformat(day))
    result["map"] = map_row
    result["figures"] = {
        "coverage": figures.coverage_by_level(result["coverage"]),
        "ladder": figures.ladder_funnel(result["ladder"]),
        "strength": figures.strength_by_level(result["strength"]),
        "gatekeepers": figures.gatekeeper_share(result["gatekeepers"]),
        "constituencies": figures.constituency_heatmap(result["constituencies"]),
        "network": figures.network_graph(entries, links, result["network"]),
        "power_grid": figures.power_grid(result["power_grid"]),
        "activity": figures.activity(result["activity"]),
    }
    return result


@st.cache_resource(show_spinner=False, max_entries=16)
def workshop_view(_store: Store, url: str, workshop_id: int, revisions: tuple) -> dict:
    """The shareable workshop view, rebuilt when any of its maps' revisions moves."""
    summary = coverage.workshop_summary(_store.maps.for_workshop(workshop_id),
                                        _store.maps.shared_rows(workshop_id))
    summary["figures"] = {
        "small_multiples": figures.workshop_small_multiples(summary),
        "coverage": figures.coverage_by_level(summary["coverage"]),
        "gatekeepers": figures.gatekeeper_share(summary["gatekeepers"]),
        "constituencies": figures.constituency_heatmap(summary["constituencies"]),
    }
    return summary


def load_map(store: Store, url: str, actor: Actor, map_id: int) -> dict:
    """The cached view of one map at its current revision, for those allowed to see it."""
    map_row = store.maps.get(map_id)
    if map_row is None:
        raise NotFound("That map no longer exists.")
    coverage.check_map_access(actor, map_row)
    return map_view(store, url, map_id, map_row["revision"], dt.date.today().isoformat())


def load_workshop(store: Store, url: str, workshop_id: int) -> dict:
    """The cached workshop view at the current revisions of its maps."""
    revisions = tuple((m["id"], m["revision"]) for m in store.maps.for_workshop(workshop_id))
    return workshop_view(store, url, workshop_id, revisions)


def _html(fig) -> str:
    # The whole plotly.js goes in, so the file opens offline (about 5 MB).
    return fig.to_html(include_plotlyjs=True, full_html=True)


def chart(fig, key: str, filename: str) -> None:
    """A figure with its HTML download beside it."""
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    st.download_button("Download chart (HTML)", data=functools.partial(_html, fig),
                       file_name=f"{filename}.html", mime="text/html", key=f"dl_{key}",
                       icon=":material/download:", on_click="ignore")
