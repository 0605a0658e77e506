"""A worker's native thread pools (BLAS, OpenMP) as threadpoolctl sees them, for a bench report's fingerprint."""

from __future__ import annotations

from typing import Any

#: the threadpoolctl fields a bench report keeps
KEEP = ("user_api", "internal_api", "prefix", "version", "num_threads", "threading_layer", "architecture")


def probe() -> dict[str, Any]:
    """``{"threads": [...]}`` (with a note where threadpoolctl is not installed in this Python)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {"threads": [], "note": "threadpoolctl is not installed in this worker's Python"}
    return {"threads": [{k: v for k, v in info.items() if k in KEEP} for info in threadpool_info()]}
