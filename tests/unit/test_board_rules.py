"""Pure board rules and views: reveal suggestions, the projector HTML (escaped, grouped, newest
highlighted, no private data), exports neutralising formulas, timers and entry names."""
import csv
import io
import json
import re
from dataclasses import replace
from html import escape

import pytest
from conftest import unisolated
from unit.conftest import HOSTILE_HTML, html_outline
from openpyxl import load_workbook

from orgkit.board import export as board_export
from orgkit.board import model as board_model
from orgkit.board import view
from orgkit.board import wall as walls
from orgkit.board.model import Board, Item, RevealPoint, Snapshot
from orgkit import demo, i18n
from orgkit.board.phone_list import PhoneBoard
from orgkit.board.view import Join, group_name, grouped, projector_pages
from orgkit.i18n import render
from orgkit.map.model import ENTRY_NAME_MAX

HOSTILE = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1))", "# big", "**bold**"]


def make_item(id_, text, *, votes=0, theme=None, pinned=False, author=None, status="visible",
              at=None):
    return Item(id=id_, text=text, author=author, status=status, theme_id=theme, pinned=pinned,
                votes=votes, created_at=at if at is not None else 1000.0 + id_, mine=False,
                merged_into=None)


def make_snapshot(items, *, themes=(), phase="collect", points=(), reveal=(), revealed=False,
                  votes_hidden=False, taking_part=0):
    # Anonymity is not a view's business: an anonymous board's items carry no author as stored
    # (tests/storage/test_board_store.py checks every view through the real write path).
    board = Board(id=1, workshop_id=1, prompt="What <makes> it work?", reference_points=points,
                  anonymous=False, votes_per_participant=3, moderation="open", item_limit=280,
                  phase=phase, timer_ends_at=None, locked=False, revealed=revealed, revision=7,
                  hide_counts=votes_hidden)
    return Snapshot(board=board, items=tuple(items), themes=tuple(themes), reveal=tuple(reveal),
                    taking_part=taking_part)


def one_page(snap, participants=3, join=None) -> str:
    pages = projector_pages(snap, participants, join)
    assert len(pages) == 1
    return pages[0]


JOIN = Join("http://192.0.2.7:8501/join?code=PARTNR&board=1", '<img alt="QR">')


@pytest.mark.parametrize("text", HOSTILE)
def test_projector_html_escapes_participant_text(text):
    html = one_page(make_snapshot([make_item(1, text, author="<b>Eve</b>")]))
    assert "<img" not in html and "<b>Eve" not in html
    assert escape(text) in html  # the literal text, with its characters made harmless


def test_projector_counts_this_boards_people_and_highlights_the_newest_while_collecting():
    items = [make_item(1, "old", at=10), make_item(2, "newest", at=30), make_item(3, "mid", at=20),
             make_item(4, "hidden", status="hidden", at=40)]
    html = one_page(make_snapshot(items, taking_part=4), participants=12)
    assert "4 taking part · 12 joined" in html and "3 items" in html and "Phase: Collect" in html
    assert 'class="ok-card ok-new" data-item="2"' in html
    assert "hidden" not in html.split("ok-meta")[1]


def test_vote_phase_ranks_by_votes_without_a_newest_highlight():
    items = [make_item(1, "few", votes=1, at=10), make_item(2, "most", votes=5, at=30),
             make_item(3, "some", votes=3, at=20)]
    html = one_page(make_snapshot(items, phase="vote"))
    assert "ok-new" not in html
    ranks = [html.index(f'data-item="{n}"') for n in (2, 3, 1)]
    assert ranks == sorted(ranks) and '<span class="ok-rank">1.</span> <bdi>most</bdi>' in html


def test_hidden_votes_show_no_counts_and_no_ranking():
    items = [make_item(1, "few", votes=1, at=10), make_item(2, "most", votes=5, at=30)]
    html = one_page(make_snapshot(items, phase="vote", votes_hidden=True))
    assert "vote" not in html.split("ok-cols")[1] and "ok-rank" not in html
    assert "Votes hidden" in html


def test_named_board_shows_the_chosen_name_and_an_unnamed_item_shows_none():
    html = one_page(make_snapshot([make_item(1, "idea", author="Rosa"), make_item(2, "other")]))
    cards = {n: html.split(f'data-item="{n}"')[1].split('class="ok-card')[0] for n in (1, 2)}
    assert "<span><bdi>Rosa</bdi></span>" in cards[1] and "Rosa" not in cards[2]


