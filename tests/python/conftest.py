"""Shared fixtures: the paths CTest passes in (tests/python/CMakeLists.txt)."""
import os

import pytest


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"${name} is not set: run these tests through CTest")
    return value


@pytest.fixture(scope="session")
def cli() -> str:
    return _env("SIXMM_TEST_CLI")


@pytest.fixture(scope="session")
def shared_library() -> str:
    return _env("SIXMM_TEST_LIBRARY")


@pytest.fixture(scope="session")
def dist() -> str:
    return _env("SIXMM_TEST_DIST")


@pytest.fixture(scope="session")
def docs_page() -> str:
    return _env("SIXMM_TEST_DOCS")
