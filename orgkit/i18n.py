"""Our own text as message ids: the core marks it, the screen renders it in the reader's language.

gettext-style: the English text is the message id. Three markers, each a keyword that Babel's
extractor knows (`pybabel extract -k N_ -k msg -k nmsg:1,2 -k _ -k ngettext:1,2`):

- `N_("Directly impacted people")` marks a constant (a vocabulary label, a field's name) and
  returns the id itself: the screen translates it when it draws it (`_(LEVELS[level])`).
- `msg("is {n} characters; the limit is {limit}", n=..., limit=...)` is a `Message`: an id and
  the values that fill its `{name}` placeholders. Errors, gaps and their next steps, import notes
  and checklist lines leave the core this way; a value may itself be a `Message` or a marked id.
- `nmsg("{n} item", "{n} items", n)` is the same with a plural, chosen by `n`.

`render(text, language)` turns them into text; `_()` and `ngettext()` do it in the language of the
session that is running (`current_language()`).

The catalogs: `orgkit/locale/<language>/LC_MESSAGES/messages.po`, read with Babel's `read_po`
the first time a language is asked for and kept as one `babel.support.Translations` per language
for the life of the process. Reading the .po (not a compiled .mo) means a fresh clone and a
`pybabel update` need no build step, and a stale .mo can never disagree with the .po beside it;
reading ~900 messages once costs a few tens of milliseconds. A message the catalog lacks, or
marks fuzzy, shows its English id: a screen never breaks on a missing translation.

Nothing here switches a language for the whole process (no `gettext.install()`): the UI installs
a `language source` that reads the running session's choice, so two phones in two languages are
served by the same process at the same time. Which language a session reads is decided by
`choose_language` (the order is the rule: remembered, link, browser, workshop).
"""
from __future__ import annotations

import datetime
import functools
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DEFAULT_LANGUAGE = "en"
# The languages a person can choose, in the switch's order; English is the ids themselves.
LANGUAGES = ("en", "es")
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
# A shared screen in several languages at once (the bilingual projector) reads a language such as
# "es+en": `render` writes each text in each of them, the reader's first, joined by this; a text
# that reads the same in both (a number, a clock) is written once.
BOTH = "+"
BOTH_SEPARATOR = " / "


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


def to_stored(message: Message) -> str:
    """A message as a row keeps it (JSON of its id and values), so a list read later shows it in
    the language of whoever reads it; values are kept as text."""
    return json.dumps({"id": message.id, "values": {k: str(v) for k, v in message.values.items()},
                       "plural": message.plural, "n": message.n}, ensure_ascii=False)


def from_stored(text: str) -> Message | str:
    """What `to_stored` kept, as a message again; text stored before messages were kept this
    way (English) comes back as it is."""
    try:
        kept = json.loads(text)
    except ValueError:
        return text
    if not isinstance(kept, dict) or not isinstance(kept.get("id"), str):
        return text
    return Message(kept["id"], dict(kept.get("values") or {}), kept.get("plural"), kept.get("n"))


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The language's translation object, read once per process (English: the ids). A language
    without a catalog file reads as English."""
    path = catalog_path(language)
    if language == DEFAULT_LANGUAGE or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:  # two sessions at once may both read it: harmless
        catalog = read_po(po, locale=language, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)  # fuzzy entries are left out: they show English until reviewed
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def _translate(text: str, language: str) -> str:
    if not text or language == DEFAULT_LANGUAGE:
        return text  # "" would be the catalog's header
    return translations(language).dgettext(DOMAIN, text)


def _translate_plural(singular: str, plural: str, n: int, language: str) -> str:
    return translations(language).dngettext(DOMAIN, singular, plural, n)


# -- the reader's language ---------------------------------------------------------------------

# Text the facilitator writes for the room in more than one language (a board's prompt, an agenda
# step's title): one text per language code, each reader sees theirs (as pretix's fields do).
LocalText = dict[str, str]


def pick_text(texts: dict[str, str] | None, language: str) -> str:
    """The text in `language`, else in the default language, else in any language, else ""."""
    texts = {code: text for code, text in (texts or {}).items() if text}
    for code in (language, DEFAULT_LANGUAGE):
        if code in texts:
            return texts[code]
    return next(iter(texts.values()), "")


def normalise_language(value: object) -> str | None:
    """One of LANGUAGES from a code as a link, a browser or a database brings it ("es-MX",
    "ES", "es_419" -> "es"); None for anything else."""
    if not isinstance(value, str):
        return None
    code = value.strip()[:16].replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def choose_language(*, remembered: object = None, link: object = None, browser: object = None,
                    workshop: object = None) -> str:
    """The language a session reads, first that is one of ours: the person's remembered choice
    (their device's, or this session's switch), the link's `lang` hint (the projector's QR and
    join link carry the workshop's language for a device that has not chosen), the browser's
    language, the workshop's default; else English."""
    for value in (remembered, link, browser, workshop):
        if (language := normalise_language(value)) is not None:
            return language
    return DEFAULT_LANGUAGE


