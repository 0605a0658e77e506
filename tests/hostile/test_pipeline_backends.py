"""Pipeline backends that hang, die, flood, answer garbage or at random, raise the unprintable or leak
children: each is a recorded result, a valid report, a kit of bounded size, and no process left.

Each adapter is the reference runner, hostile on pipelines with a ``filter`` step only:
``pipeline.filter.values`` records the misbehaviour, ``pipeline.map.example`` passing after it
shows the run went on with a fresh worker.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import Traces, check_bounded, run_case

SELECT = ["pipeline.filter.values", "pipeline.map.example"]

CASES = [
    # adapter (in hostile_pipeline), status of pipeline.filter.values, words its record holds
    ("hangs", "timeout", "no answer within 3 s to invoke run"),
    ("segfaults", "crashed", "SIGSEGV"),
    ("exits", "crashed", "exited with status 3"),
    ("floods_stdout", "error", "over the protocol's limit"),
    ("floods_stderr", "crashed", "the last words"),
    ("garbage", "fail", "malformed result"),
    ("not_json", "error", "not JSON"),
    ("raises_unprintable", "fail", "<unprintable Unprintable>"),
    ("random_answers", "fail", '"reproduced": false'),
    ("leaks_child", "pass", ""),
    ("leaks_detached", "pass", ""),
    ("detaches_and_dies", "crashed", "exited with status 3"),
]
LEAKS = {"leaks_child", "leaks_detached", "detaches_and_dies"}


@pytest.mark.parametrize(("adapter", "status", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_pipeline_backend_is_recorded_and_leaves_nothing(
        adapter: str, status: str, words: str, traces: Traces, tmp_path: Path) -> None:
    outcome = run_case("pipeline", f"hostile_pipeline:{adapter}", SELECT, tmp_path, spec_version="1.1",
                       hangs=status == "timeout")
    entry = outcome.by_id["pipeline.filter.values"]
    assert entry["status"] == status, entry
    assert outcome.exit_code == (0 if status == "pass" else 1)
    assert words in json.dumps(entry), entry
    assert outcome.by_id["pipeline.map.example"]["status"] == "pass", outcome.by_id["pipeline.map.example"]
    assert outcome.report["state"] == "complete"
    check_bounded(outcome)
    if adapter in LEAKS:
        assert traces.recorded(), "the adapter leaked nothing: the case proves nothing"
    assert traces.left() == []
