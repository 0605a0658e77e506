"""A stop request (Ctrl-C, SIGTERM) that cannot be lost.

A signal handler's exception is raised wherever the main thread happens to be. When that is a
garbage-collector callback (hypothesis registers one), Python prints it and drops it, and the
run would go on to the end and exit 0. So the handler also sets a flag, and the kit checks the
flag before every example and every requirement: a stop is acted on within one example.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

requested = threading.Event()


def stop(signum: int, frame: Any) -> None:
    """The handler: remember the stop, and raise it where the main thread is."""
    requested.set()
    raise KeyboardInterrupt


def install() -> None:
    """Ctrl-C and SIGTERM (a cancelled CI job, ``kill``) both stop the run as interrupted."""
    requested.clear()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def check() -> None:
    """Raise the stop a dropped signal handler exception did not deliver."""
    if requested.is_set():
        raise KeyboardInterrupt
