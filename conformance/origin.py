"""Whose code raised: walk an exception's traceback to the frame that raised it.

The worker reports every exception an adapter call raises with an ``origin``:

* ``"adapter"`` when the innermost frame that raised is Accord's own code (an adapter, a
  shim, the wire codec) — an explicit ``raise``, or a Python builtin (``functools.reduce``,
  ``len``) that Accord code called on Accord values;
* ``"backend"`` when it is the engine's code: a frame of the engine's Python code, or a C
  function of the engine (``torch.add``, a numpy ufunc, a method of an engine array) called
  from Accord code, or a builtin that dispatched to engine objects (``operator.add(x, y)`` on
  two tensors) or engine callables (``functools.reduce(torch.promote_types, ...)``);
* ``None`` when the traceback says nothing (no frame).

Standard-library frames act on behalf of their caller and are skipped. A C function leaves
no frame, so when the innermost frame is Accord's and it did not ``raise`` itself, the
failing instruction's source expression is read (``co_positions``) and its callee and
operands looked up — names, attributes (never properties), constant subscripts of plain
containers; nothing is called. ``raise X from cause`` in Accord code inherits its cause's
origin: the adapter translated the engine's error, it did not make it. An adapter that raises
to report the backend's own answer in the spec's terms (``Tensor.size`` is a method, not an
attribute) says so with ``exc.accord_origin = "backend"``.
"""

from __future__ import annotations

import ast
import builtins
import dis
import importlib.util
import inspect
import linecache
import sys
import sysconfig
import types
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

ADAPTER = "adapter"
BACKEND = "backend"

#: standard-library callables that call into their operands or their callable arguments
_DISPATCHING = frozenset(
    """abs all any ascii bool bytes complex delattr dict divmod enumerate filter float format frozenset
    getattr hasattr hash int isinstance issubclass iter len list map max min next pow print range repr
    reversed round set setattr sorted str sum tuple vars zip reduce partial deepcopy copy""".split()
)
_DISPATCHING_MODULES = frozenset({"operator", "_operator", "math", "cmath", "copy", "functools", "_functools",
                                  "itertools", "builtins"})
_RAISE_OPS = frozenset({"RAISE_VARARGS", "RERAISE"})


@cache
def _accord_roots() -> tuple[str, ...]:
    roots = []
    for name in ("accord.adapters", "accord.spec", "accord.conformance", "accord.reference"):
        try:
            found = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            found = None
        for location in (found.submodule_search_locations or []) if found else []:
            roots.append(str(Path(location).resolve()) + "/")
    return tuple(roots)


@cache
def _stdlib_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(str(Path(paths[k]).resolve()) + "/" for k in ("stdlib", "platstdlib") if k in paths)


@cache
def file_kind(filename: str) -> str:
    """``accord``, ``stdlib`` or ``engine`` for a code object's file name."""
    if filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>
        return "stdlib"
    path = str(Path(filename).resolve())
    if path.startswith(_accord_roots()):
        return "accord"
    if "site-packages" in path or "dist-packages" in path:
        return "engine"
    return "stdlib" if path.startswith(_stdlib_roots()) else "engine"


def module_kind(module: str | None) -> str | None:
    """``accord``, ``stdlib`` or ``engine`` for a module name (None when unknown)."""
    if not module:
        return None
    top = module.split(".", 1)[0]
    if top == "accord":
        return "accord"
    if top in sys.stdlib_module_names or top == "builtins":
        return "stdlib"
    return "engine"


def owner_kind(obj: Any) -> str | None:
    """Whose code a callable or value is: ``accord``, ``stdlib``, ``engine`` or None."""
    if isinstance(obj, types.MethodType):
        return owner_kind(obj.__func__)
    if isinstance(obj, types.FunctionType):
        return file_kind(obj.__code__.co_filename)
    if isinstance(obj, types.ModuleType):
        return module_kind(obj.__name__)
    if isinstance(obj, types.BuiltinFunctionType | types.MethodWrapperType):
        self = getattr(obj, "__self__", None)
        if self is not None and not isinstance(self, types.ModuleType | type):
            return module_kind(type(self).__module__)
    objclass = getattr(obj, "__objclass__", None)  # method descriptors, slot wrappers
    if isinstance(objclass, type):
        return module_kind(objclass.__module__)
    if isinstance(obj, type):
        return module_kind(obj.__module__)
    module = getattr(obj, "__module__", None)
    return module_kind(module if isinstance(module, str) else type(obj).__module__)


