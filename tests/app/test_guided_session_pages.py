"""The guided session's screens in AppTest, for every role: the facilitator's agenda panel (Start,
Next, Back acting once), and the welcome, definitions, brainstorm and reveal steps on the
projector, a phone (English and Spanish) and the facilitator's page. The room's step is moved
through the service between runs, as another tab would."""
from __future__ import annotations

import re

import pytest
from conftest import DEMO_CODE, page_protos, unisolated

from orgkit.board import service as boards
from orgkit.domain import Actor, Role
from orgkit.session import service as sessions
from orgkit.storage import open_store


@pytest.fixture
def seminar(open_page, app_env):
    """(open_page, store, facilitator, steps): the demo workshop with its agenda opened."""
    open_page("home.py")  # loads the demo
    store = open_store(app_env)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    yield open_page, store, facilitator, sessions.agenda(store, facilitator)
    store.close()


def _html(at) -> str:
    return unisolated("\n".join(h.proto.body for h in at.get("html")))


def _on(store, facilitator, step) -> None:
    """Put the room on `step`, from wherever it is."""
    now = sessions.room(store, facilitator.workshop_id)
    sessions.move(store, facilitator, now.step_id if now else None, step.id)


def test_start_next_and_back_move_the_room_once_each(seminar):
    open_page, store, facilitator, steps = seminar
    at = open_page("pages/3_facilitate.py", facilitator=True)
    assert not at.exception
    assert "**1. Welcome**" not in at.markdown[0].value  # nothing is on yet
    at.button(key="agenda_None_start").click().run()
    assert sessions.room(store, facilitator.workshop_id).step_id == steps[0].id
    assert "**1. Welcome**" in at.markdown[0].value
    at.button(key=f"agenda_{steps[0].id}_next").click().run()
    at.button(key=f"agenda_{steps[1].id}_next").click().run()
    at.button(key=f"agenda_{steps[2].id}_back").click().run()
    assert not at.exception
    assert sessions.room(store, facilitator.workshop_id).step_id == steps[1].id
    assert [b.label for b in at.button][:3] == [
        "Back", "Next: Brainstorm", "End the session"]


def test_a_next_pressed_on_a_step_the_room_left_changes_nothing_and_says_so(seminar):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[0])
    at = open_page("pages/3_facilitate.py", facilitator=True)
    sessions.move(store, facilitator, steps[0].id, steps[1].id)  # another tab moved it
    at.button(key=f"agenda_{steps[0].id}_next").click().run()
    assert sessions.room(store, facilitator.workshop_id).step_id == steps[1].id
    assert any("already moved on" in w.value for w in at.warning)


def test_the_step_clock_and_the_editor_save_a_title_and_minutes(seminar):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[1])
    at = open_page("pages/3_facilitate.py", facilitator=True)
    at.toggle(key="agenda_editing").set_value(True).run()
    clock = _html(at)  # ticks in the browser: the step's 15 minutes and our words
    assert '"left": "TIME left"' in clock and "const texts = {" in clock and "900" in clock
    row = f"agenda_step_{steps[1].id}"
    title = next(t for t in at.text_input if t.key.startswith(f"{row}_title"))
    title.input("Our words")
    next(n for n in at.number_input if n.key.startswith(f"{row}_min")).set_value(20)
    at.button(key=f"{row}_save").click().run()
    assert not at.exception
    step = sessions.agenda(store, facilitator)[1]
    assert step.title["en"] == "Our words" and step.duration_s == 1200


def test_welcome_on_every_screen(seminar):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[0])
    projector = open_page("pages/2_projector.py", facilitator=True)
    assert not projector.exception
    html = _html(projector)
    assert "Welcome" in html and "Join with code" in html and DEMO_CODE in html
    assert "QR code of the join link" in html and "board=" not in html
    phone = open_page("pages/1_join.py", participant=True)
    assert not phone.exception
    assert "Welcome" in [header.value for header in phone.subheader]
    assert "Join on your phone" in _html(phone)
    spanish = open_page("pages/1_join.py", participant=True, lang="es")
    assert "Bienvenida" in [header.value for header in spanish.subheader]
    facilitate = open_page("pages/3_facilitate.py", facilitator=True)
    assert any(link.label == "Open the projector" for link in facilitate.get("page_link"))


