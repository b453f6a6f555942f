"""Streamlit pieces of the coverage page: one chart with its downloads, the gap list, the
network's people, the power grid.

The analysis and the figures come from orgkit.coverage.service's shared cache; this module only
draws them. Downloads are generated when clicked (a callable), not on every run; a PNG goes
through one warm headless Chromium (png.to_png).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

import streamlit as st

from ..coverage import figures, png
from ..coverage import model as coverage
from ..coverage import report
from ..coverage import service as coverage_service
from ..domain import LEVELS, Actor, OrgKitError
from ..i18n import _, current_language, ngettext
from ..map import service as maps
from ..stores import Store
from ..markdown import escape
from .forms import error_text, shown


def _html(fig) -> str:
    # The whole plotly.js goes in, so the file opens offline (about 5 MB).
    return fig.to_html(include_plotlyjs=True, full_html=True)


def chart(view: dict, name: str, key: str, filename: str, build=None) -> None:
    """One figure of a cached view, with its HTML (and, where possible, PNG) download beside it;
    on a phone, the workshop's projector-sized figures at a phone's sizes."""
    if (build is None and narrow_screen()
            and view["builders"] is coverage_service.WORKSHOP_FIGURES):
        name, build = f"{name}_phone", coverage_service.WORKSHOP_PHONE_FIGURES[name]
    fig = coverage_service.figure(view, name, build, current_language())
    st.plotly_chart(fig, key=f"chart_{key}", config={"displaylogo": False})
    with st.container(horizontal=True):
        st.download_button(_("Download chart (HTML)"), data=functools.partial(_html, fig),
                           file_name=f"{filename}.html", mime="text/html", key=f"dl_{key}",
                           icon=":material/download:", on_click="ignore")
        if png.png_available():
            # One Chromium for every PNG of this server: only the first waits for it to start.
            st.download_button(_("PNG"), data=functools.partial(png.to_png, fig),
                               file_name=f"{filename}.png", mime="image/png", key=f"png_{key}",
                               icon=":material/image:", on_click="ignore",
                               help=_("The chart as a picture, for slides and documents"))


# -- the gap list ----------------------------------------------------------------------------------

GROUP_SHOWN = 3  # gaps shown per kind while every kind is listed
KIND_SHOWN = 30  # gaps shown when one kind is chosen (the CSV has them all)
ALL = "All"  # the filters' first option: a key, drawn as _("All")


def _make_next_step(store: Store, actor: Actor, view: dict, entry: dict, text: str) -> None:
    # A button's callback: runs before the rerun, so the map's new revision shows at once.
    due = dt.date.today() + dt.timedelta(days=coverage.NEXT_STEP_DAYS)
    try:
        maps.update_entry(store, actor, view["map"]["id"], entry["id"], entry["version"],
                          {"next_step": text, "next_step_on": due.isoformat()})
    except OrgKitError as exc:
        st.session_state["gap_step_error"] = error_text(exc)
        return
    owner = (entry.get("point_person") or "").strip()
    if owner:
        saved = _("Saved as {name}'s next step, due {due} (point person: {owner}).",
                  name=entry["name"], due=due.isoformat(), owner=owner)
    else:
        saved = _("Saved as {name}'s next step, due {due}.", name=entry["name"],
                  due=due.isoformat())
    st.session_state["gap_step_saved"] = saved


def gap_list(store: Store, actor: Actor, view: dict) -> None:
    """The gaps grouped by kind with counts, filtered by kind, level and point person, the most
    urgent first; each a wrapping card with its step and a button that makes the step the
    next step of the entry it names first."""
    gaps = view["gaps"]
    st.caption(escape(_(coverage.DIRECT_TIE)))
    if (saved := st.session_state.pop("gap_step_saved", None)) is not None:
        st.success(escape(saved))
    if (error := st.session_state.pop("gap_step_error", None)) is not None:
        st.error(escape(error))
    if not gaps:
        st.success(_("No gaps found on this map."))
        return
    counts = Counter(g.kind for g in gaps)
    kinds = list(dict.fromkeys(g.kind for g in gaps))  # by each kind's most urgent gap
    owners = sorted({g.point_person for g in gaps if g.point_person}, key=str.lower)
    with st.container(horizontal=True):
        kind = st.selectbox(_("Kind of gap"), [ALL, *kinds], key="gap_kind",
                            format_func=lambda k: _("All") if k == ALL else
                            _("{kind} ({n})", kind=_(coverage.GAP_KINDS[k]), n=counts[k]))
        level = st.selectbox(_("Level"), [ALL, *LEVELS], key="gap_level",
                             format_func=lambda lv: _("All") if lv == ALL else _(LEVELS[lv]))
        owner = st.selectbox(_("Point person"), [ALL, *owners], key="gap_owner",
                             format_func=lambda o: _("All") if o == ALL else o)
    chosen = [(rank, g) for rank, g in enumerate(gaps, 1)
              if (kind == ALL or g.kind == kind) and (level == ALL or g.level == level)
              and (owner == ALL or g.point_person == owner)]
    st.markdown(" · ".join([ngettext("**{shown} of {n} gap**", "**{shown} of {n} gaps**",
                                              len(gaps), shown=len(chosen)), *(
        _("{kind}: {n}", kind=_(coverage.GAP_KINDS[k]), n=n)
        for k, n in Counter(g.kind for _rank, g in chosen).most_common())]))
    by_id = {e["id"]: e for e in view["entries"]}
    for k in kinds:
        group = [(rank, g) for rank, g in chosen if g.kind == k]
        if not group:
            continue
        limit = KIND_SHOWN if kind == k else GROUP_SHOWN
        st.markdown("#### " + _("{kind} ({n})", kind=_(coverage.GAP_KINDS[k]), n=len(group)))
        for rank, gap in group[:limit]:
            _gap_card(store, actor, view, by_id, rank, gap)
        if len(group) > limit:
            st.caption(_("{n} of {total} shown, most urgent first: choose this kind above to "
                         "see more, or download the gap list for all of them.", n=limit,
                         total=len(group)))
    left, right = st.columns(2)
    left.download_button(_("Download the gap list (CSV)"),
                         data=functools.partial(report.gaps_csv, gaps, current_language()),
                         file_name="gaps.csv", mime="text/csv", on_click="ignore", key="dl_gaps",
                         icon=":material/download:")
    right.download_button(
        _("Download the review report (HTML)"), on_click="ignore", icon=":material/download:",
        data=functools.partial(report.review_report, view["map"], view, today=dt.date.today(),
                               language=current_language()),
        file_name="coverage-review.html", mime="text/html", key="dl_review")


def _gap_card(store: Store, actor: Actor, view: dict, by_id: dict, rank: int, gap) -> None:
    with st.container(border=True):
        about = [f"**{rank}. {escape(shown(gap.subject))}**"]
        if gap.level:
            about.append(escape(_(LEVELS[gap.level])))
        if gap.point_person:
            about.append(_("point person: {name}", name=escape(gap.point_person)))
        st.markdown(" · ".join(about))
        st.markdown(_("{reason}  \n**Next step:** {step}", reason=escape(shown(gap.reason)),
                      step=escape(shown(gap.next_step))))
        entry = by_id.get(gap.people[0]) if gap.people else None
        if entry is not None:
            st.button(_("Make this {name}'s next step", name=escape(entry["name"])),
                      key=f"gap_step_{rank}", icon=":material/event:", on_click=_make_next_step,
                      args=(store, actor, view, entry,
                            shown(coverage.as_next_step(gap, current_language()))),
                      help=ngettext("Sets their next step to this text, due in {n} day; their "
                                    "point person stays the owner.", "Sets their next step to "
                                    "this text, due in {n} days; their point person stays the "
                                    "owner.", coverage.NEXT_STEP_DAYS))


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
    st.caption(escape(_(coverage.DIRECT_TIE)))
    entries = {e["id"]: e for e in view["entries"]}
    order = sorted(entries, key=lambda i: entries[i]["name"].lower())
    focus = st.selectbox(_("Focus on one person"), [NO_FOCUS, *order], key="network_focus",
                         format_func=lambda i: _("Everyone") if i == NO_FOCUS else
                         _("{name} ({level})", name=entries[i]["name"],
                           level=_(LEVELS[entries[i]["level"]])),
                         help=_("Their neighbourhood within two links, and how they connect to "
                                "us."))
    narrow = narrow_screen()
    if focus == NO_FOCUS or focus not in entries:
        chart(view, "network_narrow" if narrow else "network", "network", "network")
    else:
        chart(view, f"focus_{focus}" + ("_narrow" if narrow else ""), "network_focus_chart",
              "network-focus", build=lambda v, language: figures.network_graph(
                  v["entries"], v["links"], v["network"], focus=focus, narrow=narrow,
                  language=language))
        path = coverage.warm_path(view["network"], entries, focus)
        st.markdown(_("**How they connect to our team:** {path}", path=escape(shown(path))
                      if path else _("no path from anyone of ours yet.")))
    cuts = view["cut_points"]
    if cuts:
        st.subheader(ngettext("{n} person or group holds the network together",
                              "{n} people or groups hold the network together", len(cuts)),
                     divider="gray")
        st.caption(_("If one of them leaves, the entries, communities and decision-makers below "
                     "are cut off from us; the {n} who would cut off the most are listed.",
                     n=CUT_ROWS) if len(cuts) > CUT_ROWS else
                   _("If one of them leaves, the entries, communities and decision-makers below "
                     "are cut off from us."))
        st.dataframe([{_("Who"): c["name"], _("Level"): _(LEVELS[c["level"]]),
                       _("Entries cut off"): c["cut_off"],
                       _("Communities lost"): "; ".join(c["communities"]),
                       _("Decision-makers lost"): "; ".join(c["decision_makers"])}
                      for c in cuts[:CUT_ROWS]],
                     hide_index=True, width="stretch", key="cut_points_table")
    rows = coverage_service.people(view)
    st.subheader(_("People by connections"), divider="gray")
    sampled = len(entries) > coverage.DRAW_LIMIT
    st.caption(_("Links: entries linked to them. Betweenness: how often they lie on the shortest "
                 "paths between others (node size in the drawing); estimated from {n} starting "
                 "points on a map this size. Within two links: how many entries they reach "
                 "through one other. Click a column to sort.", n=coverage.BETWEENNESS_SAMPLES)
               if sampled else
               _("Links: entries linked to them. Betweenness: how often they lie on the shortest "
                 "paths between others (node size in the drawing). Within two links: how many "
                 "entries they reach through one other. Click a column to sort."))
    st.dataframe([{_("Name"): r["name"], _("Level"): _(LEVELS[r["level"]]),
                   _("Links"): r["degree"], _("Betweenness"): r["betweenness"],
                   _("Within two links"): r["reach"], _("Direct tie"): r["ours"],
                   _("Cut point"): r["cut_point"]} for r in rows],
                 hide_index=True, width="stretch", key="people_table")


def power_section(view: dict) -> None:
    """The power grid, and the same people in a list (a cell's names, on any screen)."""
    st.caption(escape(_(coverage.DIRECT_TIE)))
    chart(view, "power_grid_narrow" if narrow_screen() else "power_grid", "power_grid",
          "power-grid")
    rows = view["power_grid"]
    placed = [r for r in rows if r["quadrant"]]
    if len(placed) < len(rows):
        st.caption(_("{n} with only a stance or only an influence are not placed: set both on "
                     "their entry.", n=len(rows) - len(placed)))
    if not rows:
        st.info(_("Set a stance and an influence on leaders, organizations and decision-makers "
                  "(on the map) to place them here."))
        return
    st.dataframe([{_("Name"): r["name"], _("Level"): _(LEVELS[r["level"]]),
                   _("What to do"): _(r["quadrant"]),
                   _("Stance"): _(figures.STANCE_NAMES.get(r["stance"], "")),
                   _("Influence"): r["influence"],
                   _("From us"): _(figures.DISTANCE_LABELS[figures.distance_band(r["distance"])])}
                  for r in sorted(placed,
                                  key=lambda r: (r["quadrant"], -r["influence"], r["name"]))],
                 hide_index=True, width="stretch", key="power_table")
