"""Text over a limit, typed or pasted on a page, is refused with the limit named and kept in the
field: never cut to fit (no widget max_chars on free text), never stored. Where a widget does
bound what it takes (a code field, a number, an upload), its bound is the core's own constant."""
from conftest import DEMO_CODE, DEMO_MAP_TOKEN

from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import CODE_TYPED_MAX, Actor, Role
from orgkit.spreadsheet import UPLOAD_MAX_MB
from orgkit.storage import open_store


def test_a_pasted_idea_one_character_too_long_is_refused_named_and_kept(open_page, app_env):
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "Limits")
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    field = at.text_input(key="idea")
    assert not field.max_chars  # the browser never cuts a paste silently
    field.set_value("z" * 281)
    at.button(key="idea_send").click()
    at.run()
    assert not at.exception
    assert any("Item: is 281 characters; the limit is 280." in e.value for e in at.error)
    assert at.text_input(key="idea").value == "z" * 281
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


def test_a_code_field_takes_as_many_characters_as_the_core_reads(open_page):
    # A join or map code typed with spaces and dashes: the field stops where the core refuses.
    for path, key in (("home.py", "join_field"), ("pages/1_join.py", "join_code_field"),
                      ("pages/4_map.py", "map_code_field")):
        assert open_page(path).text_input(key=key).max_chars == CODE_TYPED_MAX, path


def test_the_board_settings_offer_exactly_the_range_the_core_accepts(open_page, app_env):
    store = open_store(app_env)
    ensure_demo(store)
    board = boards.latest_board(store, Actor(Role.FACILITATOR,
                                             store.workshops.by_code(DEMO_CODE)["id"]))
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    fields = {key: at.number_input(key=key) for key in (
        "create_board_0_votes", "create_board_0_item_limit", f"ctl{board.id}_min")}
    assert [(n.min, n.max, n.value) for n in fields.values()] == [
        (0, board_model.VOTES_MAX, board_model.VOTES_DEFAULT),
        (board_model.ITEM_LIMIT_MIN, board_model.ITEM_LIMIT_MAX, board_model.ITEM_LIMIT_DEFAULT),
        (board_model.TIMER_MIN_MINUTES, board_model.TIMER_MAX_MINUTES,
         board_model.TIMER_DEFAULT_MINUTES)]
    store.close()


def test_every_uploader_takes_files_up_to_the_upload_limit(open_page):
    facilitate = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    team_map = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    uploaders = [*facilitate.file_uploader, *team_map.file_uploader]
    assert [u.proto.max_upload_size_mb for u in uploaders] == [UPLOAD_MAX_MB, UPLOAD_MAX_MB]
