"""The coverage downloads: the review report (its sections, every value written as text) and the
gap list CSV (formula-looking cells neutralised), and the gaps read in the reader's language."""
import pytest
from unit.conftest import HOSTILE_HTML, html_outline

from orgkit import i18n
from orgkit.coverage import analytics
from orgkit.coverage import model as coverage
from orgkit.coverage import report
from orgkit.coverage.gaps import find_gaps
from . import test_coverage_analytics as plant
from .test_coverage_analytics import TODAY, complete_map, entry


@pytest.mark.parametrize("cell, safe", [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1", "'+1"),
                                        ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("Ana", "Ana")])
def test_gap_csv_neutralises_formula_cells(cell, safe):
    gap = coverage.Gap(1, "overdue", cell, "r", "n", "leader")
    lines = report.gaps_csv([gap]).splitlines()
    assert lines[0].startswith("Rank,Gap,About")
    assert lines[1].split(",")[2] == safe


def _report(map_row, entries, links, actions) -> str:
    analysis = analytics.analyse_map(map_row, entries, links, actions, today=TODAY)
    return report.review_report(map_row, analysis, today=TODAY)


def test_review_report_escapes_every_value():
    m, e, l, a = complete_map()
    m["name"] = "<script>alert(1)</script>"
    e.append(entry(9, "decision_maker", "<img src=x onerror=alert(1)>", strength="none"))
    page = _report(m, e, l, a)
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    assert "<h2>Power grid</h2>" in page and "<td>Allies to mobilise</td>" in page  # Rep. Fox


def test_the_report_has_coverage_the_power_grid_and_the_ranked_gaps():
    m, e, l, a = complete_map()
    e.append(entry(9, "decision_maker", "Mayor Hill", strength="none", stance=-2, influence=5))
    _, text = html_outline(_report(m, e, l, a))
    sections = ["Coverage review: Team", "Issue: Child care · prepared Mar 18, 2026",
                "Coverage by level", "Power grid", "Gaps, most urgent first"]
    assert [text.index(s) for s in sections] == sorted(text.index(s) for s in sections)
    assert "Mayor Hill Decision-makers -2 5 Opponents to watch not reachable" in text
    assert "1 Decision-maker out of reach Mayor Hill Decision-makers" in text


def _typed(text: str):
    """complete_map with `text` (after its field's name) in every typed field the report prints:
    the map's name and issue, names, an office, a point person, a next step, a community."""
    m, e, l, a = complete_map()
    m.update(name=f"map name: {text}", issue=f"issue: {text}",
             wanted_constituencies=f"tenants; community: {text}")
    e = [{**row, "name": f"{row['id']} name: {text}"} for row in e]
    e[6].update(office=f"office: {text}")
    e[2].update(point_person=f"point person: {text}", next_step=f"step: {text}",
                next_step_on="2026-03-01")
    return m, e, l, a


def test_hostile_text_in_every_field_is_written_as_text():
    plain_elements, _ = html_outline(_report(*_typed("plain words")))
    elements, text = html_outline(_report(*_typed(HOSTILE_HTML)))
    assert elements == plain_elements  # no element or attribute came from the text
    typed = [f"{field}: {HOSTILE_HTML}" for field in ("map name", "issue", "community", "7 name",
                                                      "office", "point person", "step")]
    assert [t for t in typed if t not in text] == []


def test_gaps_and_their_steps_are_read_in_the_readers_language_and_names_as_typed(
        stand_in_spanish):
    m, e, l, a = complete_map()
    for planted in (plant.plant_gatekeeper, plant.plant_single_person, plant.plant_stuck,
                    plant.plant_far_decision_maker, plant.plant_missing_research,
                    plant.plant_overdue, plant.plant_no_speaker, plant.plant_old_one_on_one,
                    plant.plant_unrecorded_one_on_one, plant.plant_below_target,
                    plant.plant_wanted_unreached):
        planted(m, e, l, a)
    gaps = find_gaps(m, e, l, a, today=TODAY)
    assert len({g.kind for g in gaps}) >= 10
    for gap in gaps:
        for text in (gap.reason, gap.next_step):
            english, spanish = i18n.render(text), i18n.render(text, "es")
            assert "[es:" not in english and spanish.startswith("[es:")
            named = [row["name"] for row in e if row["name"] in english]
            assert named == [row["name"] for row in e if row["name"] in spanish]
            assert [name for name in named if f"[es:{name}]" in spanish] == []
        assert coverage.as_next_step(gap, "es").startswith("[es:")
        assert coverage.as_next_step(gap) == coverage.as_next_step(gap, "en")
    rows = report.gaps_csv(gaps, "es").splitlines()
    assert rows[0].startswith("[es:Rank],[es:Gap]") and rows[1].count("[es:") >= 3
