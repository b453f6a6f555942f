"""A team's relationship map: the worksheet's four levels, one entry in full, links, actions,
import/export and the printable worksheet."""
import streamlit as st

from orgkit import ui
from orgkit.domain import LEVELS
from orgkit.map import worksheet
from orgkit.ui import map as map_ui

ctx = ui.page("Relationship map")

if ctx.map is None and ctx.actor.is_facilitator:
    ctx.map = map_ui.choose_map(ctx)
if ctx.map is None:
    st.title("Relationship map")
    if ctx.actor.is_facilitator:
        st.info("Choose a team's map in the sidebar.")
    else:
        st.write("Type your team's map code, or scan its QR code (your facilitator has both).")
        map_ui.open_by_code(ctx)
    st.stop()

view = map_ui.load(ctx)  # the map, its entries, links and actions: read once per run
map_ui.header(ctx, view)
map_ui.targets_form(ctx)
map_ui.show_flash(ctx)
tabs = st.tabs(["By level", "One entry", "Links", "Actions and next steps", "Import and export",
                "Print"], key="map_tabs")

with tabs[0]:
    for level, label in LEVELS.items():
        st.subheader(label)
        st.caption(worksheet.INTRO[level])
        st.markdown(" · ".join(f"*{ui.escape(q)}*" for q in worksheet.QUESTIONS[level]))
        if level in worksheet.CAUTION:
            st.warning(worksheet.CAUTION[level], icon=":material/front_hand:")
        map_ui.level_table(ctx, view, level)
with tabs[1]:
    map_ui.entry_form(ctx, view)
with tabs[2]:
    map_ui.links_section(ctx, view)
with tabs[3]:
    map_ui.actions_section(ctx, view)
with tabs[4]:
    st.subheader("Export")
    map_ui.export_section(ctx)
    st.subheader("Import")
    map_ui.import_section(ctx)
with tabs[5]:
    map_ui.print_section(ctx, view)
