"""Participant phone view: the QR code lands here; join and add to the live board."""
import streamlit as st

from orgkit import ui
from orgkit.i18n import N_
from orgkit.ui import phone

ctx = ui.page(N_("Join"), layout="centered", sidebar="collapsed")

if ctx.workshop is None:
    phone.join_screen(ctx)
    st.stop()

phone.screen(ctx)
