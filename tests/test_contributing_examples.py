"""Every fenced Python block in CONTRIBUTING.md and the guides under docs/ runs, so the examples
cannot rot again (issue 16: the adapter example lacked ``make_codec`` and failed on start).

A block runs as a module of its own; a block that defines a module-level ``adapter`` must also
pass ``accord smoke`` (loading it is not enough: the broken example loaded fine). A block that is
a fragment is marked ```` ```python no-run ```` and is skipped explicitly, under an id ending in
``no-run``.
"""

from __future__ import annotations

import importlib
import io
import re
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from accord_testing import REPO_ROOT
from rich.console import Console

from accord.adapters.base import Adapter
from accord.conformance.smoke import smoke

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.MULTILINE | re.DOTALL)


class Block(NamedTuple):
    source: str  # path relative to the repository root
    line: int
    code: str
    run: bool

    @property
    def id(self) -> str:
        return f"{self.source}:{self.line}" + ("" if self.run else "-no-run")


def python_blocks(text: str, source: str) -> list[Block]:
    """The fenced blocks whose info string starts with ``python`` (``no-run`` among its words skips it)."""
    blocks = []
    for match in FENCE.finditer(text):
        words = match["info"].split()
        if not words or words[0] not in ("python", "py"):
            continue
        indent = len(match["indent"])
        code = "".join(line[indent:] for line in match["body"].splitlines(keepends=True))
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(source, line, code, "no-run" not in words[1:]))
    return blocks


def documents() -> list[Path]:
    return [REPO_ROOT / "CONTRIBUTING.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]


BLOCKS = [b for doc in documents() for b in python_blocks(doc.read_text(encoding="utf-8"),
                                                          doc.relative_to(REPO_ROOT).as_posix())]


def test_contributing_has_a_runnable_adapter_example():
    assert any(b.source == "CONTRIBUTING.md" and b.run and "adapter =" in b.code for b in BLOCKS)


def test_the_extractor_finds_indented_blocks_and_marks_fragments():
    text = ("intro\n\n```python\nx = 1\n```\n\n1. step\n\n   ```python no-run\n   y = x.\n   ```\n\n"
            "```sh\nls\n```\n")
    assert python_blocks(text, "T.md") == [Block("T.md", 3, "x = 1\n", True),
                                           Block("T.md", 9, "y = x.\n", False)]
    assert [b.id for b in python_blocks(text, "T.md")] == ["T.md:3", "T.md:9-no-run"]


@pytest.mark.parametrize("block", [
    pytest.param(b, id=b.id, marks=() if b.run else pytest.mark.skip(reason="marked ```python no-run (a fragment)"))
    for b in BLOCKS
])
def test_python_block_runs(block, tmp_path, monkeypatch):
    name = "doc_example_" + re.sub(r"\W", "_", block.id)
    (tmp_path / f"{name}.py").write_text(block.code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # the smoke worker imports the block too
    monkeypatch.chdir(tmp_path)
    try:
        module = importlib.import_module(name)
        adapter = getattr(module, "adapter", None)
        if isinstance(adapter, Adapter):
            console = Console(record=True, width=200, file=io.StringIO())
            assert smoke(f"{name}:adapter", None, None, 30.0, console), console.export_text()
    finally:
        sys.modules.pop(name, None)
