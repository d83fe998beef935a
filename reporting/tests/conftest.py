import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The quarter's figures are cached (reporting/selectors.py) and the areas' keys are the
    same in every test (areas come from a data migration): each test starts without."""
    cache.clear()
    yield
    cache.clear()
