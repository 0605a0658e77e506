"""Shared fixtures: the crafted report set written to a temporary folder; real reports of numpy at three releases."""

from __future__ import annotations

from pathlib import Path

import pytest
from accord_testing.history_fixtures import run_history_plan
from accord_testing.matrix_fixtures import write_set


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_set(folder)
    return folder


@pytest.fixture(scope="session")
def history_cells(tmp_path_factory: pytest.TempPathFactory, plan_env_cache: Path) -> Path:
    """The cells folder of a real ``accord plan run``: numpy 1.26.4, 2.0.2, 2.2.6 × tensor 1.1 (history_fixtures.py),
    its environments in the session's cache shared with the plan tests (tests/conftest.py)."""
    return run_history_plan(tmp_path_factory.mktemp("history-plan"), plan_env_cache)
