"""``accord spec diff | render | release`` (added to the ``accord spec`` group)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from accord.spec import FAMILIES

from .diff import SpecDiff, diff_specs
from .release import ReleaseError
from .report_format import as_json, as_markdown, as_text
from .rules import BUMP_ORDER, ORDER
from .sources import SourceError, from_arguments, git_pairs, git_spec_tree, load_side


def _fail(message: str) -> None:
    click.echo(f"accord: error: {message}", err=True)
    sys.exit(2)


@click.command("diff")
@click.argument("sides", nargs=-1)
@click.option("--git", "git_revs", nargs=2, default=None, metavar="OLD_REV NEW_REV",
              help="compare the spec/ tree of two git revisions (SIDES may then be FAMILY [VERSION])")
@click.option("--json", "as_json_flag", is_flag=True, help="machine-readable output")
@click.option("--markdown", is_flag=True, help="Markdown for a pull-request comment")
@click.option("--fail-on", type=click.Choice(["breaking", "minor"]), default=None,
              help="exit 1 when any change is at least this level")
@click.option("--check-bump", is_flag=True, help="exit 1 when NEW's declared version bump is smaller than demanded")
def diff(sides: tuple[str, ...], git_revs: tuple[str, str] | None, as_json_flag: bool, markdown: bool,
         fail_on: str | None, check_bump: bool) -> None:
    """Classify every change between two spec versions as breaking, minor or patch.

    SIDES: OLD_DIR NEW_DIR, or FAMILY VERSION FAMILY VERSION (e.g. tensor 1.0 tensor draft).
    """
    diffs: list[SpecDiff] = []
    try:
        with ExitStack() as stack:
            if git_revs:
                if len(sides) > 2 or (sides and sides[0] not in FAMILIES):
                    raise SourceError("with --git, give at most FAMILY [VERSION]")
                old_root = stack.enter_context(git_spec_tree(git_revs[0]))
                new_root = stack.enter_context(git_spec_tree(git_revs[1]))
                pairs = git_pairs(old_root, new_root, sides[0] if sides else None, sides[1] if len(sides) > 1 else None)
            else:
                pairs = [from_arguments(sides)]
            for old_dir, new_dir in pairs:
                diffs.append(diff_specs(load_side(old_dir), load_side(new_dir)))
    except SourceError as exc:
        _fail(str(exc))
    if as_json_flag:
        click.echo(as_json(diffs))
    elif markdown:
        click.echo("\n\n".join(as_markdown(d) for d in diffs))
    else:
        click.echo("\n\n".join(as_text(d) for d in diffs))
    code = 0
    if fail_on and any(ORDER[c.level] >= ORDER[fail_on] for d in diffs for c in d.changes):
        code = 1
    if check_bump:
        for d in diffs:
            if BUMP_ORDER[d.declared] < BUMP_ORDER[d.demanded]:
                click.echo(f"accord: {d.family} {d.old_version} → {d.new_version} is declared as a {d.declared} bump "
                           f"but the changes demand a {d.demanded} bump", err=True)
                code = 1
    sys.exit(code)


@click.command("render")
@click.argument("family", required=False, type=click.Choice(FAMILIES))
@click.argument("version", required=False)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("spec-docs"),
              show_default=True)
def render(family: str | None, version: str | None, out_dir: Path) -> None:
    """Render spec versions as HTML and Markdown, with a changelog between consecutive versions."""
    from accord.spec import SpecError, versions

    from .render import render_site

    if family and version and version not in versions(family):
        _fail(f"spec {family} {version} does not exist (known versions: {', '.join(versions(family)) or 'none'})")
    try:
        written = render_site(out_dir, family, version)
    except SpecError as exc:
        _fail(f"invalid spec: {exc.problems[0]}")
    click.echo(f"wrote {len(written)} files to {out_dir} (open {out_dir / 'index.html'})")


@click.command("release")
@click.argument("family", type=click.Choice(FAMILIES))
@click.argument("version")
@click.option("--evidence", "evidence_reports", multiple=True, type=click.Path(path_type=Path),
              help="conformance reports showing real adapters passing the new MUST requirements")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None, hidden=True)
def release(family: str, version: str, evidence_reports: tuple[Path, ...], root: Path | None) -> None:
    """Freeze draft/ into spec/FAMILY/VERSION after checking the bump and the evidence."""
    from accord.spec import SPEC_ROOT

    from .release import release as do_release

    try:
        target, diff_result = do_release(family, version, list(evidence_reports), root or SPEC_ROOT)
    except ReleaseError as exc:
        click.echo(f"accord: release refused: {exc}", err=True)
        sys.exit(1)
    click.echo(f"released {family} {version} into {target} ({len(diff_result.changes)} changes, "
               f"{diff_result.demanded} bump)")
