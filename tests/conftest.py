"""Fixtures shared across the test tree (helpers live in ``accord_testing``)."""

from accord_testing.host_fixtures import no_host_left_behind  # noqa: F401
