"""The on-disk cache of checked specs: a hit only for the same bytes, and never a reason for a load to fail."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from accord.spec import cache as spec_cache
from accord.spec.loader import SPEC_ROOT, load_spec_dir
from accord.spec.model import Spec


class Counting:
    """``load_spec_dir``, counting its calls: a call is a miss of the cache."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, folder: Path) -> Spec:
        self.calls += 1
        return load_spec_dir(folder)


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the spec package (the faas family, the meta-schemas and the sources) as the cached package,
    with the cache in a folder of the test's own."""
    copy = tmp_path / "spec"
    shutil.copytree(SPEC_ROOT, copy, ignore=shutil.ignore_patterns("tensor", "pipeline", "__pycache__"))
    monkeypatch.setattr(spec_cache, "PACKAGE", copy)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ACCORD_SPEC_CACHE", raising=False)
    return copy


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "accord" / "spec").glob("*.pickle"))


def test_the_second_load_reads_the_checked_spec_back(package: Path, tmp_path: Path) -> None:
    check = Counting()
    first = spec_cache.load(package / "faas" / "draft", check)
    second = spec_cache.load(package / "faas" / "draft", check)
    assert check.calls == 1 and len(entries(tmp_path)) == 1
    assert second == first and second.root == package / "faas" / "draft"
    with pytest.raises(TypeError, match="immutable"):  # the data read back is as frozen as the checked data
        second.documents[0].data["kind"] = "changed"  # type: ignore[index]


@pytest.mark.parametrize("changed", ["faas/draft/spec.yaml", "meta/faas.probe.schema.json", "model.py",
                                     "faas/standards.yaml"])
def test_a_changed_byte_anywhere_it_reads_is_a_miss_that_replaces_the_entry(
        package: Path, tmp_path: Path, changed: str) -> None:
    check = Counting()
    spec_cache.load(package / "faas" / "draft", check)
    before = entries(tmp_path)
    target = package / changed
    target.write_bytes(target.read_bytes() + b"\n")
    spec_cache.load(package / "faas" / "draft", check)
    assert check.calls == 2
    assert len(entries(tmp_path)) == 1 and entries(tmp_path) != before  # the folder's older entry is gone


def test_a_store_removes_what_a_killed_writer_left_but_not_a_live_write(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "accord" / "spec"
    folder.mkdir(parents=True)
    killed, live = folder / ".writing-killed", folder / ".writing-live"
    killed.write_bytes(b"half a pickle")
    live.write_bytes(b"being written")
    old = time.time() - spec_cache.STALE_WRITE_SECONDS - 60
    os.utime(killed, (old, old))
    spec_cache.load(package / "faas" / "draft", Counting())
    assert not killed.exists() and live.exists() and len(entries(tmp_path)) == 1


def test_a_damaged_entry_is_checked_again_and_rewritten(package: Path, tmp_path: Path) -> None:
    check = Counting()
    spec_cache.load(package / "faas" / "draft", check)
    [entry] = entries(tmp_path)
    entry.write_bytes(entry.read_bytes()[:1000])
    assert spec_cache.load(package / "faas" / "draft", check).version == "1.3"
    assert check.calls == 2 and entry.stat().st_size > 1000


def test_off_outside_the_package_or_unwritable_it_only_checks(package: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    check = Counting()
    outside = tmp_path / "exported" / "faas" / "draft"
    shutil.copytree(package / "faas" / "draft", outside)
    spec_cache.load(outside, check)
    monkeypatch.setenv("ACCORD_SPEC_CACHE", "0")
    spec_cache.load(package / "faas" / "draft", check)
    assert entries(tmp_path) == []
    monkeypatch.delenv("ACCORD_SPEC_CACHE")
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    spec: Any = spec_cache.load(package / "faas" / "draft", check)
    assert spec.version == "1.3" and check.calls == 3
