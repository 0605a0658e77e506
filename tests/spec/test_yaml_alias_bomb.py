"""A spec folder holding a YAML alias bomb is refused at once, in one line naming the file.

Nested anchors (each list repeating the previous one nine times) expand to 9**9 values when
walked; before aliases were refused ``accord spec validate`` grew without bound and never answered.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.spec.yamlsafe import YamlProblem, load_yaml

BOMB = """\
kind: tensor.function
name: bomb
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""

MANIFEST = """\
kind: manifest
family: tensor
version: "1.0"
status: draft
title: Bomb
capabilities: [{id: arithmetic, title: Arithmetic}]
"""


def test_alias_is_refused_with_its_line() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml("kind: x\nname: y\nlist: &a [1, 2]\nagain: *a\n", "alias.yaml")
    problem = caught.value.problem
    assert (problem.file, problem.line) == ("alias.yaml", 4)
    assert "alias" in problem.message and "*a" in problem.message


def test_an_anchor_without_alias_is_plain_data() -> None:
    data, _ = load_yaml("kind: x\nname: &n plain\n", "anchor.yaml")
    assert data == {"kind": "x", "name": "plain"}


def test_spec_validate_answers_promptly_on_an_alias_bomb(tmp_path: Path) -> None:
    folder = tmp_path / "tensor" / "1.0"
    folder.mkdir(parents=True)
    (folder / "spec.yaml").write_text(MANIFEST)
    (folder / "bomb.yaml").write_text(BOMB)
    began = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", "from accord.conformance.cli import main; main()",
                               "spec", "validate", str(folder)], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("accord spec validate did not answer within 30 s on an alias bomb")
    assert time.monotonic() - began < 20
    assert done.returncode == 2, done
    lines = [line for line in done.stderr.splitlines() if "bomb.yaml" in line]
    assert len(lines) == 1 and "alias" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
