"""The tensor family's bench: ``spec/tensor/<version>/bench.yaml`` expanded into workloads for the ``bench`` op.

Every function document is benchmarked (by the default rule or an override) or excluded with a
reason; :func:`expand` raises for a function that is neither, so a new function cannot be silently
left out. The check compares a backend's answer on each group's smallest workload with the pure-Python
reference's (run in-process on the same recipe), under the function's own ``values`` compare rule.
"""

from __future__ import annotations

import math
from typing import Any

from accord.spec.model import thaw

from ..client import BackendCrashed, BackendRaised, BackendTimeout, BackendUnsupported
from .clocks import one_cpu
from .workloads import BenchFamily, BenchSpecError, Checked, Workload, bench_document, size_label, unanswered

FAMILY = "tensor"
ARRAY_TYPES = frozenset({"array", "array-or-scalar", "sorted-array"})
POSITIONAL = frozenset({"positional-only", "positional-or-keyword"})
#: composites have no compare rule of their own: a chain of float64 operations, compared within this
COMPOSITE_RTOL = 1e-9




def functions(spec: Any) -> dict[str, dict[str, Any]]:
    """Function name -> its document's data, for every function document of the version."""
    return {d.name: thaw(d.data) for d in spec.documents if d.kind == f"{FAMILY}.function"}


def expand(spec: Any, seed: int = 1) -> list[Workload]:
    """Every workload of the spec version: each function at its shapes, then the composites."""
    bench = bench_document(spec, FAMILY)
    out: list[Workload] = []
    for name, doc in sorted(functions(spec).items()):
        if name in bench["excluded"]:
            continue
        rule = {**bench.get("categories", {}).get(doc.get("category", ""), {}),
                **bench.get("overrides", {}).get(name, {})}
        args = rule.get("args")
        if args is None:
            args = default_args(name, doc, bench)
        for shape in shapes(rule.get("shapes", bench["default"]["shapes"]), bench):
            arrays = iter(range(1000))
            call = {"let": "r", "fn": name,
                    "args": [concrete(a, shape, bench, rule, seed, arrays) for a in args],
                    "kwargs": {k: concrete(v, shape, bench, rule, seed, arrays)
                               for k, v in rule.get("kwargs", {}).items()}}
            out.append(Workload(f"{FAMILY}.bench.{name}.{size_label(shape)}", name, size_label(shape), shape,
                                False, name, {"inputs": {}, "steps": [call], "result": "r"}))
    for comp in bench.get("composites", ()):
        for raw in comp["shapes"]:
            shape = tuple(raw)
            arrays = iter(range(1000))
            inputs = {k: concrete({"array": v}, shape, bench, {}, seed, arrays) for k, v in comp["inputs"].items()}
            steps = [{"let": s["let"], "fn": s["call"],
                      "args": [_step_arg(a, shape, bench, seed) for a in s.get("args", ())],
                      "kwargs": {k: _step_arg(v, shape, bench, seed) for k, v in s.get("kwargs", {}).items()}}
                     for s in comp["steps"]]
            out.append(Workload(f"{FAMILY}.bench.{comp['name']}.{size_label(shape)}", comp["name"],
                                size_label(shape), shape, True, comp["name"],
                                {"inputs": inputs, "steps": steps, "result": comp["result"]}))
    return out


def default_args(name: str, doc: dict[str, Any], bench: dict[str, Any]) -> list[dict[str, Any]]:
    """One array per positional array parameter without a default (two for a variadic one)."""
    args: list[dict[str, Any]] = []
    for p in doc["signature"]["params"]:
        kind, ptype = p.get("kind", ""), p.get("type", "")
        if kind == "var-positional" and ptype == "array":
            args += [{"array": {"dtype": _dtype(p, bench)}}] * 2
        elif kind in POSITIONAL and "default" not in p:
            if ptype not in ARRAY_TYPES:
                raise BenchSpecError(f"bench: {name}'s parameter {p['name']} ({ptype}) has no default workload "
                                     f"argument: add an override or an exclusion with a reason")
            spec = {"dtype": _dtype(p, bench)}
            if ptype == "sorted-array":
                spec["fill"] = "sorted"
            args.append({"array": spec})
    return args


def _dtype(param: dict[str, Any], bench: dict[str, Any]) -> str:
    return bench["dtypes"].get(param.get("dtypes") or "any", bench["dtypes"]["any"])


def shapes(choice: Any, bench: dict[str, Any]) -> list[tuple[int, ...]]:
    vectors = [(n,) for n in bench["sizes"]]
    matrices = [tuple(s) for s in bench["matrix_shapes"]]
    if choice == "sizes":
        return vectors
    if choice == "matrix":
        return matrices
    if choice == "both":
        return vectors + matrices
    return [tuple(s) for s in choice]


