"""A backend whose answer to the same input changes is named as such (issue 14, point 6).

Before, it failed with a counterexample and ``accord repro`` then showed another value (or "no
longer fails"), never that the backend is not deterministic. Real numpy adapters in a real worker:
``random_add`` adds a fresh random offset on every integer add, ``wrong_add`` is off by one every time.
"""

from __future__ import annotations

import json
from pathlib import Path

from accord_testing import TESTS_ENV, accord

from accord.conformance.report import load_report

SELECT = "tensor.add.values,tensor.subtract.values"


def _run(adapter: str, report: Path):
    result = accord("run", "--family", "tensor", "--adapter", f"accord_testing.wrong_add:{adapter}",
                    "--select", SELECT, "--seed", "1", "--max-examples", "20", "--report", str(report),
                    env=TESTS_ENV)
    assert "Traceback" not in result.stderr, result.stderr
    return result, {r["id"]: r for r in load_report(report)["requirements"]}  # load_report: schema-valid


def test_a_random_backend_is_marked_in_the_report_and_by_repro(tmp_path: Path) -> None:
    report = tmp_path / "random.json"
    result, by_id = _run("random_add", report)
    assert result.returncode == 1
    add = by_id["tensor.add.values"]
    assert add["status"] == "fail" and add["reproduced"] is False
    replays = [case["replay"] for case in add["findings"]]
    assert all(replay["reproduced"] is False for replay in replays), replays
    first = add["findings"][0]
    assert replays[0]["status"] == "fail" and replays[0]["actual"] != first["actual"]
    assert by_id["tensor.subtract.values"]["status"] == "pass" and "reproduced" not in by_id["tensor.subtract.values"]
    assert "not deterministic" in result.stderr and "tensor.add.values" in result.stderr

    repro = accord("repro", str(report), "tensor.add.values", env=TESTS_ENV)
    assert repro.returncode == 1, repro.stdout + repro.stderr
    assert "not deterministic" in repro.stdout, repro.stdout
    assert "replayed 5×" in repro.stdout
    answers = [line for line in repro.stdout.splitlines() if line.strip().startswith("answer ")]
    assert len(answers) >= 2, repro.stdout
    values = {json.loads(line.split(": ", 1)[1])["actual"]["values"] for line in answers}
    assert len(values) == len(answers)  # each listed answer is another value for the same input


def test_a_backend_that_is_wrong_every_time_is_not_marked(tmp_path: Path) -> None:
    report = tmp_path / "wrong.json"
    result, by_id = _run("wrong_add", report)
    assert result.returncode == 1
    add = by_id["tensor.add.values"]
    assert add["status"] == "fail" and "reproduced" not in add
    assert all(case["replay"] == {"reproduced": True} for case in add["findings"])
    assert "not deterministic" not in result.stderr

    repro = accord("repro", str(report), "tensor.add.values", "--times", "3", env=TESTS_ENV)
    assert repro.returncode == 1 and "replayed 3×" in repro.stdout, repro.stdout + repro.stderr
    assert "not deterministic" not in repro.stdout
    fixed = accord("repro", str(report), "tensor.add.values", "--adapter", "numpy", env=TESTS_ENV)
    assert fixed.returncode == 0 and "not deterministic" not in fixed.stdout, fixed.stdout + fixed.stderr


def test_answers_differing_only_in_timing_or_order_are_the_same_answer() -> None:
    """What varies legitimately between two answers to one input: measured times, bag order, addresses."""
    from accord.conformance.check import Case, answer_key

    def case(actual: object) -> Case:
        return Case("fail", "m", actual=actual)

    http = {"status": 500, "headers": [["a", "1"], ["b", "2"]], "elapsed": 0.01}
    assert answer_key(case(http)) == answer_key(case({**http, "elapsed": 0.5, "headers": http["headers"][::-1]}))
    assert answer_key(case({"seconds": 1.0, "statuses": [200]})) == answer_key(case({"seconds": 2.0, "statuses": [200]}))
    assert answer_key(case({"outputs": {"o": [1, 2]}})) == answer_key(case({"outputs": {"o": [2, 1]}}))
    assert answer_key(case("<Tensor at 0x7f12ab34cd>")) == answer_key(case("<Tensor at 0x7f99ab34cd>"))
    assert answer_key(case({"values": 1})) != answer_key(case({"values": 2}))
    assert answer_key(case({"values": 1})) != answer_key(None)
    assert answer_key(Case("error", "m")) != answer_key(case(None))
