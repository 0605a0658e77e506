"""Family suites: each turns its family's spec documents into checks.

A family package ``accord.conformance.families.<family>`` exposes ``SUITE``, a
:class:`FamilySuite`. The runner looks up ``SUITE.checks[requirement.check]``
for every requirement; a check kind without an entry is a spec/suite mismatch
and is reported as ``error`` (and caught by the kit's own tests).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.conformance.check import Check


@dataclass(frozen=True)
class FamilySuite:
    family: str
    checks: Mapping[str, Check]
    # optional: called once per worker after ``hello`` (e.g. FaaS deploys the probes)
    prepare: Callable | None = None
    # optional: called after a requirement that did not pass, so the next one starts from a clean
    # backend (a FaaS host that timed out may answer later requests wrongly)
    after_failure: Callable | None = None
    # condition kind -> how to recognise and draw its stratum (``accord.conformance.strata.StratumKind``)
    conditions: Mapping[str, Callable] = field(default_factory=dict)


def get_suite(family: str) -> FamilySuite:
    try:
        module = importlib.import_module(f"accord.conformance.families.{family}")
    except ModuleNotFoundError as exc:
        raise LookupError(f"no conformance suite for family {family!r}") from exc
    return module.SUITE
