"""The facilitator page's backups in AppTest: a download, and an automatic backup restored."""
import re

from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store


def test_the_facilitator_restores_a_deleted_board_from_its_automatic_backup(open_page, app_env):
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.latest_board(store, facilitator)
    boards.delete_board(store, facilitator, board.id, "DELETE")
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    (auto,) = [s for s in at.selectbox if s.key == "backup_auto"]
    assert "before deleting the board" in auto.format_func(auto.value)
    next(b for b in at.button if b.key == "backup_restore_auto").click()
    at.run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success if s.value.startswith("Restored")]
    assert boards.latest_board(store, facilitator).prompt == board.prompt
    store.close()


def test_an_automatic_backups_reason_and_time_read_in_the_readers_language(open_page, app_env):
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    boards.reset_votes(store, facilitator, boards.latest_board(store, facilitator).id)
    store.close()
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True, lang="es")
    assert not at.exception
    (auto,) = [s for s in at.selectbox if s.key == "backup_auto"]
    (shown,) = auto.options  # as the page drew them, in the session's language
    assert "antes de reiniciar los votos de" in shown
    assert re.search(r"\d{1,2} [a-z]{3} \d{4}, \d{1,2}:\d{2}", shown), shown  # "7 dic 2026, 9:41"


def test_a_participant_sees_no_backup_tools(open_page):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, participant=True)
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "backup_auto"]
    assert not [b for b in at.button if (b.key or "").startswith("backup_")]
