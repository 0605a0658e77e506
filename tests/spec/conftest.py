"""Helpers for the kit's own tests: a scratch spec folder and the CLI as a real process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

MANIFEST = """\
kind: manifest
family: tensor
version: "1.0"
status: released
title: Scratch tensor spec
capabilities:
  - {id: arithmetic, title: Arithmetic}
features:
  - {id: complex, title: Complex dtypes}
"""


@pytest.fixture
def spec_folder(tmp_path: Path):
    """A released tensor 1.0 folder; returns a writer ``put(relative_name, yaml_text)``."""
    folder = tmp_path / "tensor" / "1.0"
    folder.mkdir(parents=True)
    (folder / "spec.yaml").write_text(MANIFEST)

    def put(name: str, text: str) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    put.folder = folder
    return put
