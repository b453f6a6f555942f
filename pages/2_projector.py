"""Projector: the live board in large type, with the join code and QR code."""
import streamlit as st

from orgkit import ui

ctx = ui.page("Projector")

if ctx.workshop is None:
    st.title("Projector")
    st.info("Open this page from a workshop (Home → join code) to project its board.")
    st.stop()

st.title(ui.escape(ctx.workshop.title))
st.markdown(f"## Join at this page with code **{ctx.workshop.join_code}**")
st.info("The live board (items as they arrive, votes, themes, timer and QR code) arrives here "
        "with the board issue.")
