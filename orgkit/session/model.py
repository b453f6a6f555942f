"""A workshop's agenda: ordered steps the facilitator walks; the projector and every phone show
the step the room is on.

A step has a kind (what its screens are: `STEP_KINDS`), a title and a text the facilitator may
write in both languages (`LocalText`, read with `i18n.pick_text`), an optional duration and its
kind's own settings in `content` (e.g. a brainstorm step's board). Each kind's screens live in
`orgkit/ui/step_<kind>.py`, one module per kind, each with `projector(ctx, step)`,
`phone(ctx, step)` and `facilitator(ctx, step)`.

Pure: nothing here touches the store or streamlit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import N_, LocalText

# The kinds, in the seminar's order (the default agenda follows it).
STEP_KINDS = {
    "welcome": N_("Welcome"),
    "definitions": N_("Definitions"),
    "brainstorm": N_("Brainstorm"),
    "reveal": N_("Reveal"),
    "tables": N_("At the tables"),
    "power": N_("Who holds power"),
    "engage": N_("Engage and involve"),
    "report_back": N_("Report back"),
    "commitments": N_("Commitments"),
    "close": N_("Close"),
}


@dataclass(frozen=True)
class Step:
    """One step of an agenda as every role may see it."""

    id: int
    position: int  # 0-based order in its agenda
    kind: str  # a key of STEP_KINDS
    title: LocalText = field(default_factory=dict)
    text: LocalText = field(default_factory=dict)
    duration_s: int | None = None
    content: dict[str, Any] = field(default_factory=dict)  # the kind's settings, e.g. board_id
