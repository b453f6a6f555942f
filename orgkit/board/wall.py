"""Projector windows in size classes (Wall): what each class's pages are packed for, and which
class a window of a given size is in.

A projector's browser says its window's size once (the `wall` parameter, orgkit.ui.projector);
the server packs the board's pages for the roomiest class that window holds with its type at the
room's floor, so a large window uses the room it has while many projectors of a few sizes share
a few builds per revision. A window whose size is unknown gets pages that fit any window.
"""
from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..i18n import Message, msg

@dataclass(frozen=True)
class Wall:
    """A class of projector windows: the boxes its pages are packed for, in type units (width,
    height of the area beside the QR), every window of the class holding one of them at a size
    not under the floor, and the numbers of columns they take, fewest first: a board that fits
    one screen in wide columns has them, one that needs more takes more. The browser says its
    window's size once (wall_for); the class, not the size, keys the shared pages, so a room of
    projectors of a few sizes costs a few builds per revision."""

    name: str
    boxes: tuple[tuple[float, float], ...]
    columns: tuple[int, ...] = (2,)  # at least 26 characters a line at the unit

    def unit_css(self) -> str:
        """The type unit: the largest at which one of the boxes fits the window, never under
        the floor."""
        fits = ",".join(f"min(100vh / {h},var(--main) / {w})" for w, h in self.boxes)
        return f"--u:max(var(--fl),{fits})"


# A window whose size is not known yet (or fits no class) gets pages that fit both of these
# boxes, which every window from 1024×768 up holds at the floor (1280×720 and any 16:9 window:
# the first; 1024×768 and 4:3: the second); a window with room to spare shows them larger.
ANY_WALL = Wall("any", ((39.0, 30.0), (35.0, 38.4)))
# The classes, roomiest first, and their tightest windows in type units at the floor: any 16:9
# window from 1664×936 up (1920×1080, 3840×2160: 54.9 × 38.5), 1366×768 (52.5 × 38.5),
# 1280×800 (46.2 × 38.5), 1024×768 (35.4 × 38.5), 1280×720 (40.2 × 30).
WALLS = (Wall("16:9", ((54.5, 38.4),), (3, 4)), Wall("1366", ((52.0, 38.4),), (3, 4)),
         Wall("16:10", ((46.0, 38.4),), (2, 3)), Wall("4:3", ((35.0, 38.4),)),
         Wall("720", ((39.0, 30.0),)))
# The room's floor for type as a share of the window's height (at 720 px and below, and above),
# and the QR column's width (as the CSS sets --qr and --main): what wall_for measures with.
FLOOR_SMALL, FLOOR, SMALL_MAX_PX = 1 / 30, 0.026, 720
QR_VH, QR_MIN_PX, MARGINS_VH = 0.30, 280, 0.05
WINDOW_PX = (200, 10_000)  # a window size outside these is not a projector's: ANY_WALL
_WINDOW = re.compile(r"(\d{3,5})x(\d{3,5})")


def wall_for(width: int, height: int) -> Wall:
    """The roomiest class whose boxes a window of `width` × `height` px holds with its type at
    the floor; ANY_WALL for a window that holds none."""
    floor = height * (FLOOR_SMALL if height <= SMALL_MAX_PX else FLOOR)
    room_w = (width - max(QR_VH * height, QR_MIN_PX) - MARGINS_VH * height) / floor
    room_h = height / floor
    for wall in WALLS:
        if all(w <= room_w and h <= room_h + 0.01 for w, h in wall.boxes):
            return wall
    return ANY_WALL


def wall_named(size: object) -> Wall:
    """The class of the window a projector's `wall` parameter names ("1920x1080", as its
    browser measured it); ANY_WALL for anything else."""
    found = _WINDOW.fullmatch(size) if isinstance(size, str) else None
    if found is None:
        return ANY_WALL
    width, height = int(found[1]), int(found[2])
    low, high = WINDOW_PX
    if not (low <= width <= high and low <= height <= high):
        return ANY_WALL
    return wall_for(width, height)


PAGE_S = 12  # a board that needs several screens turns a page this often
T = TypeVar("T")


def page_line(number: int, pages: int) -> Message:
    """The foot of one of a wall's turning pages: which it is, and how often they turn."""
    return msg("Page {number} of {pages} · turns every {seconds} s", number=number, pages=pages,
               seconds=PAGE_S)


def page_due(pages: Sequence[T], now: float | None = None) -> T:
    """The page a wall of turning pages shows now: each for PAGE_S seconds, in turn."""
    return pages[int((time.time() if now is None else now) // PAGE_S) % len(pages)]
