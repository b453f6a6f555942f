"""The map, guide and facilitate pages in AppTest: editing flows per role, the conflict message,
and contact details never reaching participants or visitors."""
import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN

from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.map import model as map_model
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.map import worksheet
from orgkit.storage import open_store
from orgkit.ui import mirrored
from orgkit.workshop import model as workshop_model
from orgkit.workshop import service as workshops

DEMO_CONTACT = "555-0101 / maria.dr@example.org"  # Maria's contact on the demo's Northside map
DEMO_NOTE = "Prefers texts in Spanish; free after 6 pm"


def _everything(at) -> str:
    """All text the run rendered, tables included."""
    parts = [str(getattr(node, "value", "")) for node in at.main.children.values()]

    def walk(node):
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            parts.append(str(proto) if proto is not None else "")
            if child.type == "arrow_data_frame":
                parts.append(child.value.to_csv())
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _form(northside, entry=None, added=0):
    """The entry form's key: the map, the entry at the version it was opened at (None for a new
    one) and the entries added so far; each field's key is this and the field's name."""
    return (f"map{northside['id']}_form_{entry and entry['id']}_{entry and entry['version']}"
            f"_{added}")


def _northside(app_env):
    store = open_store(app_env)
    ensure_demo(store)  # the app would load it on its first run; the test reads it first
    return store, store.maps.by_token(DEMO_MAP_TOKEN)


def test_team_member_sees_four_level_tables_with_contact_columns(open_page):
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    assert not at.exception
    assert [s.value for s in at.subheader][:4] == [
        "Directly impacted people", "Community leaders and connectors",
        "Organizations and institutions", "Decision-makers"]
    assert len(at.warning) == 2  # the gatekeeper caution for leaders and for institutions
    tables = at.data_editor
    assert len(tables) == 4
    impacted = tables[0].value
    assert "contact" in impacted.columns and DEMO_CONTACT in set(impacted["contact"])
    assert {"stance", "influence", "office"} <= set(tables[3].value.columns)
    assert "stance" not in impacted.columns
    for power in (tables[1].value, tables[2].value):  # leaders and organizations: on the power grid
        assert {"stance", "influence"} <= set(power.columns) and "office" not in power.columns
    assert DEMO_CONTACT in _everything(at)  # the probe the privacy test relies on finds it here


