"""The app's one clock seam (domain.now/today): the system's clock, or, with ORGKIT_CLOCK_FILE
named, the epoch seconds in that file, read on every call so a test moves a running server."""
import datetime as dt
import time

from orgkit import domain


def test_the_clock_is_the_systems_unless_a_file_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv(domain.CLOCK_FILE_ENV, raising=False)
    assert abs(domain.now() - time.time()) < 5
    held = tmp_path / "clock"
    held.write_text(str(dt.datetime(2027, 2, 1, 10).timestamp()))
    monkeypatch.setenv(domain.CLOCK_FILE_ENV, str(held))
    assert domain.today() == dt.date(2027, 2, 1)
    held.write_text(str(dt.datetime(2027, 3, 29, 10).timestamp()))  # moved: read again
    assert domain.today() == dt.date(2027, 3, 29)


def test_the_store_and_the_demo_read_it(monkeypatch, tmp_path):
    from orgkit.demo import ensure_demo
    from orgkit.storage import open_store

    held = tmp_path / "clock"
    moment = dt.datetime(2027, 2, 1, 10).timestamp()
    held.write_text(str(moment))
    monkeypatch.setenv(domain.CLOCK_FILE_ENV, str(held))
    store = open_store(f"sqlite:///{tmp_path / 'orgkit.db'}")
    ensure_demo(store)
    # entries made "days ago" in the demo's file are recorded that long before the clock's now
    assert max(row["at"] for row in store.db.query("SELECT at FROM map_changes")) == moment
    store.close()
