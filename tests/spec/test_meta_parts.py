"""Split meta-schemas: every part is reachable by its ``$id``, every reference resolves, and a part is no kind.

Long meta-schemas are split into ``<kind>.<part>.schema.json`` files (``$id`` ``urn:accord:meta:<kind>/<part>``,
docs/architecture.md); a document may not name a part as its kind, and the bundled form that the report
and matrix validators use must judge like a registry that holds every file.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from accord.spec import loader

URN = "urn:accord:meta:"
FILES = {p.name: json.loads(p.read_text()) for p in sorted(loader.META_DIR.glob("*.schema.json"))}
IDS = {s["$id"]: s for s in FILES.values()}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from ([value] if key == "$ref" else _refs(value))
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_file_is_named_by_its_id() -> None:
    for name, schema in FILES.items():
        owner, _, part = schema["$id"].removeprefix(URN).partition("/")
        assert name == (f"{owner}.{part}.schema.json" if part else f"{owner}.schema.json"), name
        if part:
            assert f"{owner}.schema.json" in FILES, name


def test_every_reference_resolves_and_every_part_is_used() -> None:
    used = set()
    for doc_id, schema in IDS.items():
        for ref in _refs(schema):
            target_id, _, pointer = ref.partition("#")
            target: object = IDS[target_id or doc_id]
            for step in [s for s in pointer.split("/") if s]:
                target = target[step]  # a KeyError names a dangling reference
            used.add(target_id or doc_id)
    parts = {i for i in IDS if "/" in i}
    assert parts and parts <= used


def test_a_part_is_not_a_document_kind(tmp_path: Path) -> None:
    assert not [k for k in loader.known_kinds() if "/" in k]
    for kind in (k.removeprefix(URN) for k in IDS if "/" in k):
        doc = tmp_path / "doc.yaml"
        doc.write_text(f"kind: {kind}\nname: x\n")
        problems = loader.check_paths([doc])
        assert len(problems) == 1 and f"unknown document kind {kind!r}" in str(problems[0]), problems


def test_bundled_schemas_judge_like_the_registry() -> None:
    registry = referencing.Registry().with_resources((i, DRAFT202012.create_resource(s)) for i, s in IDS.items())
    from accord_testing.matrix_fixtures import findings_set  # crafted reports, valid by construction

    report = next(iter(findings_set().values()))
    broken = json.loads(json.dumps(report))
    broken["requirements"][0]["status"] = "bogus"
    broken["requirements"][-1]["findings"] = [{"status": "fail", "message": "m", "finding": 3}]
    for kind, instance in (("report", report), ("report", broken)):
        bundled = jsonschema.Draft202012Validator(loader.bundled_meta_schema(kind))
        full = jsonschema.Draft202012Validator({"$ref": URN + kind}, registry=registry)
        assert ([e.message for e in bundled.iter_errors(instance)]
                == [e.message for e in full.iter_errors(instance)])
    assert not jsonschema.Draft202012Validator(loader.bundled_meta_schema("report")).is_valid(broken)
