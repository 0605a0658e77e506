"""Crafted spec roots for the spec-tooling tests: a tmp spec tree with its own meta-schemas."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from accord_testing import ADD, CraftedRoot


@pytest.fixture
def crafted(tmp_path: Path) -> CraftedRoot:
    return CraftedRoot(tmp_path / "spec")


@pytest.fixture
def add_doc() -> dict:
    return copy.deepcopy(ADD)
