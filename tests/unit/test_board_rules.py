"""Pure board rules and views: reveal suggestions, the projector HTML (escaped, grouped, newest
highlighted, no private data), exports neutralising formulas, timers and entry names."""
import csv
import io
from html import escape

import pytest
from openpyxl import load_workbook

from orgkit import board_export, boards
from orgkit.board_view import grouped, projector_html
from orgkit.boards import Board, Item, RevealPoint, Snapshot

HOSTILE = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1))", "# big", "**bold**"]


def make_item(id_, text, *, votes=0, theme=None, pinned=False, author=None, status="visible",
              at=None):
    return Item(id=id_, text=text, author=author, status=status, theme_id=theme, pinned=pinned,
                votes=votes, created_at=at if at is not None else 1000.0 + id_, mine=False,
                merged_into=None)


def make_snapshot(items, *, themes=(), phase="collect", points=(), reveal=(), revealed=False,
                  anonymous=False):
    board = Board(id=1, workshop_id=1, prompt="What <makes> it work?", reference_points=points,
                  anonymous=anonymous, votes_per_participant=3, moderation="open", item_limit=280,
                  phase=phase, timer_ends_at=None, locked=False, revealed=revealed, revision=7)
    return Snapshot(board=board, items=tuple(items), themes=tuple(themes), reveal=tuple(reveal))


@pytest.mark.parametrize("text", HOSTILE)
def test_projector_html_escapes_participant_text(text):
    html = projector_html(make_snapshot([make_item(1, text, author="<b>Eve</b>")]), 3)
    assert "<img" not in html and "<b>Eve" not in html
    assert escape(text) in html  # the literal text, with its characters made harmless


def test_projector_shows_counts_phase_and_highlights_the_newest():
    items = [make_item(1, "old", at=10), make_item(2, "newest", at=30), make_item(3, "mid", at=20),
             make_item(4, "hidden", status="hidden", at=40)]
    html = projector_html(make_snapshot(items, phase="vote"), participants=12)
    assert "12 joined" in html and "3 items" in html and "Phase: Vote" in html
    assert 'class="ok-card ok-new" data-item="2"' in html
    assert "hidden" not in html.split("ok-meta")[1]


def test_anonymous_items_show_no_author():
    html = projector_html(make_snapshot([make_item(1, "idea", author=None)], anonymous=True), 1)
    assert "ok-foot" in html and "Eve" not in html


def test_groups_put_pinned_first_then_votes_in_the_vote_phase():
    items = [make_item(1, "a", votes=1, theme=5), make_item(2, "b", votes=9, theme=5),
             make_item(3, "c", votes=0, theme=5, pinned=True), make_item(4, "loose")]
    groups = grouped(make_snapshot(items, themes=[(5, "Trust")]), by_votes=True)
    assert [(name, [i.text for i in members]) for name, members in groups] == [
        ("Trust", ["c", "b", "a"]), ("Not yet grouped", ["loose"])]


def test_suggestions_match_by_shared_words_ignoring_common_ones():
    items = [make_item(1, "Deep relationships with neighbours"), make_item(2, "The community")]
    assert boards.suggest_matches(["Invest in relationships", "Community outreach", "Commit"],
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
    reveal = [RevealPoint(0, "Grow leaders", 1, True, True), RevealPoint(1, "Commit", None, False, True)]
    html = board_export.to_html(make_snapshot(items, points=("Grow leaders", "Commit"), reveal=reveal))
    assert "&lt;script&gt;" in html and "<script>" not in html and "Rosa" not in html
    assert "✔ raised" in html and "○ Commit" in html


def test_timer_seconds_left():
    snap = make_snapshot([])
    assert snap.board.seconds_left(now=0) is None
    board = Board(**{**snap.board.__dict__, "timer_ends_at": 100.0})
    assert board.seconds_left(now=40.5) == 60 and board.seconds_left(now=200) == 0


def test_long_items_become_sensible_entry_names():
    name = boards._shorten("word " * 60, boards.ENTRY_NAME_MAX)
    assert len(name) <= boards.ENTRY_NAME_MAX and name.endswith("word…")
    assert boards._shorten("Short name", 120) == "Short name"


def test_vote_counts_read_one_vote_and_two_votes():
    assert [boards.vote_count(n) for n in (0, 1, 2)] == ["0 votes", "1 vote", "2 votes"]
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
    assert boards.suggest_level(text) == level
