"""Spec evolution: diff with semver classification, rendered docs, and releases."""
