"""A test page for the room's step screens (power, engage, report back) until the agenda's
dispatcher lands: it resolves who is looking as every page does (without the navigation, which
needs the app's pages beside the script), then calls
orgkit.ui.step_<kind>.<view>(ctx, step) for the `kind` and `view` query parameters."""
import importlib

import streamlit as st

from orgkit import ui
from orgkit.session.model import STEP_KINDS, Step

st.set_page_config(layout="wide")
if st.query_params.get("view") == "projector":  # the projector page hides Streamlit's header
    st.html("<style>header[data-testid=stHeader]{display:none}</style>")
ctx = ui.resolve(ui.store())
kind, view = st.query_params["kind"], st.query_params["view"]
assert kind in STEP_KINDS and view in ("projector", "phone", "facilitator")
module = importlib.import_module(f"orgkit.ui.step_{kind}")
getattr(module, view)(ctx, Step(id=1, position=5, kind=kind))
