"""The printable worksheet: one map laid out like the handout, as a self-contained HTML page.

Three levels of relationships and then the decision-makers, each with its guiding questions and a
table of the team's entries, contacts included: only the map's team and the facilitator can load
a map to print. The page is the Jinja2 template map/templates/worksheet.html (orgkit.templates:
every value escaped where it is written); this module decides what goes in each cell. Print
styles put each level on its own page when printed and drop the on-screen print button.
"""
from __future__ import annotations

import datetime as dt

from .. import templates
from ..i18n import DEFAULT_LANGUAGE, Message, N_, format_date, msg
from ..i18n import render as render_text
from ..domain import LEVELS, STAGES, STRENGTHS
from . import model as map_model
from . import power

# The worksheet's questions per level, and its caution for leaders and institutions: marked ids,
# which the template translates as it writes them.
QUESTIONS = {
    "impacted": [N_("Who are you trying to reach?"), N_("How can you reach them directly?")],
    "leader": [N_("Who leads or connects people here?"),
               N_("What is their role in the community?"), N_("How can they help?")],
    "organization": [N_("Which organizations?"), N_("What is their role in the community?"),
                     N_("How can they help?")],
    "decision_maker": [N_("Who has the power to change this?"),
                       N_("What is on their agenda, and which issues matter to them?"),
                       N_("Whom do they answer to, and who funds them?"),
                       N_("Who do we know in their inner circle?")],
}
INTRO = {
    "impacted": N_("The people who live with the issue. Power to change conditions starts with "
                   "them, and services only work when they trust us enough to use them."),
    "leader": N_("People others turn to, by title or by reputation. A good relationship here "
                 "opens doors to their networks and tells us who else we should meet."),
    "organization": N_("Groups with close, trusted ties to people on the ground: not the biggest "
                       "institutions, the most trusted ones."),
    "decision_maker": N_("Officials and others who can make the change: what they want, whom "
                         "they listen to and who pays for their campaigns."),
}
CAUTION = {
    "leader": N_("Watch for gatekeepers: a leader who speaks “for” the community can stand "
                 "between you and the people you need to hear from."),
    "organization": N_("Watch for gatekeepers: some institutions control access to the people "
                       "they serve and make direct relationships harder."),
}

# The worksheet as a room at the tables reads it off the projector, in three short steps: one
# question per level of relationships, the gatekeeper caution in a line, then the decision-makers
# (whose first question is the worksheet's own).
ROOM_STEPS = (N_("Fill in three levels of relationships"), N_("Watch for gatekeepers"),
              N_("Then the decision-makers"))
ROOM_QUESTION = {
    "impacted": N_("Who lives with the issue, and how do we reach them?"),
    "leader": N_("Who do people here turn to?"),
    "organization": N_("Which groups do people here trust?"),
    "decision_maker": QUESTIONS["decision_maker"][0],
}
ROOM_CAUTION = N_("Someone who controls access to a community: note it, and find a second way in.")

BLANK_ROWS = 3  # empty rows under each level's table, to write in by hand
TEMPLATE = "map/templates/worksheet.html"
HANDOUTS = "map/templates/handouts.html"
# A team's handout asks the worksheet's three questions: one per level of relationships.
HANDOUT_LEVELS = ("impacted", "leader", "organization")
HANDOUT_LINES = 3  # ruled lines under each question, to write in by hand


def _columns(level: str, power_of, language: str) -> list[tuple[str, object]]:
    """(heading, function entry -> text) for one level's table; `power_of` is
    power.funders_and_bosses of the map (the links: the one source of both)."""
    columns: list[tuple[str, object]] = [(N_("Name"), lambda e: e["name"])]
    if level == "decision_maker":
        columns += [(N_("Office, district"), lambda e: ", ".join(x for x in (e["office"],
                                                                         e["jurisdiction"]) if x)),
                    (N_("Agenda; issues"), lambda e: "; ".join(x for x in (e["agenda"], e["issues"])
                                                          if x)),
                    (N_("Funded by"), lambda e: power_of(e["id"])[0]),
                    (N_("Answers to"), lambda e: power_of(e["id"])[1]),
                    (N_("Stance / influence"), lambda e: _stance(e, language))]
    else:
        columns += [(N_("Role in the community"), lambda e: e["role"]),
                    (N_("Constituencies"), lambda e: ", ".join(map_model.tags(e)))]
    columns += [(N_("How to contact"), lambda e: e["contact"]),
                (N_("How they can help"), lambda e: e["how_help"]),
                (N_("Stage · strength"), lambda e: render_text(msg(
                    "{stage} · {strength}", stage=Message(STAGES[e["stage"]]),
                    strength=Message(STRENGTHS[e["strength"]])), language)),
                (N_("Next step"), lambda e: " ".join(x for x in (e["next_step"],
                                                              e["next_step_on"] or "") if x))]
    return columns


def _stance(entry: dict, language: str) -> str:
    influence = "?" if entry["influence"] is None else str(entry["influence"])
    return f"{map_model.stance_label(entry['stance'], language)} / {influence}"


def _flags(entry: dict, circle: list[str], language: str) -> str:
    notes = []
    if entry["is_gatekeeper"]:
        notes.append(msg("Gatekeeper: {why}", why=entry["gatekeeper_why"])
                     if entry["gatekeeper_why"] else msg("Gatekeeper"))
    if entry["willing_to_speak"]:
        notes.append(msg("willing to speak"))
    if entry["trained"]:
        notes.append(msg("trained"))
    if circle:
        notes.append(msg("Inner circle: {names}", names=", ".join(circle)))
    return "; ".join(render_text(note, language) for note in notes)


def render(map_row: dict, entries: list[dict], links: list[dict],
           language: str = DEFAULT_LANGUAGE) -> str:
    """The whole worksheet as an HTML document, contacts included: only the map's team and the
    facilitator can load a map (maps.get_map refuses everyone else)."""
    names = {e["id"]: e["name"] for e in entries}
    circles = power.sources_of(links, "inner_circle")
    power_of = power.funders_and_bosses(links, names, language)
    sections = []
    for level, title in LEVELS.items():
        columns = _columns(level, power_of, language)
        rows = [{"cells": [text(entry) for _, text in columns],
                 "flags": _flags(entry, [names[i] for i in circles.get(entry["id"], [])
                                         if i in names], language)}
                for entry in entries if entry["level"] == level]
        sections.append({"level": level, "title": title, "intro": INTRO[level],
                         "caution": CAUTION.get(level), "questions": QUESTIONS[level],
                         "headings": [heading for heading, _ in columns], "rows": rows})
    return templates.render(TEMPLATE, name=map_row["name"], issue=map_row.get("issue"),
                            printed=format_date(dt.date.today(), language), sections=sections,
                            blank_rows=BLANK_ROWS, language=language)


def handouts(title: str, teams: list[dict], language: str = DEFAULT_LANGUAGE) -> str:
    """Every team's handout as one HTML document, one printed page each: the team's name and
    issue, its QR code and map code (each team dict: name, issue, code, address, qr: the QR as an
    image data URI), and the worksheet's three questions with lines to write on."""
    levels = [{"title": LEVELS[level], "questions": QUESTIONS[level]}
              for level in HANDOUT_LEVELS]
    return templates.render(HANDOUTS, title=title, teams=teams, levels=levels,
                            lines=HANDOUT_LINES, language=language)
