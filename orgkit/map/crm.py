"""A map's people for the organizing CRMs organizations already run: Action Network (its CSV
upload), NationBuilder (its people import) and EveryAction/VAN (its bulk upload).

Each file is a CSV with the tool's own column names (CRM_COLUMNS; never translated: the tool
reads them), one row per entry, read once through the map service (maps.load_map: only the map's
team and its facilitator get here, the roles that see contact details on the map). Names are
split as the tools expect (split_name): a title ("Rep.", "Commissioner") apart, the surname from
its particle on ("de la Cruz"), an organization's whole name as its last name. Level, stage and
constituencies go as tags; the point person, the next step and its date as their own columns,
or, for NationBuilder, which documents no such field, in the note at the top of the person's
record; a decision-maker's stance becomes NationBuilder's support level.

Contact details leave OrgKit only when the exporter confirms it (`with_contacts`): the map's one
free-text "How to contact" field is read for an email address and a phone number, and nothing
else of it (a note such as "ask at the front desk" stays with us). Notes never leave.

The columns were checked against each tool's documented list (tests/fixtures/crm/, with the
address and the date each was read), not tried in the tools themselves; EveryAction's list could
not be found, so its file uses plain headers for its upload wizard's mapping step.
Values are written in the exporter's language; cells that begin with = + - @ are neutralised.
UTF-8 without a byte-order mark: an importer that does not expect one would read the first
header as "\\ufeffemail".
"""
from __future__ import annotations

import csv
import io
import re

from ..domain import LEVELS, SHORT_LEVELS, STAGES, Actor
from ..i18n import msg, render
from ..spreadsheet import neutralise
from ..storage import Store
from . import model as map_model
from . import service as maps

# The tool's column names, in order, for each of our values (None: a column we do not write).
CRM_COLUMNS = {
    "action_network": {"email": "email", "phone": "mobile_number", "first": "first_name",
                       "last": "last_name", "level": "level", "stage": "stage", "tags": "tags",
                       "point_person": "point_person", "next_step": "next_step",
                       "next_step_on": "next_step_date"},
    "nationbuilder": {"prefix": "prefix", "first": "first_name", "last": "last_name",
                      "email": "email", "phone": "phone_number", "support": "support_level",
                      "tags": "tag_list", "note": "note"},
    "everyaction": {"first": "First Name", "last": "Last Name", "email": "Email",
                    "phone": "Phone", "level": "Level", "stage": "Stage", "tags": "Tags",
                    "point_person": "Point Person", "next_step": "Next Step",
                    "next_step_on": "Next Step Date"},
}
CRMS = tuple(CRM_COLUMNS)

# Titles kept apart from the first name (NationBuilder's prefix), folded and without the dot.
TITLES = {"mr", "mrs", "ms", "mx", "dr", "rev", "fr", "sr", "sra", "srta", "dra", "lic", "hon",
          "rep", "sen", "mayor", "commissioner", "councilmember", "councilwoman", "councilman",
          "alderman", "alderwoman", "judge", "gov", "governor", "chief", "pastor", "father",
          "sister", "imam", "rabbi", "alcalde", "alcaldesa", "concejal", "concejala"}
# Words that start a surname ("de la Cruz", "van der Berg", "Ibn Saud").
PARTICLES = {"de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "van", "von",
             "der", "den", "ter", "ibn", "bin", "al", "el", "st", "y", "mac"}
# NationBuilder's support level: 1 very supportive .. 5 very opposed; our stance runs 2 .. -2.
SUPPORT_LEVEL = {2: 1, 1: 2, 0: 3, -1: 4, -2: 5}
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d ().-]{5,}\d")
TAG_JOIN = {"nationbuilder": ", ", "action_network": "; ", "everyaction": "; "}


def split_name(name: str) -> tuple[str, str, str]:
    """(title, first names, surname) of a person's name as written: "Rep. Denise Whitfield" ->
    ("Rep.", "Denise", "Whitfield"); "Ana María de la Cruz" -> ("", "Ana María", "de la Cruz");
    one word is a surname alone."""
    words = name.split()
    title = []
    while len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        title.append(words.pop(0))
    if len(words) <= 1:
        return " ".join(title), "", " ".join(words)
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].casefold() in PARTICLES:
        cut -= 1
    return " ".join(title), " ".join(words[:cut]), " ".join(words[cut:])


def contact_parts(text: str | None) -> tuple[str, str]:
    """The first email address and the first phone number in a "How to contact" text."""
    text = text or ""
    email = EMAIL.search(text)
    phone = PHONE.search(EMAIL.sub(" ", text))
    return (email.group(0) if email else "", phone.group(0).strip() if phone else "")


def _values(entry: dict, crm: str, with_contacts: bool, language: str) -> dict:
    if entry["level"] == "organization":  # a group's name is not a person's: kept whole
        title, first, last = "", "", entry["name"].strip()
    else:
        title, first, last = split_name(entry["name"])
    email, phone = contact_parts(entry.get("contact")) if with_contacts else ("", "")
    level, stage = render(SHORT_LEVELS[entry["level"]], language), render(
        STAGES[entry["stage"]], language)
    tags = [level, stage, *map_model.tags(entry)]  # no tag holds a comma (clean_tags)
    owner = (entry.get("point_person") or "").strip()
    step, due = (entry.get("next_step") or "").strip(), entry.get("next_step_on") or ""
    note = [render(msg("Level: {level}. Stage: {stage}.", level=render(
        LEVELS[entry["level"]], language), stage=stage), language)]
    if owner:
        note.append(render(msg("Point person: {name}.", name=owner), language))
    if step:
        note.append(render(msg("Next step: {step} (due {date}).", step=step, date=due)
                           if due else msg("Next step: {step}.", step=step), language))
    return {"prefix": title, "first": first, "last": last, "email": email, "phone": phone,
            "level": level, "stage": stage, "tags": TAG_JOIN[crm].join(tags),
            "point_person": owner, "next_step": step, "next_step_on": due,
            "support": SUPPORT_LEVEL.get(entry.get("stance"), ""), "note": " ".join(note)}


def crm_rows(store: Store, actor: Actor, map_id: int, crm: str, *, with_contacts: bool,
             language: str) -> list[list[object]]:
    """Header plus one row per entry of the map, in the tool's columns."""
    columns = CRM_COLUMNS[crm]
    entries = maps.load_map(store, actor, map_id).entries
    return [list(columns.values()),
            *([_values(e, crm, with_contacts, language)[key] for key in columns]
              for e in sorted(entries, key=lambda e: e["name"].casefold()))]


def crm_csv(store: Store, actor: Actor, map_id: int, crm: str, *, with_contacts: bool,
            language: str) -> bytes:
    """The map's people as the tool's CSV (UTF-8, every cell neutralised)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows([neutralise(v) for v in row] for row in crm_rows(
        store, actor, map_id, crm, with_contacts=with_contacts, language=language))
    return out.getvalue().encode("utf-8")
