"""Hypothesis strategies that build calls of spec functions from their ``inputs`` data.

Every strategy returns wire-encoded calls (``{"fn", "args", "kwargs"}``) built from numpy values
with :mod:`hypothesis.extra.numpy`. The edges a document names are reached on purpose: NaN, signed
zeros, infinities and subnormals come from ``from_dtype``; integer extremes from its bounds; empty
and 0-d arrays from the shapes; non-contiguous inputs from ``$view`` (strided or reversed) args;
Python scalars for ``array-or-scalar`` parameters; negative axes and shifts from the axis draws;
negative indices for take / take_along_axis; ties, and ``stable=False`` on tie-free arrays, for sorting.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import oracle
from .oracle import DType, View
from .specdata import TensorData

MAX_SIDE = 3
MAX_DIMS = 3
TIES = (0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 4194303.5, -8388606.5)


class Inputs:
    """The ``inputs`` mapping of a function document plus the dtypes the check is about."""

    def __init__(self, doc: Mapping[str, Any], data: TensorData, dtypes_category: str | None, with_complex: bool) -> None:
        self.doc = doc
        self.spec = doc.get("inputs", {})
        self.data = data
        self.with_complex = with_complex
        self.category_override = dtypes_category
        self.params = list(doc["signature"]["params"])
        self.cache: dict[tuple, st.SearchStrategy] = {}  # building strategies is costly; draws reuse them

    def category(self, param: str | None = None) -> str:
        if self.category_override:
            return self.category_override
        for p in self.params:
            if (param is None or p["name"] == param) and p.get("dtypes"):
                return p["dtypes"]
        return "any"

    def dtypes(self, param: str | None = None) -> tuple[str, ...]:
        return self.data.dtypes(self.category(param), self.with_complex)

    def get(self, key: str, default: Any = None) -> Any:
        return self.spec.get(key, default)


# ------------------------------------------------------------------ elements and arrays


def elements(dtype: str, inputs: Inputs, role: str = "x", *, allow_nan: bool | None = None) -> st.SearchStrategy:
    """Element values for one array of the given dtype, honouring the document's restrictions."""
    key = ("elements", dtype, role, allow_nan)
    if key not in inputs.cache:
        inputs.cache[key] = _elements(dtype, inputs, role, allow_nan)
    return inputs.cache[key]


def _elements(dtype: str, inputs: Inputs, role: str, allow_nan: bool | None) -> st.SearchStrategy:
    np_dtype = np.dtype(dtype)
    if np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        lo, hi = int(info.min), int(info.max)
        magnitude = inputs.get("integer_magnitude")
        if magnitude == "half":
            lo, hi = lo // 2, hi // 2
        elif magnitude == "root":
            r = math.isqrt(hi)
            lo, hi = max(lo, -r), r
        elif magnitude == "no-min":
            lo = lo + 1 if lo < 0 else lo
        elif magnitude == "small":
            lo, hi = max(lo, -3), 3
        if inputs.get("integer_exponent") and role in ("x1", "x2"):
            lo, hi = max(lo, -3 if role == "x1" else 0), 3
        if inputs.get("shift") and role == "x2":
            lo, hi = 0, 7
        strategy = st.integers(lo, hi)
        if inputs.get("integer_divisor_nonzero") and role == "x2":
            strategy = strategy.filter(lambda v: v != 0)
        return strategy
    if np_dtype.kind == "b":
        return st.booleans()
    nan = inputs.get("allow_nan", True) if allow_nan is None else allow_nan
    if inputs.get("float_magnitude") == "moderate":
        base = hnp.from_dtype(np_dtype, min_value=-4, max_value=4, allow_nan=False, allow_infinity=False)
        if np_dtype.kind == "c":
            base = st.builds(complex, st.floats(-4, 4, width=32), st.floats(-4, 4, width=32))
        return base
    if np_dtype.kind == "c":
        # NaN / infinite components are the complex special-case rows' business (``complex-special-cases``,
        # several with unspecified signs): values are checked on finite components of moderate size
        # (|component| <= 64), so that cosh/sinh/exp of them stay finite in complex64
        part = st.floats(-64, 64, width=32 if np_dtype == np.complex64 else 64)
        return st.builds(complex, part, part)
    base = hnp.from_dtype(np_dtype, allow_nan=nan, allow_infinity=nan, allow_subnormal=True)
    if inputs.get("ties") and np_dtype.kind == "f":
        return st.one_of(base, st.sampled_from(TIES))
    return base


