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
combine_globally   ``Bag.reduction`` in the global window (an all-empty bag merges no
                   accumulators: ``_merge_all``), else ``foldby`` by window
count_globally     ``Bag.count`` in the global window, else ``foldby`` by window
count_per_key      ``Bag.foldby``
count_per_element  ``Bag.frequencies``
distinct           ``Bag.distinct``
flatten            ``db.concat``
partition          one ``Bag.filter`` per output
top_per_key        ``Bag.foldby`` with bounded, ordered lists
window_into        ``Bag.map(...).flatten()`` assigning windows from the timestamp
=================  ===============================================================

Workaround — key equality. dask.bag groups with Python hashing and dict
equality (foldby, frequencies, distinct): 1/1.0/True and 0/0.0/-0.0/False are one
key and two NaNs two keys (NaN != NaN after pickling), and ``Bag.groupby``'s answer
even depends on the partitioning (1 partition: 1 == 1.0 == True; 3 partitions:
True and 1.0 together, 1 apart). Minimal: ``db.from_sequence([(1, 'a'), (1.0, 'b'),
(True, 'c')]).foldby(...)`` gives one group; the spec says three. Every keyed
transform here therefore groups canonical stand-ins of the keys
(``_engine_common.canonical_key``: a str key is itself, any other key the 1-tuple
of its canonical encoding) and restores the original key in the map that builds
each result; the grouping and folding stay dask's. dask's own behaviour is pinned
by native-dask tests in ``tests/adapters/pipeline/test_spark_dask_deviations.py``.
"""

from __future__ import annotations

import heapq
import logging
import os
from functools import partial, reduce
from operator import add
from typing import Any, ClassVar

from accord.adapters.base import Adapter, AdapterMeta, AdapterUnsupported
from accord.adapters.dask_cluster import close_cluster, start_cluster
from accord.spec.pipeline.graph import GLOBAL, canonical, decode_value, order_key

from . import _windowing_native as win
from ._engine_common import (
    GLOBAL_WINDOWING,
    Coll,
    KeylessSteps,
    bound_fn,
    canonical_key,
    canonical_key_of,
    encode,
    first,
    identity,
    keyed_pairs,
    keyed_unwrap,
    nothing,
    original_key,
    second,
    side_value,
    walk,
)


class DaskAdapter(Adapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="dask",
        family="pipeline",
        backend_package="dask",
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds only optional features (stateful, metrics); 1.2 strata
        requires=("dask", "distributed"),
        description="dask.bag on a dask.distributed LocalCluster (2 processes); batch only.",
    )

    client: Any = None
    cluster: Any = None
    scratch: str | None = None  # the cluster's scratch folder (start_cluster)
    partitions: int = 2

    def start(self) -> None:
        if self.client is not None:
            return
        from dask.distributed import Client

        self.partitions = int(self.options.get("partitions", 2))
        logging.getLogger("distributed").setLevel(logging.ERROR)  # scheduler/nanny chatter on close
        # No dashboard; the scheduler's small HTTP endpoint (health checks) gets a free loopback port
        # instead of the fixed 8787 that other clusters on the machine may hold.
        start_cluster(self, n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR)
        self.client = Client(self.cluster)

    def stop(self) -> None:
        """Close the client and the cluster (its worker processes and nanny processes end)."""
        close_cluster(self)

    def invoke(self, op: str, args: Any) -> Any:
        if op == "bench_pipeline":  # accord bench: the run below, timed here in the worker
            from accord.adapters.pipeline.bench_op import bench

            return bench(self, args)
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
        computed = dask.compute(*[c.data for c in colls])
        return {"outputs": {ref: encode(c, rows) for ref, c, rows in zip(graph["outputs"], colls, computed,
                                                                          strict=True)}}


# ------------------------------------------------------------------ helpers that run on the workers


def _lift_map(fn: Any, full: bool) -> Any:
    return (lambda e, *side: (fn(e[0], *side), e[1], e[2])) if full else fn


def _lift_flat(fn: Any, full: bool) -> Any:
    return (lambda e, *side: [(y, e[1], e[2]) for y in fn(e[0], *side)]) if full else fn


def _canonical_first(kv: Any) -> Any:
    """The canonical key of a bare ``(key, value)`` element (anything else is an error, as in the reference).

    ``canonical_key`` inlined: this runs once per element of a keyed aggregation.
    """
    if type(kv) is tuple and len(kv) == 2:
        key = kv[0]
        return key if type(key) is str else (canonical(key),)
    raise ValueError(f"expected a (key, value) pair, got {kv!r}")


def _original_first(kv: tuple) -> tuple:
    return (original_key(kv[0]), kv[1])


def _accumulate(fn: Any, part: Any) -> Any:
    """One partition folded into a fresh accumulator."""
    return reduce(fn.add_input, part, fn.create_accumulator())


def _merge_all(fn: Any, accumulators: Any) -> Any:
    """The partitions' accumulators merged; a fresh one when there are none.

    dask's ``Bag.reduction`` drops the result of every empty partition but the
    last, so a bag of two or more partitions that are all empty hands the
    aggregate nothing at all. ``Bag.fold(initial=...)`` then calls
    ``reduce(combine, [])`` and raises ``TypeError: reduce() of empty iterable``;
    the spec's answer is the combine function's output over no input.
    """
    accumulators = list(accumulators)
    return fn.merge_accumulators(accumulators) if accumulators else fn.create_accumulator()


def _concat(parts: list) -> list:
    return [x for part in parts for x in part]


def _strip_line_ends(lines: Any) -> list:
    return [line.rstrip("\n") for line in lines]


def _item_to_bag(item: Any) -> Any:
    import dask.bag as db

    return db.from_delayed([item.apply(lambda value: [value]).to_delayed()])


class _Translator(KeylessSteps):
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
            bag = coll.data.map(first) if coll.full else coll.data
            gathered = bag.reduction(list, _concat)
            items.append(gathered.apply(lambda values, side=side: side_value(side, values)))
        return items

    def t_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.data.map(_lift_map(bound_fn(node), src.full), *self._side_items(node, sides)),
                    src.full, src.windowing)

    def t_flat_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        return Coll(src.data.map(_lift_flat(bound_fn(node), src.full), *self._side_items(node, sides)).flatten(),
                    src.full, src.windowing)

    def t_filter(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        test = (lambda e, *side: fn(e[0], *side)) if src.full else fn
        items = self._side_items(node, sides)
        if not items:
            return Coll(src.data.filter(test), src.full, src.windowing)
        kept = src.data.map_partitions(lambda part, *side: [x for x in part if test(x, *side)], *items)
        return Coll(kept, src.full, src.windowing)

    def flat_map(self, data: Any, fn: Any) -> Any:
        return data.map(fn).flatten()

    def union(self, datas: list) -> Any:
        import dask.bag as db

        return db.concat(datas)

    # --- grouping

    def _pairs(self, src: Coll, key_of: Any, value_of: Any) -> tuple[Any, Any]:
        """``(pairs, by)``: ``(grouping key, value)`` pairs, and the function giving a pair's canonical key.

        The grouping key is the key alone in the global window, else ``(window,
        key)``. Bare ``(key, value)`` elements stay as they are and ``by``
        canonicalises the key while grouping (no extra pass over the data);
        otherwise the pairs are built with canonical keys and ``by`` is ``first``.
        Session windows are merged first, inside a per-key ``groupby``.
        """
        if not src.full and key_of is first and value_of is second:
            return src.data, _canonical_first
        return self._built_pairs(src, canonical_key_of(key_of), value_of), first

    def _built_pairs(self, src: Coll, key_of: Any, value_of: Any) -> Any:
        pairs = keyed_pairs(src, key_of, value_of)
        if pairs is not None:
            return pairs

        def merged(group: tuple) -> list:
            key, rows = group
            return [((window, key), value)
                    for value, window in win.merge_sessions((row[1], row[2]) for row in rows)]
        proto = src.data.map(lambda e: (key_of(e[0]), value_of(e[0]), e[2]))
        return proto.groupby(first).map(merged).flatten()

    def _out(self, src: Coll, bag: Any, make: Any) -> Coll:
        return Coll(bag.map(keyed_unwrap(src.windowed, make)), src.windowed, src.windowing)

    def t_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        pairs, by = self._pairs(src, first, second)
        return self._out(src, pairs.groupby(by), lambda k, kvs: (original_key(k), [v for _, v in kvs]))

    def t_co_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        import dask.bag as db

        if any(c.windowing != inputs[0].windowing for c in inputs):
            raise ValueError(f"node {node['id']!r}: co_group_by_key inputs have different windowing")
        tags, src = params["tags"], inputs[0]

        def retag(c: Coll, i: int) -> Coll:
            if c.full:
                return Coll(c.data.map(lambda e: ((e[0][0], (i, e[0][1])), e[1], e[2])), True, c.windowing)
            return Coll(c.data.map(lambda kv: (kv[0], (i, kv[1]))), False, c.windowing)
        tagged = [retag(c, i) for i, c in enumerate(inputs)]
        if any(c.full for c in tagged):
            union = Coll(db.concat([c.data if c.full else c.data.map(lambda v: (v, None, GLOBAL)) for c in tagged]),
                         True, src.windowing)
        else:
            union = Coll(db.concat([c.data for c in tagged]), False, src.windowing)
        pairs, by = self._pairs(union, first, second)
        grouped = pairs.groupby(by)

        def split(k: Any, pairs: list) -> tuple:
            lists: dict = {tag: [] for tag in tags}
            for _, (i, value) in pairs:
                lists[tags[i]].append(value)
            return (original_key(k), lists)
        return self._out(src, grouped, split)

    def _fold_per_key(self, pairs_by: tuple[Any, Any], fn: Any) -> Any:
        pairs, by = pairs_by
        return pairs.foldby(by, lambda acc, kv: fn.add_input(acc, kv[1]), fn.create_accumulator,
                            lambda a, b: fn.merge_accumulators([a, b]), fn.create_accumulator)

    def t_combine_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        folded = self._fold_per_key(self._pairs(src, first, second), fn)
        return self._out(src, folded, lambda k, acc: (original_key(k), fn.extract_output(acc)))

    def t_combine_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        if not src.windowed:
            bag = src.data.map(first) if src.full else src.data
            total = bag.reduction(partial(_accumulate, fn), partial(_merge_all, fn))
            return Coll(_item_to_bag(total.apply(fn.extract_output)), False, src.windowing)
        folded = self._fold_per_key(self._pairs(src, nothing, identity), fn)
        return self._out(src, folded, lambda _k, acc: fn.extract_output(acc))

    def t_count_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.windowed:
            return Coll(_item_to_bag(src.data.count()), False, src.windowing)
        pairs, by = self._pairs(src, nothing, nothing)
        counted = pairs.foldby(by, lambda n, _kv: n + 1, 0, add, 0)
        return self._out(src, counted, lambda _k, n: n)

    def t_count_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        pairs, by = self._pairs(src, first, nothing)
        counted = pairs.foldby(by, lambda n, _kv: n + 1, 0, add, 0)
        return self._out(src, counted, lambda k, n: (original_key(k), n))

    def t_count_per_element(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.full:
            return Coll(src.data.map(canonical_key).frequencies().map(_original_first), False, src.windowing)
        counted = self._built_pairs(src, canonical_key_of(identity), nothing).map(first).frequencies()
        return self._out(src, counted, lambda k, n: (original_key(k), n))

    def distinct_keys(self, src: Coll) -> Any:
        return self._built_pairs(src, canonical_key_of(identity), nothing).map(first).distinct()

    def t_top_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        n, largest = params["n"], params["largest"]
        keep = heapq.nlargest if largest else heapq.nsmallest
        pairs, by = self._pairs(src, first, second)
        folded = pairs.foldby(
            by, lambda acc, kv: keep(n, [*acc, kv[1]], key=order_key), list,
            lambda a, b: keep(n, a + b, key=order_key), list)
        return self._out(src, folded, lambda k, values: (original_key(k), values))


adapter = DaskAdapter()
