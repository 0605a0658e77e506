"""The pipeline family's bench: Nexmark-style queries from ``spec/pipeline/<version>/bench.yaml``.

The bench writes the event stream the document describes to a JSON-lines file per size (in one temp
dir, removed by :meth:`PipelineBench.close` and at the latest when the kit's process ends), and each
query becomes, per size, a graph in the spec's own format whose ``read_text`` reads that file. The
worker op ``bench_pipeline`` (``adapters/pipeline/bench_op.py``) runs the graph with the adapter's own
``run`` and times it there. The check runs each query at the sample size through the ordinary ``run``
op and compares the outputs with the reference runner's as the conformance suite does (multisets per
output and window).
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from accord.spec.pipeline.graph import GraphError, validate_graph

from ..client import BackendCrashed, BackendRaised, BackendTimeout, BackendUnsupported
from .workloads import BenchFamily, BenchSpecError, Checked, Workload, bench_document, size_label, unanswered

FAMILY = "pipeline"
OP = "bench_pipeline"
EVENTS = "$events"  # the read_text path the bench replaces with its file's




def budget(bench: dict[str, Any], size: int) -> dict[str, Any]:
    """The rounds and warm-up the document gives a size (3 rounds with a warm-up without an entry)."""
    return next((b for b in bench.get("budget", ()) if b["size"] == size), {"size": size, "rounds": 3, "warm_up": True})


def graph(bench: dict[str, Any], query: dict[str, Any], path: str) -> dict[str, Any]:
    """The query's graph: the document's source nodes, then the query's, reading ``path``."""
    nodes = json.loads(json.dumps(bench["source"] + query["nodes"]).replace(json.dumps(EVENTS), json.dumps(path)))
    return {"format": "accord.pipeline/1", "nodes": nodes, "outputs": list(query["outputs"])}


def expand(spec: Any, sizes: tuple[int, ...] | None = None) -> list[Workload]:
    """Every query at every size (the document's, or ``sizes``): sizes ascending, and at each size the queries
    in the document's order; one group per query. BenchSpecError names a query whose graph the validator
    refuses."""
    bench = bench_document(spec, FAMILY)
    for query in bench["queries"]:
        try:
            validate_graph(graph(bench, query, "events.jsonl"))
        except GraphError as exc:
            raise BenchSpecError(f"bench query {query['name']!r}: {exc}") from None
    out = []
    for size in sorted(sizes or bench["sizes"]):
        label = size_label((size,))
        out += [Workload(f"{FAMILY}.bench.{query['name']}.{label}", query["name"], label, (size,), False,
                         query["name"], {"events": size}) for query in bench["queries"]]
    return out


# ---------------------------------------------------------------- the event stream


def events(stream: dict[str, Any], n: int, seed: int) -> list[tuple[Any, ...]]:
    """The first ``n`` events of the stream the document describes (``stream.meaning``)."""
    rng = random.Random(seed)
    kinds = [kind for kind, count in stream["kinds"].items() for _ in range(count)]  # person, auction x3, bid x46
    persons = auctions = 0
    out: list[tuple[Any, ...]] = []
    for i in range(n):
        t = i * stream["spacing_us"]
        kind = kinds[i % len(kinds)]
        if kind == "person":
            out.append(("P", persons, rng.choice(stream["names"]), rng.choice(stream["cities"]),
                        rng.choice(stream["states"]), t))
            persons += 1
        elif kind == "auction":
            seller = rng.randrange(max(0, persons - stream["hot_persons"]), persons)
            out.append(("A", auctions, seller, rng.choice(stream["categories"]), rng.randint(*stream["price"]), t))
            auctions += 1
        else:
            auction = rng.randrange(max(0, auctions - stream["hot_auctions"]), auctions)
            bidder = rng.randrange(max(0, persons - stream["hot_persons"]), persons)
            out.append(("B", auction, bidder, rng.randint(*stream["price"]), rng.choice(stream["channels"]), t))
    return out


def write_events(path: Path, stream: dict[str, Any], n: int, seed: int) -> None:
    """The stream's first ``n`` events as lines of the graph's value encoding (each a tagged tuple)."""
    with open(path, "w", encoding="utf-8") as handle:
        for event in events(stream, n, seed):
            handle.write(json.dumps({"$tuple": list(event)}, separators=(",", ":")) + "\n")


