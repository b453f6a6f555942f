"""Coverage and gaps: one team's map in full (its team, or the facilitator choosing a map), and
the workshop-wide view that is safe to project (counts, levels, stages, organization names)."""
import contextlib

import streamlit as st

from orgkit import ui
from orgkit.coverage import model as coverage
from orgkit.coverage import service as coverage_service
from orgkit.coverage.figures import SHORT_LEVELS
from orgkit.domain import LEVELS, OrgKitError, Role
from orgkit.map import communities
from orgkit.map import model as map_model
from orgkit.map import service as map_service
from orgkit.ui import charts

ctx = ui.page("Coverage and gaps")

st.title("Coverage and gaps")
if ctx.workshop is None:
    st.info("Open a workshop (join code) or a team map (its private link) to see coverage.")
    st.stop()

WORKSHOP = "Whole workshop (safe to project)"
# The charts by level, each with its download's file name for one map and for the whole workshop.
LEVEL_CHARTS = {
    "coverage": ("coverage-by-level", "workshop-coverage"),
    "strength": ("strength-by-level", "workshop-strength"),
    "ladder": ("ladder-of-engagement", "workshop-ladder"),
    "gatekeepers": ("gatekeeper-share", "workshop-gatekeepers"),
    "constituencies": ("communities-by-level", "workshop-communities"),
}


def level_charts(view: dict, *, workshop: bool) -> None:
    """Coverage and strength beside the ladder and the gatekeepers, then the communities across
    the page: one layout for a map and for the whole workshop (whose chart keys start ws_)."""
    left, right = st.columns(2)
    places = (left, left, right, right, contextlib.nullcontext())  # in LEVEL_CHARTS order
    for place, (name, (map_file, workshop_file)) in zip(places, LEVEL_CHARTS.items()):
        with place:
            charts.chart(view, name, f"ws_{name}" if workshop else name,
                         workshop_file if workshop else map_file)


def workshop_section() -> None:
    view = coverage_service.load_workshop(ctx.store, ctx.actor)
    total = sum(view["coverage"][lv]["total"] for lv in LEVELS)
    # A wrapping row, not columns: on a phone columns stack one figure per screen line.
    with st.container(horizontal=True, gap="medium"):
        st.metric("Entries on all maps", total, width="content")
        for level in LEVELS:
            cov = view["coverage"][level]
            st.metric(SHORT_LEVELS[level], cov["total"], width="content",
                      help=f"{LEVELS[level]}. Target across the teams: {cov['target']}")
    charts.chart(view, "small_multiples", "ws_multiples", "workshop-maps")
    level_charts(view, workshop=True)
    charts.chart(view, "activity", "ws_activity", "workshop-activity")
    st.subheader("Organizations on each team's map")
    for team in view["maps"]:
        st.text(f"{team['name']}: " + ("; ".join(team["organizations"]) or "none yet"))


# Tabs that track which one is open run only that one (a rerun on switching), so a big map
# builds and sends only the charts in view. Labels stay fixed: the open tab is remembered by label.
MAP_TABS = ("Coverage", "Gaps", "Network", "Power grid", "Activity")


def map_section(map_id: int) -> None:
    view = coverage_service.load_map(ctx.store, ctx.actor, map_id)
    st.caption(f"{len(view['gaps'])} gaps found. This view names people: keep it to the team. "
               "Contact details and notes are never shown here.")
    tabs = dict(zip(MAP_TABS, st.tabs(MAP_TABS, key="coverage_tab", on_change="rerun")))
    if tabs["Coverage"].open:
        with tabs["Coverage"]:
            level_charts(view, workshop=False)
            wanted_form(view["map"])
    if tabs["Gaps"].open:
        with tabs["Gaps"]:
            charts.gap_list(ctx.store, ctx.actor, view)
    if tabs["Network"].open:
        with tabs["Network"]:
            charts.network_section(view)
    if tabs["Power grid"].open:
        with tabs["Power grid"]:
            charts.power_section(view)
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
    with st.expander("Communities we want to reach", expanded=not wanted or saved is not None,
                     key=f"wanted_panel_{map_row['id']}"):
        if saved is not None:
            st.success(f"Saved {saved} communit{'y' if saved == 1 else 'ies'}.")
        with st.form(f"wanted_form_{map_row['id']}", border=False):
            text = st.text_area(
                "One community per line", height=160, key=key,
                help=f"Up to {communities.WANTED_MAX} communities, each up to "
                     f"{map_model.TAG_MAX} characters, "
                     "spelled as on the entries (capitals do not matter).")
            if st.form_submit_button("Save communities", key=f"wanted_save_{map_row['id']}"):
                try:
                    tags = communities.set_wanted(ctx.store, ctx.actor, map_row["id"], text)
                except OrgKitError as exc:
                    ui.show_error(exc)
                else:
                    st.session_state["wanted_saved"] = len(tags)
                    st.rerun()  # the map's revision moved: charts and gaps are recomputed


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
        maps = {m["id"]: m["name"] for m in map_service.team_maps(ctx.store, ctx.actor)}
        choice = st.selectbox("Show", [None, *maps], key="coverage_map",
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
