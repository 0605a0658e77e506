"""What a user pays for writing a pipeline once in Accord instead of natively for one engine.

The benchmark writes 10**6 keyed records to a temporary file (one JSON line each, in
the graph's tagged encoding: ``{"$tuple": ["k17", 5]}``), then on Apache Beam, Spark
and Dask runs the same job — read the file, parse each line, sum the values per key —
twice: written natively against the engine's own API, and as an Accord pipeline
(``ReadFromText | Map("parse_json") | CombinePerKey("sum")``) translated by the engine's
adapter. Both read the same file on the same already-started engine (Spark's
session and Dask's cluster are started once and shared; start-up is not timed), and
both bring the per-key sums back to the driver. Runs alternate native / Accord and
the minimum of the repeats is kept, so machine noise hits both alike. Target: a
ratio (Accord / native) <= 1.1.

Run: ``python benchmarks/pipeline_overhead.py [--records 1000000] [--repeat 3] [--engines beam,spark,dask]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from operator import add
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.spec.pipeline import api

TARGET = 1.1
KEYS = 1000


def write_records(path: str, n: int, seed: int = 0) -> dict[str, int]:
    """Write n lines ``{"$tuple": [key, value]}``; returns the expected sum per key."""
    rng = random.Random(seed)
    expected: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(n):
            key, value = f"k{rng.randrange(KEYS)}", rng.randrange(100)
            expected[key] = expected.get(key, 0) + value
            out.write(json.dumps({"$tuple": [key, value]}) + "\n")
    return expected


def parse_line(line: str) -> tuple:
    """How a native user decodes one line: json, then the pair as a tuple."""
    return tuple(json.loads(line)["$tuple"])


def accord_graph(path: str) -> dict:
    p = api.Pipeline()
    sums = p | api.ReadFromText(path) | api.Map("parse_json") | api.CombinePerKey("sum")
    return p.to_graph([sums])


# ------------------------------------------------------------------ native jobs


def native_beam(path: str, workdir: str) -> dict:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    prefix = os.path.join(workdir, "beam-native")
    with beam.Pipeline(runner=FnApiRunner(), options=PipelineOptions([])) as p:
        (
            p
            | beam.io.ReadFromText(path)
            | beam.Map(parse_line)
            | beam.CombinePerKey(sum)
            | beam.Map(json.dumps)
            | beam.io.WriteToText(prefix)
        )
    result: dict = {}
    for name in os.listdir(workdir):
        if name.startswith("beam-native"):
            with open(os.path.join(workdir, name), encoding="utf-8") as handle:
                result.update(dict(json.loads(line) for line in handle))
            os.unlink(os.path.join(workdir, name))
    return result


def native_spark(sc: Any, partitions: int) -> Callable[[str, str], dict]:
    def job(path: str, workdir: str) -> dict:
        return dict(sc.textFile(path, minPartitions=partitions).map(parse_line).reduceByKey(add).collect())

    return job


def native_dask(partitions: int) -> Callable[[str, str], dict]:
    def job(path: str, workdir: str) -> dict:
        import dask.bag as db

        blocksize = -(-os.path.getsize(path) // partitions)
        lines = db.read_text(path, blocksize=blocksize)
        pairs = lines.map(parse_line).foldby(lambda kv: kv[0], lambda acc, kv: acc + kv[1], 0, add, 0)
        return dict(pairs.compute())

    return job


# ------------------------------------------------------------------ driver


def accord_job(adapter: Any, graph: dict) -> Callable[[str, str], dict]:
    def job(path: str, workdir: str) -> dict:
        result = api.Result(adapter.invoke("run", {"graph": graph}))
        return dict(result.values(graph["outputs"][0]))

    return job


def timed(job: Callable[[str, str], dict], path: str, workdir: str) -> tuple[float, dict]:
    start = time.perf_counter()
    result = job(path, workdir)
    return time.perf_counter() - start, result


def bench_engine(name: str, path: str, warm_path: str, workdir: str, expected: dict, repeat: int) -> dict:
    adapter = api.load_adapter(name)
    started = time.perf_counter()
    adapter.start()
    startup = time.perf_counter() - started
    try:
        if name == "beam":
            native = native_beam
        elif name == "spark":
            native = native_spark(adapter.sc, adapter.partitions)
        else:
            native = native_dask(adapter.partitions)
        through = accord_job(adapter, accord_graph(path))
        # Warm both paths on a small file first (Spark starts its Python workers lazily).
        native(warm_path, workdir)
        accord_job(adapter, accord_graph(warm_path))(warm_path, workdir)
        native_times, accord_times = [], []
        for _ in range(repeat):
            seconds, result = timed(native, path, workdir)
            if result != expected:
                raise SystemExit(f"{name}: the native job computed a wrong result")
            native_times.append(seconds)
            seconds, result = timed(through, path, workdir)
            if result != expected:
                raise SystemExit(f"{name}: the Accord job computed a wrong result")
            accord_times.append(seconds)
    finally:
        adapter.stop()
    return {"engine": name, "startup": startup, "native": min(native_times), "accord": min(accord_times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="beam,spark,dask")
    parser.add_argument("--check", action="store_true", help=f"exit 1 when a ratio exceeds {TARGET}")
    args = parser.parse_args(argv)
    console = Console()
    rows = []
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as workdir:
        path = os.path.join(workdir, "records.jsonl")
        expected = write_records(path, args.records)
        warm_path = os.path.join(workdir, "warm.jsonl")
        write_records(warm_path, 1000, seed=1)
        console.print(f"wrote {args.records:,} records ({os.path.getsize(path) / 1e6:.1f} MB) to {path}")
        for engine in args.engines.split(","):
            console.print(f"[bold]{engine}[/bold] …")
            rows.append(bench_engine(engine, path, warm_path, workdir, expected, args.repeat))
    table = Table(title=f"sum per key over {args.records:,} records read from a file (min of {args.repeat})")
    for column in ("engine", "start-up s", "native s", "Accord s", "ratio", f"≤ {TARGET}"):
        table.add_column(column, justify="right" if column != "engine" else "left")
    worst = 0.0
    for row in rows:
        ratio = row["accord"] / row["native"]
        worst = max(worst, ratio)
        table.add_row(
            row["engine"],
            f"{row['startup']:.1f}",
            f"{row['native']:.2f}",
            f"{row['accord']:.2f}",
            f"{ratio:.2f}",
            "[green]yes[/green]" if ratio <= TARGET else "[red]no[/red]",
        )
    console.print(table)
    return 1 if args.check and worst > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