def _remove(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- the family


class PipelineBench(BenchFamily):
    """The bench of the pipeline family."""

    name = FAMILY
    default_baseline = "reference"
    clocks = ("wall",)
    #: one worker per backend: a run takes seconds and starts its engine's own processes (Spark's JVM), and
    #: two back-to-back pipeline benches already agree on 98 % of their ratios
    workers = 1
    #: a run takes seconds by design: a run is limited by the worker's timeout only, and a larger size is not
    #: tried when the smaller one's median, scaled by the events, is over that timeout
    call_limit_ns = None
    #: the rounds of every query at one size interleave (set to their number by :meth:`workloads`): a spell
    #: of this machine lasts minutes, and a query's three rounds at 10⁵ taken back to back met it together
    #: (Spark and Dask 30-50 % slower for three queries in a row of one run, the other engines not)
    spread = 1
    # auto_affinity: never pinned (the default), for an engine the worker starts (Spark's JVM, Dask's
    # processes) would inherit the mask and run its whole pool on one CPU
    timing = ("measured inside the worker: time.perf_counter_ns around the adapter's own run of the query's graph, "
              "as a user of the engine pays it (pipeline construction, execution on the engine including reading "
              "the events file, and collecting the outputs into the worker's Python as the run op's elements); "
              "the outputs are dropped there, so the wire, their JSON and the kit's comparison are not timed")

    def __init__(self, sizes: tuple[int, ...] | None = None, sample_size: int | None = None) -> None:
        """``sizes`` / ``sample_size`` replace the document's (tests run the queries on small streams)."""
        self.sizes = sizes
        self.sample_size = sample_size
        self.spec: Any = None
        self.seed = 1
        self._folder: str | None = None
        self._files: dict[int, str] = {}
        self._expected: dict[str, Any] = {}
        self._finalizer: Any = None
        self._bench: dict[str, Any] | None = None

    # -- the data

    def bench(self) -> dict[str, Any]:
        if self._bench is None:
            self._bench = bench_document(self.spec, FAMILY)
        return self._bench

    def events_file(self, size: int) -> str:
        """The file holding the first ``size`` events (written on first use)."""
        if size not in self._files:
            if self._folder is None:
                self._folder = tempfile.mkdtemp(prefix="accord-bench-pipeline-")
                self._finalizer = weakref.finalize(self, _remove, self._folder)
            path = Path(self._folder) / f"events-{size}.jsonl"
            write_events(path, self.bench()["stream"], size, self.seed)
            self._files[size] = str(path)
        return self._files[size]

    def close(self) -> None:
        """Remove the events files (the kit's exit removes them too)."""
        if self._finalizer is not None:
            self._finalizer()
        self._folder, self._files = None, {}

    def query(self, name: str) -> dict[str, Any]:
        return next(q for q in self.bench()["queries"] if q["name"] == name)

    def graph_of(self, name: str, size: int) -> dict[str, Any]:
        return graph(self.bench(), self.query(name), self.events_file(size))

    # -- BenchFamily

    def workloads(self, spec: Any, seed: int) -> list[Workload]:
        """Size by size, so that :attr:`spread` (the queries) interleaves the rounds of all queries at one
        size, and a size's runs are judged by the last size's before any is tried (:mod:`.measure`)."""
        self.spec, self.seed, self._bench = spec, seed, None
        self.spread = len(self.bench()["queries"])
        return expand(spec, self.sizes)

    def timing_args(self, workload: Workload, number: int, repeat: int, target_ns: int) -> tuple[str, Any]:
        """A calibration (``number`` 0) is the size's warm-up run, if it has one, and times nothing; each round
        is one timed run, whatever ``repeat`` the runner asks for: a run takes seconds, so the runner's
        batches per round (for calls of microseconds) would only multiply the budget."""
        size = int(workload.args["events"])
        args: dict[str, Any] = {"graph": self.graph_of(workload.function, size)}
        if number == 0:
            return OP, {**args, "repeat": 0, "warm_up": bool(budget(self.bench(), size)["warm_up"])}
        return OP, {**args, "repeat": 1}

    def rounds(self, workload: Workload, default: int) -> int:
        """The rounds the document's budget gives the workload's size (at most ``default``)."""
        return min(default, int(budget(self.bench(), int(workload.args["events"]))["rounds"]))

    def probe(self, client: Any) -> list[dict[str, Any]]:
        try:
            return list(client.invoke(OP, {"probe": True}).get("threads", []))
        except (BackendRaised, BackendUnsupported):
            return []

    def check(self, sample: Workload, client: Any) -> Checked:
        """The query at the sample size: the backend's ``run`` equals the reference's (as multisets)."""
        from accord.conformance.check import Mismatch
        from accord.conformance.families.pipeline import compare

        size = self.sample_size or int(self.bench()["sample_size"])
        g = self.graph_of(sample.function, size)
        try:
            got = client.invoke("run", {"graph": g})
        except (BackendUnsupported, BackendRaised, BackendTimeout, BackendCrashed) as exc:
            return unanswered(exc)
        expected, why = self.expected(sample.function, g)
        if why:
            return Checked("ok", note=why)
        tolerance, fuzzy_fns = self._floats()
        try:
            compare.compare_runs(g, expected, got, tolerance=tolerance, fuzzy=compare.fuzzy_outputs(g, fuzzy_fns),
                                 aggregate=self._aggregate())
        except Mismatch as exc:
            return Checked("wrong", f"on the {size}-event sample: {exc}"[:1000])
        return Checked("ok")

    def expected(self, query: str, g: dict[str, Any]) -> tuple[Any, str | None]:
        """The reference runner's outputs on the sample (computed once per query), or why there are none."""
        from accord.adapters.pipeline.reference_adapter import adapter as reference

        if query not in self._expected:
            try:
                self._expected[query] = (reference.invoke("run", {"graph": g})["outputs"], None)
            except Exception as exc:  # the reference refuses it: time without a comparison, and say so
                self._expected[query] = (None, f"not compared: the reference could not run the sample "
                                               f"({type(exc).__name__}: {str(exc)[:200]})")
        return self._expected[query]

    def _floats(self) -> tuple[tuple[float, float], set[str]]:
        tol = self.spec.document("pipeline.contract", "floats").data["tolerance"]
        return (float(tol["rtol"]), float(tol["atol"])), set(tol.get("functions", ()))

    def _aggregate(self) -> tuple[int, int]:
        bounds = self.spec.document("pipeline.contract", "model").data["aggregate_timestamp"]
        return int(bounds["earliest"]), int(bounds["latest"])
