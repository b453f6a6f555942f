"""The facilitator page's backups in AppTest: a download, and an automatic backup restored."""
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


def test_a_participant_sees_no_backup_tools(open_page):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, participant=True)
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "backup_auto"]
    assert not [b for b in at.button if (b.key or "").startswith("backup_")]
