"""Which external standard (and revision) a spec version follows.

A version states it in its manifest (``standards:`` in ``spec.yaml``, digested with the folder once
released). Versions released before that field existed cannot gain it — their folders are immutable
(``spec/released.json``) — so ``spec/<family>/standards.yaml`` (``kind: standards``, meta-schema
``spec/meta/standards.schema.json``), which lies outside every digested folder, lists theirs. A
version is named in exactly one of the two places; the map may name released folders only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .model import Standard
from .yamlsafe import Positions, YamlProblem, line_of, load_yaml

FAMILY_FILE = "standards.yaml"

# (file, line, json path, message) -> None: the loader's problem collector
Report = Callable[[Path, int, tuple | str, str], None]
SchemaCheck = Callable[[str, Any, Positions, Path], None]


def family_file(folder: Path) -> Path:
    """``spec/<family>/standards.yaml`` for a version folder ``spec/<family>/<version>``."""
    return folder.parent / FAMILY_FILE


def _read_map(path: Path, report: Report, schema_check: SchemaCheck) -> tuple[dict[str, Any], Positions] | None:
    try:
        data, positions = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except YamlProblem as exc:
        problem = exc.problem
        report(path, problem.line, problem.path, problem.message)
        return None
    except (OSError, UnicodeDecodeError) as exc:
        report(path, 1, "$", f"cannot read: {exc}")
        return None
    if not isinstance(data, dict) or data.get("kind") != "standards":
        report(path, 1, "$.kind", "must be a mapping with kind: standards")
        return None
    schema_check("standards", data, positions, path)
    return data, positions


def resolve(folder: Path, manifest: dict[str, Any], report: Report, schema_check: SchemaCheck) -> tuple[Standard, ...]:
    """The standards of one version folder; every problem goes to ``report`` as one located line.

    ``schema_check(kind, data, positions, file)`` validates the family map against its meta-schema.
    """
    own = manifest.get("standards")
    path = family_file(folder)
    mapped: Any = None
    if path.is_file():
        read = _read_map(path, report, schema_check)
        if read is not None:
            data, positions = read
            family = folder.parent.name
            if data.get("family") != family:
                report(path, line_of(positions, ("family",)), "$.family",
                       f"says family {data.get('family')!r} but lies in the {family!r} family folder")
            table = data.get("versions") if isinstance(data.get("versions"), dict) else {}
            for version in table:
                where = ("versions", version)
                target = folder.parent / str(version)
                if version == "draft" or not (target / "spec.yaml").is_file():
                    report(path, line_of(positions, where), f"$.versions.{version}",
                           f"no released version folder {family}/{version}: only versions released before the "
                           "manifest field `standards` existed belong here (a draft states its own in spec.yaml)")
            key = str(manifest.get("version"))
            if folder.name != "draft" and key in table:
                mapped = table[key]
                if own is not None:
                    report(path, line_of(positions, ("versions", key)), f"$.versions.{key}",
                           f"{family} {key} states its standards in its spec.yaml already: name them in one place")
    chosen = own if own is not None else mapped
    if not isinstance(chosen, list):
        return ()
    return tuple(Standard(s["name"], s["revision"], s["url"], s.get("note", ""))
                 for s in chosen if isinstance(s, dict) and {"name", "revision", "url"} <= s.keys())


def of_folder(folder: Path) -> tuple[str, tuple[Standard, ...]] | None:
    """``(declared version, standards)`` of a version folder from its manifest and the family map alone.

    For listings (``accord adapters``): it reads two small files instead of loading every document of
    every version. None when either cannot be read or resolved; ``accord spec validate`` says why.
    """
    problems: list[str] = []

    def report(path: Path, line: int, where: tuple | str, message: str) -> None:
        problems.append(message)

    try:
        manifest, _ = load_yaml((folder / "spec.yaml").read_text(encoding="utf-8"), str(folder / "spec.yaml"))
    except (YamlProblem, OSError, UnicodeDecodeError):
        return None
    if not isinstance(manifest, dict):
        return None
    standards = resolve(folder, manifest, report, lambda kind, data, positions, path: None)
    return None if problems else (str(manifest.get("version")), standards)