def test_team_member_adds_an_entry_with_the_form(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    form = _form(northside)
    at.text_input(key=f"{form}_name").set_value("Paulina <b>Ortiz</b>")
    at.text_input(key=f"{form}_role").set_value("Block captain")
    at.text_input(key=f"{form}_constituencies").set_value("Tenants; Youth")
    at.text_input(key=f"{form}_contact").set_value("555-0199")
    at.button(key=f"{form}_submit").click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert any("Entry added" in s.value for s in at.success)
    row = next(e for e in store.maps.entries(northside["id"]) if e["name"].startswith("Paulina"))
    assert (row["level"], row["constituencies"], row["contact"]) == (
        "impacted", "Tenants; Youth", "555-0199")


@pytest.mark.parametrize("name, message", [
    ("", "Name: is required."),
    ("bad\x07name", "Name: contains control characters"),
])
def test_a_bad_entry_from_the_form_is_named_and_not_saved(open_page, app_env, name, message):
    store, northside = _northside(app_env)
    before = len(store.maps.entries(northside["id"]))
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.text_input(key=f"{_form(northside)}_name").set_value(name)
    at.button(key=f"{_form(northside)}_submit").click()
    at.run()
    assert any(e.value.startswith(message) for e in at.error), [e.value for e in at.error]
    assert len(store.maps.entries(northside["id"])) == before


def test_saving_an_entry_someone_else_changed_says_reload_and_keeps_their_change(
        open_page, app_env):
    store, northside = _northside(app_env)
    maria = next(e for e in store.maps.entries(northside["id"])
                 if e["name"] == "Maria Delgado-Ruiz")
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.selectbox(key=f"map{northside['id']}_form_entry").set_value(maria["id"]).run()
    form = _form(northside, maria)
    assert at.text_input(key=f"{form}_name").value == "Maria Delgado-Ruiz"
    # Meanwhile the facilitator edits the same entry elsewhere.
    maps.update_entry(store, Actor(Role.FACILITATOR, northside["workshop_id"]), northside["id"],
                      maria["id"], maria["version"], {"role": "Parent leader"})
    at.text_input(key=f"{form}_role").set_value("Mine")
    at.button(key=f"{form}_submit").click()
    at.run()
    assert any("changed by someone else" in e.value and "reload" in e.value for e in at.error)
    assert store.maps.entry(maria["id"])["role"] == "Parent leader"
    at.button(key=f"map{northside['id']}_form_reload").click()
    at.run()
    reloaded = _form(northside, store.maps.entry(maria["id"]))  # opened at the new version
    assert at.text_input(key=f"{reloaded}_role").value == "Parent leader"


def test_decision_maker_entry_shows_its_inner_circle_from_links(open_page, app_env):
    store, northside = _northside(app_env)
    fontaine = next(e for e in store.maps.entries(northside["id"]) if "Fontaine" in e["name"])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.selectbox(key=f"map{northside['id']}_form_entry").set_value(fontaine["id"]).run()
    circle = next(m.value for m in at.markdown if m.value.startswith("**Inner circle:**"))
    assert "Jenna" in circle
    assert at.button_group(key=f"{_form(northside, fontaine)}_stance").label.startswith("Stance")


def test_team_member_links_two_entries_and_plans_an_action(open_page, app_env):
    store, northside = _northside(app_env)
    links_before = len(store.maps.links(northside["id"]))
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.button(key=f"map{northside['id']}_link_form_submit").click()  # first knows the second
    at.run()
    assert any("Link added" in s.value for s in at.success)
    assert len(store.maps.links(northside["id"])) == links_before + 1
    at.button(key=f"map{northside['id']}_link_form_submit").click()
    at.run()
    assert any("already on the map" in e.value for e in at.error)
    at.text_input(key=f"map{northside['id']}_action_form_0_title").set_value("Town hall turnout")
    at.button(key=f"map{northside['id']}_action_form_0_submit").click()
    at.run()
    assert any(a["title"] == "Town hall turnout" for a in store.maps.actions(northside["id"]))
    assert any(s.value.startswith("Upcoming") for s in at.subheader)
    assert any(s.value.startswith("Overdue") for s in at.subheader)


def test_an_empty_action_from_the_form_is_named_and_not_added(open_page, app_env):
    store, northside = _northside(app_env)
    before = store.maps.actions(northside["id"])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    # No title, no date, nobody involved.
    at.button(key=f"map{northside['id']}_action_form_0_submit").click()
    at.run()
    assert not any("Action added" in s.value for s in at.success)
    assert any(e.value.startswith("Title: write one, or choose at least one entry involved")
               for e in at.error), [e.value for e in at.error]
    assert store.maps.actions(northside["id"]) == before


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


def test_importing_a_csv_shows_every_bad_row_then_applies_a_good_file_whole(open_page, app_env):
    store, northside = _northside(app_env)
    before = store.maps.entries(northside["id"])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    uploader = at.file_uploader(key=f"map{northside['id']}_import_file_0")
    bad = b"name,level,stage\nAna Ruiz,impacted,married\n,leader,\nBo Chen,mayor,\n"
    uploader.set_value(("people.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any(e.value.startswith("2 problems: nothing will be imported") for e in at.error)
    (problems,) = [f for f in _frames(at)
                   if list(f.columns) == ["Sheet", "Row", "Column", "Problem"]]
    # "mayor" is a Type the mapping step guesses (a decision-maker), no longer a bad row.
    assert [tuple(r) for r in problems[["Sheet", "Row", "Column"]].itertuples(index=False)] == [
        ("people.csv", 2, "stage"), ("people.csv", 3, "name")]
    assert "'married' is not one of: Identified, Contacted" in problems["Problem"][0]
    assert not any(b.label == "Import all" for b in at.button)
    assert store.maps.entries(northside["id"]) == before

    good = b"name,level,stage,contact\nAna Ruiz,impacted,contacted,555-0142\nBo Chen,leader,,\n"
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("people.csv", good, "text/csv")).run()
    assert not at.error and any("Ready to import 2 entries" in m.value for m in at.markdown)
    at.button(key=f"map{northside['id']}_import_go").click()
    at.run()
    assert any(s.value == "Imported 2 entries, 0 links, 0 actions." for s in at.success)
    after = {e["name"]: e for e in store.maps.entries(northside["id"])}
    assert len(after) == len(before) + 2
    assert (after["Ana Ruiz"]["stage"], after["Ana Ruiz"]["contact"]) == ("contacted", "555-0142")
    # The imported file is cleared, not previewed again as two duplicates of what it just added.
    assert not at.error and not any("Ready to import" in m.value for m in at.markdown)


def test_a_binary_upload_is_named_on_the_page_and_imports_nothing(open_page, app_env):
    store, northside = _northside(app_env)
    before = store.maps.entries(northside["id"])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
         "text/csv")).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "File: this is not a CSV, XLSX or JSON file (it holds binary data (NUL bytes), not "
        "text)."]
    assert not any(b.label == "Import all" for b in at.button)
    assert store.maps.entries(northside["id"]) == before


