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


# Plotly's own text in a chart: the title, the panels' names (line by line when wrapped), every
# tick label, the axis titles and the legend.
CHART_TEXT_BOXES = """plot => [...plot.querySelectorAll(
        '.gtitle, .annotation-text:not(:has(.line)), .annotation-text .line, .xtick text, .ytick text, '
        + '.g-xtitle text, .g-ytitle text, .legendtext')]
    .filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    })"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect (a pixel of slack for antialiasing)."""
    def hit(a, b):
        return (a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1
                and a["top"] < b["bottom"] - 1 and b["top"] < a["bottom"] - 1)
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:] if hit(a, b)]


@pytest.mark.e2e
def test_workshop_view_fits_a_phone_without_overlapping_labels(server, browser, run_waiter, keep_shot,
                                                               sqlite_url):
    from orgkit.demo import ensure_demo
    from orgkit.storage import open_store
    from orgkit.workshops import join

    store = open_store(sqlite_url)
    ensure_demo(store)
    token = join(store, DEMO_CODE)[2]
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{server.base}/coverage?code={DEMO_CODE}&p={token}")
    run_waiter(page)
    page.get_by_text("You are here as: participant").first.wait_for(timeout=30_000)
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".filter(p => p.querySelector('.main-svg')).length >= 7", timeout=30_000)
    # No sideways scrolling: neither the document nor Streamlit's own scrolling container.
    widths = page.evaluate("""() => [document.documentElement, document.querySelector('[data-testid=stMain]')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert all(scroll <= client for scroll, client in widths), widths
    plots = page.locator(".js-plotly-plot")
    multiples = plots.filter(has_text="Every team's map by level")
    multiples.scroll_into_view_if_needed()
    texts = multiples.evaluate(CHART_TEXT_BOXES)
    assert {"Northside Family", "Services", "St. Brigid", "Congregation"} <= {t["text"] for t in texts}
    assert overlapping(texts) == []
    keep_shot(multiples, "coverage-phone-multiples.png")
    for i in range(plots.count()):  # the other workshop charts keep their labels apart too
        assert overlapping(plots.nth(i).evaluate(CHART_TEXT_BOXES)) == [], i
    page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
    keep_shot(page, "coverage-phone-top.png")
    plots.nth(1).scroll_into_view_if_needed()
    keep_shot(page, "coverage-phone-coverage.png")
    page.close()
