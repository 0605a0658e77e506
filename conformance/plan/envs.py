"""One virtual environment per distinct set of requirements, built on demand and cached.

The cache key is a hash of the requirements, the Python that builds the environment and the checkout
Accord is installed from, so a cell reuses an environment exactly when it would build the same one.
An environment is built in a temporary folder beside its final place and renamed when complete:
a killed build never leaves a folder that looks done.

Accord goes into each environment as an editable install of this checkout (``pip install --no-deps
-e``): the worker in the environment then runs the same code as the ``accord run`` that drives it
(a wheel built once would go stale as the checkout changes, and a driver and worker of different
versions need not speak the same protocol), and an environment stays valid across edits. ``--no-deps``
because Accord's own ``numpy>=2.0`` would overrule a cell that pins numpy 1.26: the worker's other
dependencies are installed with the cell's requirements in one pip resolve, so a conflict between
them is the resolver's message on an ``environment-failed`` cell.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .procs import Children

CHECKOUT = Path(__file__).resolve().parents[2]
# Accord's dependencies but numpy (which the backend brings, at the version the cell pins)
WORKER_REQUIREMENTS = ("hypothesis>=6.100", "jsonschema>=4.21", "pyyaml>=6.0", "rich>=13", "click>=8.1")
MARKER = "accord-env.json"
PIP_TIMEOUT = 1800.0
MESSAGE_LINES = 12


class EnvironmentFailed(Exception):
    """The environment could not be built; the message ends with the last lines of pip's output."""


@dataclass(frozen=True)
class Env:
    key: str
    path: Path
    built: bool  # False: reused from the cache
    seconds: float

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "accord" / "plan-envs"


def env_key(requirements: tuple[str, ...] | list[str], python: str | None = None,
            checkout: Path = CHECKOUT) -> str:
    """The cache key of an environment: its requirements (order does not matter), the Python and the checkout."""
    # the interpreter's real file: `python` and `python3.11` (a Ray worker's spelling) build the same venvs
    python = python or f"{platform.python_implementation()}-{platform.python_version()}-{os.path.realpath(sys.executable)}"
    text = json.dumps({"requirements": sorted(requirements), "worker": list(WORKER_REQUIREMENTS),
                       "python": python, "checkout": str(checkout), "layout": 1}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def ensure(requirements: tuple[str, ...], cache: Path, children: Children) -> Env:
    """The environment for ``requirements``: from the cache, or built now (EnvironmentFailed if pip fails).

    A lock file per key makes a second cell that needs the same environment wait for the first's build
    and then reuse it, rather than build it twice."""
    if not (CHECKOUT / "setup.py").is_file():
        raise EnvironmentFailed(f"accord does not run from a checkout ({CHECKOUT}): nothing to install into cells")
    key = env_key(requirements)
    cache.mkdir(parents=True, exist_ok=True)
    final = cache / key
    with open(cache / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (final / MARKER).is_file():
            return Env(key, final, False, 0.0)
        for stale in cache.glob(f".building-{key}-*"):  # a build killed outright (SIGKILL, power loss)
            shutil.rmtree(stale, ignore_errors=True)
        started = time.monotonic()
        _build(requirements, cache, final, children)
        return Env(key, final, True, time.monotonic() - started)


def _build(requirements: tuple[str, ...], cache: Path, final: Path, children: Children) -> None:
    building = Path(tempfile.mkdtemp(prefix=f".building-{final.name}-", dir=cache))
    # pip's own temp files go inside the build too: a stopped pip leaves them where the build's removal finds them
    scratch = building / ".tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    try:
        _step(children, [sys.executable, "-m", "venv", str(building)], "python -m venv", env)
        python = str(building / "bin" / "python")
        pip = [python, "-m", "pip", "install", "--no-input", "-q"]
        _step(children, pip + [*requirements, *WORKER_REQUIREMENTS], "pip install", env)
        _step(children, pip + ["--no-deps", "-e", str(CHECKOUT)], "pip install -e (accord)", env)
        shutil.rmtree(scratch)
        (building / MARKER).write_text(json.dumps({"requirements": list(requirements),
                                                   "worker": list(WORKER_REQUIREMENTS),
                                                   "python": sys.version.split()[0],
                                                   "checkout": str(CHECKOUT)}, indent=1) + "\n")
        building.chmod(0o755)  # mkdtemp's folder is private; an environment is not
        if final.exists():  # a folder without the marker: an old, unfinished build renamed by hand
            shutil.rmtree(final)
        os.rename(building, final)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _step(children: Children, command: list[str], what: str, env: dict[str, str]) -> None:
    code, stdout, stderr = children.run(command, timeout=PIP_TIMEOUT, env=env)
    if code != 0:
        lines = [line for line in (stderr or stdout).splitlines() if line.strip()
                 and not line.startswith("WARNING: Location ")]  # this machine's pip.conf noise
        raise EnvironmentFailed(f"{what} failed (exit {code}): " + "\n".join(lines[-MESSAGE_LINES:]))
