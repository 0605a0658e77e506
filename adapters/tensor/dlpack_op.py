"""The tensor worker op ``dlpack_exchange``: what ``from_dlpack`` does with memory, observed where it lives.

The wire carries values, so whether ``from_dlpack(x, copy=...)`` shares x's memory can only be seen in
the worker: build x (the backend's own array, or a numpy array for another library's), call
``from_dlpack``, then write ``value`` into every element of x and answer with the result as it is
*after* that write, and whether the write happened. A copy still holds x's old values; a result
sharing x's memory shows the written ones. Arrays that cannot be written (jax's are immutable) answer
``written: false``: sharing then cannot be observed, and the kit says so.
"""

from __future__ import annotations

from typing import Any

from accord.spec.tensor import wire

#: where x comes from: the backend's own array type, or numpy's (another library exporting DLPack)
SOURCES = ("own", "numpy")


def exchange(adapter: Any, args: dict[str, Any]) -> tuple[Any, bool]:
    """``(from_dlpack(x, **kwargs) after x[...] = value, whether x could be written)``."""
    source = args.get("source", "own")
    if source not in SOURCES:
        raise ValueError(f"dlpack_exchange: source {source!r} is not one of {SOURCES}")
    codec = adapter.codec if source == "own" else wire.NumpyCodec()
    x = wire.decode(args["x"], codec)
    result = adapter.function("from_dlpack")(x, **(args.get("kwargs") or {}))
    written = False
    if args.get("value") is not None:
        try:
            x[...] = wire.decode(args["value"], adapter.codec)
            written = True
        except (TypeError, ValueError, RuntimeError, AttributeError):  # an immutable or read-only array
            written = False
    return result, written
