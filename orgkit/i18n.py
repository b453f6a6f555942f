"""Our own text as message ids: the core marks it, the screen renders it in the reader's language.

gettext-style: the English text is the message id. Three markers, each a keyword that Babel's
extractor knows (`pybabel extract -k N_ -k msg -k nmsg:1,2 -k _ -k ngettext:1,2`):

- `N_("Directly impacted people")` marks a constant (a vocabulary label, a field's name) and
  returns the id itself: the screen translates it when it draws it (`_(LEVELS[level])`).
- `msg("is {n} characters; the limit is {limit}", n=..., limit=...)` is a `Message`: an id and
  the values that fill its `{name}` placeholders. Errors, gaps and their next steps, import notes
  and checklist lines leave the core this way; a value may itself be a `Message` or a marked id.
- `nmsg("{n} item", "{n} items", n)` is the same with a plural, chosen by `n`.

`_()` and `render()` turn them into text. Today the only catalog is English (the ids); the
bilingual issue adds the Spanish catalog and chooses it per session: nothing here switches a
language for the whole process (no `gettext.install()`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Message:
    """A text for a person: its id (the English text) and the values of its placeholders."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:  # logs, tests and the command line read English
        return render(self)


def N_(text: str, /) -> str:
    """Mark a constant for the catalog; the screen translates it when it draws it."""
    return text


def msg(text: str, /, **values: Any) -> Message:
    """A message id with the values of its `{name}` placeholders."""
    return Message(text, values)


def nmsg(singular: str, plural: str, n: int, /, **values: Any) -> Message:
    """A message whose wording depends on a count (`n` is also a value: `{n}`)."""
    return Message(singular, {"n": n, **values}, plural, n)


def _translate(text: str, language: str) -> str:
    return text  # English is the id; other languages' catalogs come with the bilingual issue


def _translate_plural(singular: str, plural: str, n: int, language: str) -> str:
    return singular if n == 1 else plural


def render(text: Message | str | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A message, or a marked id, as the reader reads it; values are filled in after the
    translation, and a value that is itself a message is rendered in the same language."""
    if text is None:
        return ""
    if not isinstance(text, Message):
        return _translate(str(text), language)
    if text.plural is not None:
        template = _translate_plural(text.id, text.plural, text.n, language)
    else:
        template = _translate(text.id, language)
    if not text.values:
        return template
    values = {name: render(value, language) if isinstance(value, Message) else value
              for name, value in text.values.items()}
    return template.format(**values)


def _(text: Message | str | None, /, **values: Any) -> str:
    """What a screen calls on every text it draws: a literal (marked by this call), a marked id
    from the core, or a `Message`; literal values fill the literal's placeholders."""
    if values and not isinstance(text, Message):
        return render(Message(text, values))
    return render(text)


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """A screen's own text that depends on a count."""
    return render(nmsg(singular, plural, n, **values))