def test_definitions_on_every_screen_in_the_reader_s_language(seminar):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[1])
    projector = open_page("pages/2_projector.py", facilitator=True)
    html = _html(projector)
    assert all(term in html for term in ("Community-based organizing", "Transformative "
                                         "organizing", "Basebuilding"))
    phone = open_page("pages/1_join.py", participant=True, lang="es")
    assert not phone.exception
    assert "Organización transformadora" in _html(phone)
    assert "Transformative organizing" not in _html(phone)
    facilitate = open_page("pages/3_facilitate.py", facilitator=True)
    assert "Basebuilding" in _html(facilitate)


def test_brainstorm_is_the_board_on_every_screen(seminar):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[2])
    board = boards.latest_board(store, facilitator)
    projector = open_page("pages/2_projector.py", facilitator=True)
    assert not projector.exception and "ok-board" in _html(projector)
    assert board.prompt in _html(projector)
    phone = open_page("pages/1_join.py", participant=True)
    assert not phone.exception
    assert phone.text_input(key="idea").label == "Your idea"
    assert f".st-key-room_dock_board_{board.id}" in _html(phone)  # the board's form is shown
    facilitate = open_page("pages/3_facilitate.py", facilitator=True)
    assert facilitate.button(key=f"step_ctl{board.id}_phase_vote")  # the step's own controls
    facilitate.button(key=f"step_ctl{board.id}_phase_vote").click().run()
    assert boards.get_board(store, facilitator, board.id).phase == "vote"


def test_reveal_shows_the_reference_points_on_every_screen(seminar):
    open_page, store, facilitator, steps = seminar
    board = boards.latest_board(store, facilitator)
    _on(store, facilitator, steps[3])  # arriving reveals the notes
    assert boards.get_board(store, facilitator, board.id).revealed
    # The demo's ideas and the points take several projector pages; the reveal step holds the
    # first, which the points lead, whatever the clock says, and its foot says how many more
    # ideas there are, not that its pages turn.
    projector = open_page("pages/2_projector.py", facilitator=True)
    assert not projector.exception and "Reference points" in _html(projector)
    assert "turns every" not in _html(projector)
    assert re.search(r'class="ok-page">\d+ more ideas? on the board<', _html(projector))
    phone = open_page("pages/1_join.py", participant=True)
    assert not phone.exception and "Reference points" in _html(phone)
    facilitate = open_page("pages/3_facilitate.py", facilitator=True)
    assert facilitate.button(key=f"step_ctl{board.id}_reveal_True").label == \
        "Hide the reference notes"


@pytest.mark.parametrize("wall", ["1920x1080", "1280x720"])
def test_the_held_reveal_shows_every_point_then_the_rooms_ideas_in_the_room_left(seminar, wall):
    """The demo's 11 points are taller than a column: the held page shows them all, then ideas
    in the columns they leave free (at 1280×720 the points fill both columns of the floor), and
    its foot counts the ideas that are not on it."""
    open_page, store, facilitator, steps = seminar
    board = boards.latest_board(store, facilitator)
    _on(store, facilitator, steps[3])
    points = boards.get_board(store, facilitator, board.id).reference_points
    projector = open_page("pages/2_projector.py", facilitator=True, wall=wall)
    html = _html(projector)
    assert not projector.exception and all(point in html for point in points)
    assert html.count('<li class="ok-card"') == len(points)
    cards = set(re.findall(r'data-item="(\d+)"', html))
    ideas = len(boards.snapshot(store, board.id).shown())
    assert f'class="ok-page">{ideas - len(cards)} more ideas on the board<' in html
    if wall == "1920x1080":
        assert len(cards) >= 8  # two columns of ideas beside the points' two


