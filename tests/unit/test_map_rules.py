"""Entry, action and target validation, next steps and the checklist: pure rules, no database."""
import datetime as dt

import pytest

from orgkit.domain import ValidationError
from orgkit.map import model as map_model

GOOD = {"name": "Maria", "level": "impacted"}
DM = {"name": "Rep. Whitfield", "level": "decision_maker"}


def test_a_minimal_entry_gets_the_defaults():
    fields = map_model.clean_entry(GOOD)
    assert fields["stage"] == "identified" and fields["strength"] == "none"
    assert fields["stance"] is None and fields["is_gatekeeper"] == 0
    assert set(fields) == set(map_model.ENTRY_FIELDS)


def test_labels_are_accepted_for_levels_stages_and_strengths():
    fields = map_model.clean_entry({"name": "X", "level": "Decision-makers",
                                    "stage": "one-on-one held", "strength": "STRONG",
                                    "stance": "-2", "influence": 5.0})
    assert (fields["level"], fields["stage"], fields["strength"]) == (
        "decision_maker", "one_on_one", "strong")
    assert (fields["stance"], fields["influence"]) == (-2, 5)


@pytest.mark.parametrize("level", ["leader", "organization"])
def test_leaders_and_organizations_carry_stance_and_influence_for_the_power_grid(level):
    fields = map_model.clean_entry({"name": "Chamber", "level": level, "stance": "-1",
                                    "influence": 4, "office": "Mayor"})
    assert (fields["stance"], fields["influence"], fields["office"]) == (-1, 4, "")
    moved = map_model.clean_entry(map_model.merge_changes(fields, {"level": "impacted"}))
    assert (moved["stance"], moved["influence"]) == (None, None)  # dropped with the level


@pytest.mark.parametrize("raw, message", [
    ({"level": "impacted"}, "Name: is required."),
    ({"name": "   ", "level": "impacted"}, "Name: is required."),
    ({"name": "x" * 201, "level": "impacted"}, "Name: is 201 characters; the limit is 200."),
    ({"name": "a\x00b", "level": "impacted"}, "Name: contains control characters"),
    ({"name": "X", "level": "mayor"}, "Level: 'mayor' is not one of"),
    ({"name": "X"}, "Level: '' is not one of"),
    ({**GOOD, "stage": "married"}, "Stage: 'married' is not one of"),
    ({**GOOD, "strength": "medium"}, "Relationship strength: 'medium' is not one of"),
    ({**GOOD, "next_step_on": "next Tuesday"}, "Next step date: 'next Tuesday' is not a date"),
    ({**GOOD, "next_step_on": "2026-02-30"}, "Next step date: '2026-02-30' is not a date"),
    ({**GOOD, "stance": 1}, "Stance: is only for leaders, organizations and decision-makers"),
    ({**GOOD, "influence": "3"},
     "Influence: is only for leaders, organizations and decision-makers"),
    ({**DM, "stance": 3}, "Stance: must be a whole number from -2 to 2."),
    ({**DM, "stance": "-3"}, "Stance: must be a whole number from -2 to 2."),
    ({**DM, "stance": 0.5}, "Stance: must be a whole number from -2 to 2."),
    ({**DM, "influence": 0}, "Influence: must be a whole number from 1 to 5."),
    ({**DM, "influence": "lots"}, "Influence: must be a whole number from 1 to 5."),
    ({**DM, "office": "o" * 201}, "Office: is 201 characters; the limit is 200."),
    ({**GOOD, "contact": "c" * 201}, "How to contact: is 201 characters; the limit is 200."),
    ({**GOOD, "notes": "n" * 2001}, "Notes: is 2001 characters; the limit is 2000."),
    ({**GOOD, "is_gatekeeper": "maybe"}, "Gatekeeper: 'maybe' is not yes or no."),
    ({**GOOD, "constituencies": "t" * 61}, "Constituencies: is 61 characters; the limit is 60."),
    ({**GOOD, "constituencies": ";".join(f"tag{i}" for i in range(21))},
     "Constituencies: has 21 tags; the limit is 20."),
])
def test_bad_entry_fields_are_named_with_their_limit(raw, message):
    with pytest.raises(ValidationError) as caught:
        map_model.clean_entry(raw)
    assert str(caught.value).startswith(message), str(caught.value)


def test_constituencies_are_tags_split_deduplicated_and_joined():
    fields = map_model.clean_entry({**GOOD,
                                    "constituencies": "Seniors, tenants | seniors;;  Youth "})
    assert fields["constituencies"] == "Seniors; tenants; Youth"
    assert map_model.tags(fields) == ["Seniors", "tenants", "Youth"]
    assert map_model.clean_entry({**GOOD, "constituencies": ["A", "B"]})["constituencies"] == "A; B"


def test_non_decision_makers_carry_no_decision_maker_fields():
    fields = map_model.clean_entry({**GOOD, "office": "Mayor", "agenda": "x"})
    assert fields["office"] == "" and fields["agenda"] == ""


