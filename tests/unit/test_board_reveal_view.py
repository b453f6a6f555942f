"""What the room sees of the reveal (projector and phones): only the facilitator's confirmed
answers; a suggestion is a guess and shows as a point not (yet) raised."""
import pytest

from orgkit.board.model import RevealPoint
from orgkit.board.view import reveal_html
from tests.unit.test_board_rules import make_item, make_snapshot


@pytest.mark.parametrize("confirmed, shown", [(False, False), (True, True)])
def test_the_room_sees_a_point_raised_only_once_the_facilitator_confirms_it(confirmed, shown):
    items = [make_item(1, "Foro de candidatos")]
    snap = make_snapshot(items, points=("Candidate forums",), revealed=True,
                         reveal=(RevealPoint(0, "Candidate forums", 1, True, confirmed),))
    html = reveal_html(snap)
    assert ("✔ raised" in html) is shown and ("Foro de candidatos" in html) is shown
    assert "suggested" not in html
    assert ("○" in html) is not shown
