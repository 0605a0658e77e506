"""The machine a bench ran on: CPU model, cores, load before and after, Python; per backend its versions
and native thread pools (read with threadpoolctl inside its worker)."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name (``/proc/cpuinfo``), else what :mod:`platform` says."""
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "cpu model") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (zeros where the system has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return [0.0, 0.0, 0.0]


def machine(load_before: list[float], load_after: list[float]) -> dict[str, Any]:
    return {"cpu": cpu_model(), "cores": os.cpu_count() or 1, "load_before": load_before,
            "load_after": load_after, "python": platform.python_version()}


def backend(name: str, hello: dict[str, Any] | None, threads: list[dict[str, Any]],
            message: str | None = None) -> dict[str, Any]:
    """A backend's entry: its library version and Python from the worker's hello, its thread pools."""
    if hello is None:
        return {"name": name, "version": "", "threads": [], "status": "failed-to-start", "message": message or ""}
    info = hello.get("adapter", {})
    package = info.get("backend", {})
    out = {"name": name, "version": package.get("version") or "unknown",
           "python": hello.get("python") or "", "threads": threads, "status": "ok"}
    return out
