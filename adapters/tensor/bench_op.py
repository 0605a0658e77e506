"""The tensor worker op ``bench``: time a workload inside the worker, on arrays in the backend's own form.

``args`` (``spec/meta/tensor.wire.ops.schema.json`` ``args-bench``)::

    {"inputs": {name: {"$fill": {"dtype", "shape", "fill", "seed"}}},
     "steps": [{"let": name, "fn": spec function, "args": [...], "kwargs": {...}}],
     "result": name, "number": n | 0, "repeat": k, "target_ns"?: ns, "answer"?: bool}

or ``{"probe": true}`` for the worker's thread pools (threadpoolctl) and library versions.

Inputs are built here from their recipe (numpy's ``default_rng(seed)``, then the codec's
``array_from_bytes``), so a 10⁶-element array never crosses the wire; a step's arguments are
wire values where ``{"$ref": name}`` names an input or an earlier step. Each batch is
the clock (``clock``: ``wall``, the default, or ``cpu``) read around ``number`` runs of every step plus :func:`settle` of the result,
which makes lazy (dask) and asynchronous (jax) backends finish the work inside the batch.
``number: 0`` calibrates: one warm-up run, then doubling until a batch takes ``target_ns``; ``warm``
runs once untimed before the batches.
The answer is ``{"batches_ns": [...], "number": n}`` and, with ``answer``, ``"value"``: the
result in wire form (the check against the reference).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from accord.adapters.thread_pools import probe
from accord.spec.tensor import wire

#: the default wall time of one calibrated batch: long enough for perf_counter_ns and the scheduler's noise
TARGET_NS = 5_000_000
#: calls per batch at most (a batch of a 1 µs call is then 10 ms)
MAX_NUMBER = 10_000
#: ``clock`` -> what a batch is timed with: wall time, or the CPU time of this process (all its threads), which
#: does not count the moments another process had the core (see conformance/bench/clocks.py)
CLOCKS: dict[str, Callable[[], int]] = {"wall": time.perf_counter_ns, "cpu": time.process_time_ns}
#: bytes of inputs kept built between requests (the kit interleaves the rounds of up to a hundred workloads,
#: whose distinct inputs come to under 100 MB; 10⁶ float64 = 8 MB), by their drawn size
CACHED_BYTES = 256 * 2**20

_cache: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # recipe -> (native array, drawn bytes)


def bench(adapter: Any, args: dict[str, Any]) -> dict[str, Any]:
    """Run the ``bench`` op for a started :class:`NamespaceAdapter`."""
    if args.get("probe"):
        return probe()
    env = {name: build(adapter, recipe["$fill"]) for name, recipe in args["inputs"].items()}
    steps = [(s["let"], adapter.function(s["fn"]), resolve(adapter, s.get("args", []), env),
              resolve(adapter, s.get("kwargs", {}), env), _refers(s)) for s in args["steps"]]
    result_name = args["result"]

    def once() -> Any:
        values = dict(env)
        for let, fn, pos, kw, late in steps:  # a step without references calls with its arguments as built
            values[let] = fn(*_late(pos, values), **_late(kw, values)) if late else fn(*pos, **kw)
        return settle(adapter, values[result_name])

    out: dict[str, Any] = {}
    clock = CLOCKS[args.get("clock", "wall")]
    number = int(args.get("number", 1))
    if args.get("answer"):
        out["value"] = wire.encode(once(), adapter.codec)
    if number == 0:
        number = calibrate(once, int(args.get("target_ns", TARGET_NS)), clock)
    elif args.get("warm"):  # the workload sat idle since its last round: caches, and pages memory reclaim took
        once()
    batches = []
    for _ in range(int(args.get("repeat", 1))):
        start = clock()
        for _ in range(number):
            once()
        batches.append(clock() - start)
    out.update(batches_ns=batches, number=number)
    return out


def calibrate(once: Any, target_ns: int, clock: Callable[[], int] = time.perf_counter_ns) -> int:
    """Calls per batch so that one batch takes at least ``target_ns`` on ``clock`` (after one warm-up call)."""
    once()
    number = 1
    while number < MAX_NUMBER:
        start = clock()
        for _ in range(number):
            once()
        took = clock() - start
        if took >= target_ns:
            break
        number = min(MAX_NUMBER, number * 2 if took * 4 < target_ns else -(-number * target_ns * 11 // (10 * max(took, 1))))
    return number


def settle(adapter: Any, value: Any) -> Any:
    """The result computed to the end: the adapter's ``finish`` (dask computes) and ``settle`` if it has
    one (jax blocks until its asynchronous dispatch is done)."""
    value = adapter.finish(value)
    extra = getattr(adapter, "settle", None)
    if extra is not None:
        extra(value)
    return value


def build(adapter: Any, recipe: dict[str, Any]) -> Any:
    """A native array from its recipe, drawn with numpy's generator (cached by recipe)."""
    key = f"{id(adapter.codec)}:{json.dumps(recipe, sort_keys=True)}"  # per codec: the kit hosts the reference too
    found = _cache.get(key)
    if found is not None:
        _cache.move_to_end(key)
        return found[0]
    data = draw(recipe)
    array = adapter.codec.array_from_bytes(recipe["dtype"], tuple(recipe["shape"]), data)
    _cache[key] = (array, len(data))
    while len(_cache) > 1 and sum(size for _, size in _cache.values()) > CACHED_BYTES:
        _cache.popitem(last=False)
    return array


