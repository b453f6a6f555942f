"""Hostile input: hypothesis feeds control, bidirectional and zero-width characters, lone
surrogates, Markdown and HTML, `:material/...` and `:color[...]` directives, bare URLs, formula
prefixes and 1 MB strings to every validator and every core write path that takes text (both
engines). No exception but a ValidationError escapes, what is stored is plain readable text
within its limit, and a refused write leaves the database exactly as it was."""
from __future__ import annotations

import pytest
from conftest import HOSTILE_FRAGMENTS as FRAGMENTS
from conftest import MEGABYTE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgkit import validation
from orgkit.board import service as boards
from orgkit.domain import LEVELS, Actor, OrgKitError, Role, ValidationError
from orgkit.map import communities
from orgkit.map import model as map_model
from orgkit.map import service as maps
from orgkit.workshop import service as workshops

pytestmark = pytest.mark.reliability

hostile = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Zs", "Mn", "Co"]),
            max_size=20),
)
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_plain(text: str, *, max_len: int, multiline: bool = False) -> None:
    """What a validator lets through: readable, storable, within its limit."""
    assert len(text) <= max_len
    text.encode("utf-8")  # no lone surrogate
    allowed = "\n\t" if multiline else "\t"
    assert not any(ord(ch) < 32 and ch not in allowed or 0x7f <= ord(ch) <= 0x9f for ch in text)
    assert text == "" or not all(validation._invisible(ch) for ch in text)


@FAST
@given(value=hostile, multiline=st.booleans(), required=st.booleans())
def test_clean_text_answers_every_string_with_plain_text_or_a_message(value, multiline, required):
    try:
        cleaned = validation.clean_text(value, "Field", max_len=280, multiline=multiline,
                                        required=required)
    except ValidationError as exc:
        assert str(exc).startswith("Field: ")
        return
    assert_plain(cleaned, max_len=280, multiline=multiline)
    assert cleaned or not required


@FAST
@given(value=st.one_of(hostile, st.integers(), st.floats(), st.none(), st.booleans(),
                       st.dates(), st.lists(hostile, max_size=3)))
def test_every_validator_answers_a_hostile_value_with_a_value_or_a_message(value):
    checks = [
        lambda v: validation.clean_choice(v, "Level", LEVELS),
        lambda v: validation.clean_int(v, "Turnout", low=0, high=100000, default=0),
        lambda v: validation.clean_date(v, "Date"),
        validation.clean_pin, validation.clean_join_code,
        lambda v: validation.clean_token(v, "Map link"),
        lambda v: map_model.clean_flag(v, "Trained"),
        map_model.clean_tags, communities.clean_wanted,
        lambda v: map_model.clean_entry({"name": v, "level": "decision_maker", "role": v,
                                    "constituencies": v, "notes": v, "office": v, "stance": v}),
        lambda v: map_model.clean_entry({"name": "Ana", "level": v}),
        lambda v: map_model.clean_action({"kind": "one_on_one", "title": v, "outcome": v,
                                     "due_on": v, "turnout": v}),
        lambda v: map_model.clean_targets({"leader": v}),
    ]
    for check in checks:
        try:
            result = check(value)
        except ValidationError:
            continue
        for text in (result.values() if isinstance(result, dict) else [result]):
            if isinstance(text, str):
                assert_plain(text, max_len=len(text), multiline=True)


@pytest.fixture
def world(store):
    made = workshops.create_workshop(store, "Hostile", None, "hostile-pin")
    facilitator = Actor(Role.FACILITATOR, made.id)
    board = boards.create_board(store, facilitator, "Ideas")
    participant = workshops.join(store, made.join_code)[1]
    item = boards.add_item(store, participant, board.id, "first idea")[0]
    theme = boards.create_theme(store, facilitator, board.id, "Theme")
    team_map = maps.create_map(store, facilitator, "Team")
    entry = maps.create_entry(store, facilitator, team_map["id"],
                              {"name": "Ana", "level": "leader"})
    action = maps.create_action(store, facilitator, team_map["id"], {"kind": "site_visit",
                                                                     "title": "Visit"})
    return dict(store=store, made=made, f=facilitator, board=board.id, p=participant,
                item=item.id, theme=theme, map=team_map["id"], entry=entry, action=action)


