"""Self-contained, depth-limited copies of Accord's protocol schemas, for generating instances.

hypothesis-jsonschema speaks draft 7 and cannot follow recursive or cross-file ``$ref``s, so a
test that generates instances of a definition first inlines every reference (a reference nested
deeper than ``depth`` becomes ``false``: nothing deeper is generated) and rewrites the 2020-12
keywords it lacks (``prefixItems``, ``dependentRequired``). Each rewrite only narrows the schema,
so every generated instance is still valid under the real schema, which the tests check.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from accord.conformance import protocol


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """Every meta-schema by ``$id``."""
    meta = protocol.schema_path().parent
    return {s["$id"]: s for s in (json.loads(p.read_text()) for p in sorted(meta.glob("*.schema.json")))}


def resolve(ref: str, base: str) -> tuple[str, dict[str, Any]]:
    """(document id, the referenced schema) of ``ref`` read in document ``base``."""
    doc, _, pointer = ref.partition("#")
    doc = doc or base
    target: Any = schemas()[doc]
    for part in [p for p in pointer.split("/") if p]:
        target = target[part]
    return doc, target


def deref(node: Any, base: str) -> Any:
    """``node`` itself, or what it stands for when it is only a ``$ref`` (a split schema's parts are reached so)."""
    while isinstance(node, dict) and set(node) == {"$ref"}:
        base, node = resolve(node["$ref"], base)
    return node


def bundle(definition: str, depth: int = 3, base: str = "urn:accord:meta:worker-protocol",
           narrow: dict[str, Any] | None = None) -> Any:
    """``#/$defs/<definition>`` of ``base`` with every reference inlined (at most ``depth`` deep).

    ``narrow`` maps absolute references (``urn:…#/$defs/x``) to a stricter stand-in (e.g. ``false``),
    to keep generation away from schemas too large for hypothesis-jsonschema.
    """
    doc, schema = resolve(f"#/$defs/{definition}", base)
    return _inline(schema, doc, {}, depth, narrow or {})


def _inline(node: Any, doc: str, seen: dict[str, int], depth: int, narrow: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(n, doc, seen, depth, narrow) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$defs", "$schema", "$id", "description", "title", "contentEncoding"):
            continue
        if key == "$ref":
            target_doc, target = resolve(value, doc)
            name = f"{target_doc}#{value.partition('#')[2]}"
            if name in narrow:
                inner = narrow[name]
            elif seen.get(name, 0) >= depth:
                return False
            else:
                inner = _inline(target, target_doc, {**seen, name: seen.get(name, 0) + 1}, depth, narrow)
            if inner is False:
                return False
            out.setdefault("allOf", []).append(inner)
        elif key == "prefixItems":
            out["items"] = _inline(value, doc, seen, depth, narrow)
            out["additionalItems"] = _inline(node.get("items", True), doc, seen, depth, narrow)
        elif key == "items" and "prefixItems" in node:
            continue
        elif key == "dependentRequired":
            out["dependencies"] = value
        elif key in ("properties", "$defs"):
            out[key] = {k: _inline(v, doc, seen, depth, narrow) for k, v in value.items()}
        else:
            out[key] = _inline(value, doc, seen, depth, narrow)
    return out
