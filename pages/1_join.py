"""Participant phone view: the QR code lands here; join and add to the live board."""
import streamlit as st

from orgkit import ui
from orgkit.domain import Role
from orgkit.ui import board as board_ui
from orgkit.workshop import service as workshops

ctx = ui.page("Join", layout="centered", sidebar="collapsed")

if ctx.workshop is None:
    st.title("Join a workshop")
    if (workshop := ui.join_form(ctx, "join_code")) is not None:
        st.query_params["code"] = workshop.join_code
        st.rerun()
    st.stop()

st.title(ui.escape(ctx.workshop.title))
# The board first: a bad `board` parameter stops the page before anyone joins.
board = board_ui.chosen_board(ctx)
if ctx.role is Role.VISITOR:
    # Arrived by code (the QR) as nobody yet: give this phone an identity, remembered by its
    # browser and kept in the URL too, so a rescan, a reload or a dropped connection comes back
    # as the same participant.
    _, ctx.actor, ctx.participant_token = workshops.join(ctx.store, ctx.workshop.join_code,
                                                         device=ui.device())
if ctx.participant_token and st.query_params.get("p") != ctx.participant_token:
    st.query_params["p"] = ctx.participant_token
st.caption(f"Joined with code {ctx.workshop.join_code}.")
if board is None:
    st.info("The facilitator has not opened a board yet. Keep this page open.")
    st.stop()
board_ui.phone(ctx, board)
