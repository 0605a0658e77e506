"""Shared fixture: the crafted report set written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from accord_testing.matrix_fixtures import write_set


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_set(folder)
    return folder