def test_a_small_board_fits_one_screen_in_large_type_and_a_big_board_turns_pages():
    ideas = [make_item(n, f"Idea {n}: house meetings") for n in range(8)]
    small = projector_pages(make_snapshot(ideas), 20, JOIN)
    assert len(small) == 1 and "font-size:1.6em" in small[0]  # above the unit: room to spare
    assert len(projector_pages(make_snapshot(ideas * 2), 20, JOIN)) == 1
    many = [make_item(n, f"Idea {n}: " + "listening sessions with tenants " * 3)
            for n in range(300)]
    pages = projector_pages(make_snapshot(many), 20, JOIN)
    assert len(pages) > 1 and all(len(page) < 40_000 for page in pages)
    shown = {n for page in pages for n in range(300) if f'data-item="{n}"' in page}
    assert shown == set(range(300))  # every item is on the wall in turn
    assert "Page 1 of " in pages[0]


def test_the_qr_is_large_until_the_first_idea_then_a_column_beside_the_ideas():
    assert 'class="ok-board ok-big"' in one_page(make_snapshot([]), 0, JOIN)
    beside = one_page(make_snapshot([make_item(1, "idea")]), 0, JOIN)
    assert 'class="ok-board"' in beside and "<b>PARTNR</b>" in beside


def test_unreachable_join_address_is_said_on_the_projector():
    warned = Join("http://localhost:8501/join?code=PARTNR", "<img>", warning="Phones cannot…")
    assert 'data-testid="ok-join-warning">Phones cannot…' in one_page(make_snapshot([]), 0, warned)


def test_revealed_notes_lead_the_first_column_above_the_items():
    items = [make_item(1, "Grow leaders together")]
    reveal = [RevealPoint(0, "Grow leaders", 1, True, True)]
    html = one_page(make_snapshot(items, points=("Grow leaders",), reveal=reveal, revealed=True))
    first = html.split('class="ok-col"')[1]
    assert first.index('class="ok-reveal"') < first.index('data-item="1"')


def test_a_revealed_board_of_several_screens_fills_every_column_under_the_notes():
    items = [make_item(n, f"Idea {n}: door knocking in pairs") for n in range(60)]
    notes = tuple(f"Point {n}" for n in range(8))
    reveal = [RevealPoint(n, text, None, False, False) for n, text in enumerate(notes)]
    pages = projector_pages(make_snapshot(items, points=notes, reveal=reveal, revealed=True),
                            3, JOIN)
    plain = projector_pages(make_snapshot(items), 3, JOIN)
    # The notes take part of the first column, not all of it (the ideas had one column of two).
    assert len(plain) < len(pages) < 2 * len(plain)
    for page in pages:
        first = page.split('class="ok-col"')[1]
        assert "Point 7" in first and "data-item" in first  # ideas under the notes


def test_a_held_board_shows_its_first_screen_and_says_how_many_more_ideas_not_that_it_turns():
    items = [make_item(n, f"Idea {n}: door knocking in pairs") for n in range(60)]
    notes = tuple(f"Point {n}" for n in range(8))
    reveal = [RevealPoint(n, text, None, False, False) for n, text in enumerate(notes)]
    snap = make_snapshot(items, points=notes, reveal=reveal, revealed=True)
    turning = projector_pages(snap, 3, JOIN)
    held = projector_pages(snap, 3, JOIN, held=True)
    assert len(turning) > 1 and "turns every" in turning[0]
    assert len(held) == 1 and "turns every" not in held[0] and "Page " not in held[0]
    on_it = {n for n in range(60) if f'data-item="{n}"' in held[0]}
    assert held[0].replace(f">{60 - len(on_it)} more ideas on the board<", "") == \
        turning[0].replace(">Page 1 of " + f"{len(turning)} · turns every 12 s<", "")
    one = [make_item(1, "Grow leaders together")]  # a board of one screen says nothing more
    small = make_snapshot(one, points=notes, reveal=reveal, revealed=True)
    assert projector_pages(small, 3, JOIN, held=True) == projector_pages(small, 3, JOIN)


def _columns(page: str) -> list[str]:
    return page.split('class="ok-col"')[1:]


def _cards(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'data-item="(\d+)"', html)}


