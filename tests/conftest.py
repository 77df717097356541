"""Shared test helpers: where the repo, the fixtures and ../shared are; a local HTTP server.

Other test modules reuse `shared_dir()` (import it with `from conftest import
shared_dir`) or the `shared` fixture, which skips the test when the shared data
is absent. Tests marked `@pytest.mark.shared` are skipped automatically then too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SEED = "000_458d097b5487f895"


def shared_dir() -> Path | None:
    """The shared read-only data folder, or None when it is not there.

    `$COPYDESK_SHARED` when set (and only it), else `../shared` beside the repo
    root (where CI puts it). The folder holds `benchmarks/` and `seed/`.
    """
    env = os.environ.get("COPYDESK_SHARED")
    candidate = Path(env) if env else REPO_ROOT.parent / "shared"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared() -> Path:
    """The shared data folder (see `shared_dir`); skips the test when it is absent."""
    d = shared_dir()
    if d is None:
        pytest.skip("shared data not found: put it at ../shared beside the repo or set COPYDESK_SHARED")
    return d


def pytest_collection_modifyitems(config, items):
    if shared_dir() is not None:
        return
    skip = pytest.mark.skip(reason="shared data not found (../shared or $COPYDESK_SHARED)")
    for item in items:
        if item.get_closest_marker("shared") is not None:
            item.add_marker(skip)


@pytest.fixture
def seed_page() -> Path:
    """The seed HTML page fixture (tests/fixtures/000_458d097b5487f895.page.html)."""
    return FIXTURES / f"{SEED}.page.html"


@pytest.fixture
def no_proxy(monkeypatch):
    """Make urllib ignore proxy settings so requests to 127.0.0.1 stay local."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
