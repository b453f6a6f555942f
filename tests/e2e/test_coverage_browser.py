"""The coverage page in Chromium on a freshly started server: the charts really render."""
import shutil

import pytest

from conftest import DEMO_CODE, DEMO_MAP_TOKEN

SHOTS = "/tmp/shots-coverage"


@pytest.mark.e2e
@pytest.mark.parametrize("query, at_least", [(f"map={DEMO_MAP_TOKEN}", 5), (f"code={DEMO_CODE}", 4)])
def test_coverage_charts_render_in_a_browser(server, browser, run_waiter, tmp_path, query, at_least):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server.base}/coverage?{query}")
    run_waiter(page)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}",
                           timeout=30_000)
    assert page.locator(".js-plotly-plot").count() >= at_least
    assert page.get_by_text("Traceback").count() == 0
    shot = tmp_path / f"coverage-{query.split('=')[0]}.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copy(shot, f"{SHOTS}/{shot.name}")
    page.close()
