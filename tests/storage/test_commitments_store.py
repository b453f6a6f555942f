"""Tables and commitments on both engines: a phone joins its table's map only by the map's
handout, the facilitator ends every handout at once (the private link still works), each person
keeps their own commitments, the roles read what they may, the projector's counts, the .ics,
and commitments in the workshop's backup."""
from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest
from conftest import restored_dump

from orgkit.backup import service as backup
from orgkit.commitments import model as commitment_model
from orgkit.commitments import service as commitments
from orgkit.domain import Actor, NotFound, PermissionDenied, Role, ValidationError
from orgkit.map import service as maps
from orgkit.workshop import backups as workshop_backups
from orgkit.workshop import service as workshops

TODAY = dt.date.today()
SOON = (TODAY + dt.timedelta(days=7)).isoformat()
LATER = (TODAY + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def room(store):
    """A workshop with two team maps (one entry each) and three phones that joined."""
    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    north = maps.create_map(store, facilitator, "Northside")
    south = maps.create_map(store, facilitator, "Southside")
    ana = maps.create_entry(store, facilitator, north["id"],
                            {"name": "Ana Ruiz", "level": "leader", "contact": "555-0100"})
    maps.create_entry(store, facilitator, south["id"], {"name": "Pastor Lee", "level": "leader"})
    phones = [workshops.join(store, workshop.join_code)[1] for _ in range(3)]
    return store, facilitator, north, south, ana, phones


def test_a_phone_joins_its_tables_map_only_by_that_maps_handout_code(room):
    store, facilitator, north, south, ana, (phone, other, _) = room
    assert maps.as_member(store, phone) is None
    joined = maps.join_by_handout(store, phone, north["short_code"].lower())
    assert joined == {"id": north["id"], "name": "Northside"}
    member = maps.as_member(store, phone)
    assert member.role is Role.TEAM_MEMBER and member.map_id == north["id"]
    assert maps.load_map(store, member, north["id"]).entries[0]["contact"] == "555-0100"
    with pytest.raises(PermissionDenied):
        maps.load_map(store, member, south["id"])  # a member of one table only
    assert maps.as_member(store, other) is None  # the phone beside it did not scan
    maps.join_by_handout(store, phone, south["short_code"])  # another table's code moves it
    assert maps.as_member(store, phone).map_id == south["id"]


def test_a_code_of_another_workshop_or_a_visitor_joins_no_map(room):
    store, facilitator, north, *_ , (phone, _, _) = room
    elsewhere = workshops.create_workshop(store, "Elsewhere", None, "pin-654321")
    theirs = maps.create_map(store, Actor(Role.FACILITATOR, elsewhere.id), "Theirs")
    with pytest.raises(NotFound, match="No team map has the code"):
        maps.join_by_handout(store, phone, theirs["short_code"])
    with pytest.raises(PermissionDenied):
        maps.join_by_handout(store, Actor(Role.VISITOR, phone.workshop_id), north["short_code"])
    with pytest.raises(ValidationError, match="Map code"):
        maps.join_by_handout(store, phone, "x" * 500)


def test_ending_the_handouts_closes_every_tables_code_but_not_the_private_link(room):
    store, facilitator, north, south, ana, (phone, other, _) = room
    maps.join_by_handout(store, phone, north["short_code"])
    with pytest.raises(PermissionDenied):
        maps.set_handouts_open(store, phone, False)
    assert maps.set_handouts_open(store, facilitator, False) == 2
    assert maps.open_handouts(store, facilitator) == (0, 2)
    assert maps.as_member(store, phone) is None  # the joined phone no longer sees the map
    assert maps.member_of(store, phone)["id"] == north["id"]  # but is still of that team
    for code in (north["short_code"], south["short_code"]):
        with pytest.raises(PermissionDenied, match="closed the tables' codes"):
            maps.join_by_handout(store, other, code)
        with pytest.raises(PermissionDenied, match="closed the tables' codes"):
            maps.open_map_by_code(store, code)
    _, row, lead = maps.open_map(store, north["link_token"])  # the lead's link still works
    assert maps.load_map(store, lead, north["id"]).entries[0]["name"] == "Ana Ruiz"
    assert maps.set_handouts_open(store, facilitator, True) == 2  # a mistaken click undone
    assert maps.as_member(store, phone).map_id == north["id"]


def test_a_members_commitment_names_an_entry_of_their_map_and_keeps_its_name(room):
    store, facilitator, north, south, ana, (phone, *_) = room
    maps.join_by_handout(store, phone, north["short_code"])
    assert [e["name"] for e in commitments.entry_choices(store, phone)] == ["Ana Ruiz"]
    made = commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana,
                                          "due_on": SOON}, "key-1")
    assert commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana,
                                          "due_on": SOON}, "key-1") == made  # a double tap
    (row,) = commitments.mine(store, phone)
    assert (row["map_id"], row["entry_id"], row["with_whom"]) == (north["id"], ana, "Ana Ruiz")
    south_entry = maps.load_map(store, facilitator, south["id"]).entries[0]["id"]
    with pytest.raises(ValidationError, match="With whom: must be an entry of your team's map"):
        commitments.add(store, phone, {"kind": "site_visit", "entry_id": south_entry,
                                       "due_on": SOON})


