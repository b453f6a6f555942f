"""The map page's mapping step (AppTest): a peer tool's file is shown as it is, its Types and
connection types get guessed levels and link kinds the person can change, and the import applies
what the person chose; the mapping is offered again for the next file of that shape."""
import json

from conftest import DEMO_MAP_TOKEN, workbook

from orgkit.demo import ensure_demo
from orgkit.storage import open_store


def _northside(app_env):
    store = open_store(app_env)
    ensure_demo(store)
    return store, store.maps.by_token(DEMO_MAP_TOKEN)


WORKBOOK = workbook({"Elements": [["Label", "Type", "Website"], ["Lupe Ortega", "Persona", "x.org"],
                               ["Harbor Corp", "Company", ""]],
                  "Connections": [["From", "To", "Type"], ["Lupe Ortega", "Harbor Corp", "Boss"],
                                  ["Lupe Ortega", "Harbor Corp", "Boss"]]})


def _plain(text: str) -> str:
    """A label or caption without the backslashes and word joiners that keep file text from
    being Markdown (orgkit.ui.escape)."""
    return text.replace("\\", "").replace("\u2060", "")


def _select(at, label):
    # By the label a person reads: the mapping selects are keyed by the file's shape and their
    # place in the file, so the label is what ties a select to the column or type it maps.
    return next(s for s in at.selectbox if _plain(s.label) == label)


def test_the_mapping_step_shows_guesses_and_imports_what_the_person_chose(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("kumu.xlsx", WORKBOOK, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert any("Elements (elements): 2 rows; columns: Label, Type, Website" in _plain(c.value)
               for c in at.caption)
    assert _select(at, "Website").value == "extra"
    assert _select(at, "Company (1)").value == "organization"
    assert _select(at, "Persona (1)").value == "leader"  # no word of ours: the default
    assert _select(at, "Boss (2)").value == "answers_to"
    _select(at, "Persona (1)").set_value("impacted").run()
    _select(at, "Boss (2)").set_value("knows").run()
    assert any("1 repeated connections were merged" in i.value for i in at.info)
    assert any("Ready to import 2 entries, 1 links" in m.value for m in at.markdown)
    at.button(key=f"map{northside['id']}_import_go").click()
    at.run()
    assert not at.exception
    entries = {e["name"]: e for e in store.maps.entries(northside["id"])}
    assert entries["Lupe Ortega"]["level"] == "impacted"
    assert entries["Harbor Corp"]["level"] == "organization"
    assert json.loads(entries["Lupe Ortega"]["extra"]) == {"Website": "x.org"}
    assert [l["kind"] for l in store.maps.links(northside["id"])
            if l["source_id"] == entries["Lupe Ortega"]["id"]] == ["knows"]

    # The same shape again: the person's choices come back, and the rows are unchanged.
    at.file_uploader(key=f"map{northside['id']}_import_file_1").set_value(
        ("kumu.xlsx", WORKBOOK, "application/octet-stream")).run()
    assert any("the mapping you used last time" in m.value for m in at.markdown)
    assert _select(at, "Persona (1)").value == "impacted"
    assert any(_plain(c.value).startswith("Unchanged: 2 entries, 1 link ") for c in at.caption)


def test_a_json_upload_is_accepted_and_a_name_at_two_levels_is_resolved(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    data = ("source,source type,target,target type,relationship\n"
            "Pia Lind,person,Dock Co,company,\nDock Co,company,Pia Lind,politician,\n").encode()
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("rel.csv", data, "text/csv")).run()
    assert any("is named at two levels" in e.value for e in at.error) or at.warning
    _select(at, "pia lind").set_value("decision_maker").run()
    assert not at.error
    at.button(key=f"map{northside['id']}_import_go").click()
    at.run()
    levels = {e["name"]: e["level"] for e in store.maps.entries(northside["id"])}
    assert (levels["Pia Lind"], levels["Dock Co"]) == ("decision_maker", "organization")

    project = json.dumps({"elements": [{"_id": "a", "attributes": {"label": "Kim Vo",
                                                                   "element type": "Senator"}}],
                          "connections": []}).encode()
    at.file_uploader(key=f"map{northside['id']}_import_file_1").set_value(
        ("project.json", project, "application/json")).run()
    assert not at.error and _select(at, "Senator (1)").value == "decision_maker"
