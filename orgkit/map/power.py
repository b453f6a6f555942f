"""What the map knows about a decision-maker's power: their agenda, and the map's links.

A funder or a boss is a link ("funds", "answers to") between two entries of the map, the one
source of truth: the entry panel, the printed worksheet, the gap finder and the guide's
checklist all read the links. The gap finder and the checklist ask the same question through
`unknowns()` over one `power_links()` index, so they never disagree about what is still to
research.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import DEFAULT_LANGUAGE, N_, render

# What is still to research about a decision-maker, by field, as a sentence names it.
RESEARCH = {"agenda": N_("agenda"), "funded_by": N_("funders"),
            "answers_to": N_("whom they answer to")}


def sources_of(links: list[dict], kind: str) -> dict[int, list[int]]:
    """{entry id: ids of the entries that stand in `kind` to it} (e.g. its inner circle, its
    funders), in link order; built once per map's links, so looking up every entry stays
    linear in the links. An entry nobody is linked to is missing: use .get(id, [])."""
    index: dict[int, list[int]] = {}
    for l in links:
        if l["kind"] == kind:
            index.setdefault(l["target_id"], []).append(l["source_id"])
    return index


NOBODY = N_("nobody on the map yet")


def funders_and_bosses(links: list[dict], names: dict[int, str],
                       language: str = DEFAULT_LANGUAGE):
    """A function entry id -> (names of its funders, names of whom it answers to), each
    ", "-joined or NOBODY: what the entry panel and the printed worksheet both show. The links
    are indexed once, so a worksheet of every decision-maker stays linear in the links."""
    funders = sources_of(links, "funds")
    bosses: dict[int, list[int]] = {}
    for l in links:
        if l["kind"] == "answers_to":
            bosses.setdefault(l["source_id"], []).append(l["target_id"])

    def named(ids: list[int]) -> str:
        return ", ".join(names[i] for i in ids if i in names) or render(NOBODY, language)

    return lambda entry_id: (named(funders.get(entry_id, [])), named(bosses.get(entry_id, [])))


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
    """The RESEARCH fields still unknown for a decision-maker: the agenda from its field,
    funders and bosses from the links."""
    found = {
        "agenda": bool((entry.get("agenda") or "").strip()),
        "funded_by": entry["id"] in known.funded,
        "answers_to": entry["id"] in known.answering,
    }
    return [name for name in RESEARCH if not found[name]]
