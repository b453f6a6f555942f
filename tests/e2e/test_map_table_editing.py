"""The per-level table (st.data_editor) in Chromium on a freshly started server: typing into the
grid and saving reaches the database in one transaction, a bad cell is answered with its row and
field and saves nothing, and of two people editing the same entry the second is told to reload.

AppTest cannot type into a data editor, so only a browser covers this path. The grid is
glide-data-grid drawn on a canvas beside a hidden accessible table (#glide-cell-<column>-<row>)
that mirrors the values and the selection: once the grid has the focus, focusing one of its cells
selects it, Enter opens the cell's editor (a textarea in #portal) and Enter commits it.
Each check reads the server's own SQLite file through our store."""

import pytest
from playwright.sync_api import expect

from orgkit.storage import open_store

MAP_TOKEN = "demo-tenants-union"
NAME, ROLE, CONSTITUENCIES = 0, 1, 2  # column positions in the directly-impacted table


@pytest.fixture
def team_store(sqlite_url):
    """The server's database (the `server` fixture runs on `sqlite_url`)."""
    opened = open_store(sqlite_url)
    yield opened
    opened.close()


def _open_map(context, server, run_waiter):
    """A team member's page on the map; returns (page, its directly-impacted table)."""
    page = context.new_page()
    page.goto(f"{server.base}/map?map={MAP_TOKEN}")
    page.get_by_role("tab", name="By level").click()
    grid = page.locator("[data-testid=stDataFrame]").first  # the tab's first table
    grid.wait_for()
    run_waiter(page)
    expect(grid.locator("th").first).to_have_text("Name")
    return page, grid


def _cell(grid, row: int, column: int):
    """A cell of the grid's accessible table (its first column holds the row markers)."""
    return grid.locator(f"#glide-cell-{column + 1}-{row}")


def _edit_cell(page, grid, row: int, column: int, text: str) -> None:
    """Select a cell, open its editor with Enter, replace the text and commit with Enter.

    Focusing a cell of the accessible table selects it; that table holds only the cells in view,
    so a cell outside them (in a new row) is reached from the nearest one with the arrow keys."""
    shown = [tuple(int(n) for n in cell_id.rsplit("-", 2)[1:]) for cell_id in
             grid.locator("td[id^=glide-cell-]").evaluate_all("cells => cells.map(c => c.id)")]
    at_column, at_row = min(shown, key=lambda c: (abs(row - c[1]), abs(column + 1 - c[0])))
    if not grid.locator("td[aria-selected=true]").count():
        box = grid.locator("canvas").first.bounding_box()  # first, give the grid the focus
        page.mouse.click(box["x"] + 80, box["y"] + 55)  # a cell of the first rows
    _cell(grid, at_row, at_column - 1).focus()
    for key, back, steps in (("ArrowDown", "ArrowUp", row - at_row),
                             ("ArrowRight", "ArrowLeft", column + 1 - at_column)):
        for _ in range(abs(steps)):
            page.keyboard.press(key if steps > 0 else back)
    target = _cell(grid, row, column)
    expect(target).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.locator("#portal textarea").fill(text)
    page.keyboard.press("Enter")
    expect(target).to_have_text(text)


def _save(page, run_waiter) -> None:
    page.get_by_role("button", name="Save table changes").first.click()
    run_waiter(page)


def _impacted(store, map_id: int) -> list[dict]:
    return [e for e in store.maps.entries(map_id) if e["level"] == "impacted"]