@pytest.mark.parametrize("path", ["pages/1_join.py", "pages/2_projector.py", "pages/4_map.py",
                                  "pages/5_coverage.py", "pages/6_guide.py"])
@pytest.mark.parametrize("params", [{"code": DEMO_CODE}, {}])
def test_participants_and_visitors_never_see_contact_details(open_page, path, params):
    at = open_page(path, **params)
    assert not at.exception
    text = _everything(at)
    assert "Riverbend" in text or not params  # the page really rendered the workshop
    assert DEMO_CONTACT not in text and "555-01" not in text and DEMO_NOTE not in text


def test_the_map_page_without_a_map_link_shows_no_entries(open_page):
    at = open_page("pages/4_map.py", code=DEMO_CODE)
    assert not at.data_editor and any("map code" in m.value for m in at.markdown)


def _checklists(at) -> dict[str, list[str]]:
    """Each map's checklist block on the guide: {map name: its step lines}."""
    blocks = [m.value.split("  \n") for m in at.markdown if m.value.count("  \n") >= 6]
    return {lines[0].strip("*"): lines[1:] for lines in blocks}


def test_guide_ticks_the_checklist_from_each_map_as_plain_text(open_page):
    at = open_page("pages/6_guide.py", code=DEMO_CODE)
    checklists = _checklists(at)
    assert len(checklists) == 3  # the demo's three team maps
    northside = next(lines for name, lines in checklists.items() if "Northside" in name)
    assert len(northside) == 7 and all(line[:2] in ("✔ ", "✘ ") for line in northside)
    assert "✔ Decision-makers identified — 4 on the map" in northside
    assert any(line.startswith("✘ A voter-registration drive — 0 planned or held")
               for line in northside)
    assert not at.checkbox  # no disabled widgets with pale labels
    assert not any(b.label == "Save questions" for b in at.button)  # not the facilitator's


