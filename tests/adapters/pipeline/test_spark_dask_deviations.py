"""Where Spark's RDDs and dask.bag depart from the pipeline spec: the key workaround and the findings.

Both engines group with Python hashing and dict equality, so 1/1.0/True and
0.0/-0.0 are one key, and two NaNs are two keys (NaN != NaN, and each NaN that
crossed a pickle is a new object); the spec says three keys, two keys, one key.
The adapters group canonical stand-ins of the keys instead: those tests pass
through the adapters, and native tests pin the engines' own behaviour (they fail
once an engine changes, so the workaround can be reviewed). dask's other
deviations remain findings, pinned as strict xfails.
"""

from __future__ import annotations

from operator import add

import pytest

from accord.conformance.check import Mismatch
from accord.reference.pipeline import run_wire
from accord.spec.pipeline.api import (
    AsDict,
    CoGroupByKey,
    CombineGlobally,
    CombinePerKey,
    Count,
    Create,
    Distinct,
    Flatten,
    GroupByKey,
    Keys,
    Map,
    Partition,
    Pipeline,
    Sessions,
    SlidingWindows,
    TimestampedValue,
    Top,
    WindowInto,
)

pytestmark = pytest.mark.slow
NAN = float("nan")


def matches_reference(engines, engine: str, pipeline: Pipeline, outputs: list) -> None:
    graph = pipeline.to_graph(outputs)
    engines.compare(graph, run_wire(graph)["outputs"], engines.get(engine).invoke("run", {"graph": graph}), engine)


KEYS = [1, 1.0, True, 0.0, -0.0, 0, False, NAN, -NAN, (1,), (1.0,), 2**70]


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_keys_follow_the_spec_rule(engines, engine: str) -> None:
    """Every keyed transform groups canonical stand-ins of the keys (see the native tests below)."""
    p = Pipeline()
    pairs = p | Create([(k, i) for i, k in enumerate(KEYS + KEYS[:4])])
    others = p | "b" >> Create([(1.0, "x"), (True, "y"), (NAN, "z")])
    outputs = [pairs | GroupByKey(), pairs | CombinePerKey("sum"), pairs | Count.per_key(),
               pairs | Keys() | Count.per_element(), pairs | "k2" >> Keys() | Distinct(),
               pairs | Top.largest_per_key(1), {"a": pairs, "b": others} | CoGroupByKey()]
    matches_reference(engines, engine, p, outputs)


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_windowed_keys_follow_the_spec_rule(engines, engine: str) -> None:
    p = Pipeline()
    timed = p | Create([TimestampedValue((k, 1), 1000 * i) for i, k in enumerate(KEYS)])
    windowed = timed | WindowInto(SlidingWindows(4000, 2000))
    sessions = timed | "s" >> WindowInto(Sessions(2000))
    matches_reference(engines, engine, p, [windowed | Count.per_key(), windowed | Keys() | Distinct(),
                                           sessions | GroupByKey(), sessions | Keys() | Count.per_element()])


def test_dask_grouping_does_not_depend_on_partitioning(engines) -> None:
    p = Pipeline()
    keys = [1, 1.0, True, 0.0, -0.0]
    out = p | Create([(k, 1) for k in keys]) | GroupByKey() | Map("count_values")
    graph = p.to_graph([out])
    dask = engines.get("dask")
    answers = []
    saved = dask.partitions
    try:
        for partitions in (1, 2, 3):
            dask.partitions = partitions  # the adapter's "partitions" option, on the running cluster
            result = dask.invoke("run", {"graph": graph})["outputs"][out.ref]
            answers.append(sorted(repr(e["value"]) for e in result))
    finally:
        dask.partitions = saved
    assert answers[0] == answers[1] == answers[2], answers
    assert len(answers[0]) == len(keys)


# ------------------------------------------------------------------ the engines' own key equality, behind the workaround


def test_native_spark_merges_equal_numbers_and_splits_nans(engines) -> None:
    """Why the Spark adapter canonicalises keys; fails once Spark groups by the spec's rule."""
    sc = engines.get("spark").sc
    grouped = dict(sc.parallelize([(1, 1), (1.0, 1), (True, 1), (NAN, 1), (NAN, 1)], 2).reduceByKey(add).collect())
    assert sorted(n for n in grouped.values()) == [1, 1, 3], grouped  # the spec: 1, 1, 1 and 2


