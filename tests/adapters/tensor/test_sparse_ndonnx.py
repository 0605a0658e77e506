"""pydata/sparse and ndonnx: every deviation their adapters declare as expected is still there.

Runs the declared requirements on the real libraries with another seed than the one the list was
made from, so a declaration that no longer fails (sparse fixed it, or the suite stopped finding it)
shows here as ``xpass`` instead of hiding in a published matrix.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from accord_testing import accord

CASES = [("sparse", ("sparse",)), ("ndonnx", ("ndonnx", "onnxruntime"))]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "modules"), CASES, ids=[c[0] for c in CASES])
def test_declared_expected_failures_all_still_fail(name: str, modules: tuple[str, ...], tmp_path: Path) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (pip install -e '.[{name}]')")
    adapter = importlib.import_module(f"accord.adapters.tensor.{name}_adapter").adapter
    declared = [e.id for e in adapter.meta.expected_failures]
    assert len(declared) >= 20, declared  # the libraries' known gaps, not an empty list that passes trivially
    report = tmp_path / "report.json"
    done = accord("run", "-f", "tensor", "-a", name, "--seed", "3", "--max-examples", "25",
                  "--select", ",".join(declared), "--report", str(report), cwd=tmp_path, timeout=1200)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    entries = json.loads(report.read_text())["requirements"]
    statuses = {e["id"]: e["status"] for e in entries if e["status"] not in ("not-claimed", "not-applicable")}
    assert statuses, "the declared ids selected nothing"
    assert {i: s for i, s in statuses.items() if s != "xfail"} == {}
