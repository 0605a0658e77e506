"""Find, validate and load spec versions.

``load_spec(family, version)`` returns a frozen :class:`~accord.spec.model.Spec`
or raises :class:`~accord.spec.errors.SpecError` listing every problem, each as
``file:line: json-path: message``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from . import cache as spec_cache
from .errors import SpecError, SpecProblem, json_path
from .model import Capability, ConditionKind, Document, Feature, Requirement, Spec, Standard, freeze
from .standards import resolve as resolve_standards
from .yamlsafe import Positions, YamlProblem, line_of, load_yaml

SPEC_ROOT = Path(__file__).resolve().parent
META_DIR = SPEC_ROOT / "meta"
RELEASED_DIGESTS = SPEC_ROOT / "released.json"
FAMILIES = ("tensor", "pipeline", "faas")
MANIFEST = "spec.yaml"
_IGNORED_PARTS = {"__pycache__", ".DS_Store"}


def display(path: Path) -> str:
    """A path as the user should read it in an error line."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- discovery


def versions(family: str, root: Path = SPEC_ROOT) -> list[str]:
    """Released versions of a family in ascending order, then ``draft`` if present."""
    folder = root / family
    if not folder.is_dir():
        return []
    released = [p.name for p in folder.iterdir() if (p / MANIFEST).is_file() and p.name != "draft"]
    released.sort(key=_version_key)
    return released + (["draft"] if (folder / "draft" / MANIFEST).is_file() else [])


def latest_version(family: str, root: Path = SPEC_ROOT) -> str:
    released = [v for v in versions(family, root) if v != "draft"]
    if not released:
        raise LookupError(f"family {family!r} has no released spec version")
    return released[-1]


def spec_dir(family: str, version: str | None = None, root: Path = SPEC_ROOT) -> Path:
    if family not in FAMILIES:
        raise LookupError(f"unknown spec family {family!r} (known: {', '.join(FAMILIES)})")
    version = version or latest_version(family, root)
    folder = root / family / version
    if not (folder / MANIFEST).is_file():
        known = ", ".join(versions(family, root)) or "none"
        raise LookupError(f"spec {family} {version} does not exist (known versions: {known})")
    return folder


def _version_key(version: str) -> tuple:
    try:
        return tuple(int(p) for p in version.split("."))
    except ValueError:
        return (float("inf"),)


# ---------------------------------------------------------------- meta-schemas


def meta_dir_for(folder: Path) -> Path:
    """The meta-schemas a version folder is validated with: its spec root's ``meta/``.

    A spec tree exported from an old git revision is thus read with that revision's
    meta-schemas.
    """
    candidate = folder.parent.parent / "meta"
    return candidate if candidate.is_dir() else META_DIR


