"""What the projector's timer line and the phone's closed-board note say, from the board alone."""
from dataclasses import replace

import pytest

from orgkit.board.model import Board
from orgkit.i18n import render

BOARD = Board(id=1, workshop_id=1, prompt="?", reference_points=(), anonymous=False,
              votes_per_participant=3, moderation="open", item_limit=280, phase="collect",
              timer_ends_at=None, locked=False, revealed=False, revision=1)


@pytest.mark.parametrize("now, text", [
    (1000 - 125, "Timer: 2:05"),
    (999.5, "Timer: 0:01"),
    (1000, "Timer: 0:00 (time is up)"),
    (1060, "Timer: 0:00 (time is up)"),
    (1060.5, None),  # a minute after the end the line goes away
    (5000, None),
])
def test_timer_line_says_time_is_up_for_a_minute_then_goes(now, text):
    line = replace(BOARD, timer_ends_at=1000.0).timer_text(now)
    assert (line and render(line)) == text


@pytest.mark.parametrize("now, text", [(1000 - 125, "2:05"), (1000, "0:00 (time is up)")])
def test_the_projectors_clock_leaves_out_the_label(now, text):
    assert render(replace(BOARD, timer_ends_at=1000.0).timer_text(now, labelled=False)) == text


def test_no_timer_no_line():
    assert BOARD.timer_text(1000) is None


@pytest.mark.parametrize("phase, locked, note", [
    ("collect", False, None),
    ("group", False, None),
    ("vote", False, "The facilitator has closed new ideas for now; you can still vote."),
    ("discuss", False, "The facilitator has closed new ideas and votes for the discussion."),
    ("collect", True, "The facilitator has locked this board."),
])
def test_closed_note_says_why_a_phone_cannot_add_items(phase, locked, note):
    closed = replace(BOARD, phase=phase, locked=locked).closed_note()
    assert (closed and render(closed)) == note
