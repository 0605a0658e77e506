"""A crafted bench report (``accord bench``'s format): two backends, a wrong answer, hostile text."""

from __future__ import annotations

from typing import Any

HOSTILE = '<img src=x onerror="window.__accord_pwned=1">'


def _timed(median: float, ratio: float) -> dict[str, Any]:
    rounds = [median * f for f in (0.98, 1.0, 1.0, 1.01, 1.03)]
    return {"status": "timed", "median_ns": median, "iqr_ns": median * 0.01, "rounds_ns": rounds, "ratio": ratio,
            "extra": {"p99_ns": median * 3}}


def bench_report(family: str = "tensor") -> dict[str, Any]:
    """numpy (baseline) and ``fast-but-wrong``: add timed at three sizes, multiply wrong (only its finding)."""
    workloads = []
    for size, n, base in (("1e2", 100, 700.0), ("1e4", 10_000, 3_000.0), ("1e6", 1_000_000, 500_000.0)):
        workloads.append({"id": f"{family}.bench.add.{size}", "function": "add", "size": size, "shape": [n],
                          "composite": False,
                          "results": {"numpy": _timed(base, 1.0), "fast-but-wrong": _timed(base * 2, 2.0)}})
        workloads.append({"id": f"{family}.bench.multiply.{size}", "function": "multiply", "size": size,
                          "shape": [n], "composite": False,
                          "results": {"numpy": _timed(base, 1.0),
                                      "fast-but-wrong": {"status": "wrong", "finding": f"x1 * x2 answered x1 {HOSTILE}"}}})
    return {"format": "accord-bench/1", "family": family, "spec": {"version": "4.1", "digest": "sha256:" + "0" * 64},
            "created": "2026-12-04T23:00:00+00:00", "seed": 1, "rounds": 5, "baseline": "numpy",
            "timing": "measured inside the worker", "machine": {"cpu": f"test CPU {HOSTILE}", "cores": 2,
                                                                "load_before": [0.5, 0.4, 0.3],
                                                                "load_after": [0.6, 0.4, 0.3], "python": "3.11.7"},
            "backends": [{"name": "numpy", "version": "numpy 2.4.6", "threads": [], "status": "ok"},
                         {"name": "fast-but-wrong", "version": "numpy 2.4.6", "threads": [], "status": "ok"}],
            "workloads": workloads}
