"""``accord new-adapter``: a working adapter package an author starts from, not a blank page.

The package (pyproject with the ``accord.adapters`` entry point, the adapter module, a test
that runs ``accord smoke``, a CI workflow that runs ``accord run`` and uploads the report and
the badge) passes ``accord smoke`` as generated: a tensor adapter runs the namespace it is given
as it is, a pipeline or FaaS adapter runs Accord's reference until the author puts the engine in.
The files are data (``scaffold_templates/*.tmpl``, :class:`string.Template`), filled here.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
from pathlib import Path
from string import Template

import click

from accord.adapters.registry import GROUP
from accord.spec import FAMILIES, load_spec, versions

TEMPLATES = Path(__file__).with_name("scaffold_templates")
#: template file -> path inside the generated package; the family's adapter module is added to these
COMMON = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "test_smoke.py.tmpl": "tests/test_accord_smoke.py",
    "workflow.yml.tmpl": ".github/workflows/accord.yml",
}
#: conventional aliases (what a user of the library writes); any other namespace uses its last component
ALIASES = {"numpy": "np", "array_api_strict": "xp", "jax.numpy": "jnp", "cupy": "cp", "dask.array": "da",
           "ndonnx": "ndx", "mlx.core": "mx"}
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
NAMESPACE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


class ScaffoldError(click.UsageError):
    """Bad name, namespace or output folder: one line, exit 2 (the cli turns it into ``accord: error:``)."""


def snippet_settings(namespace: str) -> tuple[str, str]:
    """(snippet header, alias) for a namespace import path: ``numpy`` -> (``import numpy as np``, ``np``)."""
    alias = ALIASES.get(namespace, namespace.rsplit(".", 1)[-1])
    return (f"import {namespace}" if alias == namespace else f"import {namespace} as {alias}"), alias


def backend_distribution(namespace: str) -> str:
    """The distribution that provides the namespace's top-level package (its version is reported)."""
    top = namespace.split(".", 1)[0]
    found = importlib.metadata.packages_distributions().get(top)
    return found[0] if found else top


def fields(family: str, name: str, namespace: str | None) -> dict[str, str]:
    """Every value the templates use, derived from the family, the name and (tensor) the namespace."""
    if not NAME.fullmatch(name):
        raise ScaffoldError(f"adapter name {name!r}: use letters, digits, '-' and '_', starting with a letter")
    if family != "tensor" and namespace is not None:
        raise ScaffoldError(f"--namespace applies to --family tensor only, not {family!r}")
    taken = {ep.name: ep.value for ep in importlib.metadata.entry_points(group=GROUP)}.get(f"{family}.{name}")
    if taken:
        raise ScaffoldError(f"adapter name {name!r}: {family}.{name} is already registered ({taken}); choose another")
    module = re.sub(r"\W", "_", name.lower()) + "_accord"
    released = [v for v in versions(family) if v != "draft"]
    manifest = load_spec(family, released[-1])
    values = {
        "name": name,
        "family": family,
        "module": module,
        "dist": module.replace("_", "-"),
        "class_name": "".join(part.capitalize() for part in re.split(r"[-_]", name) if part) + "Adapter",
        "spec_version": released[-1],
        "features": ", ".join(f.id for f in manifest.features) or "none",
        "group": GROUP,
        "backend_package": name,
        "backend_dependency": "",
        "expected_failures": "()",
        "base_imports": "AdapterMeta",
    }
    if family == "tensor":
        namespace = namespace or name.replace("-", "_")
        if not NAMESPACE.fullmatch(namespace):
            raise ScaffoldError(f"--namespace {namespace!r} is not a Python import path")
        header, alias = snippet_settings(namespace)
        distribution = backend_distribution(namespace)
        values.update(namespace=namespace, snippet_header=header, alias=alias, backend_package=distribution,
                      backend_dependency=f', "{distribution}"')
    return values


def importable(namespace: str) -> bool:
    try:
        return importlib.util.find_spec(namespace) is not None
    except (ImportError, ValueError):
        return False


def render(family: str, values: dict[str, str]) -> dict[str, str]:
    """Relative path -> text of every generated file."""
    files = {path: TEMPLATES / template for template, path in COMMON.items()}
    files[f"{values['module']}.py"] = TEMPLATES / f"{family}.py.tmpl"
    return {path: Template(source.read_text(encoding="utf-8")).substitute(values) for path, source in files.items()}


