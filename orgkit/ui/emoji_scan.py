"""Streamlit's leading-emoji scan, without the cost it pays per label.

Streamlit looks for a leading emoji in every option label of `st.pills` (and every alert body) by
`re.search(EMOJI_EXTRACTION_REGEX, text)`. The regex is already compiled, and `re.search` looks a
compiled pattern up in re's cache by hashing it; a Pattern's hash is computed over its whole
program, about 23,000 characters here, every time (45 of the 54 µs a call takes). Every label
that is not plain ASCII pays it: all of ours (bidi isolation marks; Spanish), up to
`PHONE_LIST_MAX` per phone poll, which made this scan a quarter of the room's server CPU.

`install()` replaces `streamlit.string_util.extract_leading_emoji` with the same scan through
the pattern's own `search` (same pattern, same flags, same result). It is idempotent, and
`orgkit.ui.setup` calls it once per process before any page draws.
"""
from __future__ import annotations

from streamlit import string_util


def extract_leading_emoji(text: str) -> tuple[str, str]:
    """What Streamlit's function returns: (the leading emoji, the rest), or ("", text)."""
    if not text or text.isascii():
        return "", text
    from streamlit.emojis import EMOJI_EXTRACTION_REGEX  # lazy, as Streamlit loads it

    match = EMOJI_EXTRACTION_REGEX.search(text)
    if match is None:
        return "", text
    return match.group(1), match.group(2)


def install() -> None:
    string_util.extract_leading_emoji = extract_leading_emoji
