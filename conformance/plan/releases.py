"""A backend's releases, as the configured package registry lists them, and ``LO..HI`` ranges over them.

The listing is ``pip index versions``: it reads pip's own configuration (index URLs, extra indexes,
find-links, certificates), so ``accord bisect`` sees exactly the releases a cell's ``pip install`` can
get. pip calls the command experimental, so only its one stable line is read (``Available versions:
a, b, …``) and every token is parsed with ``packaging``; anything else on stdout is ignored. pip leaves
out, by itself, releases whose files are all yanked and releases whose ``Requires-Python`` excludes this
interpreter: neither could be tested here.

A range is two version *prefixes*: ``1.26..2.4`` is every release from 1.26.0 up to the last 2.4.x;
either end may be empty (``..2.4``, ``2.0..``). Pre-releases and development releases only on request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

LISTING_TIMEOUT = 180.0
_PREFIX = re.compile(r"^\d+(\.\d+)*$")


class ReleaseError(Exception):
    """The releases cannot be listed or the range is unusable; the message is one line for the user."""


@dataclass(frozen=True)
class Range:
    """``LO..HI``: each end a tuple of release numbers (a prefix), or None for an open end."""

    lo: tuple[int, ...] | None
    hi: tuple[int, ...] | None
    text: str

    def __contains__(self, version: Version) -> bool:
        if self.lo is not None and _head(version, len(self.lo)) < self.lo:
            return False
        return self.hi is None or _head(version, len(self.hi)) <= self.hi


def _head(version: Version, n: int) -> tuple[int, ...]:
    """The first ``n`` release numbers (zeros past the end): ``2.4.6`` has head ``(2, 4)`` for prefix ``2.4``."""
    return (tuple(version.release) + (0,) * n)[:n]


def parse_range(text: str) -> Range:
    """``LO..HI`` into a Range; a ReleaseError saying what a range looks like when it is not one."""
    hint = "expected LO..HI, each end a version prefix such as 1.26 or 2.0.2, either end may be empty"
    lo_text, sep, hi_text = text.strip().partition("..")
    if not sep or ".." in hi_text:
        raise ReleaseError(f"bad version range {text!r} ({hint})")
    ends: list[tuple[int, ...] | None] = []
    for end in (lo_text.strip(), hi_text.strip()):
        if end and not _PREFIX.match(end):
            raise ReleaseError(f"bad version range {text!r}: {end!r} is not a version prefix ({hint})")
        ends.append(tuple(int(p) for p in end.split(".")) if end else None)
    lo, hi = ends
    if lo is not None and hi is not None:
        if (lo + (0,) * len(hi))[:len(hi)] > hi:  # 2.4.1..2.4 is fine: 2.4.1 up to the last 2.4.x
            raise ReleaseError(f"bad version range {text!r}: its lower end is above its upper end")
    return Range(lo, hi, text.strip())


def parse_listing(stdout: str) -> list[Version]:
    """The versions of ``pip index versions``'s ``Available versions:`` line, oldest first.

    Tokens that are no valid version (pre-PEP 440 releases of old packages) are left out."""
    for line in stdout.splitlines():
        head, sep, rest = line.partition(":")
        if sep and head.strip().lower() == "available versions":
            found = set()
            for token in rest.split(","):
                try:
                    found.add(Version(token.strip()))
                except InvalidVersion:
                    continue
            return sorted(found)
    return []


def list_releases(package: str, pre: bool = False) -> list[Version]:
    """Every release of ``package`` the configured registry offers this interpreter, oldest first."""
    command = [sys.executable, "-m", "pip", "index", "versions", package, "--disable-pip-version-check"]
    if pre:
        command.append("--pre")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LISTING_TIMEOUT,
                              env={**os.environ, "PIP_NO_INPUT": "1"})
    except subprocess.TimeoutExpired:
        raise ReleaseError(f"listing the releases of {package!r} took over {LISTING_TIMEOUT:.0f}s "
                           "(pip index versions)") from None
    versions = parse_listing(done.stdout)
    if versions:
        return versions
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines()
             if line.strip() and not line.startswith("WARNING:")]
    why = lines[-1] if lines else f"pip index versions exited {done.returncode} and listed nothing"
    raise ReleaseError(f"cannot list the releases of {package!r} from the package registry: {why}")


def select(versions: list[Version], wanted: Range, pre: bool = False) -> list[Version]:
    """The versions in ``wanted``, oldest first; pre-releases and dev releases only with ``pre``."""
    return sorted(v for v in versions if v in wanted and (pre or not v.is_prerelease))
