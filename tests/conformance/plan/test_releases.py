"""Release listing and ``LO..HI`` ranges: prefixes are inclusive, pre-releases only on request, bad ranges say why."""

from __future__ import annotations

import pytest
from packaging.version import Version

from accord.conformance.plan.releases import ReleaseError, list_releases, parse_listing, parse_range, select

NUMPY = [Version(v) for v in ("1.25.2", "1.26.0", "1.26.4", "2.0.0rc1", "2.0.0", "2.0.2", "2.1.0", "2.4.0",
                              "2.4.6", "2.40.0", "2.5.0.dev0", "2.5.0")]


def names(versions: list[Version]) -> list[str]:
    return [str(v) for v in versions]


@pytest.mark.parametrize(("text", "expected"), [
    ("1.26..2.4", ["1.26.0", "1.26.4", "2.0.0", "2.0.2", "2.1.0", "2.4.0", "2.4.6"]),
    ("..2.0", ["1.25.2", "1.26.0", "1.26.4", "2.0.0", "2.0.2"]),
    ("2.4..", ["2.4.0", "2.4.6", "2.5.0", "2.40.0"]),  # 2.40 is no 2.4.x, but it is above 2.4
    ("2.0.2..2.1", ["2.0.2", "2.1.0"]),
    ("2.4.1..2.4", ["2.4.6"]),  # from 2.4.1 to the last 2.4.x
    ("2.4..2.4", ["2.4.0", "2.4.6"]),
    (" 1.26 .. 1.26.4 ", ["1.26.0", "1.26.4"]),
    ("..", names(sorted(v for v in NUMPY if not v.is_prerelease))),
])
def test_a_range_is_inclusive_version_prefixes(text: str, expected: list[str]) -> None:
    assert names(select(NUMPY, parse_range(text))) == expected


def test_pre_releases_only_on_request() -> None:
    wanted = parse_range("2.0..2.5")
    assert "2.0.0rc1" not in names(select(NUMPY, wanted)) and "2.5.0.dev0" not in names(select(NUMPY, wanted))
    assert names(select(NUMPY, wanted, pre=True)) == ["2.0.0rc1", "2.0.0", "2.0.2", "2.1.0", "2.4.0", "2.4.6",
                                                      "2.5.0.dev0", "2.5.0"]


@pytest.mark.parametrize(("text", "why"), [
    ("1.26", "expected LO..HI"),
    ("1.26...2", "expected LO..HI"),
    ("1..2..3", "expected LO..HI"),
    ("v1.26..2", "'v1.26' is not a version prefix"),
    ("1.26..2.x", "'2.x' is not a version prefix"),
    ("2.0rc1..2.1", "'2.0rc1' is not a version prefix"),
    ("2.4..2.1", "lower end is above its upper end"),
    ("2.5..2.4.9", "lower end is above its upper end"),
])
def test_a_bad_range_is_one_line_saying_why(text: str, why: str) -> None:
    with pytest.raises(ReleaseError) as caught:
        parse_range(text)
    assert why in str(caught.value) and repr(text) in str(caught.value) and "\n" not in str(caught.value)


def test_the_listing_reads_only_the_available_versions_line() -> None:
    stdout = ("numpy (2.4.6)\nAvailable versions: 2.4.6, 2.0.2, 1.10.0.post2, 1.26.4, not-a-version, 1.26.4\n"
              "  INSTALLED: 2.4.6\n  LATEST:    2.4.6\n")
    assert names(parse_listing(stdout)) == ["1.10.0.post2", "1.26.4", "2.0.2", "2.4.6"]  # sorted, deduplicated
    assert parse_listing("WARNING: pip index is currently an experimental command.\n") == []


@pytest.mark.slow  # asks the configured package registry
def test_the_registry_lists_numpy_releases_without_pre_releases() -> None:
    releases = list_releases("numpy")
    assert {Version("1.26.4"), Version("2.0.2"), Version("2.1.0")} <= set(releases)
    assert releases == sorted(releases) and not [v for v in releases if v.is_prerelease]


@pytest.mark.slow
def test_an_unknown_package_is_one_line_naming_it() -> None:
    with pytest.raises(ReleaseError) as caught:
        list_releases("accord-no-such-package-zz")
    message = str(caught.value)
    assert "'accord-no-such-package-zz'" in message and "No matching distribution" in message, message
    assert "\n" not in message
