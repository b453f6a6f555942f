"""The catalogs: every message id our code marks has a Spanish translation with the same
placeholders, plural forms where the id has a plural, and the glossary's words.

The ids are what Babel extracts from the code now (babel.cfg), not what the .pot file says: an id
added on another branch fails here until `pybabel extract` and `pybabel update` have run and the
new entry is translated (README "Languages and catalogs"). Placeholders are compared as the
formatter reads them ({n}, {limit:,}, %(count)s, plotly's %{customdata[0]}), so a translation
cannot drop, rename or add one.
"""
import re
import string

import pytest
from babel.messages.pofile import read_po

from orgkit import i18n
from tests.unit.test_catalog_extraction import ROOT, extract

SPANISH = i18n.catalog_path("es")
GLOSSARY = ROOT / "orgkit" / "locale" / "glossary-es.md"
PERCENT = re.compile(r"%\((\w+)\)[sd]|%\{[^}]*\}")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # a value's name ({map}) is not the word


def placeholders(text: str) -> list[str]:
    """The placeholders of a text, sorted: str.format's fields (with their format spec) and
    Jinja2's %(name)s and plotly's %{...}."""
    braces = []
    if "{" in text:
        braces = [f"{name}:{spec}" for _lit, name, spec, _conv in string.Formatter().parse(
            PERCENT.sub("", text)) if name is not None]
    return sorted(braces + PERCENT.findall(text))


@pytest.fixture(scope="module")
def spanish():
    with SPANISH.open("rb") as po:
        return read_po(po, locale="es")


@pytest.fixture(scope="module")
def code_ids():
    found, _read = extract(ROOT)
    return set().union(*found.values())


def test_every_id_in_the_code_has_a_spanish_translation(spanish, code_ids):
    missing = []
    for message_id in sorted(code_ids, key=str):
        entry = spanish.get(message_id)
        strings = entry.string if entry else None
        if isinstance(message_id, tuple):
            ok = isinstance(strings, tuple) and len(strings) == 2 and all(strings)
        else:
            ok = isinstance(strings, str) and bool(strings)
        if not ok or (entry and entry.fuzzy):
            missing.append(message_id)
    assert not missing, f"{len(missing)} ids untranslated (pybabel update, then translate): " \
                        f"{missing[:10]}"


def test_each_translation_keeps_the_placeholders_of_its_id(spanish):
    wrong = []
    for entry in spanish:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for english, translated in zip(ids * 2 if len(ids) < len(strings) else ids, strings):
            if placeholders(english) != placeholders(translated):
                wrong.append((english, translated))
    assert not wrong, wrong[:5]


def test_babel_finds_no_format_error_in_the_catalog(spanish):
    errors = [(entry.id, problem) for entry, problems in spanish.check() for problem in problems]
    assert not errors, errors[:5]


def test_spanish_uses_two_plural_forms_as_organizers_write_them(spanish):
    assert spanish.num_plurals == 2
    votes = i18n.nmsg("{n} vote", "{n} votes", 1)
    assert [i18n.render(i18n.nmsg("{n} vote", "{n} votes", n), "es") for n in (0, 1, 3)] == [
        "0 votos", "1 voto", "3 votos"]
    assert i18n.render(votes, "en") == "1 vote"


def glossary() -> list[tuple[str, list[str]]]:
    """The checked table of the glossary: (English term, its Spanish forms)."""
    text = GLOSSARY.read_text(encoding="utf-8").split("Read in context", 1)[0]
    rows = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "---"):
            rows.append((cells[0], [form.strip() for form in cells[1].split(" / ")]))
    return rows


def test_the_glossary_names_the_seminars_words():
    terms = dict(glossary())
    assert terms["directly impacted people"] == ["personas directamente afectadas"]
    assert terms["gatekeeper"] == ["guardián", "guardianes"]
    assert {"one-on-one", "voter-registration", "basebuilding", "transformative organizing",
            "decision-makers", "community leaders and connectors",
            "organizations and institutions"} <= set(terms)


def test_the_catalog_follows_the_glossary(spanish):
    unfollowed = []
    for english, forms in glossary():
        word = re.compile(rf"(?<![\w-]){re.escape(english)}(?![\w-])", re.IGNORECASE)
        for entry in spanish:
            ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for source, translated in zip(ids, strings):
                if source and word.search(PLACEHOLDER.sub("", source)) and not any(
                        form.lower() in translated.lower() for form in forms):
                    unfollowed.append(f"{english} → {forms}: {source!r} → {translated!r}")
    assert not unfollowed, "\n".join(unfollowed)


def test_a_missing_or_unknown_translation_shows_english():
    assert i18n.render("A sentence no catalog has", "es") == "A sentence no catalog has"
    assert i18n.render("Home", "fr") == "Home"  # no French catalog: English, not an error
    assert i18n.render("", "es") == ""  # never the catalog's header


def test_catalogs_are_read_once_per_language():
    assert i18n.translations("es") is i18n.translations("es")
    assert i18n.render("Home", "es") == "Inicio"

