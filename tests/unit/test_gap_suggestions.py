"""Whom a level or community gap suggests, and why; and the step it offers a person as their own
next step never asks them to ask themselves (issue 20, "Defects found")."""
import datetime as dt

from orgkit.coverage import gaps as gap_finder
from orgkit.coverage import model as coverage
from orgkit.i18n import render

TODAY = dt.date(2026, 3, 18)


def entry(id, level, name, **fields):
    row = {"id": id, "name": name, "level": level, "constituencies": "", "is_gatekeeper": 0,
           "strength": "working", "stage": "engaged", "next_step": "", "next_step_on": None,
           "agenda": "", "office": "", "stance": None, "influence": None, "willing_to_speak": 1,
           "created_at": 0, "point_person": ""}
    row.update(fields)
    return row


def level_gap():
    map_row = {"id": 1, "target_impacted": 3, "target_leader": 0, "target_organization": 0,
               "target_decision_maker": 0, "wanted_constituencies": ""}
    entries = [entry(1, "impacted", "Aisha Bello", point_person="Priya",
                     next_step="Ask if she wants a role in the youth listening session"),
               entry(2, "leader", "Rosa"), entry(3, "organization", "Library"),
               entry(4, "decision_maker", "Rep. Fox", stance=1, influence=3, agenda="x",
                     office="y")]
    found = gap_finder.find_gaps(map_row, entries, [], [], today=TODAY)
    (gap,) = [g for g in found if g.kind == "level_below_target"]
    return gap, {e["id"]: e for e in entries}


def test_a_level_gap_step_offered_to_a_person_does_not_ask_them_to_ask_themselves():
    gap, by_id = level_gap()
    assert gap.people[0] == 1
    step = coverage.as_next_step(gap)
    assert "Aisha Bello" not in step
    assert "whom they know" in step


def test_a_level_gap_names_whom_it_suggests_and_why_not_a_point_person():
    gap, _ = level_gap()
    assert gap.point_person == ""  # Priya owns Aisha, not this gap
    said = render(gap.suggested)
    assert "Aisha Bello" in said and "already ours at this level" in said


def test_a_community_gap_says_why_its_people_are_suggested():
    map_row = {"id": 1, "target_impacted": 0, "target_leader": 0, "target_organization": 0,
               "target_decision_maker": 0, "wanted_constituencies": "Tenants"}
    entries = [entry(1, "leader", "Rosa", point_person="Luis"),
               entry(2, "impacted", "Ana", willing_to_speak=1)]
    (gap,) = [g for g in gap_finder.find_gaps(map_row, entries, [], [], today=TODAY)
              if g.kind == "constituency_missing"]
    assert gap.point_person == ""
    assert "Rosa" in render(gap.suggested) and "best-connected" in render(gap.suggested)


def test_a_gap_about_one_person_keeps_their_point_person():
    map_row = {"id": 1, "target_impacted": 0, "target_leader": 0, "target_organization": 0,
               "target_decision_maker": 0, "wanted_constituencies": ""}
    entries = [entry(1, "impacted", "Ernesto", point_person="Luis", stage="contacted",
                     next_step="Call back", next_step_on="2026-03-10")]
    (gap,) = [g for g in gap_finder.find_gaps(map_row, entries, [], [], today=TODAY)
              if g.kind == "overdue"]
    assert gap.point_person == "Luis" and gap.suggested is None


def test_a_gap_step_never_silently_replaces_a_persons_own_next_step():
    import pytest

    from orgkit.domain import Conflict
    own = {"name": "Ernesto", "next_step": "Call back", "next_step_on": "2026-03-14"}
    with pytest.raises(Conflict, match="already has a next step"):
        coverage.step_change(own, "Do it this week", "set", TODAY)
    assert coverage.step_change(own, "Do it this week", "add", TODAY) == {
        "next_step": "Call back; Do it this week", "next_step_on": "2026-03-14"}
    assert coverage.step_change(own, "Do it this week", "replace", TODAY) == {
        "next_step": "Do it this week", "next_step_on": "2026-03-25"}
    assert coverage.step_change({"name": "Vernon", "next_step": ""}, "Ask", "set", TODAY) == {
        "next_step": "Ask", "next_step_on": "2026-03-25"}
