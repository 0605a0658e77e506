"""The ``dtype-support`` check: a conforming library supports each of the standard's data types.

One requirement per dtype (``tensor.dtypes.support-uint16`` …): every function whose signature admits
the dtype accepts the calls of it that the reference accepts. The probes are :mod:`.support`'s, shared
with every other check, which leave an unsupported dtype out and point here.
"""

from __future__ import annotations

import re
from typing import Any

from accord.conformance.check import Case, Context, Outcome, raised_info
from accord.spec.model import Document, Requirement

from . import oracle, support


def dtype_support(ctx: Context, req: Requirement, doc: Document) -> Outcome:
    """Probe every function that admits the requirement's dtype; fail listing those that refuse it."""
    dtype = req.params["dtype"]
    probed: list[str] = []
    refused: list[tuple[str, support.Probe]] = []
    calls = 0
    for fdoc in ctx.spec.documents_of("tensor.function"):
        if support.extension(fdoc):  # an optional extension's gaps are its own requirements' failures
            continue
        found = support.of(ctx, fdoc)
        probe = found.probes.get(dtype)
        if probe is None or not probe.calls:
            continue
        probed.append(fdoc.name)
        calls += probe.calls
        if dtype in found.unsupported():
            refused.append((fdoc.name, probe))
    if not probed:
        return Outcome("error", message=f"no function could be called with {dtype}: nothing was probed")
    if not refused:
        return Outcome("pass", examples=calls, message=f"{len(probed)} functions accept {dtype}")
    cases = _cases(ctx, dtype, refused)
    names = ", ".join(name for name, _ in refused)
    first = refused[0][1].error
    message = (f"{len(refused)} of {len(probed)} functions that admit {dtype} refuse it: {names} "
               f"(the backend said, e.g.: {first})")
    return Outcome("fail", examples=calls, message=message, counterexample=cases[0].counterexample,
                   expected="a result", actual=cases[0].actual, snippet=cases[0].snippet, cases=cases)


def _cases(ctx: Context, dtype: str, refused: list[tuple[str, support.Probe]]) -> list[Case]:
    """One case per distinct refusal (exception type and message with its quoted names elided)."""
    groups: dict[str, list[tuple[str, support.Probe]]] = {}
    for name, probe in refused:
        groups.setdefault(_shape_of(probe.error), []).append((name, probe))
    cases = []
    for items in groups.values():
        name, probe = items[0]
        listed = ", ".join(n for n, _ in items)
        cases.append(Case("fail", f"{listed} refuse {dtype}: {probe.error}", input_class=dtype,
                          counterexample=probe.refused, expected="a result", actual=f"raised {probe.error}",
                          snippet=_snippet(ctx, probe.refused), raised=raised_info(probe.error)))
    return cases


def _shape_of(error: Any) -> str:
    text = f"{getattr(error, 'type', type(error).__name__)}: {getattr(error, 'message', error)}"
    return re.sub(r"\"[^\"]*\"|'[^']*'|\b\d+\b", "…", text)


def _snippet(ctx: Context, call: dict[str, Any] | None) -> str | None:
    if call is None:
        return None
    try:
        return oracle.snippet(ctx, "call", call)
    except Exception as exc:  # a snippet must never hide the failure
        return f"# could not render a snippet: {exc}"