def array(dtype: str, shape: tuple[int, ...], inputs: Inputs, role: str = "x", *, views: bool = True,
          elems: st.SearchStrategy | None = None, unique: bool = False) -> st.SearchStrategy:
    """An array argument, sometimes handed over as a non-contiguous view of a larger array.

    ``unique`` draws pairwise unequal elements (by ``==``, so never both -0 and +0).
    """
    key = ("array", dtype, tuple(shape), role, views, unique)
    if elems is None and key in inputs.cache:
        return inputs.cache[key]
    made = _array(dtype, tuple(shape), inputs, role, views, elems, unique)
    if elems is None:
        inputs.cache[key] = made
    return made


def _array(dtype: str, shape: tuple[int, ...], inputs: Inputs, role: str, views: bool,
           elems: st.SearchStrategy | None, unique: bool = False) -> st.SearchStrategy:
    elems = elems if elems is not None else elements(dtype, inputs, role)
    plain = hnp.arrays(np.dtype(dtype), shape, elements=elems, unique=unique)
    if not views or not shape:
        return plain
    strided_shape = (*shape[:-1], 2 * shape[-1])
    strided = hnp.arrays(np.dtype(dtype), strided_shape, elements=elems, unique=unique).map(
        lambda base: View(base, (Ellipsis, slice(None, None, 2))))
    reversed_ = plain.map(lambda base: View(base, (Ellipsis, slice(None, None, -1))))
    return st.one_of(plain, plain, strided, reversed_)


def value_of(arg: Any) -> np.ndarray:
    """The numpy value an argument stands for (a view materialised)."""
    if isinstance(arg, View):
        return arg.base[arg.key]
    return arg


@functools.cache
def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 0, max_side: int = MAX_SIDE) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def scalar_of(dtype: str, inputs: Inputs, role: str) -> st.SearchStrategy:
    """A Python scalar whose kind is allowed with arrays of ``dtype`` and whose value it represents."""
    key = ("scalar", dtype, role)
    if key not in inputs.cache:
        inputs.cache[key] = _scalar_of(dtype, inputs, role)
    return inputs.cache[key]


def _scalar_of(dtype: str, inputs: Inputs, role: str) -> st.SearchStrategy:
    return elements(dtype, inputs, role).map(lambda v: v.item() if hasattr(v, "item") else v).map(
        lambda v: bool(v) if np.dtype(dtype).kind == "b" else (int(v) if np.dtype(dtype).kind in "iu" else v))


def axis_for(draw: Callable, ndim: int, *, none: bool = True, many: bool = False) -> Any:
    """An axis (negative ones included), a tuple of distinct axes, or None."""
    options = ["none"] if none else []
    if ndim:
        options.append("int")
        if many:
            options.append("tuple")
    if not options:
        return None
    kind = draw(st.sampled_from(options))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    return tuple(draw(st.sampled_from([a, a - ndim])) for a in picked)


# ------------------------------------------------------------------ per-strategy builders

Builder = Callable[[Inputs], st.SearchStrategy]
BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        BUILDERS[name] = fn
        return fn

    return register


def build(inputs: Inputs) -> st.SearchStrategy:
    """Calls of the document's function with valid arguments."""
    return BUILDERS[inputs.get("strategy")](inputs)


def _name(inputs: Inputs) -> str:
    return inputs.doc["name"]


