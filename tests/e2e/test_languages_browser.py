"""A bilingual room in Chromium: one phone whose browser reads Spanish and one that reads English
join the same board. Each sees our words in its own language, says it in `<html lang>`, and sees
the other's idea as it was typed; the English phone then switches to Spanish with an idea half
typed in the field (not sent: no blur, no Enter) and keeps it, and a reload keeps Spanish (the
browser's remembered choice), served as `<html lang="es">`. Screenshots are kept (keep_shot)."""
import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator

from orgkit.board import service as boards
from orgkit.storage import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

PROMPT = "¿Qué necesita nuestra comunidad?"


def _phone(browser, server, locale: str, board_id: int):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                                  locale=locale)
    page = context.new_page()
    page.goto(f"{server.base}/join?code={DEMO_CODE}&board={board_id}")
    return context, page


def _lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def test_a_spanish_and_an_english_phone_on_one_board_each_read_their_own_language(
        browser, server, sqlite_url, run_waiter, keep_shot):
    store = open_store(sqlite_url)
    board = boards.create_board(store, demo_facilitator(store), PROMPT,
                                votes_hidden=False)  # the phones read their counts

    es_ctx, es = _phone(browser, server, "es-MX", board.id)
    en_ctx, en = _phone(browser, server, "en-US", board.id)
    for page in (es, en):
        run_waiter(page)
        page.wait_for_url("**p=*")
    es.wait_for_function("document.documentElement.lang === 'es'", timeout=15_000)
    assert _lang(en) == "en"

    # The Spanish phone sends an idea; both see it as typed, each with its own words around it.
    field = es.get_by_label("Tu idea")
    field.fill("Vivienda digna")
    field.press("Enter")
    es.get_by_text("Enviado:").first.wait_for(timeout=15_000)
    run_waiter(es)
    es.locator("[data-testid=stMain] button").filter(has_text="0 votos").first.wait_for(
        timeout=15_000)
    en.reload()
    run_waiter(en)
    en.locator("[data-testid=stMain] button").filter(has_text="Vivienda digna").filter(
        has_text="0 votes").first.wait_for(timeout=15_000)
    assert en.get_by_label("Your idea").is_visible()
    assert es.get_by_text("Tus aportes").first.is_visible()
    assert not es.get_by_text("Your items").count()
    keep_shot(es, "languages-phone-es.png", full_page=True)
    keep_shot(en, "languages-phone-en.png", full_page=True)

    # The English phone types half an idea and, without leaving the field, switches to Spanish.
    half = en.get_by_label("Your idea")
    half.click()
    half.type("Half typed, not sent")
    switch = en.locator(".st-key-orgkit_lang button").filter(has_text="ES")
    box = switch.bounding_box()
    assert box["y"] + box["height"] > 740 - 120  # at the bottom: in thumb reach
    assert box["height"] >= 44 and box["width"] >= 44
    switch.click()
    en.wait_for_function("document.documentElement.lang === 'es'", timeout=15_000)
    run_waiter(en)
    en.get_by_label("Tu idea").wait_for(timeout=15_000)
    assert en.get_by_label("Tu idea").input_value() == "Half typed, not sent"
    assert "lang=es" in en.url
    scroll = en.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 360  # Spanish is longer: still no sideways scroll
    keep_shot(en, "languages-phone-switched.png", full_page=True)

    # The choice is remembered for this browser: a reload of its first link reads Spanish.
    served = en.goto(f"{en.url.split('?')[0]}?code={DEMO_CODE}&board={board.id}&lang=en")
    assert '<html lang="es"' in served.text()  # served so, before any script runs
    run_waiter(en)
    en.get_by_label("Tu idea").wait_for(timeout=15_000)
    assert _lang(en) == "es"
    es_ctx.close()
    en_ctx.close()
    store.close()
