"""The lead's "This week" screen: per map (its team by the private link, or the facilitator
choosing one) or for the whole workshop (the facilitator): what is due and overdue with its point
person, the three gaps that matter most now, what moved since the last review (or a date the lead
picks), "Mark reviewed", and the charts over time, each with its table. Each line links to the
entry on the map page (selected there) or to the coverage page.

The view comes from orgkit.followup.service; this module only draws it.
"""
from __future__ import annotations

import datetime as dt
import functools

import streamlit as st

from ..domain import LEVELS, STAGES, OrgKitError, Role, today
from ..followup import figures, nudges
from ..followup import service as followup
from ..followup.model import MISSED, describe, status
from ..i18n import _, current_language, format_date, ngettext
from ..map import service as map_service
from ..markdown import escape
from .forms import show_error, shown
from .identity import Context
from .setup import COVERAGE, MAP

WHOLE = "whole"  # the scope selector's key for the whole workshop


def screen(ctx: Context) -> None:
    st.title(_("This week"))
    try:
        map_id = _scope(ctx)
        since = _since(ctx, map_id)
        week = followup.this_week(ctx.store, ctx.actor, map_id, since=since)
        names = {m.map_id: m.name for m in week.teams}
        now, people, later = st.tabs([_("This week"), _("Nudge lists"), _("Over time")],
                                     key="week_tab")
        with now:
            _review(ctx, map_id)
            _due(ctx, week, names, whole=map_id is None)
            _gaps(ctx, week, names, whole=map_id is None)
            _moved(week, names, whole=map_id is None)
        with people:
            _nudges(week, names)
        with later:
            _charts(week)
    except OrgKitError as exc:
        show_error(exc)


def _scope(ctx: Context) -> int | None:
    """The team's own map; the facilitator chooses a map or the whole workshop."""
    if ctx.role is Role.TEAM_MEMBER:
        st.caption(_("Our map: {name}", name=escape(ctx.map["name"])))
        return ctx.map["id"]
    maps = {m["id"]: m["name"] for m in map_service.team_maps(ctx.store, ctx.actor)}
    chosen = st.selectbox(_("Show"), [WHOLE, *maps], key="week_map",
                          format_func=lambda m: _("Whole workshop") if m == WHOLE
                          else _("Map: {name}", name=maps[m]))
    return None if chosen == WHOLE else chosen


def _since(ctx: Context, map_id: int | None) -> float | None:
    """None: since the last review (the service's default); or the start of a picked day."""
    review = followup.last_review(ctx.store, ctx.actor, map_id)
    options = ["review", "date"]
    # The first option names the review's day, so a new review is a new radio: one kept under
    # the old key with a relabelled option is drawn in the browser with nothing chosen.
    reviewed = int(review["reviewed_at"]) if review else 0
    choice = st.radio(_("What moved since"), options, key=f"week_since_{map_id}_{reviewed}",
                      horizontal=True,
                      format_func=lambda o: (_("the last review ({when})", when=format_date(
                          dt.date.fromtimestamp(review["reviewed_at"]))) if review else
                          _("a week ago (no review yet)")) if o == "review" else
                      _("a date I pick"))
    if choice == "review":
        return None
    today_ = today()
    day = st.date_input(_("Since"), value=today_ - dt.timedelta(days=followup.DEFAULT_SINCE_DAYS),
                        max_value=today_, key=f"week_since_day_{map_id}")
    return dt.datetime.combine(day, dt.time.min).timestamp()


def _review(ctx: Context, map_id: int | None) -> None:
    if (error := st.session_state.pop("week_error", None)) is not None:
        show_error(error)
    if (done := st.session_state.pop("week_reviewed_at", None)) is not None:
        st.success(_("Marked reviewed on {day}. \u201cSince the last review\u201d starts from "
                      "now.", day=format_date(dt.date.fromtimestamp(done))))
    st.button(_("Mark reviewed"), key="week_mark_reviewed", icon=":material/task_alt:",
              on_click=_mark, args=(ctx, map_id),
              help=_("Records this review; next time, \u201cwhat moved\u201d starts from here."))


def _mark(ctx: Context, map_id: int | None) -> None:
    try:
        st.session_state["week_reviewed_at"] = followup.mark_reviewed(ctx.store, ctx.actor,
                                                                      map_id)
    except OrgKitError as exc:
        st.session_state["week_error"] = exc


