"""Dask adapter: dask.bag on a ``dask.distributed`` LocalCluster, batch only.

One LocalCluster (2 worker processes × 1 thread, 127.0.0.1, no dashboard) per
worker process, started in :meth:`DaskAdapter.start`. Every output of a run is
computed in one ``dask.compute`` call, so shared upstream work runs once.

Elements are bare values while a collection has no event time, and
``(value, timestamp, window)`` triples once timestamps or windows appear; the
window is part of the grouping key. Session windows are merged per key inside a
``groupby`` (sort + sweep, ``_windowing_native.merge_sessions``) before the
windowed aggregation — the same scheme as the Spark adapter.

Mapping (dask.bag's primitives):

=================  ===============================================================
create             ``db.from_sequence``
read_text          ``db.read_text`` (+ stripping the line end dask keeps, per partition)
map/flat_map/      ``Bag.map`` / ``Bag.map(...).flatten()`` / ``Bag.filter``; side
filter             inputs are ``Item`` arguments (built with ``Bag.reduction``),
                   filters with side inputs use ``map_partitions``
group_by_key       ``Bag.groupby``
co_group_by_key    ``db.concat`` of tagged bags + ``Bag.groupby`` (dask has no cogroup)
combine_per_key    ``Bag.foldby`` (binop = add_input, combine = merge)
combine_globally   ``Bag.fold`` in the global window, else ``foldby`` by window
count_globally     ``Bag.count`` in the global window, else ``foldby`` by window
count_per_key      ``Bag.foldby``
count_per_element  ``Bag.frequencies``
distinct           ``Bag.distinct``
flatten            ``db.concat``
partition          one ``Bag.filter`` per output
top_per_key        ``Bag.foldby`` with bounded, ordered lists
window_into        ``Bag.map(...).flatten()`` assigning windows from the timestamp
=================  ===============================================================

Keys are whatever dask's hashing and Python dicts make of them (dask's native
key equality, which can depend on the partitioning); nothing is canonicalised.
"""

from __future__ import annotations

import heapq
import logging
import os
from dataclasses import dataclass
from operator import add
from typing import Any, ClassVar

from accord.adapters.base import Adapter, AdapterMeta, AdapterUnsupported

from . import _windowing_native as win
from ._engine_common import GLOBAL_WINDOWING, bound_fn, expected, side_value, walk
from .graph import GLOBAL, decode_value, encode_element, order_key


@dataclass(frozen=True)
class Coll:
    """A translated collection: the bag, whether elements are triples, and the windowing."""

    bag: Any
    full: bool  # False: bare values (no timestamp, global window); True: (value, timestamp, window)
    windowing: dict

    @property
    def windowed(self) -> bool:
        return self.windowing["windowfn"]["type"] != "global"

    @property
    def sessions(self) -> bool:
        return self.windowing["windowfn"]["type"] == "sessions"


class DaskAdapter(Adapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="dask",
        family="pipeline",
        backend_package="dask",
        requires=("dask", "distributed"),
        description="dask.bag on a dask.distributed LocalCluster (2 processes); batch only.",
        expected_failures=(
            *expected(
                "dask.bag groups with Python hashing and dict equality (foldby, frequencies, distinct): "
                "1/1.0/True and 0.0/-0.0 are one key, and two NaNs are two keys (NaN != NaN after pickling); "
                "Bag.groupby's answer even depends on the partitioning (1 partition: 1 == 1.0 == True; "
                "3 partitions: True and 1.0 together, 1 apart). Minimal: Create([(1, 'a'), (1.0, 'b'), "
                "(True, 'c')]) | Count.per_key() gives one group.",
                "",
                # Observed with seeds 2 and 3; random requirements only when every seed failed them.
                "key_equality.numeric_types", "key_equality.signed_zero", "key_equality.nan",
                "key_equality.kinds", "key_equality.distinct", "key_equality.random",
                "combine_per_key.values", "count_per_key.values", "group_by_key.windowed"),
        ),
    )

    client: Any = None
    cluster: Any = None
    partitions: int = 2

    def start(self) -> None:
        if self.client is not None:
            return
        from dask.distributed import Client, LocalCluster

        self.partitions = int(self.options.get("partitions", 2))
        logging.getLogger("distributed").setLevel(logging.ERROR)  # scheduler/nanny chatter on close
        # No dashboard; the scheduler's small HTTP endpoint (health checks) gets a free loopback port
        # instead of the fixed 8787 that other clusters on the machine may hold.
        self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                                    silence_logs=logging.ERROR)
        self.client = Client(self.cluster)

    def stop(self) -> None:
        """Close the client and the cluster (its worker processes and nanny processes end)."""
        client, cluster = self.client, self.cluster
        self.client = self.cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def invoke(self, op: str, args: Any) -> Any:
        if op != "run":
            raise AdapterUnsupported(op)
        self.start()
        import dask

        graph = args["graph"]
        done = walk(graph, _Translator(self.partitions))
        colls = []
        for ref in graph["outputs"]:
            node_id, _, index = ref.partition("#")
            colls.append(done[node_id][int(index)] if index else done[node_id])
        computed = dask.compute(*[c.bag for c in colls])
        return {"outputs": {ref: _encode(c, rows) for ref, c, rows in zip(graph["outputs"], colls, computed,
                                                                          strict=True)}}