WRITES = {
    "workshop title": lambda w, t: workshops.create_workshop(w["store"], t, None, "good-pin"),
    "workshop pin": lambda w, t: workshops.create_workshop(w["store"], "Title", None, t),
    "join name": lambda w, t: workshops.join(w["store"], w["made"].join_code, display_name=t),
    "display name": lambda w, t: workshops.set_display_name(w["store"], w["p"], t),
    "join code": lambda w, t: workshops.join(w["store"], t),
    "board prompt": lambda w, t: boards.create_board(w["store"], w["f"], t),
    "reference notes": lambda w, t: boards.create_board(w["store"], w["f"], "P",
                                                        reference_notes=t),
    "item": lambda w, t: boards.add_item(w["store"], w["p"], w["board"], t),
    "item key": lambda w, t: boards.add_item(w["store"], w["p"], w["board"], "ok", t),
    "item edit": lambda w, t: boards.edit_item(w["store"], w["p"], w["item"], t),
    "theme": lambda w, t: boards.create_theme(w["store"], w["f"], w["board"], t),
    "theme rename": lambda w, t: boards.rename_theme(w["store"], w["f"], w["board"], w["theme"], t),
    "team name": lambda w, t: maps.create_map(w["store"], w["f"], t, t),
    "entry": lambda w, t: maps.create_entry(w["store"], w["f"], w["map"],
                                            {"name": t, "level": "leader", "role": t,
                                             "constituencies": t, "how_help": t, "notes": t}),
    "entry update": lambda w, t: maps.update_entry(w["store"], w["f"], w["map"], w["entry"],
                                                   maps.load_map(w["store"], w["f"],
                                                                 w["map"]).entries
                                                   [0]["version"], {"role": t}),
    "action": lambda w, t: maps.update_action(w["store"], w["f"], w["map"], w["action"],
                                              {"kind": "site_visit", "title": t, "outcome": t}),
    "wanted communities": lambda w, t: communities.set_wanted(w["store"], w["f"], w["map"], t),
    "forum questions": lambda w, t: workshops.save_forum_questions(w["store"], w["f"], t),
    "board id": lambda w, t: boards.get_board(w["store"], w["p"], t),
}


def _texts(dump: dict):
    for rows in dump.values():
        for row in rows:
            for value in row.values():
                if isinstance(value, str):
                    yield value


@pytest.mark.parametrize("path", sorted(WRITES))
def test_every_core_write_path_stores_plain_text_or_refuses_and_saves_nothing(world, path):
    store = world["store"]

    @settings(max_examples=12, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=hostile)
    def write(text):
        before = store.backups.dump(None)
        try:
            WRITES[path](world, text)
        except OrgKitError:
            assert store.backups.dump(None) == before, "a refused write saved something"
            return
        for stored in _texts(store.backups.dump(None)):
            stored.encode("utf-8")
            assert "\x00" not in stored and "\x1b" not in stored
            assert len(stored) < 10_000 or stored.startswith("scrypt$")

    write()
    # the named refusals, always
    for refused in ("\ud800", "\u200b\u200d\ufeff", MEGABYTE):
        before = store.backups.dump(None)
        if path in ("board id", "join code", "item key"):
            continue
        with pytest.raises(ValidationError):
            WRITES[path](world, refused)
        assert store.backups.dump(None) == before


def test_a_hostile_pin_or_source_is_answered_with_a_message(world):
    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(pin=hostile, source=hostile)
    def guess(pin, source):
        with pytest.raises(OrgKitError):  # a wrong PIN, a bad one, or "try again in ..."
            workshops.unlock(world["store"], world["made"].id, pin, source=source, now=0.0)

    guess()


@pytest.mark.parametrize("length", [281, 1_000_000])
def test_an_item_over_the_limit_is_refused_with_the_limit_named_never_cut(world, length):
    with pytest.raises(ValidationError, match=f"Item: is {length} characters; the limit is 280"):
        boards.add_item(world["store"], world["p"], world["board"], "y" * length)
    assert [i.text for i in boards.snapshot(world["store"], world["board"]).items] == ["first idea"]


def test_the_length_is_refused_before_any_per_character_work(monkeypatch):
    def scanned(*args, **kwargs):
        raise AssertionError("a per-character scan ran before the length check")

    monkeypatch.setattr(validation, "check_characters", scanned)
    monkeypatch.setattr(validation, "unicodedata", type("NoScans", (), {
        "normalize": staticmethod(scanned), "category": staticmethod(scanned)}))
    with pytest.raises(ValidationError, match="is 10000000 characters; the limit is 280"):
        validation.clean_text("\u200b" * 10_000_000, "Item", max_len=280)
    with pytest.raises(ValidationError, match="Join code"):
        validation.clean_join_code("K" * 10_000_000)


@pytest.mark.parametrize("kind", ["entries", "links", "actions"])
def test_hostile_cells_in_every_column_of_a_csv_import_are_reported_never_raised(world, kind):
    import csv
    import io

    from orgkit.map import formats
    from orgkit.map import imports

    store = world["store"]

    @settings(max_examples=10, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(cells=st.lists(hostile.filter(lambda t: len(t) < 5000), min_size=1, max_size=3))
    def upload(cells):
        out = io.StringIO()
        writer = csv.writer(out)
        columns = formats.COLUMNS[kind]
        writer.writerow(columns)
        for cell in cells:
            writer.writerow([cell if n % 2 == 0 else "leader" for n, _ in enumerate(columns)])
        before = store.backups.dump(None)
        try:
            data = out.getvalue().encode("utf-8", "surrogatepass")
            preview = imports.preview_import(store, world["f"], world["map"], "hostile.csv",
                                            data, kind)
            if preview.ok:
                imports.apply_import(store, world["f"], world["map"], preview)
                return
        except OrgKitError:
            pass
        assert store.backups.dump(None) == before

    upload()
