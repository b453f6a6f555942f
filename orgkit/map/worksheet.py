"""The printable worksheet: one map laid out like the handout, as a self-contained HTML page.

Three levels of relationships and then the decision-makers, each with its guiding questions and a
table of the team's entries. Every value is escaped with html.escape; the contact column appears
only when the caller may see contacts (the map's team or the facilitator). Print styles put each
level on its own page when printed and drop the on-screen print button.
"""
from __future__ import annotations

import datetime as dt
import html

from ..domain import LEVELS, STAGES, STRENGTHS
from . import model as map_model
from . import power

# The worksheet's questions per level, and its caution for leaders and institutions, in our words.
QUESTIONS = {
    "impacted": ["Who are you trying to reach?", "How can you reach them directly?"],
    "leader": ["Who leads or connects people here?", "What is their role in the community?",
               "How can they help?"],
    "organization": ["Which organizations?", "What is their role in the community?",
                     "How can they help?"],
    "decision_maker": ["Who has the power to change this?", "What is on their agenda, and which "
                       "issues matter to them?", "Whom do they answer to, and who funds them?",
                       "Who do we know in their inner circle?"],
}
INTRO = {
    "impacted": "The people who live with the issue. Power to change conditions starts with them, "
                "and services only work when they trust us enough to use them.",
    "leader": "People others turn to, by title or by reputation. A good relationship here opens "
              "doors to their networks and tells us who else we should meet.",
    "organization": "Groups with close, trusted ties to people on the ground: not the biggest "
                    "institutions, the most trusted ones.",
    "decision_maker": "Officials and others who can make the change: what they want, whom they "
                      "listen to and who pays for their campaigns.",
}
CAUTION = {
    "leader": "Watch for gatekeepers: a leader who speaks “for” the community can stand between "
              "you and the people you need to hear from.",
    "organization": "Watch for gatekeepers: some institutions control access to the people they "
                    "serve and make direct relationships harder.",
}

BLANK_ROWS = 3  # empty rows under each level's table, to write in by hand

_CSS = """
body { font: 11pt/1.35 system-ui, sans-serif; color: #111; margin: 1.5em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.4em 0 .3em;
  border-bottom: 2px solid #333; } .meta, .intro { color: #444; }
.caution { border-left: 4px solid #b45309; padding: .2em .6em; background: #fff7ed; }
ul.questions { margin: .3em 0; } table { width: 100%; border-collapse: collapse; margin-top: .4em; }
th, td { border: 1px solid #999; padding: .25em .4em; vertical-align: top; text-align: left; }
th { background: #eee; } td.empty { height: 2.2em; } .print { margin: .5em 0; }
@media print { .print { display: none; } body { margin: 0; }
  section { page-break-after: always; } section:last-child { page-break-after: auto; }
  tr { page-break-inside: avoid; } }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _columns(level: str, show_contacts: bool, power_of) -> list[tuple[str, object]]:
    """(heading, function entry -> text) for one level's table; `power_of` is
    power.funders_and_bosses of the map (the links: the one source of both)."""
    columns: list[tuple[str, object]] = [("Name", lambda e: e["name"])]
    if level == "decision_maker":
        columns += [("Office, district", lambda e: ", ".join(x for x in (e["office"],
                                                                         e["jurisdiction"]) if x)),
                    ("Agenda; issues", lambda e: "; ".join(x for x in (e["agenda"], e["issues"])
                                                          if x)),
                    ("Funded by", lambda e: power_of(e["id"])[0]),
                    ("Answers to", lambda e: power_of(e["id"])[1]),
                    ("Stance / influence", lambda e: _stance(e))]
    else:
        columns += [("Role in the community", lambda e: e["role"]),
                    ("Constituencies", lambda e: ", ".join(map_model.tags(e)))]
    if show_contacts:
        columns.append(("How to contact", lambda e: e["contact"]))
    columns += [("How they can help", lambda e: e["how_help"]),
                ("Stage · strength", lambda e: f"{STAGES[e['stage']]} · "
                                               f"{STRENGTHS[e['strength']]}"),
                ("Next step", lambda e: " ".join(x for x in (e["next_step"],
                                                              e["next_step_on"] or "") if x))]
    return columns


def _stance(entry: dict) -> str:
    influence = "?" if entry["influence"] is None else str(entry["influence"])
    return f"{map_model.stance_label(entry['stance'])} / {influence}"


def _flags(entry: dict, circle: list[str]) -> str:
    notes = []
    if entry["is_gatekeeper"]:
        notes.append("Gatekeeper" + (f": {entry['gatekeeper_why']}" if entry["gatekeeper_why"]
                                     else ""))
    if entry["willing_to_speak"]:
        notes.append("willing to speak")
    if entry["trained"]:
        notes.append("trained")
    if circle:
        notes.append("Inner circle: " + ", ".join(circle))
    return "; ".join(notes)


def render(map_row: dict, entries: list[dict], links: list[dict], *, show_contacts: bool) -> str:
    """The whole worksheet as an HTML document; entries must already be privacy-filtered."""
    names = {e["id"]: e["name"] for e in entries}
    circles = power.sources_of(links, "inner_circle")
    power_of = power.funders_and_bosses(links, names)
    sections = []
    for level, title in LEVELS.items():
        columns = _columns(level, show_contacts, power_of)
        rows = []
        for entry in (e for e in entries if e["level"] == level):
            circle = [names[i] for i in circles.get(entry["id"], []) if i in names]
            cells = "".join(f"<td>{_e(text(entry))}</td>" for _, text in columns)
            flags = _flags(entry, circle)
            rows.append(f"<tr>{cells}</tr>" + (
                f'<tr><td colspan="{len(columns)}" class="meta">{_e(flags)}</td></tr>'
                if flags else ""))
        rows += [f'<tr>{"".join("<td class=empty></td>" for _ in columns)}</tr>'] * BLANK_ROWS
        caution = f'<p class="caution">{_e(CAUTION[level])}</p>' if level in CAUTION else ""
        questions = "".join(f"<li>{_e(q)}</li>" for q in QUESTIONS[level])
        head = "".join(f"<th>{_e(h)}</th>" for h, _ in columns)
        sections.append(
            f'<section id="level-{level}"><h2>{_e(title)}</h2><p class="intro">'
            f'{_e(INTRO[level])}</p>{caution}<ul class="questions">{questions}</ul>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            "</section>")
    printed = dt.date.today().isoformat()
    privacy = ("Contains contact details: keep it within the team." if show_contacts
               else "Contact details are left out of this copy.")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(map_row['name'])} · relationship map</title><style>{_CSS}</style></head>"
        f"<body><h1>{_e(map_row['name'])}: relationship map</h1>"
        f"<p class='meta'>{_e(map_row.get('issue') or '')}</p>"
        f"<p class='meta'>Printed {printed}. {_e(privacy)}</p>"
        "<p class='print'><button onclick='window.print()'>Print this worksheet</button></p>"
        f"{''.join(sections)}</body></html>")
