"""The core keeps exploring past a failure: one case per failing input class, nothing masked."""

from __future__ import annotations

import warnings

import hypothesis
import pytest
from hypothesis import strategies as st

from accord.conformance.check import Mismatch, Property, RunSettings, run_property

CLASSES = ("int8", "uint16", "float32", "float64")
EXAMPLES = st.tuples(st.sampled_from(CLASSES), st.integers(-1000, 1000))


def broken_in(*broken: str, raising: str = "") -> Property:
    """A property over (dtype, value) pairs that fails for the given classes (and raises for one)."""

    def test(example: tuple[str, int]) -> None:
        dtype, value = example
        if dtype == raising:
            raise RuntimeError(f"Promotion for {dtype} types is not supported")
        if dtype in broken and value > 10:
            raise Mismatch(f"{dtype}: wrong value", expected=value, actual=value + 1)

    return Property(strategy=EXAMPLES, test=test, classify=lambda example: example[0])


def test_each_failing_class_is_its_own_case() -> None:
    outcome = run_property(broken_in("float32", raising="uint16"), RunSettings(seed=1, max_examples=200))
    assert outcome.status == "fail"  # a wrong value outranks an error as the primary case
    classes = {case.input_class: case for case in outcome.cases}
    assert set(classes) == {"uint16", "float32"}
    assert classes["float32"].status == "fail" and classes["float32"].counterexample == ("float32", 11)
    assert classes["uint16"].status == "error" and "not supported" in classes["uint16"].message
    assert outcome.cases[0] is classes["float32"] and outcome.message == "float32: wrong value"


def test_without_classify_the_first_failure_is_the_only_case() -> None:
    prop = broken_in("float32", "float64")
    prop.classify = None
    outcome = run_property(prop, RunSettings(seed=1, max_examples=200))
    assert outcome.status == "fail" and len(outcome.cases) == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_passing_property_has_no_cases(seed: int) -> None:
    outcome = run_property(broken_in(), RunSettings(seed=seed, max_examples=50))
    assert outcome.status == "pass" and outcome.cases == [] and outcome.examples == 50


def test_max_cases_bounds_the_searches() -> None:
    prop = broken_in(*CLASSES)
    prop.max_cases = 2
    outcome = run_property(prop, RunSettings(seed=1, max_examples=100))
    assert len(outcome.cases) == 2


def test_replay_gives_one_case() -> None:
    outcome = run_property(broken_in("int8"), RunSettings(seed=1), replay=["int8", 50])
    assert outcome.status == "fail" and [c.input_class for c in outcome.cases] == ["int8"]


def _rejects_three(x: int) -> None:
    hypothesis.assume(x != 3)  # checks reject some inputs this way; outside a search hypothesis warns
    if x > 10:
        raise Mismatch(f"{x} is too large")


def test_the_replay_of_a_failure_does_not_warn_about_assume() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = run_property(Property(st.integers(0, 100), _rejects_three), RunSettings(seed=1, max_examples=50))
    assert outcome.status == "fail"
    assert outcome.cases[0].replay == {"reproduced": True}
    assert not [w for w in caught if issubclass(w.category, hypothesis.errors.HypothesisDeprecationWarning)]


