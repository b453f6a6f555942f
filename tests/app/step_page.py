"""One step kind's screen for one role, drawn as the agenda's dispatcher will draw it
(`/step_page?kind=<kind>&screen=projector|phone|facilitator`), for the page and browser tests
of the step modules before the agenda lands. The step's own text comes from `text`."""
import importlib

import streamlit as st

from orgkit.session.model import STEP_KINDS, Step
from orgkit.ui import setup
from orgkit.ui.identity import resolve

# ui.page without its navigation, whose links name the app's own pages (this file is not one)
st.html(setup.TARGETS_CSS)
ctx = resolve(setup.store())
kind, screen = st.query_params.get("kind", ""), st.query_params.get("screen", "")
if kind in STEP_KINDS and screen in ("projector", "phone", "facilitator"):
    step = Step(id=1, position=0, kind=kind, text={"en": st.query_params.get("text", "")})
    module = importlib.import_module(f"orgkit.ui.step_{kind}")
    if screen == "phone":  # as the room draws it: the step's form, then its poll (a fragment)
        if hasattr(module, "phone_form"):
            module.phone_form(ctx, step)
        st.fragment(run_every=st.query_params.get("poll") or None)(
            lambda: module.phone(ctx, step))()
    else:
        getattr(module, screen)(ctx, step)
