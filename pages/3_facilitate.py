"""Facilitator tools: unlock with the PIN, then boards, maps and exports for the workshop."""
import streamlit as st

from orgkit import ui
from orgkit.domain import Role
from orgkit.ui import backups as backups_ui
from orgkit.ui import board as board_ui
from orgkit.ui import map as map_ui

ctx = ui.page("Facilitate")

if ctx.workshop is None:
    st.title("Facilitator tools")
    st.info("Open a workshop first: create one or join one by code on the home page.")
    st.stop()

st.title(f"Facilitate: {ui.escape(ctx.workshop.title)}")
if ctx.role is not Role.FACILITATOR:
    st.write("Enter the workshop's facilitator PIN to moderate boards, see every map and export.")
    ui.unlock_form(ctx)
    st.stop()

st.success(f"Unlocked. Join code **{ctx.workshop.join_code}**.")
map_ui.facilitator_maps(ctx)
board_ui.facilitator_section(ctx)
backups_ui.backup_section(ctx)
