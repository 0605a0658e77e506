"""Publishing: conformance reports → compatibility matrix (HTML, Markdown, JSON, badges) and matrix diffs.

Matrices are generated from reports only, never edited by hand, so they cannot go stale.
"""
