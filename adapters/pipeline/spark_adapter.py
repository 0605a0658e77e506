"""Apache Spark (PySpark RDD API) adapter, batch only, on ``local[2]``.

One SparkContext per worker process (started in :meth:`SparkAdapter.start`,
bound to 127.0.0.1, no UI), so its start-up cost is paid once per run.

Elements are bare values while a collection has no event time (global window,
no timestamps: the common batch case costs nothing extra), and
``(value, timestamp, window)`` triples once timestamps or windows appear.
Windows become part of the key — ``(window, key)`` — so Spark's own shuffles do
the per-window grouping. Session windows are merged per key in one extra
``groupByKey`` pass (sort + sweep, ``_windowing_native.merge_sessions``), then
grouped like the other windows.

Mapping (Spark's primitives):

=================  ==============================================================
create             ``sc.parallelize``
read_text          ``sc.textFile``
map/flat_map/      ``rdd.map`` / ``rdd.flatMap`` / ``rdd.filter``; side inputs are
filter             gathered and shipped as ``sc.broadcast`` variables
group_by_key       ``groupByKey``
co_group_by_key    ``groupWith`` (Spark's n-way cogroup)
combine_per_key    ``combineByKey`` (create/add/merge of the CombineFn)
combine_globally   ``rdd.aggregate`` in the global window, else ``combineByKey`` by window
count_globally     ``rdd.count`` in the global window, else ``reduceByKey`` by window
count_per_key /    ``mapValues``/``map`` + ``reduceByKey(add)``
count_per_element
distinct           ``rdd.distinct``
flatten            ``sc.union``
partition          one ``rdd.filter`` per output
top_per_key        ``combineByKey`` with bounded, ordered lists
window_into        ``rdd.flatMap`` assigning windows from the timestamp
metrics            accumulators, the metered step's RDD persisted (``_spark_metrics``)
=================  ==============================================================

Workaround — key equality. Spark groups by ``portable_hash`` and Python dict
equality, so 1, 1.0 and True are one key, 0/0.0/-0.0/False one key, and two NaNs
two keys (NaN != NaN, and every NaN that crossed a pickle is a new object, also
inside tuples); the spec says three, four and one. Minimal:
``sc.parallelize([(1, 'a'), (1.0, 'b'), (True, 'c')]).groupByKey()`` gives one
group. Every keyed transform here therefore groups canonical stand-ins of the
keys (``_engine_common.canonical_key``: a str key is itself, any other key the
1-tuple of its canonical encoding) and restores the original key in the map that
builds each result; the shuffles and combines stay Spark's. Spark's own behaviour
is pinned by native-Spark tests in ``tests/adapters/pipeline/test_spark_dask_deviations.py``.
"""

from __future__ import annotations

import heapq
import logging
import os
import sys
import tempfile
from operator import add
from typing import Any, ClassVar

from accord.adapters.base import Adapter, AdapterMeta, AdapterUnsupported
from accord.spec.pipeline.graph import GLOBAL, decode_value, order_key

from . import _spark_metrics
from . import _windowing_native as win
from ._engine_common import (
    GLOBAL_WINDOWING,
    Coll,
    KeylessSteps,
    bound_fn,
    canonical_key_of,
    canonical_pair,
    encode,
    first,
    identity,
    keyed_pairs,
    keyed_unwrap,
    lift_map,
    nothing,
    original_key,
    second,
    side_value,
    walk,
)

NO_PERF_DATA = "-XX:-UsePerfData"
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


