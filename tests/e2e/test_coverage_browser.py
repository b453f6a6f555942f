"""The coverage page in Chromium on a freshly started server: the charts really render."""
import io

import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN
from PIL import Image


@pytest.mark.e2e
@pytest.mark.parametrize("query, at_least",
                         [(f"map={DEMO_MAP_TOKEN}", 5), (f"code={DEMO_CODE}", 7)])
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
    # One download menu: choose the chart as a picture, then its one button (exact: plotly's own
    # toolbar has a "Download plot as a png" button, a browser snapshot).
    menu = page.get_by_role("combobox", name="Download a file")
    menu.wait_for(timeout=30_000)
    # The charts above it draw after the run ends and push the menu down: a click aimed while
    # they lay out can land beside it. Open it once it stands still.
    page.locator(".js-plotly-plot .main-svg").last.wait_for(timeout=30_000)
    option = page.get_by_role("option", name="Coverage by level (picture, PNG)")
    for _ in range(3):
        menu.click()
        if menu.get_attribute("aria-expanded") == "true":
            break
        page.wait_for_timeout(500)
    option.click()
    run_waiter(page)
    button = page.get_by_role("button", name="Download coverage-by-level.png", exact=True)
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
        '.gtitle, .annotation-text:not(:has(.line)), .annotation-text .line, '
        + '.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext')]
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
def test_workshop_view_fits_a_phone_without_overlapping_labels(server, browser, run_waiter,
                                                               keep_shot, sqlite_url):
    from orgkit.demo import ensure_demo
    from orgkit.storage import open_store
    from orgkit.workshop.service import join

    store = open_store(sqlite_url)
    ensure_demo(store)
    token = join(store, DEMO_CODE)[2]
    # A phone says so in its user agent: its charts are drawn at a phone's sizes, not projected.
    page = browser.new_page(viewport={"width": 360, "height": 740}, user_agent=PHONE_AGENT)
    page.goto(f"{server.base}/coverage?code={DEMO_CODE}&p={token}")
    run_waiter(page)
    page.get_by_text("You are here as: participant").first.wait_for(timeout=30_000)
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".filter(p => p.querySelector('.main-svg')).length >= 7", timeout=30_000)
    # No sideways scrolling: neither the document nor Streamlit's own scrolling container.
    widths = page.evaluate("""() => [document.documentElement,
            document.querySelector('[data-testid=stMain]')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert all(scroll <= client for scroll, client in widths), widths
    plots = page.locator(".js-plotly-plot")
    multiples = plots.filter(has_text="Every team's map by level")
    multiples.scroll_into_view_if_needed()
    texts = multiples.evaluate(CHART_TEXT_BOXES)
    assert ({"Northside Family", "Services", "St. Brigid", "Congregation"}
            <= {t["text"] for t in texts})
    assert overlapping(texts) == []
    keep_shot(multiples, "coverage-phone-multiples.png")
    for i in range(plots.count()):  # the other workshop charts keep their labels apart too
        assert overlapping(plots.nth(i).evaluate(CHART_TEXT_BOXES)) == [], i
    page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
    keep_shot(page, "coverage-phone-top.png")
    plots.nth(1).scroll_into_view_if_needed()
    keep_shot(page, "coverage-phone-coverage.png")
    page.close()


# -- a map of a chosen size, seen in Chromium --------------------------------------------------

def big_map(url: str, n: int, token: str) -> None:
    """A workshop with one map of `n` entries shaped like a real one: a hub, clusters of
    neighbours, a few decision-makers, leaders and organizations with a stance and an
    influence, one week of activity."""
    import random
    import time

    from orgkit.storage import open_store

    rng = random.Random(n)
    levels = rng.choices(["impacted", "leader", "organization", "decision_maker"], [60, 20, 15, 5],
                         k=n)
    now = time.time()
    entries = [{"name": f"{'Official' if lv == 'decision_maker' else 'Person'} {i} Lastname",
                "level": lv, "constituencies": f"Community {i % 8}",
                "strength": "working" if rng.random() < 0.15 else "none",
                "stage": rng.choice(["identified", "contacted", "engaged"]),
                "is_gatekeeper": int(lv in ("leader", "organization") and rng.random() < 0.15),
                "stance": rng.randint(-2, 2) if lv != "impacted" else None,
                "influence": rng.randint(1, 5) if lv != "impacted" else None,
                "point_person": rng.choice(["Ana", "Ben"]), "next_step": "",
                "created_at": now} for i, lv in enumerate(levels)]
    links = {(0, i) for i in range(1, n, 7)}  # a hub
    while len(links) < 2 * n:
        a = rng.randrange(n)
        b = a + rng.choice([-16, -8, 8, 16]) if rng.random() < 0.8 else rng.randrange(n)
        if 0 <= b < n and a != b:
            links.add((a, b))
    store = open_store(url)
    with store.atomic():
        wid = store.workshops.create(title="Big", held_on=None, join_code=f"BIG{n % 1000:03d}",
                                     pin_hash="x", is_demo=False)
        map_id = store.maps.create(wid, f"Map of {n}", token, targets={})
        ids = store.maps.insert_entries(map_id, entries)
        store.maps.insert_links(map_id, [(ids[a], ids[b], "knows") for a, b in sorted(links)])
    store.close()


TEXT_POINTS = """plot => [...plot.querySelectorAll('.textpoint text, .annotation-text, .gtitle')]
    .filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    })"""


def open_big_map(browser, server, run_waiter, token: str, tab: str):
    """A laptop's page on the big map `token`'s coverage, on `tab`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server.base}/coverage?map={token}")
    run_waiter(page, 60_000)
    open_tab(page, run_waiter, tab)
    return page