def _entry_link(ctx: Context, map_id: int, entry_id: int | None, label: str) -> None:
    """One click to the entry, selected on the map page (or to the map itself)."""
    params = dict(ctx.link_params())
    if ctx.role is Role.FACILITATOR:
        params["m"] = str(map_id)
    if entry_id is not None:
        params["entry"] = str(entry_id)
    st.page_link(MAP, label=label, icon=":material/arrow_forward:", query_params=params)


def _what(item) -> str:
    """What is due, as the reader reads it (the team's own words kept inert)."""
    return escape(shown(describe(item)))


def _who(item) -> str:
    if item.source == "commitment":
        return (_("made by {name}", name=escape(item.point_person)) if item.point_person
                else _("made by someone who did not show their name"))
    return (_("point person: {name}", name=escape(item.point_person)) if item.point_person
            else _("no point person yet"))


def _due(ctx: Context, week: followup.Week, names: dict, *, whole: bool) -> None:
    st.subheader(_("Due"))
    _kept_messages(ctx)
    if not week.overdue and not week.soon:
        st.success(_("Nothing is overdue or due this week."))
    for title, items in ((_("Overdue"), week.overdue), (_("Due this week"), week.soon)):
        if not items:
            continue
        st.markdown(f"**{title}** ({len(items)})")
        for item in items:
            parts = [format_date(item.due), _what(item)]
            if item.source != "commitment":
                parts.append(escape(item.entry_name))
            parts.append(_who(item))
            if item.source == "commitment" and status(item, week.today) == MISSED:
                parts.append(_("missed"))
            if whole:
                parts.append(escape(names[item.map_id]) if item.map_id in names
                             else _("no map"))
            label = " · ".join(p for p in parts if p)
            with st.container(horizontal=True, vertical_alignment="center"):
                if item.map_id is not None:
                    _entry_link(ctx, item.map_id, item.entry_id, label)
                else:
                    st.markdown(label)
                if item.source == "commitment":
                    st.button(_("Kept"), key=f"week_kept_{item.ref}", icon=":material/check:",
                              on_click=_keep, args=(ctx, item.ref, True, label),
                              help=_("Marks this commitment kept; you can undo it."))


def _keep(ctx: Context, ref: int, kept: bool, label: str) -> None:
    """A button's callback: mark a commitment kept (or take the mark back), then say so."""
    try:
        followup.set_kept(ctx.store, ctx.actor, ref, kept)
    except OrgKitError as exc:
        st.session_state["week_error"] = exc
        return
    st.session_state["week_kept"] = (ref, kept, label)


def _kept_messages(ctx: Context) -> None:
    """What the last Kept click did, with its one-click undo."""
    if (done := st.session_state.pop("week_kept", None)) is None:
        return
    ref, kept, label = done
    if not kept:
        st.info(_("Not kept after all: {what}", what=label))
        return
    st.success(_("Marked kept: {what}", what=label))
    st.button(_("Undo"), key="week_kept_undo", icon=":material/undo:", on_click=_keep,
              args=(ctx, ref, False, label))


def _gaps(ctx: Context, week: followup.Week, names: dict, *, whole: bool) -> None:
    st.subheader(_("The gaps that matter most now"))
    if not week.gaps:
        st.success(_("No gaps found."))
    for rank, (map_id, gap) in enumerate(week.gaps, 1):
        head = f"**{rank}. {escape(shown(gap.subject))}**"
        if whole:
            head += " · " + escape(names[map_id])
        st.markdown(_("{head}  \n{reason}  \n**Next step:** {step}", head=head,
                      reason=escape(shown(gap.reason)), step=escape(shown(gap.next_step))))
        if gap.suggested is not None or gap.point_person:
            st.caption(escape(shown(gap.suggested)) if gap.suggested is not None else
                       _("point person: {name}", name=escape(gap.point_person)))
        with st.container(horizontal=True):
            _gap_link(ctx, map_id, gap)
            if gap.people:
                _entry_link(ctx, map_id, gap.people[0], _("Open on the map"))


def _gap_link(ctx: Context, map_id: int, gap) -> None:
    """One click to the gap itself: the coverage page opens its map and shows it first."""
    params = {**ctx.link_params(), "gap": gap.ref}
    if ctx.role is Role.FACILITATOR:
        params["m"] = str(map_id)
    st.page_link(COVERAGE, label=_("Open the gap"), icon=":material/arrow_forward:",
                 query_params=params)


