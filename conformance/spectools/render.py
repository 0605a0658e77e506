"""Human-readable spec documentation (HTML and Markdown) with a stable anchor per requirement id.

The layout is generic over the families: a document's machine-readable fields are
rendered as definition lists and tables, so a new field shows up without code
changes. The compatibility matrix links to ``<family>/<version>/index.html#<requirement-id>``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from accord.spec import FAMILIES, Document, Spec, load_spec, versions
from accord.spec.model import thaw

from .diff import diff_specs
from .report_format import as_markdown, headline

SKIP_KEYS = {"kind", "name", "summary", "description", "requirements", "provenance"}

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1f3a5f;color:#fff;padding:18px 32px}header a{color:#cfe3ff}
main{display:grid;grid-template-columns:260px 1fr;gap:24px;padding:24px 32px}
nav{position:sticky;top:12px;align-self:start;max-height:92vh;overflow:auto;font-size:13px}
nav h3{margin:12px 0 4px;font-size:12px;text-transform:uppercase;color:#5a6577}
nav a{display:block;color:#1f3a5f;text-decoration:none;padding:1px 0}
section.doc{background:#fff;border:1px solid #e1e5eb;border-radius:8px;padding:16px 20px;margin-bottom:18px}
h2{margin:0 0 4px;font-size:20px}h2 code{font-size:18px}.kind{color:#5a6577;font-size:12px}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}
th,td{border:1px solid #e1e5eb;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f5f8}
tr:target{background:#fff7d6}code{font:12.5px ui-monospace,Menlo,Consolas,monospace;background:#f3f5f8;padding:0 3px}
dl{margin:4px 0 4px 0}dt{font-weight:600;color:#3b4659;margin-top:6px}dd{margin-left:16px}
.level-MUST{color:#9b1c1c;font-weight:700}.level-SHOULD{color:#8a5a00;font-weight:700}.level-MAY{color:#1f5f3a;font-weight:700}
.sig{font:14px ui-monospace,Menlo,Consolas,monospace;background:#f3f5f8;padding:6px 10px;border-radius:4px}
.prov{color:#5a6577;font-size:12px}
"""


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def signature_line(name: str, data: dict[str, Any]) -> str | None:
    """``name(x1, x2, /, *, axis=None)`` when a document lists params with name and kind."""
    sig = data.get("signature")
    params = sig.get("params") if isinstance(sig, dict) else None
    if not isinstance(params, list) or not all(isinstance(p, dict) and "name" in p for p in params):
        return None
    parts: list[str] = []
    kinds = [p.get("kind", "positional-or-keyword") for p in params]
    for i, p in enumerate(params):
        kind = kinds[i]
        if kind == "keyword-only" and "*" not in parts and not any(k == "var-positional" for k in kinds[:i]):
            parts.append("*")
        text = ("*" if kind == "var-positional" else "**" if kind == "var-keyword" else "") + p["name"]
        if "default" in p:
            text += "=" + _compact(p["default"])
        parts.append(text)
        if kind == "positional-only" and (i + 1 == len(params) or kinds[i + 1] != "positional-only"):
            parts.append("/")
    returns = sig.get("returns")
    return f"{name}({', '.join(parts)})" + (f" -> {_compact(returns)}" if returns else "")


# ------------------------------------------------------------------ HTML


def _html_value(value: Any) -> str:
    if isinstance(value, dict):
        return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{_html_value(v)}</dd>" for k, v in value.items()) + "</dl>"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            columns = list(dict.fromkeys(k for v in value for k in v))
            head = "".join(f"<th>{esc(c)}</th>" for c in columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_html_cell(v.get(c))}</td>" for c in columns) + "</tr>" for v in value
            )
            return f"<table><tr>{head}</tr>{rows}</table>"
        return ", ".join(f"<code>{esc(_compact(v))}</code>" for v in value) or "<em>none</em>"
    if isinstance(value, str):
        return esc(value)
    return f"<code>{esc(_compact(value))}</code>"


def _html_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{esc(k)}: <code>{esc(_compact(v))}</code>" for k, v in value.items())
    if isinstance(value, str):
        return esc(value)
    return f"<code>{esc(_compact(value))}</code>"


