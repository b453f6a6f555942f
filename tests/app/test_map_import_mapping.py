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
    assert any("Ready to import 2 entries, 1 link" in m.value for m in at.markdown)
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


# Issue 21, defect 1: Kumu's PayPal-mafia export shape (a blank connection type and an
# "Employee/Founder" one; Label and Type columns on the connections).
PAYPAL = workbook({"Elements": [["Label", "Type"], ["Peter Thiel", "Person"],
                                ["PayPal", "Company"], ["Elon Musk", "Person"]],
                   "Connections": [["From", "To", "Label", "Type"],
                                   *[["Peter Thiel", "PayPal", "", "Employee/Founder"]] * 2,
                                   ["Elon Musk", "PayPal", "", ""],
                                   ["Peter Thiel", "Elon Musk", "cofounders", ""]]})


def _connection(at, label):
    """The select of a connection column (the elements sheet has columns of the same name)."""
    return [s for s in at.selectbox if _plain(s.label) == label][-1]


def test_a_mapping_choice_stays_with_what_it_maps_when_others_change(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("paypal.xlsx", PAYPAL, "application/octet-stream")).run()
    assert _connection(at, "Type").value == "kind"  # Kumu's connection Type, not its Label
    _select(at, "(blank type) (2)").set_value("funds").run()
    _connection(at, "Type").set_value("ignore").run()
    _connection(at, "Label").set_value("kind").run()
    # Label as the kind: blank on three rows (the choice for blank stays), "cofounders" on one.
    assert _select(at, "(blank type) (3)").value == "funds"
    assert _select(at, "cofounders (1)").value == "knows"
    _connection(at, "Label").set_value("ignore").run()
    _connection(at, "Type").set_value("kind").run()
    assert _select(at, "Employee/Founder (2)").value == "answers_to"
    assert _select(at, "(blank type) (2)").value == "funds"


def test_accessible_names_carry_no_markdown_escapes_and_one_problem_is_singular(open_page,
                                                                                 app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    data = ("Label,Type,Influence\nMEFSIN,acteur_mefsin,Huge\n").encode()
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("acteurs.csv", data, "text/csv")).run()
    assert not at.exception
    labels = [s.label for s in at.selectbox]
    assert "acteur_mefsin (1)" in labels and not any("\\" in label for label in labels)
    assert _select(at, "acteur_mefsin (1)").value == "organization"
    assert any(e.value.startswith("1 problem:") for e in at.error)


def test_what_will_not_arrive_is_listed_before_import_all(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("paypal.xlsx", PAYPAL, "application/octet-stream")).run()
    warning = _plain(" ".join(w.value for w in at.warning))
    assert "What will not arrive" in warning and "Label" in warning
    assert at.button(key=f"map{northside['id']}_import_go")


def test_a_relationship_table_can_be_chosen_as_the_connections(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    data = "Who,Whom,Why\nRo Baez,Dock Union,member\n".encode()
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("odd.csv", data, "text/csv")).run()
    roles = [s for s in at.selectbox if s.label.startswith("Table of")]
    roles[0].select_index(0).run()  # no table of elements
    next(s for s in at.selectbox if s.label.startswith("Table of connections")).set_value(
        "odd.csv").run()
    _select(at, "Who").set_value("from").run()
    _select(at, "Whom").set_value("to").run()
    _select(at, "Why").set_value("kind").run()
    assert not at.error, [e.value for e in at.error]
    at.button(key=f"map{northside['id']}_import_go").click()
    at.run()
    names = {e["name"] for e in store.maps.entries(northside["id"])}
    assert {"Ro Baez", "Dock Union"} <= names
