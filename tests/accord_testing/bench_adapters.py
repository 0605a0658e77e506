"""numpy adapters for the bench tests: one slowed on demand, one wrong but fast.

Loaded by the worker as ``accord_testing.bench_adapters:<name>`` with ``tests/`` on PYTHONPATH (``TESTS_ENV``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, ClassVar

from accord.adapters.base import AdapterMeta

from .overriding import Overriding, numpy_meta

#: milliseconds the ``slowable`` adapter adds to every call of a spec function (read when its worker starts)
SLOW_MS = "ACCORD_TEST_BENCH_SLOW_MS"
#: how: ``spin`` (the default) keeps the CPU busy, as a slower kernel does; ``sleep`` waits, as a call blocked
#: on something else does (the cpu clock does not count that)
SLOW_KIND = "ACCORD_TEST_BENCH_SLOW_KIND"


class Slowable(Overriding):
    """numpy; with ``ACCORD_TEST_BENCH_SLOW_MS`` set, every function call first spins (or sleeps) that long."""

    meta: ClassVar[AdapterMeta] = numpy_meta("slowable")

    def function(self, name: str) -> Callable[..., Any]:
        found = super().function(name)
        delay = float(os.environ.get(SLOW_MS, "0")) / 1000
        if not delay:
            return found
        sleep = os.environ.get(SLOW_KIND, "spin") == "sleep"

        def slowed(*args: Any, **kwargs: Any) -> Any:
            if sleep:
                time.sleep(delay)
            else:
                until = time.perf_counter() + delay
                while time.perf_counter() < until:
                    pass
            return found(*args, **kwargs)

        return slowed


class WrongFastAdd(Overriding):
    """numpy whose ``add`` returns x1 - x2: as fast as numpy, and wrong."""

    meta: ClassVar[AdapterMeta] = numpy_meta("wrong-fast-add")

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"add": lambda x1, x2, /: np.subtract(x1, x2)}


slowable = Slowable()
wrong_fast_add = WrongFastAdd()
