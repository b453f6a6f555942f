"""Projector: the live board in large type, with the join code and QR code."""
import streamlit as st

from orgkit import ui
from orgkit.i18n import N_, _
from orgkit.ui import projector

ctx = ui.page(N_("Projector"), sidebar="collapsed", shared_screen=True)

if ctx.workshop is None:
    st.title(_("Projector"))
    st.info(_("Open this page from a workshop (Home → join code) to project its board."))
    st.stop()

projector.screen(ctx)
