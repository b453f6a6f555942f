"""The coverage screen: one team's map in full (for its team, or the facilitator choosing a map),
and the workshop-wide view that is safe to project (counts, levels, stages, organization names).
The analysis comes from orgkit.coverage.service's shared cache; orgkit.ui.charts draws it."""
from __future__ import annotations

import contextlib

import streamlit as st

from ..bidi import isolate
from ..coverage import model as coverage
from ..coverage import service as coverage_service
from ..coverage.figures import SHORT_LEVELS
from ..coverage.model import GAP_REF_LENGTH
from ..domain import LEVELS, OrgKitError, Role
from ..i18n import N_, _, ngettext
from ..map import communities
from ..map import model as map_model
from ..map import service as map_service
from ..markdown import escape
from . import charts
from .forms import show_error
from .identity import Context

# The charts by level: each one's title in the download menu, and its file name for one map and
# for the whole workshop.
LEVEL_CHARTS = {
    "coverage": (N_("Coverage by level"), "coverage-by-level", "workshop-coverage"),
    "strength": (N_("Relationship strength by level"), "strength-by-level", "workshop-strength"),
    "ladder": (N_("Ladder of engagement"), "ladder-of-engagement", "workshop-ladder"),
    "gatekeepers": (N_("Gatekeepers"), "gatekeeper-share", "workshop-gatekeepers"),
    "constituencies": (N_("Who reaches each community"), "communities-by-level",
                       "workshop-communities"),
}
# The other charts of one map, and of the whole workshop, for the download menu.
MAP_CHARTS = {"network": (N_("Network"), "network"), "power_grid": (N_("Power grid"),
                                                                   "power-grid"),
              "activity": (N_("Activity per week"), "activity")}
WORKSHOP_FIRST = {"small_multiples": (N_("Every team's map by level"), "workshop-maps")}
WORKSHOP_LAST = {"activity": (N_("Activity per week"), "workshop-activity")}
# Tabs that track which one is open run only that one (a rerun on switching), so a big map
# builds and sends only the charts in view. The open tab is remembered by its label, which
# stays the same for a reader.
MAP_TABS = (N_("Coverage"), N_("Gaps"), N_("Network"), N_("Power grid"), N_("Activity"))


def screen(ctx: Context) -> None:
    """A team member: their map and the whole workshop; the facilitator: any map or the whole
    workshop; anyone else: the whole workshop."""
    st.title(_("Coverage and gaps"))
    try:
        asked, landing = _asked_gap()
        if ctx.role is Role.TEAM_MEMBER:
            if landing:  # a link to one of our gaps opens our map's tab
                st.session_state["coverage_scope"] = _("Our map: {name}",
                                                       name=escape(ctx.map["name"]))
            mine, whole = st.tabs([_("Our map: {name}", name=escape(ctx.map["name"])),
                                   _("Whole workshop")], key="coverage_scope", on_change="rerun")
            if mine.open:
                with mine:
                    map_section(ctx, ctx.map["id"], asked)
            if whole.open:
                with whole:
                    workshop_section(ctx)
        elif ctx.role is Role.FACILITATOR:
            maps = {m["id"]: m["name"] for m in map_service.team_maps(ctx.store, ctx.actor)}
            wanted = st.query_params.get("m", "")
            if landing and wanted.isdigit() and int(wanted) in maps:
                st.session_state["coverage_map"] = int(wanted)  # the map of the gap linked
            choice = st.selectbox(_("Show"), [None, *maps], key="coverage_map",
                                  format_func=lambda m: _("Whole workshop (safe to project)")
                                  if m is None else _("Map: {name}", name=maps[m]))
            if choice is None:
                workshop_section(ctx)
            else:
                map_section(ctx, choice, asked)
        else:
            st.caption(_("Totals across every team's map: no one's details are shown here."))
            workshop_section(ctx)
    except OrgKitError as exc:
        show_error(exc)


def _asked_gap() -> tuple[str | None, bool]:
    """The gap a link asks for (?gap=, a Gap.ref) and whether this run is the first since the
    link landed: only that run opens the gap's map on the Coverage tab, so the reader's own
    choices afterwards stand."""
    asked = st.query_params.get("gap", "")
    if not (len(asked) == GAP_REF_LENGTH and asked.isalnum()):
        return None, False
    landing = st.session_state.get("coverage_gap_landed") != asked
    if landing:
        st.session_state["coverage_gap_landed"] = asked
        st.session_state["coverage_tab"] = _(MAP_TABS[0])
    return asked, landing


def _first(view: dict, asked: str | None) -> tuple | None:
    """(rank, gap) of the gap a link asked for, or None (and a word when it is gone)."""
    if not asked:
        return None
    found = next(((rank, g) for rank, g in enumerate(view["gaps"], 1) if g.ref == asked), None)
    if found is None:
        st.info(_("The gap you followed is not on this map any more: it was closed, or the "
                  "map changed since."))
    return found


