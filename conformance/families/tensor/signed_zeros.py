"""-0 and +0 in set functions: the standard says they "should" not be distinct (a SHOULD, not a MUST).

The unique_* documents carry a SHOULD requirement with ``compare: {aspect: signed-zeros}`` whose
inputs all hold both zeros; their MUST requirements accept the zeros merged or apart (values) or
leave such inputs out (shape), so a backend keeping them apart fails the SHOULD only.
"""

from __future__ import annotations

import numpy as np

from accord.spec.model import Document

from . import oracle


def apart_allowed(doc: Document) -> bool:
    """Whether the document leaves -0 / +0 apart to a SHOULD requirement of its own."""
    return any(r.compare.get("aspect") == "signed-zeros" for r in doc.requirements)


def both_in(call: dict) -> bool:
    """Whether a call's array inputs hold both a -0 and a +0."""
    for arg in [*call.get("args", []), *call.get("kwargs", {}).values()]:
        x = oracle.decode(arg)
        if isinstance(x, np.ndarray) and x.dtype.kind in "fc" and x.size:
            signs = np.signbit(x[x == 0])
            if signs.any() and not signs.all():
                return True
    return False


def room(call: dict) -> bool:
    """A first argument that can hold both zeros: a real floating array of two elements or more."""
    x = oracle.decode(call["args"][0])
    return isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.size >= 2


def injected(call: dict) -> dict:
    """The call with its first array's first element -0 and last element +0."""
    x = np.array(oracle.decode(call["args"][0]), copy=True)
    x.flat[0], x.flat[-1] = -0.0, 0.0
    return {**call, "args": [oracle.encode(x), *call["args"][1:]]}