def open_tab(page, run_waiter, label: str):
    page.get_by_role("tab", name=label, exact=True).click()
    run_waiter(page)


def plot_titled(page, title: str):
    plot = page.locator(".js-plotly-plot").filter(has_text=title).first
    plot.locator(".main-svg").first.wait_for(timeout=60_000)
    plot.scroll_into_view_if_needed()
    return plot


@pytest.mark.e2e
@pytest.mark.parametrize("n", [60, 300, 10_000])
def test_the_network_reads_at_every_size(server, browser, run_waiter, keep_shot, sqlite_url, n):
    big_map(sqlite_url, n, f"big-{n}")
    page = open_big_map(browser, server, run_waiter, f"big-{n}", "Network")
    plot = plot_titled(page, "Network")
    boxes = plot.evaluate(TEXT_POINTS)
    assert overlapping(boxes) == [], overlapping(boxes)[:5]
    texts = [b["text"] for b in boxes]
    if n <= 300:
        assert "Person 0 Lastname" in texts  # the hub is named
        assert any(t.startswith("Official") for t in texts)  # and decision-makers
        assert "Our team" in texts
    else:
        assert any("too many to draw" in t for t in texts) and "Network, grouped" in " ".join(texts)
        counts = plot.locator(".textpoint text").evaluate_all(
            "ts => ts.map(t => getComputedStyle(t).fill)")
        assert counts and set(counts) == {"rgb(34, 34, 34)"}  # dark on white: 15.9:1
    keep_shot(plot, f"coverage-network-{n}.png")
    page.close()


@pytest.mark.e2e
def test_focus_shows_one_persons_neighbourhood(server, browser, run_waiter, keep_shot, sqlite_url):
    big_map(sqlite_url, 300, "big-focus")
    page = open_big_map(browser, server, run_waiter, "big-focus", "Network")
    page.get_by_role("combobox", name="Focus on one person").click()
    page.keyboard.type("Person 8 Lastname")
    page.get_by_role("option", name="Person 8 Lastname").first.click()
    run_waiter(page)
    plot = plot_titled(page, "Around Person 8 Lastname")
    assert overlapping(plot.evaluate(TEXT_POINTS)) == []
    assert page.get_by_text("How they connect to our team").count() == 1
    keep_shot(page, "coverage-network-focus.png", full_page=True)
    page.close()


