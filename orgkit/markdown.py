"""Text shown through Streamlit's Markdown, made to show as written: one escaper, `escape`.

st.markdown, titles, captions, alerts (st.error, st.success ...), toasts, tab and expander titles,
widget labels and help, page links and the phone's vote options all read their string as
Markdown: CommonMark, with GitHub's tables, strikethrough and autolinks, and Streamlit's own
`:material/icon:` icons, `:red[...]` colours and badges, `:emoji:` shortcodes and `$...$` LaTeX.
What a person typed (an idea, a name, a file's header) and every sentence of ours that quotes it
go through `escape` on the way in, so that they show as the text itself and never as markup:

- A backslash before each character that makes markup anywhere in a line: \\ ` * _ [ ] < > | ~ $
  and & (escapes, code, emphasis, links and images, raw HTML and <autolinks>, tables,
  strikethrough, LaTeX, entities such as &lt;). With the brackets escaped, ! ( ) make nothing.
- A backslash before what starts a block, only where it would: a line's first # (heading), - or
  + (list, rule, underline of a heading) or = (underline of a heading), and the . or ) after a
  line's first number when a space, a tab or the line's end follows (ordered list).
- The spaces and tabs at either end of each line are dropped: indentation would make a code
  block and two trailing spaces a line break (a browser collapses them anyway).
- A word joiner (U+2060: invisible, zero width) after each colon followed by a visible character,
  after each @ and between www and its dot. Streamlit makes icons, colours, shortcodes and links
  of bare URLs (http://..., www...., e-mail addresses) after Markdown's escapes are resolved, so
  a backslash does not stop them (seen in Chromium); the joiner breaks each pattern.

Everything else is left as it is, so one escaper serves a person's text and our sentences alike:
"Row 3: 2-3 p.m. (#1), 1.5 MB!" comes back unchanged and reads (and tests) as written. What
shows is exactly the text given, but for the word joiners, whitespace (each line's ends trimmed;
a line break and any run of spaces show as a browser shows them, a blank line starts a new
paragraph) and U+0000, which Markdown shows as U+FFFD. tests/unit/test_markdown.py renders
escaped text, arbitrary and hostile, with a CommonMark renderer to hold all of this. Our own
Markdown around an escaped value (`f"**{escape(name)}**"`) stays ours: the value cannot close it.
"""
from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_LINE_BREAK = re.compile(r"\r\n?|\n")  # CommonMark's line endings, and no others
_INLINE = re.compile(r"([\\`*_\[\]<>|~$&])")
_BLOCK_START = re.compile(r"^([#+=-])|^(\d+)([.)])(?=[ \t]|$)")
_AUTOLINKED = re.compile(r"(:)(?=\S)|(?<=www)(\.)|(@)", re.IGNORECASE)


def _block_start(match: re.Match) -> str:
    return f"\\{match[1]}" if match[1] else f"{match[2]}\\{match[3]}"


def _line(line: str) -> str:
    return _BLOCK_START.sub(_block_start, _INLINE.sub(r"\\\1", line.strip(" \t")), count=1)


def _joined(match: re.Match) -> str:
    return WORD_JOINER + match[0] if match[2] else match[0] + WORD_JOINER


def escape(text: object) -> str:
    """`text` (str() of anything: an error, a number) as Markdown that shows it as written: see
    the module's docstring for what is neutralised and why."""
    escaped = "\n".join(_line(line) for line in _LINE_BREAK.split(str(text)))
    return _AUTOLINKED.sub(_joined, escaped)