def origin(exc: BaseException) -> str | None:
    """``"adapter"``, ``"backend"`` or None: where ``exc`` was raised (see the module docstring)."""
    declared = getattr(exc, "accord_origin", None)
    if declared in (ADAPTER, BACKEND):
        return declared
    frames = [(tb.tb_frame, tb.tb_lasti) for tb in _walk(exc.__traceback__)]
    inner = len(frames) - 1
    while inner >= 0 and file_kind(frames[inner][0].f_code.co_filename) == "stdlib":
        inner -= 1
    if inner < 0:
        return None
    frame, lasti = frames[inner]
    if file_kind(frame.f_code.co_filename) == "engine":
        return BACKEND
    if inner < len(frames) - 1:  # Accord called standard-library Python code, which raised
        return ADAPTER
    instruction = _instruction(frame.f_code, lasti)
    if instruction is None or instruction.opname in _RAISE_OPS:
        cause = exc.__cause__  # raise X from cause: the adapter translated cause's error
        return (origin(cause) if cause is not None else None) or ADAPTER
    return _culprit(frame, instruction)


def _walk(tb: types.TracebackType | None) -> list[types.TracebackType]:
    out = []
    while tb is not None:
        out.append(tb)
        tb = tb.tb_next
    return out


@lru_cache(maxsize=4096)
def _instruction(code: types.CodeType, lasti: int) -> dis.Instruction | None:
    for instruction in dis.get_instructions(code):
        if instruction.offset == lasti:
            return instruction
    return None


def _culprit(frame: types.FrameType, instruction: dis.Instruction) -> str:
    """An Accord frame failed at a call or an operator: whose C code raised there."""
    node = _expression(frame, instruction)
    if node is None:
        return ADAPTER
    values = _Lookup(frame)
    if isinstance(node, ast.Call):
        callee = values.get(node.func)
        kind = owner_kind(callee) if callee is not _UNKNOWN else None
        if kind == "engine":
            return BACKEND
        if kind == "accord":  # an Accord callable rejected its arguments
            return ADAPTER
        if kind == "stdlib" and not _dispatches(callee):
            return ADAPTER
        operands = [*node.args, *(k.value for k in node.keywords)]
        if kind is None:  # x.method(...), getattr(x, name)(...): the method belongs to x
            operands += [n for n in ast.walk(node.func) if isinstance(n, ast.Name | ast.Attribute)]
    else:
        operands = list(ast.iter_child_nodes(node))
    return BACKEND if any(_is_engine(values.get(o)) for o in operands) else ADAPTER


def _dispatches(callee: Any) -> bool:
    name = getattr(callee, "__name__", "")
    module = getattr(callee, "__module__", None) or ""
    return name in _DISPATCHING or module.split(".", 1)[0] in _DISPATCHING_MODULES - {"builtins"}


def _is_engine(value: Any) -> bool:
    if value is _UNKNOWN or value is None:
        return False
    if isinstance(value, list | tuple):
        return any(_is_engine(v) for v in value[:16])
    if isinstance(value, dict):
        return any(_is_engine(v) for v in list(value.values())[:16])
    if callable(value) or isinstance(value, types.ModuleType):
        return owner_kind(value) == "engine"
    return module_kind(type(value).__module__) == "engine"


def _expression(frame: types.FrameType, instruction: dis.Instruction) -> ast.expr | None:
    """The source expression of the failing instruction, parsed; None when unavailable."""
    positions = instruction.positions
    if positions is None or None in (positions.lineno, positions.end_lineno, positions.col_offset,
                                     positions.end_col_offset):
        return None
    filename = frame.f_code.co_filename
    lines = [linecache.getline(filename, n).encode() for n in range(positions.lineno, positions.end_lineno + 1)]
    if not lines or not lines[0]:
        return None
    if len(lines) == 1:
        source = lines[0][positions.col_offset : positions.end_col_offset]
    else:
        source = lines[0][positions.col_offset :] + b"".join(lines[1:-1]) + lines[-1][: positions.end_col_offset]
    try:
        tree = ast.parse(b"(" + source + b"\n)", mode="eval")
    except SyntaxError:
        return None
    return tree.body


_UNKNOWN = object()


class _Lookup:
    """Values of simple expressions in a frame, computed without calling anything."""

    def __init__(self, frame: types.FrameType) -> None:
        self.frame = frame

    def get(self, node: ast.AST) -> Any:
        try:
            return self._get(node)
        except Exception:  # a lookup must never raise while an error is being reported
            return _UNKNOWN

    def _get(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            for scope in (self.frame.f_locals, self.frame.f_globals, vars(builtins)):
                if node.id in scope:
                    return scope[node.id]
            return _UNKNOWN
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Starred):
            return self._get(node.value)
        if isinstance(node, ast.Attribute):
            base = self._get(node.value)
            if base is _UNKNOWN:
                return _UNKNOWN
            static = inspect.getattr_static(base, node.attr, _UNKNOWN)
            if static is _UNKNOWN or isinstance(static, property):
                return _UNKNOWN
            return getattr(base, node.attr)
        if isinstance(node, ast.Subscript):
            base, key = self._get(node.value), self._get(node.slice)
            if type(base) in (dict, list, tuple) and key is not _UNKNOWN:
                return base[key]
            return _UNKNOWN
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self._get(e) for e in node.elts)
        return _UNKNOWN
