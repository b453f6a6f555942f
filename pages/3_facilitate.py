"""Facilitator tools: unlock with the PIN, then boards, maps and exports for the workshop."""
import streamlit as st

from orgkit import ui
from orgkit.domain import Role
from orgkit.i18n import N_, _
from orgkit.ui import facilitate

ctx = ui.page(N_("Facilitate"))

if ctx.workshop is None:
    st.title(_("Facilitator tools"))
    st.info(_("Open a workshop first: create one or join one by code on the home page."))
    st.stop()

if ctx.role is not Role.FACILITATOR:
    facilitate.locked_screen(ctx)
    st.stop()

facilitate.screen(ctx)
