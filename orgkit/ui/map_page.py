"""The map page: a team's relationship map, read once per run (maps.load_map) and drawn in tabs.

It is filled in from phones at the tables, so the first screen is a short path: what to add next
against its target ("Add next: Decision-makers · 2 of 5"), the entry form (map_entries: its
level preselected, the fields that matter first) and the confirmation beside its Save button;
then the worksheet's four levels as tables, links and actions (map_links: a link from the entry
itself, an action planned from a next step), import (map_import) and export, and the printable
worksheet. The tab bar wraps on a phone, so every tab stays in reach.

Every write goes through orgkit.map.service / orgkit.map.transfer, which check the role and
validate; the sections only gather widget values and show the answer (errors via show_error).
"""
from __future__ import annotations

import functools

import streamlit as st

from ..domain import CODE_TYPED_MAX, LEVELS, MAP_CODE_LENGTH, SHORT_LEVELS, OrgKitError
from ..i18n import _
from ..map import model as map_model
from ..map import service as maps
from ..map import exports, formats, worksheet
from ..markdown import escape
from . import map_entries, map_import, map_links
from .forms import show_error
from .identity import Context
from .map_parts import flash, save_row, show_flash, state, target_inputs


def no_map_screen(ctx: Context) -> None:
    """A team member without a map in the address: type the map code (or scan its QR)."""
    st.title(_("Relationship map"))
    st.write(_("Type your team's map code, or scan its QR code (your facilitator has both)."))
    open_by_code(ctx)


def screen(ctx: Context) -> None:
    """The map in view (the facilitator chooses one in the sidebar), in its tabs."""
    if ctx.map is None:
        ctx.map = choose_map(ctx)
    if ctx.map is None:
        st.title(_("Relationship map"))
        st.info(_("Choose a team's map in the sidebar."))
        return
    view = load(ctx)  # the map, its entries, links and actions: read once per run
    st.html(MAP_CSS)
    counts = {level: sum(e["level"] == level for e in view.entries) for level in LEVELS}
    suggested = header(ctx, counts)
    show_flash(ctx)
    # The entry form first: on a phone the first screen is what to add next and the form.
    tabs = st.tabs([_("Add or edit"), _("By level"), _("Links"), _("Actions"),
                    _("Import and export"), _("Print")], key="map_tabs")
    with tabs[0]:
        map_entries.entry_form(ctx, view, suggested)
    with tabs[1]:
        progress(ctx, counts)
        targets_form(ctx)
        for level in LEVELS:
            _level_section(ctx, view, level)
    with tabs[2]:
        map_links.links_section(ctx, view)
    with tabs[3]:
        map_links.actions_section(ctx, view)
    with tabs[4]:
        st.subheader(_("Export"))
        export_section(ctx)
        st.subheader(_("Import"))
        map_import.import_section(ctx)
    with tabs[5]:
        print_section(ctx, view)


# On a phone: a smaller title, and the tab bar wraps onto a second line instead of pushing
# "Import and export" and "Print" off its edge behind a scroll arrow.
MAP_CSS = """<style>
@media (max-width: 640px) { h1 {font-size:1.6rem !important; padding-top:0 !important}
  .stMainBlockContainer {padding-top:3.5rem !important} }
.st-key-map_tabs [role=tablist] {flex-wrap:wrap; overflow:visible; row-gap:4px}
.st-key-map_tabs [role=tab] {min-height:44px}
.st-key-map_tabs [data-testid=stTabsScrollRight], .st-key-map_tabs [data-testid=stTabsScrollLeft]
  {display:none}
</style>"""


def _level_section(ctx: Context, view: map_model.MapView, level: str) -> None:
    """One level of the worksheet: its questions and caution, then its table."""
    st.subheader(_(LEVELS[level]))
    st.caption(_(worksheet.INTRO[level]))
    st.markdown(" · ".join(f"*{escape(_(q))}*" for q in worksheet.QUESTIONS[level]))
    if level in worksheet.CAUTION:
        st.warning(_(worksheet.CAUTION[level]), icon=":material/front_hand:")
    map_entries.level_table(ctx, view, level)


def load(ctx: Context) -> map_model.MapView:
    """The map page's one read of its map (maps.load_map: one access check); ctx.map becomes the
    row read with it. Every section below takes this view instead of reading again."""
    try:
        view = maps.load_map(ctx.store, ctx.actor, ctx.map["id"])
    except OrgKitError as exc:
        show_error(exc)
        st.stop()
    ctx.map = view.map
    return view


def header(ctx: Context, counts: dict[str, int]) -> str | None:
    """The map's name and issue, and what to add next against its target ("2 of 5"); returns
    the level to add next (None when no target is short)."""
    st.title(escape(ctx.map["name"]))
    if ctx.map["issue"]:
        st.caption(escape(ctx.map["issue"]))
    goals = map_model.targets(ctx.map)
    suggested = map_model.add_next(counts, goals)
    if suggested is not None:
        st.markdown(_("**Add next: {level}** · {n} of {target}",
                      level=_(SHORT_LEVELS[suggested]), n=counts[suggested],
                      target=goals[suggested]))
    return suggested


