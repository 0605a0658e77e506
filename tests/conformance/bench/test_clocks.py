"""The bench clocks' worker environment: every pool sized, and each engine still starts with it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from accord.conformance.bench import clocks


def test_one_thread_sizes_every_pool_and_keeps_the_users_xla_flags() -> None:
    env = clocks.thread_env(1, {"XLA_FLAGS": "--xla_dump_to=/nowhere"})
    assert all(env[name] == "1" for name in clocks.POOL_VARIABLES)
    assert env["XLA_FLAGS"].split() == ["--xla_dump_to=/nowhere", clocks.XLA_ONE_THREAD]
    assert "XLA_FLAGS" not in clocks.thread_env(4, {}) and clocks.thread_env(4, {})["OMP_NUM_THREADS"] == "4"
    assert clocks.thread_env(None, {}) == {}
    assert clocks.default_threads("cpu") == 1 and clocks.default_threads("wall") is None


@pytest.mark.parametrize("engine, code", [
    ("jax", "import jax.numpy as j; print(float(j.ones(3).sum()))"),  # XLA aborts on a flag it does not know
    ("torch", "import torch; print(torch.get_num_threads())"),
    ("numpy", "import numpy, threadpoolctl; print({p['num_threads'] for p in threadpoolctl.threadpool_info()})"),
])
def test_the_engines_start_and_take_one_thread(engine: str, code: str) -> None:
    pytest.importorskip(engine)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**clocks.thread_env(1, {}), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() in ("3.0", "1", "{1}"), done.stdout


def test_auto_affinity_is_each_familys_own_rule() -> None:
    from accord.conformance.bench.families import family_module

    cpus = frozenset({0, 1, 2})
    tensor, pipeline, faas = (family_module(name) for name in ("tensor", "pipeline", "faas"))
    assert tensor.auto_affinity(cpus, 1) == {2} and tensor.auto_affinity(cpus, None) is None
    # Spark's JVM and Dask's processes inherit the worker's mask: a pipeline worker is never pinned
    assert pipeline.auto_affinity(cpus, 1) is None and pipeline.host_cpus is None
    assert faas.auto_affinity(cpus, None) == {0} and faas.host_cpus == [1, 2]
    assert tensor.auto_affinity(frozenset(), 1) is None


def test_an_explicit_affinity_is_checked_against_the_cpus_the_kit_may_use() -> None:
    assert clocks.parse_affinity("none") is None
    assert clocks.parse_affinity(str(min(clocks.allowed_cpus()))) == {min(clocks.allowed_cpus())}
    with pytest.raises(ValueError, match="is not one this process may use"):
        clocks.parse_affinity("4096")
    with pytest.raises(ValueError, match="--affinity takes"):
        clocks.parse_affinity("auto,1")
