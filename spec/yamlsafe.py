"""Strict YAML reading: plain data only, with the line of every value.

Spec documents are data. A YAML tag that would construct a Python object, a
merge key or a duplicate mapping key is rejected, and every value keeps the
line it came from so that schema errors can point at ``file:line``.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import SpecProblem, json_path

_STD = "tag:yaml.org,2002:"
# Scalar tags that produce plain JSON-compatible data. Timestamps are kept as text.
_SCALAR_TAGS = {f"{_STD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


class _ComposeOnly(yaml.SafeLoader):
    """A SafeLoader used only to compose nodes and construct plain scalars.

    Aliases are refused as they are read: a document of nested anchors (an alias bomb) would
    otherwise expand to billions of values while it is walked. Spec documents repeat nothing
    that needs an alias; an anchor alone is harmless and stays allowed.
    """

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"YAML aliases ('*{event.anchor}') are not allowed "
                                              "in spec documents", event.start_mark)
        return super().compose_node(parent, index)


#: libyaml's composer (C), where PyYAML was built with it: the spec's 1,400 documents compose several times
#: faster than with the pure-Python one, which the kit then loads in every process it starts
_FAST = getattr(yaml, "CSafeLoader", None)

Positions = dict[tuple, int]


class _Undecided(Exception):
    """What libyaml's reading cannot judge alone: a node met twice while walking (libyaml composes an alias as
    the anchored node itself), or an empty document."""


def load_yaml(text: str, filename: str) -> tuple[Any, Positions]:
    """Parse one YAML document into plain data and a map from JSON path to 1-based line."""
    if _FAST is not None:
        try:
            return _load_fast(text, filename)
        except (yaml.YAMLError, UnicodeError, _Undecided, YamlProblem):
            pass  # read again by the pure-Python composer, for its precise error and line
    return _load_slowly(text, filename)


def _load_fast(text: str, filename: str) -> tuple[Any, Positions]:
    """libyaml's reading. It also takes a tab inside a plain scalar, which the pure-Python scanner refuses."""
    loader = _FAST(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        raise _Undecided  # an empty document: the pure-Python reading names it
    positions: Positions = {}
    return _walk(node, (), filename, positions, loader, set()), positions


def _load_slowly(text: str, filename: str) -> tuple[Any, Positions]:
    try:
        loader = _ComposeOnly(text)  # its reader refuses control characters before anything is parsed
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise _fail(filename, line, (), f"malformed YAML: character {exc.character:#06x} is not allowed") from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise _fail(filename, line, (), f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _fail(filename, 1, (), f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise _fail(filename, 1, (), "empty document")
    positions: Positions = {}
    data = _walk(node, (), filename, positions, loader)
    return data, positions


class YamlProblem(Exception):
    def __init__(self, problem: SpecProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _fail(filename: str, line: int, path: tuple, message: str) -> YamlProblem:
    return YamlProblem(SpecProblem(filename, line, json_path(path), message))


def _walk(node: Node, path: tuple, filename: str, positions: Positions, loader: Any,
          seen: set[int] | None = None) -> Any:
    """Plain data from a composed node; ``seen`` (libyaml's nodes) refuses a node met twice, which is how an
    alias comes out of libyaml's composer (the pure-Python one refuses aliases while it reads)."""
    if seen is not None:
        if id(node) in seen:
            raise _Undecided
        seen.add(id(node))
    line = node.start_mark.line + 1
    positions[path] = line
    if isinstance(node, MappingNode):
        if node.tag != f"{_STD}map":
            raise _fail(filename, line, path, f"YAML tag {node.tag!r} is not allowed in spec documents")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_STD}merge":
                raise _fail(filename, key_node.start_mark.line + 1, path, "YAML merge keys ('<<') are not allowed")
            key = _walk(key_node, path, filename, {}, loader, seen)
            if not isinstance(key, str):
                raise _fail(filename, key_node.start_mark.line + 1, path, f"mapping key {key!r} must be a string")
            if key in result:
                raise _fail(filename, key_node.start_mark.line + 1, path + (key,), f"duplicate key {key!r}")
            result[key] = _walk(value_node, path + (key,), filename, positions, loader, seen)
        return result
    if isinstance(node, SequenceNode):
        if node.tag != f"{_STD}seq":
            raise _fail(filename, line, path, f"YAML tag {node.tag!r} is not allowed in spec documents")
        return [_walk(item, path + (i,), filename, positions, loader, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if node.tag not in _SCALAR_TAGS:
        raise _fail(filename, line, path, f"YAML tag {node.tag!r} is not allowed in spec documents")
    if node.tag == f"{_STD}timestamp":
        return node.value
    return loader.construct_object(node, deep=True)


def line_of(positions: Positions, path: tuple) -> int:
    """The line of the deepest known prefix of ``path``."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            return positions[path[:end]]
    return 1
