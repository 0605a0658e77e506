"""Where the two sides of a spec diff come from: folders, family versions, or git revisions."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from accord.spec import FAMILIES, SPEC_ROOT, Spec, SpecError, load_spec_dir, spec_dir, versions


class SourceError(Exception):
    """A side of the diff cannot be read: one line for the user."""


def load_side(folder: Path) -> Spec:
    try:
        return load_spec_dir(folder)
    except SpecError as exc:
        raise SourceError(f"{folder}: invalid spec: {exc.problems[0]}") from None


def from_arguments(args: tuple[str, ...]) -> tuple[Path, Path]:
    """``OLD_DIR NEW_DIR`` or ``FAMILY VERSION FAMILY VERSION``."""
    if len(args) == 2:
        folders = [Path(a) for a in args]
        for folder in folders:
            if not (folder / "spec.yaml").is_file():
                raise SourceError(f"{folder}: not a spec version folder (no spec.yaml)")
        return folders[0], folders[1]
    if len(args) == 4:
        try:
            return spec_dir(args[0], args[1]), spec_dir(args[2], args[3])
        except LookupError as exc:
            raise SourceError(str(exc).strip("'\"")) from None
    raise SourceError("give OLD NEW as two spec folders, or FAMILY VERSION FAMILY VERSION, or --git REV REV")


def _repo_root() -> Path:
    try:
        out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=SPEC_ROOT, capture_output=True,
                             text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SourceError(f"the spec folder {SPEC_ROOT} is not inside a git repository: {exc}") from None
    return Path(out.stdout.strip())


@contextmanager
def git_spec_tree(revision: str) -> Iterator[Path]:
    """The ``spec/`` folder of a git revision, exported to a temporary folder."""
    root = _repo_root()
    relative = SPEC_ROOT.relative_to(root).as_posix()
    result = subprocess.run(["git", "archive", "--format=tar", revision, relative], cwd=root,
                            capture_output=True)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise SourceError(f"git revision {revision!r}: {message[-1] if message else 'cannot be read'}")
    with tempfile.TemporaryDirectory(prefix=f"accord-spec-{revision.replace('/', '_')}-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / relative


def git_pairs(old_root: Path, new_root: Path, family: str | None, version: str | None) -> list[tuple[Path, Path]]:
    """Folder pairs to compare between two exported spec trees."""
    pairs = []
    for fam in [family] if family else FAMILIES:
        both = [v for v in versions(fam, old_root) if v in versions(fam, new_root)]
        for ver in [version] if version else both:
            if ver not in both:
                raise SourceError(f"spec {fam} {ver} does not exist at both revisions")
            pairs.append((old_root / fam / ver, new_root / fam / ver))
    return pairs