@pytest.mark.e2e
def test_power_grid_cells_and_guidance_never_print_over_each_other(server, browser, run_waiter,
                                                                   keep_shot, sqlite_url):
    big_map(sqlite_url, 300, "big-grid")
    page = open_big_map(browser, server, run_waiter, "big-grid", "Power grid")
    plot = plot_titled(page, "Power grid")
    boxes = plot.evaluate(TEXT_POINTS)
    assert ({"Allies to mobilise", "Opponents to watch", "Targets to move"}
            <= {b["text"] for b in boxes})
    assert overlapping(boxes) == [], overlapping(boxes)[:5]
    assert page.get_by_text("One of ours").count() == 0
    keep_shot(plot, "coverage-power-grid.png")
    page.close()


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1400, 360])
def test_the_gap_list_shows_each_step_without_sideways_scrolling(server, browser, run_waiter,
                                                                 keep_shot, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server.base}/coverage?map={DEMO_MAP_TOKEN}")
    run_waiter(page)
    open_tab(page, run_waiter, "Gaps")
    step = page.get_by_text("Next step:").first
    step.wait_for(timeout=30_000)
    widths = page.evaluate("""() => [document.documentElement,
            document.querySelector('[data-testid=stMain]')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert all(scroll <= client for scroll, client in widths), widths
    cards = page.locator("[data-testid=stMarkdownContainer]").filter(has_text="Next step:")
    for i in range(cards.count()):
        box = cards.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)
    keep_shot(page, f"coverage-gaps-{width}.png")
    button = page.get_by_role("button", name="Make this Vernon Oakes's next step")
    card = button.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")
    card.scroll_into_view_if_needed()
    keep_shot(card, f"coverage-gap-card-{width}.png")
    page.close()


@pytest.mark.e2e
def test_one_week_of_activity_is_labelled_by_day_not_by_hour(server, browser, run_waiter, keep_shot,
                                                             sqlite_url):
    big_map(sqlite_url, 60, "big-week")  # every entry added today: one week
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server.base}/coverage?map=big-week")
    run_waiter(page)
    open_tab(page, run_waiter, "Activity")
    plot = plot_titled(page, "Activity per week")
    ticks = plot.locator(".xtick text").all_text_contents()
    assert ticks and not [t for t in ticks if ":" in t], ticks
    widths = plot.locator(".bars path").evaluate_all("ps => ps.map(p => p.getBBox().width)")
    assert widths and min(widths) > 20, widths  # the week's bars are drawn, not 0 px wide
    keep_shot(plot, "coverage-activity-one-week.png")
    page.close()


PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/120.0 Mobile Safari/537.36")


@pytest.mark.e2e
@pytest.mark.parametrize("tab, title", [("Power grid", "Power grid"), ("Network", "Network")])
def test_on_a_phone_the_power_grid_and_network_keep_their_text_apart(server, browser, run_waiter,
                                                                    keep_shot, sqlite_url, tab,
                                                                    title):
    big_map(sqlite_url, 300, "big-phone")
    page = browser.new_page(viewport={"width": 360, "height": 800}, user_agent=PHONE_AGENT)
    page.goto(f"{server.base}/coverage?map=big-phone")
    run_waiter(page, 60_000)
    open_tab(page, run_waiter, tab)
    plot = plot_titled(page, title)
    boxes = plot.evaluate(TEXT_POINTS)
    assert overlapping(boxes) == [], overlapping(boxes)[:5]
    widths = page.evaluate("""() => [document.documentElement,
            document.querySelector('[data-testid=stMain]')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert all(scroll <= client for scroll, client in widths), widths
    keep_shot(plot, f"coverage-phone-{tab.replace(' ', '-').lower()}.png")
    page.close()
