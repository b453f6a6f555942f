"""Streamlit's leading-emoji scan, without the cost it pays per label.

Streamlit looks for a leading emoji in every option label of `st.pills` (and every alert body) by
`re.search(EMOJI_EXTRACTION_REGEX, text)`. The regex is already compiled, and `re.search` looks a
compiled pattern up in re's cache by hashing it; a Pattern's hash is computed over its whole
program, about 23,000 characters here, every time (45 of the 54 µs a call takes). Every label
that is not plain ASCII pays it: all of ours (bidi isolation marks; Spanish), up to
`PHONE_LIST_MAX` per phone poll, which made this scan a quarter of the room's server CPU.

`install()` replaces `streamlit.string_util.extract_leading_emoji` with the same scan through
the pattern's own `search` (same pattern, same flags, same result). The pattern is anchored at
the text's start, so a text whose first character begins no emoji cannot match, and is answered
from a set of those first characters without running the pattern at all: the pattern's own
`search` still costs about 8 µs a label, a sixth of the flowing room's server CPU, and none of
our labels starts with an emoji (they start with a bidi isolation mark or a ✓). It is
idempotent, and `orgkit.ui.setup` calls it once per process before any page draws.
"""
from __future__ import annotations

import functools

from streamlit import string_util


@functools.cache
def _emoji_starts() -> frozenset[str]:
    """The first character of every emoji the pattern knows (loaded lazily, as Streamlit does)."""
    from streamlit.emojis import ALL_EMOJIS

    return frozenset(emoji[0] for emoji in ALL_EMOJIS)


def extract_leading_emoji(text: str) -> tuple[str, str]:
    """What Streamlit's function returns: (the leading emoji, the rest), or ("", text)."""
    if not text or text.isascii() or text[0] not in _emoji_starts():
        return "", text
    from streamlit.emojis import EMOJI_EXTRACTION_REGEX  # lazy, as Streamlit loads it

    match = EMOJI_EXTRACTION_REGEX.search(text)
    if match is None:
        return "", text
    return match.group(1), match.group(2)


def install() -> None:
    string_util.extract_leading_emoji = extract_leading_emoji
