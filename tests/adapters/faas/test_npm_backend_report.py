"""A report of a host whose backend is an npm package (serverless-offline) is a valid report.

The adapter metadata names the npm package, its registry and the Serverless Framework version it
runs with; a report carrying them must load (release evidence, publishing), not be refused.
"""

from __future__ import annotations

from pathlib import Path

from accord.adapters.faas.serverless_offline_adapter import adapter
from accord.conformance.report import Report, load_report
from accord.spec import load_spec


def test_a_serverless_offline_report_loads(tmp_path: Path) -> None:
    spec = load_spec("faas", "1.0")
    path = tmp_path / "report.json"
    report = Report(path, spec, list(spec.requirements)[:2], {"seed": 1, "max_examples": 5, "timeout": 30.0},
                    "serverless-offline")
    meta = adapter.meta.to_json()
    report.set_adapter(meta, "3.11")
    report.finish("complete")
    data = load_report(path)
    backend = data["adapter"]["backend"]
    assert backend["package"] == "serverless-offline" and backend["registry"] == "npm"
    assert "serverless" in backend["components"]
