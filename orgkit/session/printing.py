"""What each step of the seminar can print, as self-contained HTML documents in the reader's
language (Jinja2 templates in orgkit/session/templates with the i18n extension, every value
escaped: orgkit.templates): the agenda itself, the definitions and the candidate-forum question
bank. A table's worksheet with its map's handout code is the map's own document
(orgkit.map.worksheet.handouts, one team).

What people typed (a step's title and text, a question) is printed as written; our words are
message ids rendered in `language`.
"""
from __future__ import annotations

from .. import templates
from ..i18n import DEFAULT_LANGUAGE, pick_text, render
from . import definitions as seminar
from .model import STEP_KINDS, Step

AGENDA = "session/templates/agenda.html"
DEFINITIONS_DOC = "session/templates/definitions.html"
FORUM_QUESTIONS = "session/templates/forum_questions.html"


def agenda(title: str, steps: list[Step], language: str = DEFAULT_LANGUAGE) -> str:
    """The agenda to print: each step in order with its title and text in `language` (else the
    facilitator's other language, else the kind's name), its kind and duration, and the total."""
    rows = [{"title": pick_text(step.title, language) or render(STEP_KINDS[step.kind], language),
             "kind": STEP_KINDS[step.kind], "text": pick_text(step.text, language),
             "minutes": _minutes(step.duration_s)}
            for step in sorted(steps, key=lambda s: s.position)]
    total = sum(row["minutes"] or 0 for row in rows)
    return templates.render(AGENDA, language=language, title=title, steps=rows, total=total)


def _minutes(seconds: int | None) -> int | None:
    return None if not seconds else max(1, round(seconds / 60))


def definitions(language: str = DEFAULT_LANGUAGE) -> str:
    """The seminar's definitions to print (orgkit.session.definitions), each term in bold."""
    return templates.render(DEFINITIONS_DOC, language=language,
                            heading=seminar.title(language), terms=seminar.terms(language))


def forum_questions(title: str, questions: list[str], language: str = DEFAULT_LANGUAGE) -> str:
    """The workshop's candidate-forum question bank to print, with room to write under each."""
    return templates.render(FORUM_QUESTIONS, language=language, title=title,
                            questions=questions)
