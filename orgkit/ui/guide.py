"""The organizing guide: the seminar's definitions (orgkit.session.definitions, the same text as
the definitions step and the printed definitions), the seminar's steps, each map's checklist
ticked from its data (counts only: safe for anyone), and the candidate-forum question bank (the
facilitator edits it)."""
from __future__ import annotations

import streamlit as st

from ..domain import OrgKitError
from ..i18n import _
from ..map import service as maps
from ..markdown import escape
from ..session import definitions
from ..workshop import service as workshops
from .forms import in_languages, mirrored, show_error
from .identity import Context

TICK, CROSS = "✔", "✘"


def screen(ctx: Context) -> None:
    """The guide, with the checklists of the maps this person may see and the question bank."""
    st.title(_("Organizing guide"))
    st.subheader(escape(definitions.title(ctx.language)), anchor=False)
    for term, meaning in definitions.terms(ctx.language):
        st.markdown(f"**{escape(term)}**: {escape(meaning)}")
    st.subheader(_("The seminar's steps"))
    st.markdown(_(
        "1\\. **Find who has power over the issue**: the officials, their agenda, the issues "
        "they care about, whom they answer to, who funds them, and who we know close to them.  \n"
        "2\\. **Engage them**: one-on-ones with people in their inner circle, meetings, site "
        "visits, questions at public meetings and candidate forums.  \n"
        "3\\. **Involve the community**: leaders who speak at events, turnout to community "
        "meetings and trips to the capitol.  \n"
        "4\\. **Empower clients**: spokespeople who tell their story, leadership and "
        "self-advocacy training, voter-registration drives."))
    if ctx.map is not None:
        team_maps = [ctx.map]
    elif ctx.workshop is not None:
        team_maps = maps.team_maps(ctx.store, ctx.actor)
    else:
        team_maps = []
    if team_maps:
        st.caption(_("Ticked from what each map records (counts only)."))
        for team_map in team_maps:
            checklist(ctx, team_map)
    if ctx.workshop is not None:
        st.subheader(_("Questions for a candidate forum"))
        forum_questions(ctx)


def step_line(step) -> str:
    """One line of a map's checklist as plain text: a tick or a cross, the step and its count."""
    return _("{mark} {label} — {detail}", mark=TICK if step.done else CROSS,
             label=_(step.label), detail=_(step.detail))


def checklist(ctx: Context, map_row: dict) -> None:
    """The seminar's steps for one map, ticked from its data (counts only: safe for anyone).

    Plain text at full contrast, one block per map: it is read off a projector, where disabled
    checkboxes' pale grey labels fade; the tick or cross says it without relying on colour."""
    lines = maps.map_checklist(ctx.store, ctx.actor, map_row["id"])
    st.markdown("  \n".join([f"**{escape(map_row['name'])}**",
                             *(escape(step_line(line)) for line in lines)]))


def forum_questions(ctx: Context) -> None:
    """The candidate-forum question bank; the facilitator can edit it."""
    questions = workshops.forum_questions(ctx.store, ctx.actor, ctx.language)
    for number, question in enumerate(questions, start=1):
        st.markdown(f"{number}\\. {escape(question)}")
    if not questions:
        st.caption(_("No questions yet."))
    if not ctx.actor.is_facilitator:
        return
    with st.form("forum_questions"):
        # The key carries the questions as stored: saved (and cleaned) here or elsewhere, the
        # field shows them anew.
        stored = (workshops.forum_question_texts(ctx.store, ctx.actor) or {
            ctx.language: "\n".join(workshops.forum_questions(ctx.store, ctx.actor))})
        text = in_languages(st.text_area, _("Edit the questions (one per line)"),
                            mirrored("forum_questions_text", stored), ctx.language, stored,
                            height=240)
        if st.form_submit_button(_("Save questions"), key="forum_questions_save"):
            try:
                workshops.save_forum_questions(ctx.store, ctx.actor, text)
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.rerun()
