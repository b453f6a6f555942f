"""The definitions step: the terms and their meanings, in large text on the projector (the
projector's language) and in each phone's own language on the phones.

The terms are the step's content (`terms`: a list of {term, meaning}, each text per language),
from the default agenda (the seminar's one text of them, orgkit.session.definitions, which the
guide and the printed definitions read too) or an imported agenda file, so they are shown as
written (escaped, isolated), never as Markdown.
"""
from __future__ import annotations

import streamlit as st

from ..bidi import isolate_html
from ..i18n import _, pick_text
from ..markdown import escape
from ..session.definitions import pick_terms
from ..session.model import Step
from . import room, step_print
from .identity import Context

# Past this many characters of text the projector uses its smaller type, so three long
# definitions still fit 1280×720.
DENSE_CHARS = 700


def _terms(step: Step, language: str) -> list[tuple[str, str]]:
    return pick_terms(step.content.get("terms"), language)


def _body(step: Step, language: str) -> str:
    text = pick_text(step.text, language)
    lead = f'<p class="ok-body">{isolate_html(text)}</p>' if text else ""
    terms = "".join(f"<dt>{isolate_html(term)}</dt><dd>{isolate_html(meaning)}</dd>"
                    for term, meaning in _terms(step, language))
    return lead + (f"<dl>{terms}</dl>" if terms else "")


def projector(ctx: Context, step: Step) -> None:
    size = sum(len(term) + len(meaning) for term, meaning in _terms(step, ctx.language))
    st.html(room.projector_html(escape(_("Definitions")),
                                isolate_html(room.title(step, ctx.language)),
                                _body(step, ctx.language), dense=size > DENSE_CHARS))


PHONE_CSS = """<style>
.ok-defs dt{font-weight:700;font-size:18px;margin-top:10px}
.ok-defs dd{margin:2px 0 0 0;font-size:17px;line-height:1.4;overflow-wrap:anywhere}
.ok-defs .ok-body{font-size:17px;white-space:pre-wrap}
</style>"""


def phone(ctx: Context, step: Step) -> None:
    st.subheader(escape(room.title(step, ctx.language)), anchor=False)
    st.html(f'{PHONE_CSS}<div class="ok-defs">{_body(step, ctx.language)}</div>')


def facilitator(ctx: Context, step: Step) -> None:
    terms = _terms(step, ctx.language)
    if not terms:
        st.caption(_("This step has no definitions yet: import an agenda file that has them."))
        return
    st.caption(_("On the projector now, in large type; each phone reads them in its own "
                 "language."))
    st.html(f'{PHONE_CSS}<div class="ok-defs">{_body(step, ctx.language)}</div>')
    step_print.definitions(ctx)
