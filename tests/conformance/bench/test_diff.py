"""accord bench diff's verdicts on hand-made reports: ratio first, the noise band, the agreement share."""

from __future__ import annotations

from accord.conformance.bench.diff import FLOOR, agreement, compare


def cell(median: float, iqr: float = 0.0, ratio: float | None = None, status: str = "timed", rounds: int = 3) -> dict:
    if status != "timed":
        return {"status": status, "finding": "x"}
    out = {"status": "timed", "median_ns": median, "iqr_ns": iqr, "rounds_ns": [median] * rounds}
    if ratio is not None:
        out["ratio"] = ratio
    return out


def run(numpy: float, other: dict) -> dict:
    return {"baseline": "numpy", "workloads": [
        {"id": "tensor.bench.add.1e2", "results": {"numpy": cell(numpy, ratio=1.0), "other": other}}]}


def test_a_slowdown_beyond_the_band_is_a_regression() -> None:
    (base, d) = compare(run(100, cell(100, ratio=1.0)), run(100, cell(200, ratio=2.0)))
    assert d.measure == "ratio" and d.verdict == "regression" and d.change == 1.0
    assert base.measure == "median" and base.verdict == "same"


def test_a_cell_timed_once_in_a_run_is_unsure_beyond_the_floor_and_never_a_regression() -> None:
    def once(numpy: float, other: float, ratio: float) -> dict:
        return {"baseline": "numpy", "workloads": [{"id": "pipeline.bench.q.1e6", "results": {
            "numpy": cell(numpy, ratio=1.0, rounds=1), "other": cell(other, ratio=ratio, rounds=1)}}]}

    (_, moved) = compare(once(100, 100, 1.0), once(100, 140, 1.4))
    assert moved.verdict == "unsure" and not moved.regression
    (_, within) = compare(once(100, 100, 1.0), once(100, 110, 1.1))
    assert within.verdict == "same"


def test_machine_drift_cancels_in_the_ratio() -> None:
    # everything twice as slow (another process): the ratio is unchanged, no regression
    deltas = compare(run(100, cell(100, ratio=1.0)), run(200, cell(200, ratio=1.0)))
    assert [d.verdict for d in deltas if d.backend == "other"] == ["same"]


def test_a_noisy_run_widens_the_band() -> None:
    # the new run's rounds over the baseline's same rounds: 1.0, 1.35, 1.7, an IQR of 0.35 around 1.35
    base, steady = rounds_cell([100.0, 100.0, 100.0], [100.0, 100.0, 100.0])
    noisy, base_again = rounds_cell([100.0, 135.0, 170.0], [100.0, 100.0, 100.0])
    old = {"baseline": "numpy", "workloads": [{"id": "w", "results": {"numpy": base, "other": steady}}]}
    new = {"baseline": "numpy", "workloads": [{"id": "w", "results": {"numpy": base_again, "other": noisy}}]}
    (_, d) = compare(old, new)
    assert d.change > FLOOR and d.band > d.change and d.verdict == "same"
    assert abs(d.band - (0.35 / 1.35 + FLOOR)) < 1e-9


def test_a_timed_cell_now_wrong_is_lost() -> None:
    (_, d) = compare(run(100, cell(100, ratio=1.0)), run(100, cell(0, status="wrong")))
    assert d.verdict == "lost" and d.regression


def test_agreement_counts_ratios_within_15_percent() -> None:
    deltas = compare(run(100, cell(100, ratio=1.0)), run(100, cell(110, ratio=1.1)))
    deltas += compare(run(100, cell(100, ratio=1.0)), run(100, cell(130, ratio=1.3)))
    assert agreement(deltas) == (1, 2)


def rounds_cell(rounds: list[float], baseline: list[float]) -> tuple[dict, dict]:
    """(backend cell, baseline cell) with these per-round times; medians, IQR 0 and the ratio of medians."""
    import statistics

    def timed(values: list[float]) -> dict:
        return {"status": "timed", "median_ns": statistics.median(values), "iqr_ns": 0.0, "rounds_ns": values}

    mine, base = timed(rounds), timed(baseline)
    mine["ratio"], base["ratio"] = mine["median_ns"] / base["median_ns"], 1.0
    return mine, base


def report_of(rounds: list[float], baseline: list[float]) -> dict:
    mine, base = rounds_cell(rounds, baseline)
    return {"baseline": "numpy", "workloads": [{"id": "tensor.bench.add.1e4", "results": {"numpy": base, "jax": mine}}]}


def test_medians_apart_with_overlapping_rounds_are_no_regression() -> None:
    # jax-like: the same two speeds (10 and 50 µs per call) in both runs, more rounds of the slow one now
    numpy = [10.0] * 5
    (_, bimodal) = compare(report_of([50, 10, 10, 10, 12], numpy), report_of([50, 49, 48, 10, 12], numpy))
    assert bimodal.change > bimodal.band and bimodal.verdict == "same"
    # every round slower than every old one, beyond the floor: a regression
    (_, slower) = compare(report_of([10, 10, 11, 10, 12], numpy), report_of([20, 21, 20, 22, 20], numpy))
    assert slower.verdict == "regression"
    (_, faster) = compare(report_of([20, 21, 20, 22, 20], numpy), report_of([10, 10, 11, 10, 12], numpy))
    assert faster.verdict == "improvement"
