"""Issue 16's "Must show", end to end: a fresh venv, ``accord new-adapter``, ``pip install -e``, smoke, CI.

The venv is made with ``--system-site-packages`` so that it sees the kit's own (editable) accord and
numpy instead of downloading them; pip builds and installs the generated package into that venv
only. accord itself is not installed into the venv (that would write build files into the
working tree), so the test gives the venv the ``accord`` console script ``pip install accord``
would create, running the venv's interpreter. Everything lives in one temporary folder, removed
at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # about 2 min of wall-clock time: a venv, a pip build, smoke, a run

CONSOLE_SCRIPT = "#!{python}\nimport sys\nfrom accord.conformance.cli import main\nsys.exit(main())\n"


@pytest.fixture
def venv():
    """A throw-away venv (system site packages visible) with an ``accord`` script; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="accord-new-adapter-") as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(root / "venv")],
                       check=True, capture_output=True, timeout=300)
        bin_dir = root / "venv" / "bin"
        script = bin_dir / "accord"
        script.write_text(CONSOLE_SCRIPT.format(python=bin_dir / "python"))
        script.chmod(0o755)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", VIRTUAL_ENV=str(root / "venv"))
        yield root, env


def sh(command: str, cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_new_adapter_in_a_fresh_venv_passes_smoke_and_its_ci_writes_report_and_badge(venv):
    root, env = venv
    work = root / "work"
    work.mkdir()
    created = sh("accord new-adapter --family tensor mylib --namespace numpy", work, env)
    assert created.returncode == 0, created.stderr
    package = work / "mylib"

    installed = sh("python -m pip install --no-deps -e mylib", work, env, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # installed into the venv, not into the interpreter running the tests
    where = sh("python -c 'import mylib_accord, sys; print(sys.prefix, mylib_accord.__file__)'", root, env)
    assert where.stdout.split()[0] == str(root / "venv"), where.stdout + where.stderr
    assert subprocess.run([sys.executable, "-c", "import mylib_accord"], capture_output=True).returncode != 0

    smoke = sh("accord smoke --adapter mylib", root, env)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "✗" not in smoke.stdout
    generated_test = sh("python -m pytest -q -p no:cacheprovider tests", package, env)
    assert generated_test.returncode == 0, generated_test.stdout + generated_test.stderr

    workflow = yaml.safe_load((package / ".github" / "workflows" / "accord.yml").read_text())
    job = workflow["jobs"]["conformance"]
    steps = {step["id"]: step for step in job["steps"] if "id" in step}
    ci_env = {**env, **{k: str(v) for k, v in job["env"].items()}, "ACCORD_MAX_EXAMPLES": "2"}
    run = sh(steps["run"]["run"], package, ci_env)
    # 0: every MUST passes; 1: numpy as it is fails some (the run's verdict, not a crash or a usage error)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    report = json.loads((package / "accord-reports" / "tensor-mylib.json").read_text())
    assert report["adapter"]["name"] == "mylib" and report["requirements"]
    assert (package / "accord-junit.xml").is_file()
    badge = sh(steps["badge"]["run"], package, ci_env)
    assert badge.returncode == 0, badge.stdout + badge.stderr
    badges = sorted((package / "accord-site" / "badges").glob("*.svg"))
    assert badges and any("mylib" in p.name for p in badges), badges
    matrix = json.loads((package / "accord-site" / "matrix.json").read_text())
    assert any(b["svg"] == f"badges/{p.name}" for b in matrix["badges"] for p in badges)
    uploaded = steps.get("upload") or next(s for s in job["steps"] if "upload-artifact" in s.get("uses", ""))
    for path in uploaded["with"]["path"].split():
        assert (package / path).exists(), f"the workflow uploads {path}, which the run did not write"
    shutil.rmtree(package / ".hypothesis", ignore_errors=True)
