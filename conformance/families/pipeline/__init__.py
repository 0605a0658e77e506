"""The pipeline family's conformance suite.

Payload: ``invoke("run", {"graph": <accord.pipeline/1 graph>})`` returns
``{"outputs": {ref: [{value, timestamp, window, pane?}]}}``; the graph format and
the value encoding are documented in ``accord.spec.pipeline.graph``.
"""

from accord.conformance.families import FamilySuite

from .checks import CHECKS
from .strata import KINDS

SUITE = FamilySuite(family="pipeline", checks=CHECKS, conditions=KINDS)
