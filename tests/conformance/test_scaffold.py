"""``accord new-adapter`` in-process: each family's package passes smoke as generated, and smoke
still catches a broken one; names, namespaces and folders are checked before anything is written.

The generated module is imported as ``<name>_accord:adapter`` with its folder on ``sys.path`` and
on the worker's ``PYTHONPATH`` (what ``pip install -e`` does, without installing; the venv test
in ``test_scaffold_venv.py`` installs it for real).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import re
import shutil
import subprocess
import sys

import pytest
from accord_testing import accord
from rich.console import Console

from accord.conformance.scaffold import ScaffoldError, fields, new_adapter, snippet_settings
from accord.conformance.smoke import smoke


@pytest.fixture
def scaffold(tmp_path, monkeypatch):
    """Generate a package and make its module importable here and in the worker."""
    made = []
    monkeypatch.chdir(tmp_path)  # hypothesis's example folder, if any, lands here

    def make(family, name, namespace=None, baseline=True):
        target, failures = new_adapter(family, name, namespace, tmp_path, baseline=baseline)
        monkeypatch.syspath_prepend(str(target))
        monkeypatch.setenv("PYTHONPATH", str(target))
        made.append(f"{name}_accord")
        return target, failures

    yield make
    for module in made:
        sys.modules.pop(module, None)
    shutil.rmtree(tmp_path / ".hypothesis", ignore_errors=True)


def run_smoke(module: str) -> tuple[bool, str]:
    console = Console(record=True, width=200, file=io.StringIO())
    ok = smoke(f"{module}:adapter", None, None, 30.0, console)
    return ok, console.export_text()


@pytest.mark.parametrize("family", ["pipeline", "faas"])
def test_pipeline_and_faas_packages_pass_smoke_as_generated_and_smoke_still_catches_a_broken_one(
        scaffold, family):
    target, failures = scaffold(family, f"my{family}")
    assert failures == []
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == [".github/workflows/accord.yml", "README.md", f"my{family}_accord.py", "pyproject.toml",
                     "tests/test_accord_smoke.py"]
    assert f'"{family}.my{family}" = "my{family}_accord:adapter"' in (target / "pyproject.toml").read_text()
    ok, text = run_smoke(f"my{family}_accord")
    assert ok, text
    assert f"my{family} ({family})" in text

    # the same package with its engine broken (pipeline: it does not come up; FaaS: the probes are
    # not where it says): smoke must say so
    module = target / f"my{family}_accord.py"
    source = module.read_text()
    broken = (source.replace('(import it here, lazily)."""', '(import it here, lazily)."""\n        raise RuntimeError("down")')
              if family == "pipeline" else
              source.replace('{name: f"{base}/{name}"', '{name: f"{base}/nothing-here/{name}"'))
    assert broken != source
    module.write_text(broken)
    sys.modules.pop(f"my{family}_accord", None)
    importlib.invalidate_caches()
    ok, text = run_smoke(f"my{family}_accord")
    assert not ok and "✗" in text, text


def test_tensor_package_on_the_standards_strict_namespace_declares_nothing(scaffold):
    target, failures = scaffold("tensor", "strictlib", "array_api_strict")
    assert failures == []
    source = (target / "strictlib_accord.py").read_text()
    assert 'snippet_header: ClassVar[str] = "import array_api_strict as xp"' in source
    assert "expected_failures=()," in source
    ok, text = run_smoke("strictlib_accord")
    assert ok, text


def test_tensor_package_on_numpy_declares_what_numpy_fails_and_then_passes_smoke(scaffold):
    target, failures = scaffold("tensor", "mylib", "numpy")
    # numpy's own argsort has no `descending` (the kit's numpy adapter shims it): a real deviation
    assert [rid for rid, _ in failures] == ["tensor.argsort.signature"]
    assert "descending" in failures[0][1]
    source = (target / "mylib_accord.py").read_text()
    assert "ExpectedFailure('tensor.argsort.signature', \"found by accord new-adapter: argsort:" in source
    assert 'backend_package="numpy"' in source and 'alias: ClassVar[str] = "np"' in source
    ok, text = run_smoke("mylib_accord")
    assert ok, text
    assert "tensor.argsort.signature → xfail" in text

    # without the baseline the same namespace fails smoke: the declaration is what made it pass
    plain, _ = scaffold("tensor", "plainlib", "numpy", baseline=False)
    assert "expected_failures=()," in (plain / "plainlib_accord.py").read_text()
    ok, text = run_smoke("plainlib_accord")
    assert not ok and "tensor.argsort.signature → fail" in text


def test_generated_packages_are_ruff_clean(tmp_path):
    for family, name, namespace in (("pipeline", "p", None), ("faas", "f", None), ("tensor", "t", "numpy")):
        new_adapter(family, name, namespace, tmp_path, baseline=False)
    ruff = shutil.which("ruff")
    assert ruff, "ruff is part of the test dependencies"
    result = subprocess.run([ruff, "check", "--no-cache", "--isolated", "--select", "E,F,W,I,UP,B",
                             "--line-length", "130", "--target-version", "py311", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("namespace", "expected"), [
    ("numpy", ("import numpy as np", "np")),
    ("jax.numpy", ("import jax.numpy as jnp", "jnp")),
    ("torch", ("import torch", "torch")),
    ("mylib.array_api", ("import mylib.array_api as array_api", "array_api")),
])
def test_snippet_header_and_alias_come_from_the_import_path(namespace, expected):
    assert snippet_settings(namespace) == expected


def test_tensor_fields_are_derived_from_the_namespace():
    values = fields("tensor", "my-lib", "array_api_strict")
    assert values["module"] == "my_lib_accord" and values["class_name"] == "MyLibAdapter"
    # the distribution (its version is what reports show), not the import name
    assert re.sub(r"[-_.]+", "-", values["backend_package"]).lower() == "array-api-strict"
    assert importlib.metadata.version(values["backend_package"])
    assert values["spec_version"] == "4.0"
    assert fields("tensor", "my-lib", None)["namespace"] == "my_lib"  # default: the name, as an import name


@pytest.mark.parametrize(("args", "message"), [
    (["--family", "tensor", "bad name"], "adapter name 'bad name'"),
    (["--family", "tensor", "numpy"], "tensor.numpy is already registered"),
    (["--family", "faas", "x", "--namespace", "numpy"], "--namespace applies to --family tensor only"),
    (["--family", "tensor", "x", "--namespace", "no.such_module_here"], "is not importable"),
    (["--family", "tensor", "x", "--namespace", "1bad"], "is not a Python import path"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    result = accord("new-adapter", *args, "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_adapter("pipeline", "mine", None, tmp_path)
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]
