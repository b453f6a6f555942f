"""What the map's screens share: session-state keys scoped to the open map, the confirmation of
the last save (kept across the rerun and shown beside its button), a vocabulary select, and a row
of per-level targets."""
from __future__ import annotations

import contextlib

import streamlit as st

from ..domain import LEVELS
from ..i18n import _
from ..map import model as map_model
from .identity import Context


def state(ctx: Context, name: str) -> str:
    """A session-state key scoped to this map."""
    return f"map{ctx.map['id']}_{name}"


def flash(ctx: Context, message: str, where: str = "page") -> None:
    """Keep a rendered confirmation for the next run, for the place named `where` (show_flash
    there): it shows beside the button that caused it, where the person's eyes are."""
    st.session_state[state(ctx, f"flash_{where}")] = message


def show_flash(ctx: Context, where: str = "page") -> None:
    """The confirmation of the last save made at `where`, shown once after the rerun.

    Always one container, so the elements below keep their place and the selected tab stays."""
    message = st.session_state.pop(state(ctx, f"flash_{where}"), None)
    slot = st.container()
    if message:
        slot.success(message)


@contextlib.contextmanager
def save_row(ctx: Context, where: str):
    """A row for a save button with the confirmation of the last save at `where` beside it (on a
    phone, right under it): `with save_row(ctx, "entry"): clicked = st.button(...)`."""
    with st.container(horizontal=True, vertical_alignment="center"):
        yield
        show_flash(ctx, where)


def choice(label: str, vocab: dict, value: str, key: str) -> str:
    """A select over a vocabulary (stable keys, marked labels) starting at `value`."""
    options = list(vocab)
    return st.selectbox(label, options, index=options.index(value),
                        format_func=lambda k: _(vocab[k]), key=key)


def target_inputs(label_of, key: str, values: dict[str, int] | None = None) -> dict[str, int]:
    """A row of number inputs, one per level (labelled label_of(level key)), for a map's
    per-level targets: 0..TARGET_MAX, starting at `values` (else 0). Each key carries the value
    it starts from, so a target saved elsewhere is shown, not the number typed before it."""
    values = values or {}
    return {level: column.number_input(label_of(level), min_value=0,
                                       max_value=map_model.TARGET_MAX,
                                       value=values.get(level, 0), step=1,
                                       key=f"{key}_{level}_{values.get(level, 0)}")
            for column, level in zip(st.columns(len(LEVELS)), LEVELS)}
