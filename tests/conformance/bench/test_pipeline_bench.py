"""accord bench for the pipeline family: the Nexmark-style workloads, the check against the reference, the report.

The queries run on small streams here (a sizes override, or ``--select`` of one 10⁵ workload with one
round), so each test takes seconds.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from accord_testing import TESTS_ENV, accord

from accord.adapters.procs import descendants
from accord.conformance.bench import pipeline as pbench
from accord.conformance.bench import report
from accord.conformance.bench.measure import Runner
from accord.conformance.client import BackendClient
from accord.spec import load_spec

#: the workers find the test backends (pipeline_bench_adapters.py) in this folder
ENV = {**TESTS_ENV, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent), TESTS_ENV["PYTHONPATH"]])}
DROPS = "pipeline_bench_adapters:drops_one"
CRASHES = "pipeline_bench_adapters:crashes_when_timed"


@pytest.fixture(scope="module")
def spec():
    return load_spec("pipeline", "draft")


def test_the_spec_data_expands_into_the_workloads_the_issue_names(spec) -> None:
    family = pbench.PipelineBench()
    workloads = family.workloads(spec, 1)
    queries = ["q1_currency", "q2_selection", "bids_per_auction", "fixed_windows", "session_windows", "q3_join",
               "top_bids"]
    # size by size, the rounds of all queries at one size interleaved
    assert [w.id for w in workloads] == [f"pipeline.bench.{q}.{s}" for s in ("1e5", "1e6") for q in queries]
    assert family.spread == len(queries)
    assert {w.args["events"] for w in workloads} == {10**5, 10**6}
    bench = pbench.bench_document(spec, "pipeline")
    graphs = {q["name"]: pbench.graph(bench, q, "/data/events.jsonl") for q in bench["queries"]}
    used = {name: {(n["transform"], json.dumps(n.get("params", {}).get("windowfn", {}).get("type"))) for n in g["nodes"]}
            for name, g in graphs.items()}
    # filter/map, keyed aggregation, fixed and session windows, a join, top-k: the issue's list
    assert {("filter", "null"), ("map", "null")} <= used["q2_selection"]
    assert ("combine_per_key", "null") in used["bids_per_auction"]
    assert ("window_into", '"fixed"') in used["fixed_windows"] and ("window_into", '"sessions"') in used["session_windows"]
    assert ("co_group_by_key", "null") in used["q3_join"]
    assert ("top_per_key", "null") in used["top_bids"]
    for g in graphs.values():  # every query reads the file the bench writes, with the graph vocabulary's read_text
        assert g["nodes"][0] == {"id": "lines", "transform": "read_text", "params": {"path": "/data/events.jsonl"}}


def test_a_query_the_graph_validator_refuses_is_named(spec) -> None:
    data = copy.deepcopy(pbench.bench_document(spec, "pipeline"))
    data["queries"][1]["nodes"][0]["params"]["fn"]["name"] = "no_such_function"
    fake = SimpleNamespace(version="draft", documents=[SimpleNamespace(kind="pipeline.bench", data=data)])
    with pytest.raises(pbench.BenchSpecError, match="q2_selection.*no_such_function"):
        pbench.expand(fake)


def test_the_event_stream_is_seeded_and_nexmark_shaped(spec) -> None:
    stream = pbench.bench_document(spec, "pipeline")["stream"]
    events = pbench.events(stream, 5000, seed=1)
    assert events == pbench.events(stream, 5000, seed=1) != pbench.events(stream, 5000, seed=2)
    kinds = [e[0] for e in events]
    assert (kinds.count("P"), kinds.count("A"), kinds.count("B")) == (100, 300, 4600)  # 1 : 3 : 46
    persons = auctions = 0
    for i, e in enumerate(events):
        assert e[-1] == i * stream["spacing_us"]  # event time
        if e[0] == "P":
            persons += 1
        elif e[0] == "A":
            assert 0 <= e[2] < persons  # the seller exists
            auctions += 1
        else:
            assert 0 <= e[1] < auctions and 0 <= e[2] < persons  # the auction and the bidder exist


def test_a_wrong_or_crashing_backend_gets_its_finding_and_no_time_and_nothing_is_left(spec) -> None:
    family = pbench.PipelineBench(sizes=(3000,), sample_size=400)
    workloads = [w for w in family.workloads(spec, 1) if w.function in ("q2_selection", "session_windows")]
    clients = {name: BackendClient(name, "pipeline", env=ENV, timeout=60, validate=True)
               for name in ("reference", DROPS, CRASHES)}
    try:
        hellos = {name: client.start() for name, client in clients.items()}
        results = Runner(family, clients, rounds=2, seed=1).run(workloads)
        folder = family._folder
        assert folder is not None and sorted(os.listdir(folder)) == ["events-3000.jsonl", "events-400.jsonl"]
    finally:
        for client in clients.values():
            client.close()
        family.close()
    for w in workloads:
        ref, wrong, crashed = (results[w.id][n] for n in ("reference", DROPS, CRASHES))
        assert ref.status == "timed" and len(ref.rounds_ns) == 2 and ref.median_ns > 0
        assert wrong.status == "wrong" and not wrong.rounds_ns
        assert "400-event sample" in wrong.finding and "missing" in wrong.finding
        assert crashed.status == "crashed" and not crashed.rounds_ns and crashed.finding  # checked right, died timed
    entries = [{"name": n, "version": "test", "python": h["python"], "threads": [], "status": "ok"}
               for n, h in hellos.items()]
    data = report.build("pipeline", spec, 1, 2, "reference", family.timing, {"clock": "wall", "threads": None},
                        {"cpu": "test", "cores": 1, "load_before": [0, 0, 0], "load_after": [0, 0, 0], "python": "3"},
                        entries, workloads, results)
    assert report.problems(data) == []
    cells = {w["id"]: w["results"] for w in data["workloads"]}
    assert all("median_ns" not in c[DROPS] and "ratio" not in c[DROPS] for c in cells.values())
    assert all(c["reference"]["ratio"] == 1.0 for c in cells.values())
    assert not os.path.exists(folder)  # the events files are gone
    assert descendants(os.getpid()) == []  # no worker (nor an engine it started) is left


def test_accord_bench_pipeline_command_leaves_no_temp_file(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    path = tmp_path / "bench.json"
    result = accord("bench", "-f", "pipeline", "-a", "reference", "-a", DROPS, "--select",
                    "pipeline.bench.q2_selection.1e5", "--rounds", "1", "--report", str(path),
                    env={**ENV, "TMPDIR": str(scratch), "ACCORD_VALIDATE_PROTOCOL": "1"})
    assert result.returncode == 0, result.stderr
    data = report.load(path)
    assert data["family"] == "pipeline" and data["baseline"] == "reference"
    assert "inside the worker" in data["timing"]
    (cells,) = [w["results"] for w in data["workloads"]]
    assert cells["reference"]["status"] == "timed" and len(cells["reference"]["rounds_ns"]) == 1
    assert cells[DROPS]["status"] == "wrong" and "median_ns" not in cells[DROPS]
    assert list(scratch.iterdir()) == []  # the 10⁵-event file and the sample's were removed