class SparkAdapter(Adapter):
    meta: ClassVar[AdapterMeta] = AdapterMeta(
        name="spark",
        family="pipeline",
        backend_package="pyspark",
        spec_versions=("1.0", "1.1", "1.2"),  # 1.1 adds only optional features (stateful, metrics); 1.2 strata
        claims=("metrics",),  # spec 1.1: accumulators (_spark_metrics)
        requires=("pyspark",),
        description="Apache Spark RDD API (PySpark) on local[2]; batch only.",
    )

    sc: Any = None
    partitions: int = 2
    _log4j: str | None = None

    def start(self) -> None:
        if self.sc is not None:
            return
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        # A JVM keeps a perf-data file in /tmp/hsperfdata_<user>/ while it runs and leaves that folder behind;
        # neither the launcher JVM (spark-class reads SPARK_LAUNCHER_OPTS) nor the driver writes one with this.
        launcher = os.environ.get("SPARK_LAUNCHER_OPTS", "")
        if NO_PERF_DATA not in launcher.split():
            os.environ["SPARK_LAUNCHER_OPTS"] = f"{launcher} {NO_PERF_DATA}".strip()
        logging.getLogger("py4j").setLevel(logging.ERROR)
        from pyspark import SparkConf, SparkContext

        handle, self._log4j = tempfile.mkstemp(prefix="accord-spark-log4j-", suffix=".properties")
        with os.fdopen(handle, "w") as out:
            out.write(_LOG4J)
        self.partitions = int(self.options.get("partitions", 2))
        conf = (SparkConf().setMaster(f"local[{self.partitions}]").setAppName("accord-pipeline")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.default.parallelism", str(self.partitions))
                .set("spark.python.worker.reuse", "true")
                .set("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile=file:{self._log4j} {NO_PERF_DATA}"))
        self.sc = SparkContext(conf=conf)
        self.sc.setLogLevel("ERROR")

    def stop(self) -> None:
        """Stop the context and the JVM py4j launched, so no java process outlives the worker."""
        if self.sc is None:
            return
        from pyspark import SparkContext

        gateway = SparkContext._gateway
        try:
            self.sc.stop()
        finally:
            self.sc = None
            if gateway is not None:
                gateway.shutdown()
                proc = getattr(gateway, "proc", None)
                if proc is not None:
                    if proc.stdin:
                        proc.stdin.close()  # the JVM exits when its stdin closes
                    try:
                        proc.wait(timeout=30)
                    except Exception:  # noqa: BLE001 - a JVM that ignores EOF is killed
                        proc.kill()
                        proc.wait(timeout=10)
                SparkContext._gateway = None
                SparkContext._jvm = None
            if self._log4j:
                os.unlink(self._log4j)
                self._log4j = None

    def invoke(self, op: str, args: Any) -> Any:
        if op == "bench_pipeline":  # accord bench: the run below, timed here in the worker
            from accord.adapters.pipeline.bench_op import bench

            return bench(self, args)
        if op != "run":
            raise AdapterUnsupported(op)
        self.start()
        graph = args["graph"]
        translator = _Translator(self.sc, self.partitions)
        try:
            done = walk(graph, translator)
            colls = []
            for ref in graph["outputs"]:
                node_id, _, index = ref.partition("#")
                colls.append(done[node_id][int(index)] if index else done[node_id])
            # One job for all outputs: Spark schedules each action separately, at ~1 s apiece here.
            tagged = [c.data.map(lambda row, i=i: (i, row)) for i, c in enumerate(colls)]
            rows: list[list] = [[] for _ in colls]
            for i, row in self.sc.union(tagged).collect():
                rows[i].append(row)
            result = {"outputs": {ref: encode(c, r) for ref, c, r in zip(graph["outputs"], colls, rows, strict=True)}}
            reported = _spark_metrics.wire(translator.accumulators)
            return {**result, "metrics": reported} if reported else result
        finally:
            for variable in translator.broadcasts:
                variable.destroy()
            for rdd in translator.persisted:
                rdd.unpersist()


# ------------------------------------------------------------------ element-wise helpers (run on executors)


def _lift_flat(fn: Any, full: bool) -> Any:
    return (lambda e: [(y, e[1], e[2]) for y in fn(e[0])]) if full else fn


def _lift_test(fn: Any, full: bool) -> Any:
    return (lambda e: fn(e[0])) if full else fn


def _with_side(fn: Any, variables: list) -> Any:
    if not variables:
        return fn
    return lambda x: fn(x, *[v.value for v in variables])


