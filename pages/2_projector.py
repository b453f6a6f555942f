"""Projector: the live board in large type, with the join code and QR code."""
import streamlit as st

from orgkit import ui
from orgkit.ui import board as board_ui

ctx = ui.page("Projector", sidebar="collapsed")

if ctx.workshop is None:
    st.title("Projector")
    st.info("Open this page from a workshop (Home → join code) to project its board.")
    st.stop()

board = board_ui.chosen_board(ctx)
if board is None:
    st.title(ui.escape(ctx.workshop.title))
    st.markdown(f"## Join code **{ctx.workshop.join_code}**")
    st.info("No board yet. The facilitator creates one on the Facilitate page.")
    st.stop()
board_ui.projector(ctx, board)