def test_a_phone_keeps_the_board_form_mounted_and_hidden_off_the_brainstorm(seminar):
    """The idea field stays in the page (hidden by CSS) while the room is on another step, so
    a text being typed is not removed; a late joiner lands on the room's step."""
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, steps[1])
    phone = open_page("pages/1_join.py", participant=True)
    board = boards.latest_board(store, facilitator)
    assert phone.text_input(key="idea")  # mounted
    css = _html(phone)
    assert f':not(.st-key-room_dock_board_{board.id}){{display:none}}' not in css
    assert '[class*="st-key-room_dock_"]{display:none}' in css.replace(" ", "")
    assert "What we mean by organizing" in [header.value for header in phone.subheader]


def test_without_a_session_the_pages_show_the_board_as_before(seminar):
    open_page, store, facilitator, steps = seminar
    board = boards.latest_board(store, facilitator)
    phone = open_page("pages/1_join.py", participant=True)
    assert phone.text_input(key="idea")
    assert f":not(.st-key-room_dock_board_{board.id})" in _html(phone)
    projector = open_page("pages/2_projector.py", facilitator=True)
    assert "ok-board" in _html(projector) and "ok-step" not in _html(projector)


@pytest.mark.parametrize("kind, label", [
    ("definitions", "Print the definitions (HTML)"),
    ("tables", "Download all handouts to print (HTML)"),
    ("power", "Print the forum-question bank (HTML)")])
def test_each_step_offers_what_it_prints_beside_its_controls(seminar, kind, label):
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, next(step for step in steps if step.kind == kind))
    at = open_page("pages/3_facilitate.py", facilitator=True)
    assert not at.exception
    controls = at.get("download_button")
    assert label in [button.proto.label for button in controls]


def test_the_agenda_prints_from_its_editor(seminar):
    open_page, store, facilitator, steps = seminar
    at = open_page("pages/3_facilitate.py", facilitator=True)
    at.toggle(key="agenda_editing").set_value(True).run()
    assert not at.exception
    assert "Print the agenda (HTML)" in [b.proto.label for b in at.get("download_button")]



def test_the_handout_qr_is_the_table_link_and_ending_handouts_stops_it(seminar, monkeypatch):
    """On screen and printed, a handout's QR opens the join page with the table's code, never
    the map's private link; a phone that follows it joins the table while the codes are open and
    is refused, in words, once the facilitator has ended them."""
    from orgkit.map import service as maps
    from orgkit.ui.links import qr_data_uri

    monkeypatch.setenv("ORGKIT_PUBLIC_URL", "https://orgkit.example.org")
    open_page, store, facilitator, steps = seminar
    _on(store, facilitator, next(step for step in steps if step.kind == "tables"))
    team = maps.handout(store, facilitator, maps.team_maps(store, facilitator)[0]["id"])
    link = f"https://orgkit.example.org/join?code={DEMO_CODE}&table={team['short_code']}"
    at = open_page("pages/3_facilitate.py", facilitator=True)
    at.session_state[f"reveal_link_{team['id']}"] = True  # the handout's expander, opened
    at.toggle(key="tables_handouts_show").set_value(True).run()
    assert not at.exception
    shown = page_protos(at)
    assert shown.count(qr_data_uri(link)) == 2  # the expander's and the printed page's
    assert qr_data_uri(f"https://orgkit.example.org/map?map={team['link_token']}") not in shown

    def follow_the_qr():
        """A new phone opens the QR's address: it joins the workshop on arrival."""
        phone = open_page("pages/1_join.py", code=DEMO_CODE, table=team["short_code"])
        assert not phone.exception
        person = store.workshops.participant_by_token(phone.query_params["p"])
        return phone, Actor(Role.PARTICIPANT, facilitator.workshop_id,
                            participant_id=person["id"])

    phone, actor = follow_the_qr()
    assert maps.as_member(store, actor).map_id == team["id"]
    assert phone.title[-1].value == team["name"]  # the team's map
    maps.set_handouts_open(store, facilitator, False)  # "End every table's handout access"
    phone, actor = follow_the_qr()
    assert maps.member_of(store, actor) is None
    assert [e.value for e in phone.error] == [
        "The facilitator has closed the tables' codes. Ask your team's lead for the map's link."]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_guide_the_print_and_the_definitions_step_say_the_same(seminar, language):
    """One text of the definitions: what the workshop's definitions step shows on a phone is
    what the guide and the printed definitions say, word for word, in each language."""
    import html

    from orgkit.session import printing
    from orgkit.session.definitions import pick_terms

    open_page, store, facilitator, steps = seminar
    step = next(step for step in steps if step.kind == "definitions")
    said = pick_terms(step.content["terms"], language)
    assert len(said) == 3
    _on(store, facilitator, step)
    phone = _html(open_page("pages/1_join.py", participant=True, lang=language))
    guide = open_page("pages/6_guide.py", lang=language)
    assert not guide.exception
    read = [m.value for m in guide.markdown]
    printed = printing.definitions(language)
    for term, meaning in said:
        assert f"<dt>{term}</dt><dd>{meaning}</dd>" in unisolated(phone)
        assert f"**{term}**: {meaning}" in read
        assert f"<b>{html.escape(term)}</b>: {html.escape(meaning)}" in printed


