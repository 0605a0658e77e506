"""What a bench's numbers count: the worker's CPU time on pools of one thread, or wall time.

Wall time is what a user waits for, but on a shared machine it also counts every moment the worker was
not running: with another process busy on the same cores, two back-to-back runs of this machine's tensor
bench agreed on a third of their ratios. The worker's own CPU time (``time.process_time_ns``: every thread
of the process) does not count those moments, so it repeats under load; with every native pool at one
thread it is also the work a call costs, not that work plus threads spinning while they wait for it.
Workers with one-thread pools are also pinned to one CPU (:func:`one_cpu`): on this 2-core virtual
machine an unpinned process moved between the cores ran numpy's ``maximum`` on 10² elements at 0.33 µs or at
0.53-0.73 µs per call for seconds at a time, and jax's dispatch at 7 µs or 12 µs; pinned, both stayed within
3 %. A family whose engines compute outside the worker (Spark's JVM, a FaaS host) can only use the wall clock:
the worker's CPU time would miss their work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

CLOCKS = ("cpu", "wall")
#: the variables every common native pool reads its size from when the worker starts (OpenMP, the BLAS
#: builds, numexpr, dask's threaded scheduler); XLA (jax) takes a flag of its own, see :func:`thread_env`
POOL_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "DASK_NUM_WORKERS")
#: XLA's CPU backend has no pool size to set, only whether its Eigen kernels run multi-threaded (an unknown
#: flag in XLA_FLAGS aborts jax at start-up, so nothing else goes there)
XLA_ONE_THREAD = "--xla_cpu_multi_thread_eigen=false"


def default_threads(clock: str) -> int | None:
    """One thread per pool for the CPU clock (see the module's text); the backends' own pools for wall time."""
    return 1 if clock == "cpu" else None


def allowed_cpus() -> frozenset[int]:
    """The CPUs the kit may use (none where the platform cannot pin a process)."""
    return frozenset(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else frozenset()


def one_cpu(allowed: frozenset[int], threads: int | None) -> frozenset[int] | None:
    """A worker whose engines compute in it, with one thread per pool, on the last CPU the kit may use (the kit
    itself, idle while a worker is timed, keeps the others); the backends' own pools stay unpinned."""
    return frozenset({max(allowed)}) if threads == 1 and allowed else None


def parse_affinity(text: str) -> frozenset[int] | None:
    """``--affinity`` other than ``auto`` (the family's :meth:`~.workloads.BenchFamily.auto_affinity`): ``none``,
    or CPU numbers (``1``, ``0,2``) the kit may use; ValueError (one line) otherwise."""
    if text == "none":
        return None
    if not hasattr(os, "sched_setaffinity"):
        raise ValueError("--affinity: this platform cannot pin a process to CPUs (use none)")
    try:
        cpus = frozenset(int(c) for c in text.split(","))
    except ValueError:
        raise ValueError(f"--affinity takes auto, none or CPU numbers like 1 or 0,2; got {text!r}") from None
    allowed = os.sched_getaffinity(0)
    if not cpus <= allowed:
        raise ValueError(f"--affinity {text}: CPU {min(cpus - allowed)} is not one this process may use "
                         f"({', '.join(map(str, sorted(allowed)))})")
    return cpus


def _cpus(cpus: frozenset[int] | list[int]) -> str:
    return f"CPU{'s' if len(cpus) > 1 else ''} {','.join(map(str, sorted(cpus)))}"


def thread_env(threads: int | None, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables that size a worker's native pools to ``threads`` (nothing for None: the backends' own)."""
    if threads is None:
        return {}
    env = {name: str(threads) for name in POOL_VARIABLES}
    if threads == 1:
        env["XLA_FLAGS"] = " ".join(filter(None, [environ.get("XLA_FLAGS", ""), XLA_ONE_THREAD]))
    return env


def describe(clock: str, threads: int | None, cpus: frozenset[int] | None = None,
             host_cpus: list[int] | None = None) -> str:
    """The sentence the report's ``timing`` ends with."""
    pools = "every native thread pool at its backend's default size" if threads is None else (
        f"every native thread pool at {threads} thread{'s' if threads != 1 else ''}")
    if cpus:
        pools += f", each worker pinned to {_cpus(cpus)}"
    if host_cpus:
        pools += f", the hosts it deploys to {_cpus(host_cpus)}"
    if clock == "cpu":
        return f"Clock: the worker process's CPU time (all its threads), {pools}."
    return f"Clock: wall time, {pools}."
