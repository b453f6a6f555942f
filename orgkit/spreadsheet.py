"""Spreadsheet safety shared by every export and import (maps, boards, gap lists).

A text cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip
before parsing) could run as a formula when the file is opened: exports prefix such a cell with
an apostrophe, which spreadsheets show as text, and imports take that apostrophe off again so a
round trip gives back exactly what was exported.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value a spreadsheet will not run as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(value: object) -> object:
    """Undo neutralise() on an imported cell."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value
