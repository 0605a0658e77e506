"""accord bench for the FaaS family: the spec data's workloads, the check against the reference, the report.

One small end-to-end run (functions-framework and three misbehaving test backends: wrong but fast, crashing
and hanging under load; three workloads, 2 rounds, a 10 s timeout) is shared by the tests that need one; the
rest work in-process on the spec data.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from accord_testing import TESTS_ENV, accord

from accord.conformance.bench import report
from accord.conformance.bench.faas import BenchSpecError, FaasBench, body_bytes, expand, judge, requirement
from accord.spec import load_spec
from accord.spec.model import thaw

#: the workers find the test backend (faas_bench_adapters.py) in this folder
ENV = {**TESTS_ENV, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent), TESTS_ENV["PYTHONPATH"]])}
WRONG = "faas_bench_adapters:wrong_fast_echo"
CRASHES = "faas_bench_adapters:crashes_under_load"
HANGS = "faas_bench_adapters:hangs_under_load"
SELECT = "faas.bench.echo_latency.*,faas.bench.cloudevent.*,faas.bench.cold_start.*"
MARK = "ACCORD_TEST_FAAS_BENCH_MARK"


@pytest.fixture(scope="module")
def spec() -> Any:
    return load_spec("faas", "draft")


def test_the_spec_data_expands_into_the_workloads_the_issue_names(spec: Any) -> None:
    workloads = {w.id: w for w in expand(spec)}
    assert list(workloads) == ["faas.bench.echo_latency.seq", "faas.bench.echo_throughput.c1",
                               "faas.bench.echo_throughput.c8", "faas.bench.cloudevent.binary",
                               "faas.bench.cold_start.deploy"]
    latency, c1, c8 = (workloads[f"faas.bench.{n}"] for n in ("echo_latency.seq", "echo_throughput.c1",
                                                               "echo_throughput.c8"))
    assert latency.args["mode"] == "sequential" and latency.args["probe"] == "echo"
    assert (c1.args["mode"], c1.args["connections"], c8.args["connections"]) == ("concurrent", 1, 8)
    assert c1.group == c8.group  # one check for both connection counts
    event = workloads["faas.bench.cloudevent.binary"].args
    headers = {k.lower(): v for k, v in event["request"]["headers"]}
    assert event["probe"] == "event-echo"
    assert {"ce-specversion", "ce-id", "ce-source", "ce-type"} <= set(headers)  # binary mode: attributes as ce-*
    assert workloads["faas.bench.cold_start.deploy"].args["mode"] == "cold-start"
    for w in workloads.values():  # every workload calls a deployed probe and is judged by an http rule
        assert w.args["probe"] in w.args["deploy"]["probes"]
        assert base64.b64decode(w.args["request"]["body_base64"])
    assert len(base64.b64decode(latency.args["request"]["body_base64"])) == 1024
    family = FaasBench()
    family.workloads(spec, 1)
    # the document asks for 5 rounds whatever the cell budget gives (a deployment per round takes seconds)
    assert family.least_rounds(workloads["faas.bench.cold_start.deploy"]) == 5 == family.least_rounds(latency)


def _with_workload(spec: Any, **changes: Any) -> SimpleNamespace:
    data = thaw(next(d for d in spec.documents if d.kind == "faas.bench").data)
    data["workloads"][0].update(changes)
    return SimpleNamespace(version=spec.version, requirements=spec.requirements,
                           documents=[SimpleNamespace(kind="faas.bench", data=data)])


def test_a_workload_naming_an_undeployed_probe_or_an_unknown_rule_is_refused(spec: Any) -> None:
    with pytest.raises(BenchSpecError, match="does not deploy"):
        expand(_with_workload(spec, probe="inspect"))
    with pytest.raises(BenchSpecError, match="no requirement"):
        expand(_with_workload(spec, judged_by="faas.handler.no-such-requirement"))


def _answer(status: int, body: bytes, *headers: tuple[str, str]) -> dict[str, Any]:
    return {"status": status, "headers": [list(h) for h in headers], "body_base64": base64.b64encode(body).decode()}


def test_the_judge_applies_the_named_requirement_s_rule(spec: Any) -> None:
    w = next(w for w in expand(spec) if w.id == "faas.bench.echo_latency.seq")
    rule = requirement(spec, "faas.handler.round-trip")
    body = body_bytes({"octets": 1024})
    ok = _answer(200, body, ("content-type", "application/octet-stream"))
    assert judge(rule, w.args["request"], "echo", ok, ok) is None
    assert "body differs" in judge(rule, w.args["request"], "echo", ok,
                                   _answer(200, body[:-1], ("content-type", "application/octet-stream")))
    assert "status 500" in judge(rule, w.args["request"], "echo", ok, _answer(500, body))
    assert "Content-Type" in judge(rule, w.args["request"], "echo", ok,
                                   _answer(200, body, ("content-type", "text/plain")))


# ---------------------------------------------------------------- one small run, end to end


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """functions-framework and the test backends on three workloads, in a private TMPDIR, marked."""
    tmp = tmp_path_factory.mktemp("faas-bench")
    scratch = tmp / "tmp"
    scratch.mkdir()
    mark = uuid.uuid4().hex
    path = tmp / "faas.json"
    result = accord("bench", "-f", "faas", "-a", "functions-framework", "-a", WRONG, "-a", CRASHES, "-a", HANGS,
                    "--select", SELECT, "--rounds", "2", "--timeout", "10", "--report", str(path),
                    env={**ENV, "TMPDIR": str(scratch), MARK: mark}, timeout=300)
    return SimpleNamespace(result=result, path=path, scratch=scratch, mark=mark)


def _cells(data: dict[str, Any], backend: str) -> dict[str, dict[str, Any]]:
    return {w["id"]: w["results"][backend] for w in data["workloads"]}


def test_the_run_completes_and_its_report_validates(run: SimpleNamespace) -> None:
    assert run.result.returncode == 0, run.result.stderr
    data = json.loads(run.path.read_text())
    assert report.problems(data) == []
    assert report.load(run.path)["family"] == "faas"
    assert data["baseline"] == "functions-framework"
    assert data["workers"] == 1  # one deployment per backend
    allowed = os.sched_getaffinity(0)
    if len(allowed) > 1:  # the load generator (the worker) on one CPU, the hosts it deploys on the others
        assert data["affinity"] == [min(allowed)] and data["host_affinity"] == sorted(allowed - {min(allowed)})
    assert "inside the worker" in data["timing"]
    assert [w["id"] for w in data["workloads"]] == ["faas.bench.echo_latency.seq", "faas.bench.cloudevent.binary",
                                                    "faas.bench.cold_start.deploy"]


def test_the_baseline_is_timed_with_percentiles_and_rate(run: SimpleNamespace) -> None:
    cells = _cells(json.loads(run.path.read_text()), "functions-framework")
    assert {c["status"] for c in cells.values()} == {"timed"}, cells
    for wid, cell in cells.items():
        assert len(cell["rounds_ns"]) == 2 and cell["ratio"] == 1.0 and cell["median_ns"] > 0
        if "cold_start" in wid:
            assert "extra" not in cell and cell["median_ns"] > 1e8  # a deployment takes well over 0.1 s
        else:
            extra = cell["extra"]
            assert 0 < extra["p50_ns"] <= extra["p99_ns"] and extra["requests_per_s"] > 0


def test_a_wrong_but_fast_backend_gets_its_finding_and_no_time(run: SimpleNamespace) -> None:
    cells = _cells(json.loads(run.path.read_text()), WRONG)
    assert {c["status"] for c in cells.values()} == {"wrong"}, cells
    for cell in cells.values():
        assert not {"median_ns", "iqr_ns", "rounds_ns", "ratio", "extra"} & set(cell)
    assert "faas.handler.round-trip" in cells["faas.bench.echo_latency.seq"]["finding"]
    assert "body differs (1023 bytes, expected 1024)" in cells["faas.bench.echo_latency.seq"]["finding"]
    assert "extension attributes" in cells["faas.bench.cloudevent.binary"]["finding"]
    assert "faas.lifecycle.cold-start" in cells["faas.bench.cold_start.deploy"]["finding"]


def test_a_host_that_crashes_or_hangs_under_load_is_a_finding_not_a_crash_of_the_kit(run: SimpleNamespace) -> None:
    assert run.result.returncode == 0, run.result.stderr
    data = json.loads(run.path.read_text())
    for backend, status, says in ((CRASHES, "error", "failed under load"), (HANGS, "timeout", "")):
        cells = _cells(data, backend)
        for wid in ("faas.bench.echo_latency.seq", "faas.bench.cloudevent.binary"):  # checked fine, then failed
            assert cells[wid]["status"] == status, (backend, wid, cells[wid])
            assert says in cells[wid]["finding"] and "median_ns" not in cells[wid]
        # each cold start is a fresh host that answers its first request: timed, after the failures
        assert cells["faas.bench.cold_start.deploy"]["status"] == "timed", cells["faas.bench.cold_start.deploy"]


def _marked(mark: str) -> list[int]:
    """Processes whose environment carries the run's mark (every worker, supervisor and host inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if f"{MARK}={mark}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_no_process_or_temp_file_is_left(run: SimpleNamespace) -> None:
    assert run.result.returncode == 0, run.result.stderr
    assert sorted(p.name for p in run.scratch.iterdir()) == []
    assert _marked(run.mark) == []


def test_the_load_generator_and_the_hosts_get_cpus_of_their_own(spec: Any) -> None:
    family = FaasBench()
    workload = family.workloads(spec, 1)[0]
    assert family.auto_affinity(frozenset({0, 1, 2}), None) == frozenset({0}) and family.host_cpus == [1, 2]
    assert family.timing_args(workload, 5, 1, 1)[1]["host_cpus"] == [1, 2]
    assert family.auto_affinity(frozenset({3}), None) is None and "host_cpus" not in family.timing_args(workload, 5, 1, 1)[1]
