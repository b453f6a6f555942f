"""Our leading-emoji scan gives Streamlit's answers, and every page uses it."""
import re

import pytest
from streamlit import string_util
from streamlit.emojis import EMOJI_EXTRACTION_REGEX

from orgkit.bidi import isolate
from orgkit.ui import emoji_scan


def streamlits_scan(text: str) -> tuple[str, str]:
    """Streamlit 1.67's own body of extract_leading_emoji (the reference)."""
    if not text or text.isascii():
        return "", text
    found = re.search(EMOJI_EXTRACTION_REGEX, text)
    return ("", text) if found is None else (found.group(1), found.group(2))


@pytest.mark.parametrize("text", [
    "", "plain ASCII", "🚨 Error occurred", "🚨", "👍🏽-thanks", "1️⃣ first", "✔ raised",
    "✓ " + isolate("Tenants need repairs"), isolate("Vivienda digna · 3 votos"), "Ñandú 🚀",
    "🏳️‍🌈 pride", "\u2068🚨\u2069 isolated",
])
def test_the_scan_answers_as_streamlits_own(text):
    assert emoji_scan.extract_leading_emoji(text) == streamlits_scan(text)


def test_every_page_scans_labels_through_ours():
    import orgkit.ui.setup  # noqa: F401  (what every page imports first)

    assert string_util.extract_leading_emoji is emoji_scan.extract_leading_emoji
    assert string_util.extract_leading_icon("🚨 Error occurred") == ("🚨", "Error occurred")


def test_every_emoji_streamlit_knows_is_still_found_at_the_start():
    # The scan skips the pattern when the first character begins no emoji: every emoji must
    # still be found, alone and before a label, as Streamlit's own scan finds it.
    from streamlit.emojis import ALL_EMOJIS

    for emoji in sorted(ALL_EMOJIS):
        for text in (emoji, f"{emoji} Vivienda digna", f"\u2068{emoji}"):
            assert emoji_scan.extract_leading_emoji(text) == streamlits_scan(text), text
