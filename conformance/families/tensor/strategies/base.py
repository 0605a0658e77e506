"""Shared pieces of the call builders: the ``Inputs`` a check draws from, elements, arrays, shapes, axes,
and the builder registry."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..oracle import DType, View, call
from ..specdata import TensorData

MAX_SIDE = 3
MAX_DIMS = 3
TIES = (0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 4194303.5, -8388606.5)


class Inputs:
    """The ``inputs`` mapping of a function document plus the dtypes the check may draw.

    Every dtype a builder draws passes :meth:`allow` (through :meth:`dtypes`, :meth:`dtypes_of`,
    :meth:`pairs` or :meth:`dtype_pairs`): the one place where a check leaves out the dtypes the
    backend does not support for this function (``exclude``), keeps to the default dtypes
    (``defaults_only``: a signature judged by calling is about parameters, not dtypes), or probes a
    single dtype (``only``: every choice is that dtype, or a pair containing it).
    """

    def __init__(self, doc: Mapping[str, Any], data: TensorData, dtypes_category: str | None, with_complex: bool,
                 *, only: str | None = None, exclude: Iterable[str] = (), defaults_only: bool = False) -> None:
        self.doc = doc
        self.spec = doc.get("inputs", {})
        self.data = data
        self.with_complex = with_complex
        self.category_override = dtypes_category
        self.params = list(doc["signature"]["params"])
        self.only = only
        self.exclude = frozenset(exclude)
        self.defaults_only = defaults_only
        self.excluded: set[str] = set()  # the dtypes a choice left out because of ``exclude``
        self.cache: dict[tuple, st.SearchStrategy] = {}  # building strategies is costly; draws reuse them

    def category(self, param: str | None = None) -> str:
        if self.category_override:
            return self.category_override
        for p in self.params:
            if (param is None or p["name"] == param) and p.get("dtypes"):
                return p["dtypes"]
        return "any"

    def _kept(self, dtype: str) -> bool:
        if self.defaults_only and dtype not in self.data.default_dtypes():
            return False
        if dtype in self.exclude:
            self.excluded.add(dtype)
            return False
        return True

    def allow(self, dtypes: Iterable[str | None]) -> tuple[Any, ...]:
        """The dtypes of ``dtypes`` this check may draw (``None``, "no dtype given", is kept unless probing)."""
        if self.only is not None:
            return tuple(d for d in dtypes if d == self.only)
        return tuple(d for d in dtypes if d is None or self._kept(d))

    def allow_tuples(self, rows: Iterable[tuple[str, ...]], width: int = 2) -> list[tuple[str, ...]]:
        """Rows whose first ``width`` dtypes may all be drawn.

        Probing a dtype: the rows pairing it with itself, a default dtype or the narrowest dtype of its
        kind (uint64 promotes with unsigned ones only), so that a refusal is the probed dtype's (uint8
        with uint32 would blame uint8 for a uint32 gap).
        """
        if self.only is not None:
            kind = self.data.kind(self.only)
            narrowest = min((d for d, row in self.data.limits.items() if row["kind"] == kind),
                            key=lambda d: self.data.limits[d]["bits"])
            partners = self.data.default_dtypes() | {self.only, narrowest}
            found = [r for r in rows if self.only in r[:width] and all(d in partners for d in r[:width])]
            # a mixed row first: a probe's first (simplest) call then meets the promotion as well as the kernel
            return sorted(found, key=lambda r: len(set(r[:width])) == 1)
        return [r for r in rows if all([self._kept(d) for d in r[:width]])]

    def dtypes(self, param: str | None = None) -> tuple[str, ...]:
        """The dtypes of a parameter's category (the document's first one without ``param``)."""
        return self.allow(self.data.dtypes(self.category(param), self.with_complex))

    def dtypes_of(self, category: str) -> tuple[str, ...]:
        """The dtypes of a named category (a ``dtype=`` keyword, a creation function's element type)."""
        return self.allow(self.data.dtypes(category, self.with_complex))

    def pairs(self, category: str | None = None, with_complex: bool | None = None) -> list[tuple[str, str, str]]:
        """Promotion-table rows (x1, x2, result) of a category whose operand dtypes may be drawn."""
        found = self.data.pairs(category or self.category(), self.with_complex if with_complex is None else with_complex)
        return self.allow_tuples(found)

    def get(self, key: str, default: Any = None) -> Any:
        return self.spec.get(key, default)

    def element_profile(self) -> tuple[tuple[str, Any], ...]:
        """The document's restrictions that element, array and scalar strategies read: documents with
        the same profile (most have none) draw from the same strategies, so they are built once."""
        return tuple((k, self.spec[k]) for k in ELEMENT_KEYS if k in self.spec)


#: the ``inputs`` keys :func:`elements` reads, and the ones among them that depend on the argument's role
ELEMENT_KEYS = ("integer_magnitude", "integer_exponent", "shift", "integer_divisor_nonzero", "allow_nan",
                "float_magnitude", "ties")
ROLE_KEYS = ("integer_exponent", "shift", "integer_divisor_nonzero")


def _role_key(inputs: Inputs, role: str) -> str:
    """``role`` where the document restricts by role, else one key for every role (same elements)."""
    return role if any(k in inputs.spec for k in ROLE_KEYS) else "*"


# ------------------------------------------------------------------ elements and arrays


def elements(dtype: str, inputs: Inputs, role: str = "x", *, allow_nan: bool | None = None) -> st.SearchStrategy:
    """Element values for one array of the given dtype, honouring the document's restrictions."""
    key = ("elements", dtype, _role_key(inputs, role), allow_nan)
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
    key = ("array", dtype, tuple(shape), _role_key(inputs, role), views, unique)
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
    key = ("scalar", dtype, _role_key(inputs, role))
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


DrawCall = Callable[[Callable, Inputs], dict]


def draws(name: str) -> Callable[[DrawCall], DrawCall]:
    """Registers ``fn(draw, inputs) -> call`` as the builder ``name``: a composite strategy of its draws.

    The common form of a builder, so that a section module writes only what it draws.
    """

    def register(fn: DrawCall) -> DrawCall:
        # made a composite once, here: hypothesis parses a composite's source each time one is made (about a
        # millisecond, once per strategy built when this was made inside the builder)
        @st.composite
        def calls(draw: Callable, inputs: Inputs) -> dict:
            return fn(draw, inputs)

        BUILDERS[name] = calls
        return fn

    return register


def one_array(name: str, min_dims: int) -> None:
    """Registers the builder ``name``: the function called on its ``x`` alone, of at least ``min_dims`` dimensions."""

    @draws(name)
    def one(draw: Callable, inputs: Inputs) -> dict:
        x, _ = x_of(draw, inputs, min_dims=min_dims)
        return call(name, x)


def build(inputs: Inputs) -> st.SearchStrategy:
    """Calls of the document's function with valid arguments."""
    return BUILDERS[inputs.get("strategy")](inputs)


def name_of(inputs: Inputs) -> str:
    return inputs.doc["name"]


def x_of(draw: Callable, inputs: Inputs, min_dims: int = 0, **kw: Any) -> tuple[Any, np.ndarray]:
    """The ``x`` argument of a one-array function and its value."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = draw(array(dtype, draw(shapes(min_dims=max(min_dims, inputs.get("min_dims", 0)), **kw)), inputs))
    return x, value_of(x)


def dtype_kw(draw: Callable, inputs: Inputs, kinds: str = "any") -> dict[str, Any]:
    """A ``dtype=`` keyword, or none (probing a dtype: always that one)."""
    if inputs.only is not None or draw(st.booleans()):
        return {"dtype": DType(draw(st.sampled_from(inputs.dtypes_of(kinds))))}
    return {}
