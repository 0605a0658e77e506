"""Pure-Python reference implementation of the tensor family (array API standard 2024.12 and 2025.12).

The package itself is an array-API namespace: ``import accord.reference.tensor as xp``
then ``xp.asarray(...)``, ``xp.add(...)``, ``xp.float32``.  It is the oracle of every value
check of the tensor suite, so it favours clarity over speed.  No numpy: arrays are flat
row-major lists of Python bool / int / float / complex values.

Module map (one topic each, mirroring the standard's sections):
``dtypes`` data types, promotion lattice, value conversion · ``array`` the array object ·
``operators`` its operators and indexing (attached here, above the functions they call) ·
``slicing`` indexing keys · ``elementwise/`` element-wise functions and their special cases ·
``creation`` · ``manipulation`` · ``searching`` · ``sets`` · ``sorting`` · ``statistics`` ·
``utility`` · ``linalg`` · ``indexing`` (take, take_along_axis) · ``data_type_functions`` ·
``info`` (``__array_namespace_info__``) · ``_helpers`` shapes/strides · ``_exact`` exact sums ·
``revision`` the standard revision it answers as (lists or tuples of arrays).
Behaviour the standard leaves unspecified is listed in the docstring of the module concerned.
"""

from __future__ import annotations

import math as _math

from . import fft as fft  # the fft extension, xp.fft.fft …: a namespace, kept out of __all__
from . import operators as _operators
from . import revision as _revision
from .array import CPU_DEVICE, Array, Device
from .creation import *  # noqa: F403
from .creation import __all__ as _creation_all
from .data_type_functions import *  # noqa: F403
from .data_type_functions import __all__ as _dtf_all
from .dtypes import (
    DType,
    complex64,
    complex128,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .dtypes import bool_ as bool  # noqa: A001  (the standard names this dtype ``bool``)
from .elementwise import *  # noqa: F403
from .elementwise import __all__ as _elementwise_all
from .indexing import *  # noqa: F403
from .indexing import __all__ as _indexing_all
from .info import __array_namespace_info__
from .linalg import *  # noqa: F403
from .linalg import __all__ as _linalg_all
from .manipulation import *  # noqa: F403
from .manipulation import __all__ as _manipulation_all
from .searching import *  # noqa: F403
from .searching import __all__ as _searching_all
from .sets import *  # noqa: F403
from .sets import __all__ as _sets_all
from .sorting import argsort, sort
from .statistics import *  # noqa: F403
from .statistics import __all__ as _statistics_all
from .utility import *  # noqa: F403
from .utility import __all__ as _utility_all

_operators.install()


def __getattr__(name: str) -> str:
    if name == "__array_api_version__":  # the revision the reference answers as (revision.set_revision)
        return _revision.current()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


e = _math.e
inf = _math.inf
nan = _math.nan
pi = _math.pi
newaxis = None

__all__ = [
    "__array_api_version__", "Array", "DType", "Device", "CPU_DEVICE",  # noqa: F405 (module __getattr__)
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128", "e", "inf", "nan", "pi", "newaxis",
    "argsort", "sort", "__array_namespace_info__",
    *_elementwise_all, *_linalg_all, *_creation_all, *_manipulation_all, *_searching_all, *_sets_all,
    *_statistics_all, *_utility_all, *_indexing_all, *_dtf_all,
]