@pytest.fixture
def polls(monkeypatch):
    """The modules whose fragments a page run drew with `run_every` (what the browser polls)."""
    from streamlit.runtime import fragment
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    made, polled = {}, []
    make, enqueue = fragment._make_fragment_identity, ScriptRunContext.enqueue

    def identity(func, **kwargs):
        made[(found := make(func, **kwargs)).fragment_id] = func.__module__
        return found

    def send(self, msg):
        if msg.WhichOneof("type") == "auto_rerun":
            polled.append(made[msg.auto_rerun.fragment_id])
        return enqueue(self, msg)

    monkeypatch.setattr(fragment, "_make_fragment_identity", identity)
    monkeypatch.setattr(ScriptRunContext, "enqueue", send)
    return polled


def test_a_phone_runs_one_poll_the_boards_or_the_rooms(seminar, polls):
    """Before the session and on the brainstorm step the board's fragment polls (the phone
    follows the board as before); on any other step the room's does and the board, mounted and
    hidden, is drawn without a poll of its own."""
    open_page, store, facilitator, steps = seminar
    token = open_page("pages/1_join.py", participant=True).query_params["p"]
    assert polls == ["orgkit.ui.phone"]
    for step, poller in [(steps[1], "orgkit.ui.room"), (steps[3], "orgkit.ui.room"),
                         (steps[4], "orgkit.ui.room"), (steps[2], "orgkit.ui.phone")]:
        _on(store, facilitator, step)
        polls.clear()
        phone = open_page("pages/1_join.py", code=DEMO_CODE, p=token)
        assert not phone.exception
        assert polls == [poller], (step.kind, polls)
    # On the brainstorm step the phone shows the live board, and its phase as the board moves.
    board = boards.latest_board(store, facilitator)
    boards.set_phase(store, facilitator, board.id, "vote")
    phone.run()
    assert any("Phase: Vote" in m.value for m in phone.markdown), [m.value for m in phone.markdown]


def test_a_table_members_map_form_stays_mounted_after_the_tables_step(seminar):
    """The team map a phone fills at its table is the tables step's docked form: on the next
    step it is still in the page (hidden), so an entry being typed is not removed."""
    from orgkit.map import service as maps

    open_page, store, facilitator, steps = seminar
    team = maps.handout(store, facilitator, maps.team_maps(store, facilitator)[0]["id"])
    tables = next(step for step in steps if step.kind == "tables")
    _on(store, facilitator, tables)
    phone = open_page("pages/1_join.py", code=DEMO_CODE, table=team["short_code"])
    assert phone.title[-1].value == team["name"]
    _on(store, facilitator, steps[steps.index(tables) + 1])
    phone.run()
    assert not phone.exception
    assert any(w.key.startswith(f"map{team['id']}_") for w in phone.text_input)  # mounted
    assert f":not(.st-key-room_dock_step_{tables.id})" not in _html(phone)  # hidden
