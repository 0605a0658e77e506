"""The pipeline spec is consistent with the graph format, the registry and the suite."""

from __future__ import annotations

from accord.conformance.families.pipeline import SUITE
from accord.spec.loader import load_spec
from accord.spec.model import thaw
from accord.spec.pipeline import functions
from accord.spec.pipeline.graph import TRANSFORMS, canonical, encode_value

SPEC = load_spec("pipeline", "1.1")  # the latest released version


def test_every_check_kind_has_a_check_and_back() -> None:
    used = {r.check for r in SPEC.requirements}
    assert used == set(SUITE.checks)


def test_every_graph_transform_is_documented() -> None:
    documented = {d.data["graph_name"] for d in SPEC.documents_of("pipeline.transform")}
    assert documented | {"test_stream"} == set(TRANSFORMS)
    assert any(d.name == "test_stream" for d in SPEC.documents_of("pipeline.streaming"))


def test_combine_fn_documents_match_the_registry() -> None:
    docs = {d.name: d for d in SPEC.documents_of("pipeline.combine_fn")}
    assert set(docs) == set(functions.names("combine"))
    for name, doc in docs.items():
        params = {p["name"]: 1 for p in doc.data.get("parameters", ())}
        fn = functions.bind({"name": name, "params": params} if params else {"name": name}, "combine")
        assert canonical(fn.apply([])) == canonical(encode_value(None) if False else fn.apply([]))
        assert thaw(doc.data["empty_result"]) == encode_value(fn.apply([])), name


def test_capabilities_have_sections_and_requirements() -> None:
    used = {r.capability for r in SPEC.requirements}
    for capability in SPEC.capabilities:
        assert capability.section in ("What is computed", "Where in event time", "When in processing time",
                                      "How refinements relate")
        assert capability.id in used, capability.id


def test_streaming_requirements_are_may_and_transcripts() -> None:
    for requirement in SPEC.requirements:
        if requirement.check == "transcript":
            assert requirement.level == "MAY" and requirement.feature == "streaming"


def test_draft_is_the_released_version_plus_its_manifest() -> None:
    draft = load_spec("pipeline", "draft")
    assert (draft.version, draft.status) == ("1.2", "draft")
    assert [r.to_json() for r in draft.requirements] == [r.to_json() for r in SPEC.requirements]


def test_1_1_keeps_every_1_0_requirement() -> None:
    old = {r.id: r.to_json() for r in load_spec("pipeline", "1.0").requirements}
    new = {r.id: r.to_json() for r in SPEC.requirements}
    assert all(new[rid] == req for rid, req in old.items())
    assert {new[rid]["level"] for rid in set(new) - set(old)} == {"MAY"}