def draw(recipe: dict[str, Any]) -> bytes:
    """The recipe's values as little-endian bytes in the wire layout (the same bytes in every worker)."""
    import numpy as np

    fill, dtype, shape = recipe["fill"], np.dtype(recipe["dtype"]), tuple(recipe["shape"])
    rng = np.random.default_rng(recipe["seed"])
    if "bernoulli" in fill:
        values = rng.random(shape) < fill["bernoulli"]
    elif "integers" in fill:
        low, high = fill["integers"]
        values = rng.integers(low, high, size=shape)
    else:
        low, high = fill["uniform"]
        values = rng.uniform(low, high, size=shape)
        if fill.get("complex"):
            values = values + 1j * rng.uniform(low, high, size=shape)
        if fill.get("sorted"):
            values = np.sort(values, axis=-1)
        if fill.get("diagonal") and len(shape) >= 2 and shape[-1] == shape[-2]:
            values = (values + np.swapaxes(values, -1, -2)) / 2 + shape[-1] * np.eye(shape[-1])
    return values.astype(dtype.newbyteorder("<"), copy=False).tobytes()  # row-major: tobytes' own order


class _Ref:
    """A step argument that is an input or an earlier step's value, looked up at call time."""

    def __init__(self, name: str) -> None:
        self.name = name


def resolve(adapter: Any, value: Any, env: dict[str, Any]) -> Any:
    """Wire values decoded once, before timing; ``{"$ref"}`` kept for :func:`_late`."""
    if isinstance(value, list):
        return [resolve(adapter, v, env) for v in value]
    if isinstance(value, dict):
        if "$ref" in value:
            return _Ref(value["$ref"])
        if "$fill" in value:
            return build(adapter, value["$fill"])
        if "$tuple" in value:
            return tuple(resolve(adapter, v, env) for v in value["$tuple"])
        if any(k.startswith("$") for k in value):
            return wire.decode(value, adapter.codec)
        return {k: resolve(adapter, v, env) for k, v in value.items()}
    return wire.decode(value, adapter.codec)


def _refers(step: dict[str, Any]) -> bool:
    return '"$ref"' in json.dumps([step.get("args", []), step.get("kwargs", {})])


def _late(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, _Ref):
        return values[value.name]
    if isinstance(value, list):
        return [_late(v, values) for v in value]
    if isinstance(value, tuple):
        return tuple(_late(v, values) for v in value)
    if isinstance(value, dict):
        return {k: _late(v, values) for k, v in value.items()}
    return value