def concrete(value: Any, shape: tuple[int, ...], bench: dict[str, Any], rule: dict[str, Any], seed: int,
             arrays: Any) -> Any:
    """A spec-data argument as the bench op's wire argument: recipes, size tokens and tags resolved."""
    tokens = {"$n": math.prod(shape), "$r": shape[0], "$c": shape[-1], "$shape": {"$tuple": list(shape)}}
    if isinstance(value, str) and value in tokens:
        return tokens[value]
    if isinstance(value, list):
        return [concrete(v, shape, bench, rule, seed, arrays) for v in value]
    if isinstance(value, dict) and "array" in value:
        spec = value["array"]
        dtype = spec.get("dtype") or bench["dtypes"]["any"]
        fill = spec.get("fill") or rule.get("fill") or bench["default_fills"][dtype]
        if dtype in ("bool",) or dtype.startswith("int"):
            fill = spec.get("fill") or bench["default_fills"][dtype]  # a float fill never applies to integers
        at = tuple(int(concrete(d, shape, bench, rule, seed, arrays)) for d in spec.get("shape", shape))
        body = {k: v for k, v in bench["fills"][fill].items() if k != "meaning"}
        return {"$fill": {"dtype": dtype, "shape": list(at), "fill": body, "seed": seed * 1000 + next(arrays)}}
    if isinstance(value, dict) and "$tuple" in value:
        return {"$tuple": [concrete(v, shape, bench, rule, seed, arrays) for v in value["$tuple"]]}
    return value


def _step_arg(value: Any, shape: tuple[int, ...], bench: dict[str, Any], seed: int) -> Any:
    if isinstance(value, str) and value.startswith("$") and value not in ("$n", "$r", "$c", "$shape"):
        return {"$ref": value[1:]}
    return concrete(value, shape, bench, {}, seed, iter(range(1000)))


# ---------------------------------------------------------------- the family


