"""What a bench's numbers count: the worker's CPU time on pools of one thread, or wall time.

Wall time is what a user waits for, but on a shared machine it also counts every moment the worker was
not running: with another process busy on the same cores, two back-to-back runs of this machine's tensor
bench agreed on a third of their ratios. The worker's own CPU time (``time.process_time_ns``: every thread
of the process) does not count those moments, so it repeats under load; with every native pool at one
thread it is also the work a call costs, not that work plus threads spinning while they wait for it.
A family whose engines compute outside the worker (Spark's JVM, a FaaS host) can only use the wall clock:
the worker's CPU time would miss their work.
"""

from __future__ import annotations

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


def thread_env(threads: int | None, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables that size a worker's native pools to ``threads`` (nothing for None: the backends' own)."""
    if threads is None:
        return {}
    env = {name: str(threads) for name in POOL_VARIABLES}
    if threads == 1:
        env["XLA_FLAGS"] = " ".join(filter(None, [environ.get("XLA_FLAGS", ""), XLA_ONE_THREAD]))
    return env


def describe(clock: str, threads: int | None) -> str:
    """The sentence the report's ``timing`` ends with."""
    pools = "every native thread pool at its backend's default size" if threads is None else (
        f"every native thread pool at {threads} thread{'s' if threads != 1 else ''}")
    if clock == "cpu":
        return f"Clock: the worker process's CPU time (all its threads), {pools}."
    return f"Clock: wall time, {pools}."