_language_source: Callable[[], str | None] | None = None


def set_language_source(source: Callable[[], str | None] | None) -> None:
    """The UI installs how the running session's language is read (its session state): the core
    never imports streamlit, and a fragment rerun in a fresh thread still reads its session's."""
    global _language_source
    _language_source = source


def current_language() -> str:
    """The running session's language; English outside a session (logs, tests, the CLI)."""
    language = _language_source() if _language_source is not None else None
    return language or DEFAULT_LANGUAGE


@functools.cache
def spellings(text: str) -> frozenset[str]:
    """A marked id as a file may spell it, in every language we offer, case folded ("Level",
    "Nivel"): what a reader of a file, a header or a vocabulary value, accepts for it, so a file
    written in any of them reads back to the same stable key."""
    return frozenset(render(text, language).casefold() for language in LANGUAGES)


def dump_texts(texts: Mapping[str, str]) -> str:
    """A LocalText as its stored JSON (only the languages that have a text)."""
    return json.dumps({language: text for language, text in texts.items() if text},
                      ensure_ascii=False, sort_keys=True)


def load_texts(stored: object) -> LocalText:
    """A stored LocalText back; anything that is not one (an older row's '{}', a hand-edited
    value) reads as no texts, so the plain column is used."""
    try:
        texts = json.loads(stored) if isinstance(stored, str) else {}
    except ValueError:
        return {}
    if not isinstance(texts, dict):
        return {}
    return {language: text for language, text in texts.items()
            if normalise_language(language) == language and isinstance(text, str) and text}


def both(language: str) -> str:
    """The reader's language and then every other one, as one language for a shared screen that
    shows our words in all of them ("es" -> "es+en")."""
    return BOTH.join((language, *(other for other in LANGUAGES if other != language)))


def languages_of(language: str) -> tuple[str, ...]:
    """The languages a (possibly combined) language is made of ("es+en" -> ("es", "en"))."""
    return tuple(language.split(BOTH))


def in_each(texts: Mapping[str, str], language: str) -> str:
    """The facilitator's text for a reader of `language`; for a combined language, each
    language's text once (a text written in one language only is shown once)."""
    picked = dict.fromkeys(pick_text(texts, one) for one in languages_of(language))
    return BOTH_SEPARATOR.join(text for text in picked if text)


def format_date(value: datetime.date | str | None, language: str | None = None) -> str:
    """A date as the reader writes it ("Dec 6, 2026", "6 dic 2026"); an ISO string is read
    first, and a value that is not a date is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return _babel_date(value, "medium", locale=language or current_language())


def format_moment(value: datetime.datetime, language: str | None = None) -> str:
    """A moment as the reader writes it ("Dec 6, 2026, 2:05:09 PM", "6 dic 2026, 14:05:09")."""
    return _babel_datetime(value, "medium", locale=language or current_language())


def format_number(value: float | int, language: str | None = None) -> str:
    """A number with the reader's separators ("1,234.5", "1.234,5")."""
    return format_decimal(value, locale=language or current_language())


def render(text: Message | str | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A message, or a marked id, as the reader reads it; values are filled in after the
    translation, and a value that is itself a message is rendered in the same language."""
    if text is None:
        return ""
    if BOTH in language:
        said = dict.fromkeys(render(text, one) for one in languages_of(language))
        return BOTH_SEPARATOR.join(said)
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
        return render(Message(text, values), current_language())
    return render(text, current_language())


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """A screen's own text that depends on a count."""
    return render(nmsg(singular, plural, n, **values), current_language())