def progress(ctx: Context, counts: dict[str, int]) -> None:
    """Every level's count, against its target where the team set one."""
    goals = map_model.targets(ctx.map)
    st.markdown(" · ".join(
        _("{level}: {n} of {target}", level=_(SHORT_LEVELS[level]), n=counts[level],
          target=goals[level]) if goals[level] else
        _("{level}: {n}", level=_(SHORT_LEVELS[level]), n=counts[level]) for level in LEVELS))


def targets_form(ctx: Context) -> None:
    """The team's own per-level targets (how many entries it aims for), collapsed by default."""
    goals = map_model.targets(ctx.map)
    form = state(ctx, "targets")
    with st.expander(_("Targets per level"), key=state(ctx, "targets_panel")):
        with st.form(form):
            raw = target_inputs(lambda level: _(LEVELS[level]), form, goals)
            with save_row(ctx, "targets"):
                if st.form_submit_button(_("Save targets"), key=f"{form}_submit"):
                    try:
                        maps.set_targets(ctx.store, ctx.actor, ctx.map["id"], raw)
                    except OrgKitError as exc:
                        show_error(exc)
                    else:
                        flash(ctx, _("Targets saved."), "targets")
                        st.rerun()


def choose_map(ctx: Context) -> dict | None:
    """The facilitator opens any map of the workshop by choosing it, with no private link in the
    address: `m=<map id>` only preselects; the core checks the unlock and the workshop when the
    page loads the chosen map (load, maps.load_map). Nobody else chooses: None."""
    if not ctx.actor.is_facilitator:
        return None
    team_maps = {m["id"]: m["name"] for m in maps.team_maps(ctx.store, ctx.actor)}
    asked = st.query_params.get("m", "")
    options = [None, *team_maps]
    preselect = int(asked) if asked.isdigit() and int(asked) in team_maps else None
    chosen = st.sidebar.selectbox(_("Open a team's map"), options,
                                  index=options.index(preselect), key="facilitator_map",
                                  format_func=lambda i: "—" if i is None else team_maps[i])
    if chosen is None:
        st.query_params.pop("m", None)
        return None
    st.query_params["m"] = str(chosen)  # a reload keeps the map open
    try:
        return maps.get_map(ctx.store, ctx.actor, chosen)
    except OrgKitError as exc:  # deleted in another tab since the list was read
        show_error(exc)
        return None


def open_by_code(ctx: Context) -> None:
    """The map page without a map: a team member types their map code (or arrives by
    /map?short=CODE); the page then opens the map by its private link."""
    typed = st.query_params.get("short")
    if not typed:
        with st.form("map_code"):
            typed = st.text_input(_("Map code"), max_chars=CODE_TYPED_MAX, key="map_code_field",
                                  placeholder=_("e.g. {code}", code="K7PX-3MQR"),
                                  help=_("The {n}-character code your facilitator gave your "
                                         "team.", n=MAP_CODE_LENGTH))
            if not st.form_submit_button(_("Open the map"), type="primary",
                                         key="map_code_submit"):
                return
    try:
        _workshop, row, _actor = maps.open_map_by_code(ctx.store, typed)
    except OrgKitError as exc:
        show_error(exc)
        return
    st.query_params.from_dict({"map": row["link_token"]})
    st.rerun()


def export_section(ctx: Context) -> None:
    """Download buttons for CSV, XLSX and Kumu; each file is built only when its button is
    clicked (a callable, not bytes), so a rerun of the page builds none of them."""
    map_id, stem = ctx.map["id"], f"map-{ctx.map['id']}"

    def build(export, *args):
        return functools.partial(export, ctx.store, ctx.actor, map_id, *args)

    labels = {"entries": _("Entries (CSV)"), "links": _("Links (CSV)"),
              "actions": _("Actions (CSV)")}
    columns = st.columns(5)
    for column, kind in zip(columns, formats.KINDS):
        column.download_button(labels[kind], key=state(ctx, f"csv_{kind}"),
                               data=build(exports.export_csv, kind),
                               file_name=f"{stem}-{kind}.csv", mime="text/csv", on_click="ignore")
    columns[3].download_button(_("All (XLSX)"), key=state(ctx, "xlsx"),
                               data=build(exports.export_xlsx), file_name=f"{stem}.xlsx",
                               on_click="ignore")
    columns[4].download_button(_("Kumu (XLSX)"), key=state(ctx, "kumu"),
                               data=build(exports.kumu_workbook, ctx.language),
                               file_name=f"{stem}-kumu.xlsx",
                               on_click="ignore")


def _worksheet(ctx: Context, view: map_model.MapView | None = None) -> str:
    """The printable worksheet of this page run's view, or (for a download, built when clicked)
    of a fresh read of the map."""
    view = view or maps.load_map(ctx.store, ctx.actor, ctx.map["id"])
    return worksheet.render(view.map, view.entries, view.links, ctx.language)


def print_section(ctx: Context, view: map_model.MapView) -> None:
    """The printable worksheet: a download and an on-page view with a print button, each built
    only when asked for."""
    st.download_button(_("Download the worksheet (HTML, prints cleanly)"),
                       data=functools.partial(_worksheet, ctx), on_click="ignore",
                       file_name=f"map-{ctx.map['id']}-worksheet.html", mime="text/html",
                       key=state(ctx, "worksheet"))
    if st.toggle(_("Show the printable worksheet"), key=state(ctx, "worksheet_show")):
        # Our own markup with every value escaped (worksheet.render), so an iframe is safe here.
        st.iframe(_worksheet(ctx, view), height=900)
