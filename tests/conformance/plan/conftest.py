"""Fixtures of the plan tests: one environment cache for the session, so a release's venv is built once."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The environment cache the slow plan tests share (removed with pytest's temp folders)."""
    return tmp_path_factory.mktemp("plan-envs")
