"""The generic runner with a fake family and fake clients: statuses, interleaving, the per-call limit."""

from __future__ import annotations

import statistics
from typing import Any

from accord.conformance.bench import measure
from accord.conformance.bench.workloads import BenchFamily, Checked, Workload
from accord.conformance.client import BackendRaised, BackendTimeout


class FakeClient:
    def __init__(self, per_call_ns: dict[int, float], fail: BaseException | None = None) -> None:
        self.per_call_ns, self.fail, self.calls, self.restarts, self.timeout = per_call_ns, fail, [], 0, 60.0
        self.numbers: list[int] = []  # calls per batch asked for (0: calibrate)

    def invoke(self, op: str, args: Any) -> Any:
        self.calls.append(args["size"])
        self.numbers.append(args["number"])
        if self.fail is not None:
            raise self.fail
        number = args["number"] or 3
        return {"batches_ns": [self.per_call_ns[args["size"]] * number] * max(1, args["repeat"]), "number": number}

    def restart(self) -> None:
        self.restarts += 1


class FakeFamily(BenchFamily):
    name, default_baseline, timing = "tensor", "a", "fake"

    def __init__(self, wrong: set[str]) -> None:
        self.wrong = wrong

    def timing_args(self, w: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        return "bench", {"size": w.shape[0], "number": number, "repeat": repeat}

    def check(self, sample: Workload, client: Any) -> Checked:
        return Checked("wrong", "1 + 1 == 3") if id(client) in self.wrong else Checked("ok")


def workloads() -> list[Workload]:
    return [Workload(f"tensor.bench.f.{n}", "f", str(n), (n,), False, "f") for n in (100, 10_000, 1_000_000)]


def test_statuses_rounds_and_the_call_limit() -> None:
    fast = FakeClient({100: 1e3, 10_000: 1e5, 1_000_000: 1e7})
    slow = FakeClient({100: 1e6, 10_000: 3e9, 1_000_000: 3e11})  # 3 s per call at 10^4: 10^6 not tried
    wrong = FakeClient({100: 1.0, 10_000: 1.0, 1_000_000: 1.0})
    raises = FakeClient({}, BackendRaised("ValueError", "no"))
    hangs = FakeClient({}, BackendTimeout("no answer within 60 s"))
    clients = {"a": fast, "slow": slow, "wrong": wrong, "raises": raises, "hangs": hangs}
    runner = measure.Runner(FakeFamily({id(wrong)}), clients, rounds=5, seed=1)
    results = runner.run(workloads())
    big = results["tensor.bench.f.1000000"]
    assert big["a"].status == "timed" and len(big["a"].rounds_ns) == 5 and big["a"].median_ns == 1e7
    assert big["slow"].status == "timeout" and "3.0 s" in big["slow"].finding and 1_000_000 not in slow.calls
    assert all(results[w]["wrong"].status == "wrong" and not results[w]["wrong"].rounds_ns for w in results)
    assert wrong.calls == []  # a wrong backend is never timed
    assert results["tensor.bench.f.100"]["raises"].status == "error"
    assert results["tensor.bench.f.100"]["hangs"].status == "timeout" and hangs.restarts >= 1
    assert results["tensor.bench.f.100"]["a"].to_json(results["tensor.bench.f.100"]["a"])["ratio"] == 1.0


def test_the_ratio_is_the_median_of_each_round_over_the_baselines_same_round() -> None:
    # a spell slowed round 2 of the backend and rounds 2 and 3 of the baseline: paired, round 2 cancels
    backend, baseline = measure.Cell("timed", [10.0, 10.0, 30.0]), measure.Cell("timed", [5.0, 15.0, 15.0])
    assert backend.to_json(baseline)["ratio"] == 2.0  # median of 2, 2/3, 2 (the medians alone: 10 / 15)
    shorter = measure.Cell("timed", [10.0, 30.0])  # a backend given fewer rounds pairs its own
    assert shorter.to_json(baseline)["ratio"] == statistics.median([2.0, 2.0])
    assert "ratio" not in backend.to_json(measure.Cell("wrong", finding="1 + 1 == 3"))


class RunsFamily(FakeFamily):
    """Like the pipeline family: no per-call limit of its own, calibration times nothing."""

    call_limit_ns = None

    def timing_args(self, w: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        return "bench", {"size": w.shape[0], "number": number or 1, "repeat": 0 if number == 0 else 1}


class RunsClient(FakeClient):
    """A pipeline worker: the calibration call (``repeat`` 0) times nothing, a round is one run."""

    def invoke(self, op: str, args: Any) -> Any:
        answer = super().invoke(op, args)
        return {**answer, "batches_ns": answer["batches_ns"] if args["repeat"] else []}


def test_a_family_without_a_call_limit_predicts_the_next_size_from_the_median_against_the_timeout() -> None:
    # 4 s per run at 10^5 events: 40 s predicted at 10^6, over a 30 s timeout (not tried); 2 s: 20 s, tried
    sizes = [Workload(f"pipeline.bench.q.{n}", "q", str(n), (n,), False, "q") for n in (100_000, 1_000_000)]
    slow, fine = RunsClient({100_000: 4e9, 1_000_000: 4e10}), RunsClient({100_000: 2e9, 1_000_000: 2e10})
    slow.timeout = fine.timeout = 30.0
    results = measure.Runner(RunsFamily(set()), {"a": fine, "slow": slow}, rounds=3, seed=1).run(sizes)
    big = results["pipeline.bench.q.1000000"]
    assert big["a"].status == "timed" and big["a"].median_ns == 2e10  # a run over the old 2 s tensor limit is fine
    assert big["slow"].status == "timeout" and 1_000_000 not in slow.calls
    assert "would take about 40 s" in big["slow"].finding and "30 s" in big["slow"].finding


def test_replicas_take_turns_at_the_rounds_and_each_warms_up_first() -> None:
    # one process of the backend is 2x slower than the other: both show in the rounds, not one in the median
    quick, slowish = FakeClient({100: 1e3}), FakeClient({100: 2e3})
    base = FakeClient({100: 1e3})
    sizes = workloads()[:1]
    runner = measure.Runner(FakeFamily(set()), {"a": base, "b": quick}, rounds=4, seed=1, replicas={"b": [slowish]})
    cell = runner.run(sizes)["tensor.bench.f.100"]["b"]
    assert sorted(cell.rounds_ns) == [1e3, 1e3, 2e3, 2e3]
    assert cell.iqr_ns > 0  # the process-to-process spread is in the noise band
    assert len(slowish.calls) == 3  # its warm-up call, then its two rounds
    assert slowish.numbers[0] == 1 and quick.numbers[0] == 0  # one call builds and compiles; only the first calibrates
    assert len(quick.calls) == 1 + 2  # the calibration on the first process, then its two rounds


def test_a_replica_that_fails_makes_the_cell_fail_and_is_restarted() -> None:
    good, broken = FakeClient({100: 1e3}), FakeClient({}, BackendTimeout("no answer within 60 s"))
    runner = measure.Runner(FakeFamily(set()), {"b": good}, rounds=3, seed=1, replicas={"b": [broken]})
    cell = runner.run(workloads()[:1])["tensor.bench.f.100"]["b"]
    assert cell.status == "timeout" and not cell.rounds_ns and broken.restarts == 1


class LeastFamily(FakeFamily):
    def least_rounds(self, w: Workload) -> int | None:
        return 5


def test_a_family_may_ask_for_more_rounds_than_the_cell_budget_gives_a_slow_workload() -> None:
    sizes = workloads()[:1]
    slow = {100: 2e9}  # 2 s a call: the cell budget alone gives MIN_ROUNDS (3)
    plain = measure.Runner(FakeFamily(set()), {"a": FakeClient(slow)}, rounds=5, seed=1).run(sizes)
    longer = measure.Runner(LeastFamily(set()), {"a": FakeClient(slow)}, rounds=5, seed=1).run(sizes)
    assert len(plain["tensor.bench.f.100"]["a"].rounds_ns) == measure.MIN_ROUNDS
    assert len(longer["tensor.bench.f.100"]["a"].rounds_ns) == 5


class SpreadFamily(FakeFamily):
    spread = 3


def test_a_spread_family_interleaves_the_rounds_of_its_workloads() -> None:
    a = FakeClient({100: 1e3, 10_000: 1e5, 1_000_000: 1e7})
    shares: dict[str, float] = {}
    runner = measure.Runner(SpreadFamily(set()), {"a": a}, rounds=2, seed=1,
                            advance=lambda wid, share: shares.__setitem__(wid, shares.get(wid, 0) + share))
    results = runner.run(workloads())
    # each workload calibrated once, then round 0 of all three, then round 1 of all three
    assert a.calls == [100, 10_000, 1_000_000] * 3
    assert all(len(cells["a"].rounds_ns) == 2 for cells in results.values())
    assert list(results) == [w.id for w in workloads()]
    assert all(abs(share - 1) < 1e-9 for share in shares.values()) and len(shares) == 3  # the progress adds up


def test_without_spread_each_workload_finishes_before_the_next_starts() -> None:
    a = FakeClient({100: 1e3, 10_000: 1e5, 1_000_000: 1e7})
    measure.Runner(FakeFamily(set()), {"a": a}, rounds=2, seed=1).run(workloads())
    assert a.calls == [100, 100, 100, 10_000, 10_000, 10_000, 1_000_000, 1_000_000, 1_000_000]
