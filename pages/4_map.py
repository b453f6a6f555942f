"""A team's relationship map: the worksheet's four levels, one entry in full, links, actions,
import/export and the printable worksheet."""
import streamlit as st

from orgkit import ui
from orgkit.i18n import N_
from orgkit.ui import map_page

ctx = ui.page(N_("Relationship map"))

if ctx.map is None and not ctx.actor.is_facilitator:
    map_page.no_map_screen(ctx)
    st.stop()

map_page.screen(ctx)
