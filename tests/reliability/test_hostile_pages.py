"""Hostile query parameters on every page (AppTest): no exception escapes, and no rendered
element carries markup made from the parameter (a link, an image, HTML, an icon directive)."""
from __future__ import annotations

import re

import pytest
from conftest import DEMO_CODE
from conftest import HOSTILE_PARAMS as MARKUP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgkit.ui import PAGES

pytestmark = pytest.mark.reliability

PARAMS = ("code", "p", "map", "board", "m")
# What user-made markup looks like when it was NOT escaped in an element's Markdown source.
ACTIVE = [re.compile(p) for p in (r"(?<!\\)\]\(http://evil", r"(?<!\\)<b>evil",
                                  r"(?<!\\):red\[evil", r"(?<!\\):material/warning(?<!\\):",
                                  r"(?<![\\/])http://evil\.example", r"(?m)^# evil")]


def _rendered_text(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header",
                 "subheader", "button", "expander", "selectbox", "radio", "tabs"):
        for element in getattr(at, kind, []):
            for attr in ("value", "label", "body"):
                value = getattr(element, attr, None)
                if isinstance(value, str):
                    out.append(value)
            out.extend(str(o) for o in getattr(element, "options", []) or [])
    return out


def _check(open_page, path: str, params: dict, **role) -> None:
    at = open_page(path, **role, **params)
    assert not at.exception, f"{path} {params!r}: {at.exception}"
    for text in _rendered_text(at):
        for active in ACTIVE:
            assert not active.search(text), f"{path}: markup from the URL rendered: {text[:200]!r}"


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_takes_hostile_query_parameters_without_error_or_markup(open_page, path):
    for value in MARKUP:
        _check(open_page, path, {name: value for name in PARAMS})
        _check(open_page, path, {"code": DEMO_CODE, **{n: value for n in PARAMS if n != "code"}})


@pytest.mark.parametrize("path", ["pages/1_join.py", "pages/4_map.py", "pages/2_projector.py"])
def test_hypothesis_query_parameters_for_a_participant_and_a_facilitator(open_page, path):
    @settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(value=st.lists(st.sampled_from(MARKUP), min_size=1, max_size=3).map("".join),
           name=st.sampled_from(["p", "map", "board", "m"]), facilitator=st.booleans())
    def run(value, name, facilitator):
        role = {"facilitator": True} if facilitator else {"participant": True}
        _check(open_page, path, {name: value}, **role)

    run()


def test_the_markup_detector_flags_raw_user_markup_and_passes_it_escaped():
    from orgkit.ui import escape

    for raw in MARKUP[:6]:
        assert any(active.search(raw) for active in ACTIVE), raw
        assert not any(active.search(escape(raw)) for active in ACTIVE), escape(raw)
