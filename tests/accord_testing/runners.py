"""The CLI as the tests drive it: in-process through click, or the installed `accord` command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from accord.conformance.publish.cli import matrix


def run_matrix(*args: str) -> tuple[int, str, str]:
    """`accord matrix ARGS` in-process (exit code, stdout, stderr)."""
    result = CliRunner().invoke(matrix, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def run_accord(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The installed `accord` command itself, as a user runs it (the lead's CLI wires `matrix` in)."""
    return subprocess.run(["accord", *args], capture_output=True, text=True, timeout=120, cwd=cwd)
