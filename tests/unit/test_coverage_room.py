"""The room's views for the power, engage and report-back steps, on constructed maps whose people
have distinctive names: the counts are right, and no person's name, contact, note or action
title is anywhere in a view the room sees (in any language it renders to)."""
import dataclasses
import datetime as dt

from orgkit.coverage import room
from orgkit.i18n import Message, render
from orgkit.map.model import MapView

TODAY = dt.date(2026, 3, 18)
NOW = dt.datetime(2026, 3, 18, 12).timestamp()
PEOPLE = ["Zebulon Quarrington", "Philomena Vantongeren", "Ignatius Okonkwo-Bright",
          "Temperance Halvorsen", "Bartholomew Ngata", "Euphemia Castellanos"]


def entry(id, level, name, **fields):
    row = {"id": id, "name": name, "level": level, "constituencies": "", "is_gatekeeper": 0,
           "strength": "none", "stage": "identified", "next_step": "", "next_step_on": None,
           "agenda": "", "office": "", "stance": None, "influence": None,
           "willing_to_speak": 0, "created_at": NOW, "point_person": "", "contact": "",
           "notes": ""}
    row.update(fields)
    return row


def link(a, b, kind="knows"):
    return {"source_id": a, "target_id": b, "kind": kind}


def team_map(id, name, entries, links=(), actions=(), **targets):
    row = {"id": id, "workshop_id": 1, "name": name, "revision": 1,
           "wanted_constituencies": "Night-shift nurses",
           **{f"target_{level}": targets.get(level, 0)
              for level in ("impacted", "leader", "organization", "decision_maker")}}
    return MapView(row, 1, list(entries), list(links), list(actions))


def two_maps():
    a = team_map(1, "Harbor Tenants", [
        entry(1, "leader", PEOPLE[0], strength="strong", stage="engaged",
              contact="zq@example.org", constituencies="Dock workers"),
        entry(2, "decision_maker", PEOPLE[1], office="City Council", strength="working"),
        entry(3, "decision_maker", PEOPLE[2], office="city council "),  # linked to one of ours
        entry(4, "decision_maker", PEOPLE[3], office="Port Authority"),  # nobody near
        entry(5, "impacted", PEOPLE[4], strength="weak", notes="Lives at 4 Elm St"),
    ], [link(1, 3, "inner_circle")], [
        {"kind": "one_on_one", "status": "planned", "due_on": "2026-03-25",
         "title": f"Coffee with {PEOPLE[0]}", "entry_ids": [1]},
        {"kind": "one_on_one", "status": "planned", "due_on": "2026-03-21",
         "title": f"Call {PEOPLE[4]}", "entry_ids": [5]},
        {"kind": "site_visit", "status": "planned", "due_on": "2026-03-01", "title": "Visit",
         "entry_ids": []},
        {"kind": "turnout", "status": "done", "due_on": "2026-03-02", "title": "Turnout",
         "entry_ids": []},
    ], decision_maker=5)
    # The same council member on a second team's map, with a better tie there: counted once.
    b = team_map(2, "Faith Coalition", [
        entry(11, "decision_maker", PEOPLE[2].upper(), office="City Council", strength="strong"),
        entry(12, "leader", PEOPLE[5], strength="working", constituencies="Night-shift nurses",
              is_gatekeeper=1),
    ])
    return [a, b]


def text_of(view) -> str:
    """Every string a view holds, as stored and rendered in English and Spanish."""
    parts = []

    def walk(value):
        if isinstance(value, Message):
            parts.extend(render(value, lang) for lang in ("en", "es"))
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            parts.append(value)

    walk(view)
    return "\n".join(parts)


def test_no_room_view_holds_a_persons_name_contact_or_action_title():
    maps = two_maps()
    for view in (room.power(maps), room.engage(maps, TODAY), room.report_back(maps, TODAY)):
        text = text_of(view).casefold()
        assert not [p for p in PEOPLE if p.casefold() in text]
        for private in ("zq@example.org", "4 elm st", "coffee", "call "):
            assert private not in text


def test_power_counts_each_official_once_per_office_at_our_best_tie():
    view = room.power(two_maps())
    offices = {row.office.casefold().strip(): row for row in view.offices}
    council = offices["city council"]
    ties = dict(zip(room.TIES, council.ties))
    # Philomena: a working direct tie; Ignatius: through one of ours on one map, strong on the
    # other: the strong tie counts, once.
    assert council.decision_makers == 2
    assert ties == {"strong": 1, "working": 1, "weak": 0, "through": 0, "far": 0}
    assert council.links == 1
    port = dict(zip(room.TIES, offices["port authority"].ties))
    assert port["far"] == 1
    assert view.total.decision_makers == 3


def test_power_tells_the_facilitator_who_is_missing():
    maps = two_maps()
    maps.append(team_map(3, "Youth Council", [entry(21, "impacted", "Someone")]))
    hints = [render(m) for m in room.power(maps).missing]
    assert "Youth Council has no decision-makers on its map yet." in hints
    assert any("Port Authority" in h for h in hints)
    assert not any("City Council" in h for h in hints)


def test_power_folds_offices_beyond_what_a_projector_shows():
    officials = [entry(i, "decision_maker", f"Official {i}", office=f"Office {i}")
                 for i in range(1, 13)]
    view = room.power([team_map(1, "Team", officials)])
    assert len(view.offices) == room.OFFICES_SHOWN
    assert view.offices[-1].label == room.OTHER_OFFICES
    assert sum(r.decision_makers for r in view.offices) == 12


def test_an_official_without_an_office_is_counted_under_its_own_row():
    view = room.power([team_map(1, "Team", [entry(1, "decision_maker", "Nameless")])])
    assert view.offices[0].office == "" and view.offices[0].label == room.NO_OFFICE
    assert any("no office written" in render(m) for m in view.missing)


def test_engage_counts_planned_overdue_and_done_per_kind_with_the_next_date():
    view = room.engage(two_maps(), TODAY)
    kinds = {row.kind: row for row in view.kinds}
    assert kinds["one_on_one"] == room.KindRow("one_on_one", 2, 0, 0, "2026-03-21")
    assert kinds["site_visit"] == room.KindRow("site_visit", 1, 1, 0, None)
    assert kinds["turnout"].done == 1 and kinds["turnout"].planned == 0
    assert [render(m) for m in view.missing] == ["Faith Coalition has no action planned yet."]


def test_report_back_counts_levels_against_targets_and_says_gaps_by_level_or_community():
    view = room.report_back(two_maps(), TODAY)
    levels = {row.level: row for row in view.levels}
    assert levels["decision_maker"] == room.LevelRow("decision_maker", 4, 5, 2, 0)
    assert levels["leader"].ours == 2
    assert len(view.gaps) <= room.GAPS_SHOWN
    assert view.gaps[0].kind == "level_empty"  # nobody at a level outranks everything
    assert all(g.community or g.level or g.kind == "one_on_one_unrecorded" for g in view.gaps)
    # The wanted community only a gatekeeper reaches is said by its name, a group's.
    assert any(g.community == "Night-shift nurses" for g in room.report_back(
        two_maps()[1:], TODAY).gaps)
    assert any("nobody at" in render(m) for m in view.missing)


def test_a_teams_own_views_name_its_people():
    team = two_maps()[0]
    officials = room.team_power(team)
    assert [o.name for o in officials] == [PEOPLE[1], PEOPLE[2], PEOPLE[3]]
    assert [o.tie for o in officials] == ["working", "through", "far"]
    assert [a.due_on for a in room.team_actions(team)] == ["2026-03-01", "2026-03-21",
                                                           "2026-03-25"]
