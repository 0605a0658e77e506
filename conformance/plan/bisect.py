"""The search of ``accord bisect``: the first release whose verdict on a requirement differs from the oldest's.

Pure logic over a callable that tests one release, so the search is tested without pip. It works like
``git bisect``: the two ends are tested first (an end that cannot be tested gives way to its neighbour);
when they agree there is nothing to find. Otherwise every tested release is *old* (the oldest end's
verdict) or *new* (any other verdict), and the search halves the releases between the last old and the
first new one. A release that cannot be tested (no wheel for this Python, a resolver failure) is
skipped for the untested release nearest the middle; when only skipped releases are left between the
two, the answer is ambiguous and names every release the change could be in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

FOUND, NO_CHANGE, AMBIGUOUS, UNTESTABLE = "found", "no-change", "ambiguous", "untestable"


@dataclass(frozen=True)
class Trial:
    """One release tested: its verdict (None: untestable), the finding's or pip's message, its environment."""

    release: str
    verdict: str | None
    message: str | None = None
    env: str = "none"  # built / reused / failed / none
    seconds: float = 0.0

    @property
    def untestable(self) -> bool:
        return self.verdict is None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "untestable": self.untestable}


@dataclass
class Outcome:
    """What the search found; ``low`` and ``high`` are the testable ends, ``trials`` in the order they ran."""

    result: str
    releases: list[str]
    trials: list[Trial] = field(default_factory=list)
    low: Trial | None = None
    high: Trial | None = None
    last_old: Trial | None = None
    first_new: Trial | None = None
    candidates: list[str] = field(default_factory=list)  # the releases the change may be in (found: one)

    def to_json(self) -> dict[str, Any]:
        def one(trial: Trial | None) -> dict[str, Any] | None:
            return trial.to_json() if trial else None

        return {"result": self.result, "releases": self.releases, "low": one(self.low), "high": one(self.high),
                "last_old": one(self.last_old), "first_new": one(self.first_new), "candidates": self.candidates,
                "trials": [t.to_json() for t in self.trials]}


def bisect(releases: Sequence[str], test: Callable[[str], Trial]) -> Outcome:
    """Search ``releases`` (oldest first) with ``test``; each release is tested at most once."""
    outcome = Outcome(UNTESTABLE, list(releases))
    tried: dict[int, Trial] = {}

    def run(index: int) -> Trial:
        trial = test(releases[index])
        tried[index] = trial
        outcome.trials.append(trial)
        return trial

    low = next((i for i in range(len(releases)) if not run(i).untestable), None)
    if low is None:
        return outcome
    outcome.low = tried[low]
    high = next((i for i in range(len(releases) - 1, low, -1) if not run(i).untestable), None)
    if high is None:  # one testable release: nothing to compare it with
        return outcome
    outcome.high = tried[high]
    old = tried[low].verdict
    if tried[high].verdict == old:
        outcome.result = NO_CHANGE
        return outcome
    good, bad = low, high
    while True:
        # between good and bad, a tried release is an untestable one: pick the untried one nearest the middle
        untried = [i for i in range(good + 1, bad) if i not in tried]
        if not untried:
            break
        middle = (good + bad) / 2
        index = min(untried, key=lambda i: (abs(i - middle), i))
        trial = run(index)
        if trial.untestable:
            continue
        if trial.verdict == old:
            good = index
        else:
            bad = index
    outcome.last_old, outcome.first_new = tried[good], tried[bad]
    outcome.candidates = list(releases[good + 1:bad + 1])
    outcome.result = FOUND if bad == good + 1 else AMBIGUOUS
    return outcome
