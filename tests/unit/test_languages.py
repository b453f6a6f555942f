"""Which language a session reads (i18n.choose_language), how a session's language reaches `_()`
(the language source), and Babel's formats in the reader's locale."""
import datetime as dt

import pytest

from orgkit import i18n
from orgkit.i18n import _, choose_language, ngettext, normalise_language


@pytest.mark.parametrize("inputs, expected", [
    # the person's remembered choice wins over every hint
    (dict(remembered="es", link="en", browser="en-US", workshop="en"), "es"),
    (dict(remembered="en", link="es", browser="es-MX", workshop="es"), "en"),
    # then the link's hint (the projector's QR carries the workshop's language)
    (dict(remembered=None, link="es", browser="en-US", workshop="en"), "es"),
    # then the browser's language
    (dict(remembered=None, link=None, browser="es-419", workshop="en"), "es"),
    (dict(remembered=None, link=None, browser="en-GB", workshop="es"), "en"),
    # then the workshop's default
    (dict(remembered=None, link=None, browser=None, workshop="es"), "es"),
    # a value that is not one of ours is skipped, never an error
    (dict(remembered="fr", link="xx", browser="de-DE", workshop="es"), "es"),
    (dict(remembered="", link="<script>", browser=None, workshop=None), "en"),
    ({}, "en"),
])
def test_the_language_is_the_first_of_remembered_link_browser_workshop(inputs, expected):
    assert choose_language(**inputs) == expected


@pytest.mark.parametrize("value, expected", [
    ("es", "es"), ("ES", "es"), ("es-MX", "es"), ("es_419", "es"), (" en-US ", "en"),
    ("fr", None), ("", None), (None, None), (3, None), ("e" * 10_000, None)])
def test_language_codes_are_read_as_a_link_or_a_browser_brings_them(value, expected):
    assert normalise_language(value) == expected


def test_screens_render_in_the_language_the_source_says(monkeypatch):
    assert _("Home") == "Home"  # outside a session: English
    monkeypatch.setattr(i18n, "_language_source", lambda: "es")
    assert _("Home") == "Inicio"
    assert _("Row {n} · {field}", n=3, field=i18n.msg("is required.")) == \
        "Fila 3 · es obligatorio."
    assert ngettext("{n} vote", "{n} votes", 2) == "2 votos"
    assert str(i18n.msg("Home")) == "Home"  # logs and tests read English whatever the session


def test_a_session_without_a_language_reads_english(monkeypatch):
    monkeypatch.setattr(i18n, "_language_source", lambda: None)
    assert _("Home") == "Home"


def test_dates_and_numbers_follow_the_readers_locale():
    day = dt.date(2026, 12, 6)
    assert i18n.format_date(day, "es") == "6 dic 2026"
    assert i18n.format_date("2026-12-06", "en") == "Dec 6, 2026"
    assert i18n.format_date("not a date", "es") == "not a date"
    assert i18n.format_date(None, "es") == ""
    assert i18n.format_number(12345.5, "es") == "12.345,5"
    assert i18n.format_number(1234.5, "en") == "1,234.5"


@pytest.mark.parametrize("texts, language, expected", [
    ({"en": "Who holds power?", "es": "¿Quién tiene el poder?"}, "es", "¿Quién tiene el poder?"),
    ({"en": "Who holds power?", "es": "¿Quién tiene el poder?"}, "en", "Who holds power?"),
    ({"en": "Who holds power?"}, "es", "Who holds power?"),  # falls back to the default
    ({"es": "¿Quién tiene el poder?"}, "en", "¿Quién tiene el poder?"),  # then to any
    ({"en": "", "es": "Solo en español"}, "en", "Solo en español"),  # an empty text is none
    ({}, "es", ""), (None, "en", "")])
def test_text_written_in_both_languages_reaches_each_reader_in_theirs(texts, language, expected):
    assert i18n.pick_text(texts, language) == expected
