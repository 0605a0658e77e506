"""The two ratio estimators, and which family uses which."""

from __future__ import annotations

import pytest

from accord.conformance.bench import estimates, measure
from accord.conformance.bench.faas import FaasBench
from accord.conformance.bench.pipeline import PipelineBench
from accord.conformance.bench.tensor import TensorBench


def test_the_faster_half_includes_the_middle_round_when_their_number_is_odd() -> None:
    assert estimates.fast_half([5.0, 1.0, 3.0]) == 2.0  # 1 and 3
    assert estimates.fast_half([4.0, 1.0, 3.0, 2.0]) == 1.5  # 1 and 2
    assert estimates.fast_half([7.0]) == 7.0


def test_bursts_on_one_side_move_the_paired_median_but_not_the_faster_halves() -> None:
    # the backend takes 2 per request; in three of five rounds a burst of the host adds time to its side only
    mine, baseline = [2.0, 3.0, 2.0, 3.2, 3.1], [1.0, 1.0, 1.0, 1.0, 1.0]
    assert estimates.paired_median(mine, baseline) == 3.0
    assert estimates.fast_half_ratio(mine, baseline) == pytest.approx((2.0 + 2.0 + 3.0) / 3)
    assert estimates.fast_half_ratio([2.0] * 5, baseline) == 2.0


def test_a_cell_writes_the_ratio_of_the_estimator_it_is_given() -> None:
    backend, baseline = measure.Cell("timed", [2.0, 3.0, 2.0, 3.2, 3.1]), measure.Cell("timed", [1.0] * 5)
    assert backend.to_json(baseline)["ratio"] == 3.0  # paired median by default
    assert backend.to_json(baseline, estimates.fast_half_ratio)["ratio"] == pytest.approx(7 / 3)


def test_faas_takes_the_faster_halves_and_the_other_families_pair_their_rounds() -> None:
    assert FaasBench().ratio is estimates.fast_half_ratio
    assert TensorBench().ratio is PipelineBench().ratio is estimates.paired_median
    assert "faster half" in estimates.describe(FaasBench().ratio)
    assert "same pass" in estimates.describe(TensorBench().ratio)
