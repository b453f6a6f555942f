"""Coverage and gaps: one team's map in full (its team, or the facilitator choosing a map), and
the workshop-wide view that is safe to project (counts, levels, stages, organization names)."""
import streamlit as st

from orgkit import ui
from orgkit.i18n import N_, _
from orgkit.ui import coverage

ctx = ui.page(N_("Coverage and gaps"))

if ctx.workshop is None:
    st.title(_("Coverage and gaps"))
    st.info(_("Open a workshop (join code) or a team map (its private link) to see coverage."))
    st.stop()

coverage.screen(ctx)
