"""The map page as a short path (issue 22), through AppTest: what to add next against its target,
the form at that level, the confirmation beside the Save button, a link made from the entry just
added (asking how well we know the other end), and an action planned from a next step."""
import datetime as dt

from conftest import DEMO_MAP_TOKEN

from orgkit.demo import ensure_demo
from orgkit.domain import SHORT_LEVELS
from orgkit.map import model as map_model
from orgkit.storage import open_store


def _northside(app_env):
    store = open_store(app_env)
    ensure_demo(store)
    return store, store.maps.by_token(DEMO_MAP_TOKEN)


def _descendants(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _descendants(child)


def _row_of(at, label):
    """The innermost block that holds the button labelled `label`."""
    best = None

    def walk(node, depth):
        nonlocal best
        for child in getattr(node, "children", {}).values():
            if hasattr(child, "children") and any(getattr(n, "label", None) == label
                                                  for n in _descendants(child)):
                if best is None or depth > best[0]:
                    best = (depth, child)
                walk(child, depth + 1)
    walk(at._tree, 0)
    return best[1]


def _new_form(at, northside):
    added = at.session_state[f"map{northside['id']}_form_added"] \
        if f"map{northside['id']}_form_added" in at.session_state else 0
    return f"map{northside['id']}_form_None_None_{added}"


def test_the_map_says_what_to_add_next_and_opens_the_form_at_that_level(open_page, app_env):
    store, northside = _northside(app_env)
    entries = store.maps.entries(northside["id"])
    goals = map_model.targets(northside)
    counts = {lv: sum(e["level"] == lv for e in entries) for lv in goals}
    level = map_model.add_next(counts, goals)
    assert level is not None  # the demo map is short of a target
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    assert any(m.value == f"**Add next: {SHORT_LEVELS[level]}** · {counts[level]} of "
               f"{goals[level]}" for m in at.markdown)
    chooser = at.button_group(key=f"map{northside['id']}_form_level_None_{level}")
    assert chooser.value == level


def test_an_entry_added_is_confirmed_beside_save_then_linked_from_itself(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    form = _new_form(at, northside)
    at.text_input(key=f"{form}_name").set_value("Ana Chief")
    at.button(key=f"{form}_submit").click().run()
    assert not at.error
    ana = next(e for e in store.maps.entries(northside["id"]) if e["name"] == "Ana Chief")
    assert ana["strength"] == "none"  # not asked on the form: not one of ours yet
    # The confirmation is in the Save button's own row (not at the top of the page).
    row = _row_of(at, "Save entry")
    assert [s.value for s in _descendants(row) if s.type == "success"] == ["Entry added."]
    assert not any(n.type == "text_input" for n in _descendants(row))
    mayor = next(e for e in store.maps.entries(northside["id"]) if e["level"] == "decision_maker")
    key = f"map{northside['id']}_link_from_{ana['id']}"
    at.button_group(key=f"{key}_kind_0").set_value("inner_circle>").run()
    at.selectbox(key=f"{key}_other_0").set_value(mayor["id"]).run()
    assert f"{key}_known_0" not in [w.key for w in at.button_group]  # the mayor: strength set
    at.button(key=f"{key}_add_0").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any(link["source_id"] == ana["id"] and link["target_id"] == mayor["id"]
               and link["kind"] == "inner_circle" for link in store.maps.links(northside["id"]))
    assert any(s.value.startswith("Linked: ") for s in at.success)


def test_linking_to_someone_we_do_not_know_yet_asks_how_well_we_know_them(open_page, app_env):
    store, northside = _northside(app_env)
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    at.button_group(key=[w.key for w in at.button_group if "_form_level_None_" in w.key][0]) \
        .set_value("decision_maker").run()
    form = _new_form(at, northside)
    at.text_input(key=f"{form}_name").set_value("Mayor Dora")
    at.button(key=f"{form}_submit").click().run()
    entries = store.maps.entries(northside["id"])
    mayor = next(e for e in entries if e["name"] == "Mayor Dora")
    stranger = next(e for e in entries if e["strength"] == "none" and e["id"] != mayor["id"])
    key = f"map{northside['id']}_link_from_{mayor['id']}"
    at.button_group(key=f"{key}_kind_0").set_value("inner_circle<").run()
    at.selectbox(key=f"{key}_other_0").set_value(stranger["id"]).run()
    at.button_group(key=f"{key}_known_0").set_value("strong").run()
    at.button(key=f"{key}_add_0").click().run()
    assert not at.error, [e.value for e in at.error]
    assert store.maps.entry(stranger["id"])["strength"] == "strong"
    assert any(link["source_id"] == stranger["id"] and link["target_id"] == mayor["id"]
               for link in store.maps.links(northside["id"]))


def test_a_next_step_is_planned_as_an_action_with_its_text_date_and_entry(open_page, app_env):
    store, northside = _northside(app_env)
    entries = store.maps.entries(northside["id"])
    stepped = sorted((e for e in entries if e["next_step_on"]),
                     key=lambda e: (e["next_step_on"], e["name"]))
    at = open_page("pages/4_map.py", map=DEMO_MAP_TOKEN)
    plan = next(b for b in at.button if b.key and "_plan_" in b.key)
    entry_id = int(plan.key.split("_plan_")[1].split("_")[0])
    entry = next(e for e in stepped if e["id"] == entry_id)
    before = len(store.maps.actions(northside["id"]))
    plan.click().run()
    form = f"map{northside['id']}_action_form_1"
    assert at.text_input(key=f"{form}_title").value == entry["next_step"]
    assert at.date_input(key=f"{form}_due_on").value == dt.date.fromisoformat(
        entry["next_step_on"])
    at.button(key=f"{form}_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    actions = store.maps.actions(northside["id"])
    assert len(actions) == before + 1
    added = max(actions, key=lambda a: a["id"])
    involved = store.maps.action_entries(northside["id"])[added["id"]]
    assert (added["title"], added["due_on"], involved) == (
        entry["next_step"], entry["next_step_on"], [entry_id])
    assert any(s.value == "Action added." for s in at.success)