def _encode(coll: Coll, rows: list) -> list[dict]:
    if not coll.full:
        return [encode_element(v, None, GLOBAL) for v in rows]
    return [encode_element(v, ts, win.wire_window(w)) for v, ts, w in rows]


# ------------------------------------------------------------------ helpers that run on the workers


def _lift_map(fn: Any, full: bool) -> Any:
    return (lambda e, *side: (fn(e[0], *side), e[1], e[2])) if full else fn


def _lift_flat(fn: Any, full: bool) -> Any:
    return (lambda e, *side: [(y, e[1], e[2]) for y in fn(e[0], *side)]) if full else fn


def _first(kv: Any) -> Any:
    return kv[0]


def _second(kv: Any) -> Any:
    return kv[1]


def _identity(x: Any) -> Any:
    return x


def _none(_x: Any) -> None:
    return None


def _concat(parts: list) -> list:
    return [x for part in parts for x in part]


def _strip_line_ends(lines: Any) -> list:
    return [line.rstrip("\n") for line in lines]


def _item_to_bag(item: Any) -> Any:
    import dask.bag as db

    return db.from_delayed([item.apply(lambda value: [value]).to_delayed()])


class _Translator:
    """Turns graph nodes into bags."""

    def __init__(self, partitions: int) -> None:
        self.partitions = partitions

    def __call__(self, node: dict, inputs: list[Coll], sides: list[Coll]) -> Any:
        kind, params = node["transform"], node["params"]
        handler = getattr(self, f"t_{kind}", None)
        if handler is None:
            raise NotImplementedError(f"node {node['id']!r}: {kind} is not supported by the Dask adapter "
                                      "(batch only: no test_stream)")
        return handler(node, params, inputs, sides)

    # --- sources

    def t_create(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        import dask.bag as db

        elements = params["elements"]
        parts = max(1, min(self.partitions, len(elements)))
        if all(e.get("timestamp") is None for e in elements):
            return Coll(db.from_sequence([decode_value(e["value"]) for e in elements], npartitions=parts),
                        False, GLOBAL_WINDOWING)
        rows = [(decode_value(e["value"]), e.get("timestamp"), GLOBAL) for e in elements]
        return Coll(db.from_sequence(rows, npartitions=parts), True, GLOBAL_WINDOWING)

    def t_read_text(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        import dask.bag as db

        size = os.path.getsize(params["path"])
        blocksize = max(1, -(-size // self.partitions)) if size else None
        lines = db.read_text(params["path"], blocksize=blocksize)  # dask keeps each line's "\n"
        return Coll(lines.map_partitions(_strip_line_ends), False, GLOBAL_WINDOWING)

    # --- element-wise

    def _side_items(self, node: dict, sides: list[Coll]) -> list:
        """Each side collection gathered into one dask Item holding its view's value."""
        items = []
        for side, coll in zip(node.get("side_inputs", []), sides, strict=True):
            bag = coll.bag.map(_first) if coll.full else coll.bag
            gathered = bag.reduction(list, _concat)
            items.append(gathered.apply(lambda values, side=side: side_value(side, values)))
        return items

    def t_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.bag.map(_lift_map(bound_fn(node), src.full), *self._side_items(node, sides)),
                    src.full, src.windowing)

    def t_flat_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.bag.map(_lift_flat(bound_fn(node), src.full), *self._side_items(node, sides)).flatten(),
                    src.full, src.windowing)

    def t_filter(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        test = (lambda e, *side: fn(e[0], *side)) if src.full else fn
        items = self._side_items(node, sides)
        if not items:
            return Coll(src.bag.filter(test), src.full, src.windowing)
        kept = src.bag.map_partitions(lambda part, *side: [x for x in part if test(x, *side)], *items)
        return Coll(kept, src.full, src.windowing)

    def t_keys(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.bag.map(_lift_map(_first, src.full)), src.full, src.windowing)

    def t_values(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.bag.map(_lift_map(_second, src.full)), src.full, src.windowing)

    def t_with_keys(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        return Coll(src.bag.map(_lift_map(lambda x: (fn(x), x), src.full)), src.full, src.windowing)

    def t_with_timestamps(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        if src.full:
            return Coll(src.bag.map(lambda e: (e[0], fn(e[0]), e[2])), True, src.windowing)
        return Coll(src.bag.map(lambda v: (v, fn(v), GLOBAL)), True, src.windowing)

    def t_window_into(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        windowing = {"windowfn": params["windowfn"]}
        is_global = params["windowfn"]["type"] == "global"
        assign = win.assigner(params["windowfn"])
        if not src.full and is_global:
            return Coll(src.bag, False, windowing)

        def rewindow(e: tuple) -> list:
            if e[1] is None:
                if is_global:
                    return [(e[0], None, GLOBAL)]
                raise ValueError("window_into needs event times; an element has none")
            return [(e[0], e[1], w) for w in assign(e[1])]
        rows = src.bag if src.full else src.bag.map(lambda v: (v, None, GLOBAL))  # fails per element, if any
        return Coll(rows.map(rewindow).flatten(), True, windowing)

    def t_flatten(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        import dask.bag as db

        if any(c.windowing != inputs[0].windowing for c in inputs):
            raise ValueError(f"node {node['id']!r}: flatten inputs have different windowing")
        if all(not c.full for c in inputs):
            return Coll(db.concat([c.bag for c in inputs]), False, inputs[0].windowing)
        bags = [c.bag if c.full else c.bag.map(lambda v: (v, None, GLOBAL)) for c in inputs]
        return Coll(db.concat(bags), True, inputs[0].windowing)

    def t_partition(self, node: dict, params: dict, inputs: list, sides: list) -> list[Coll]:
        (src,) = inputs
        fn, n = bound_fn(node), params["n"]

        def index_of(x: Any) -> int:
            index = fn(x, n)
            if not isinstance(index, int) or not 0 <= index < n:
                raise ValueError(f"partition function returned {index!r}, not an index in [0, {n})")
            return index

        def output(i: int) -> Coll:
            test = (lambda e: index_of(e[0]) == i) if src.full else (lambda v: index_of(v) == i)
            return Coll(src.bag.filter(test), src.full, src.windowing)
        return [output(i) for i in range(n)]

    # --- grouping

    def _pairs(self, src: Coll, key_of: Any, value_of: Any) -> Any:
        """``(grouping key, value)`` pairs: the key alone in the global window, else ``(window, key)``.

        Session windows are merged first, inside a per-key ``groupby``.
        """
        if not src.full:
            if key_of is _first and value_of is _second:
                return src.bag  # already (key, value) pairs
            return src.bag.map(lambda v: (key_of(v), value_of(v)))
        if not src.windowed:
            return src.bag.map(lambda e: (key_of(e[0]), value_of(e[0])))
        if not src.sessions:
            return src.bag.map(lambda e: ((e[2], key_of(e[0])), value_of(e[0])))

        def merged(group: tuple) -> list:
            key, rows = group
            return [((window, key), value)
                    for value, window in win.merge_sessions((row[1], row[2]) for row in rows)]
        proto = src.bag.map(lambda e: (key_of(e[0]), value_of(e[0]), e[2]))
        return proto.groupby(_first).map(merged).flatten()

    def _out(self, src: Coll, bag: Any, make: Any) -> Coll:
        if src.windowed:
            return Coll(bag.map(lambda kv: (make(kv[0][1], kv[1]), win.result_timestamp(kv[0][0]), kv[0][0])),
                        True, src.windowing)
        return Coll(bag.map(lambda kv: make(kv[0], kv[1])), False, src.windowing)

    def t_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        grouped = self._pairs(src, _first, _second).groupby(_first)
        return self._out(src, grouped, lambda k, pairs: (k, [v for _, v in pairs]))

    def t_co_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        import dask.bag as db

        if any(c.windowing != inputs[0].windowing for c in inputs):
            raise ValueError(f"node {node['id']!r}: co_group_by_key inputs have different windowing")
        tags, src = params["tags"], inputs[0]

        def retag(c: Coll, i: int) -> Coll:
            if c.full:
                return Coll(c.bag.map(lambda e: ((e[0][0], (i, e[0][1])), e[1], e[2])), True, c.windowing)
            return Coll(c.bag.map(lambda kv: (kv[0], (i, kv[1]))), False, c.windowing)
        tagged = [retag(c, i) for i, c in enumerate(inputs)]
        if any(c.full for c in tagged):
            union = Coll(db.concat([c.bag if c.full else c.bag.map(lambda v: (v, None, GLOBAL)) for c in tagged]),
                         True, src.windowing)
        else:
            union = Coll(db.concat([c.bag for c in tagged]), False, src.windowing)
        grouped = self._pairs(union, _first, _second).groupby(_first)

        def split(k: Any, pairs: list) -> tuple:
            lists: dict = {tag: [] for tag in tags}
            for _, (i, value) in pairs:
                lists[tags[i]].append(value)
            return (k, lists)
        return self._out(src, grouped, split)

    def _fold_per_key(self, pairs: Any, fn: Any) -> Any:
        return pairs.foldby(_first, lambda acc, kv: fn.add_input(acc, kv[1]), fn.create_accumulator,
                            lambda a, b: fn.merge_accumulators([a, b]), fn.create_accumulator)

    def t_combine_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        folded = self._fold_per_key(self._pairs(src, _first, _second), fn)
        return self._out(src, folded, lambda k, acc: (k, fn.extract_output(acc)))

    def t_combine_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        if not src.windowed:
            bag = src.bag.map(_first) if src.full else src.bag
            total = bag.fold(fn.add_input, lambda a, b: fn.merge_accumulators([a, b]),
                             initial=fn.create_accumulator())
            return Coll(_item_to_bag(total.apply(fn.extract_output)), False, src.windowing)
        folded = self._fold_per_key(self._pairs(src, _none, _identity), fn)
        return self._out(src, folded, lambda _k, acc: fn.extract_output(acc))

    def t_count_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.windowed:
            return Coll(_item_to_bag(src.bag.count()), False, src.windowing)
        counted = self._pairs(src, _none, _none).foldby(_first, lambda n, _kv: n + 1, 0, add, 0)
        return self._out(src, counted, lambda _k, n: n)

    def t_count_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        counted = self._pairs(src, _first, _none).foldby(_first, lambda n, _kv: n + 1, 0, add, 0)
        return self._out(src, counted, lambda k, n: (k, n))

    def t_count_per_element(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.full:
            return Coll(src.bag.frequencies(), False, src.windowing)
        counted = self._pairs(src, _identity, _none).map(_first).frequencies()
        return self._out(src, counted, lambda k, n: (k, n))

    def t_distinct(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.full:
            return Coll(src.bag.distinct(), False, src.windowing)
        unique = self._pairs(src, _identity, _none).map(_first).distinct()
        if not src.windowed:
            return Coll(unique, False, src.windowing)
        return Coll(unique.map(lambda wk: (wk[1], win.result_timestamp(wk[0]), wk[0])), True, src.windowing)

    def t_top_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        n, largest = params["n"], params["largest"]
        keep = heapq.nlargest if largest else heapq.nsmallest
        folded = self._pairs(src, _first, _second).foldby(
            _first, lambda acc, kv: keep(n, [*acc, kv[1]], key=order_key), list,
            lambda a, b: keep(n, a + b, key=order_key), list)
        return self._out(src, folded, lambda k, values: (k, values))


adapter = DaskAdapter()
