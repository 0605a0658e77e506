"""The bisect search on a verdict function: found, no change, untestable releases skipped, ambiguity named."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accord.conformance.plan.bisect import AMBIGUOUS, FOUND, NO_CHANGE, UNTESTABLE, Trial, bisect

RELEASES = [f"1.{i}" for i in range(20)]


def verdicts(table: Callable[[int], str | None]) -> tuple[Callable[[str], Trial], list[str]]:
    """A test function from ``index -> verdict`` (None: untestable), and the list of releases it was called on."""
    calls: list[str] = []

    def test(release: str) -> Trial:
        calls.append(release)
        verdict = table(RELEASES.index(release))
        return Trial(release, verdict, "pip: no wheel" if verdict is None else f"{verdict} message", "built", 1.0)

    return test, calls


def test_the_first_release_with_the_new_verdict_is_found_in_few_tries() -> None:
    for change in range(1, len(RELEASES)):
        test, calls = verdicts(lambda i, change=change: "fail" if i < change else "pass")
        outcome = bisect(RELEASES, test)
        assert outcome.result == FOUND, change
        assert (outcome.last_old.release, outcome.first_new.release) == (RELEASES[change - 1], RELEASES[change])
        assert outcome.candidates == [RELEASES[change]]
        assert calls[:2] == [RELEASES[0], RELEASES[-1]]  # the ends first
        assert len(calls) <= 2 + 5 and len(set(calls)) == len(calls)  # log2(18) rounded up; none twice
        assert [t.release for t in outcome.trials] == calls


def test_the_same_verdict_at_both_ends_is_no_change() -> None:
    test, calls = verdicts(lambda i: "pass")
    outcome = bisect(RELEASES, test)
    assert outcome.result == NO_CHANGE and calls == [RELEASES[0], RELEASES[-1]]
    assert outcome.low.verdict == outcome.high.verdict == "pass" and outcome.first_new is None


def test_new_means_any_verdict_other_than_the_oldest() -> None:
    test, _ = verdicts(lambda i: "fail" if i < 7 else "error" if i < 12 else "pass")
    outcome = bisect(RELEASES, test)
    assert outcome.result == FOUND and outcome.first_new.release == "1.7" and outcome.first_new.verdict == "error"


def test_untestable_releases_are_skipped_for_a_neighbour() -> None:
    skipped = {9, 10, 4}
    test, calls = verdicts(lambda i: None if i in skipped else "fail" if i < 12 else "pass")
    outcome = bisect(RELEASES, test)
    assert outcome.result == FOUND and outcome.first_new.release == "1.12" and outcome.last_old.release == "1.11"
    assert "1.9" in calls  # the middle was tried, could not be tested, and a neighbour was tried instead
    assert [t.release for t in outcome.trials if t.untestable] == [RELEASES[i] for i in sorted(skipped)
                                                                   if RELEASES[i] in calls]


def test_untestable_releases_at_the_change_make_it_ambiguous_and_say_which() -> None:
    test, _ = verdicts(lambda i: None if i in (8, 9, 10) else "fail" if i < 10 else "pass")
    outcome = bisect(RELEASES, test)
    assert outcome.result == AMBIGUOUS
    assert outcome.last_old.release == "1.7" and outcome.first_new.release == "1.11"
    assert outcome.candidates == ["1.8", "1.9", "1.10", "1.11"]


def test_an_untestable_end_gives_way_to_its_neighbour() -> None:
    test, calls = verdicts(lambda i: None if i in (0, 1, 19) else "fail" if i < 5 else "pass")
    outcome = bisect(RELEASES, test)
    assert calls[:5] == ["1.0", "1.1", "1.2", "1.19", "1.18"]
    assert outcome.low.release == "1.2" and outcome.high.release == "1.18"
    assert outcome.result == FOUND and outcome.first_new.release == "1.5"


@pytest.mark.parametrize(("testable", "count"), [(set(), 20), ({6}, 20)])
def test_fewer_than_two_testable_releases_is_untestable(testable: set[int], count: int) -> None:
    test, calls = verdicts(lambda i: "pass" if i in testable else None)
    outcome = bisect(RELEASES, test)
    assert outcome.result == UNTESTABLE and len(calls) == count and outcome.first_new is None


def test_two_releases_need_no_middle() -> None:
    test, calls = verdicts(lambda i: "fail" if i == 0 else "pass")
    outcome = bisect(RELEASES[:2], test)
    assert outcome.result == FOUND and calls == ["1.0", "1.1"]


def test_a_stop_ends_the_search_at_once() -> None:
    def test(release: str) -> Trial:
        if release == RELEASES[-1]:
            raise KeyboardInterrupt
        return Trial(release, "pass")

    with pytest.raises(KeyboardInterrupt):
        bisect(RELEASES, test)
