import pytest

from resolutions.starter import load_starter_data
from tests.resolutions.test_pages_data import large_history


@pytest.fixture
def sample(db):
    """The seed case plus a few dozen drafts over several years and outcomes."""
    load_starter_data()
    return large_history()