def test_a_reveal_taller_than_a_column_leads_the_first_screen_and_ideas_fill_what_it_leaves():
    # The issue asks that the reveal gets "its own screen or column that fits" and that it
    # shows the points "beside the room's items": the points lead, the ideas follow on the same
    # screen in the room the points leave, and no screen but the last has an empty column.
    items = [make_item(n, f"Idea {n}: " + "house meetings " * 8) for n in range(40)]
    notes = tuple(f"Point {n}: " + "grow leaders from the directly impacted " * 3
                  for n in range(20))
    reveal = [RevealPoint(n, text, None, False, False) for n, text in enumerate(notes)]
    pages = projector_pages(make_snapshot(items, points=notes, reveal=reveal, revealed=True),
                            3, JOIN)
    assert len(pages) > 1
    assert {n for page in pages for n in range(20) if f"Point {n}:" in page} == set(range(20))
    assert "Reference points</bdi> (cont.)" in "".join(pages)
    assert {n for page in pages for n in range(40) if f'data-item="{n}"' in page} == set(range(40))
    last_points = max(n for n, page in enumerate(pages) if "Point 19:" in page)
    assert _cards(pages[last_points])  # ideas on the screen where the points end
    for page in pages[:-1]:
        assert all("ok-card" in column for column in _columns(page))


DEMO_BOARD = json.loads(demo.DEMO_PATH.read_text(encoding="utf-8"))["boards"][0]


def _demo_reveal(confirmed: bool):
    """The demo's board revealed: its 11 reference points and 30 ideas, the points unanswered
    or with every suggestion confirmed (as "Confirm all" does)."""
    items = [make_item(n, spec["text"]) for n, spec in enumerate(DEMO_BOARD["items"], 1)]
    notes = tuple(DEMO_BOARD["reference_notes"])
    raised = board_model.suggest_matches(notes, items) if confirmed else [None] * len(notes)
    reveal = [RevealPoint(n, text, item, item is not None, confirmed)
              for n, (text, item) in enumerate(zip(notes, raised))]
    return make_snapshot(items, points=notes, reveal=reveal, revealed=True), notes


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("confirmed", [False, True], ids=["open", "confirmed"])
def test_the_held_reveal_of_the_demo_has_every_point_then_ideas_and_counts_the_rest(size,
                                                                                   confirmed):
    snap, notes = _demo_reveal(confirmed)
    [page] = projector_pages(snap, 3, JOIN, wall=walls.wall_for(*size), held=True)
    assert all(f"{escape(note)}</bdi>" in page for note in notes)  # every point, none cut off
    assert page.count('<li class="ok-card"') == len(notes)
    quoted = {item for item in (point.item_id for point in snap.reveal) if item is not None
              and f"(“<bdi>{escape(snap.items[item - 1].text)}</bdi>”)" in page}
    cards = _cards(page)
    assert not quoted & cards  # an idea a point quotes is not repeated as a card
    more = len(snap.items) - len(cards) - len(quoted)
    assert f">{more} more ideas on the board<" in page
    if size == (1920, 1080):  # the columns the points leave free hold ideas
        columns = _columns(page)
        assert len(columns) == 4 and all("ok-card" in column for column in columns)
        end = max(n for n, column in enumerate(columns) if "<li " in column)
        assert all(_cards(column) for column in columns[end:])  # where the points end, and on
        assert len(cards) >= (2 if confirmed else 8)
        assert len(quoted) == (8 if confirmed else 0)  # the matched ideas come first, quoted


def test_a_theme_split_across_columns_repeats_its_heading_marked_continued():
    items = [make_item(n, f"Idea {n}: " + "shared meals after services " * 3, theme=5)
             for n in range(60)]
    pages = projector_pages(make_snapshot(items, themes=[(5, "Trust")], phase="group"), 3, JOIN)
    columns = [column for page in pages for column in page.split('class="ok-col"')[1:]]
    assert len(columns) > 2
    assert columns[0].startswith('><div class="ok-group"><bdi>Trust</bdi> (60)')
    for column in columns[1:]:  # every later column starts with the heading, continued
        assert column.startswith('><div class="ok-group ok-cont"><bdi>Trust</bdi> (60) (cont.)')


