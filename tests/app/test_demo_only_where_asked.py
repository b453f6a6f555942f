"""The demo workshop (published PIN) is loaded only where asked, never into a production
database."""
import pytest
from streamlit.testing.v1 import AppTest

from orgkit import demo
from orgkit.storage import open_store
from tests.conftest import ROOT


@pytest.mark.parametrize("setting, url, loaded", [
    ("", demo.DEFAULT_URL, True),  # the README's quick start
    ("", "postgresql://db.internal/orgkit", False),  # production: a configured database
    ("", "sqlite:////srv/orgkit/orgkit.db", False),
    ("1", "postgresql://db.internal/orgkit", True),
    ("0", demo.DEFAULT_URL, False),
])
def test_the_demo_is_wanted_only_by_the_quick_start_or_the_setting(monkeypatch, setting, url,
                                                                   loaded):
    monkeypatch.setenv("ORGKIT_DEMO", setting)
    assert demo.wanted(url) is loaded


def test_a_configured_database_opened_by_the_app_gets_no_demo(app_env, monkeypatch):
    monkeypatch.delenv("ORGKIT_DEMO")
    at = AppTest.from_file(str(ROOT / "home.py"), default_timeout=60).run()
    assert not at.exception
    assert any("no demo workshop" in i.value for i in at.info)
    store = open_store(app_env)
    assert store.workshops.count() == 0
    store.close()
