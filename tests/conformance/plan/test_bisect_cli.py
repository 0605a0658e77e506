"""``accord bisect`` end to end: real numpy releases from the package registry, each in its own environment.

numpy 2.1.0 added ``cumulative_sum``: 2.0.2 fails ``tensor.cumulative_sum.values`` (AttributeError), 2.1.x
passes it. Over ``2.0.2..2.1.1`` the search tests both ends and then 2.1.0, the one release between them,
so the bisect needs three environments (built into the session's cache, about 40 s each with pip's cache
warm; the whole search about 130 s here); a narrower search then reuses them. Bad input is one line and
exit 2 before anything is built.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import referencing
from accord_testing.plan_processes import assert_clean, processes_naming
from referencing.jsonschema import DRAFT202012

from accord.conformance.plan.bisect import FOUND, Outcome, Trial
from accord.conformance.plan.bisect_cli import document
from accord.spec.loader import META_DIR

MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"
REQUIREMENT = "tensor.cumulative_sum.values"


def validator() -> jsonschema.Draft202012Validator:
    registry = referencing.Registry().with_resources(
        (s["$id"], DRAFT202012.create_resource(s))
        for s in (json.loads(p.read_text()) for p in sorted(META_DIR.glob("*.schema.json"))))
    return jsonschema.Draft202012Validator(json.loads((META_DIR / "bisect.schema.json").read_text()),
                                           registry=registry)


def start(folder: Path, *args: str) -> subprocess.Popen:
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, "-c", MAIN, "bisect", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(scratch)})


def finish(proc: subprocess.Popen, timeout: float = 900) -> tuple[int, str, str]:
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)  # the bisect stops its children and cleans up
        stdout, stderr = proc.communicate(timeout=60)
        raise AssertionError(f"accord bisect did not end in {timeout:.0f}s:\n{stdout}{stderr}") from None
    return proc.returncode, stdout, stderr


@pytest.mark.parametrize(("args", "expected"), [
    (["--adapter", "no-such-adapter", "--versions", "1..2", "--requirement", REQUIREMENT], "unknown adapter 'no-such-adapter'"),
    (["--adapter", "dask", "--versions", "1..2", "--requirement", REQUIREMENT], "adapter 'dask' is ambiguous"),
    (["--adapter", "numpy", "--versions", "1.26", "--requirement", REQUIREMENT], "bad version range '1.26'"),
    (["--adapter", "numpy", "--versions", "2.4..2.1", "--requirement", REQUIREMENT], "lower end is above"),
    (["--adapter", "numpy", "--versions", "1..2", "--requirement", "tensor.no.such"],
     "unknown requirement 'tensor.no.such' in spec tensor 1.0, 1.1"),
    (["--adapter", "numpy", "--versions", "1..2", "--requirement", "tensor.add.complex-special-cases",
      "--spec-version", "1.0"], "unknown requirement 'tensor.add.complex-special-cases' in spec tensor 1.0"),
    (["--adapter", "numpy", "--versions", "1..2", "--requirement", REQUIREMENT, "--spec-version", "9.9"],
     "spec tensor 9.9 does not exist"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    code, stdout, stderr = finish(start(tmp_path, *args, "--env-cache", str(tmp_path / "envs")), timeout=120)
    assert code == 2, stdout + stderr
    assert stderr.count("\n") == 1 and expected in stderr and stderr.startswith("accord: error: "), stderr


@pytest.mark.slow  # asks the package registry
def test_a_range_without_releases_names_the_package_and_the_range(tmp_path: Path) -> None:
    code, stdout, stderr = finish(start(tmp_path, "--adapter", "numpy", "--versions", "0.1..0.2", "--requirement",
                                        REQUIREMENT, "--env-cache", str(tmp_path / "envs")), timeout=120)
    assert code == 2 and stderr.strip() == "accord: error: no release of 'numpy' in the range '0.1..0.2' " \
                                           "(pre-releases: --pre)", stderr


def test_the_report_document_follows_its_schema() -> None:
    trials = [Trial("2.0.2", "fail", "AttributeError", "built", 40.0), Trial("2.1.1", "pass", None, "reused", 7.0),
              Trial("2.1.0", None, "pip install failed (exit 1): no wheel", "failed", 3.0)]
    outcome = Outcome(FOUND, ["2.0.2", "2.1.0", "2.1.1"], trials, low=trials[0], high=trials[1],
                      last_old=trials[0], first_new=trials[1], candidates=["2.1.0", "2.1.1"])
    data = document(outcome, family="tensor", adapter="numpy", package="numpy", spec_version="1.1",
                    requirement=REQUIREMENT, version_range="2.0.2..2.1.1", pre=False,
                    settings={"seed": 1, "max_examples": 3, "timeout": 30.0}, seconds=50.0)
    validator().validate(json.loads(json.dumps(data)))
    assert data["environments"] == {"built": 1, "reused": 1, "failed": 1}
    assert not validator().is_valid({**data, "result": "maybe"})
    assert not validator().is_valid({**data, "trials": [{**data["trials"][0], "verdict": "fine"}]})


@pytest.mark.slow  # builds three numpy environments from the package registry
def test_bisect_names_the_release_that_added_cumulative_sum(tmp_path: Path, cache: Path) -> None:
    report = tmp_path / "bisect.json"
    args = ["--adapter", "numpy", "--versions", "2.0.2..2.1.1", "--requirement", REQUIREMENT, "--spec-version", "1.1",
            "--max-examples", "3", "--env-cache", str(cache), "--report", str(report)]
    started = time.monotonic()
    code, stdout, stderr = finish(start(tmp_path, *args))
    print(f"bisect over 3 releases: {time.monotonic() - started:.1f}s")
    assert code == 0, stdout + stderr
    assert "first release with the new verdict: numpy 2.1.0 (pass)" in stdout, stdout
    assert "last release with the old verdict:  numpy 2.0.2 (fail)" in stdout, stdout
    assert "finding on numpy 2.0.2: the backend raised AttributeError" in stdout and "cumulative_sum" in stdout
    assert "environments: 3 built, 0 reused, 0 failed" in stdout, stdout
    data = json.loads(report.read_text())
    validator().validate(data)
    assert data["result"] == "found" and data["first_new"]["release"] == "2.1.0"
    assert [t["release"] for t in data["trials"]] == ["2.0.2", "2.1.1", "2.1.0"]  # the ends first
    assert [t["verdict"] for t in data["trials"]] == ["fail", "pass", "pass"]
    assert_clean(tmp_path, cache)

    # a narrower search: its environments are reused, and its two ends agree
    code, stdout, stderr = finish(start(tmp_path, *args[:3], "2.1.0..2.1.1", *args[4:]))
    assert code == 1 and "no change between numpy 2.1.0 and 2.1.1: both pass" in stdout, stdout + stderr
    assert "environments: 0 built, 2 reused, 0 failed" in stdout, stdout
    assert json.loads(report.read_text())["result"] == "no-change"
    assert_clean(tmp_path, cache)


@pytest.mark.slow
def test_ctrl_c_stops_the_search_and_leaves_nothing(tmp_path: Path, cache: Path) -> None:
    proc = start(tmp_path, "--adapter", "numpy", "--versions", "2.0.2..2.1.1", "--requirement", REQUIREMENT,
                 "--spec-version", "1.1", "--max-examples", "3", "--env-cache", str(cache))
    deadline = time.monotonic() + 300
    # a child (pip building an environment, or accord run and its worker in one): not the bisect itself
    while not [p for p in processes_naming(cache) if not p.startswith(f"{proc.pid}:")]:
        assert proc.poll() is None and time.monotonic() < deadline, finish(proc)
        time.sleep(0.2)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    code, stdout, stderr = finish(proc, timeout=120)
    assert code == 130 and "interrupted" in stderr and "Traceback" not in stderr, stdout + stderr
    assert_clean(tmp_path, cache)


@pytest.mark.slow  # asks the package registry; builds nothing (no release of the range has a wheel for 3.11+)
def test_releases_without_a_wheel_are_untestable_with_pips_message(tmp_path: Path) -> None:
    report = tmp_path / "bisect.json"
    cache = tmp_path / "envs"
    code, stdout, stderr = finish(start(tmp_path, "--adapter", "numpy", "--versions", "1.22.4..1.23.1", "--requirement",
                                        REQUIREMENT, "--wheels-only", "--env-cache", str(cache), "--report", str(report)))
    assert code == 3 and "untestable: fewer than two releases of the range could be tested" in stdout, stdout + stderr
    assert "environments: 0 built, 0 reused, 3 failed" in stdout, stdout
    data = json.loads(report.read_text())
    validator().validate(data)
    assert [t["release"] for t in data["trials"]] == ["1.22.4", "1.23.0", "1.23.1"]
    assert all(t["untestable"] and "No matching distribution found for numpy==" + t["release"] in t["message"]
               for t in data["trials"]), data["trials"]
    assert [p.name for p in cache.iterdir() if not p.name.endswith(".lock")] == []  # no half environment
    assert_clean(tmp_path, cache)
