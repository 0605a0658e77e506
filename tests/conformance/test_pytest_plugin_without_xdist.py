"""Installing Accord must not break pytest in an environment without pytest-xdist (issue 14, point 1).

The plugin is loaded through its ``pytest11`` entry point by every pytest run in the environment, so
a hook that only xdist declares would make pluggy reject it and no test of the user's project would
run. The environment here is a fresh virtual environment (no system site-packages) holding only the
distributions pytest and Accord require, linked from this interpreter's installation — no xdist.
"""

from __future__ import annotations

import importlib.metadata as metadata
import os
import site
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

UNRELATED_TESTS = """\
def test_unrelated_project():
    assert sum([1, 2]) == 3
"""


def _installed() -> dict[str, metadata.Distribution]:
    """The distributions installed in this interpreter's site-packages (not the checkout's egg-info)."""
    found: dict[str, metadata.Distribution] = {}
    for dist in metadata.distributions(path=site.getsitepackages()):
        found.setdefault(canonicalize_name(dist.metadata["Name"]), dist)
    return found


def _closure(roots: list[str], installed: dict[str, metadata.Distribution]) -> list[metadata.Distribution]:
    """``roots`` and everything they require (no extras), as installed here."""
    todo, seen = [canonicalize_name(r) for r in roots], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in installed[name].requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return [installed[name] for name in sorted(seen)]


def _fresh_venv(root: Path) -> Path:
    """A venv holding exactly pytest, Accord and their requirements; returns its python."""
    installed = _installed()
    if "accord" not in installed:
        pytest.skip("accord is not installed in this interpreter (pip install -e .)")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, timeout=120)
    python = root / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    dists = _closure(["pytest", "accord"], installed)
    assert "pytest-xdist" not in {canonicalize_name(d.metadata["Name"]) for d in dists}
    for dist in dists:
        base = Path(dist.locate_file(""))
        for top in {Path(f).parts[0] for f in dist.files or [] if not str(f).startswith("..")}:
            if (base / top).exists() and not (target / top).exists():
                (target / top).symlink_to(base / top)
    return python


def _pytest(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    return subprocess.run([str(python), "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_pytest_runs_without_xdist(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    probe = subprocess.run([str(python), "-c", "import importlib.util as u; print(u.find_spec('xdist') is None,"
                            " u.find_spec('accord.conformance.pytest_plugin') is not None)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert probe.stdout.split() == ["True", "True"], probe.stdout + probe.stderr  # no xdist, Accord there
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_unrelated.py").write_text(UNRELATED_TESTS)

    result = _pytest(python, project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED test_unrelated.py::test_unrelated_project" in result.stdout
    assert "PluginValidationError" not in result.stdout + result.stderr

    result = _pytest(python, project, "--accord-family", "tensor", "--accord-adapter", "numpy",
                     "--accord-select", "tensor.add.dtype,tensor.add.values", "--accord-max-examples", "5",
                     "--accord-seed", "1", "-k", "add")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED tensor.add.values" in result.stdout
