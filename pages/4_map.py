"""A team's relationship map: the worksheet's four levels, links and actions."""
import streamlit as st

from orgkit import ui

ctx = ui.page("Relationship map")

if ctx.map is None:
    st.title("Relationship map")
    st.info("Open your team's map by its private link (your facilitator has it).")
    st.stop()

st.title(ui.escape(ctx.map["name"]))
st.caption(ui.escape(ctx.map["issue"]))
st.info("Editing the map by level, links and actions arrives here with the map issue.")
