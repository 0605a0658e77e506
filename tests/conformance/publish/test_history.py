"""The history model (conformance/publish/history.py) from real reports of numpy at three releases.

The reports come from a real ``accord plan run`` (conftest ``history_cells``): the verdicts and findings
asserted here are what numpy 1.26.4, 2.0.2 and 2.2.6 really did, cross-checked against the reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from accord_testing.history_fixtures import CHANGING, RELEASES, STEADY
from accord_testing.runners import run_matrix

from accord.conformance.publish.history import older_releases, spans, verdict_steps
from accord.conformance.publish.jsonout import validate_matrix


@pytest.fixture(scope="module")
def site(history_cells: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("history-site")
    code, stdout, stderr = run_matrix(str(history_cells), "--out", str(out))
    assert code == 0, stderr
    assert "3 reports (3 backend runs)" in stdout
    return out


def _reports(cells: Path) -> dict[str, dict]:
    """backend release → its report, read straight from the plan's cells."""
    found = {}
    for path in cells.glob("*.json"):
        data = json.loads(path.read_text())
        found[data["adapter"]["backend"]["version"]] = data
    return found


def _numpy(site: Path) -> dict:
    model = json.loads((site / "matrix.json").read_text())
    assert validate_matrix(model) == []
    item = next(h for h in model["history"] if h["family"] == "tensor" and h["adapter"] == "numpy")
    assert len(item["spec_versions"]) == 1
    return item["spec_versions"][0]


@pytest.mark.slow
def test_verdicts_per_release_and_the_first_release_of_each_change(site: Path, history_cells: Path) -> None:
    history = _numpy(site)
    assert [r["version"] for r in history["releases"]] == RELEASES  # packaging order, not file order
    assert history["spec_version"] == "1.1" and not any(r["broken"] for r in history["releases"])
    reports = _reports(history_cells)
    for rid, row in history["verdicts"].items():  # each verdict is the report's own status at that release
        assert row == [next(r["status"] for r in reports[v]["requirements"] if r["id"] == rid) for v in RELEASES]
    for rid in CHANGING:  # numpy added cumulative_sum in 2.1
        assert history["verdicts"][rid] == ["fail", "fail", "pass"]
    for rid in STEADY:
        assert history["verdicts"][rid] == ["pass", "pass", "pass"]
    changes = {c["requirement"]: c["steps"] for c in history["changes"]}
    assert sorted(changes) == sorted(CHANGING)
    for steps in changes.values():
        assert steps == [{"release": "2.2.6", "from": "fail", "from_release": "2.0.2", "to": "pass",
                          "direction": "improved"}]


@pytest.mark.slow
def test_findings_timeline_uses_the_reports_finding_ids(site: Path, history_cells: Path) -> None:
    history = _numpy(site)
    reports = _reports(history_cells)
    oldest = {f["id"] for f in reports["1.26.4"]["findings"]}
    assert oldest and oldest == {f["id"] for f in reports["2.0.2"]["findings"]}  # stable ids across releases
    assert reports["2.2.6"]["findings"] == []
    timeline = {f["id"]: f for f in history["findings"]}
    assert set(timeline) == oldest
    for f in timeline.values():
        assert (f["appeared"], f["disappeared"]) == ("1.26.4", "2.2.6")
        assert f["presence"] == ["present", "present", "absent"]
        assert f["spans"] == [{"from": "1.26.4", "until": "2.2.6"}]
        assert set(f["requirements"]) <= set(CHANGING) and f["cause"] == "backend"


@pytest.mark.slow
def test_main_matrix_shows_the_newest_release_and_markdown_the_changes(site: Path) -> None:
    model = json.loads((site / "matrix.json").read_text())
    tensor = model["families"][0]
    assert [c["id"] for c in tensor["columns"]] == [f"tensor:1.1:numpy@{v}" for v in RELEASES]  # all kept in JSON
    assert older_releases(tensor) == {f"tensor:1.1:numpy@{v}": "tensor:1.1:numpy@2.2.6" for v in RELEASES[:2]}
    md = (site / "matrix.md").read_text()
    assert "| capability | numpy@2.2.6 (spec 1.1) |" in md and "numpy@1.26.4 (spec 1.1) |" not in md
    assert "older releases (numpy@1.26.4, numpy@2.0.2)" in md
    assert "### History: numpy (spec 1.1), releases 1.26.4 → 2.0.2 → 2.2.6" in md
    assert "| tensor.cumulative\\_sum.values | ❌ fail | ❌ fail | ✅ pass |" in md
    assert "tensor.add.values |" not in md.split("### History")[1]  # unchanged: not in the short table
    assert "appeared in 1.26.4, gone in 2.2.6" in md


@pytest.mark.slow
def test_one_release_has_no_history(history_cells: Path, tmp_path: Path) -> None:
    code, _, stderr = run_matrix(str(next(history_cells.glob("*2.2.6*.json"))), "--out", str(tmp_path / "site"))
    assert code == 0, stderr
    model = json.loads((tmp_path / "site" / "matrix.json").read_text())
    assert all("spec_versions" not in h for h in model["history"])
    assert "### History" not in (tmp_path / "site" / "matrix.md").read_text()
    page = (tmp_path / "site" / "index.html").read_text()
    assert 'id="history"' not in page and 'id="all-releases"' not in page


def test_a_release_that_did_not_run_or_broke_neither_starts_nor_ends_a_change() -> None:
    versions = ["1", "2", "3", "4", "5"]
    steps = verdict_steps(versions, ["fail", "not-run", "error", "pass", "absent"], [False, False, True, False, False])
    assert steps == [{"release": "4", "from": "fail", "from_release": "1", "to": "pass", "direction": "improved"}]
    assert verdict_steps(versions[:3], ["pass", "xfail", "not-claimed"], [False] * 3) == [
        {"release": "2", "from": "pass", "from_release": "1", "to": "xfail", "direction": "regressed"},
        {"release": "3", "from": "xfail", "from_release": "2", "to": "not-claimed", "direction": "changed"}]


def test_a_finding_that_returns_has_two_spans_and_unknown_releases_do_not_close_one() -> None:
    versions = ["1", "2", "3", "4", "5"]
    assert spans(versions, ["present", "unknown", "absent", "present", "unknown"]) == [
        {"from": "1", "until": "3"}, {"from": "4", "until": None}]
    assert spans(versions, ["absent", "present", "unknown", "unknown", "present"]) == [{"from": "2", "until": None}]
