"""The shared-data locator in conftest.py, and the seed fixtures against their shared originals."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, REPO_ROOT, SEED, shared_dir


def test_env_var_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("COPYDESK_SHARED", str(tmp_path))
    assert shared_dir() == tmp_path


def test_env_var_pointing_nowhere_gives_none(monkeypatch, tmp_path):
    monkeypatch.setenv("COPYDESK_SHARED", str(tmp_path / "absent"))
    assert shared_dir() is None


def test_default_is_beside_the_repo(monkeypatch):
    monkeypatch.delenv("COPYDESK_SHARED", raising=False)
    found = shared_dir()
    expected = REPO_ROOT.parent / "shared"
    assert found == (expected if expected.is_dir() else None)


@pytest.mark.shared
def test_seed_fixtures_match_shared_seed(shared):
    seed = shared / "seed"
    if not seed.is_dir():
        pytest.skip("no seed/ folder in the shared data")
    for name in (f"{SEED}.page.html", f"{SEED}.page.expected.json", f"{SEED}.txt", f"{SEED}.expected.json"):
        assert (FIXTURES / name).read_bytes() == (seed / name).read_bytes(), name
