"""The printable worksheet: the handout's layout, every value escaped, contacts only when allowed."""
from orgkit.map import model as map_model
from orgkit.map import service as maps
from orgkit.map import worksheet

MAP = {"name": "Team <b>A</b>", "issue": "Keep <i>grants</i>"}


def _entry(id_, level, **fields):
    return {**map_model.clean_entry({"name": f"E{id_}", "level": level, **fields}), "id": id_}


ENTRIES = [_entry(1, "impacted", contact="555-0101", role="<script>alert(1)</script>"),
           _entry(2, "leader", is_gatekeeper=1, gatekeeper_why="Speaks for the block"),
           _entry(3, "decision_maker", office="Mayor", stance=-2, influence=5)]
LINKS = [{"source_id": 2, "target_id": 3, "kind": "inner_circle"}]


def test_the_worksheet_has_the_four_sections_in_the_handouts_order():
    page = worksheet.render(MAP, ENTRIES, LINKS, show_contacts=True)
    positions = [page.index(f'id="level-{level}"') for level in maps.LEVELS]
    assert positions == sorted(positions)
    assert "@media print" in page and page.count("Watch for gatekeepers") == 2
    assert "Gatekeeper: Speaks for the block" in page and "Inner circle: E2" in page
    assert "-2 opposed / 5" in page


def test_every_value_is_escaped():
    page = worksheet.render(MAP, ENTRIES, LINKS, show_contacts=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>A</b>" not in page and "Team &lt;b&gt;A&lt;/b&gt;" in page


def test_the_contact_column_is_only_there_for_the_team():
    assert "How to contact" in worksheet.render(MAP, ENTRIES, LINKS, show_contacts=True)
    shared = worksheet.render(MAP, ENTRIES, LINKS, show_contacts=False)
    assert "How to contact" not in shared and "555-0101" not in shared
