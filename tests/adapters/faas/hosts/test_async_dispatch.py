"""Hosts with an event loop await coroutine handlers on the loop itself and hop to a thread for sync ones.

This is the FaaS 1.1 contract point faas.contract:async-handlers makes for event-loop hosts (Knative
func-python, Ray Serve): the dispatch functions of their shims are run here on a real asyncio loop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from accord.adapters.faas.hosts import knative_host, ray_host
from accord.spec.faas.contract import Request, to_response
from accord.spec.faas.probes import PROBES

DISPATCHERS = {"knative": knative_host.call_handler, "ray-serve": ray_host.call_handler}


async def _thread_of_async(_: object) -> int:
    await asyncio.sleep(0)
    return threading.get_ident()


def _thread_of_sync(_: object) -> int:
    return threading.get_ident()


@pytest.mark.parametrize("host", sorted(DISPATCHERS))
def test_coroutines_run_on_the_loop_and_sync_handlers_off_it(host: str) -> None:
    call: Callable[[Any, Any], Any] = DISPATCHERS[host]

    async def main() -> tuple[int, int, int]:
        return threading.get_ident(), await call(_thread_of_async, None), await call(_thread_of_sync, None)

    loop_thread, async_thread, sync_thread = asyncio.run(main())
    assert async_thread == loop_thread, "a coroutine handler was not awaited on the host's loop"
    assert sync_thread != loop_thread, "a sync handler ran on the loop and would stall it"


@pytest.mark.parametrize("host", sorted(DISPATCHERS))
def test_awaited_probes_answer_like_their_sync_twins(host: str) -> None:
    call = DISPATCHERS[host]
    request = Request("POST", body=bytes(range(256)))

    async def main() -> tuple[Any, Any]:
        return await call(PROBES["echo"].function, request), await call(PROBES["echo-async"].function, request)

    sync, coroutine = asyncio.run(main())
    assert to_response(coroutine) == to_response(sync)


@pytest.mark.parametrize("host", sorted(DISPATCHERS))
def test_awaiting_coroutines_overlap_on_one_loop(host: str) -> None:
    call = DISPATCHERS[host]
    request = Request("GET", query=knative_host.Query.parse("ms=300"))

    async def main() -> float:
        began = time.monotonic()
        answers = await asyncio.gather(*(call(PROBES["sleep-async"].function, request) for _ in range(8)))
        assert answers == ["slept 300"] * 8
        return time.monotonic() - began

    assert asyncio.run(main()) < 8 * 0.3 / 2  # serially 2.4 s; side by side about 0.3 s