def _html_requirements(doc: Document) -> str:
    rows = []
    for r in doc.requirements:
        extra = f" · feature <code>{esc(r.feature)}</code>" if r.feature else ""
        extra += f" · {esc(r.stability)}" if r.stability != "stable" else ""
        if r.deprecated:
            extra += f" · deprecated since {esc(r.deprecated.get('since'))}, removed in {esc(r.deprecated.get('remove_in'))}"
        changed = "; ".join(f"{esc(c['version'])}: {esc(c['note'])}" for c in r.changed)
        rows.append(
            f'<tr id="{esc(r.id)}"><td><a href="#{esc(r.id)}"><code>{esc(r.id)}</code></a></td>'
            f'<td class="level-{esc(r.level)}">{esc(r.level)}</td><td>{esc(r.capability)}{extra}</td>'
            f"<td>{esc(r.since)}{(' · changed ' + changed) if changed else ''}</td>"
            f"<td><code>{esc(r.check)}</code></td><td>{_html_cell(thaw(r.compare))}</td>"
            f"<td>{esc(r.summary)}{_html_params(r.params)}</td></tr>"
        )
    return ("<table><tr><th>requirement</th><th>level</th><th>capability</th><th>since</th><th>check</th>"
            "<th>compare</th><th>what it demands</th></tr>" + "".join(rows) + "</table>")


def _html_params(params: Any) -> str:
    if not params:
        return ""
    return f"<details><summary>check data</summary>{_html_value(thaw(params))}</details>"


def _html_document(doc: Document) -> str:
    data = thaw(doc.data)
    sig = signature_line(doc.name, data)
    prov = data.get("provenance")
    parts = [f'<section class="doc" id="{esc(doc.ref)}"><div class="kind">{esc(doc.kind)}'
             f'{" · " + esc(data["stability"]) if data.get("stability") else ""}</div>'
             f"<h2><code>{esc(doc.name)}</code></h2>"]
    if data.get("summary"):
        parts.append(f"<p>{esc(data['summary'])}</p>")
    if sig:
        parts.append(f'<div class="sig">{esc(sig)}</div>')
    if data.get("description"):
        parts.append("".join(f"<p>{esc(p)}</p>" for p in str(data["description"]).split("\n\n")))
    fields = {k: v for k, v in data.items() if k not in SKIP_KEYS and not (k == "signature" and sig)}
    if fields:
        parts.append(_html_value(fields))
    if doc.requirements:
        parts.append("<h3>Requirements</h3>" + _html_requirements(doc))
    if isinstance(prov, dict):
        parts.append(f'<p class="prov">Provenance: {esc(", ".join(f"{k}: {v}" for k, v in prov.items()))}</p>')
    parts.append("</section>")
    return "".join(parts)


def bench_workloads(spec: Spec) -> list[dict[str, Any]]:
    """The version's bench workloads as the bench expands them (id, function, size): what ``accord bench`` times."""
    if not spec.bench:
        return []
    from ..bench.families import family_module

    return [{"id": w.id, "function": w.function, "size": w.size, "composite": w.composite}
            for w in family_module(spec.family).workloads(spec, 1)]


def _html_bench(spec: Spec) -> str:
    workloads = bench_workloads(spec)
    if not workloads:
        return ""
    doc = spec.bench[0]
    data = thaw(doc.data)
    rows = "".join(f"<tr><td><code>{esc(w['id'])}</code></td><td><code>{esc(w['function'])}</code>"
                   f"{' (composite)' if w['composite'] else ''}</td><td>{esc(w['size'])}</td></tr>" for w in workloads)
    fields = {k: v for k, v in data.items() if k not in SKIP_KEYS}
    return (f'<section class="doc" id="{esc(doc.ref)}"><div class="kind">{esc(doc.kind)}</div><h2>Bench workloads</h2>'
            f"<p>{esc(data.get('summary', ''))}</p><p>{len(workloads)} workloads, timed by <code>accord bench</code>.</p>"
            f"<table><tr><th>workload</th><th>function</th><th>size</th></tr>{rows}</table>"
            f"<h3>The bench document</h3>{_html_value(fields)}</section>")