def level_charts(view: dict, *, workshop: bool) -> None:
    """Coverage and strength beside the ladder and the gatekeepers, then the communities across
    the page: one layout for a map and for the whole workshop (whose chart keys start ws_)."""
    left, right = st.columns(2)
    places = (left, left, right, right, contextlib.nullcontext())  # in LEVEL_CHARTS order
    for place, name in zip(places, LEVEL_CHARTS):
        with place:
            charts.chart(view, name, f"ws_{name}" if workshop else name)


def level_files(workshop: bool) -> dict[str, tuple[str, str]]:
    """The level charts for the download menu: {name: (title, file name)}."""
    return {name: (title, workshop_file if workshop else map_file)
            for name, (title, map_file, workshop_file) in LEVEL_CHARTS.items()}


def workshop_section(ctx: Context) -> None:
    view = coverage_service.load_workshop(ctx.store, ctx.actor)
    total = sum(view["coverage"][lv]["total"] for lv in LEVELS)
    # A wrapping row, not columns: on a phone columns stack one figure per screen line.
    # Each card names its level once (its label); the target is said beside the number.
    with st.container(horizontal=True, gap="medium"):
        st.metric(_("Entries on all maps"), total, width="content")
        for level in LEVELS:
            cov = view["coverage"][level]
            st.metric(_(SHORT_LEVELS[level]), cov["total"], width="content",
                      delta=_("target {n}", n=cov["target"]) if cov["target"] else None,
                      delta_color="off", delta_arrow="off")
    charts.chart(view, "small_multiples", "ws_multiples")
    level_charts(view, workshop=True)
    charts.chart(view, "activity", "ws_activity")
    st.subheader(_("Organizations on each team's map"))
    for team in view["maps"]:
        # A shared screen: each name isolated, so a right-to-left one cannot reorder the line.
        st.text(_("{team}: {organizations}", team=isolate(team["name"]),
                  organizations="; ".join(map(isolate, team["organizations"]))
                  or _("none yet")))
    charts.download_menu(charts.chart_files(view, WORKSHOP_FIRST | level_files(True)
                                            | WORKSHOP_LAST), "ws_download")


def map_section(ctx: Context, map_id: int, asked: str | None = None) -> None:
    view = coverage_service.load_map(ctx.store, ctx.actor, map_id)
    st.caption(_("This view names people: keep it to the team. Contact details and notes are "
                 "never shown here."))
    tabs = dict(zip(MAP_TABS, st.tabs([_(t) for t in MAP_TABS], key="coverage_tab",
                                      on_change="rerun")))
    if tabs[MAP_TABS[0]].open:
        with tabs[MAP_TABS[0]]:  # what to do first, then the charts
            charts.top_gaps(ctx.store, ctx.actor, view, ("coverage_tab", _(MAP_TABS[1])),
                            _first(view, asked))
            st.subheader(_("Coverage at a glance"), divider="gray")
            level_charts(view, workshop=False)
            wanted_form(ctx, view["map"])
    if tabs[MAP_TABS[1]].open:
        with tabs[MAP_TABS[1]]:
            charts.gap_list(ctx.store, ctx.actor, view)
    if tabs[MAP_TABS[2]].open:
        with tabs[MAP_TABS[2]]:
            charts.network_section(view)
    if tabs[MAP_TABS[3]].open:
        with tabs[MAP_TABS[3]]:
            charts.power_section(view)
    if tabs[MAP_TABS[4]].open:
        with tabs[MAP_TABS[4]]:
            charts.chart(view, "activity", "activity")
    charts.download_menu(charts.chart_files(view, level_files(False) | MAP_CHARTS)
                         | charts.map_files(ctx.store, ctx.actor, view), "map_download")


def wanted_form(ctx: Context, map_row: dict) -> None:
    """The team's list of communities it wants to reach: the heatmap's first rows, and a gap
    for each one nobody on the map reaches. After a save the field shows the list as cleaned
    and stored (its widget state is set before it is drawn), and the panel stays open."""
    saved = st.session_state.pop("wanted_saved", None)
    wanted = coverage.wanted_of(map_row)
    key = f"wanted_{map_row['id']}"
    if saved is not None or key not in st.session_state:
        st.session_state[key] = "\n".join(wanted)
    with st.expander(_("Communities we want to reach"), expanded=not wanted or saved is not None,
                     key=f"wanted_panel_{map_row['id']}"):
        if saved is not None:
            st.success(ngettext("Saved {n} community.", "Saved {n} communities.", saved))
        with st.form(f"wanted_form_{map_row['id']}", border=False):
            text = st.text_area(
                _("One community per line"), height=160, key=key,
                help=_("Up to {n} communities, each up to {limit} characters, spelled as on the "
                       "entries (capitals do not matter).", n=communities.WANTED_MAX,
                       limit=map_model.TAG_MAX))
            if st.form_submit_button(_("Save communities"), key=f"wanted_save_{map_row['id']}"):
                try:
                    tags = communities.set_wanted(ctx.store, ctx.actor, map_row["id"], text)
                except OrgKitError as exc:
                    show_error(exc)
                else:
                    st.session_state["wanted_saved"] = len(tags)
                    st.rerun()  # the map's revision moved: charts and gaps are recomputed