class TensorBench(BenchFamily):
    """The bench of the tensor family."""

    name = FAMILY
    default_baseline = "numpy"
    clocks = ("cpu", "wall")
    #: worker processes per backend (see :mod:`.measure`): a process's own speed differs from the next one's
    workers = 2
    #: workloads whose rounds interleave (:meth:`~.measure.Runner.run`): this machine slows every process by up
    #: to 2x for 5-10 s at a time, longer than one workload's rounds take, so a workload timed only inside
    #: such a spell moved its median and its ratio; with 100 workloads (a minute) between a workload's first
    #: and last round, a spell reaches one or two of its five rounds and the median passes it by. Their
    #: inputs (under 100 MB for any 100 workloads of the spec) stay built in the worker meanwhile
    spread = 100
    #: adapters that are oracles, not engines: never timed by ``accord publish --bench`` (the pure-Python
    #: reference would take hours at 10⁶ elements; it answers each workload's check instead)
    not_timed = frozenset({"reference"})
    timing = ("measured inside the worker (the clock read around each batch of calls, results computed "
              "to completion) on arrays built in the backend's own form; the wire and the adapter's encoding "
              "are excluded")

    def __init__(self) -> None:
        self.spec: Any = None
        self._expected: dict[str, Any] = {}

    def workloads(self, spec: Any, seed: int) -> list[Workload]:
        self.spec = spec
        return expand(spec, seed)

    def auto_affinity(self, allowed: frozenset[int], threads: int | None) -> frozenset[int] | None:
        """The engines compute in the worker: with one-thread pools, it runs on one CPU (:func:`.clocks.one_cpu`)."""
        return one_cpu(allowed, threads)

    def timing_args(self, workload: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        """Every round starts with one untimed call (``warm``): with :attr:`spread`, a hundred other workloads
        ran in the worker since the workload's last round, and its first call meets another heap and cold
        caches (numpy's expm1 on 10⁶ elements: 6 ms for a first call that page-faults its fresh 8 MB result,
        1.2 ms for the next; in one unchanged run four rounds of five took 3.2 ms per call)."""
        return "bench", {**workload.args, "number": number, "repeat": repeat, "target_ns": target_ns,
                         "warm": number > 0}

    def probe(self, client: Any) -> list[dict[str, Any]]:
        try:
            return list(client.invoke("bench", {"probe": True}).get("threads", []))
        except (BackendRaised, BackendUnsupported):
            return []

    def check(self, sample: Workload, client: Any) -> Checked:
        from accord.conformance.families.tensor import oracle

        args = {**sample.args, "number": 1, "repeat": 0, "answer": True}
        try:
            got = oracle.decode(client.invoke("bench", args)["value"])
        except (BackendUnsupported, BackendRaised, BackendTimeout, BackendCrashed) as exc:
            return unanswered(exc)
        expected, why = self.expected(sample)
        if why:
            return Checked("ok", note=why)
        finding = self.compare(sample, self.in_chosen_default(sample, expected, got), got)
        return Checked("wrong", finding) if finding else Checked("ok")

    def expected(self, sample: Workload) -> tuple[Any, str | None]:
        """The reference's answer on the sample (computed once per group), or why there is none."""
        from accord.conformance.families.tensor import oracle

        if sample.group not in self._expected:
            try:
                value = oracle.reference().invoke("bench", {**sample.args, "number": 1, "repeat": 0, "answer": True})
                self._expected[sample.group] = (oracle.decode(value["value"]), None)
            except Exception as exc:  # the reference lacks it or refuses it: time without a comparison
                self._expected[sample.group] = (None, f"not compared: the reference could not compute the sample "
                                                      f"({type(exc).__name__}: {str(exc)[:200]})")
        return self._expected[sample.group]

    def in_chosen_default(self, sample: Workload, expected: Any, got: Any) -> Any:
        """The reference's answer in the dtype the backend chose, where the spec lets it choose.

        An omitted ``dtype`` leaves the default floating dtype to the backend (float32 or float64): torch's
        ``linspace`` is float32, and float32 values are compared with the reference's float32 answer, as the
        conformance check does. Whether that dtype is allowed is the dtype requirement's business."""
        import numpy as np

        from accord.conformance.families.tensor import oracle, rules
        from accord.conformance.families.tensor.specdata import tensor_data

        steps = sample.args.get("steps", [])
        if (sample.composite or len(steps) != 1 or not isinstance(expected, np.ndarray)
                or not isinstance(got, np.ndarray) or expected.dtype == got.dtype):
            return expected
        doc = functions(self.spec).get(sample.function, {})
        step = steps[0]
        if "dtype" in step.get("kwargs", {}) or "dtype" not in {p["name"] for p in doc.get("signature", {}).get("params", [])}:
            return expected
        try:
            allowed = rules.expected_dtypes(doc["result"]["dtype"], rules.bind(doc, step), tensor_data(self.spec))
        except (KeyError, TypeError, ValueError):  # an argument the rule cannot read (an input recipe)
            return expected
        if len(allowed or ()) < 2 or got.dtype.name not in allowed:
            return expected
        chosen = {**step, "kwargs": {**step.get("kwargs", {}), "dtype": oracle.encode(oracle.DType(got.dtype.name))}}
        value = oracle.reference().invoke("bench", {**sample.args, "steps": [chosen], "number": 1, "repeat": 0,
                                                    "answer": True})
        return oracle.decode(value["value"])

    def compare(self, sample: Workload, expected: Any, got: Any) -> str | None:
        import numpy as np

        from accord.conformance.families.tensor import compare as cmp

        if sample.composite:
            e, a = np.asarray(expected), np.asarray(got)
            if e.shape != a.shape:
                return f"shape {a.shape} differs from the reference's {e.shape}"
            if not np.allclose(e, a, rtol=COMPOSITE_RTOL, atol=0.0, equal_nan=True):
                where = tuple(int(i) for i in np.argwhere(~np.isclose(e, a, rtol=COMPOSITE_RTOL, atol=0.0,
                                                                     equal_nan=True))[0])
                return f"at {list(where)}: expected {e[where]!r}, got {a[where]!r} (beyond rtol {COMPOSITE_RTOL:g})"
            return None
        compare = self.values_rule(sample.function)
        if compare is None:
            return None
        rule = compare.get("rule")
        if rule == "multiset":
            return cmp.multiset_fields(expected, got, list(compare.get("fields", [])), compare)
        if rule == "ulp" and "ulp" not in compare:  # accuracy measured, not judged: only gross errors count
            pairs = list(zip(_leaves(expected), _leaves(got), strict=False))
            for e, a in pairs:
                why = cmp.gross_error(np.asarray(e), np.asarray(a))
                if why:
                    return why
            return None
        return cmp.same_value(expected, got, compare)

    def values_rule(self, function: str) -> dict[str, Any] | None:
        """The compare rule of the function's ``values`` requirement (None: it has none)."""
        for r in self.spec.requirements if self.spec is not None else ():
            if r.id == f"{FAMILY}.{function}.values" and r.check == "values":
                return thaw(r.compare)
        return None


def _leaves(value: Any) -> list[Any]:
    return [x for v in value for x in _leaves(v)] if isinstance(value, tuple | list) else [value]
