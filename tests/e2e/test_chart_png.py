"""Charts as PNG files (the coverage page's PNG downloads), offline: kaleido draws them in the
system's Chromium, which is why they sit with the browser tests."""
import io

import pytest
from PIL import Image

from orgkit.coverage import figures, png

pytestmark = pytest.mark.e2e


def test_a_chart_renders_to_a_real_png_offline():
    assert png.png_available()  # kaleido is a pinned requirement; Chromium is the system's
    fig = figures.activity([{"week": "2026-03-02", "entries_added": 2, "one_on_ones": 1,
                             "actions_done": 3}])
    picture = png.to_png(fig, width=800)
    assert picture[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(picture)).convert("RGB")
    assert image.size == (800, 500)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 16)}
    assert {(0x6a, 0x51, 0xa3), (0x23, 0x8b, 0x45), (0xd9, 0x48, 0x01)} <= colours  # the three bars


def test_pngs_reuse_one_chromium_and_each_caller_gets_its_own_picture():
    import concurrent.futures

    from kaleido._sync_server import GlobalKaleidoServer

    fig = figures.activity([{"week": "2026-03-02", "entries_added": 2, "one_on_ones": 1,
                             "actions_done": 3}])
    png.to_png(fig, width=600)
    server = GlobalKaleidoServer()
    assert server.is_running()
    thread = server._thread
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        pngs = list(pool.map(lambda w: png.to_png(fig, width=w), (500, 700, 900)))
    assert [Image.open(io.BytesIO(p)).size[0] for p in pngs] == [500, 700, 900]
    assert server._thread is thread  # the same browser served them all