def test_facilitator_edits_the_forum_question_bank(open_page, app_env):
    at = open_page("pages/6_guide.py", code=DEMO_CODE, facilitator=True)
    at.text_area[0].set_value("Will you fund senior meals?\n\n[click](http://evil) me?")
    at.button(key="forum_questions_save").click()
    at.run()
    store = open_store(app_env)
    workshop = store.workshops.by_code(DEMO_CODE)
    assert [q["text"] for q in store.workshops.forum_questions(workshop["id"])] == [
        "Will you fund senior meals?", "[click](http://evil) me?"]
    # Shown as text, not a link: the brackets escaped, the URL broken by a word joiner.
    assert any("\\[click\\](http:\u2060//evil) me?" in m.value for m in at.markdown)
    at.text_area[0].set_value("x" * 401)
    at.button(key="forum_questions_save").click()
    at.run()
    assert any("Question 1: is 401 characters; the limit is 400." in e.value for e in at.error)


def test_facilitator_creates_a_team_map_and_gets_its_private_link(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.text_input(key="create_map_0_name").set_value("Eastgate Clinic")
    at.button(key="create_map_0_submit").click()
    at.run()
    assert not at.error
    created = next(m for m in open_store(app_env).maps.for_workshop(
        open_store(app_env).workshops.by_code(DEMO_CODE)["id"]) if m["name"] == "Eastgate Clinic")
    assert not any(created["link_token"] in c.value for c in at.code)  # hidden until asked
    at.session_state[f"reveal_link_{created['id']}"] = True  # the facilitator opens its expander
    at.run()
    assert [c.value for c in at.code if created["link_token"] in c.value]
    at.text_input(key="create_map_1_name").set_value("")  # a new form (and keys) after a map
    at.button(key="create_map_1_submit").click()
    at.run()
    assert [e.value for e in at.error] == ["Team name: is required."]


def test_facilitator_sees_contacts_on_any_map(open_page):
    at = open_page("pages/4_map.py", code=DEMO_CODE, map=DEMO_MAP_TOKEN, facilitator=True)
    assert "You are here as: facilitator" in _everything(at)
    assert DEMO_CONTACT in set(at.data_editor[0].value["contact"])


def test_the_map_page_builds_no_download_until_one_is_clicked(open_page, app_env, monkeypatch):
    _, northside = _northside(app_env)
    built = []
    for module, name in [(exports, "export_csv"), (exports, "export_xlsx"),
                         (exports, "kumu_workbook"), (worksheet, "render")]:
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _f=original, _n=name, **k: (
            built.append(_n), _f(*a, **k))[1])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and len(at.get("download_button")) == 6
    assert built == []
    at.toggle(key=f"map{northside['id']}_worksheet_show").set_value(True).run()
    assert built == ["render"]  # the on-page view, only once it is asked for


HOSTILE = "![x](https://tracker.example/p.png) **b** <b>"


def _markdown_texts(at) -> list[str]:
    """Every string the run handed to something that renders Markdown: text elements, alerts,
    and the labels of widgets and page links (selectbox options are plain text)."""
    texts = [e.value for kind in ("markdown", "title", "subheader", "caption", "success", "info",
                                  "warning", "error") for e in getattr(at, kind)]
    texts += [w.label for kind in ("button", "checkbox", "selectbox", "multiselect", "text_input",
                                   "text_area", "toggle", "radio") for w in getattr(at, kind)]
    texts += [e.proto.label for e in at.get("page_link")]
    return texts


def _raw_hostile(texts: list[str]) -> list[str]:
    return [t for t in texts if "](" in t.replace("\\](", "") or "<b>" in t or "**b**" in t]


def test_hostile_entry_names_and_csv_headers_are_never_markdown(open_page, app_env):
    store, northside = _northside(app_env)
    team = Actor(Role.TEAM_MEMBER, northside["workshop_id"], map_id=northside["id"])
    official = next(e for e in store.maps.entries(northside["id"]) if "Fontaine" in e["name"])
    hostile = maps.create_entry(store, team, northside["id"], {"name": HOSTILE, "level": "leader"})
    maps.add_link(store, team, northside["id"], hostile, official["id"], "inner_circle")
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.selectbox(key=f"map{northside['id']}_form_entry").set_value(official["id"]).run()
    assert any("tracker" in t for t in _markdown_texts(at))  # the name really is on screen
    upload = ("map.csv", f"name,level,{HOSTILE}\nAna,impacted,x\n".encode(), "text/csv")
    at.file_uploader(key=f"map{northside['id']}_import_file_0").set_value(upload).run()
    assert any("Kept as extra fields" in i.value for i in at.info)
    assert not at.exception
    assert _raw_hostile(_markdown_texts(at)) == []