@cache
def _registry(meta_dir: Path = META_DIR) -> referencing.Registry:
    resources = []
    for path in sorted(meta_dir.glob("*.schema.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
    return referencing.Registry().with_resources(resources)


def meta_schema(kind: str, meta_dir: Path = META_DIR) -> dict[str, Any] | None:
    if "/" in kind:  # a part of a split meta-schema (urn:accord:meta:<kind>/<part>) is no document kind
        return None
    try:
        return _registry(meta_dir).contents(f"urn:accord:meta:{kind}")
    except referencing.exceptions.NoSuchResource:
        return None


@cache
def _validator(kind: str, meta_dir: Path = META_DIR) -> jsonschema.Draft202012Validator | None:
    schema = meta_schema(kind, meta_dir)
    if schema is None:
        return None
    return jsonschema.Draft202012Validator(
        schema, registry=_registry(meta_dir), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def known_kinds(meta_dir: Path = META_DIR) -> list[str]:
    return sorted(kind for kind in (str(uri).removeprefix("urn:accord:meta:") for uri in _registry(meta_dir).crawl())
                  if "/" not in kind)


def bundled_meta_schema(kind: str, meta_dir: Path = META_DIR) -> dict[str, Any]:
    """A meta-schema with its part files embedded in ``$defs`` by ``$id``, so it validates without a registry.

    A long meta-schema is split into ``<kind>.<part>.schema.json`` files (``$id`` ``urn:accord:meta:<kind>/<part>``)
    to stay under the line limit; a 2020-12 validator finds embedded resources by their ``$id``.
    """
    schema = json.loads((meta_dir / f"{kind}.schema.json").read_text())
    prefix = f"{schema['$id']}/"
    parts = [json.loads(p.read_text()) for p in sorted(meta_dir.glob(f"{kind}.*.schema.json"))]
    return {**schema, "$defs": {**schema.get("$defs", {}), **{p["$id"]: p for p in parts if p["$id"].startswith(prefix)}}}


# ---------------------------------------------------------------- digests


def spec_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and not (_IGNORED_PARTS & set(p.relative_to(folder).parts))
    )


def digest(folder: Path) -> str:
    """sha256 over the folder's files: sorted relative path, a NUL, the bytes, a NUL."""
    h = hashlib.sha256()
    for path in spec_files(folder):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()


def released_digests(root: Path = SPEC_ROOT) -> dict[str, str]:
    """``{"tensor/1.0": "sha256:…"}`` recorded in ``<root>/released.json`` when each version was released."""
    path = root / RELEASED_DIGESTS.name
    if not path.is_file():
        return {}
    return json.loads(path.read_text())


# ---------------------------------------------------------------- validation


class _Collector:
    def __init__(self) -> None:
        self.problems: list[SpecProblem] = []

    def add(self, file: Path | str, line: int, path: tuple | str, message: str) -> None:
        where = path if isinstance(path, str) else json_path(path)
        self.problems.append(SpecProblem(display(Path(file)), line, where, message))


def _schema_problems(kind: str, data: Any, positions: Positions, file: Path, out: _Collector,
                     meta_dir: Path = META_DIR) -> None:
    validator = _validator(kind, meta_dir)
    if validator is None:
        known = ", ".join(k for k in known_kinds(meta_dir) if "." in k or k == "manifest")
        out.add(file, line_of(positions, ("kind",)), ("kind",), f"unknown document kind {kind!r} (known: {known})")
        return
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            extra = sorted(k for k in error.instance if k not in allowed)
            if extra:
                path = path + (extra[0],)
                message = f"unknown key {extra[0]!r}" + (f" (allowed: {', '.join(sorted(allowed))})" if allowed else "")
        elif len(message) > 240:
            message = message[:237] + "..."
        out.add(file, line_of(positions, path), path, message)


def _check_openapi(data: Any, file: Path, out: _Collector) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(data, base_uri=file.resolve().as_uri())  # relative $refs to the family's JSON Schemas
    except OpenAPIValidationError as exc:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in getattr(exc, "path", ()) or ())
        out.add(file, 1, where, f"invalid OpenAPI document: {exc.message}")
    except Exception as exc:  # the validator's own failures are still one line
        out.add(file, 1, "$", f"invalid OpenAPI document: {exc}")


def _read_folder(folder: Path, out: _Collector) -> list[tuple[Path, Any, Positions]]:
    documents = []
    for path in spec_files(folder):
        if path.suffix == ".json":
            try:
                schema = json.loads(path.read_text())
                jsonschema.Draft202012Validator.check_schema(schema)
            except json.JSONDecodeError as exc:
                out.add(path, exc.lineno, "$", f"malformed JSON: {exc.msg}")
            except jsonschema.SchemaError as exc:
                out.add(path, 1, json_path(tuple(exc.absolute_path)), f"invalid JSON Schema: {exc.message}")
            continue
        if path.suffix not in (".yaml", ".yml"):
            continue
        try:
            data, positions = load_yaml(path.read_text(encoding="utf-8"), display(path))
        except YamlProblem as exc:
            out.problems.append(exc.problem)
            continue
        except UnicodeDecodeError as exc:
            out.add(path, 1, "$", f"not UTF-8 text: {exc.reason}")
            continue
        if isinstance(data, dict) and "openapi" in data:
            _check_openapi(data, path, out)
            continue
        documents.append((path, data, positions))
    return documents


def check_folder(folder: Path) -> tuple[list[SpecProblem], Spec | None]:
    """Every problem of one spec version folder, and the spec when there are none."""
    out = _Collector()
    folder = folder.resolve()
    if not (folder / MANIFEST).is_file():
        out.add(folder / MANIFEST, 1, "$", "missing manifest spec.yaml")
        return out.problems, None
    raw = _read_folder(folder, out)
    meta = meta_dir_for(folder)

    manifest = None
    docs: list[tuple[Path, dict, Positions]] = []
    for path, data, positions in raw:
        if not isinstance(data, dict):
            out.add(path, 1, "$", f"a spec document must be a mapping, not {type(data).__name__}")
            continue
        kind = data.get("kind")
        if not isinstance(kind, str):
            out.add(path, line_of(positions, ()), "$", "missing 'kind'")
            continue
        _schema_problems(kind, data, positions, path, out, meta)
        if kind == "manifest":
            if path.name != MANIFEST:
                out.add(path, line_of(positions, ("kind",)), "$.kind", f"a manifest must be named {MANIFEST}")
            else:
                manifest = (path, data, positions)
        else:
            docs.append((path, data, positions))

    if manifest is None:
        return out.problems, None
    mpath, mdata, mpos = manifest
    family = mdata.get("family")
    version = mdata.get("version")
    if folder.parent.name != family:
        out.add(mpath, line_of(mpos, ("family",)), "$.family",
                f"manifest says family {family!r} but the folder is {folder.parent.name!r}")
    if folder.name == "draft":
        if mdata.get("status") != "draft":
            out.add(mpath, line_of(mpos, ("status",)), "$.status", "the draft folder must have status: draft")
    else:
        if version != folder.name:
            out.add(mpath, line_of(mpos, ("version",)), "$.version",
                    f"manifest says version {version!r} but the folder is {folder.name!r}")
        if mdata.get("status") != "released":
            out.add(mpath, line_of(mpos, ("status",)), "$.status", "a version folder must have status: released")
    capabilities = {c.get("id") for c in mdata.get("capabilities", ()) if isinstance(c, dict)}
    features = {f.get("id") for f in mdata.get("features", ()) if isinstance(f, dict)}
    vocabulary = {c.get("kind"): c for c in mdata.get("conditions", ()) if isinstance(c, dict)}

    names: dict[str, tuple[Path, int]] = {}
    ids: dict[str, tuple[Path, int]] = {}
    for path, data, positions in docs:
        ref = f"{data.get('kind')}:{data.get('name')}"
        if ref in names:
            first, line = names[ref]
            out.add(path, line_of(positions, ("name",)), "$.name", f"duplicate document {ref} (first in {display(first)}:{line})")
        names[ref] = (path, line_of(positions, ("name",)))
        if not str(data.get("kind", "")).startswith(f"{family}."):
            out.add(path, line_of(positions, ("kind",)), "$.kind", f"kind {data.get('kind')!r} does not belong to family {family!r}")
        for i, req in enumerate(data.get("requirements", ()) or ()):
            if not isinstance(req, dict):
                continue
            rid = req.get("id")
            where = ("requirements", i)
            if isinstance(rid, str):
                if rid in ids:
                    first, line = ids[rid]
                    out.add(path, line_of(positions, where + ("id",)), json_path(where + ("id",)),
                            f"duplicate requirement id {rid!r} (first in {display(first)}:{line})")
                else:
                    ids[rid] = (path, line_of(positions, where + ("id",)))
                prefix = f"{family}.{data.get('name')}."
                if not rid.startswith(prefix):
                    out.add(path, line_of(positions, where + ("id",)), json_path(where + ("id",)),
                            f"requirement id {rid!r} must start with {prefix!r}")
            cap = req.get("capability")
            if isinstance(cap, str) and cap not in capabilities:
                out.add(path, line_of(positions, where + ("capability",)), json_path(where + ("capability",)),
                        f"capability {cap!r} is not declared in {MANIFEST}")
            feat = req.get("feature")
            if isinstance(feat, str) and feat not in features:
                out.add(path, line_of(positions, where + ("feature",)), json_path(where + ("feature",)),
                        f"feature {feat!r} is not declared in {MANIFEST}")
            for j, condition in enumerate(req.get("conditions", ()) or ()):
                problem = _condition_problem(condition, vocabulary)
                if problem:
                    at = where + ("conditions", j)
                    out.add(path, line_of(positions, at), json_path(at), problem)
            if req.get("level") == "MAY" and not feat:
                out.add(path, line_of(positions, where + ("level",)), json_path(where + ("level",)),
                        "a MAY requirement must name the feature an adapter claims to support it")
    for path, data, positions in docs:
        for i, ref in enumerate(data.get("refs", ()) or ()):
            if isinstance(ref, str) and ref not in names:
                out.add(path, line_of(positions, ("refs", i)), json_path(("refs", i)),
                        f"reference {ref!r} does not resolve to any document of this version")

    standards = resolve_standards(folder, mdata, out.add,
                                  lambda kind, data, pos, file: _schema_problems(kind, data, pos, file, out, meta))
    spec_digest = digest(folder)
    if folder.name != "draft":
        recorded = released_digests(folder.parent.parent).get(f"{folder.parent.name}/{folder.name}")
        if recorded and recorded != spec_digest:
            out.add(mpath, 1, "$", f"released spec {family} {version} was modified: its content digest is "
                    f"{spec_digest}, released as {recorded}; released versions are immutable — change draft/ instead")

    if out.problems:
        return out.problems, None
    return [], _build(folder, mdata, docs, spec_digest, standards)


_CONDITION = re.compile(r"^[a-z][a-z0-9-]*(:[A-Za-z0-9_.+-]+)?$")  # common.schema.json $defs/condition


def _condition_problem(condition: Any, vocabulary: dict[str, dict]) -> str | None:
    """Why a listed condition is not one of the manifest's kinds (or misses / has an argument wrongly)."""
    if not isinstance(condition, str) or not _CONDITION.match(condition):
        return None  # the schema says so
    kind, _, argument = condition.partition(":")
    declared = vocabulary.get(kind)
    if declared is None:
        known = ", ".join(sorted(k for k in vocabulary if isinstance(k, str))) or "none"
        return f"unknown condition kind {kind!r} (the {MANIFEST} conditions: {known})"
    if declared.get("argument") and not argument:
        return f"condition {kind!r} needs an argument ({kind}:<{declared['argument']}>)"
    if argument and not declared.get("argument"):
        return f"condition {kind!r} takes no argument"
    return None


def _build(folder: Path, mdata: dict, docs: list[tuple[Path, dict, Positions]], spec_digest: str,
           standards: tuple[Standard, ...] = ()) -> Spec:
    documents = []
    for path, data, positions in sorted(docs, key=lambda d: (d[1]["kind"], d[1]["name"])):
        requirements = tuple(
            Requirement(
                id=r["id"],
                level=r["level"],
                capability=r["capability"],
                since=r["since"],
                check=r["check"],
                compare=freeze(r["compare"]),
                summary=r["summary"],
                document_kind=data["kind"],
                document_name=data["name"],
                feature=r.get("feature"),
                params=freeze(r.get("params", {})),
                changed=freeze(r.get("changed", [])),
                deprecated=freeze(r.get("deprecated")),
                stability=r.get("stability", data.get("stability", "stable")),
                description=r.get("description", ""),
                file=display(path),
                line=line_of(positions, ("requirements", i, "id")),
                conditions=tuple(r["conditions"]) if "conditions" in r else None,
            )
            for i, r in enumerate(data.get("requirements", ()))
        )
        documents.append(Document(data["kind"], data["name"], freeze(data), requirements, display(path)))
    return Spec(
        family=mdata["family"],
        version=mdata["version"],
        status=mdata["status"],
        title=mdata["title"],
        manifest=freeze(mdata),
        capabilities=tuple(Capability(c["id"], c["title"], c.get("section", ""), c.get("description", ""))
                           for c in mdata["capabilities"]),
        features=tuple(Feature(f["id"], f["title"], f.get("description", "")) for f in mdata.get("features", ())),
        documents=tuple(documents),
        digest=spec_digest,
        root=folder,
        standards=standards,
        conditions=tuple(ConditionKind(c["kind"], c["meaning"], c.get("argument"))
                         for c in mdata.get("conditions", ())),
    )


def load_spec_dir(folder: Path | str) -> Spec:
    problems, spec = check_folder(Path(folder))
    if spec is None:
        raise SpecError(problems)
    return spec


@cache
def _load_cached(folder: Path, stamp: float) -> Spec:
    return spec_cache.load(folder, load_spec_dir)  # checked once per content on this machine (spec/cache.py)


def load_spec(family: str, version: str | None = None, root: Path = SPEC_ROOT) -> Spec:
    """Load a family version (``None`` = latest released, ``"draft"`` = the draft)."""
    folder = spec_dir(family, version, root).resolve()
    stamp = max((p.stat().st_mtime for p in spec_files(folder)), default=0.0)
    return _load_cached(folder, stamp)


def check_paths(paths: Iterable[Path | str]) -> list[SpecProblem]:
    """Problems of the given files/folders; no paths means every version of every family."""
    folders: list[Path] = []
    singles: list[Path] = []
    given = [Path(p) for p in paths] or [SPEC_ROOT]
    out = _Collector()
    for path in given:
        if not path.exists():
            out.add(path, 1, "$", "no such file or folder")
        elif path.is_dir():
            found = sorted({m.parent for m in path.rglob(MANIFEST)})
            if (path / MANIFEST).is_file():
                found = [path]
            if not found:
                out.add(path, 1, "$", f"no spec version folder (with a {MANIFEST}) below this folder")
            folders += found
        else:
            owner = next((p for p in path.resolve().parents if (p / MANIFEST).is_file()), None)
            if owner is not None:
                folders.append(owner)
            else:
                singles.append(path)
    problems = list(out.problems)
    for folder in dict.fromkeys(f.resolve() for f in folders):
        problems += check_folder(folder)[0]
    for path in singles:
        single = _Collector()
        for file, data, positions in _read_folder_file(path, single):
            if isinstance(data, dict) and isinstance(data.get("kind"), str):
                _schema_problems(data["kind"], data, positions, file, single)
            else:
                single.add(file, 1, "$", "missing 'kind'")
        problems += single.problems
    return sorted(set(problems))


def _read_folder_file(path: Path, out: _Collector) -> list[tuple[Path, Any, Positions]]:
    try:
        data, positions = load_yaml(path.read_text(encoding="utf-8"), display(path))
    except YamlProblem as exc:
        out.problems.append(exc.problem)
        return []
    except (OSError, UnicodeDecodeError) as exc:
        out.add(path, 1, "$", f"cannot read: {exc}")
        return []
    return [(path, data, positions)]


def match_requirements(spec: Spec, patterns: Iterable[str] | None) -> list[Requirement]:
    """Requirements whose id matches any shell-style glob (all when no patterns)."""
    patterns = [p for p in (patterns or []) if p]
    if not patterns:
        return list(spec.requirements)
    return [r for r in spec.requirements if any(fnmatch.fnmatchcase(r.id, p) for p in patterns)]