def test_native_dask_merges_equal_numbers(engines) -> None:
    """Why the Dask adapter canonicalises keys; fails once dask groups by the spec's rule."""
    import dask.bag as db

    engines.get("dask")  # the cluster is the default scheduler while it runs
    bag = db.from_sequence([(1, 1), (1.0, 1), (True, 1), (0.0, 1), (-0.0, 1)], npartitions=2)
    folded = dict(bag.foldby(lambda kv: kv[0], lambda n, kv: n + kv[1], 0, add, 0).compute())
    assert sorted(folded.values()) == [2, 3], folded  # the spec: five keys of 1


@pytest.mark.parametrize("engine", ["spark", "dask"])
@pytest.mark.parametrize("fn", ["sum", "mean", "min", "concat_sorted"])
def test_combine_globally_over_empty_partitions_gives_the_default(engines, engine: str, fn: str) -> None:
    """Dask's adapter used ``Bag.fold(initial=...)``, which raised here (see the native pin); Spark's
    ``rdd.aggregate`` starts every partition and the final merge from the zero value."""
    p = Pipeline()
    empty = p | Create([])
    two = (empty, empty) | Flatten()  # two partitions, both empty; the spec says the empty result
    three = (empty, empty, empty) | "three" >> Flatten()
    matches_reference(engines, engine, p, [two | CombineGlobally(fn), three | "c3" >> CombineGlobally(fn)])


def test_native_dask_fold_over_empty_partitions_raises(engines) -> None:
    """Why the Dask adapter folds with ``Bag.reduction``: fold's combine step gets no initial value.

    Fails once dask returns ``initial`` here; then ``Bag.fold`` may serve combine_globally again.
    """
    import dask.bag as db

    engines.get("dask")
    empty = db.from_sequence([], npartitions=1)
    with pytest.raises(TypeError, match="reduce"):
        db.concat([empty, empty]).fold(add, add, initial=0).compute()


def test_native_dask_concat_of_lazy_partitions_loses_them_to_a_second_consumer(engines) -> None:
    """dask's own deviation behind pipeline.model.random_pipelines on seed 4 (flatten + an aggregate of it).

    ``db.concat`` aliases its inputs' partitions; a ``filter``/``map`` partition is a
    lazy iterator, and when the concatenation and a reduction over it are computed
    together the reduction exhausts the iterator first. Fails once dask copies
    shared lazy partitions (then the strict xfail below turns into a pass too).
    """
    import dask
    import dask.bag as db

    engines.get("dask")
    # whether the reduction runs first depends on the order of the graph's keys (their tokens), so one
    # bag shows it in about four processes of five; 20 bags of different data show it at least once
    # (19 of 20 is usual, on the single-threaded scheduler: a cluster adds worker placement to the odds)
    lost = []
    for start in range(20):
        src = db.from_sequence(list(range(start, start + 6)), npartitions=2)
        both = db.concat([src.filter(lambda v: v % 2 == 1)])
        alone = dask.compute(both, scheduler="sync")[0]
        together = dask.compute(both, both.count(), scheduler="sync")[0]
        assert len(alone) == 3, alone  # the spec (and dask alone): the three odd numbers
        lost.append(3 - len(together))
    assert any(lost), lost  # partitions go missing


@pytest.mark.xfail(strict=True, raises=Mismatch, reason="dask.compute of a concatenated bag together with a "
                   "map of it that takes an Item argument drops elements of the map (11 of 12 here)")
def test_dask_side_input_map_computed_with_its_input_keeps_every_element(engines) -> None:
    p = Pipeline()
    numbers = p | Create([1, 2, 3, 4, 5, 6])
    parts = numbers | Partition("mod_n", 2)
    counts = parts[1] | Map("pair_with_one") | Count.per_key()
    both = (numbers, parts[0], parts[1]) | Flatten()
    looked_up = both | Map("lookup_side", AsDict(counts))
    matches_reference(engines, "dask", p, [both, looked_up])  # alone, [looked_up] is right