@pytest.mark.e2e
def test_typed_cell_and_added_row_are_saved_in_one_revision(server, browser, run_waiter,
                                                            team_store, keep_shot):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page, grid = _open_map(context, server, run_waiter)
    team_map = team_store.maps.by_token(MAP_TOKEN)
    before, revision = _impacted(team_store, team_map["id"]), team_map["revision"]
    first = before[0]

    _edit_cell(page, grid, 0, NAME, "Carmen Solis-Vega")
    _edit_cell(page, grid, 0, ROLE, "Building captain at Oak Terrace")
    grid.hover()  # the toolbar shows on hover
    grid.get_by_role("button", name="Add row").click()
    _edit_cell(page, grid, len(before), NAME, "Zora Whitfield")
    _edit_cell(page, grid, len(before), CONSTITUENCIES, "Tenants in subsidized housing; Youth")
    keep_shot(page, "table-edited.png")
    _save(page, run_waiter)
    expect(page.get_by_text("Saved: 1 added, 1 changed, 0 deleted.")).to_be_visible()
    keep_shot(page, "table-saved.png")

    after = {e["id"]: e for e in _impacted(team_store, team_map["id"])}
    assert len(after) == len(before) + 1
    changed = after[first["id"]]
    assert (changed["name"], changed["role"]) == ("Carmen Solis-Vega",
                                                  "Building captain at Oak Terrace")
    assert changed["version"] == first["version"] + 1
    assert changed["contact"] == first["contact"]  # untouched cells keep their values
    added = next(e for e in after.values() if e["name"] == "Zora Whitfield")
    assert added["constituencies"] == "Tenants in subsidized housing; Youth"
    assert (added["stage"], added["strength"]) == ("identified", "none")
    assert team_store.maps.revision(team_map["id"]) > revision
    context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("column, bad, message", [
    (CONSTITUENCIES, "x" * 61, "Row 2 · Constituencies: is 61 characters; the limit is 60."),
    (NAME, " ", "Row 2 · Name: is required."),
], ids=["tag-over-the-limit", "blank-name"])
def test_bad_cell_names_row_and_field_and_saves_nothing(server, browser, run_waiter, team_store,
                                                        keep_shot, column, bad, message):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page, grid = _open_map(context, server, run_waiter)
    team_map = team_store.maps.by_token(MAP_TOKEN)
    before = _impacted(team_store, team_map["id"])

    _edit_cell(page, grid, 0, ROLE, "A good change that must not be saved alone")
    _edit_cell(page, grid, 1, column, bad)
    _save(page, run_waiter)
    answer = page.get_by_text(message, exact=True)
    expect(answer).to_be_visible()
    answer.scroll_into_view_if_needed()
    keep_shot(page, f"table-bad-{column}.png")

    assert _impacted(team_store, team_map["id"]) == before
    assert team_store.maps.revision(team_map["id"]) == team_map["revision"]
    context.close()


@pytest.mark.e2e
def test_second_editor_of_an_entry_is_told_to_reload_and_first_save_stands(
        server, browser, run_waiter, team_store, keep_shot):
    first_person = browser.new_context(viewport={"width": 1400, "height": 1000})
    second_person = browser.new_context(viewport={"width": 1400, "height": 1000})
    page_a, grid_a = _open_map(first_person, server, run_waiter)
    page_b, grid_b = _open_map(second_person, server, run_waiter)  # loaded before A saves
    team_map = team_store.maps.by_token(MAP_TOKEN)
    entry = _impacted(team_store, team_map["id"])[0]

    _edit_cell(page_a, grid_a, 0, ROLE, "Role as A wrote it")
    _save(page_a, run_waiter)
    expect(page_a.get_by_text("Saved: 0 added, 1 changed, 0 deleted.")).to_be_visible()

    _edit_cell(page_b, grid_b, 0, ROLE, "Role as B wrote it")
    _save(page_b, run_waiter)
    answer = page_b.get_by_text("was changed by someone else")
    expect(answer).to_contain_text("reload to see their change")
    answer.scroll_into_view_if_needed()
    keep_shot(page_b, "conflict-second-editor.png")
    stored = team_store.maps.entry(entry["id"])
    assert (stored["role"], stored["version"]) == ("Role as A wrote it", entry["version"] + 1)

    page_b.get_by_role("button", name="Reload (drop my unsaved edits)").first.click()
    run_waiter(page_b)
    expect(_cell(grid_b, 0, ROLE)).to_have_text("Role as A wrote it")
    assert team_store.maps.entry(entry["id"])["role"] == "Role as A wrote it"
    first_person.close()
    second_person.close()
