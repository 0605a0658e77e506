"""Tensor backends that hang, die, flood, answer garbage or at random, raise the unprintable or leak
children: each is a recorded result, a valid report, a kit of bounded size, and no process left.

Each adapter misbehaves on ``add`` only (numpy otherwise): ``tensor.add.values`` records the
misbehaviour, ``tensor.subtract.values`` passing after it shows the run went on with a fresh worker.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import Traces, check_bounded, run_case

SELECT = ["tensor.add.values", "tensor.subtract.values"]

CASES = [
    # adapter, status of tensor.add.values, words its record holds
    ("misbehaving:hangs", "timeout", "no answer within 3 s"),
    ("misbehaving:segfaults", "crashed", "SIGSEGV"),
    ("misbehaving:exits", "crashed", "exited with status 3"),
    ("misbehaving:oom", "crashed", "SIGKILL"),
    ("misbehaving:floods_stdout", "error", "over the protocol's limit"),
    ("misbehaving:floods_stale_answers", "error", "earlier requests"),
    ("misbehaving:floods_stderr", "crashed", "the last words"),
    ("misbehaving:wrong_type", "fail", "definitely not an array"),
    ("misbehaving:not_json", "error", "not JSON"),
    ("misbehaving:raises", "fail", "backend exploded"),
    ("hostile_answers:raises_unprintable", "fail", "<unprintable Unprintable>"),
    ("hostile_answers:huge", "error", "over the protocol's limit of"),
    ("accord_testing.wrong_add:random_add", "fail", '"reproduced": false'),
    ("misbehaving:leaks_child", "pass", ""),
    ("misbehaving:leaks_detached", "pass", ""),
    ("misbehaving:leaks_scrubbed", "pass", ""),
    ("misbehaving:forks_and_dies", "crashed", "kept its output open"),
    ("misbehaving:detaches_and_dies", "crashed", "exited with status 3"),
]
LEAKS = {"leaks_child", "leaks_detached", "leaks_scrubbed", "forks_and_dies", "detaches_and_dies"}


@pytest.mark.parametrize(("adapter", "status", "words"), CASES, ids=[c[0].split(":")[1] for c in CASES])
def test_a_hostile_tensor_backend_is_recorded_and_leaves_nothing(
        adapter: str, status: str, words: str, traces: Traces, tmp_path: Path) -> None:
    outcome = run_case("tensor", adapter, SELECT, tmp_path, spec_version="1.1", hangs=status == "timeout")
    add = outcome.by_id["tensor.add.values"]
    assert add["status"] == status, add
    assert outcome.exit_code == (0 if status == "pass" else 1)
    assert words in json.dumps(add), add
    assert outcome.by_id["tensor.subtract.values"]["status"] == "pass", outcome.by_id["tensor.subtract.values"]
    assert outcome.report["state"] == "complete"
    check_bounded(outcome)
    if adapter.split(":")[1] in LEAKS:
        assert traces.recorded(), "the adapter leaked nothing: the case proves nothing"
    assert traces.left() == []


def test_describe_never_raises() -> None:
    """What the worker sends for an exception whose ``str()`` and ``repr()`` raise, or that is huge."""
    from hostile_answers import Unprintable

    from accord.conformance.worker import describe

    assert describe(Unprintable()) == "<unprintable Unprintable>"
    assert describe(ValueError("x" * 10_000)).endswith("(10000 characters)")
