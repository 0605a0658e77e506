"""Where cells run: a local pool (the default) or a Ray cluster.

An executor gets the cells still to run and calls ``on_done(cell, result)`` as each ends, in any order,
from the thread that called ``run``'s or another; on Ctrl-C (KeyboardInterrupt in the calling thread) it
stops every running cell — its processes and everything they started — waits until they are gone and
re-raises. A cell is :func:`.cell.run_cell` wherever it runs, so both executors give the same results.
"""

from __future__ import annotations

import os
import shutil
import socket
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from .cell import ERROR, CellResult, run_cell
from .local_ray import host_and_port, loopback_driver, session_folder
from .model import Cell
from .procs import Children, Stopped

OnDone = Callable[[Cell, CellResult], None]


class ExecutorUnavailable(Exception):
    """The executor cannot start (no Ray installed, no cluster at the address): one line for the user."""


class Executor(Protocol):
    name: str

    def run(self, cells: list[Cell], cache: Path, on_done: OnDone) -> None:
        """Run every cell (each independent of the others), reporting each result through ``on_done``."""


def _safe_run(cell: Cell, cache: Path, children: Children) -> CellResult | None:
    """run_cell, with a bug in the kit turned into the cell's ``error`` (None: the run was stopped)."""
    try:
        return run_cell(cell, cache, children)
    except Stopped:
        return None
    except Exception as exc:  # noqa: BLE001 - one broken cell must not end the plan
        last = traceback.format_exception_only(exc)[-1].strip()
        return CellResult(cell.id, ERROR, 0.0, message=f"the cell could not run: {last}")


class LocalPool:
    """Cells side by side on this machine, ``workers`` at a time.

    Each cell is its own processes (pip, ``accord run`` and its worker) in their own process group, so
    the pool itself is threads that start those processes and wait for them: no pool process to
    orphan, and a stop can end exactly the process groups it started."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1

    def run(self, cells: list[Cell], cache: Path, on_done: OnDone) -> None:
        children = Children()
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="accord-cell")
        futures: dict[Future, Cell] = {pool.submit(_safe_run, cell, cache, children): cell for cell in cells}
        pending = set(futures)
        try:
            while pending:
                # a short wait in a loop: Ctrl-C reaches this thread at once
                done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    if result is not None:
                        on_done(futures[future], result)
        except KeyboardInterrupt:
            children.stop_all()
            pool.shutdown(wait=True, cancel_futures=True)  # the stopped cells remove their temp folders
            raise
        pool.shutdown(wait=True)


def _ray_cell(cell_json: dict[str, Any], cache: str) -> dict[str, Any] | None:
    """One cell as a Ray task: a cancel (KeyboardInterrupt in the task) stops its process groups."""
    children = Children(die_with_parent=True)
    try:
        result = _safe_run(Cell.from_json(cell_json), Path(cache).expanduser(), children)
    except KeyboardInterrupt:  # run() ended the command it was waiting for; nothing else may start
        children.stop_all()
        raise
    if result is None:
        return None
    import ray

    result.host = f"{result.host} (ray node {ray.get_runtime_context().get_node_id()[:12]})"
    return asdict(result)


#: seconds a cluster's address has to accept a TCP connection before Ray is asked to join it
REACHABLE_SECONDS = 5.0


def unreachable(address: str) -> str | None:
    """Why nothing answers at a Ray address (``host:port`` or ``ray://host:port``), or None when a TCP
    connection to it opens (or the address names no port: ``auto``, which Ray resolves itself).

    Asked before ``ray.init``: with nothing listening there, Ray retries the cluster's control service for
    minutes and only then gives up, with a log line of its own."""
    host, port = host_and_port(address)
    if port is None:
        return None
    try:
        socket.create_connection((host or "127.0.0.1", port), timeout=REACHABLE_SECONDS).close()
    except OSError as exc:
        return f"nothing answers there ({exc.strerror or type(exc).__name__})"
    return None


class RayExecutor:
    """Each cell a Ray task on a running cluster (``address``), retried on another node if its node is lost.

    The nodes need this checkout at the same path and a Python like this one (a cell's environment is
    built on the node that runs it, in the node's own ``cache``). Reports travel back as the task's
    result: only this process writes into the output folder."""

    name = "ray"

    def __init__(self, address: str | None, max_retries: int = 3) -> None:  # None: a Ray of this run's own
        self.address = address
        self.max_retries = max_retries

    def run(self, cells: list[Cell], cache: Path, on_done: OnDone) -> None:
        own: dict[str, Any] = {}
        if self.address and (why := unreachable(self.address)):
            raise ExecutorUnavailable(f"cannot use a Ray cluster at {self.address}: {why}")
        if not self.address:  # a Ray of our own: its session files in a folder of ours, removed at the end
            own = {"include_dashboard": False, "num_cpus": os.cpu_count() or 1,
                   "_temp_dir": str(session_folder())}
        try:
            with loopback_driver(self.address):  # a Ray on this machine stays on 127.0.0.1 (see local_ray)
                import ray

                ray.init(address=self.address, log_to_driver=False, ignore_reinit_error=True, **own)
        except Exception as exc:  # noqa: BLE001 - no Ray, or none at that address: one line, not a traceback
            if "_temp_dir" in own:
                shutil.rmtree(own["_temp_dir"], ignore_errors=True)
            where = f"at {self.address}" if self.address else "of this run's own"
            last = (traceback.format_exception_only(exc)[-1].strip().splitlines() or [""])[-1]
            raise ExecutorUnavailable(f"cannot use a Ray cluster {where}: {last}") from None
        try:
            task = ray.remote(num_cpus=1, max_retries=self.max_retries, retry_exceptions=False)(_ray_cell)
            refs = {task.remote(cell.to_json(), str(cache)): cell for cell in cells}
            pending = list(refs)
            try:
                while pending:
                    done, pending = ray.wait(pending, num_returns=1, timeout=0.5)
                    for ref in done:
                        cell = refs[ref]
                        try:
                            data = ray.get(ref)
                        except Exception as exc:  # noqa: BLE001 - retries exhausted: the cell's error
                            on_done(cell, CellResult(cell.id, ERROR, 0.0, message=f"ray task failed: {exc}"))
                            continue
                        if data is not None:
                            on_done(cell, CellResult(**data))
            except KeyboardInterrupt:
                for ref in pending:
                    ray.cancel(ref)  # KeyboardInterrupt in the task: it stops its own process groups
                ray.wait(pending, num_returns=len(pending), timeout=30)
                raise
        finally:
            ray.shutdown()
            if "_temp_dir" in own:
                shutil.rmtree(own["_temp_dir"], ignore_errors=True)
