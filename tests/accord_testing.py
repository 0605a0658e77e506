"""Shared helpers for the kit's own tests (importable as ``accord_testing``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def accord(*args: str, cwd: Path | None = None, timeout: float = 300, env: dict | None = None):
    """Run the real ``accord`` command line in a subprocess; returns CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", *args],
        capture_output=True, text=True, cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})},
    )
