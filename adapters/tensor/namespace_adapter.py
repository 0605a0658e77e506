"""Generic tensor adapter: runs the tensor family's ops on an array-API-style namespace.

A concrete adapter names its namespace, its :class:`~accord.spec.tensor.wire.Codec`
and, where the backend deviates in name or signature only, a few documented
``overrides`` (name -> callable). Everything else is shared here:

``invoke(op, args)`` decodes the wire arguments, runs the op natively and encodes the
result. Ops (``args`` is a JSON object):

* ``call`` ``{"fn", "args": [...], "kwargs": {...}}`` -> ``xp.<fn>(*args, **kwargs)``;
  ``fn`` may be ``"__array_namespace_info__.<method>"`` to call a method of the
  namespace's info object (``capabilities``, ``default_dtypes``, ``dtypes``, …).
* ``method`` ``{"method", "self", "args", "kwargs"}`` -> the array method; binary and unary
  operators go through :mod:`operator` (exactly what ``x + y`` does), in-place forms through
  ``operator.iadd`` & co. (exactly ``x += y``) and return the rebound ``x``; ``__bool__``,
  ``__int__``, ``__float__``, ``__complex__``, ``__index__`` go through the builtins.
* ``getitem`` ``{"self", "key"}`` -> ``self[key]``; ``setitem`` ``{"self", "key", "value"}``
  -> ``self`` after ``self[key] = value``.
* ``attribute`` ``{"self", "name"}`` -> ``self.<name>`` (shape, dtype, ndim, size, T, mT).
* ``signature`` ``{"fn"}`` -> ``[{"name", "kind", "default"?}]`` (``kind`` as in
  :class:`inspect.Parameter`, ``default`` absent when there is none) or null when the
  function is not introspectable.
* ``snippet`` ``{"op", "args"}`` -> :meth:`snippet` of that op (a string), rendered in the worker.
* ``result_types`` ``{"op", "args"}`` -> runs that op and lists the arrays of its result that are not
  of the namespace's own array type (:meth:`is_own_array`): ``[{"path", "type"}]`` (the wire would
  carry a numpy array a backend returns like any other, so this asks before encoding).
* ``dlpack_exchange`` ``{"x", "source", "kwargs", "value"}`` -> ``[from_dlpack(x, **kwargs), written]``
  with the result read after ``x[...] = value`` (:mod:`.dlpack_op`).
* ``namespace_info`` ``{"names"?: [...]}`` -> ``{"array_api_version", "dtypes", "functions", "capabilities"}``
  (``functions``: those of ``names`` present, or every public callable; ``capabilities``: what
  ``__array_namespace_info__().capabilities()`` declares, or null).

Exceptions raised by the backend propagate unchanged; the worker reports them.
:meth:`run` is the in-process path without the wire (what a user pays per call).

Shims: every override is declared in ``meta.shims``. The option ``raw`` (``accord run --raw``)
turns them all off: the backend's own namespace is called as it is, and the adapter reports
itself as ``"<name> (raw namespace)"`` with no shims.
"""

from __future__ import annotations

import inspect
import math
import operator
from collections.abc import Callable
from typing import Any, ClassVar

from accord.adapters.base import Adapter, AdapterUnsupported
from accord.adapters.tensor import bench_op
from accord.spec.tensor import wire

from . import dlpack_op

#: the dtypes of the tensor spec (float16 travels on the wire but is not a spec dtype)
SPEC_DTYPES: tuple[str, ...] = tuple(d for d in wire.DTYPE_NAMES if d != "float16")

#: the standard's name in the tensor spec's manifests (``standards``), for :meth:`Adapter.revision`
ARRAY_API_STANDARD = "Python array API standard"

