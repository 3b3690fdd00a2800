"""Test-suite wiring: the docfetch.testing kit's fixtures (real local servers and a proxy)."""

import pytest

from tests.helpers import CORPUS


@pytest.fixture
def corpus():
    """../shared/corpus, or a skip when it is absent (a user's fresh clone has none)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    return CORPUS
