"""Input checks shared by every path into the core (forms, table edits, imports, query parameters).

Each check returns the cleaned value or raises ValidationError naming the field (the marked id
the caller passes, e.g. `N_("Prompt")`) and the problem (a message with the limit as a value), so
a screen renders both in the reader's language.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from .domain import (CODE_TYPED_MAX, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, PIN_MAX, PIN_MIN,
                     ValidationError)
from .i18n import N_, LocalText, Message, msg, normalise_language, spellings

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): "Ana \u202eexe.lagel" would
# show as "Ana legal.exe". A one-line field refuses them; right-to-left letters stay welcome.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t]+")
_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")
TOKEN_TYPED_MAX = 200
TOKEN = re.compile(r"[A-Za-z0-9_-]{4,64}")  # the form of every URL token we issue
PIN = N_("PIN")
JOIN_CODE = N_("Join code")
_CONTROL_PROBLEM = msg("contains control characters; please type plain text.")


def _too_long(n: int, limit: int) -> Message:
    return msg("is {n} characters; the limit is {limit}.", n=n, limit=limit)


def _not_whole(low: int, high: int) -> Message:
    return msg("must be a whole number from {low} to {high}.", low=low, high=high)


def clean_text(value: object, field: str, *, max_len: int, required: bool = False,
                multiline: bool = False) -> str:
    """Strip, refuse control characters, lone surrogates and invisible-only text, enforce a
    length limit in characters.

    The limit is checked first, on the text as typed less its outer spaces, so a 10 MB paste
    costs one len() before it is refused, and nothing is ever cut to fit: the person is told."""
    text = "" if value is None else str(value)
    if len(text) > max_len and len(stripped := text.strip()) > max_len:
        raise ValidationError(field, _too_long(len(stripped), max_len))
    check_characters(text, field, multiline=multiline)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = _SPACES.sub(" ", text.replace("\t", " "))
    text = text.strip()
    if required and not text:
        raise ValidationError(field, msg("is required."))
    if len(text) > max_len:  # NFC can lengthen a few characters
        raise ValidationError(field, _too_long(len(text), max_len))
    return text


def clean_local_text(value: object, field: str, *, max_len: int, required: bool = False,
                     multiline: bool = False) -> tuple[str, LocalText]:
    """A text the facilitator writes for the room, in one language or several: a plain text, or
    a mapping language -> text whose first entry is the form's first field (the one `required`
    asks for) and the others its translations, each checked as `clean_text` checks one.

    Returns (the first text written, the texts by language when more than one language was
    written, else {}): the plain column keeps the first, and one language needs no JSON."""
    if not isinstance(value, Mapping):
        return clean_text(value, field, max_len=max_len, required=required,
                          multiline=multiline), {}
    texts: LocalText = {}
    for n, (language, text) in enumerate(value.items()):
        if normalise_language(language) != language:
            raise ValidationError(field, msg("is in a language OrgKit does not offer "
                                             "({language}).", language=str(language)[:16]))
        try:
            cleaned = clean_text(text, field, max_len=max_len, required=required and n == 0,
                                 multiline=multiline)
        except ValidationError as exc:
            if n == 0:
                raise
            raise ValidationError(field, msg("in {language}: {problem}",
                                             language=language.upper(),
                                             problem=exc.problem)) from None
        if cleaned:
            texts[language] = cleaned
    return next(iter(texts.values()), ""), texts if len(texts) > 1 else {}


def text_lines(text: str) -> list[str]:
    """A list written one entry a line (reference points, questions): blank lines left out."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def check_same_lines(texts: LocalText, field: str) -> None:
    """A list written in several languages holds the same entries line by line, so each reader
    sees entry n in their language: the same number of lines in every language."""
    counts = {language: len(text_lines(text)) for language, text in texts.items()}
    if len(set(counts.values())) > 1:
        (first, n), *others = counts.items()
        language, m = next((language, m) for language, m in others if m != n)
        raise ValidationError(field, msg(
            "has {n} lines in {first} and {m} in {language}; write one line per entry in each "
            "language, in the same order.", n=n, first=first.upper(), m=m,
            language=language.upper()))