@pytest.mark.parametrize("facilitator", [False, True])
def test_the_team_and_the_facilitator_set_per_level_targets(open_page, app_env, facilitator):
    store, northside = _northside(app_env)
    params = {"code": DEMO_CODE, "facilitator": True} if facilitator else {}
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN, **params)
    form, goals = f"map{northside['id']}_targets", map_model.targets(northside)
    at.number_input(key=f"{form}_decision_maker_{goals['decision_maker']}").set_value(7)
    at.number_input(key=f"{form}_impacted_{goals['impacted']}").set_value(30)
    at.button(key=f"{form}_submit").click()
    at.run()
    assert not at.error and any("Targets saved" in s.value for s in at.success)
    saved = map_model.targets(store.maps.get(northside["id"]))
    assert (saved["impacted"], saved["decision_maker"]) == (30, 7)
    counts = next(m.value for m in at.markdown if m.value.startswith("Impacted:"))
    assert "Decision-makers: " in counts and counts.endswith(" of 7")


def test_targets_and_questions_saved_in_another_tab_show_in_this_one(open_page, app_env):
    # Their fields' keys carry the stored values: this session's old field is not kept.
    store, northside = _northside(app_env)
    facilitator = Actor(Role.FACILITATOR, northside["workshop_id"])
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    maps.set_targets(store, facilitator, northside["id"], {"decision_maker": 9})
    at.run()
    assert at.number_input(key=f"map{northside['id']}_targets_decision_maker_9").value == 9
    action = store.maps.actions(northside["id"])[0]
    at.selectbox(key=f"map{northside['id']}_action_pick").set_value(action["id"]).run()
    maps.update_action(store, facilitator, northside["id"], action["id"], {"outcome": "Moved"})
    at.run()
    moved = store.maps.actions(northside["id"])[0]
    field = mirrored(f"map{northside['id']}_action_update_{action['id']}", moved["status"],
                     moved["outcome"], moved["turnout"])
    assert at.text_area(key=f"{field}_outcome").value == "Moved"
    at = open_page("pages/6_guide.py", code=DEMO_CODE, facilitator=True)
    workshops.save_forum_questions(store, facilitator, "Will you meet us?")
    at.run()
    assert at.text_area[0].value == "Will you meet us?"


