"""Element-wise functions: unary and binary calls over the promotion table, and ``clip``."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from .base import MAX_DIMS, MAX_SIDE, Inputs, array, builder, elements, name_of, scalar_of, shapes, value_of


@builder("elementwise")
def _elementwise(inputs: Inputs) -> st.SearchStrategy:
    params = inputs.params
    name = name_of(inputs)
    if len(params) == 1:
        pick_dtype = st.sampled_from(inputs.dtypes())

        @st.composite
        def unary(draw: Callable) -> dict:
            dtype = draw(pick_dtype)
            x = draw(array(dtype, draw(shapes()), inputs))
            return oracle.call(name, x)
        return unary()
    pairs = inputs.pairs()
    if inputs.category_override == "complex-floating":
        pairs = [p for p in inputs.pairs("floating", True) if "complex" in p[0] + p[1]]
    if inputs.get("same_dtype"):
        pairs = [p for p in pairs if p[0] == p[1]]
    scalars_ok = params[0]["type"] == "array-or-scalar"
    pair_shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=MAX_DIMS, max_side=MAX_SIDE)
    which_scalar = st.sampled_from(["none", "none", "none", "x1", "x2"])
    pick_pair = st.sampled_from(pairs)

    @st.composite
    def binary(draw: Callable) -> dict:
        d1, d2, _ = draw(pick_pair)
        s1, s2 = draw(pair_shapes).input_shapes
        x1 = draw(array(d1, s1, inputs, "x1"))
        x2 = draw(array(d2, s2, inputs, "x2"))
        if scalars_ok:
            which = draw(which_scalar)
            if which == "x2":
                x2 = draw(scalar_of(d1, inputs, "x2"))
            elif which == "x1":
                x1 = draw(scalar_of(d2, inputs, "x1"))
        return oracle.call(name, x1, x2)
    return binary()


@builder("clip")
def _clip(inputs: Inputs) -> st.SearchStrategy:
    """x with bounds of its own shape, or Python scalars of x's kind (the standard's ``min: Optional[Union[int,
    float, array]]``; kinds that differ are unspecified), min <= max (min > max is unspecified too).

    clip is maximum(minimum(x, max), min) in the standard, whose choice between -0 and +0 is
    unspecified; so a zero bound facing a zero of x takes x's sign, and every result is determined
    (a zero Python scalar bound, which has no such sign to take, is never drawn for floating x).
    """
    @st.composite
    def clip(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        shape = draw(shapes())
        x = draw(array(dtype, shape, inputs))
        kwargs = {}
        floating = np.dtype(dtype).kind == "f"
        if draw(st.booleans()):  # Python scalar bounds
            plain = elements(dtype, inputs, allow_nan=False).map(lambda v: v.item() if hasattr(v, "item") else v)
            scalar = plain.map(float if floating else int).filter(lambda v: not floating or v != 0)
            lo, hi = draw(st.one_of(st.none(), scalar)), draw(st.one_of(st.none(), scalar))
            if lo is not None and hi is not None and lo > hi:
                lo, hi = hi, lo
            return oracle.call("clip", x, **{k: v for k, v in (("min", lo), ("max", hi)) if v is not None})
        bounds = hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, inputs, allow_nan=False))
        lo = draw(st.one_of(st.none(), bounds))
        hi = draw(st.one_of(st.none(), bounds))
        if lo is not None and hi is not None:
            lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
        if np.dtype(dtype).kind == "f":
            xv = value_of(x)
            lo, hi = (None if b is None else np.where((b == 0) & (xv == 0), np.copysign(b, xv), b).astype(dtype)
                      for b in (lo, hi))
        if lo is not None:
            kwargs["min"] = lo
        if hi is not None:
            kwargs["max"] = hi
        return oracle.call("clip", x, **kwargs)
    return clip()
