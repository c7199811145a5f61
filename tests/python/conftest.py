"""Shared fixtures: the paths CTest passes in (tests/python/CMakeLists.txt)."""
import os
from typing import Any

import pytest


def _from_env(name: str) -> Any:
    """A session fixture with the value of $name, which CTest sets."""
    @pytest.fixture(scope="session")
    def fixture() -> str:
        value = os.environ.get(name)
        if not value:
            pytest.fail(f"${name} is not set: run these tests through CTest")
        return value
    return fixture


cli = _from_env("SIXMM_TEST_CLI")
shared_library = _from_env("SIXMM_TEST_LIBRARY")
dist = _from_env("SIXMM_TEST_DIST")
docs_page = _from_env("SIXMM_TEST_DOCS")