def write(target: Path, files: dict[str, str]) -> None:
    try:
        for relative, text in files.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScaffoldError(f"{target}: cannot write: {exc.strerror or exc}") from None


def smoke_failures(target: Path, values: dict[str, str]) -> list[tuple[str, str]]:
    """(requirement id, message) of every smoke requirement the generated adapter does not pass.

    Run in a worker that imports the module from ``target``: exactly what ``accord smoke`` runs
    once the package is installed.
    """
    from .check import Context, RunSettings
    from .client import BackendClient, BackendStartError
    from .families import get_suite
    from .runner import load_for_run, run_requirement
    from .smoke import SMOKE_EXAMPLES, smoke_requirements

    family = values["family"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(target), os.environ.get("PYTHONPATH")) if p)}
    client = BackendClient(f"{values['module']}:adapter", family, env=env)
    try:
        try:
            hello = client.start()
        except BackendStartError as exc:
            raise ScaffoldError(f"{target}: the generated adapter does not start: {exc}") from None
        spec = load_for_run(family, values["spec_version"])
        ctx = Context(backend=client, spec=spec, adapter=hello["adapter"],
                      settings=RunSettings(seed=0, max_examples=SMOKE_EXAMPLES, timeout=30.0))
        suite = get_suite(family)
        if suite.prepare:
            suite.prepare(ctx)
        results = [(r.id, run_requirement(ctx, suite, r)) for r in smoke_requirements(spec)]
    finally:
        client.close()
    return [(rid, " ".join(str(res.get("message") or res["status"]).split()))
            for rid, res in results if res["status"] not in ("pass", "xfail", "not-applicable")]


def declared(failures: list[tuple[str, str]]) -> str:
    """Source of an ``expected_failures`` tuple declaring ``failures``."""
    if not failures:
        return "()"
    rows = "".join(f"\n            ExpectedFailure({rid!r}, {'found by accord new-adapter: ' + message!r}),"
                   for rid, message in failures)
    return f"({rows}\n        )"


def new_adapter(family: str, name: str, namespace: str | None = None, out: Path = Path("."),
                baseline: bool = True) -> tuple[Path, list[tuple[str, str]]]:
    """Write the package folder ``out/name`` (refuses an existing one).

    With ``baseline``, the smoke requirements the namespace as it is does not pass are declared as
    expected failures (each with its message), so that ``accord smoke`` passes before the author
    changes a line and the deviations are in the module, visible, for the author to fix or keep.
    Returns the folder and those declared failures.
    """
    if family not in FAMILIES:
        raise ScaffoldError(f"--family {family!r}: one of {', '.join(FAMILIES)}")
    values = fields(family, name, namespace)
    target = out / name
    if target.exists():
        raise ScaffoldError(f"{target}: already exists (choose another --out or remove it)")
    # pipeline and FaaS adapters run the reference as generated: nothing to declare
    baseline = baseline and family == "tensor"
    if baseline and not importable(values["namespace"]):
        raise ScaffoldError(f"--namespace {values['namespace']!r} is not importable in this Python "
                            "(install the library, or give --no-baseline)")
    write(target, render(family, values))
    try:
        failures = smoke_failures(target, values) if baseline else []
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # no half-made package left behind
        raise
    if failures:
        values.update(expected_failures=declared(failures), base_imports="AdapterMeta, ExpectedFailure")
        module = f"{values['module']}.py"
        write(target, {module: render(family, values)[module]})
    return target, failures


@click.command("new-adapter")
@click.argument("name")
@click.option("--family", "-f", required=True, type=click.Choice(FAMILIES), help="spec family")
@click.option("--namespace", default=None,
              help="tensor: import path of the array API namespace (default: NAME), e.g. numpy, array_api_strict")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="folder in which the package folder NAME is created")
@click.option("--no-baseline", is_flag=True,
              help="do not run the smoke requirements nor declare the failing ones as expected failures")
def new_adapter_cmd(name: str, family: str, namespace: str | None, out_dir: Path, no_baseline: bool) -> None:
    """Scaffold an adapter package NAME that passes `accord smoke` before you change a line."""
    target, failures = new_adapter(family, name, namespace, out_dir, baseline=not no_baseline)
    for rid, message in failures:
        click.echo(f"declared as expected failure (fix it or keep it): {rid}: {message}")
    click.echo(f"adapter package written to {target}\n"
               f"  pip install -e {target} && accord smoke --adapter {family}.{name}")
