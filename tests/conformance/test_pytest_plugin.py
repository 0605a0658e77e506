"""The pytest plugin runs the suite as items in a backend author's own pytest session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from accord_testing import HOSTILE


def pytest_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HOSTILE), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)


def test_one_item_per_requirement(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--accord-family", "tensor", "--accord-adapter", "numpy",
                        "--accord-select", "tensor.add.values,tensor.add.dtype,tensor.subtract.values", "--accord-seed", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED tensor.add.values" in result.stdout
    assert "PASSED tensor.subtract.values" in result.stdout
    assert "3 passed" in result.stdout
    assert "accord: tensor 4.0 on numpy, seed 5" in result.stdout  # the latest release numpy declares


def test_failure_shows_counterexample_and_x_stops(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--accord-family", "tensor", "--accord-adapter", "misbehaving:off_by_one",
                        "--accord-select", "tensor.add.values,tensor.subtract.values", "-x")
    assert result.returncode == 1
    assert "FAILED tensor.add.values" in result.stdout
    assert "counterexample:" in result.stdout
    assert "tensor.subtract.values" not in result.stdout.split("short test summary")[-1]  # -x stopped


def test_k_selects(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--accord-family", "tensor", "--accord-adapter", "numpy",
                        "--accord-select", "tensor.add.values,tensor.add.dtype,tensor.subtract.values,tensor.subtract.dtype", "-k", "subtract and values")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED tensor.subtract.values" in result.stdout
    assert "tensor.add.values" not in result.stdout


def test_xdist(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--accord-family", "tensor", "--accord-adapter", "numpy",
                        "--accord-select", "tensor.add.values,tensor.add.dtype,tensor.subtract.values,tensor.subtract.dtype",
                        "-n", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED tensor.add.values" in result.stdout
    assert "2 workers" in result.stdout or "created: 2/2 workers" in result.stdout


def test_family_without_adapter_is_a_usage_error(tmp_path: Path) -> None:
    result = pytest_run(tmp_path, "--accord-family", "tensor")
    assert result.returncode == 4
    assert "--accord-family and --accord-adapter go together" in result.stderr
