"""How a cell's rounds become its ratio to the baseline: the two estimators a bench family chooses from.

Both read rounds of one run, the backend's and the baseline's, measured interleaved (:mod:`.measure`).
"""

from __future__ import annotations

import math
import statistics


def paired_ratios(mine: list[float], theirs: list[float]) -> list[float]:
    """Each round's time over the baseline's in the same round (measured moments apart, in one pass over the
    backends): a spell that slows the machine for a few seconds slows both, and mostly cancels in their ratio
    where it would move one median alone. Rounds pair by index; a backend given fewer rounds pairs its own."""
    return [x / y for x, y in zip(mine, theirs, strict=False) if y]


def paired_median(mine: list[float], theirs: list[float]) -> float:
    """The median of the paired ratios: for rounds whose noise comes in spells that reach both sides of a pair."""
    return statistics.median(paired_ratios(mine, theirs))


def fast_half(rounds: list[float]) -> float:
    """The mean of the faster half of the rounds (the middle one included when their number is odd)."""
    ordered = sorted(rounds)
    half = ordered[:math.ceil(len(ordered) / 2)]
    return sum(half) / len(half)


def fast_half_ratio(mine: list[float], theirs: list[float]) -> float:
    """The backend's :func:`fast_half` over the baseline's: for rounds whose noise only ever adds time and does
    not reach both sides of a pair alike (a host's own pace that drifts, another process's burst), so the
    slower rounds of each side say least about its speed."""
    return fast_half(mine) / fast_half(theirs)


def describe(estimator: object) -> str:
    """The sentence a report states its ratios with."""
    if estimator is fast_half_ratio:
        return "A ratio is the mean of the faster half of the backend's rounds over the same of the baseline's."
    return "A ratio is the median of the backend's rounds each over the baseline's round of the same pass."
