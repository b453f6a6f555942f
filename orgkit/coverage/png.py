"""Charts as PNG files: kaleido drives the system's Chromium offline (plotly.js from the plotly
package, MathJax off so no page asks the network). One Chromium, started by the first PNG asked
for and reused after, so only the first waits for a browser to start.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading

import plotly.graph_objects as go

PNG_TIMEOUT = 30  # seconds; kaleido's own default (90 s) would hold a server thread too long
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_PNG_LOCK = threading.Lock()  # kaleido's one server answers through one queue: one PNG at a time


@functools.cache
def png_available() -> bool:
    """Whether PNGs can be made here: kaleido installed and a Chromium to drive."""
    try:
        import kaleido  # noqa: F401  (optional at run time: the HTML downloads need nothing)
    except ImportError:
        return False
    return bool(os.environ.get("BROWSER_PATH") or any(shutil.which(name) for name in BROWSERS))


def to_png(fig: go.Figure, *, width: int = 1100) -> bytes:
    """The figure as a PNG, rendered by kaleido in one headless Chromium that the first PNG
    starts (about 2.5 s) and every later one reuses (about 0.2 s), for the life of the process."""
    import kaleido  # imported on demand: most runs never make a PNG

    height = fig.layout.height or 500
    with _PNG_LOCK:
        kaleido.start_sync_server(mathjax=False, timeout=PNG_TIMEOUT, silence_warnings=True)
        return kaleido.calc_fig_sync(fig.to_dict(), opts={"format": "png", "width": width,
                                                          "height": height, "scale": 1})