def test_a_phone_at_no_table_writes_with_whom_as_free_text(room):
    store, *_, (phone, _, _) = room
    assert commitments.entry_choices(store, phone) is None
    with pytest.raises(ValidationError, match="only once your phone joined"):
        commitments.add(store, phone, {"kind": "turnout", "entry_id": 1, "due_on": SOON})
    commitments.add(store, phone, {"kind": "turnout", "with_whom": "my block club",
                                   "due_on": SOON})
    assert commitments.mine(store, phone)[0]["with_whom"] == "my block club"


@pytest.mark.parametrize("raw, message", [
    ({"kind": "dance", "due_on": SOON}, "What you will do: 'dance' is not one of"),
    ({"kind": "other", "due_on": SOON}, "What, in a few words: is required"),
    ({"kind": "other", "other_text": "x" * 81, "due_on": SOON}, "the limit is 80"),
    ({"kind": "turnout", "with_whom": "y" * 121, "due_on": SOON}, "the limit is 120"),
    ({"kind": "turnout"}, "By when: is required"),
    ({"kind": "turnout", "due_on": "2001-01-01"}, "By when: must be from"),
    ({"kind": "turnout", "due_on": (TODAY + dt.timedelta(days=400)).isoformat()},
     "By when: must be from"),
    ({"kind": "turnout", "due_on": SOON, "show_name": True}, "Your name: is required to show"),
])
def test_a_bad_commitment_names_its_field_and_limit_and_saves_nothing(room, raw, message):
    store, *_, (phone, _, _) = room
    with pytest.raises(ValidationError, match=message):
        commitments.add(store, phone, raw)
    assert commitments.mine(store, phone) == []


def test_one_person_has_at_most_the_limit_of_commitments(room):
    store, *_, (phone, _, _) = room
    for n in range(commitment_model.PER_PERSON_MAX):
        commitments.add(store, phone, {"kind": "turnout", "due_on": SOON}, f"k{n}")
    with pytest.raises(ValidationError, match="the limit is 20"):
        commitments.add(store, phone, {"kind": "turnout", "due_on": SOON}, "one-more")


def test_each_person_edits_and_deletes_only_their_own(room):
    store, facilitator, *_, (phone, other, _) = room
    made = commitments.add(store, phone, {"kind": "site_visit", "due_on": SOON})
    commitments.update(store, phone, made, {"kind": "capitol_trip", "due_on": LATER})
    assert commitments.mine(store, phone)[0]["kind"] == "capitol_trip"
    with pytest.raises(NotFound):
        commitments.update(store, other, made, {"kind": "turnout", "due_on": SOON})
    commitments.delete(store, other, made)  # not theirs: nothing happens
    assert commitments.mine(store, other) == [] and len(commitments.mine(store, phone)) == 1
    with pytest.raises(PermissionDenied):
        commitments.add(store, facilitator, {"kind": "turnout", "due_on": SOON})
    commitments.delete(store, phone, made)
    assert commitments.mine(store, phone) == []


