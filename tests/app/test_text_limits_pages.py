"""Text over a limit, typed or pasted on a page, is refused with the limit named and kept in the
field: never cut to fit (no widget max_chars), never stored."""
from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store


def test_a_pasted_idea_one_character_too_long_is_refused_named_and_kept(open_page, app_env):
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "Limits")
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    field = next(t for t in at.text_input if t.label == "Your idea")
    assert not field.max_chars  # the browser never cuts a paste silently
    field.set_value("z" * 281)
    next(b for b in at.button if b.label == "Send").click()
    at.run()
    assert not at.exception
    assert any("Item: is 281 characters; the limit is 280." in e.value for e in at.error)
    assert next(t for t in at.text_input if t.label == "Your idea").value == "z" * 281
    assert boards.snapshot(store, board.id).items == ()
    store.close()


def test_no_text_field_on_any_page_cuts_what_is_typed(open_page):
    for path in ("home.py", "pages/3_facilitate.py", "pages/4_map.py"):
        at = open_page(path, facilitator=True, **({"map": "demo-northside"}
                                                  if path == "pages/4_map.py" else {}))
        assert not at.exception
        cut = [t.label for t in [*at.text_input, *at.text_area]
               if t.max_chars and t.label not in ("Join code",)]
        assert cut == [], f"{path}: {cut}"
