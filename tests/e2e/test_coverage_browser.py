"""The coverage page in Chromium on a freshly started server: the charts really render."""
import io

import pytest
from PIL import Image

from conftest import DEMO_CODE, DEMO_MAP_TOKEN



@pytest.mark.e2e
@pytest.mark.parametrize("query, at_least", [(f"map={DEMO_MAP_TOKEN}", 5), (f"code={DEMO_CODE}", 7)])
def test_coverage_charts_render_in_a_browser(server, browser, run_waiter, keep_shot, query,
                                              at_least):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server.base}/coverage?{query}")
    run_waiter(page)
    # Every chart drawn: each plot's own SVG layer exists (a plot has two or three of them).
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           f".filter(p => p.querySelector('.main-svg')).length >= {at_least}",
                           timeout=30_000)
    assert page.locator(".js-plotly-plot").count() >= at_least
    assert page.get_by_text("Traceback").count() == 0
    name = query.split("=")[0]
    keep_shot(page, f"coverage-{name}.png", full_page=True)
    # The page scrolls inside Streamlit's own container: show the lowest charts too.
    page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
    keep_shot(page, f"coverage-{name}-end.png")
    page.close()


@pytest.mark.e2e
def test_a_chart_downloads_as_png_in_a_browser(server, browser, run_waiter, tmp_path, keep_shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page.goto(f"{server.base}/coverage?map={DEMO_MAP_TOKEN}")
    run_waiter(page)
    # exact: plotly's own toolbar has a "Download plot as a png" button (a browser snapshot)
    button = page.get_by_role("button", name="PNG", exact=True).first
    button.wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "coverage-by-level.png"
    png = (tmp_path / "chart.png")
    download.value.save_as(png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (1100, 500)  # rendered on the server, not the browser's own snapshot
    assert (0x08, 0x30, 0x6b) in {c for _, c in image.getcolors(maxcolors=1 << 16)}  # "Committed"
    keep_shot(png, "downloaded-coverage-by-level.png")
    page.close()