class _Translator(KeylessSteps):
    """Turns graph nodes into RDDs; keeps the broadcasts it made so the run can destroy them."""

    def __init__(self, sc: Any, partitions: int) -> None:
        self.sc = sc
        self.partitions = partitions
        self.broadcasts: list = []
        self.accumulators: dict = {}  # step -> metrics accumulator (_spark_metrics)
        self.persisted: list = []  # the RDDs of metered steps, unpersisted after the run

    def __call__(self, node: dict, inputs: list[Coll], sides: list[Coll]) -> Any:
        kind, params = node["transform"], node["params"]
        handler = getattr(self, f"t_{kind}", None)
        if handler is None:
            raise NotImplementedError(f"node {node['id']!r}: {kind} is not supported by the Spark adapter "
                                      "(batch only: no test_stream)")
        result = handler(node, params, inputs, sides)
        if node["id"] in self.accumulators:  # spec 1.1 metrics: compute a metered step once (_spark_metrics)
            self.persisted.append(result.data.persist(_spark_metrics.storage_level()))
        return result

    # --- sources

    def t_create(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        elements = params["elements"]
        if all(e.get("timestamp") is None for e in elements):
            return Coll(self.sc.parallelize([decode_value(e["value"]) for e in elements], self.partitions),
                        False, GLOBAL_WINDOWING)
        rows = [(decode_value(e["value"]), e.get("timestamp"), GLOBAL) for e in elements]
        return Coll(self.sc.parallelize(rows, self.partitions), True, GLOBAL_WINDOWING)

    def t_read_text(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        return Coll(self.sc.textFile(params["path"], minPartitions=self.partitions), False, GLOBAL_WINDOWING)

    # --- element-wise

    def _sides(self, node: dict, sides: list[Coll]) -> list:
        """Gather each side collection and broadcast its view (Spark's side-input mechanism)."""
        variables = []
        for side, coll in zip(node.get("side_inputs", []), sides, strict=True):
            items = coll.data.collect()
            if coll.full:
                items = [v for v, _, _ in items]
            variable = self.sc.broadcast(side_value(side, items))
            self.broadcasts.append(variable)
            variables.append(variable)
        return variables

    def t_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = _spark_metrics.metered(self.sc, node, _with_side(bound_fn(node), self._sides(node, sides)),
                                    self.accumulators)  # spec 1.1 metrics
        return Coll(src.data.map(lift_map(fn, src.full)), src.full, src.windowing)

    def t_flat_map(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = _spark_metrics.metered(self.sc, node, _with_side(bound_fn(node), self._sides(node, sides)),
                                    self.accumulators)  # spec 1.1 metrics
        return Coll(src.data.flatMap(_lift_flat(fn, src.full)), src.full, src.windowing)

    def t_filter(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = _spark_metrics.metered(self.sc, node, _with_side(bound_fn(node), self._sides(node, sides)),
                                    self.accumulators)  # spec 1.1 metrics
        return Coll(src.data.filter(_lift_test(fn, src.full)), src.full, src.windowing)

    def flat_map(self, data: Any, fn: Any) -> Any:
        return data.flatMap(fn)

    def union(self, datas: list) -> Any:
        return self.sc.union(datas)

    # --- grouping

    def _pairs(self, src: Coll, key_of: Any, value_of: Any) -> Any:
        """``(grouping key, value)`` pairs: the key alone in the global window, else ``(window, key)``.

        Session windows are merged first: all of a key's proto-sessions meet in
        one ``groupByKey`` group, are sorted and swept, and every value leaves
        with its merged session.
        """
        if not src.full and key_of is first and value_of is second:
            return src.data.map(canonical_pair)
        key_of = canonical_key_of(key_of)
        pairs = keyed_pairs(src, key_of, value_of)
        if pairs is not None:
            return pairs

        def merged(group: tuple) -> list:
            key, items = group
            return [((window, key), value) for value, window in win.merge_sessions(items)]
        return (src.data.map(lambda e: (key_of(e[0]), (value_of(e[0]), e[2])))
                .groupByKey().flatMap(merged))

    def _out(self, src: Coll, rdd: Any, make: Any) -> Coll:
        if src.windowed:
            return Coll(rdd.map(keyed_unwrap(True, make)), True, src.windowing)
        return Coll(rdd.map(keyed_unwrap(False, make)), False, src.windowing)

    def t_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        grouped = self._pairs(src, first, second).groupByKey()
        return self._out(src, grouped, lambda k, values: (original_key(k), list(values)))

    def t_co_group_by_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        if any(c.windowing != inputs[0].windowing for c in inputs):
            raise ValueError(f"node {node['id']!r}: co_group_by_key inputs have different windowing")
        tags = params["tags"]
        src = inputs[0]
        if src.sessions:
            # Sessions merge across all inputs of a key: tag, union, merge, then split per tag again.
            # (Session-windowed collections always carry triples: window_into made them.)
            union = Coll(self.sc.union([c.data.map(lambda e, i=i: ((e[0][0], (i, e[0][1])), e[1], e[2]))
                                        for i, c in enumerate(inputs)]), True, src.windowing)
            merged = self._pairs(union, first, second)
            parts = [merged.filter(lambda kv, i=i: kv[1][0] == i).mapValues(second) for i in range(len(tags))]
        else:
            parts = [self._pairs(c, first, second) for c in inputs]
        if len(parts) > 1:
            grouped = parts[0].groupWith(*parts[1:])
        else:  # groupWith needs a second RDD; one input is a plain groupByKey
            grouped = parts[0].groupByKey().mapValues(lambda it: (it,))
        return self._out(src, grouped,
                         lambda k, its: (original_key(k), {tag: list(it) for tag, it in zip(tags, its, strict=True)}))

    def t_combine_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        combined = self._pairs(src, first, second).combineByKey(
            lambda v: fn.add_input(fn.create_accumulator(), v), fn.add_input,
            lambda a, b: fn.merge_accumulators([a, b]), numPartitions=self.partitions)
        return self._out(src, combined, lambda k, acc: (original_key(k), fn.extract_output(acc)))

    def t_combine_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        fn = bound_fn(node)
        if not src.windowed:
            rdd = src.data if not src.full else src.data.map(lambda e: e[0])
            accumulator = rdd.aggregate(fn.create_accumulator(), fn.add_input,
                                        lambda a, b: fn.merge_accumulators([a, b]))
            return Coll(self.sc.parallelize([fn.extract_output(accumulator)], 1), False, src.windowing)
        combined = self._pairs(src, nothing, identity).combineByKey(
            lambda v: fn.add_input(fn.create_accumulator(), v), fn.add_input,
            lambda a, b: fn.merge_accumulators([a, b]), numPartitions=self.partitions)
        return self._out(src, combined, lambda _k, acc: fn.extract_output(acc))

    def t_count_globally(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        if not src.windowed:
            return Coll(self.sc.parallelize([src.data.count()], 1), False, src.windowing)
        counted = self._pairs(src, nothing, _one).reduceByKey(add)
        return self._out(src, counted, lambda _k, n: n)

    def t_count_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        counted = self._pairs(src, first, _one).reduceByKey(add)
        return self._out(src, counted, lambda k, n: (original_key(k), n))

    def t_count_per_element(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        counted = self._pairs(src, identity, _one).reduceByKey(add)
        return self._out(src, counted, lambda k, n: (original_key(k), n))

    def distinct_keys(self, src: Coll) -> Any:
        return self._pairs(src, identity, nothing).keys().distinct()

    def t_top_per_key(self, node: dict, params: dict, inputs: list, sides: list) -> Coll:
        (src,) = inputs
        n, largest = params["n"], params["largest"]
        keep = heapq.nlargest if largest else heapq.nsmallest

        def trim(values: list) -> list:
            return keep(n, values, key=order_key)
        top = self._pairs(src, first, second).combineByKey(
            lambda v: [v], lambda acc, v: trim([*acc, v]), lambda a, b: trim(a + b),
            numPartitions=self.partitions)
        return self._out(src, top, lambda k, values: (original_key(k), values))


def _one(_x: Any) -> int:
    return 1


adapter = SparkAdapter()
