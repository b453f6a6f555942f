"""The coverage view cache: bounded in (estimated) bytes, one revision per map, peak recorded."""
import plotly.graph_objects as go

from orgkit.coverage import service as coverage_service


def rows(n):
    return [{"id": i, "name": f"Person {i}", "notes": "x" * 40} for i in range(n)]


def test_estimated_size_grows_with_the_rows_and_counts_figures():
    small = coverage_service.approx_bytes(rows(1_000))
    large = coverage_service.approx_bytes(rows(10_000))
    assert 8 < large / small < 12  # about ten times the rows, about ten times the bytes
    fig = go.Figure(go.Scatter(x=list(range(5_000)), y=list(range(5_000))))
    assert coverage_service.approx_bytes({"figures": {"a": fig}}) > 5_000 * 2 * 24


def test_a_map_keeps_only_its_newest_revision():
    cache = coverage_service.ViewCache(10 ** 9)
    cache.get(("u", "map", 1, 1), ("u", "map", 1), lambda: {"rows": rows(100)})
    cache.get(("u", "map", 2, 1), ("u", "map", 2), lambda: {"rows": rows(100)})
    newer = cache.get(("u", "map", 1, 2), ("u", "map", 1), lambda: {"rows": rows(100)})
    assert list(cache._views) == [("u", "map", 2, 1), ("u", "map", 1, 2)]
    assert cache.get(("u", "map", 1, 2), ("u", "map", 1), lambda: 1 / 0) is newer  # a hit


def test_beyond_its_bound_the_least_recently_used_views_go():
    one = coverage_service.approx_bytes({"rows": rows(1_000)})
    cache = coverage_service.ViewCache(int(2.5 * one))
    for i in range(4):
        cache.get(("u", "map", i, 1), ("u", "map", i), lambda: {"rows": rows(1_000)})
        if i in (1, 2):  # only two fit; map 0 is used again after each newcomer
            cache.get(("u", "map", 0, 1), ("u", "map", 0), lambda: 1 / 0)
    assert [key[2] for key in cache._views] == [0, 3]  # 1, then 2, were the least recently used
    assert cache.bytes <= cache.max_bytes and cache.peak <= cache.max_bytes
    assert cache.peak >= 2 * one * 0.9


def test_a_figure_added_to_a_view_counts_in_the_cache():
    cache = coverage_service.ViewCache(10 ** 9)
    key = ("u", "map", 1, 1)
    view = cache.get(key, ("u", "map", 1), lambda: {"rows": rows(10), "figures": {}})
    before = cache.bytes
    fig = view["figures"]["big"] = go.Figure(go.Scatter(x=list(range(20_000)),
                                                       y=list(range(20_000))))
    cache.grow(key, fig)
    assert cache.bytes > before + 20_000 * 24


def test_one_view_larger_than_the_bound_is_still_served():
    cache = coverage_service.ViewCache(10)
    view = cache.get(("u", "map", 1, 1), ("u", "map", 1), lambda: {"rows": rows(100)})
    assert view["rows"] and list(cache._views) == [("u", "map", 1, 1)]