def _moved(week: followup.Week, names: dict, *, whole: bool) -> None:
    st.subheader(_("What moved since {day}", day=format_date(
        dt.date.fromtimestamp(week.since))))
    lines = []
    for one in week.teams:
        moved = one.moved
        prefix = f"{escape(one.name)}: " if whole else ""
        for level, n in moved.added.items():
            lines.append(prefix + ngettext("{n} entry added at {level}",
                                           "{n} entries added at {level}", n,
                                           level=_(LEVELS[level])))
        for level, n in moved.removed.items():
            lines.append(prefix + ngettext("{n} entry removed at {level}",
                                           "{n} entries removed at {level}", n,
                                           level=_(LEVELS[level])))
        for move in moved.up:
            lines.append(prefix + _("Up: {name}, {old} → {new}", name=escape(move.name),
                                    old=_(STAGES[move.old]), new=_(STAGES[move.new])))
        for move in moved.down:
            lines.append(prefix + _("Down: {name}, {old} → {new}", name=escape(move.name),
                                    old=_(STAGES[move.old]), new=_(STAGES[move.new])))
        for gap in moved.closed:
            lines.append(prefix + _("Gap closed: {subject}", subject=escape(shown(gap.subject))))
        for gap in moved.opened:
            lines.append(prefix + _("Gap opened: {subject}", subject=escape(shown(gap.subject))))
    for item in week.kept:
        prefix = (f"{escape(names[item.map_id])}: " if item.map_id in names else "") \
            if whole else ""
        lines.append(prefix + _("Kept: {what} · {who}", what=_what(item), who=_who(item)))
    if not lines:
        st.info(_("Nothing moved in this time."))
    else:
        st.markdown("\n".join(f"- {line}" for line in lines))


def _nudges(week: followup.Week, names: dict) -> None:
    """Per person, what is due and overdue to hand to them (a block to copy, their calendar
    file), one CSV of every list, and each team's calendar file."""
    language = current_language()
    found = nudges.nudges(week.items, week.today)
    st.caption(_("For each person who made commitments and each point person: what is overdue "
                 "and due this week, to copy into a message. Their calendar file holds every "
                 "date they have open."))
    with st.container(horizontal=True):
        st.download_button(_("Every list (CSV)"), key="nudge_csv", on_click="ignore",
                           icon=":material/download:", mime="text/csv",
                           file_name=f"nudges-{week.today.isoformat()}.csv",
                           data=lambda: nudges.nudges_csv(found, week.today, language, names))
        for one in week.teams:
            st.download_button(_("Calendar of {map} (.ics)", map=escape(one.name)),
                               key=f"nudge_team_ics_{one.map_id}", on_click="ignore",
                               icon=":material/calendar_month:", mime="text/calendar",
                               file_name=f"team-{one.map_id}-dates.ics",
                               data=functools.partial(nudges.calendar, [
                                   i for i in week.items if i.map_id == one.map_id], language))
    if not found:
        st.info(_("No one has anything overdue or due this week."))
    for n, nudge in enumerate(found):
        st.markdown(f"**{escape(nudge.name)}** · {_(nudges.AS[nudge.kind])}")
        st.code(nudges.nudge_text(nudge, week.today, language), language=None,
                wrap_lines=True)
        st.download_button(_("{name}'s dates (.ics)", name=escape(nudge.name)),
                           key=f"nudge_ics_{n}", on_click="ignore",
                           icon=":material/calendar_month:", mime="text/calendar",
                           file_name=f"dates-{n + 1}.ics",
                           data=functools.partial(nudges.calendar, nudges.open_items(
                               week.items, nudge.key), language))


def _charts(week: followup.Week) -> None:
    rows = followup.chart_rows(week)
    language = current_language()
    for name, build in figures.BUILDERS.items():
        chart, numbers = st.columns([3, 2])
        with chart:
            st.plotly_chart(build(rows[name], language), key=f"week_chart_{name}",
                            config={"displaylogo": False})
        with numbers:
            st.caption(_("The same numbers: {chart}", chart=_(figures.CHARTS[name])))
            st.dataframe(figures.table(name, rows[name], language), hide_index=True,
                         key=f"week_table_{name}", height=300)