@pytest.mark.parametrize("raw, message", [
    ({"kind": "picnic"}, "Action: 'picnic' is not one of"),
    ({"kind": "site_visit", "status": "maybe"}, "Status: 'maybe' is not one of"),
    ({"kind": "turnout", "turnout": -1}, "Turnout: must be a whole number from 0 to 100000."),
    ({"kind": "turnout", "due_on": "soon"}, "Date: 'soon' is not a date"),
    ({"kind": "turnout", "outcome": "o" * 2001}, "Outcome: is 2001 characters"),
])
def test_bad_action_fields_are_named(raw, message):
    with pytest.raises(ValidationError, match=message):
        map_model.clean_action(raw)


@pytest.mark.parametrize("title, entry_ids", [("", []), ("", ()), ("Town hall", []), ("", [7])])
def test_an_action_needs_a_title_or_an_entry_involved(title, entry_ids):
    fields = map_model.clean_action({"kind": "site_visit", "title": title, "due_on": "2026-06-01"})
    if title or entry_ids:
        map_model.require_subject(fields, entry_ids)
    else:
        with pytest.raises(ValidationError, match="^Title: write one, or choose at least one "
                                                  "entry involved"):
            map_model.require_subject(fields, entry_ids)


@pytest.mark.parametrize("targets, message", [
    ({"leader": -1}, "Target for community leaders and connectors: must be a whole number from 0"),
    ({"impacted": 1001},
     "Target for directly impacted people: must be a whole number from 0 to 1000"),
])
def test_bad_targets_are_named(targets, message):
    with pytest.raises(ValidationError, match=message):
        map_model.clean_targets(targets)


def _entry(id_, level="impacted", **extra):
    return {**map_model.clean_entry({"name": f"E{id_}", "level": level}), "id": id_, **extra}


def test_next_steps_split_into_upcoming_and_overdue_soonest_first():
    today = dt.date(2026, 5, 14)
    entries = [_entry(1, next_step="Call", next_step_on="2026-05-20"),
               _entry(2, next_step="Visit", next_step_on="2026-05-01"),
               _entry(3)]
    actions = [{"kind": "site_visit", "title": "", "due_on": "2026-05-15", "status": "planned",
                "entry_ids": [1, 3]},
               {"kind": "turnout", "title": "Old", "due_on": "2026-04-01", "status": "done",
                "entry_ids": []}]
    upcoming, overdue = map_model.next_steps(entries, actions, today)
    assert [(s.on, s.what, s.who) for s in upcoming] == [
        ("2026-05-15", "Site visit", "E1, E3"), ("2026-05-20", "Call", "E1")]
    assert [(s.on, s.who) for s in overdue] == [("2026-05-01", "E2")]


def test_checklist_ticks_each_step_only_from_the_data():
    official = _entry(10, "decision_maker")
    leader = _entry(11, "leader")
    empty = map_model.checklist([], [], [])
    assert not any(step.done for step in empty)
    steps = {s.label: s for s in map_model.checklist([official, leader], [], [])}
    assert steps["Decision-makers identified"].done
    assert not steps["Their funders and whom they answer to known"].done
    assert not steps["Someone of ours in their inner circle"].done
    links = [{"source_id": 11, "target_id": 10, "kind": "inner_circle"},
             {"source_id": 10, "target_id": 11, "kind": "answers_to"}]
    # A boss drawn but no funder: not yet known (links are the only source of both).
    steps = {s.label: s for s in map_model.checklist([official, leader], links, [])}
    assert not steps["Their funders and whom they answer to known"].done
    links.append({"source_id": 11, "target_id": 10, "kind": "funds"})
    actions = [{"kind": "one_on_one", "status": "planned"}]
    speaker = _entry(12, willing_to_speak=1)
    steps = {s.label: s for s in map_model.checklist([official, leader, speaker], links, actions)}
    assert steps["Their funders and whom they answer to known"].done
    assert steps["Someone of ours in their inner circle"].done
    assert steps["A one-on-one or meeting planned"].done
    assert steps["A spokesperson willing to speak"].done
    assert not steps["A voter-registration drive"].done


@pytest.mark.parametrize("counts, goals, expected", [
    ({"impacted": 3, "leader": 2, "organization": 0, "decision_maker": 2},
     {"impacted": 5, "leader": 4, "organization": 0, "decision_maker": 5}, "decision_maker"),
    ({"impacted": 0, "leader": 0}, {"impacted": 4, "leader": 4}, "impacted"),  # ties: order
    ({"impacted": 5}, {"impacted": 5}, None),  # every target met
    ({}, {}, None),  # no targets: nothing to suggest
])
def test_the_level_to_add_next_is_the_one_furthest_below_its_target(counts, goals, expected):
    assert map_model.add_next(counts, goals) == expected
