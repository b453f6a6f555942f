"""The seminar's definitions, one text for every screen and document that shows them: the default
agenda's definitions step (orgkit/session/default_agenda.json, each term and its meaning in English
and Spanish) is the source; the guide and the printed definitions read it from there, and the step
shows it as the workshop's agenda holds it (the default agenda's copy of the same text, or the
terms of an agenda file a facilitator imported).

They are our words written as data (text per language), not message ids: definitions are an
agenda's content, which an organization may replace, so they travel with the agenda file.
"""
from __future__ import annotations

import functools

from ..i18n import pick_text
from .agenda import DEFAULT_AGENDA, read_agenda


@functools.cache
def _step() -> dict:
    """The default agenda's definitions step, read (and checked as any agenda file) once."""
    rows = read_agenda(DEFAULT_AGENDA.read_bytes())
    return next(row for row in rows if row["kind"] == "definitions")


def title(language: str) -> str:
    """The definitions' heading (the step's title) in `language`."""
    return pick_text(_step()["title"], language)


def terms(language: str) -> list[tuple[str, str]]:
    """The seminar's (term, meaning) pairs in `language`, in the agenda's order."""
    return pick_terms(_step()["content"]["terms"], language)


def pick_terms(raw: object, language: str) -> list[tuple[str, str]]:
    """A definitions step's `terms` content as (term, meaning) pairs in `language` (else the
    other language: i18n.pick_text); anything that is not a term is skipped."""
    if not isinstance(raw, list):
        return []
    return [(pick_text(term.get("term"), language), pick_text(term.get("meaning"), language))
            for term in raw if isinstance(term, dict)]
