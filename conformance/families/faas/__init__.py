"""The FaaS family suite: every check talks real HTTP to the backend's deployed probe functions.

``prepare`` deploys the probes once per worker (``invoke("deploy", …)``, see
spec ``faas.contract:deploy``) and starts the in-process reference host that
is the oracle for every answer.
"""

from accord.conformance.families import FamilySuite
from accord.conformance.families.faas.checks import CHECKS
from accord.conformance.families.faas.deployment import prepare

SUITE = FamilySuite(family="faas", checks=CHECKS, prepare=prepare)

__all__ = ["SUITE"]
