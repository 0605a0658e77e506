"""The revision of the array API standard the reference answers as.

One reference serves every tensor spec version; the revisions it follows differ only where a later
one changed the text. 2025.12 returns tuples where 2024.12 returned lists (``broadcast_arrays``,
``meshgrid``, ``__array_namespace_info__().devices()``, gh-981). The worker sets the revision the
run's spec version follows (the reference adapter's ``start``); ``array_api_strict`` has the same
switch as its ``api_version`` flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

REVISIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")
DEFAULT = "2024.12"

T = TypeVar("T")

_current = [DEFAULT]


def set_revision(revision: str) -> None:
    """Answer as ``revision`` from now on (a ValueError for one the reference does not know)."""
    if revision not in REVISIONS:
        raise ValueError(f"the reference follows array API revisions {', '.join(REVISIONS)}, not {revision!r}")
    _current[0] = revision


def current() -> str:
    return _current[0]


def several(items: Iterable[T]) -> list[T] | tuple[T, ...]:
    """Several results in the container the revision's return annotation names: List before 2025.12, Tuple since."""
    return tuple(items) if current() >= "2025.12" else list(items)
