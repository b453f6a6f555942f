"""A name cannot disguise itself: direction controls (U+202A-U+202E, U+2066-U+2069) are refused
in one-line fields, with the field named; right-to-left names are welcome; and every piece of
user text on the shared screens is isolated (orgkit.bidi), so nothing it carries reorders the
text around it."""
from dataclasses import replace

import pytest
from conftest import unisolated
from unit.test_board_rules import make_item, make_snapshot

from orgkit.bidi import FSI, PDI, isolate, isolate_html
from orgkit.board.model import RevealPoint
from orgkit.board.phone_list import PhoneBoard
from orgkit.board.view import projector_pages
from orgkit.domain import ValidationError
from orgkit.markdown import escape
from orgkit.validation import clean_text


@pytest.mark.parametrize("control", [chr(c) for c in (*range(0x202A, 0x202F),
                                                      *range(0x2066, 0x206A))])
def test_a_direction_control_in_a_one_line_field_is_refused_with_the_field_named(control):
    with pytest.raises(ValidationError, match=f"^Display name: contains a direction control "
                                              f"\\(U\\+{ord(control):04X}\\)") as caught:
        clean_text(f"Ana {control}exe.lagel", "Display name", max_len=60)
    assert caught.value.field == "Display name"


@pytest.mark.parametrize("name", ["سارة", "דוד כהן", "Ana María", "李雷"])
def test_right_to_left_and_other_scripts_are_kept_as_typed(name):
    assert clean_text(name, "Display name", max_len=60) == name


# -- isolation: user text keeps its direction to itself on every shared screen ------------------

HOSTILE = "ok \u2069\u202eexe.lagel"  # a lone isolate end, then an override


def test_plain_text_is_isolated_and_its_own_isolates_balanced():
    assert isolate("נור") == f"{FSI}נור{PDI}"
    # A lone PDI would end our isolate early and let the override run on past it: dropped.
    assert isolate(HOSTILE) == f"{FSI}ok \u202eexe.lagel{PDI}"
    # An isolate the text opens is closed inside ours, so our end closes ours.
    assert isolate("a \u2067b") == f"{FSI}a \u2067b{PDI}{PDI}"
    assert isolate("a \u2066b\u2069 c") == f"{FSI}a \u2066b\u2069 c{PDI}"


def test_html_is_escaped_inside_an_isolating_element():
    assert isolate_html('<b>"דנה"</b>') == "<bdi>&lt;b&gt;&quot;דנה&quot;&lt;/b&gt;</bdi>"
    assert isolate_html(HOSTILE) == "<bdi>ok \u202eexe.lagel</bdi>"


def test_the_projector_and_the_phone_isolate_every_piece_of_user_text():
    items = [make_item(1, HOSTILE, author="نور", theme=5), make_item(2, "other", author="דנה")]
    snap = make_snapshot(items, themes=[(5, "ثقة")], phase="vote", revealed=True,
                         points=("Grow leaders",),
                         reveal=(RevealPoint(0, "Grow leaders", 1, True, True),))
    page = projector_pages(snap, 3)[0]
    for text in (HOSTILE, "نور", "דנה", "ثقة", "Grow leaders", "other"):
        assert isolate_html(text) in page
    assert unisolated(page).count("\u202e") == 2  # the item's card and the reveal's quote
    snap = replace(snap, board=replace(snap.board, prompt="מה \u202eשלום?"))
    assert isolate_html("מה \u202eשלום?") in projector_pages(snap, 3)[0]
    labels = PhoneBoard.build(snap).labels
    assert labels[1] == f"{escape(isolate(HOSTILE))} · 0 votes"
    assert labels[2] == f"{FSI}other{PDI} · 0 votes"