def test_the_facilitate_page_shows_no_private_link_until_one_is_revealed(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    tokens = [m["link_token"] for m in store.maps.for_workshop(northside["workshop_id"])]
    assert len(tokens) == 3 and not any(t in _everything(at) for t in tokens)
    assert [e.label for e in at.expander].count("Hand out at the table: QR code and map code") == 3
    at.session_state[f"reveal_link_{northside['id']}"] = True
    at.run()
    assert [t for t in tokens if t in _everything(at)] == [DEMO_MAP_TOKEN]


def test_a_facilitator_opens_a_map_by_choosing_it_without_its_token(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", code=DEMO_CODE, facilitator=True)
    assert not at.data_editor
    at.selectbox(key="facilitator_map").set_value(northside["id"]).run()
    assert not at.exception and at.title[0].value == northside["name"]
    assert DEMO_CONTACT in set(at.data_editor[0].value["contact"])
    assert at.query_params["m"] == str(northside["id"]) and "map" not in at.query_params
    again = open_page("pages/4_map.py", code=DEMO_CODE, facilitator=True, m=str(northside["id"]))
    assert len(again.data_editor) == 4  # the address (a reload) keeps the map open


@pytest.mark.parametrize("role", ["visitor", "participant"])
def test_a_map_id_in_the_address_opens_nothing_for_others(open_page, app_env, role):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", code=DEMO_CODE, m=str(northside["id"]),
                   participant=role == "participant")
    assert not at.exception and not at.data_editor and not at.get("download_button")
    text = _everything(at)
    assert "Maria Delgado-Ruiz" not in text and any("map code" in m.value for m in at.markdown)


def test_the_handout_shows_a_qr_and_a_code_that_opens_the_map(open_page, app_env):
    from orgkit.domain import Actor, Role
    from orgkit.map import service as maps

    store, northside = _northside(app_env)
    facilitator = Actor(Role.FACILITATOR, northside["workshop_id"])
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.session_state[f"reveal_link_{northside['id']}"] = True
    at.run()
    code = maps.handout(store, facilitator, northside["id"])["short_code"]
    shown = workshop_model.format_map_code(code)
    assert any(m.value.endswith(f"# {shown}") for m in at.markdown)
    assert any("QR code of the map of Northside" in h.proto.body for h in at.get("html"))
    # Typed on the map page, any case, with or without the dash: the map opens.
    at = open_page("pages/4_map.py")
    at.text_input(key="map_code_field").set_value(shown.lower())
    at.button(key="map_code_submit").click()
    at = at.run()
    assert not at.exception and at.title[0].value == northside["name"] and at.data_editor
    # /map?short=CODE does the same; a wrong code is said so and opens nothing.
    at = open_page("pages/4_map.py", short=code)
    assert at.title[0].value == northside["name"]
    at = open_page("pages/4_map.py", short="AAAA-AAAB")
    assert not at.data_editor and at.error[0].value.startswith("No team map has the code")


def test_funders_and_bosses_read_the_same_in_the_entry_panel_and_the_worksheet(open_page,
                                                                                  app_env):
    import re

    from orgkit.domain import Actor, Role
    from orgkit.map import service as maps

    store, northside = _northside(app_env)
    entries = store.maps.entries(northside["id"])
    rep = next(e for e in entries if e["name"].startswith("Rep. "))
    library = next(e for e in entries if e["name"] == "Northside Branch Library")
    team = Actor(Role.TEAM_MEMBER, northside["workshop_id"], map_id=northside["id"])
    maps.add_link(store, team, northside["id"], rep["id"], library["id"], "answers_to")
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.selectbox(key=f"map{northside['id']}_form_entry").set_value(rep["id"]).run()
    panel = {m.value.split(":**")[0].strip("*"): m.value.split(":** ")[1]
             for m in at.markdown if m.value.startswith("**") and ":** " in m.value}
    bosses = "Riverbend Care Workers Local 212, Northside Branch Library"
    assert panel["Funded by"] == "Riverbend Care Workers Local 212"
    assert panel["Answers to"] == bosses
    assert not any(t.label in ("Who funds them", "Who they answer to") for t in at.text_input)
    at.toggle(key=f"map{northside['id']}_worksheet_show").set_value(True).run()
    (frame,) = [node for node in at.get("iframe")]
    page = frame.proto.srcdoc
    head = re.search(r'id="level-decision_maker".*?<thead><tr>(.*?)</tr>', page, re.S).group(1)
    headings = re.findall(r"<th>(.*?)</th>", head)
    assert "Funded by" in headings and "Answers to" in headings  # two cells, not one
    row = re.search(r"<tr><td>" + re.escape(rep["name"]) + r"</td>(.*?)</tr>", page, re.S).group(1)
    cells = dict(zip(headings[1:], re.findall(r"<td>(.*?)</td>", row)))
    assert cells["Funded by"] == "Riverbend Care Workers Local 212"
    assert cells["Answers to"] == bosses
