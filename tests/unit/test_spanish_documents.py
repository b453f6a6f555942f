"""The printable worksheet, the coverage review and the board summary in Spanish: `<html lang>`
says so, our words are the catalog's Spanish (no English run of the catalog is left), dates are
written as a Spanish reader writes them, and what people typed stays as typed."""
import datetime as dt

from tests.catalog_english import english_in
from unit.conftest import html_outline

from orgkit.coverage import analytics, report
from orgkit.map import worksheet

from .test_coverage_analytics import TODAY, complete_map, entry
from .test_map_worksheet import ENTRIES, LINKS, MAP


def test_the_worksheet_prints_in_spanish():
    page = worksheet.render(MAP, ENTRIES, LINKS, "es")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"es\">")
    _elements, text = html_outline(page)
    assert "Personas directamente afectadas" in text and "Responsables de decisiones" in text
    assert "Cuidado con los guardianes" in text and "Guardián: Speaks for the block" in text
    assert "Cómo contactar" in text and "555-0101" in text
    today = dt.date.today()
    assert f"Impreso {today.day} " in text  # "6 dic 2026", not an ISO date
    assert not english_in(text, ["Speaks for the block", "Keep <i>grants</i>"])
    assert worksheet.render(MAP, ENTRIES, LINKS).startswith("<!DOCTYPE html>\n<html lang=\"en\">")


def test_the_coverage_review_reads_in_spanish():
    m, e, links, actions = complete_map()
    e.append(entry(9, "decision_maker", "Mayor Hill", strength="none", stance=-2, influence=5))
    analysis = analytics.analyse_map(m, e, links, actions, today=TODAY)
    page = report.review_report(m, analysis, today=TODAY, language="es")
    assert '<html lang="es">' in page
    _elements, text = html_outline(page)
    assert "Causa: Child care · preparado 18 mar 2026" in text
    assert "Cuadro de poder" in text and "Brechas, las más urgentes primero" in text
    assert "Responsable de decisiones fuera de alcance" in text and "Mayor Hill" in text
    typed = [row["name"] for row in e] + [m["name"], m["issue"]]
    assert not english_in(text, typed), english_in(text, typed)