def test_the_facilitator_sees_all_a_team_those_naming_its_map_with_names_only_where_shown(room):
    store, facilitator, north, south, ana, (phone, other, third) = room
    maps.join_by_handout(store, phone, north["short_code"])
    commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana, "due_on": SOON,
                                   "name": "Rosa"})
    commitments.add(store, other, {"kind": "turnout", "due_on": LATER, "name": "Tom",
                                   "show_name": True})
    assert [r["name"] for r in commitments.of_workshop(store, facilitator)] == ["Rosa", "Tom"]
    with pytest.raises(PermissionDenied):
        commitments.of_workshop(store, phone)
    _, _, lead = maps.open_map(store, north["link_token"])
    (named,) = commitments.for_map(store, lead, north["id"])
    assert (named["with_whom"], named["name"]) == ("Ana Ruiz", "")  # Rosa did not show hers
    assert commitments.for_map(store, facilitator, north["id"])[0]["name"] == "Rosa"
    with pytest.raises(PermissionDenied):
        commitments.for_map(store, lead, south["id"])
    with pytest.raises(PermissionDenied):
        commitments.for_map(store, third, north["id"])


def test_commitments_due_in_a_week_for_the_workshop_and_for_a_map(room):
    store, facilitator, north, south, ana, (phone, other, _) = room
    maps.join_by_handout(store, phone, north["short_code"])
    commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana, "due_on": SOON})
    commitments.add(store, other, {"kind": "turnout", "due_on": LATER})
    week = (TODAY.isoformat(), (TODAY + dt.timedelta(days=7)).isoformat())
    assert [r["kind"] for r in commitments.due_between(store, facilitator, *week)] == \
        ["one_on_one"]
    assert len(commitments.due_between(store, facilitator, TODAY, None)) == 2
    assert len(commitments.due_between(store, facilitator, *week, map_id=north["id"])) == 1
    assert commitments.due_between(store, facilitator, *week, map_id=south["id"]) == []


def test_the_room_view_counts_by_kind_and_lists_the_next_dates_with_shown_names_only(room):
    store, facilitator, *_, (phone, other, third) = room
    commitments.add(store, phone, {"kind": "turnout", "due_on": LATER, "name": "Rosa"})
    first = commitments.room(store, third)
    assert first.total == 1 and first.next[0].name == ""
    commitments.add(store, other, {"kind": "turnout", "due_on": SOON, "name": "Tom",
                                   "show_name": True})
    commitments.add(store, other, {"kind": "site_visit", "due_on": SOON})
    view = commitments.room(store, third)
    assert view.total == 3 and view.by_kind == [("turnout", 2), ("site_visit", 1)]
    assert [(n.due_on, n.name) for n in view.next] == [(SOON, "Tom"), (SOON, ""), (LATER, "")]
    assert commitments.room(store, third) is view  # nothing moved: the shared view


def test_the_calendar_file_parses_back_with_each_commitment_on_its_date(room):
    store, facilitator, north, south, ana, (phone, other, _) = room
    maps.join_by_handout(store, phone, north["short_code"])
    commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana, "due_on": SOON})
    commitments.add(store, phone, {"kind": "other", "other_text": "Clean the park",
                                   "due_on": LATER})
    commitments.add(store, other, {"kind": "turnout", "due_on": SOON})  # not in phone's file
    calendar = icalendar.Calendar.from_ical(commitments.calendar_file(store, phone, "es"))
    events = calendar.walk("VEVENT")
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
        ("Reunión uno a uno con Ana Ruiz", dt.date.fromisoformat(SOON)),
        ("Clean the park", dt.date.fromisoformat(LATER))]
    assert all(e.decoded("DTEND") - e.decoded("DTSTART") == dt.timedelta(days=1)
               for e in events)
    assert len({str(e["UID"]) for e in events}) == 2


def test_commitments_and_table_members_come_back_with_the_workshop_and_bad_ones_are_refused(
        room):
    store, facilitator, north, south, ana, (phone, other, _) = room
    maps.join_by_handout(store, phone, north["short_code"])
    commitments.add(store, phone, {"kind": "one_on_one", "entry_id": ana, "due_on": SOON})
    before = store.backups.dump(facilitator.workshop_id)
    assert before["commitments"] and before["map_members"]
    data = workshop_backups.workshop_backup(store, facilitator)
    commitments.delete(store, phone, commitments.mine(store, phone)[0]["id"])
    backup.restore_workshop(store, facilitator, data)
    assert restored_dump(store.backups.dump(facilitator.workshop_id)) == before
    document = json.loads(data)
    document["tables"]["commitments"][0]["kind"] = "bribe"
    with pytest.raises(ValidationError, match="has a commitment .row 1. that does not fit"):
        backup.restore_workshop(store, facilitator, json.dumps(document).encode())
