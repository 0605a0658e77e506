"""The backend-author job (issue 14): Accord installed as a backend author installs it, next to their project.

Installing Accord registers its pytest plugin (entry point ``pytest11``) in every pytest run of the
environment, so it must neither break the project's own tests nor need pytest-xdist, which such an
environment usually lacks (a hook only xdist declares made pluggy reject the plugin: no test ran).
The environment is built the author's way: a fresh venv (no system site-packages), ``pip install`` of
Accord's sources — not editable, no extras, so the wheel's contents (spec documents, schemas) and its
dependency metadata are what is tested — plus numpy as the backend and pytest, no xdist. Packages come
from the registry (about 3 minutes here, mostly pip downloading). One temporary directory holds the
sources, the venv and the project, and is removed at the end. `.ci/run` runs it with the rest of the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from accord_testing import REPO_ROOT

pytestmark = pytest.mark.slow

#: what a wheel of Accord is built from (setup.py maps the four folders onto accord.*)
SOURCES = ("pyproject.toml", "setup.py", "README.md", "spec", "conformance", "reference_impl", "adapters")

PROJECT = {
    "pyproject.toml": '[project]\nname = "tinystats"\nversion = "0.1"\n\n'
                      '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    "tinystats.py": "def mean(values):\n    return sum(values) / len(values)\n",
    "tests/test_tinystats.py": "import pytest\n\nfrom tinystats import mean\n\n\n"
                               "def test_mean():\n    assert mean([1, 2, 3]) == 2\n\n\n"
                               "def test_mean_of_nothing():\n    with pytest.raises(ZeroDivisionError):\n"
                               "        mean([])\n",
}


def _env() -> dict[str, str]:
    """The author's shell: nothing of this test run's interpreter, paths or pytest options leaks in."""
    drop = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONHOME", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _call(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=_env())


def _install(root: Path) -> Path:
    """A fresh venv with ``pip install <accord sources> numpy pytest``; returns its python."""
    source = root / "accord-src"
    for name in SOURCES:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO_ROOT / name, source / name)
    made = _call([sys.executable, "-m", "venv", str(root / "venv")], root, 300)
    assert made.returncode == 0, made.stderr
    python = root / "venv" / "bin" / "python"
    pip = _call([str(python), "-m", "pip", "install", "-q", str(source), "numpy", "pytest"], root, 1200)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return python


def test_backend_author_install() -> None:
    with tempfile.TemporaryDirectory(prefix="backend-author-") as tmp:
        root = Path(tmp)
        python = _install(root)
        probe = _call([str(python), "-c", "import importlib.util as u, accord.conformance as c, sys;"
                       " print(u.find_spec('xdist') is None, c.__file__.startswith(sys.prefix))"], root, 60)
        assert probe.stdout.split() == ["True", "True"], probe.stdout + probe.stderr  # no xdist; the installed copy

        project = root / "project"
        for name, text in PROJECT.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(text)
        own = _call([str(python), "-m", "pytest", "-rA"], project, 300)
        assert own.returncode == 0, own.stdout + own.stderr
        assert re.search(r"^plugins: .*\baccord-", own.stdout, re.M), own.stdout  # the plugin was loaded
        assert "2 passed" in own.stdout and "PluginValidationError" not in own.stdout + own.stderr

        run = _call([str(python), "-m", "pytest", "-rA", "--accord-family", "tensor", "--accord-adapter", "numpy",
                     "-k", "add"], project, 900)
        assert run.returncode == 0, run.stdout[-5000:] + run.stderr[-3000:]
        passed = re.findall(r"^PASSED (tensor\.\S+)", run.stdout, re.M)
        assert "tensor.add.values" in passed and "tensor.add.dtype" in passed, run.stdout[-5000:]
        assert len(passed) >= 10 and all("add" in name for name in passed), passed
        assert not re.search(r"\b\d+ (failed|error)", run.stdout), run.stdout[-3000:]
    assert not root.exists()