_BINARY = {
    "__add__": operator.add,
    "__sub__": operator.sub,
    "__mul__": operator.mul,
    "__truediv__": operator.truediv,
    "__floordiv__": operator.floordiv,
    "__mod__": operator.mod,
    "__pow__": operator.pow,
    "__matmul__": operator.matmul,
    "__and__": operator.and_,
    "__or__": operator.or_,
    "__xor__": operator.xor,
    "__lshift__": operator.lshift,
    "__rshift__": operator.rshift,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
}
_INPLACE = {
    "__iadd__": operator.iadd,
    "__isub__": operator.isub,
    "__imul__": operator.imul,
    "__itruediv__": operator.itruediv,
    "__ifloordiv__": operator.ifloordiv,
    "__imod__": operator.imod,
    "__ipow__": operator.ipow,
    "__imatmul__": operator.imatmul,
    "__iand__": operator.iand,
    "__ior__": operator.ior,
    "__ixor__": operator.ixor,
    "__ilshift__": operator.ilshift,
    "__irshift__": operator.irshift,
}
_UNARY: dict[str, Callable[[Any], Any]] = {
    "__neg__": operator.neg,
    "__pos__": operator.pos,
    "__abs__": operator.abs,
    "__invert__": operator.invert,
    "__bool__": bool,
    "__int__": int,
    "__float__": float,
    "__complex__": complex,
    "__index__": operator.index,
}
#: method name -> Python operator spelling, for snippets
_SYMBOL = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
    "matmul": "@", "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>",
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
}  # fmt: skip
_UNARY_SYMBOL = {"__neg__": "-", "__pos__": "+", "__invert__": "~"}
ATTRIBUTES = frozenset({"shape", "dtype", "ndim", "size", "T", "mT"})
INFO_PREFIX = "__array_namespace_info__."


