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

The same block skips hypothesis's reseeding of the global ``random`` and ``numpy.random`` states
around every example (``deterministic_PRNG``). That exists for test bodies that read those states;
the kit's properties draw only through hypothesis and never read them, and the save / seed /
restore / hash of two Mersenne Twister states per example was about a tenth of a tensor run's time.
The examples are the same either way (a test in ``tests/conformance/test_seeded.py``).

:func:`keyless` spares each search hypothesis's key for its example database, a hash of the test's source
(``inspect.getsource``, then a tokenizer pass over it: 5-10 ms for the kit's nested test functions; the
kit's CPU time of a two-example tensor run on numpy went from 70 to 63 s without it, its report unchanged).
The kit's searches run without a database, so the key is never read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import hypothesis.core
from hypothesis.internal.conjecture import providers

_HOOK = "_get_local_constants"
_PRNG = "deterministic_PRNG"
_KEY = "_hypothesis_internal_database_key"  # read by hypothesis before it would hash the test's source


def _no_constants() -> providers.Constants:
    return providers.Constants()


@contextmanager
def seed_only() -> Iterator[None]:
    """Within the block hypothesis draws from its global constants only, never the loaded modules', and
    leaves the global PRNGs alone."""
    original = getattr(providers, _HOOK, None)
    prng = getattr(hypothesis.core, _PRNG, None)
    if original is not None:
        providers.CONSTANTS_CACHE.cache.clear()  # its entries hold the local constants seen so far
        setattr(providers, _HOOK, _no_constants)
    if prng is not None:
        setattr(hypothesis.core, _PRNG, _untouched)
    try:
        yield
    finally:
        if original is not None:
            setattr(providers, _HOOK, original)
            providers.CONSTANTS_CACHE.cache.clear()
        if prng is not None:
            setattr(hypothesis.core, _PRNG, prng)


@contextmanager
def _untouched(seed: int = 0) -> Iterator[None]:
    """In place of hypothesis's reseeding of the global PRNGs around every example."""
    yield


def keyless(test: Callable[..., Any]) -> Callable[..., Any]:
    """A ``@given`` test that hypothesis runs without computing its database key (the kit has no database)."""
    setattr(test, _KEY, None)
    return test
