"""Home: create a workshop, join one by code, or open the demo. Nothing else."""
import streamlit as st

from orgkit import demo, ui
from orgkit.domain import JOIN_CODE_LENGTH, PIN_MIN, OrgKitError
from orgkit.workshop import service as workshops

ctx = ui.page("Home", layout="centered")

st.title("OrgKit")
st.write("Brainstorm live with the room, map the relationships your campaign needs, "
         "and see who is still missing.")

join_tab, create_tab, demo_tab = st.tabs(["Join a workshop", "Create a workshop", "Try the demo"],
                                         key="home_tabs")

with join_tab:
    workshop = ui.join_form(ctx, "join",
                            help=f"The {JOIN_CODE_LENGTH}-character code on the projector.")
    if workshop is not None:
        st.switch_page("pages/1_join.py", query_params={"code": workshop.join_code})
    st.page_link("pages/4_map.py", label="Open your team's map with its map code",
                 icon=":material/hub:")

with create_tab:
    with st.form("create"):
        title = st.text_input("Workshop title", key="create_title",
                              placeholder="Community-based organizing seminar")
        held_on = st.date_input("Date", value=None, format="YYYY-MM-DD", key="create_date")
        pin = st.text_input("Facilitator PIN", type="password", key="create_pin",
                            help=f"At least {PIN_MIN} characters. You need it to moderate, export "
                                 "or reset.")
        if st.form_submit_button("Create workshop", type="primary", key="create_submit"):
            try:
                # One key per submitted form: a double click creates one workshop, not two.
                created = workshops.create_workshop(
                    ctx.store, title, held_on, pin,
                    ui.submission_key("create_workshop", (title, held_on, pin)))
            except OrgKitError as exc:
                ui.show_error(exc)
            else:
                ui.unlock_here(ctx.store, created.id)  # whoever set the PIN is the facilitator
                st.session_state["created_workshop"] = created
    created = st.session_state.get("created_workshop")
    if created is not None:
        st.success(f"Workshop created. Join code: **{created.join_code}**")
        st.page_link("pages/3_facilitate.py", label="Open facilitator tools",
                     icon=":material/admin_panel_settings:",
                     query_params={"code": created.join_code})

with demo_tab:
    showcase = demo.showcase(ctx.store)
    if showcase is None:
        st.info("This database has no demo workshop.")
    else:
        st.write(f"**{ui.escape(showcase.title)}**: three team maps, a live brainstorm board "
                 "and coverage charts, filled in so you can look around.")
        st.caption(demo.DEMO_PIN_NOTE)
        st.page_link("pages/1_join.py", label="Join the demo as a participant",
                     icon=":material/smartphone:", query_params={"code": showcase.join_code})
        st.page_link("pages/3_facilitate.py", label="Open the demo's facilitator tools",
                     icon=":material/admin_panel_settings:",
                     query_params={"code": showcase.join_code})
        if showcase.map_token:
            st.page_link("pages/4_map.py", label=f"Open a team map ({ui.escape(showcase.map_name)})",
                         icon=":material/hub:", query_params={"map": showcase.map_token})
