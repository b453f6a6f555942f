"""The lead's "This week": what is due, what moved since the last review, the gaps that matter
most now, and the charts over time (orgkit.ui.this_week)."""
import streamlit as st

from orgkit import ui
from orgkit.domain import Role
from orgkit.i18n import N_, _
from orgkit.ui import this_week

ctx = ui.page(N_("This week"))

if ctx.role not in (Role.FACILITATOR, Role.TEAM_MEMBER):
    st.title(_("This week"))
    st.info(_("This is the leads' screen: open it with your team map's private link, or unlock "
              "the workshop with the facilitator's PIN."))
    st.stop()

this_week.screen(ctx)
