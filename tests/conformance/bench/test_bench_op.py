"""The worker's bench op, in-process: recipes drawn alike everywhere, calibrated batches, the reference answers too."""

from __future__ import annotations

import numpy as np

from accord.adapters.tensor import bench_op
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.reference_adapter import ReferenceAdapter
from accord.conformance.families.tensor import oracle

FILL = {"$fill": {"dtype": "float64", "shape": [50], "fill": {"uniform": [0.1, 0.9]}, "seed": 7}}
SOFTMAXISH = {"inputs": {"x": FILL}, "result": "r", "steps": [
    {"let": "m", "fn": "max", "args": [{"$ref": "x"}], "kwargs": {"axis": -1, "keepdims": True}},
    {"let": "d", "fn": "subtract", "args": [{"$ref": "x"}, {"$ref": "m"}]},
    {"let": "r", "fn": "exp", "args": [{"$ref": "d"}]}]}


def test_a_recipe_is_drawn_the_same_in_every_worker_and_stays_in_its_domain() -> None:
    body = FILL["$fill"]
    assert bench_op.draw(body) == bench_op.draw(dict(body))
    values = np.frombuffer(bench_op.draw(body), dtype="<f8")
    assert values.min() >= 0.1 and values.max() < 0.9
    dominant = {"dtype": "float64", "shape": [4, 4], "fill": {"uniform": [0.1, 0.9], "diagonal": True}, "seed": 1}
    m = np.frombuffer(bench_op.draw(dominant), dtype="<f8").reshape(4, 4)
    assert np.allclose(m, m.T) and np.all(np.linalg.eigvalsh(m) > 0)


def test_calibration_reaches_the_target_and_the_answer_matches_the_reference() -> None:
    adapter = NumpyAdapter()
    adapter.start()
    # the CPU clock, as the tensor bench times: a batch preempted during calibration (wall time) would leave
    # the later batches short of the target on a busy machine
    out = adapter.invoke("bench", {**SOFTMAXISH, "number": 0, "repeat": 2, "target_ns": 1_000_000, "answer": True,
                                   "clock": "cpu"})
    assert out["number"] >= 1 and len(out["batches_ns"]) == 2
    assert min(out["batches_ns"]) >= 0.5 * 1_000_000
    reference = ReferenceAdapter()
    reference.start()
    expected = reference.invoke("bench", {**SOFTMAXISH, "number": 1, "repeat": 0, "answer": True})
    assert np.allclose(oracle.decode(expected["value"]), oracle.decode(out["value"]), rtol=1e-12)


def test_probe_lists_thread_pools() -> None:
    adapter = NumpyAdapter()
    adapter.start()
    assert isinstance(adapter.invoke("bench", {"probe": True})["threads"], list)


def test_a_warm_round_runs_once_untimed_before_its_batches() -> None:
    adapter = NumpyAdapter()
    adapter.start()
    calls = []
    real = adapter.function

    def counting(name: str):  # every call of the workload's function, timed or not
        fn = real(name)
        return lambda *a, **k: (calls.append(name), fn(*a, **k))[1]

    adapter.function = counting
    one = {"inputs": {"x": FILL}, "result": "r", "steps": [{"let": "r", "fn": "exp", "args": [{"$ref": "x"}]}]}
    adapter.invoke("bench", {**one, "number": 3, "repeat": 2})
    assert len(calls) == 6
    calls.clear()
    adapter.invoke("bench", {**one, "number": 3, "repeat": 2, "warm": True})
    assert len(calls) == 7
    # the tensor family asks for it on every timed round, not on a calibration (which warms up itself)
    from accord.conformance.bench.tensor import TensorBench
    from accord.conformance.bench.workloads import Workload

    w = Workload("tensor.bench.exp.50", "exp", "50", (50,), False, "exp", one)
    assert TensorBench().timing_args(w, 3, 1, 1)[1]["warm"] is True
    assert TensorBench().timing_args(w, 0, 1, 1)[1]["warm"] is False
