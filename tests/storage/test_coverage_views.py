"""A map's coverage view over the real store: its measures are computed when first read, counted
in the view cache when the view is cached, and read as well from a view built without it (as
benchmarks/coverage_render.py builds one)."""
import datetime as dt

from orgkit.coverage import service as coverage_service
from orgkit.domain import Actor, Role


def test_a_measure_read_later_counts_in_the_cache_and_reads_the_same_uncached(store):
    workshop_id = store.workshops.create(title="Seminar", held_on=None, join_code="VIEWS1",
                                         pin_hash="x")
    map_id = store.maps.create(workshop_id, "Northside", "tok-views")
    store.maps.insert_entry(map_id, {"name": "Maria Lopez", "level": "impacted",
                                     "stage": "one_on_one", "strength": "working"})
    facilitator = Actor(Role.FACILITATOR, workshop_id)
    coverage_service.VIEWS.clear()
    view = coverage_service.load_map(store, facilitator, map_id)
    before = coverage_service.VIEWS.bytes
    coverage = view["gaps"]
    assert coverage_service.VIEWS.bytes > before
    uncached = coverage_service.build_map_view(store, facilitator, map_id,
                                               dt.date.today().isoformat())
    assert uncached["gaps"] == coverage