@builder("elementwise")
def _elementwise(inputs: Inputs) -> st.SearchStrategy:
    params = inputs.params
    name = _name(inputs)
    if len(params) == 1:
        pick_dtype = st.sampled_from(inputs.dtypes())

        @st.composite
        def unary(draw: Callable) -> dict:
            dtype = draw(pick_dtype)
            x = draw(array(dtype, draw(shapes()), inputs))
            return oracle.call(name, x)
        return unary()
    pairs = inputs.data.pairs(inputs.category(), inputs.with_complex)
    if inputs.category_override == "complex-floating":
        pairs = [p for p in inputs.data.pairs("floating", True) if "complex" in p[0] + p[1]]
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
    """x with bounds of its own shape (min <= max: the standard leaves min > max unspecified).

    clip is maximum(minimum(x, max), min) in the standard, whose choice between -0 and +0 is
    unspecified; so a zero bound facing a zero of x takes x's sign, and every result is determined.
    """
    @st.composite
    def clip(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        shape = draw(shapes())
        x = draw(array(dtype, shape, inputs))
        kwargs = {}
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


def _reduction_x(draw: Callable, inputs: Inputs, min_dims: int = 0) -> tuple[str, Any, np.ndarray]:
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    shape = draw(shapes(min_dims=max(min_dims, inputs.get("min_dims", 0)), max_side=3, min_side=inputs.get("min_side", 0)))
    x = draw(array(dtype, shape, inputs))
    return dtype, x, value_of(x)


@builder("reduction")
def _reduction(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)
    kinds = {p["name"]: p["type"] for p in inputs.params}

    @st.composite
    def reduction(draw: Callable) -> dict:
        dtype, x, xv = _reduction_x(draw, inputs)
        kwargs: dict[str, Any] = {}
        axis = axis_for(draw, xv.ndim, many=kinds.get("axis") == "axes-or-none")
        if axis is not None or draw(st.booleans()):
            kwargs["axis"] = axis
        if "keepdims" in kinds and draw(st.booleans()):
            kwargs["keepdims"] = draw(st.booleans())
        if "correction" in kinds:
            reduced = xv.shape if axis is None else [xv.shape[a] for a in ((axis,) if isinstance(axis, int) else axis)]
            n = int(np.prod(reduced))
            # N - correction <= 0 divides by zero or a negative count: the standard leaves that unspecified
            kwargs["correction"] = draw(st.sampled_from([c for c in inputs.get("correction", [0.0]) if c < n] or [0.0]))
        if "dtype" in kinds and np.dtype(dtype).kind in "fc" and draw(st.booleans()):
            kwargs["dtype"] = DType(dtype)
        return oracle.call(name, x, **kwargs)
    return reduction()


@builder("cumulative")
def _cumulative(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)

    @st.composite
    def cumulative(draw: Callable) -> dict:
        dtype, x, xv = _reduction_x(draw, inputs, min_dims=1)
        kwargs: dict[str, Any] = {}
        axis = axis_for(draw, xv.ndim, none=xv.ndim == 1)
        if axis is not None:
            kwargs["axis"] = axis
        if draw(st.booleans()):
            kwargs["include_initial"] = draw(st.booleans())
        if np.dtype(dtype).kind in "fc" and draw(st.booleans()):
            kwargs["dtype"] = DType(dtype)
        return oracle.call(name, x, **kwargs)
    return cumulative()


def _dtype_kw(draw: Callable, inputs: Inputs, kinds: str = "any") -> dict[str, Any]:
    if draw(st.booleans()):
        return {"dtype": DType(draw(st.sampled_from(inputs.data.dtypes(kinds, inputs.with_complex))))}
    return {}


@builder("arange")
def _arange(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def arange(draw: Callable) -> dict:
        if draw(st.booleans()):
            start = draw(st.integers(-20, 20))
            step = draw(st.integers(-5, 5).filter(bool))
            stop = draw(st.integers(-20, 20))
            dtype = draw(st.sampled_from([None, "int32", "int64", "float64"]))
        else:
            start = draw(st.integers(-40, 40)) / 4
            step = draw(st.integers(-8, 8).filter(bool)) / 4
            stop = draw(st.integers(-40, 40)) / 4
            dtype = draw(st.sampled_from([None, "float32", "float64"]))
        kwargs = {"dtype": DType(dtype)} if dtype else {}
        form = draw(st.sampled_from(["start", "start-stop", "all"]))
        if form == "start":
            return oracle.call("arange", abs(start), **kwargs)
        if form == "start-stop":
            return oracle.call("arange", start, stop, **kwargs)
        return oracle.call("arange", start, stop, step, **kwargs)
    return arange()


@builder("asarray")
def _asarray(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def asarray(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.data.dtypes("any", inputs.with_complex)))
        x = draw(array(dtype, draw(shapes()), inputs))
        if draw(st.booleans()):
            return oracle.call("asarray", x)
        return oracle.call("asarray", value_of(x).tolist(), dtype=DType(dtype))
    return asarray()


def _shape_arg(draw: Callable) -> Any:
    shape = draw(shapes(max_side=3))
    if len(shape) == 1 and draw(st.booleans()):
        return shape[0]
    return shape


@builder("creation-shape")
def _creation_shape(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)
    return st.composite(lambda draw: oracle.call(name, _shape_arg(draw), **_dtype_kw(draw, inputs)))()


@builder("full")
def _full(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def full(draw: Callable) -> dict:
        shape = _shape_arg(draw)
        dtype = draw(st.sampled_from(inputs.data.dtypes("any", inputs.with_complex)))
        fill = draw(scalar_of(dtype, inputs, "fill"))
        if draw(st.booleans()):
            return oracle.call("full", shape, fill, dtype=DType(dtype))
        if isinstance(fill, int) and not isinstance(fill, bool) and not -2**31 <= fill < 2**31:
            fill = fill % 1000
        return oracle.call("full", shape, fill)
    return full()


@builder("like")
def _like(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)

    @st.composite
    def like(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        return oracle.call(name, draw(array(dtype, draw(shapes()), inputs)), **_dtype_kw(draw, inputs))
    return like()


@builder("full_like")
def _full_like(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def full_like(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        x = draw(array(dtype, draw(shapes()), inputs))
        return oracle.call("full_like", x, draw(scalar_of(dtype, inputs, "fill")))
    return full_like()


@builder("eye")
def _eye(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def eye(draw: Callable) -> dict:
        args = [draw(st.integers(0, 5))]
        if draw(st.booleans()):
            args.append(draw(st.integers(0, 5)))
        kwargs = _dtype_kw(draw, inputs)
        if draw(st.booleans()):
            kwargs["k"] = draw(st.integers(-6, 6))
        return oracle.call("eye", *args, **kwargs)
    return eye()


@builder("linspace")
def _linspace(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def linspace(draw: Callable) -> dict:
        start = draw(st.floats(-100, 100, allow_subnormal=False))
        stop = draw(st.floats(-100, 100, allow_subnormal=False))
        kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            kwargs["endpoint"] = draw(st.booleans())
        if draw(st.booleans()):
            kwargs["dtype"] = DType(draw(st.sampled_from(["float32", "float64"])))
        return oracle.call("linspace", start, stop, draw(st.integers(0, 8)), **kwargs)
    return linspace()


@builder("meshgrid")
def _meshgrid(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def meshgrid(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
        arrays = [draw(array(dtype, (draw(st.integers(0, 3)),), inputs)) for _ in range(draw(st.integers(1, 3)))]
        kwargs = {"indexing": draw(st.sampled_from(["xy", "ij"]))} if draw(st.booleans()) else {}
        return oracle.call("meshgrid", *arrays, **kwargs)
    return meshgrid()


@builder("triangle")
def _triangle(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)

    @st.composite
    def triangle(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        x = draw(array(dtype, draw(shapes(min_dims=2)), inputs))
        kwargs = {"k": draw(st.integers(-4, 4))} if draw(st.booleans()) else {}
        return oracle.call(name, x, **kwargs)
    return triangle()


def _x(draw: Callable, inputs: Inputs, min_dims: int = 0, **kw: Any) -> tuple[Any, np.ndarray]:
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = draw(array(dtype, draw(shapes(min_dims=max(min_dims, inputs.get("min_dims", 0)), **kw)), inputs))
    return x, value_of(x)


@builder("broadcast_arrays")
def _broadcast_arrays(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def broadcast_arrays(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
        n = draw(st.integers(1, 3))
        found = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=MAX_DIMS, max_side=MAX_SIDE)).input_shapes
        return oracle.call("broadcast_arrays", *[draw(array(dtype, s, inputs)) for s in found])
    return broadcast_arrays()


@builder("broadcast_to")
def _broadcast_to(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def broadcast_to(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, max_side=3)
        target = [draw(st.integers(0, 3)) if n == 1 else n for n in xv.shape]
        lead = draw(st.lists(st.integers(0, 3), max_size=2))
        return oracle.call("broadcast_to", x, tuple(lead + target))
    return broadcast_to()


@builder("concat")
def _concat(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def concat(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
        shape = list(draw(shapes(max_side=3)))
        n = draw(st.integers(1, 3))
        if not shape or draw(st.integers(0, 4)) == 0:
            arrays = [draw(array(dtype, draw(shapes(max_side=3)), inputs)) for _ in range(n)]
            return oracle.call("concat", arrays, axis=None)
        axis = draw(st.integers(-len(shape), len(shape) - 1))
        arrays = []
        for _ in range(n):
            shape[axis] = draw(st.integers(0, 3))
            arrays.append(draw(array(dtype, tuple(shape), inputs)))
        kwargs = {"axis": axis} if axis != 0 or draw(st.booleans()) else {}
        return oracle.call("concat", arrays, **kwargs)
    return concat()


@builder("expand_dims")
def _expand_dims(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def expand_dims(draw: Callable) -> dict:
        x, xv = _x(draw, inputs)
        if draw(st.booleans()):
            out = xv.ndim + 1
            return oracle.call("expand_dims", x, axis=draw(st.integers(-out, out - 1)))
        k = draw(st.integers(1, 2))
        out = xv.ndim + k
        picked = draw(st.lists(st.integers(0, out - 1), min_size=k, max_size=k, unique=True))
        return oracle.call("expand_dims", x, axis=tuple(draw(st.sampled_from([a, a - out])) for a in picked))
    return expand_dims()


@builder("flip")
def _flip(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def flip(draw: Callable) -> dict:
        x, xv = _x(draw, inputs)
        axis = axis_for(draw, xv.ndim, many=True)
        return oracle.call("flip", x, **({"axis": axis} if axis is not None else {}))
    return flip()


@builder("moveaxis")
def _moveaxis(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def moveaxis(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1)
        n = xv.ndim
        k = draw(st.integers(1, n))
        src = draw(st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n))
        dst = draw(st.lists(st.integers(-n, n - 1), min_size=k, max_size=k, unique_by=lambda a: a % n))
        if k == 1 and draw(st.booleans()):
            return oracle.call("moveaxis", x, src[0], dst[0])
        return oracle.call("moveaxis", x, tuple(src), tuple(dst))
    return moveaxis()


@builder("permute_dims")
def _permute_dims(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def permute_dims(draw: Callable) -> dict:
        x, xv = _x(draw, inputs)
        return oracle.call("permute_dims", x, tuple(draw(st.permutations(range(xv.ndim)))))
    return permute_dims()


@builder("repeat")
def _repeat(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def repeat(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1)
        axis = axis_for(draw, xv.ndim)
        n = xv.size if axis is None else xv.shape[axis]
        if draw(st.booleans()):
            repeats = draw(st.integers(0, 3))
        else:
            repeats = np.asarray(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
        return oracle.call("repeat", x, repeats, **({"axis": axis} if axis is not None else {}))
    return repeat()


@builder("reshape")
def _reshape(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def reshape(draw: Callable) -> dict:
        x, xv = _x(draw, inputs)
        size = xv.size
        options = [(size,), tuple(reversed(xv.shape)), (1, size), (size, 1), (-1,)]
        if size:
            options.append((-1, 1))
            for d in range(2, 5):
                if size % d == 0:
                    options += [(d, size // d), (d, -1)]
        return oracle.call("reshape", x, draw(st.sampled_from(options)))
    return reshape()


@builder("roll")
def _roll(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def roll(draw: Callable) -> dict:
        x, xv = _x(draw, inputs)
        axis = axis_for(draw, xv.ndim, many=True)
        if isinstance(axis, tuple):
            shift: Any = tuple(draw(st.integers(-7, 7)) for _ in axis)
        else:
            shift = draw(st.integers(-7, 7))
        return oracle.call("roll", x, shift, **({"axis": axis} if axis is not None else {}))
    return roll()


@builder("squeeze")
def _squeeze(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def squeeze(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        shape = list(draw(shapes(max_side=3)))
        k = draw(st.integers(1, 2))
        for _ in range(k):
            shape.insert(draw(st.integers(0, len(shape))), 1)
        x = draw(array(dtype, tuple(shape), inputs))
        ones = [i for i, n in enumerate(shape) if n == 1]
        picked = draw(st.lists(st.sampled_from(ones), min_size=1, max_size=len(ones), unique=True))
        picked = [draw(st.sampled_from([a, a - len(shape)])) for a in picked]
        return oracle.call("squeeze", x, picked[0] if len(picked) == 1 and draw(st.booleans()) else tuple(picked))
    return squeeze()


@builder("stack")
def _stack(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def stack(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
        shape = draw(shapes(max_side=3))
        arrays = [draw(array(dtype, shape, inputs)) for _ in range(draw(st.integers(1, 3)))]
        out = len(shape) + 1
        return oracle.call("stack", arrays, axis=draw(st.integers(-out, out - 1)))
    return stack()


@builder("tile")
def _tile(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def tile(draw: Callable) -> dict:
        x, _ = _x(draw, inputs, max_side=3)
        return oracle.call("tile", x, tuple(draw(st.lists(st.integers(0, 3), max_size=3))))
    return tile()


@builder("unstack")
def _unstack(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def unstack(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1)
        return oracle.call("unstack", x, axis=draw(st.integers(-xv.ndim, xv.ndim - 1)))
    return unstack()


@builder("nonzero")
def _nonzero(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def nonzero(draw: Callable) -> dict:
        x, _ = _x(draw, inputs, min_dims=1)
        return oracle.call("nonzero", x)
    return nonzero()


@builder("searchsorted")
def _searchsorted(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def searchsorted(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x1")))
        elems = elements(dtype, inputs, allow_nan=False)
        x1 = draw(hnp.arrays(np.dtype(dtype), (draw(st.integers(0, 6)),), elements=elems))
        x2 = draw(hnp.arrays(np.dtype(dtype), draw(shapes(max_side=3)), elements=elems))
        kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            kwargs["side"] = draw(st.sampled_from(["left", "right"]))
        if draw(st.booleans()):
            kwargs["sorter"] = np.argsort(x1, kind="stable").astype(np.int64)
        else:
            x1 = np.sort(x1, kind="stable")
        return oracle.call("searchsorted", x1, x2, **kwargs)
    return searchsorted()


@builder("where")
def _where(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.data.pairs("any", inputs.with_complex)

    @st.composite
    def where(draw: Callable) -> dict:
        d1, d2, _ = draw(st.sampled_from(pairs))
        sc, s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=MAX_DIMS, max_side=MAX_SIDE)).input_shapes
        cond = draw(array("bool", sc, inputs))
        return oracle.call("where", cond, draw(array(d1, s1, inputs, "x1")), draw(array(d2, s2, inputs, "x2")))
    return where()


@builder("unique")
def _unique(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)

    @st.composite
    def unique(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        kind = np.dtype(dtype).kind
        pool = {"b": [False, True], "i": [-3, -1, 0, 2, 5], "u": [0, 1, 2, 7], "f": [-1.5, -0.0, 0.0, 1.0, 2.5, np.inf],
                "c": [0j, 1 + 1j, -1.5j]}[kind]
        x = draw(array(dtype, draw(shapes(max_side=4)), inputs, elems=st.sampled_from(pool)))
        return oracle.call(name, x)
    return unique()


@builder("sort")
def _sort(inputs: Inputs) -> st.SearchStrategy:
    """Ties on purpose (0 and 1 mixed in) for the stable order; ``stable`` passed as True, False or not at all.

    ``stable=False`` leaves the order of equal elements to the backend, so it is drawn only for arrays
    whose elements are pairwise unequal: there every conforming sort has one answer, the reference's.
    NaNs stay out (``allow_nan: false``): the standard leaves their place in the order unspecified.
    """
    name = _name(inputs)
    stables = st.sampled_from([None, True, False]) if inputs.get("stable") else st.just(None)

    @st.composite
    def sort(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        shape = draw(shapes(min_dims=1))
        stable = draw(stables)
        if stable is False and (dtype == "bool" and math.prod(shape) > 2):
            stable = None  # no bool array of more than two elements is free of ties
        if stable is False:
            x = draw(array(dtype, shape, inputs, elems=elements(dtype, inputs, allow_nan=False), unique=True))
        else:
            elems = st.one_of(elements(dtype, inputs, allow_nan=False), st.sampled_from([0, 1]).map(
                lambda v: np.asarray(v).astype(dtype).item()))
            x = draw(array(dtype, shape, inputs, elems=elems))
        kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            kwargs["axis"] = draw(st.integers(-value_of(x).ndim, value_of(x).ndim - 1))
        if draw(st.booleans()):
            kwargs["descending"] = draw(st.booleans())
        if stable is not None:
            kwargs["stable"] = stable
        return oracle.call(name, x, **kwargs)
    return sort()


@builder("diff")
def _diff(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def diff(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1)
        kwargs: dict[str, Any] = {}
        axis = draw(st.integers(-xv.ndim, xv.ndim - 1))
        if axis != -1 or draw(st.booleans()):
            kwargs["axis"] = axis
        if draw(st.booleans()):
            kwargs["n"] = draw(st.integers(1, 2))  # n=0 with prepend/append is read differently across libraries
        for side in ("prepend", "append"):
            if draw(st.integers(0, 3)) == 0:
                shape = list(xv.shape)
                shape[axis] = draw(st.integers(0, 2))
                kwargs[side] = draw(array(xv.dtype.name, tuple(shape), inputs, views=False))
        return oracle.call("diff", x, **kwargs)
    return diff()


@builder("astype")
def _astype(inputs: Inputs) -> st.SearchStrategy:
    pairs = [(a, r) for a, _, r in inputs.data.pairs("any", inputs.with_complex)]

    @st.composite
    def astype(draw: Callable) -> dict:
        source, target = draw(st.sampled_from(pairs))
        x = draw(array(source, draw(shapes()), inputs))
        kwargs = {"copy": draw(st.booleans())} if draw(st.booleans()) else {}
        return oracle.call("astype", x, DType(target), **kwargs)
    return astype()


@builder("can_cast")
def _can_cast(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.data.pairs("any", inputs.with_complex)
    return st.sampled_from(pairs).map(lambda p: oracle.call("can_cast", DType(p[0]), DType(p[2])))


@builder("info")
def _info(inputs: Inputs) -> st.SearchStrategy:
    name = _name(inputs)
    return st.sampled_from(inputs.dtypes("type")).map(lambda d: oracle.call(name, DType(d)))


@builder("isdtype")
def _isdtype(inputs: Inputs) -> st.SearchStrategy:
    kinds = ["bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric"]
    dtypes = inputs.data.dtypes("any", inputs.with_complex)

    @st.composite
    def isdtype(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(dtypes))
        if draw(st.booleans()):
            kind: Any = draw(st.sampled_from(kinds))
        else:
            kind = tuple(draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True)))
        return oracle.call("isdtype", DType(dtype), kind)
    return isdtype()


@builder("result_type")
def _result_type(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.data.pairs("any", inputs.with_complex)
    data = inputs.data

    @st.composite
    def result_type(draw: Callable) -> dict:
        a, b, r = draw(st.sampled_from(pairs))
        args: list[Any] = [DType(a), DType(b)]
        third = draw(st.sampled_from([None, *[p[1] for p in pairs if p[0] == r]]))
        if third is not None:
            args.append(DType(third))
        if draw(st.booleans()):
            args[0] = np.zeros((1,), dtype=a)
        return oracle.call("result_type", *args)
    del data
    return result_type()


def _numeric_pair(draw: Callable, inputs: Inputs) -> tuple[str, str]:
    pairs = inputs.data.pairs(inputs.category("x1"), inputs.with_complex)
    a, b, _ = draw(st.sampled_from(pairs))
    return a, b


@builder("matmul")
def _matmul(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def matmul(draw: Callable) -> dict:
        a, b = _numeric_pair(draw, inputs)
        n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
        k = max(k, 1) if draw(st.booleans()) else k
        b1, b2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
        form = draw(st.sampled_from(["mm", "mm", "vm", "mv", "vv"]))
        s1 = (k,) if form in ("vm", "vv") else (*b1, n, k)
        s2 = (k,) if form in ("mv", "vv") else (*b2, k, m)
        return oracle.call("matmul", draw(array(a, s1, inputs, "x1")), draw(array(b, s2, inputs, "x2")))
    return matmul()


@builder("matrix_transpose")
def _matrix_transpose(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def matrix_transpose(draw: Callable) -> dict:
        x, _ = _x(draw, inputs, min_dims=2)
        return oracle.call("matrix_transpose", x)
    return matrix_transpose()


@builder("tensordot")
def _tensordot(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def tensordot(draw: Callable) -> dict:
        a, b = _numeric_pair(draw, inputs)
        shared = draw(st.lists(st.integers(0, 3), max_size=2))
        left = draw(st.lists(st.integers(0, 3), max_size=2))
        right = draw(st.lists(st.integers(0, 3), max_size=2))
        x1 = draw(array(a, tuple(left + shared), inputs, "x1"))
        x2 = draw(array(b, tuple(shared + right), inputs, "x2"))
        n = len(shared)
        if draw(st.booleans()):
            axes: Any = n
        else:
            axes = (tuple(range(len(left), len(left) + n)), tuple(range(n)))
        kwargs = {"axes": axes} if axes != 2 or draw(st.booleans()) else {}
        return oracle.call("tensordot", x1, x2, **kwargs)
    return tensordot()


@builder("vecdot")
def _vecdot(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def vecdot(draw: Callable) -> dict:
        a, b = _numeric_pair(draw, inputs)
        s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3)).input_shapes
        k = draw(st.integers(0, 3))
        x1 = draw(array(a, (*s1, k), inputs, "x1"))
        x2 = draw(array(b, (*s2, k), inputs, "x2"))
        return oracle.call("vecdot", x1, x2, **({"axis": -1} if draw(st.booleans()) else {}))
    return vecdot()


@builder("take")
def _take(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def take(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1, min_side=1)
        axis = draw(st.integers(-xv.ndim, xv.ndim - 1)) if xv.ndim > 1 or draw(st.booleans()) else None
        n = xv.shape[axis if axis is not None else 0]
        # negative indices count from the end (standard 2024.12); out-of-bounds ones are unspecified
        idx = np.asarray(draw(st.lists(st.integers(-n, n - 1), max_size=5)), dtype=np.int64)
        return oracle.call("take", x, idx, **({"axis": axis} if axis is not None else {}))
    return take()


@builder("take_along_axis")
def _take_along_axis(inputs: Inputs) -> st.SearchStrategy:
    @st.composite
    def take_along_axis(draw: Callable) -> dict:
        x, xv = _x(draw, inputs, min_dims=1, min_side=1)
        axis = draw(st.integers(-xv.ndim, xv.ndim - 1))
        shape = list(xv.shape)
        n = shape[axis]
        shape[axis] = draw(st.integers(0, 4))
        idx = draw(hnp.arrays(np.int64, tuple(shape), elements=st.integers(-n, n - 1)))  # negative: from the end
        return oracle.call("take_along_axis", x, idx, **({"axis": axis} if axis != -1 or draw(st.booleans()) else {}))
    return take_along_axis()