def render_html(spec: Spec, changelog_href: str = "../changelog.html") -> str:
    by_kind: dict[str, list[Document]] = {}
    for doc in spec.documents:
        by_kind.setdefault(doc.kind, []).append(doc)
    nav = "".join(
        f"<h3>{esc(kind)}</h3>" + "".join(f'<a href="#{esc(d.ref)}">{esc(d.name)}</a>' for d in docs)
        for kind, docs in by_kind.items()
    )
    caps = "".join(f"<tr><td><code>{esc(c.id)}</code></td><td>{esc(c.title)}</td><td>{esc(c.section)}</td>"
                   f"<td>{sum(r.capability == c.id for r in spec.requirements)}</td></tr>" for c in spec.capabilities)
    feats = "".join(f"<tr><td><code>{esc(f.id)}</code></td><td>{esc(f.title)}</td><td>{esc(f.description)}</td></tr>"
                    for f in spec.features)
    levels = {lvl: sum(r.level == lvl for r in spec.requirements) for lvl in ("MUST", "SHOULD", "MAY")}
    body = "".join(_html_document(d) for d in spec.documents) + _html_bench(spec)
    if spec.bench:
        nav += f'<h3>bench</h3><a href="#{esc(spec.bench[0].ref)}">workloads</a>'
    follows = ", ".join(f'<a href="{esc(s.url)}">{esc(s.name)} {esc(s.revision)}</a>' + (f" ({esc(s.note)})" if s.note else "")
                        for s in spec.standards)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(spec.title)} {esc(spec.version)}</title><style>{CSS}</style></head><body>