def test_a_heading_never_ends_a_column():
    # The first theme fills the first column to its last line; the second theme's heading
    # moves on with its first card.
    blocks = [view._heading("One", 2, 0), *[view._Block(f"<p>{n}</p>", "x", item=n, group=0)
                                           for n in range(2)],
              view._heading("Two", 1, 1), view._Block("<p>9</p>", "x", item=9, group=1)]
    full = blocks[0].height(20) + 2 * blocks[1].height(20) + blocks[3].height(20) + 0.01
    columns = view._pack(blocks, 2, [(20, full)])[0]
    assert [[b.text for b in column] for column in columns] == [
        ["One (2)", "x", "x"], ["Two (1)", "x"]]


def test_groups_put_pinned_first_then_votes_in_the_vote_phase():
    items = [make_item(1, "a", votes=1, theme=5), make_item(2, "b", votes=9, theme=5),
             make_item(3, "c", votes=0, theme=5, pinned=True), make_item(4, "loose")]
    groups = grouped(make_snapshot(items, themes=[(5, "Trust")]), by_votes=True)
    assert [(group_name(name, "en"), [i.text for i in members]) for name, members in groups] == [
        ("Trust", ["c", "b", "a"]), ("Not yet grouped", ["loose"])]


def test_suggestions_match_by_shared_words_ignoring_common_ones():
    items = [make_item(1, "Deep relationships with neighbours"), make_item(2, "The community")]
    assert board_model.suggest_matches(["Invest in relationships", "Community outreach", "Commit"],
                                  items) == [1, None, None]


def test_csv_and_xlsx_exports_carry_items_without_authors():
    snap = make_snapshot([make_item(1, "=cmd|' /C calc'!A0", votes=2, author="Rosa"),
                          make_item(2, "gone", status="withdrawn")])
    rows = list(csv.reader(io.StringIO(board_export.to_csv(snap).decode("utf-8-sig"))))
    assert rows[0] == board_export.COLUMNS and len(rows) == 2
    assert rows[1][1].startswith("'=") and "Rosa" not in str(rows)
    sheet = load_workbook(io.BytesIO(board_export.to_xlsx(snap)))["Items"]
    assert sheet.cell(2, 2).value.startswith("'=") and sheet.max_row == 2


def test_html_summary_has_the_reveal_and_no_personal_data():
    items = [make_item(1, "<script>x</script>", author="Rosa")]
    reveal = [RevealPoint(0, "Grow leaders", 1, True, True),
              RevealPoint(1, "Commit", None, False, True)]
    html = board_export.to_html(make_snapshot(items, points=("Grow leaders", "Commit"),
                                              reveal=reveal))
    assert "&lt;script&gt;" in html and "<script>" not in html and "Rosa" not in html
    assert "✔ raised" in html and "○ Commit" in html


def _summary(text: str) -> str:
    """The board summary with `text` (after its field's name) in every typed field it prints:
    the prompt, a theme, items (one quoted by the reveal) and the reference points."""
    items = [make_item(1, f"item: {text}", theme=1, votes=2), make_item(2, f"loose: {text}")]
    reveal = [RevealPoint(0, f"point: {text}", 1, True, True),
              RevealPoint(1, f"open point: {text}", None, False, True)]
    snap = make_snapshot(items, themes=((1, f"theme: {text}"),), reveal=reveal,
                         points=tuple(point.text for point in reveal))
    return board_export.to_html(replace(snap, board=replace(snap.board, prompt=f"prompt: {text}")))


def test_hostile_text_in_every_field_of_the_summary_is_written_as_text():
    plain_elements, _ = html_outline(_summary("plain words"))
    elements, text = html_outline(_summary(HOSTILE_HTML))
    assert elements == plain_elements  # no element or attribute came from the text
    typed = [f"{field}: {HOSTILE_HTML}" for field in ("prompt", "theme", "item", "loose",
                                                      "point", "open point")]
    assert [t for t in typed if t not in text] == []
    assert text.count(f"item: {HOSTILE_HTML}") == 2  # listed, and quoted by the reveal


def test_timer_seconds_left():
    snap = make_snapshot([])
    assert snap.board.seconds_left(now=0) is None
    board = Board(**{**snap.board.__dict__, "timer_ends_at": 100.0})
    assert board.seconds_left(now=40.5) == 60 and board.seconds_left(now=200) == 0


def test_long_items_become_sensible_entry_names():
    name = board_model._shorten("word " * 60, ENTRY_NAME_MAX)
    assert len(name) <= ENTRY_NAME_MAX and name.endswith("word…")
    assert board_model._shorten("Short name", 120) == "Short name"


