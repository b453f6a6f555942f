"""What the map knows about a decision-maker's power: their own fields plus the map's links.

A funder or a boss can be written on the entry ("Who funds them") or drawn as a link (a
"funds" or "answers to" link): both count. The gap finder and the guide's checklist ask the same
question through `unknowns()`, so they never disagree about what is still to research.
"""
from __future__ import annotations

RESEARCH = {"agenda": "agenda", "funded_by": "funders", "answers_to": "whom they answer to"}


def related(entry_id: int, links: list[dict], kind: str) -> list[int]:
    """Ids of the entries that stand in `kind` to this entry (e.g. its inner circle, funders)."""
    return [l["source_id"] for l in links if l["target_id"] == entry_id and l["kind"] == kind]


def answers_to(entry_id: int, links: list[dict]) -> list[int]:
    """Ids of the entries this entry answers to."""
    return [l["target_id"] for l in links if l["source_id"] == entry_id and l["kind"] == "answers_to"]


def unknowns(entry: dict, links: list[dict]) -> list[str]:
    """The RESEARCH fields still unknown for a decision-maker, from fields and links alike."""
    known = {
        "agenda": bool((entry.get("agenda") or "").strip()),
        "funded_by": bool((entry.get("funded_by") or "").strip()
                          or related(entry["id"], links, "funds")),
        "answers_to": bool((entry.get("answers_to") or "").strip()
                           or answers_to(entry["id"], links)),
    }
    return [name for name in RESEARCH if not known[name]]