class NamespaceAdapter(Adapter):
    """Base of every tensor adapter: the op dispatch, the wire, and copy-paste snippets.

    Subclasses implement :meth:`load_namespace` and :meth:`make_codec`, may fill
    :meth:`make_overrides`, and set the snippet hooks (``snippet_header``, ``alias``).
    """

    #: source lines that import the backend in a snippet
    snippet_header: ClassVar[str] = "import numpy as np"
    #: the namespace's name in a snippet
    alias: ClassVar[str] = "np"

    # set by start(); class-level defaults because Adapter is a dataclass without __post_init__
    xp: Any = None
    codec: wire.Codec | None = None
    overrides: ClassVar[dict[str, Callable[..., Any]]] = {}
    resolved: ClassVar[dict[str, Callable[..., Any]]] = {}  # name -> callable, filled by function()
    #: the names make_overrides() maps, known without starting the backend (snippets are
    #: rendered in the kit's process, where the adapter is never started); a test keeps it exact
    override_names: ClassVar[frozenset[str]] = frozenset()
    accepted_options: ClassVar[frozenset[str]] = frozenset({"raw"})

    @property
    def raw(self) -> bool:
        """The backend's own namespace, every shim off (``accord run --raw``)."""
        return bool(self.options.get("raw"))

    def meta_json(self) -> dict[str, Any]:
        """In raw mode: named ``"<name> (raw namespace)"``, with no shims (none is active)."""
        data = self.meta.to_json()
        if self.raw:
            data["name"] = f"{data['name']} (raw namespace)"
            data["shims"] = []
        return data

    # -- to be provided by a concrete adapter -------------------------------------------
    def load_namespace(self) -> Any:
        raise NotImplementedError

    def make_codec(self) -> wire.Codec:
        raise NotImplementedError

    def make_overrides(self) -> dict[str, Callable[..., Any]]:
        """Workarounds: spec name -> callable, each documented in the adapter's docstring."""
        return {}

    def finish(self, value: Any) -> Any:
        """Turn a native result into something the codec encodes (e.g. compute lazily)."""
        return value

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        if self.xp is None:
            self.xp = self.load_namespace()
            self.codec = self.make_codec()
            self.overrides = {} if self.raw else self.make_overrides()
            self.resolved = dict(self.overrides)
            self.codec.devices = self.list_devices()

    def list_devices(self) -> tuple[Any, ...] | None:
        """``devices()`` of the info object, so a device result travels as its place in it (wire ``$device``)."""
        try:
            return tuple(self.function(INFO_PREFIX + "devices")())
        except Exception:  # no info object or no devices(): a device result then cannot travel
            return None

    def stop(self) -> None:
        self.xp = None
        self.codec = None
        self.overrides = {}
        self.resolved = {}

    # -- the family ops --------------------------------------------------------------------
    def invoke(self, op: str, args: Any) -> Any:
        self.start()
        assert self.codec is not None
        if op == "signature":
            return self.signature(args["fn"])
        if op == "namespace_info":
            return self.namespace_info((args or {}).get("names"))
        if op == "bench":  # timed here, on arrays built here (accord bench)
            return bench_op.bench(self, args)
        if op == "snippet":  # rendered where the backend runs (e.g. another venv)
            return self.snippet(args["op"], args["args"])
        if op == "result_types":  # which arrays of an op's result are not the namespace's own
            result = self.run(args["op"], wire.decode(args["args"], self.codec))
            return [{"path": path, "type": f"{type(v).__module__}.{type(v).__qualname__}"}
                    for path, v in wire.arrays_in(result, self.codec) if not self.is_own_array(v)]
        if op == "dlpack_exchange":  # from_dlpack's memory semantics, observed in the worker
            return wire.encode(self.finish(dlpack_op.exchange(self, args)), self.codec)
        result = self.run(op, wire.decode(args, self.codec))
        return wire.encode(self.finish(result), self.codec)

    def run(self, op: str, args: dict[str, Any]) -> Any:
        """Execute one op on already-decoded native arguments (no wire involved)."""
        if op == "call":
            fn = self.resolved.get(args["fn"]) or self.function(args["fn"])
            kwargs = args.get("kwargs")
            return fn(*args.get("args", ()), **kwargs) if kwargs else fn(*args.get("args", ()))
        if op == "method":
            return self.call_method(
                args["self"], args["method"], args.get("args", ()), args.get("kwargs", {})
            )
        if op == "getitem":
            return args["self"][args["key"]]
        if op == "setitem":
            target = args["self"]
            target[args["key"]] = args["value"]
            return target
        if op == "attribute":
            name = args["name"]
            if name not in ATTRIBUTES:
                raise AdapterUnsupported(f"attribute {name!r}")
            value = getattr(args["self"], name)
            if callable(value):  # e.g. torch's Tensor.size is a method
                raise _backends(TypeError(f"{type(args['self']).__name__}.{name} is a method, not an attribute"))
            return value
        raise AdapterUnsupported(op)

    def function(self, name: str) -> Callable[..., Any]:
        """The callable for a spec function name: an override, or the namespace's own."""
        found = self.overrides.get(name)
        if found is not None:
            return found
        if name.startswith(INFO_PREFIX):
            return getattr(self.xp.__array_namespace_info__(), name[len(INFO_PREFIX) :])
        if name.startswith("_"):
            raise AttributeError(f"{self.meta.name} namespace has no public function {name!r}")
        found = self.xp
        for part in name.split("."):  # an extension's function: linalg.solve is xp.linalg.solve
            found = getattr(found, part)
        self.resolved[name] = found
        return found

    @staticmethod
    def call_method(this: Any, name: str, args: Any, kwargs: dict[str, Any]) -> Any:
        if name in _INPLACE and not kwargs:
            (other,) = args
            return _INPLACE[name](this, other)
        if name in _BINARY and not kwargs:
            (other,) = args
            return _BINARY[name](this, other)
        if name in _UNARY and not args and not kwargs:
            return _UNARY[name](this)
        result = getattr(this, name)(*args, **kwargs)
        if result is NotImplemented:
            raise _backends(TypeError(f"{type(this).__name__}.{name} returned NotImplemented for {args!r}"))
        return result

    def signature(self, fn: str) -> list[dict[str, Any]] | None:
        try:
            sig = inspect.signature(self.function(fn))
        except (TypeError, ValueError):
            return None
        params = []
        for p in sig.parameters.values():
            entry: dict[str, Any] = {"name": p.name, "kind": p.kind.name}
            if p.default is not inspect.Parameter.empty:
                try:
                    entry["default"] = wire.encode(p.default, self.codec)
                except wire.WireError:
                    entry["default"] = {"$repr": repr(p.default)}
            params.append(entry)
        return params

    def namespace_info(self, names: list[str] | None = None) -> dict[str, Any]:
        xp = self.xp
        if names is None:
            names = sorted(n for n in dir(xp) if not n.startswith("_")) + sorted(self.overrides)
        present = []
        for name in dict.fromkeys(names):
            try:
                found = callable(self.function(name))
            except AttributeError:
                found = False
            if found:
                present.append(name)
        return {
            "array_api_version": getattr(xp, "__array_api_version__", None),
            "dtypes": [d for d in SPEC_DTYPES if hasattr(xp, d)],
            "functions": present,
            "capabilities": self.capabilities(),
        }

    def array_types(self) -> tuple[type, ...]:
        """The namespace's array type(s): what its ``asarray`` returns."""
        return (type(self.xp.asarray(0)),)

    def is_own_array(self, value: Any) -> bool:
        """An array object of this namespace: of its array type, or one whose ``__array_namespace__()``
        is this namespace (numpy's scalars are numpy's 0-d array objects)."""
        if isinstance(value, self.array_types()):
            return True
        try:
            return value.__array_namespace__() is self.xp
        except Exception:  # no such method, or it refuses: not this namespace's array
            return False

    def capabilities(self) -> dict[str, Any] | None:
        """``__array_namespace_info__().capabilities()`` as JSON (None when the namespace has none):
        the standard lets a library omit boolean indexing and data-dependent output shapes and say so here."""
        try:
            found = self.function(INFO_PREFIX + "capabilities")()
        except (AttributeError, TypeError, NotImplementedError):
            return None
        return {str(k): v if v is None or isinstance(v, bool | int | str) else repr(v) for k, v in dict(found).items()}

    # -- snippets ----------------------------------------------------------------------------
    def snippet(self, op: str, args: Any) -> str:
        """A copy-paste reproduction of one op in the backend's own API."""
        lines = self.snippet_header.splitlines()
        arrays: list[str] = []

        def render(value: Any, in_key: bool = False) -> str:
            return self._render(value, arrays, lines, in_key)

        args = args or {}
        if op == "call":
            fn = args["fn"]
            parts = [render(a) for a in args.get("args", [])]
            parts += [f"{k}={render(v)}" for k, v in args.get("kwargs", {}).items()]
            if not self.raw and (fn in self.override_names or fn in self.overrides):
                lines.append(f"# {self.meta.name} lacks this form of {fn!r}; Accord's adapter maps it:")
                lines.append(f"#   {self.override_note(fn)}")
                lines.append(f"from {type(self).__module__} import adapter")
                lines.append("adapter.start()")
                lines.append(f"{fn} = adapter.function({fn!r})")
                expr = f"{fn}({', '.join(parts)})"
            else:
                expr = f"{self.snippet_function(fn)}({', '.join(parts)})"
        elif op == "method":
            this = render(args["self"])
            name = args["method"]
            others = [render(a) for a in args.get("args", [])]
            others += [f"{k}={render(v)}" for k, v in args.get("kwargs", {}).items()]
            if name in _INPLACE and len(others) == 1:
                lines.append(f"{this} {_SYMBOL[name.strip('_')[1:]]}= {others[0]}")
                expr = this
            else:
                expr = _method_expr(this, name, others)
        elif op == "getitem":
            expr = f"{render(args['self'])}[{render(args['key'], in_key=True)}]"
        elif op == "setitem":
            this = render(args["self"])
            lines.append(f"{this}[{render(args['key'], in_key=True)}] = {render(args['value'])}")
            expr = this
        elif op == "attribute":
            expr = f"{render(args['self'])}.{args['name']}"
        elif op == "signature":
            lines.append("import inspect")
            expr = f"inspect.signature({self.snippet_function(args['fn'])})"
        else:
            expr = f"{self.alias}  # op {op!r}"
        lines.append(f"result = {expr}")
        lines.append(self.snippet_show("result"))
        return "\n".join(lines)

    def snippet_function(self, fn: str) -> str:
        if fn.startswith(INFO_PREFIX):
            return f"{self.alias}.__array_namespace_info__().{fn[len(INFO_PREFIX) :]}"
        return f"{self.alias}.{fn}"

    def override_note(self, fn: str) -> str:
        found = self.overrides.get(fn)
        doc = (getattr(found, "__doc__", None) or "").strip().splitlines()
        return doc[0] if doc else f"see the docstring of {type(self).__module__}"

    def snippet_array(self, literal: str, dtype: str, shape: tuple[int, ...]) -> str:
        """Source that builds an array from a nested-list literal."""
        return f"{self.alias}.asarray({literal}, dtype={self.snippet_dtype(dtype)})"

    def snippet_dtype(self, dtype: str) -> str:
        return f"{self.alias}.{dtype}"

    def snippet_show(self, name: str) -> str:
        return f"print(repr({name}))"

    def _render(self, value: Any, arrays: list[str], lines: list[str], in_key: bool) -> str:
        if value is None or isinstance(value, bool | int | str):
            return repr(value)
        if isinstance(value, float):
            return _float_src(value)
        if isinstance(value, list):
            return "[" + ", ".join(self._render(v, arrays, lines, False) for v in value) + "]"
        if not isinstance(value, dict):
            return repr(value)
        if "$array" in value:
            body = value["$array"]
            flat = wire.bytes_to_flat(body["dtype"], wire.base64.b64decode(body["data"]))
            literal = _nested(flat, body["shape"])
            name = f"x{len(arrays) + 1}"
            arrays.append(name)
            source = self.snippet_array(literal, body["dtype"], tuple(body["shape"]))
            if len(body["shape"]) > 1 and not flat:
                source = f"{self.alias}.reshape({source}, {tuple(body['shape'])!r})"
            lines.append(f"{name} = {source}")
            return name
        if "$view" in value:
            base = self._render(value["$view"]["base"], arrays, lines, False)
            lines.append(f"{base} = {base}[{self._render(value['$view']['key'], arrays, lines, True)}]")
            return base
        if "$float" in value:
            return _float_src(wire.decode_float(value))
        if "$complex" in value:
            re, im = (wire.decode_float(p) for p in value["$complex"])
            return f"complex({_float_src(re)}, {_float_src(im)})"
        if "$dtype" in value:
            return self.snippet_dtype(value["$dtype"])
        if "$ellipsis" in value:
            return "..."
        if "$slice" in value:
            start, stop, step = ("" if b is None else str(b) for b in value["$slice"])
            if in_key:
                return f"{start}:{stop}" + (f":{step}" if step else "")
            return "slice({})".format(", ".join(repr(b) for b in value["$slice"]))
        if "$tuple" in value:
            items = [self._render(v, arrays, lines, in_key) for v in value["$tuple"]]
            if in_key:
                return ", ".join(items) + ("," if len(items) == 1 else "") if items else "()"
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        body = value.get("$dict", value)
        return (
            "{" + ", ".join(f"{k!r}: {self._render(v, arrays, lines, False)}" for k, v in body.items()) + "}"
        )


