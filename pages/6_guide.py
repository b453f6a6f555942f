"""Organizing guide: definitions, the seminar's steps as a checklist, forum questions."""
import streamlit as st

from orgkit import ui

ctx = ui.page("Organizing guide", layout="centered")

st.title("Organizing guide")
st.info("Definitions, the per-map checklist of the seminar's steps and the candidate-forum "
        "question bank arrive here with the map issue.")
