"""Check kind ``result-container``: the Python container a function's several arrays come back in.

The standard's return annotations tell a list from a tuple (``broadcast_arrays`` and ``meshgrid``:
``List[array]``; ``unstack`` and ``nonzero``: ``Tuple[array, ...]``), and code that appends to or hashes
the result depends on it. Which one a function names is spec data (its document's ``result.container``);
the wire keeps the two apart (a tuple travels as ``$tuple``, a list as a JSON list), so the check reads
the decoded answer's type. A namedtuple is a tuple. An example where the backend raises says nothing
about the container (that is the function's values or shape requirements' failure) and is left out.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume

from accord.conformance.check import Context, Mismatch, Property
from accord.spec.model import Document, Requirement

from . import checks, oracle

CONTAINERS: dict[str, type] = {"list": list, "tuple": tuple}


def result_container(ctx: Context, req: Requirement, doc: Document) -> Property:
    """The function's usual calls, each answer's container against ``result.container``."""
    want = doc.data["result"].get("container")
    if want not in CONTAINERS:
        raise ValueError(f"{doc.name}: result.container must be one of {', '.join(CONTAINERS)} for {req.id}")
    kind = CONTAINERS[want]

    def test(call: dict[str, Any]) -> None:
        checks._reference(call)  # inside the function's domain as the reference reads the spec
        try:
            got = oracle.actual(ctx, "call", call)
        except Mismatch as exc:
            # a raise hides the container: it is the function's values / shape requirements' failure, not this one's
            assume(exc.raised is None)
            raise
        if not isinstance(got, kind):
            raise Mismatch(f"{doc.name} returned a {type(got).__name__}; the standard's return annotation says {want}",
                           expected=want, actual=type(got).__name__)

    # the container does not depend on values or dtypes: a tenth of the budget is plenty
    return checks._property(ctx, req, doc, test, max_examples=checks.share(ctx, 0.1))
