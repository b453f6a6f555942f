"""What the map knows about a decision-maker's power: their own fields plus the map's links.

A funder or a boss can be written on the entry ("Who funds them") or drawn as a link (a
"funds" or "answers to" link): both count. The gap finder and the guide's checklist ask the same
question through `unknowns()` over one `power_links()` index, so they never disagree about what is still to research.
"""
from __future__ import annotations

from dataclasses import dataclass

RESEARCH = {"agenda": "agenda", "funded_by": "funders", "answers_to": "whom they answer to"}


def sources_of(links: list[dict], kind: str) -> dict[int, list[int]]:
    """{entry id: ids of the entries that stand in `kind` to it} (e.g. its inner circle, its
    funders), in link order; built once per map's links, so looking up every entry stays
    linear in the links. An entry nobody is linked to is missing: use .get(id, [])."""
    index: dict[int, list[int]] = {}
    for l in links:
        if l["kind"] == kind:
            index.setdefault(l["target_id"], []).append(l["source_id"])
    return index


def answers_to(entry_id: int, links: list[dict]) -> list[int]:
    """Ids of the entries this entry answers to."""
    return [l["target_id"] for l in links if l["source_id"] == entry_id and l["kind"] == "answers_to"]


@dataclass(frozen=True)
class PowerLinks:
    """Who has a funder and who has a boss drawn as a link: built once per map's links."""

    funded: frozenset[int]
    answering: frozenset[int]


def power_links(links: list[dict]) -> PowerLinks:
    """Index a map's links once, so checking every decision-maker stays linear in the links."""
    return PowerLinks(
        funded=frozenset(l["target_id"] for l in links if l["kind"] == "funds"),
        answering=frozenset(l["source_id"] for l in links if l["kind"] == "answers_to"))


def unknowns(entry: dict, known: PowerLinks) -> list[str]:
    """The RESEARCH fields still unknown for a decision-maker, from fields and links alike."""
    found = {
        "agenda": bool((entry.get("agenda") or "").strip()),
        "funded_by": bool((entry.get("funded_by") or "").strip()) or entry["id"] in known.funded,
        "answers_to": (bool((entry.get("answers_to") or "").strip())
                       or entry["id"] in known.answering),
    }
    return [name for name in RESEARCH if not found[name]]