def _backends(exc: Exception) -> Exception:
    """Mark an exception the adapter raises to report the backend's own answer (its origin)."""
    exc.accord_origin = "backend"  # type: ignore[attr-defined]  # read by accord.conformance.origin
    return exc


def _method_expr(this: str, name: str, others: list[str]) -> str:
    core = name.strip("_")
    if name in _BINARY and len(others) == 1:
        return f"{this} {_SYMBOL[core]} {others[0]}"
    if name.startswith("__r") and core[1:] in _SYMBOL and len(others) == 1:
        return f"{this}.{name}({others[0]})  # i.e. {others[0]} {_SYMBOL[core[1:]]} {this}"
    if name in _UNARY_SYMBOL:
        return f"{_UNARY_SYMBOL[name]}{this}"
    if name in _UNARY:
        builtin = {"__index__": "operator.index"}.get(name, core)
        return f"{builtin}({this})"
    return f"{this}.{name}({', '.join(others)})"


def _float_src(x: float) -> str:
    if math.isnan(x):
        return 'float("nan")'
    if math.isinf(x):
        return 'float("inf")' if x > 0 else 'float("-inf")'
    return repr(x)


def _value_src(v: Any) -> str:
    if isinstance(v, bool):
        return repr(v)
    if isinstance(v, float):
        return _float_src(v)
    if isinstance(v, complex):
        return f"complex({_float_src(v.real)}, {_float_src(v.imag)})"
    return repr(v)


def _nested(flat: list[Any], shape: list[int]) -> str:
    """Nested-list source of a row-major flat list."""
    if not shape:
        return _value_src(flat[0])
    if len(shape) == 1:
        return "[" + ", ".join(_value_src(v) for v in flat) + "]"
    step = math.prod(shape[1:])
    rows = [_nested(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
    return "[" + ", ".join(rows) + "]"
