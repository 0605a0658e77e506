"""Checked spec versions kept on disk between processes.

Every ``accord`` command, worker-driving kit process and test process loads a spec, and checking one (its
YAML read, every document validated against its meta-schema) takes seconds: the tensor spec 3 s on an idle
2-core machine, 8 s on a busy one. A spec that checked without problems is stored here and read back in
milliseconds by the next process whose inputs are byte for byte the same.

The key is a sha256 over everything the check reads or that shapes its result: every file below the spec
root (the family folders with their standards maps, the meta-schemas, ``released.json``) and the source of
this package (the loader that checks and the model that is pickled), plus the folder's path (a spec records
where it lies), the Python version and the versions of the libraries that read and validate
(:data:`CHECKERS`). Any changed byte is a miss: the spec is checked as before and stored anew, replacing
the folder's older entry. Only the package's own spec tree is cached (a spec exported from a
git revision or written by a test is checked every time), so the cache holds one entry per version. The
entries are pickles under ``$XDG_CACHE_HOME/accord/spec`` (default ``~/.cache``), trusted as Python trusts
its ``__pycache__``; ``ACCORD_SPEC_CACHE=0`` turns the cache off, and an unwritable or damaged cache only
means the spec is checked.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from .model import Spec

FORMAT = b"accord-spec-cache/1"
CHECKERS = ("PyYAML", "jsonschema", "referencing", "openapi-spec-validator")
WRITING = ".writing-"  # prefix of an entry being written
STALE_WRITE_SECONDS = 3600  # a WRITING file this old was left by a killed writer
PACKAGE = Path(__file__).resolve().parent  # the spec package: its own spec tree and its source


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "accord" / "spec"


def _key(version_folder: Path) -> str:
    h = hashlib.sha256(b"\0".join([FORMAT, sys.version.encode(), str(version_folder).encode(),
                                   *(_version(name).encode() for name in CHECKERS), b""]))
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def load(version_folder: Path, check: Callable[[Path], Spec]) -> Spec:
    """The checked spec of ``version_folder`` (resolved): from the cache, else ``check(version_folder)``,
    stored for the next process when it returns."""
    if os.environ.get("ACCORD_SPEC_CACHE") == "0" or PACKAGE not in version_folder.parents:
        return check(version_folder)
    prefix = hashlib.sha256(str(version_folder).encode()).hexdigest()[:16]
    entry = folder() / f"{prefix}-{_key(version_folder)}.pickle"
    try:
        with open(entry, "rb") as handle:
            spec = pickle.load(handle)
        if isinstance(spec, Spec):
            return spec
    except Exception:  # noqa: BLE001 - missing, unreadable or damaged: check the spec instead
        pass
    spec = check(version_folder)
    _store(entry, prefix, spec)
    return spec


def _store(entry: Path, prefix: str, spec: Spec) -> None:
    """Write ``entry`` atomically (a process reading it sees all of it or none) and drop the folder's others,
    and what writers killed halfway left."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=WRITING)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(spec, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
        for old in entry.parent.glob(f"{prefix}-*.pickle"):
            if old != entry:
                old.unlink(missing_ok=True)
        for stale in entry.parent.glob(f"{WRITING}*"):  # a writer killed halfway (a live one takes milliseconds)
            if time.time() - stale.stat().st_mtime > STALE_WRITE_SECONDS:
                stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - no room, no permission: the next process checks the spec again
        pass
