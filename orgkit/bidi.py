"""User text shown beside other text, isolated so that its direction stays its own: one function
per medium.

A right-to-left name (Arabic, Hebrew) beside our words or a vote count must show as written, and
neither it nor a direction control it carries (an override U+202E in an item's text) may reorder
the text around it. Unicode's isolates do this: what sits between an isolate's start and end
takes its direction from its own first strong letter and acts on its surroundings as one neutral
character, and the isolate's end closes whatever embedding or override the text opened inside.

- `isolate_html(text)`: HTML-escaped and wrapped in <bdi>, for the HTML we build (the projector,
  the reveal, the phone's own items).
- `isolate(text)`: wrapped in U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, for
  what no tag can reach: widget labels and options, table cells, Markdown.

Both first balance the text's own isolates (a lone U+2069 would end ours early and let an
override inside it run on past the end; a lone U+2066-U+2068 would swallow our end), so the
wrapper always closes exactly what it opened. Nothing else in the text is touched.
"""
from __future__ import annotations

import re
from html import escape

FSI, PDI = "\u2068", "\u2069"
_ISOLATE_STARTS = frozenset("\u2066\u2067\u2068")
# Most text has no isolate mark at all: one search in C decides that, on every label of a board
# rebuilt at each revision, before any character is looked at in Python.
_ANY_ISOLATE = re.compile("[\u2066-\u2069]")


def _balanced(text: str) -> str:
    """`text` with each lone isolate end dropped and each open isolate closed at its end."""
    if not _ANY_ISOLATE.search(text):
        return text
    depth, kept = 0, []
    for char in text:
        if char in _ISOLATE_STARTS:
            depth += 1
        elif char == PDI:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return "".join(kept) + PDI * depth


def isolate(text: object) -> str:
    """str(text) between FSI and PDI: plain text (a label, an option, a cell) that keeps its
    direction to itself."""
    return f"{FSI}{_balanced(str(text))}{PDI}"


def isolate_html(text: object) -> str:
    """str(text) HTML-escaped inside <bdi>: an element that keeps its direction to itself."""
    return f"<bdi>{escape(_balanced(str(text)))}</bdi>"