<header><h1>{esc(spec.title)} — {esc(spec.version)} <small>({esc(spec.status)})</small></h1>
<div>{len(spec.documents)} documents · {len(spec.requirements)} requirements ({levels['MUST']} MUST,
{levels['SHOULD']} SHOULD, {levels['MAY']} MAY) · digest <code>{esc(spec.digest)}</code> ·
<a href="{esc(changelog_href)}">changelog</a></div>
{f'<div class="standards">Follows {follows}</div>' if follows else ''}</header>
<main><nav>{nav}</nav><div>
<section class="doc"><h2>Overview</h2><p>{esc(spec.manifest.get('description', ''))}</p>
<h3>Capability groups (matrix rows)</h3><table><tr><th>id</th><th>title</th><th>section</th><th>requirements</th></tr>{caps}</table>
{'<h3>Optional features adapters may claim</h3><table><tr><th>id</th><th>title</th><th>description</th></tr>' + feats + '</table>' if feats else ''}
</section>{body}</div></main></body></html>
"""


# ------------------------------------------------------------------ Markdown


def _md(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_value(value: Any, indent: str = "") -> list[str]:
    if isinstance(value, dict):
        lines = []
        for k, v in value.items():
            if isinstance(v, dict | list) and v and not (isinstance(v, list) and all(not isinstance(i, dict | list) for i in v)):
                lines.append(f"{indent}- **{k}**:")
                lines += _md_value(v, indent + "  ")
            else:
                lines.append(f"{indent}- **{k}**: {_md_inline(v)}")
        return lines
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        columns = list(dict.fromkeys(k for v in value for k in v))
        lines = ["", f"{indent}| " + " | ".join(columns) + " |", f"{indent}|" + "---|" * len(columns)]
        for v in value:
            lines.append(f"{indent}| " + " | ".join(_md(_compact(v.get(c, ""))) for c in columns) + " |")
        return lines + [""]
    return [f"{indent}- {_md_inline(value)}"]


def _md_inline(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"`{_compact(v)}`" for v in value) or "_none_"
    if isinstance(value, str):
        return value
    return f"`{_compact(value)}`"


def render_markdown(spec: Spec) -> str:
    lines = [f"# {spec.title} — {spec.version} ({spec.status})", "",
             f"{len(spec.documents)} documents · {len(spec.requirements)} requirements · digest `{spec.digest}`", "",
             *([("Follows " + ", ".join(f"[{s.name} {s.revision}]({s.url})" + (f" ({s.note})" if s.note else "")
                                        for s in spec.standards)), ""] if spec.standards else []),
             str(spec.manifest.get("description", "")), "", "## Capability groups", "",
             "| id | title | section |", "|---|---|---|"]
    lines += [f"| `{c.id}` | {_md(c.title)} | {_md(c.section)} |" for c in spec.capabilities]
    for doc in spec.documents:
        data = thaw(doc.data)
        lines += ["", f'<a id="{doc.ref}"></a>', f"## `{doc.name}` ({doc.kind})", ""]
        if data.get("summary"):
            lines += [str(data["summary"]), ""]
        sig = signature_line(doc.name, data)
        if sig:
            lines += ["```", sig, "```", ""]
        if data.get("description"):
            lines += [str(data["description"]), ""]
        fields = {k: v for k, v in data.items() if k not in SKIP_KEYS and not (k == "signature" and sig)}
        lines += _md_value(fields) if fields else []
        if doc.requirements:
            lines += ["", "| requirement | level | capability | since | check | compare | summary |",
                      "|---|---|---|---|---|---|---|"]
            for r in doc.requirements:
                lines.append(f'| <a id="{r.id}"></a>`{r.id}` | {r.level} | {r.capability}'
                             f"{' (' + r.feature + ')' if r.feature else ''} | {r.since} | `{r.check}` "
                             f"| `{_compact(thaw(r.compare))}` | {_md(r.summary)} |")
    workloads = bench_workloads(spec)
    if workloads:
        lines += ["", f'<a id="{spec.bench[0].ref}"></a>', "## Bench workloads", "",
                  str(thaw(spec.bench[0].data).get("summary", "")), "",
                  f"{len(workloads)} workloads, timed by `accord bench`.", "", "| workload | function | size |", "|---|---|---|"]
        lines += [f"| `{w['id']}` | `{w['function']}`{' (composite)' if w['composite'] else ''} | {w['size']} |"
                  for w in workloads]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ site


def render_family(family: str, out: Path, only_version: str | None = None) -> list[Path]:
    written = []
    family_versions = versions(family)
    specs = {v: load_spec(family, v) for v in family_versions}
    for version, spec in specs.items():
        if only_version and version != only_version:
            continue
        folder = out / family / version
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(render_html(spec))
        (folder / "index.md").write_text(render_markdown(spec))
        written += [folder / "index.html", folder / "index.md"]
        if version == "draft":  # the matrix links by the version a report names: the draft's declared one
            alias = out / family / spec.version
            if not (alias / "index.html").exists() or spec.version not in family_versions:
                alias.mkdir(parents=True, exist_ok=True)
                (alias / "index.html").write_text(render_html(spec))
    written += write_changelog(family, [specs[v] for v in family_versions], out / family)
    return written


def write_changelog(family: str, specs: list[Spec], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sections_md = [f"# {family} spec changelog", ""]
    sections_html = []
    for old, new in zip(specs, specs[1:], strict=False):
        diff = diff_specs(old, new)
        label = f"{old.version} → {new.version}{' (draft)' if new.status == 'draft' else ''}"
        sections_md += [f"## {label}", "", as_markdown(diff), ""]
        rows = "".join(f"<tr><td>{esc(c.level)}</td><td><code>{esc(c.element)}</code></td>"
                       f"<td>{esc(c.requirement or '')}</td><td>{esc(c.path)}</td><td><code>{esc(c.rule)}</code></td>"
                       f"<td>{esc(c.why)}</td></tr>" for c in diff.changes)
        sections_html.append(f"<section class='doc'><h2>{esc(label)}</h2><p>{esc(headline(diff))}</p>"
                             f"<table><tr><th>level</th><th>element</th><th>requirement</th><th>where</th>"
                             f"<th>rule</th><th>why</th></tr>{rows}</table></section>")
    if len(specs) < 2:
        sections_md.append("Only one version so far.")
        sections_html.append("<section class='doc'><p>Only one version so far.</p></section>")
    (folder / "changelog.md").write_text("\n".join(sections_md) + "\n")
    (folder / "changelog.html").write_text(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{esc(family)} changelog</title>"
        f"<style>{CSS}</style></head><body><header><h1>{esc(family)} spec changelog</h1></header>"
        f"<main style='display:block'>{''.join(sections_html)}</main></body></html>\n")
    return [folder / "changelog.md", folder / "changelog.html"]


def render_site(out: Path, family: str | None = None, version: str | None = None) -> list[Path]:
    written = []
    families = [family] if family else [f for f in FAMILIES if versions(f)]
    for fam in families:
        written += render_family(fam, out, version)
    links = "".join(
        f"<li><b>{esc(f)}</b>: " + ", ".join(f'<a href="{esc(f)}/{esc(v)}/index.html">{esc(v)}</a>' for v in versions(f))
        + f' · <a href="{esc(f)}/changelog.html">changelog</a></li>' for f in families)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Accord specs"
                                    f"</title><style>{CSS}</style></head><body><header><h1>Accord specifications"
                                    f"</h1></header><main style='display:block'><ul>{links}</ul></main></body></html>\n")
    return [*written, out / "index.html"]
