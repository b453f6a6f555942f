"""Coverage and gaps: charts across levels, the network, the power grid and the gap finder."""
import streamlit as st

from orgkit import ui

ctx = ui.page("Coverage and gaps")

st.title("Coverage and gaps")
if ctx.workshop is None:
    st.info("Open a workshop or a team map to see its coverage.")
    st.stop()

counts = ctx.store.maps.level_counts(ctx.workshop.id)
st.metric("Entries across the workshop's maps", sum(row["n"] for row in counts))
st.info("Charts by level and stage, the network graph, the power grid and the gap finder "
        "arrive here with the coverage issue.")
