"""libyaml's composer reads every spec document as the pure-Python one does, and refuses what it refuses."""

from __future__ import annotations

import pytest

from accord.spec import yamlsafe
from accord.spec.loader import SPEC_ROOT
from accord.spec.yamlsafe import YamlProblem, load_yaml

needs_libyaml = pytest.mark.skipif(yamlsafe._FAST is None, reason="PyYAML was built without libyaml")


@needs_libyaml
def test_every_spec_document_reads_the_same_with_libyaml() -> None:
    files = sorted(SPEC_ROOT.rglob("*.yaml"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text, path.name) == yamlsafe._load_slowly(text, path.name), path


@needs_libyaml
def test_the_fast_path_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(text: str, filename: str) -> None:
        raise AssertionError("read by the pure-Python composer")

    monkeypatch.setattr(yamlsafe, "_load_slowly", slow)
    data, positions = load_yaml("kind: x\nitems:\n  - 1\n  - two\n", "fast.yaml")
    assert data == {"kind": "x", "items": [1, "two"]}
    assert positions[("items", 1)] == 4


@pytest.mark.parametrize(("text", "line", "words"), [
    ("kind: x\nlist: &a [1, 2]\nmore:\n  - 0\n  - *a\n", 5, ("alias", "*a")),  # an alias as a list item
    ("kind: x\nscalar: &s 1\nagain: *s\n", 3, ("alias", "*s")),
    ("kind: x\nbase: &b {a: 1}\nmerged: {<<: *b}\n", 3, ("alias", "*b")),
    ("kind: x\nkind: y\n", 2, ("duplicate key",)),
    ("kind: x\nbad: [1, 2\n", 3, ("malformed YAML",)),
    ("kind: !!python/object:os.system x\n", 1, ("tag",)),
    ("kind: x\nname: a\x07b\n", 2, ("malformed YAML", "0x0007")),  # a control character
])
def test_what_is_refused_names_its_line(text: str, line: int, words: tuple[str, ...]) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text, "bad.yaml")
    problem = caught.value.problem
    assert (problem.file, problem.line) == ("bad.yaml", line), problem
    assert all(w in problem.message for w in words), problem.message

