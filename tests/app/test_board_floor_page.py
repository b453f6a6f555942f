"""Adding from the floor on the Facilitate page (AppTest): the facilitator types what someone
without a phone said, it lands on the board marked as from the floor (on the facilitator's item
list too), the fields empty only once it is stored, and a refusal keeps what was typed."""
from conftest import DEMO_CODE, unisolated

from orgkit.board import service as boards


def _said(at, slot):
    box = at.main.get_by_key(f"said_{slot}")
    return unisolated(" ".join(str(node.value) for node in box.children.values()))


def test_the_facilitator_adds_an_item_from_the_floor(open_page, demo):
    store, _, board = demo
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    at.text_area(key=f"floor_text_{board.id}").set_value("Grandparents raising kids")
    at.text_input(key=f"floor_said_by_{board.id}").set_value("")
    at.button(key=f"floor_{board.id}_submit").click()
    at = at.run()
    assert not at.exception
    added = [i for i in boards.snapshot(store, board.id).items if i.from_floor]
    assert [(i.text, i.author, i.status) for i in added] == [
        ("Grandparents raising kids", None, "visible")]
    assert "marked as from the floor" in _said(at, f"floor_{board.id}")
    assert at.text_area(key=f"floor_text_{board.id}").value == ""
    options = at.selectbox(key=f"mod_item_{board.id}").options
    assert any("Grandparents raising kids" in o and "from the floor" in o for o in options)


def test_a_refused_item_from_the_floor_keeps_what_was_typed(open_page, demo):
    store, _, board = demo
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.text_area(key=f"floor_text_{board.id}").set_value("Bus riders")
    at.text_input(key=f"floor_said_by_{board.id}").set_value("Ana\x07")
    at.button(key=f"floor_{board.id}_submit").click()
    at = at.run()
    assert not at.exception
    assert "Said by: contains control characters" in _said(at, f"floor_{board.id}")
    assert at.text_area(key=f"floor_text_{board.id}").value == "Bus riders"
    assert not [i for i in boards.snapshot(store, board.id).items if i.from_floor]
