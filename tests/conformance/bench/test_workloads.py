"""The tensor bench document: every function of the spec is timed or excluded with a reason."""

from __future__ import annotations

import copy

import pytest

from accord.conformance.bench.tensor import BenchSpecError, bench_document, expand, functions
from accord.conformance.bench.workloads import select, size_label
from accord.spec import load_spec


@pytest.fixture(scope="module")
def spec():
    return load_spec("tensor", "draft")


def test_every_function_is_benchmarked_or_excluded_with_a_reason(spec) -> None:
    bench = bench_document(spec, "tensor")
    timed = {w.function for w in expand(spec) if not w.composite}
    for name in functions(spec):
        assert (name in timed) != (name in bench["excluded"]), name
    assert all(reason.strip() for reason in bench["excluded"].values())
    assert set(bench["excluded"]) <= set(functions(spec))  # no stale exclusion
    assert set(bench["overrides"]) - set(functions(spec)) <= {
        n for n in bench["overrides"] if n.startswith(("linalg.", "fft."))}  # extensions may still be drafted


def test_workload_ids_are_unique_and_stable(spec) -> None:
    workloads = expand(spec, seed=1)
    ids = [w.id for w in workloads]
    assert len(ids) == len(set(ids))
    assert {"tensor.bench.add.1e6", "tensor.bench.matmul.1000x1000", "tensor.bench.sort.100x100",
            "tensor.bench.softmax.1000x1000", "tensor.bench.pairwise_distance.100x8"} <= set(ids)
    assert [w.args for w in expand(spec, seed=1)] == [w.args for w in workloads]
    assert size_label((1000000,)) == "1e6" and size_label((300,)) == "300" and size_label((3, 4)) == "3x4"
    assert [w.id for w in select(workloads, ["tensor.bench.add.*"])] == [
        "tensor.bench.add.1e2", "tensor.bench.add.1e4", "tensor.bench.add.1e6"]


def test_a_function_the_default_cannot_call_needs_an_override(spec) -> None:
    bench = bench_document(spec, "tensor")
    doc = copy.deepcopy(functions(spec)["reshape"])
    from accord.conformance.bench.tensor import default_args

    with pytest.raises(BenchSpecError, match="reshape's parameter shape"):
        default_args("reshape", doc, bench)


def test_spec_bench_lists_the_document(spec) -> None:
    assert [d.name for d in spec.bench] == ["bench"]
    assert spec.bench[0].requirements == ()
