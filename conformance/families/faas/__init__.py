"""The FaaS family suite: every check talks real HTTP to the backend's deployed probe functions.

``prepare`` deploys the probes once per worker (``invoke("deploy", …)``, see
spec ``faas.contract:deploy``) and starts the in-process reference host that
is the oracle for every answer. After a requirement fails, the probes are
undeployed and deployed afresh for the next one, so a poisoned host does not
spill one failure into the requirements that follow.
"""

from accord.conformance.families import FamilySuite
from accord.conformance.families.faas.checks import CHECKS
from accord.conformance.families.faas.deployment import prepare, redeploy_after_failure
from accord.conformance.families.faas.strata import KINDS

SUITE = FamilySuite(family="faas", checks=CHECKS, prepare=prepare, after_failure=redeploy_after_failure,
                    conditions=KINDS)

__all__ = ["SUITE"]
