"""Organizing guide: two definitions, the seminar's steps as a per-map checklist, forum questions."""
import streamlit as st

from orgkit import ui
from orgkit.map import service as maps
from orgkit.ui import map as map_ui

ctx = ui.page("Organizing guide", layout="centered")

st.title("Organizing guide")
st.subheader("Two ideas behind the work")
st.markdown(
    "**Transformative organizing** aims at change in the system and, along the way, in everyone "
    "doing the work: the movement grows stronger, our organizations grow more effective, the "
    "relationships between members deepen, and each of us keeps learning. It is a long-haul, "
    "whole-person approach: people on the margins develop their own leadership, learn the "
    "politics of their situation and build a shared vision from shared values.")
st.markdown(
    "**Basebuilding** means people who live with an injustice coming together to build power and "
    "grow leaders, so they can change their own conditions. It goes past informing people or "
    "collecting signatures of support: it brings new people into acting on the problem "
    "themselves, and it reaches beyond those who are already organized.")

st.subheader("The seminar's steps")
st.markdown(
    "1\\. **Find who has power over the issue**: the officials, their agenda, the issues they "
    "care about, whom they answer to, who funds them, and who we know close to them.  \n"
    "2\\. **Engage them**: one-on-ones with people in their inner circle, meetings, site visits, "
    "questions at public meetings and candidate forums.  \n"
    "3\\. **Involve the community**: leaders who speak at events, turnout to community meetings "
    "and trips to the capitol.  \n"
    "4\\. **Empower clients**: spokespeople who tell their story, leadership and self-advocacy "
    "training, voter-registration drives.")

if ctx.map is not None:
    team_maps = [ctx.map]
elif ctx.workshop is not None:
    team_maps = maps.team_maps(ctx.store, ctx.actor)
else:
    team_maps = []
if team_maps:
    st.caption("Ticked from what each map records (counts only).")
    for team_map in team_maps:
        map_ui.checklist(ctx, team_map)

if ctx.workshop is not None:
    st.subheader("Questions for a candidate forum")
    map_ui.forum_questions(ctx)
