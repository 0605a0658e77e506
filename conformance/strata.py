"""Stated conditions as strata: each requirement's listed conditions counted, and drawn on purpose.

A requirement lists, as spec data (``conditions:``), the conditions its text is about: ties, empty
input, NaN operands, a repeated header … Each is a *stratum* of its examples. A family suite knows
how to recognise each kind of condition in one of its examples and how to draw one on purpose
(``FamilySuite.conditions``: kind -> :data:`StratumKind`). The core counts, for every example a
search tests, the strata it falls in (``Property.observe``); a stratum the search missed gets a
short search of its own, drawn on purpose (:func:`complete`), so a default run exercises every
stated condition while a passing backend pays only for what chance left out. The counts go into
the report entry (``strata``), a stratum still at zero is a run warning (:func:`warnings`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from .check import Outcome, Property, RunSettings, run_property

if TYPE_CHECKING:
    from accord.spec.model import Document, Requirement, Spec

    from .check import Context

#: statuses whose entry ran its examples: only there does a stratum at zero say something
RAN = frozenset({"pass", "fail", "xfail", "xpass"})


@dataclass
class Stratum:
    """One listed condition of a requirement: how to recognise its examples and how to draw one."""

    condition: str
    recognise: Callable[[Any], bool]
    # from the property's strategy, one whose examples fall in the stratum (None: that strategy, filtered)
    draw: Callable[[st.SearchStrategy], st.SearchStrategy] | None = None
    count: int = 0

    def strategy(self, base: st.SearchStrategy) -> st.SearchStrategy:
        drawn = self.draw(base) if self.draw is not None else base
        # the class's own filter: a suite may have replaced the instance's (FaaS starts a new search there)
        return type(drawn).filter(drawn, self._in)

    def _in(self, example: Any) -> bool:
        try:
            return bool(self.recognise(example))
        except Exception:  # an example the classifier cannot read is not in the stratum
            return False


StratumKind = Callable[[str | None, "Context", "Requirement", "Document"], Stratum | None]
"""``(argument, ctx, requirement, document) -> Stratum``; None when the kind cannot apply to this
requirement's examples (its stratum then stays at zero: a run warning, never a silent pass)."""


def build(kinds: Mapping[str, StratumKind], ctx: Context, req: Requirement, doc: Document) -> list[Stratum]:
    """The strata of a requirement's listed conditions, in the listed order."""
    found = []
    for condition in req.conditions or ():
        kind, _, argument = condition.partition(":")
        maker = kinds.get(kind)
        stratum = maker(argument or None, ctx, req, doc) if maker is not None else None
        if stratum is None:
            stratum = Stratum(condition, lambda example: False)
        stratum.condition = condition
        found.append(stratum)
    return found


def attach(prop: Property, strata: list[Stratum]) -> None:
    """Count, for every example the property's searches test, the strata it falls in."""
    if not strata:
        return
    earlier = prop.observe

    def observe(example: Any) -> None:
        if earlier is not None:
            earlier(example)
        for stratum in strata:
            if stratum._in(example):
                stratum.count += 1

    prop.observe = observe
    prop.strata = strata


def top_up_examples(run: RunSettings) -> int:
    """Examples drawn on purpose for a stratum the search missed: a tenth of the budget, 3 to 10."""
    return max(3, min(10, run.max_examples // 10))


def complete(prop: Property, outcome: Outcome, run: RunSettings) -> None:
    """Search each stratum still at zero on purpose, then record every count in ``outcome.extra``.

    A failure found there is a case of the requirement like any other (the top-up searches the same
    test; its input class is the stratum's when the property has none)."""
    strata = prop.strata or []
    for stratum in strata:
        if stratum.count:
            continue
        try:
            strategy = stratum.strategy(prop.strategy)
        except Exception:  # a draw that cannot be built for this property: the stratum stays at zero
            continue
        focused = dataclasses.replace(prop, strategy=strategy, max_examples=top_up_examples(run), max_cases=1)
        extra = run_property(focused, run)
        outcome.examples += extra.examples
        if extra.status == "fail" and extra.cases:
            known = {(c.input_class, c.message) for c in outcome.cases}
            new = [c for c in extra.cases if (c.input_class, c.message) not in known]
            if outcome.status == "pass" and new:
                failed = Outcome.from_cases(new, outcome.examples)
                outcome.status, outcome.message, outcome.cases = failed.status, failed.message, failed.cases
                outcome.counterexample, outcome.expected = failed.counterexample, failed.expected
                outcome.actual, outcome.snippet = failed.actual, failed.snippet
            elif new and len(outcome.cases) < prop.max_cases:
                outcome.cases.extend(new)
    if strata:
        outcome.extra["strata"] = {s.condition: s.count for s in strata}


def unexamined(req: Requirement) -> dict[str, int] | None:
    """The strata of a requirement whose check ran no examples (every count zero), or None."""
    if not req.conditions:
        return None
    return {condition: 0 for condition in req.conditions}


def warnings(report: Mapping[str, Any]) -> list[str]:
    """One line per stratum with no example in an entry that ran: the condition went untested."""
    lines = []
    for entry in report.get("requirements", ()):
        if entry.get("status") not in RAN:
            continue
        empty = [c for c, n in (entry.get("strata") or {}).items() if n == 0]
        if empty:
            lines.append(f"{entry['id']}: no example in stratum {', '.join(empty)}")
    return lines


def explain(spec: Spec, entry: Mapping[str, Any]) -> list[tuple[str, int | None, str]]:
    """(condition, count, meaning) per listed condition of a report entry's requirement."""
    req = spec.requirement(entry["id"])
    counts = entry.get("strata") or {}
    rows = []
    for condition in req.conditions or ():
        kind = spec.condition_kind(condition)
        meaning = kind.meaning if kind else "?"
        argument = condition.partition(":")[2]
        if argument and kind and kind.argument:
            meaning = f"{meaning} ({kind.argument}: {argument})"
        rows.append((condition, counts.get(condition), meaning))
    return rows
