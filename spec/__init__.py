"""Accord's interface specifications and the loader that turns them into typed objects."""

from .errors import SpecError, SpecProblem
from .loader import (
    FAMILIES,
    SPEC_ROOT,
    check_folder,
    check_paths,
    digest,
    latest_version,
    load_spec,
    load_spec_dir,
    match_requirements,
    spec_dir,
    versions,
)
from .model import Capability, Document, Feature, Requirement, Spec

__all__ = [
    "FAMILIES", "SPEC_ROOT", "Capability", "Document", "Feature", "Requirement", "Spec", "SpecError",
    "SpecProblem", "check_folder", "check_paths", "digest", "latest_version", "load_spec", "load_spec_dir",
    "match_requirements", "spec_dir", "versions",
]
