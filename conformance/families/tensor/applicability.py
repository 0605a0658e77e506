"""Requirements the standard lets a library omit, by what the library itself declares.

A requirement with ``applies_if: {capability: "data-dependent shapes"}`` (unique_*, nonzero) or
``"boolean indexing"`` (boolean-mask indexing) is not applicable to a backend whose
``__array_namespace_info__().capabilities()`` maps that key to False: the standard lets such a
library omit the operation and say so there. A backend that declares nothing (no capabilities) is
held to the requirement.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.conformance.check import Check, Context, NotApplicableHere, Outcome, Property
from accord.conformance.client import BackendRaised, BackendUnsupported
from accord.spec.model import Document, Requirement


def requirement_data(doc: Document, requirement_id: str) -> Mapping[str, Any]:
    """The requirement's raw mapping in its document (keys the typed model does not carry)."""
    return next((r for r in doc.data.get("requirements", ()) if r["id"] == requirement_id), {})


def capabilities(ctx: Context) -> Mapping[str, Any] | None:
    """What the backend declares in ``capabilities()`` (asked once per worker), None if nothing."""
    if "capabilities" not in ctx.state:
        try:
            info = ctx.backend.invoke("namespace_info", {"names": []})
            found = info.get("capabilities") if isinstance(info, dict) else None
        except (BackendRaised, BackendUnsupported):
            found = None
        ctx.state["capabilities"] = found if isinstance(found, dict) else None
    return ctx.state["capabilities"]


def not_applicable_reason(ctx: Context, req: Requirement, doc: Document) -> str | None:
    """Why the requirement does not apply to this backend, or None when it does."""
    condition = requirement_data(doc, req.id).get("applies_if")
    if not condition:
        return None
    declared = capabilities(ctx)
    key = condition["capability"]
    if declared is None or declared.get(key) is not False:
        return None
    section = (condition.get("provenance") or {}).get("section", "the standard")
    return (f"the backend declares __array_namespace_info__().capabilities()[{key!r}] = False; "
            f"the standard lets such a library omit this ({section})")


def gate(check: Check) -> Check:
    """``check`` that first declares the requirement not applicable where the backend may omit it."""
    def gated(ctx: Context, req: Requirement, doc: Document) -> Outcome | Property:
        reason = not_applicable_reason(ctx, req, doc)
        if reason:
            raise NotApplicableHere(reason)
        return check(ctx, req, doc)

    gated.__name__ = getattr(check, "__name__", "check")
    gated.__doc__ = check.__doc__
    return gated
