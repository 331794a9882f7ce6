"""The fixed-window counter behind the public tracking limits."""

import pytest
from django.core.cache import cache

from motcua.core import throttling


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("120/minute", (120, 60)), ("3/s", (3, 1)), ("30/hour", (30, 3600)), ("5/day", (5, 86400))],
)
def test_rates_are_read_in_drf_notation(rate, expected):
    assert throttling.parse_rate(rate) == expected


def test_the_limit_counts_per_address_and_says_how_long_to_wait(monkeypatch):
    monkeypatch.setattr(throttling.time, "time", lambda: 1_000_040.0)  # 20 s into a minute
    assert [throttling.retry_after("t", "192.0.2.1", "3/minute") for _ in range(3)] == [0, 0, 0]
    assert throttling.retry_after("t", "192.0.2.1", "3/minute") == 40
    assert throttling.retry_after("t", "192.0.2.2", "3/minute") == 0
    assert throttling.retry_after("other", "192.0.2.1", "3/minute") == 0


def test_a_new_window_starts_afresh(monkeypatch):
    now = [1_000_040.0]
    monkeypatch.setattr(throttling.time, "time", lambda: now[0])
    for _ in range(4):
        throttling.retry_after("t", "192.0.2.1", "3/minute")
    now[0] += 60
    assert throttling.retry_after("t", "192.0.2.1", "3/minute") == 0