def check_characters(text: str, field: str, *, multiline: bool = False) -> None:
    """Refuse what no one can read back: control characters, a lone surrogate (which no
    database or file can store as UTF-8), and text made only of invisible characters."""
    if text.isascii():
        if (_CONTROL_MULTILINE if multiline else _CONTROL).search(text):
            raise ValidationError(field, _CONTROL_PROBLEM)
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, msg("contains a broken character (a lone surrogate); "
                                         "please type or paste it again.")) from None
    if (_CONTROL_MULTILINE if multiline else _CONTROL).search(text):
        raise ValidationError(field, _CONTROL_PROBLEM)
    if not multiline and (found := BIDI_CONTROLS.search(text)):
        raise ValidationError(field, msg(
            "contains a direction control (U+{code}) that can make it read as other text on "
            "screens; please type it without.", code=f"{ord(found.group()):04X}"))
    if text.strip() and all(_invisible(ch) for ch in text):
        raise ValidationError(field, msg("has no visible characters (only spaces or zero-width "
                                         "characters); please type some text."))


# Cc is exactly U+0000-U+001F and U+007F-U+009F; tab is allowed, and in
# multi-line text the line ends (\n, \r) that are normalised next.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Letters that fonts draw as nothing (Hangul fillers, Braille blank, Mongolian vowel separator).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


def clean_choice(value: object, field: str, choices: dict[str, str]) -> str:
    """Accept a stored value or its label in any of our languages (case-insensitive) from a
    vocabulary: a file written in Spanish says "Comprometido" for committed."""
    text = str(value or "").strip()
    folded = text.casefold()
    for key, label in choices.items():
        if folded == key.casefold() or folded in spellings(label):
            return key
    raise ValidationError(field, msg("'{text}' is not one of: {choices}.", text=text[:40],
                                     choices=", ".join(choices)))


def clean_int(value: object, field: str, *, low: int, high: int, default: int | None = None) -> int:
    """An integer within [low, high]; blank gives the default when one is allowed."""
    if value is None or (isinstance(value, str) and not value.strip()) or value != value:  # NaN
        if default is None:
            raise ValidationError(field, msg("is required (a whole number from {low} to {high}).",
                                             low=low, high=high))
        return default
    try:
        # Whole numbers exactly (float() would round an id past 2**53 to its neighbour), then
        # anything float() reads ("3.0", a spreadsheet's 3.0).
        number = int(value) if isinstance(value, int) or (
            isinstance(value, str) and _WHOLE.fullmatch(value.strip())) else float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, _not_whole(low, high)) from None
    if not low <= number <= high or not float(number).is_integer():
        raise ValidationError(field, _not_whole(low, high))
    return int(number)


def clean_date(value: object, field: str, *, required: bool = False) -> str | None:
    """An ISO date string (YYYY-MM-DD) or None when blank and not required."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text or text.lower() in ("nan", "nat", "none"):
        if required:
            raise ValidationError(field, msg("is required (a date like 2026-05-14)."))
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValidationError(field, msg("'{text}' is not a date like 2026-05-14.",
                                         text=text[:20])) from None


def clean_pin(pin: object) -> str:
    """A facilitator PIN: PIN_MIN to PIN_MAX characters, no control characters, kept exactly as
    typed."""
    text = "" if pin is None else str(pin)
    if len(text) > PIN_MAX:
        raise ValidationError(PIN, msg("must be at most {limit} characters.", limit=PIN_MAX))
    if len(text) < PIN_MIN:
        raise ValidationError(PIN, msg("must be at least {limit} characters.", limit=PIN_MIN))
    check_characters(text, PIN)
    return text


def clean_join_code(value: object) -> str:
    """Normalise a typed join code (case, spaces, dashes) and check its form."""
    text = str(value or "")
    if len(text) > CODE_TYPED_MAX:  # bounded work before the per-character clean-up
        raise ValidationError(JOIN_CODE, msg("must be {n} letters and digits.",
                                                n=JOIN_CODE_LENGTH))
    text = re.sub(r"[\s-]", "", text).upper()
    if not text:
        raise ValidationError(JOIN_CODE, msg("is required."))
    if len(text) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in text):
        raise ValidationError(JOIN_CODE, msg("must be {n} letters and digits (no 0, O, 1, I or L), "
                                             "like K7PX3M.", n=JOIN_CODE_LENGTH))
    return text


KEY_MAX = 64  # an idempotency key: one per submitted form or sent item


def clean_key(value: object) -> str | None:
    """An idempotency key from a form (None when there is none)."""
    return clean_text(value, N_("Submission"), max_len=KEY_MAX) or None


def clean_token(value: object, field: str) -> str:
    """A URL token we issued: short, URL-safe characters only."""
    text = str(value or "")
    if len(text) > TOKEN_TYPED_MAX or not TOKEN.fullmatch(text.strip()):
        raise ValidationError(field, msg("is not a valid link; ask for a new one."))
    return text.strip()
