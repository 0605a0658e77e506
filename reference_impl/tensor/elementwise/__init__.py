"""Element-wise functions of the array API standard (2024.12), with every special case.

One module per group of the standard's element-wise functions: ``arithmetic``, ``comparison``,
``logical`` (logical and bitwise), ``classification`` (isnan …, signbit, copysign, real/imag/conj),
``rounding`` and ``transcendental``; ``complex_kernels`` holds the complex special cases of the
transcendental functions and ``core`` what they all share (dtype categories, operand promotion,
broadcasting, rounding into the result dtype; how values are computed is described there).
Choices the standard leaves open are listed in each module's docstring.
"""

from __future__ import annotations

from . import arithmetic, classification, comparison, logical, rounding, transcendental
from .arithmetic import *  # noqa: F403
from .classification import *  # noqa: F403
from .comparison import *  # noqa: F403
from .logical import *  # noqa: F403
from .rounding import *  # noqa: F403
from .transcendental import *  # noqa: F403

__all__ = sorted([*arithmetic.__all__, *classification.__all__, *comparison.__all__, *logical.__all__,
                  *rounding.__all__, *transcendental.__all__])
