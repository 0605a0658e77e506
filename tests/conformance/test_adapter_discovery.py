"""Adapters are found through the `accord.adapters` entry-point group — also one installed from a package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from accord_testing import HOSTILE, accord


def test_builtin_adapters_are_listed_with_usability() -> None:
    result = accord("adapters", "--json")
    assert result.returncode == 0, result.stderr
    infos = {i["entry_point"]: i for i in json.loads(result.stdout)}
    assert infos["tensor.numpy"]["usable"] is True
    assert infos["tensor.numpy"]["backend_version"]
    assert infos["tensor.reference"]["is_reference"] is True
    for info in infos.values():  # every unusable adapter says why in one line
        assert info["usable"] or (info["reason"] and "\n" not in info["reason"])


def test_adapter_installed_from_a_temporary_package(tmp_path: Path) -> None:
    package = tmp_path / "src"
    (package / "acme_accord").mkdir(parents=True)
    (package / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "acme-accord"
        version = "0.0.1"
        [project.entry-points."accord.adapters"]
        "tensor.acme" = "acme_accord:adapter"
        "tensor.acme-missing" = "acme_accord:adapter_needing_a_missing_backend"
    """))
    (package / "acme_accord" / "__init__.py").write_text(textwrap.dedent("""
        from typing import ClassVar
        from accord.adapters.base import AdapterMeta
        from accord.adapters.tensor.numpy_adapter import NumpyAdapter

        class Acme(NumpyAdapter):
            meta: ClassVar[AdapterMeta] = AdapterMeta(name="acme", family="tensor", backend_package="numpy",
                                                      requires=("numpy",))

        class NeedsMissing(NumpyAdapter):
            meta: ClassVar[AdapterMeta] = AdapterMeta(name="acme-missing", family="tensor",
                                                      backend_package="acme-engine", requires=("acme_engine",))

        adapter = Acme()
        adapter_needing_a_missing_backend = NeedsMissing()
    """))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(package)], check=True, capture_output=True, timeout=300)
    env = {"PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])}

    listed = accord("adapters", "--family", "tensor", "--json", env=env)
    infos = {i["entry_point"]: i for i in json.loads(listed.stdout)}
    assert infos["tensor.acme"]["usable"] is True
    assert infos["tensor.acme-missing"]["usable"] is False
    assert "acme_engine" in infos["tensor.acme-missing"]["reason"]

    report = tmp_path / "r.json"
    ran = accord("run", "--family", "tensor", "--adapter", "acme", "--select", "tensor.add.values",
                 "--max-examples", "10", "--report", str(report), env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    ran_report = json.loads(report.read_text())
    assert ran_report["adapter"]["name"] == "acme"
    # acme declares only tensor 1.0: without --spec-version it runs on 1.0, not on the newer 1.1
    assert ran_report["spec"]["version"] == "1.0"


def test_smoke_passes_for_numpy() -> None:
    result = accord("smoke", "--adapter", "numpy", "--family", "tensor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✗" not in result.stdout
    assert "satisfies TensorAdapter" in result.stdout


def test_smoke_names_what_is_wrong() -> None:
    result = accord("smoke", "--adapter", "misbehaving:fails_to_start", "--family", "tensor",
                    env={"PYTHONPATH": str(HOSTILE)})
    assert result.returncode == 1
    assert "✗ worker: adapter 'misbehaving:fails_to_start' could not start: cannot reach the accelerator" in result.stdout


def test_short_names_resolve_when_unambiguous() -> None:
    from accord.adapters.registry import AdapterNotFound, resolve

    assert resolve("numpy").meta.family == "tensor"  # as `accord smoke --adapter numpy` is typed
    try:
        resolve("reference")
    except AdapterNotFound as exc:
        assert "ambiguous: faas.reference, pipeline.reference, tensor.reference" in str(exc)
    else:
        raise AssertionError("a name three families share must not resolve silently")
