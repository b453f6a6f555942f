"""A workshop's default language and each browser's remembered choice, on both engines."""
import pytest

from orgkit import identity
from orgkit.domain import Actor, PermissionDenied, Role, ValidationError
from orgkit.workshop import service as workshops

PHONE = "phone-cookie-value-0123456789"


def test_a_workshop_keeps_the_language_it_was_created_with_and_the_facilitator_changes_it(store):
    created = workshops.create_workshop(store, "Taller", None, "123456", language="es-MX")
    assert created.language == "es"
    assert workshops.find_by_code(store, created.join_code).language == "es"
    changed = workshops.set_workshop_language(
        store, Actor(Role.FACILITATOR, created.id), "en")
    assert changed.language == "en" == workshops.get_workshop(store, created.id).language


def test_a_workshop_language_that_is_not_ours_is_refused_naming_the_field(store):
    with pytest.raises(ValidationError) as refused:
        workshops.create_workshop(store, "Taller", None, "123456", language="fr")
    assert str(refused.value) == "Workshop language: choose one of: en, es."
    assert store.workshops.count() == 0  # nothing half saved


def test_only_the_facilitator_changes_the_workshop_language(store):
    created = workshops.create_workshop(store, "Taller", None, "123456")
    with pytest.raises(PermissionDenied):
        workshops.set_workshop_language(
            store, Actor(Role.PARTICIPANT, created.id, participant_id=1), "es")
    assert workshops.get_workshop(store, created.id).language == "en"


def test_a_browser_remembers_its_language_across_workshops(store):
    assert workshops.remembered_language(store, PHONE) is None
    assert workshops.remembered_language(store, None) is None
    workshops.remember_language(store, PHONE, "es")
    workshops.remember_language(store, PHONE, "es")  # again: one row, no error
    assert workshops.remembered_language(store, PHONE) == "es"
    workshops.remember_language(store, PHONE, "en")
    assert workshops.remembered_language(store, PHONE) == "en"
    assert workshops.remembered_language(store, "another-cookie-value-0123") is None


def test_the_reader_language_follows_the_remembered_choice_then_the_hints(store):
    workshop = workshops.create_workshop(store, "Taller", None, "123456", language="es")

    def reader(**inputs):
        base = dict(device=PHONE, chosen=None, link=None, browser=None, workshop=workshop)
        return identity.reader_language(store, **{**base, **inputs})

    assert reader() == "es"  # nothing chosen, no hint: the workshop's default
    assert reader(browser="en-US") == "en"
    assert reader(browser="en-US", link="es") == "es"
    assert reader(chosen="en", link="es") == "en"  # this session's switch, without a cookie
    workshops.remember_language(store, PHONE, "es")
    assert reader(chosen="en", link="en", browser="en-US") == "es"  # the browser's own choice