def test_a_board_of_many_pages_keeps_the_newest_on_every_page_while_collecting():
    many = [make_item(n, f"Idea {n}: " + "listening sessions with tenants " * 3, at=n)
            for n in range(300)]
    pages = projector_pages(make_snapshot(many), 20, JOIN)
    assert len(pages) > 1
    for page in pages:  # the newest idea, highlighted, heads the first column of each page
        first_column = page.split('class="ok-col"')[1]
        assert first_column.index("Just in") < first_column.index(
            'class="ok-card ok-new" data-item="299"')
    turning = [n for page in pages for n in range(299) if f'data-item="{n}"' in page]
    assert sorted(turning) == list(range(299))  # every other idea on the wall, once


def test_a_ranked_board_of_many_pages_keeps_the_top_ideas_still():
    many = [make_item(n, f"Idea {n}: " + "shared meals " * 8, votes=n % 17) for n in range(200)]
    pages = projector_pages(make_snapshot(many, phase="vote"), 20, JOIN)
    assert len(pages) > 1
    top = min(many, key=lambda item: (-item.votes, item.id)).id
    for page in pages:
        first = page.split('class="ok-col"')[1]
        assert first.index("Top ideas") < first.index(f'data-item="{top}"')


def test_a_phone_lists_the_newest_ideas_of_a_big_board_and_keeps_its_own_votes():
    from orgkit.board.phone_list import PHONE_LIST_MAX, PhoneBoard

    many = [make_item(n, f"Idea {n}", votes=n % 7, at=n) for n in range(PHONE_LIST_MAX + 50)]
    listed = PhoneBoard.build(make_snapshot(many))
    shown = {i for _, ids in listed.groups for i in ids}
    assert (listed.listed, listed.total) == (PHONE_LIST_MAX, PHONE_LIST_MAX + 50)
    assert shown == set(range(50, PHONE_LIST_MAX + 50))  # the newest while collecting
    assert listed.voted_unlisted(frozenset({3, 60})) == (3,)  # an old vote stays reachable
    ranked = PhoneBoard.build(make_snapshot(many, phase="vote"))
    assert min(many[i].votes for _, ids in ranked.groups for i in ids) >= \
        max(item.votes for item in many if item.id not in
            {i for _, ids in ranked.groups for i in ids})  # the most voted while voting


def test_vote_counts_read_one_vote_and_two_votes():
    assert [render(board_model.vote_count(n)) for n in (0, 1, 2)] == [
        "0 votes", "1 vote", "2 votes"]
    items = [make_item(1, "Lone idea", votes=1), make_item(2, "Popular idea", votes=2)]
    html = board_export.to_html(make_snapshot(items))
    assert "Lone idea (1 vote)" in html and "Popular idea (2 votes)" in html


@pytest.mark.parametrize("text, level", [
    ("Ask Commissioner Hruska about the levy", "decision_maker"),
    ("Pastor Ruiz at St. Mark's church", "leader"),
    ("The tenant union on Elm Street", "organization"),
    ("Families waiting for rental help", "impacted"),
    ("Power analysis: who really decides?", None),
])
def test_a_promoted_items_level_is_suggested_from_its_words_or_not_at_all(text, level):
    assert board_model.suggest_level(text) == level


def test_the_projector_phone_and_summary_speak_the_readers_language(monkeypatch):
    # A stand-in catalog (the real ones come with the bilingual issue): "es" marks each id it
    # translates, so our words show in the reader's language and what people typed does not.
    monkeypatch.setattr(i18n, "_translate",
                        lambda text, language: text if language == "en" else f"[{language}]{text}")
    monkeypatch.setattr(i18n, "_translate_plural", lambda one, many, n, language:
                        i18n._translate(one if n == 1 else many, language))
    items = [make_item(1, "our idea", votes=2, theme=5, pinned=True), make_item(2, "loose one")]
    snap = make_snapshot(items, themes=[(5, "Trust")], points=("Grow leaders",), revealed=True,
                         reveal=(RevealPoint(0, "Grow leaders", 1, True, True),))
    page = unisolated(projector_pages(snap, 3, None, "es")[0])
    assert "[es]Phase: [es]Collect" in page and "[es]2 items" in page and "[es]Pinned" in page
    assert "[es]2 votes" in page and "[es]Reference points" in page and "[es]✔ raised" in page
    assert "[es]Not yet grouped" in page and "Trust (1)" in page and "[es]Trust" not in page
    assert "our idea" in page and "[es]our idea" not in page and "[es]" not in one_page(snap)
    phone = PhoneBoard.build(snap, language="es")
    assert unisolated(phone.labels[1]) == "our idea · [es]2 votes"
    summary = board_export.to_html(snap, "es")
    assert '<html lang="es">' in summary and "[es]Reference points" in summary
    assert "[es]Not yet grouped" in summary and "(2 votes)" not in summary