def test_shrinking_stops_after_its_budget_of_tested_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow backend must not spend its run shrinking: past ``SHRINK_CALLS`` tested examples after the
    first failure, the search ends (no candidate is drawn past the budget), and the counterexample reported
    still fails."""
    from accord.conformance import check

    def count_draw(values: list[int]) -> list[int]:
        drawn[0] += 1
        return values

    def fails_on_long_lists(values: list[int]) -> None:
        tested.append(list(values))
        if len(values) >= 3 and sum(values) > 1000:
            raise Mismatch("long list with a large sum", expected=None, actual=values)

    def run(budget: int) -> tuple[list[list[int]], object]:
        monkeypatch.setattr(check, "SHRINK_CALLS", budget)
        tested.clear()
        drawn[0] = 0
        outcome = run_property(Property(st.lists(st.integers(0, 10**6), max_size=30).map(count_draw),
                                        fails_on_long_lists),
                               RunSettings(seed=5, max_examples=200))
        return list(tested), outcome

    tested: list[list[int]] = []
    drawn = [0]
    unbounded, full = run(10**9)
    bounded, cut = run(3)
    first = next(i for i, v in enumerate(unbounded) if len(v) >= 3 and sum(v) > 1000)
    assert bounded[:first + 1] == unbounded[:first + 1]  # the same search up to the first failure
    assert len(bounded) <= first + 1 + 3 + 1  # the budget and the kit's own replay
    assert drawn[0] <= len(bounded) + 1  # drawn and not tested: the one that ended the search
    assert len(unbounded) > len(bounded) + 20  # the unbounded shrink tested many more
    assert full.status == cut.status == "fail"
    example = cut.counterexample
    assert len(example) >= 3 and sum(example) > 1000  # still a real failure, only less shrunk
    assert full.counterexample == [0, 0, 1001]  # unbounded: fully shrunk


def test_an_assumption_is_not_a_failure() -> None:
    """A check that rejects an example with ``assume`` has not failed: the search goes on testing to its
    full budget (it once counted the rejection as the first failure and stopped testing 200 examples
    later), and passes."""
    tested: list[int] = []

    def only_even(x: int) -> None:
        hypothesis.assume(x % 2 == 0)
        tested.append(x)

    outcome = run_property(Property(st.integers(0, 10**6), only_even), RunSettings(seed=3, max_examples=400))
    assert outcome.status == "pass"
    assert len(tested) >= 390


def test_a_follow_up_failure_is_shrunk_with_its_own_smaller_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The failure found past the first (its class excluded) has ``FOLLOW_UP_SHRINK_CALLS``; the first
    keeps ``SHRINK_CALLS``: both cases are recorded and still fail."""
    from accord.conformance import check

    def fails_on_large(pair: tuple[str, list[int]]) -> None:
        tested.append(pair)
        if sum(pair[1]) > 1000:
            raise Mismatch(f"large sum in class {pair[0]}", expected=None, actual=pair[1])

    def run(follow_up_budget: int) -> tuple[int, object]:
        monkeypatch.setattr(check, "FOLLOW_UP_SHRINK_CALLS", follow_up_budget)
        tested.clear()
        strategy = st.tuples(st.sampled_from(["a", "b"]), st.lists(st.integers(0, 10**6), max_size=20))
        outcome = run_property(Property(strategy, fails_on_large, classify=lambda pair: pair[0]),
                               RunSettings(seed=7, max_examples=200))
        return len(tested), outcome

    tested: list[tuple[str, list[int]]] = []
    unbounded_calls, full = run(10**9)
    bounded_calls, cut = run(3)
    assert [c.input_class for c in full.cases] == [c.input_class for c in cut.cases]
    assert len(cut.cases) == 2 and all(sum(c.counterexample[1]) > 1000 for c in cut.cases)
    assert cut.cases[0].counterexample == full.cases[0].counterexample  # the first is shrunk as before
    assert bounded_calls < unbounded_calls - 10


@pytest.fixture
def tblib_pickling() -> object:
    """tblib's pickling support for Mismatch, as dask.distributed installs it for every exception class;
    removed again afterwards (it is process-wide)."""
    import copyreg

    pickling_support = pytest.importorskip("tblib.pickling_support")
    pickling_support.install(Mismatch)
    yield
    copyreg.dispatch_table.pop(Mismatch, None)


def test_a_failure_keeps_its_answers_when_exceptions_are_pickled_with_tblib(tblib_pickling: object) -> None:
    """The search hands hypothesis a copy of each failure without its two answers; with tblib's reducer a
    copy shared the original's ``__dict__``, and every case of the run lost its expected and actual."""
    outcome = run_property(broken_in("float32"), RunSettings(seed=1, max_examples=100))
    case = outcome.cases[0]
    assert (case.expected, case.actual) == (11, 12)
    assert case.replay == {"reproduced": True}
