"""Every page in Spanish, for the participant, the facilitator and a team member: no sentence of
the catalog's English side shows (what people typed, the demo's names and items, stays as
written), the switch's state says Spanish, and the page runs without an exception.

The page's text is everything its elements carry (labels, help, placeholders, options, markdown,
captions, alerts, HTML blocks), read from the element protos of the AppTest tree; what counts as
the catalog's English is tests/catalog_english.py's.
"""
import os

import pytest
from google.protobuf.json_format import MessageToDict

from tests import catalog_english

from orgkit.demo import ensure_demo, showcase
from orgkit.storage import open_store
from orgkit.storage.backups import WORKSHOP_TABLES
from orgkit.workshop import service as workshops

PAGES = ["home.py", "pages/1_join.py", "pages/2_projector.py", "pages/3_facilitate.py",
         "pages/4_map.py", "pages/5_coverage.py", "pages/6_guide.py", "pages/7_this_week.py"]


def page_text(at) -> str:
    """All the text a page's elements carry, as one string."""
    found = []

    def strings(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            strings(MessageToDict(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def typed_text(database_url: str) -> list[str]:
    """Every text people (and the demo) typed into the database: it shows as written."""
    store = open_store(database_url)
    typed = set()
    for table in WORKSHOP_TABLES:
        for row in store.db.query(f"SELECT * FROM {table}"):
            typed.update(v for v in row.values() if isinstance(v, str) and len(v) > 3)
    return sorted(typed, key=len, reverse=True)


def english_in(at) -> list[str]:
    return catalog_english.english_in(page_text(at),
                                      typed_text(os.environ["ORGKIT_DATABASE_URL"]))


@pytest.fixture
def team_map_token(app_env):
    store = open_store(app_env)
    ensure_demo(store)
    return showcase(store).map_token


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["participant", "facilitator"])
def test_every_page_reads_in_spanish_for_participant_and_facilitator(open_page, path, role):
    at = open_page(path, lang="es", **{role: True})
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["orgkit_lang_switch"] == "es"
    assert not english_in(at), english_in(at)


@pytest.mark.parametrize("path", ["pages/4_map.py", "pages/5_coverage.py",
                                  "pages/7_this_week.py"])
def test_a_team_members_map_and_coverage_read_in_spanish(open_page, team_map_token, path):
    at = open_page(path, lang="es", map=team_map_token)
    assert not at.exception, [e.value for e in at.exception]
    assert not english_in(at), english_in(at)


def test_the_same_page_in_english_shows_the_english_side(open_page):
    """The check itself: an English session of the facilitator's page shows catalog runs."""
    at = open_page("pages/3_facilitate.py", facilitator=True)
    assert at.session_state["orgkit_lang_switch"] == "en"
    assert len(english_in(at)) > 10


def test_the_switch_changes_the_language_at_once_remembers_it_and_says_it_in_the_url(
        open_page, device_cookie, app_env):
    """(What was typed and not sent survives a switch in a real browser: the field lives in the
    browser until its form is sent, which AppTest does not play; tests/e2e checks it.)"""
    device_cookie("a-phone-cookie-value-0123456789")
    at = open_page("pages/1_join.py", participant=True)
    assert at.session_state["orgkit_language"] == "en"
    at.segmented_control(key="orgkit_lang_switch").set_value("es").run()
    assert not at.exception
    assert at.session_state["orgkit_language"] == "es"
    assert at.query_params["lang"] in ("es", ["es"])
    assert not english_in(at), english_in(at)
    # the browser keeps it: a fresh session from it, with an English hint in its link, reads
    # Spanish
    again = open_page("pages/1_join.py", participant=True, lang="en")
    assert again.session_state["orgkit_language"] == "es"
    assert workshops.remembered_language(open_store(app_env),
                                         "a-phone-cookie-value-0123456789") == "es"
