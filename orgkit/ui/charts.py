"""Streamlit pieces of the coverage page: one chart with its downloads, the gap list, the
network's people, the power grid.

The analysis and the figures come from orgkit.coverage.service's shared cache; this module only
draws them. Downloads are generated when clicked (a callable), not on every run; a PNG goes
through one warm headless Chromium (figures.to_png).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

import streamlit as st

from ..coverage import figures
from ..coverage import model as coverage
from ..coverage import report
from ..coverage import service as coverage_service
from ..domain import LEVELS, Actor, OrgKitError
from ..i18n import _
from ..map import service as maps
from ..storage import Store
from . import escape, show_error


def _html(fig) -> str:
    # The whole plotly.js goes in, so the file opens offline (about 5 MB).
    return fig.to_html(include_plotlyjs=True, full_html=True)


def chart(view: dict, name: str, key: str, filename: str, build=None) -> None:
    """One figure of a cached view, with its HTML (and, where possible, PNG) download beside it."""
    fig = coverage_service.figure(view, name, build)
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
    st.caption(escape(coverage.DIRECT_TIE))
    if (saved := st.session_state.pop("gap_step_saved", None)) is not None:
        st.success(escape(saved))
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
    left.download_button("Download the gap list (CSV)", data=functools.partial(report.gaps_csv, gaps),
                         file_name="gaps.csv", mime="text/csv", on_click="ignore", key="dl_gaps",
                         icon=":material/download:")
    right.download_button(
        "Download the review report (HTML)", on_click="ignore", icon=":material/download:",
        data=functools.partial(report.review_report, view["map"], view, today=dt.date.today()),
        file_name="coverage-review.html", mime="text/html", key="dl_review")


def _gap_card(store: Store, actor: Actor, view: dict, by_id: dict, rank: int, gap) -> None:
    with st.container(border=True):
        about = [f"**{rank}. {escape(_(gap.subject))}**"]
        if gap.level:
            about.append(escape(LEVELS[gap.level]))
        if gap.point_person:
            about.append(f"point person: {escape(gap.point_person)}")
        st.markdown(" · ".join(about))
        st.markdown(f"{escape(_(gap.reason))}  \n**Next step:** {escape(_(gap.next_step))}")
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


NO_FOCUS = 0  # entry ids start at 1
CUT_ROWS = 50  # cut points listed, most damaging first


def network_section(view: dict) -> None:
    """The network (or one person's neighbourhood), who holds it together and what breaks if
    they leave, and the sortable people table."""
    st.caption(escape(coverage.DIRECT_TIE))
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
              "network-focus", build=lambda v, language: figures.network_graph(
                  v["entries"], v["links"], v["network"], focus=focus, narrow=narrow,
                  language=language))
        path = coverage.warm_path(view["network"], entries, focus)
        st.markdown("**How they connect to our team:** " + (
            escape(_(path)) if path else "no path from anyone of ours yet."))
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
    rows = coverage_service.people(view)
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
    st.caption(escape(coverage.DIRECT_TIE))
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
