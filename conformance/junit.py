"""JUnit XML from a report: one testcase per requirement, for CI systems."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from .report import Status

FAILED = {Status.FAIL, Status.XPASS}
ERRORED = {Status.ERROR, Status.TIMEOUT, Status.CRASHED}
SKIPPED = {Status.SKIPPED, Status.NOT_APPLICABLE, Status.NOT_CLAIMED, Status.NOT_RUN, Status.XFAIL}


def write_junit(report: dict[str, Any], path: Path) -> None:
    spec, adapter = report["spec"], report["adapter"]
    results = report["requirements"]
    suite = ET.Element("testsuite", {
        "name": f"accord.{spec['family']}.{adapter['name']}",
        "tests": str(len(results)),
        "failures": str(sum(r["status"] in FAILED for r in results)),
        "errors": str(sum(r["status"] in ERRORED for r in results)),
        "skipped": str(sum(r["status"] in SKIPPED for r in results)),
        "time": f"{report['duration']:.3f}",
        "timestamp": report["started"],
    })
    props = ET.SubElement(suite, "properties")
    for name, value in (("spec", f"{spec['family']} {spec['version']}"), ("spec.digest", spec["digest"]),
                        ("backend", f"{adapter['backend']['package']} {adapter['backend'].get('version')}"),
                        ("seed", str(report["settings"]["seed"]))):
        ET.SubElement(props, "property", {"name": name, "value": value})
    for r in results:
        case = ET.SubElement(suite, "testcase", {
            "classname": f"accord.{spec['family']}.{r['capability']}",
            "name": f"{r['id']} [{r['level']}]",
            "time": f"{r.get('duration', 0.0):.4f}",
        })
        status = r["status"]
        message = r.get("message") or status
        detail = "\n".join(
            f"{key}: {json.dumps(r[key], ensure_ascii=False) if not isinstance(r[key], str) else r[key]}"
            for key in ("counterexample", "expected", "actual", "snippet") if r.get(key) is not None
        )
        if status in FAILED:
            node = ET.SubElement(case, "failure", {"message": message, "type": status})
            node.text = detail
        elif status in ERRORED:
            node = ET.SubElement(case, "error", {"message": message, "type": status})
            node.text = detail
        elif status in SKIPPED:
            reason = r.get("declared", {}).get("reason") if status == Status.XFAIL else message
            ET.SubElement(case, "skipped", {"message": f"{status}: {reason or ''}".strip()})
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
