"""Generation that depends on the seed alone.

Hypothesis mixes constants harvested from the "local" Python modules loaded in the process
(anything outside site-packages and the standard library) into what it draws. For the kit that
means the examples of a seed change with what happens to be imported: an adapter module loaded
in-process, an editable install, the user's own project under pytest. A recorded seed must
reproduce its examples wherever it runs, so every search the kit makes draws with no local
constants, and leaves hypothesis as it found it afterwards (the user's own tests keep theirs).

Hypothesis has no public switch for this; the hook is its provider module's
``_get_local_constants``. If a later hypothesis drops it, this does nothing and the determinism
test in ``tests/conformance/test_seeded.py`` says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis.internal.conjecture import providers

_HOOK = "_get_local_constants"


def _no_constants() -> providers.Constants:
    return providers.Constants()


@contextmanager
def seed_only() -> Iterator[None]:
    """Within the block hypothesis draws from its global constants only, never the loaded modules'."""
    original = getattr(providers, _HOOK, None)
    if original is None:
        yield
        return
    providers.CONSTANTS_CACHE.cache.clear()  # its entries hold the local constants seen so far
    setattr(providers, _HOOK, _no_constants)
    try:
        yield
    finally:
        setattr(providers, _HOOK, original)
        providers.CONSTANTS_CACHE.cache.clear()
