"""Combine-function laws, checked on the vetted registry itself (no engine involved).

Engines may bundle inputs arbitrarily, create an accumulator per bundle, merge
partial accumulators in any grouping and order, merge empty accumulators and
extract more than once (pipeline.contract:combine_fn). Like Beam's
CombineFnTester, each law is tried across random shardings and merge orders.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from accord.conformance.check import Mismatch
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import canonical, decode_value, encode_value
from accord.spec.pipeline.render import py

from . import data
from .compare import close


@st.composite
def law_case(draw: Any) -> dict:
    """Inputs for every combine function, a sharding into bundles, a merge plan and empty-accumulator slots.

    Every vetted function is checked on every example (a sampled function would
    leave some functions with few examples under hypothesis's skewed choices).
    """
    size = draw(st.integers(2, 10))  # two inputs or more: no input at all is the empty_accumulators law's case
    bundles = draw(st.integers(2, 4))
    return {
        "k": draw(st.integers(1, 4)),  # the parameter of top_k / bottom_k
        "num_inputs": [encode_value(v) for v in draw(st.lists(data.nums, min_size=size, max_size=size))],
        "any_inputs": [encode_value(v) for v in draw(st.lists(data.keys, min_size=size, max_size=size))],
        "assignment": [draw(st.integers(0, bundles - 1)) for _ in range(size)],
        "bundles": bundles,
        "merge_plan": draw(st.lists(st.integers(0, 10), max_size=6)),
        "permutation_seed": draw(st.integers(0, 2**16)),
        "empties": draw(st.lists(st.integers(0, 6), max_size=3)),
        "extra_num": encode_value(draw(data.nums)),
        "extra_any": encode_value(draw(data.keys)),
    }


def _cases(case: Mapping) -> list[tuple[dict, list, Any]]:
    """(function reference, inputs, extra input) for every combine function of the registry."""
    out = []
    for name in functions.names("combine"):
        entry = functions.REGISTRY[name]
        params = {p: case["k"] for p in entry.params}
        ref = {"name": name, "params": params} if params else {"name": name}
        kind = "num" if entry.accepts == "num" else "any"
        out.append((ref, [decode_value(v) for v in case[f"{kind}_inputs"]], decode_value(case[f"extra_{kind}"])))
    return out


def _fold(fn: functions.CombineFn, values: list) -> Any:
    accumulator = fn.create_accumulator()
    for value in values:
        accumulator = fn.add_input(accumulator, value)
    return accumulator


def _bundled(fn: functions.CombineFn, case: Mapping, values: list) -> list:
    bundles: list[list] = [[] for _ in range(case["bundles"])]
    for value, where in zip(values, case["assignment"], strict=True):
        bundles[where].append(value)
    return [_fold(fn, bundle) for bundle in bundles]


def _tree_merge(fn: functions.CombineFn, accumulators: list, plan: list[int]) -> Any:
    """Merge neighbours in the order the plan picks, then whatever is left: one arbitrary merge tree."""
    accs = list(accumulators)
    for pick in plan:
        if len(accs) < 2:
            break
        i = pick % (len(accs) - 1)
        accs[i:i + 2] = [fn.merge_accumulators([accs[i], accs[i + 1]])]
    return fn.merge_accumulators(accs)


def _permuted(items: list, seed: int) -> list:
    order = sorted(range(len(items)), key=lambda i: (i * 2654435761 + seed) % 2**32)
    return [items[i] for i in order]


def _same(a: Any, b: Any, tolerance: tuple[float, float] | None) -> bool:
    return close(a, b, *tolerance) if tolerance else canonical(a) == canonical(b)


def _law_bundling(fn: functions.CombineFn, case: Mapping, values: list, tol: Any) -> None:
    whole = fn.apply(values)
    merged = fn.extract_output(fn.merge_accumulators(_bundled(fn, case, values)))
    if not _same(merged, whole, tol):
        raise Mismatch("merging per-bundle accumulators differs from combining in one bundle",
                       expected=whole, actual=merged)


def _law_merge_order(fn: functions.CombineFn, case: Mapping, values: list, tol: Any) -> None:
    accs = _bundled(fn, case, values)
    straight = fn.extract_output(fn.merge_accumulators(accs))
    shuffled = fn.extract_output(_tree_merge(fn, _permuted(accs, case["permutation_seed"]), case["merge_plan"]))
    if not _same(shuffled, straight, tol):
        raise Mismatch("merging the same accumulators in another grouping/order gives another result",
                       expected=straight, actual=shuffled)


def _law_empty_accumulators(fn: functions.CombineFn, case: Mapping, values: list, tol: Any) -> None:
    accs = _bundled(fn, case, values)
    with_empties = list(accs)
    for slot in case["empties"]:
        with_empties.insert(slot % (len(with_empties) + 1), fn.create_accumulator())
    plain = fn.extract_output(fn.merge_accumulators(accs))
    padded = fn.extract_output(fn.merge_accumulators(with_empties))
    if not _same(padded, plain, tol):
        raise Mismatch("merging in empty accumulators changed the result", expected=plain, actual=padded)
    only_empties = fn.extract_output(fn.merge_accumulators([fn.create_accumulator() for _ in case["empties"]]))
    nothing = fn.extract_output(fn.create_accumulator())
    if canonical(only_empties) != canonical(nothing):
        raise Mismatch("merging only empty accumulators differs from the output of no input",
                       expected=nothing, actual=only_empties)


def _law_repeated_extract(fn: functions.CombineFn, case: Mapping, values: list, tol: Any) -> None:
    accumulator = _fold(fn, values)
    first = fn.extract_output(accumulator)
    second = fn.extract_output(accumulator)
    if canonical(first) != canonical(second):
        raise Mismatch("extract_output twice on one accumulator gives two results", expected=first, actual=second)
    extra = case["extra"]
    continued = fn.extract_output(fn.add_input(accumulator, extra))
    fresh = fn.apply([*values, extra])
    if not _same(continued, fresh, tol):
        raise Mismatch("an accumulator is not usable after extract_output", expected=fresh, actual=continued)


def _law_pure(fn: functions.CombineFn, case: Mapping, values: list, tol: Any) -> None:
    accs = _bundled(fn, case, values)
    calls: list[tuple[str, Callable, tuple]] = [
        ("merge_accumulators", fn.merge_accumulators, (accs,)),
        ("extract_output", fn.extract_output, (accs[0],)),
        ("add_input", fn.add_input, (accs[0], case["extra"])),
    ]
    for name, call, args in calls:
        before = pickle.dumps(args)
        call(*args)
        if pickle.dumps(args) != before:
            raise Mismatch(f"{name} mutated its arguments", expected=repr(pickle.loads(before)), actual=repr(args))


LAWS: dict[str, Callable] = {
    "bundling": _law_bundling,
    "merge_order": _law_merge_order,
    "empty_accumulators": _law_empty_accumulators,
    "repeated_extract": _law_repeated_extract,
    "pure": _law_pure,
}


def check_law(law: str, case: Mapping, tolerance_for: Callable[[str], tuple[float, float] | None]) -> None:
    """Apply the law to every vetted combine function; the Mismatch names the function that broke it."""
    for ref, values, extra in _cases(case):
        fn = functions.bind(ref, "combine")
        try:
            LAWS[law](fn, {**case, "extra": extra}, values, tolerance_for(ref["name"]))
        except Mismatch as exc:
            raise Mismatch(f"combine function {ref['name']}: {exc.message}", expected=exc.expected,
                           actual=exc.actual) from None


def snippet(law: str, case: Mapping) -> str:
    lines = ["from accord.spec.pipeline import functions", "",
             f"assignment = {case['assignment']!r}  # the bundle of each input",
             "", "def bundled(fn, inputs):",
             f"    bundles = [[x for x, b in zip(inputs, assignment) if b == i] for i in range({case['bundles']})]",
             "    accs = []",
             "    for bundle in bundles:",
             "        acc = fn.create_accumulator()",
             "        for x in bundle:",
             "            acc = fn.add_input(acc, x)",
             "        accs.append(acc)",
             "    return fn.extract_output(fn.merge_accumulators(accs))", ""]
    for ref, values, _extra in _cases(case):
        lines.append(f"fn, inputs = functions.bind({ref!r}, 'combine'), {py(values)}")
        lines.append(f"print({ref['name']!r}, bundled(fn, inputs), fn.apply(inputs))")
    lines.append(f"# law checked: {law}")
    return "\n".join(lines)
