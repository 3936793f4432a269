import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_dashboard_figures():
    """The dashboard keeps its counts in the cache (home/dashboard.py): each test starts
    with none, so it sees the products it made."""
    cache.clear()
    yield
    cache.clear()