@pytest.mark.parametrize("moved, on_target, held, back", [
    (True, True, 2, True),     # carried to the target and still there: moves back, count kept
    (True, False, 0, False),   # taken back since the merge (and maybe spent): stays gone
    (False, False, 1, True),   # had both: comes back while the allowance has room
    (False, False, 2, False),  # ... and not once it is spent
    (False, True, 1, True),    # still voting for the target does not matter for a kept vote
])
def test_an_undone_merge_gives_a_vote_back_only_as_far_as_the_allowance_permits(
        moved, on_target, held, back):
    vote = {"participant_id": 7, "moved": moved, "on_target": on_target, "held": held,
            "created_at": 1.0}
    assert board_model.votes_back([vote], allowance=2) == ([vote] if back else [])


@pytest.mark.parametrize("size, wall", [
    ((1920, 1080), "16:9"), ((3840, 2160), "16:9"), ((1366, 768), "1366"), ((1280, 800), "16:10"),
    ((1024, 768), "4:3"), ((1280, 720), "720"), ((800, 600), "any")])
def test_each_window_packs_for_the_roomiest_class_it_holds_at_the_floor(size, wall):
    assert walls.wall_for(*size).name == wall
    assert walls.wall_named(f"{size[0]}x{size[1]}").name == wall


@pytest.mark.parametrize("given", [None, "", "1920", "1920x", "x1080", "1920×1080", "-1x720",
                                   "99999x1080", "1920x1080;", ["1920x1080"], "19200x10800"])
def test_a_window_size_that_is_not_one_gets_pages_that_fit_any_window(given):
    assert walls.wall_named(given) is walls.ANY_WALL


def test_thirty_ideas_are_one_screen_on_a_1920_by_1080_wall_and_several_at_1280_by_720():
    ideas = ["One-on-ones before meetings", "Listen first, then act", "Leaders from the community",
             "Shared meals after services", "Door knocking in pairs on Saturday mornings",
             "Translate every flyer into Spanish and Vietnamese", "Childcare at every meeting",
             "Follow up within 48 hours", "Power analysis: who really decides?",
             "Celebrate small wins publicly"]  # test_seminar_browser's thirty
    snap = make_snapshot([make_item(n, ideas[n % 10] + ("" if n < 10 else f" {n}"))
                          for n in range(30)])
    wide = projector_pages(snap, 3, JOIN, wall=walls.wall_for(1920, 1080))
    assert len(wide) == 1 and 'data-wall="16:9"' in wide[0]
    assert "--u:max(var(--fl),min(100vh / 38.4,var(--main) / 54.5))" in wide[0]
    assert len(projector_pages(snap, 3, JOIN, wall=walls.wall_for(1280, 720))) > 1


def test_the_join_address_breaks_only_after_a_slash():
    html = one_page(make_snapshot([make_item(1, "idea")]), 0,
                    Join("http://192.168.100.200:8501/join?code=PARTNR", "<img>"))
    assert ('<span class="ok-addr">http://</span><wbr><span class="ok-addr">'
            '192.168.100.200:8501/</span><wbr><span class="ok-addr">join</span>') in html


def test_a_cards_height_counts_its_bold_heading_and_a_foot_that_wraps_part_by_part():
    # The foot is a wrapping row of parts: a theme and a long name that do not share a line are
    # a line and two, not the two lines the joined text would take.
    card = view._card(make_item(1, "Idea", author="María Guadalupe Hernández-Villanueva"),
                      False, False, "en", theme="Language access")
    assert card.height(17.1) == pytest.approx(4 * view.LINE + view.CARD_Y + view.GAP)
    # A heading is bold: its 27 characters fit a 17-em line at 0.52 em, not at the bold width.
    heading = view._heading("Relationships and trust", 5, 0)
    assert heading.height(17.1) == pytest.approx(2 * view.LINE + 0.12 + view.GAP)
