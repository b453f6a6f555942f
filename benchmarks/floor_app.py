"""Streamlit's own floor for a poll: the least a fragment run costs the server on this machine.

A minimal app whose one fragment reruns at a phone's poll interval and emits one `st.html` block
of FLOOR_BYTES characters (the size of our phone poll's, as room_load.py measured it in the same
run). benchmarks/room_load.py drives it with the same client and phone count as the still board,
so their per-poll costs compare on the same machine, in the same hour.
"""
import os

import streamlit as st

BLOCK = f"<div>{'x' * int(os.environ.get('FLOOR_BYTES', '2000'))}</div>"


@st.fragment(run_every=float(os.environ.get("FLOOR_POLL_S", "10")))
def poll() -> None:
    st.html(BLOCK)


poll()
