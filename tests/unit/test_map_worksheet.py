"""The printable worksheet: the handout's layout, with the contact column (only the map's team and
the facilitator can load a map), and every value written as text."""
from unit.conftest import HOSTILE_HTML, html_outline

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
    page = worksheet.render(MAP, ENTRIES, LINKS)
    positions = [page.index(f'id="level-{level}"') for level in maps.LEVELS]
    assert positions == sorted(positions)
    assert "@media print" in page and page.count("Watch for gatekeepers") == 2
    assert "Gatekeeper: Speaks for the block" in page and "Inner circle: E2" in page
    assert "-2 opposed / 5" in page


def test_every_value_is_escaped():
    page = worksheet.render(MAP, ENTRIES, LINKS)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>A</b>" not in page and "Team &lt;b&gt;A&lt;/b&gt;" in page


def test_the_team_and_the_facilitator_print_the_contact_column():
    elements, text = html_outline(worksheet.render(MAP, ENTRIES, LINKS))
    assert text.count("How to contact") == len(maps.LEVELS) and "555-0101" in text


# Every field a person types that the worksheet prints (stage and strength are choices): on every
# entry, and in its level's own columns.
MAP_FIELDS = ("name", "issue")
ENTRY_FIELDS = ("name", "contact", "how_help", "next_step", "next_step_on", "gatekeeper_why")
LEVEL_FIELDS = {"decision_maker": ("office", "jurisdiction", "agenda", "issues")}
OTHER_FIELDS = ("role", "constituencies")


def _fields(entry: dict) -> tuple[str, ...]:
    return ENTRY_FIELDS + LEVEL_FIELDS.get(entry["level"], OTHER_FIELDS)


def _typed(text: str) -> tuple[dict, list[dict]]:
    """The map with `text` (after its field's name) in every typed field of every entry."""
    map_row = {field: f"map {field}: {text}" for field in MAP_FIELDS}
    entries = [{**entry, "is_gatekeeper": 1,
                **{field: f"{entry['id']} {field}: {text}" for field in _fields(entry)}}
               for entry in ENTRIES]
    return map_row, entries


def test_hostile_text_in_every_field_is_printed_as_text():
    links = LINKS + [{"source_id": 1, "target_id": 3, "kind": "funds"},
                     {"source_id": 3, "target_id": 2, "kind": "answers_to"}]
    plain_elements, _ = html_outline(worksheet.render(*_typed("plain words"), links))
    elements, text = html_outline(worksheet.render(*_typed(HOSTILE_HTML), links))
    assert elements == plain_elements  # no element or attribute came from the text
    typed = [f"map {field}: {HOSTILE_HTML}" for field in MAP_FIELDS] + [
        f"{entry['id']} {field}: {HOSTILE_HTML}" for entry in ENTRIES for field in _fields(entry)]
    assert [t for t in typed if t not in text] == []
    # Names reach other cells too: the inner circle, the funder and the boss of the official.
    assert text.count(f"2 name: {HOSTILE_HTML}") == 3 and text.count(f"1 name: {HOSTILE_HTML}") == 2
