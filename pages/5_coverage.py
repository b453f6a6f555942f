"""Coverage and gaps: one team's map in full (its team, or the facilitator choosing a map), and
the workshop-wide view that is safe to project (counts, levels, stages, organization names)."""
import datetime as dt
import functools

import streamlit as st

from orgkit import communities, coverage, ui
from orgkit.domain import LEVELS, OrgKitError, Role
from orgkit.figures import SHORT_LEVELS
from orgkit.ui import charts

ctx = ui.page("Coverage and gaps")

st.title("Coverage and gaps")
if ctx.workshop is None:
    st.info("Open a workshop (join code) or a team map (its private link) to see coverage.")
    st.stop()

WORKSHOP = "Whole workshop (safe to project)"


def workshop_section() -> None:
    view = charts.load_workshop(ctx.store, ctx.workshop.id)
    total = sum(view["coverage"][lv]["total"] for lv in LEVELS)
    # A wrapping row, not columns: on a phone columns stack one figure per screen line.
    with st.container(horizontal=True, gap="medium"):
        st.metric("Entries on all maps", total, width="content")
        for level in LEVELS:
            cov = view["coverage"][level]
            st.metric(SHORT_LEVELS[level], cov["total"], width="content",
                      help=f"{LEVELS[level]}. Target across the teams: {cov['target']}")
    charts.chart(view, "small_multiples", "ws_multiples", "workshop-maps")
    left, right = st.columns(2)
    with left:
        charts.chart(view, "coverage", "ws_coverage", "workshop-coverage")
        charts.chart(view, "strength", "ws_strength", "workshop-strength")
    with right:
        charts.chart(view, "ladder", "ws_ladder", "workshop-ladder")
        charts.chart(view, "gatekeepers", "ws_gatekeepers", "workshop-gatekeepers")
    charts.chart(view, "constituencies", "ws_constituencies", "workshop-communities")
    charts.chart(view, "activity", "ws_activity", "workshop-activity")
    st.subheader("Organizations on each team's map")
    for team in view["maps"]:
        st.text(f"{team['name']}: " + ("; ".join(team["organizations"]) or "none yet"))


# Tabs that track which one is open run only that one (a rerun on switching), so a big map
# builds and sends only the charts in view. Labels stay fixed: the open tab is remembered by label.
MAP_TABS = ("Coverage", "Gaps", "Network", "Power grid", "Activity")


def map_section(map_id: int) -> None:
    view = charts.load_map(ctx.store, ctx.actor, map_id)
    st.caption(f"{len(view['gaps'])} gaps found. This view names people: keep it to the team. "
               "Contact details and notes are never shown here.")
    tabs = dict(zip(MAP_TABS, st.tabs(MAP_TABS, key="coverage_tab", on_change="rerun")))
    if tabs["Coverage"].open:
        with tabs["Coverage"]:
            left, right = st.columns(2)
            with left:
                charts.chart(view, "coverage", "coverage", "coverage-by-level")
                charts.chart(view, "strength", "strength", "strength-by-level")
            with right:
                charts.chart(view, "ladder", "ladder", "ladder-of-engagement")
                charts.chart(view, "gatekeepers", "gatekeepers", "gatekeeper-share")
            charts.chart(view, "constituencies", "constituencies", "communities-by-level")
            wanted_form(view["map"])
    if tabs["Gaps"].open:
        with tabs["Gaps"]:
            gap_section(view)
    if tabs["Network"].open:
        with tabs["Network"]:
            charts.chart(view, "network", "network", "network")
            if view["network"].cut_points:
                st.caption(f"{len(view['network'].cut_points)} people or groups hold the network "
                           "together: remove one and part of it is cut off from us.")
    if tabs["Power grid"].open:
        with tabs["Power grid"]:
            charts.chart(view, "power_grid", "power_grid", "power-grid")
    if tabs["Activity"].open:
        with tabs["Activity"]:
            charts.chart(view, "activity", "activity", "activity")


def wanted_form(map_row: dict) -> None:
    """The team's list of communities it wants to reach: the heatmap's first rows, and a gap
    for each one nobody on the map reaches."""
    saved = st.session_state.pop("wanted_saved", None)
    wanted = coverage.wanted_of(map_row)
    key = f"wanted_{map_row['id']}"
    if saved is not None or key not in st.session_state:
        st.session_state[key] = "\n".join(wanted)  # after a save: the list as cleaned and stored
    with st.expander("Communities we want to reach", expanded=not wanted or saved is not None):
        if saved is not None:
            st.success(f"Saved {saved} communit{'y' if saved == 1 else 'ies'}.")
        with st.form(f"wanted_form_{map_row['id']}", border=False):
            text = st.text_area(
                "One community per line", height=160, key=key,
                help=f"Up to {communities.WANTED_MAX} communities, each up to "
                     f"{communities.TAG_MAX} characters, "
                     "spelled as on the entries (capitals do not matter).")
            if st.form_submit_button("Save communities"):
                try:
                    tags = communities.set_wanted(ctx.store, ctx.actor, map_row["id"], text)
                except OrgKitError as exc:
                    ui.show_error(exc)
                else:
                    st.session_state["wanted_saved"] = len(tags)
                    st.rerun()  # the map's revision moved: charts and gaps are recomputed


def gap_section(view: dict) -> None:
    gaps = view["gaps"]
    if not gaps:
        st.success("No gaps found on this map.")
        return
    st.dataframe([{"#": i, **{coverage.GAP_COLUMNS[k]: v for k, v in g.as_row().items()}}
                  for i, g in enumerate(gaps, 1)], hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.download_button("Download the gap list (CSV)", data=functools.partial(coverage.gaps_csv, gaps),
                         file_name="gaps.csv", mime="text/csv", on_click="ignore",
                         icon=":material/download:")
    right.download_button(
        "Download the review report (HTML)", on_click="ignore", icon=":material/download:",
        data=functools.partial(coverage.review_report, view["map"], view, today=dt.date.today()),
        file_name="coverage-review.html", mime="text/html")


try:
    if ctx.role is Role.TEAM_MEMBER:
        mine, whole = st.tabs([f"Our map: {ui.escape(ctx.map['name'])}", "Whole workshop"],
                              key="coverage_scope", on_change="rerun")
        if mine.open:
            with mine:
                map_section(ctx.map["id"])
        if whole.open:
            with whole:
                workshop_section()
    elif ctx.role is Role.FACILITATOR:
        maps = {m["id"]: m["name"] for m in ctx.store.maps.for_workshop(ctx.workshop.id)}
        choice = st.selectbox("Show", [None, *maps],
                              format_func=lambda m: WORKSHOP if m is None else f"Map: {maps[m]}")
        if choice is None:
            workshop_section()
        else:
            map_section(choice)
    else:
        st.caption("Totals across every team's map: no one's details are shown here.")
        workshop_section()
except OrgKitError as exc:
    ui.show_error(exc)
