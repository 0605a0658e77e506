"""The ``fft`` extension: transforms (1-D and n-D), sample frequencies, shifts.

Arrays are small (at most 3 dimensions, at most 8 elements along a transformed axis) and their
values moderate (the document's ``float_magnitude``), so that an allclose comparison with the
reference's O(n^2) transform is meaningful. ``n`` / ``s`` / ``axis`` / ``axes`` / ``norm`` are given
sometimes and left to their defaults otherwise. Only calls whose meaning the text fixes are drawn:
every transform length is at least 1 (``irfft`` / ``hfft`` without ``n`` need ``M >= 2``, as
``n = 2*(M-1)``), ``s`` only together with ``axes``, no repeated axes (unspecified), and never an
empty ``axes`` for the shifts.

Builders: ``fft-c2c`` (fft, ifft), ``fft-r2c`` (rfft, ihfft), ``fft-c2r`` (irfft, hfft) and their
n-D forms ``fft-c2c-n`` (fftn, ifftn), ``fft-r2c-n`` (rfftn), ``fft-c2r-n`` (irfftn); ``fft-freq``
(fftfreq, rfftfreq) and ``fft-shift`` (fftshift, ifftshift).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..oracle import call
from .base import Inputs, array, axis_for, draws, dtype_kw, elements, name_of

MAX_LENGTH = 8  # along a transformed axis
OTHER_SIDES = st.sampled_from([1, 2, 3, 1, 2, 3, 0])  # along every other axis; empty arrays now and then
NORMS = ("backward", "ortho", "forward")


def _norm(draw: Callable, kwargs: dict[str, Any]) -> None:
    choice = draw(st.sampled_from(["ortho", "forward", "backward", None]))
    if choice is not None:
        kwargs["norm"] = choice


def _x(draw: Callable, inputs: Inputs, shape: tuple[int, ...]) -> Any:
    """``x``: half the time every element drawn on its own (a mostly constant array, the usual draw, has a
    spectrum of zeros but one term, which would hide a wrong scaling or twiddle), else the usual draw (views too)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    if draw(st.booleans()):
        return draw(hnp.arrays(np.dtype(dtype), shape, elements=elements(dtype, inputs), fill=st.nothing()))
    return draw(array(dtype, shape, inputs))


def _one_d(draw: Callable, inputs: Inputs, *, output_length: bool) -> dict:
    """A 1-D transform call; ``output_length``: ``n`` counts the output (irfft, hfft), so the default needs M >= 2."""
    ndim = draw(st.integers(1, 3))
    plain = draw(st.integers(0, 4)) == 0  # every keyword left to its default
    given_axis = not plain and draw(st.booleans())
    axis = draw(st.integers(-ndim, ndim - 1)) if given_axis else -1
    shape = [draw(OTHER_SIDES) for _ in range(ndim)]
    given_n = not plain and draw(st.booleans())
    shape[axis] = draw(st.integers(1 if given_n or not output_length else 2, MAX_LENGTH))
    kwargs: dict[str, Any] = {}
    if given_n:
        kwargs["n"] = draw(st.integers(1, MAX_LENGTH))
    if given_axis:
        kwargs["axis"] = axis
    if not plain:
        _norm(draw, kwargs)
    return call(name_of(inputs), _x(draw, inputs, tuple(shape)), **kwargs)


def _n_d(draw: Callable, inputs: Inputs, *, output_length: bool) -> dict:
    """An n-D transform call: ``axes`` (distinct, any order, some negative) or None for all; ``s`` only with ``axes``."""
    ndim = draw(st.integers(1, 3))
    plain = draw(st.integers(0, 4)) == 0  # every keyword left to its default
    given_axes = not plain and draw(st.booleans())
    if given_axes:
        picked = draw(st.permutations(range(ndim)).map(list))[: draw(st.integers(1, ndim))]
        axes = [draw(st.sampled_from([a, a - ndim])) for a in picked]
    else:
        axes = list(range(ndim))
    resolved = [a % ndim for a in axes]
    given_s = given_axes and draw(st.booleans())
    shape = [draw(OTHER_SIDES) for _ in range(ndim)]
    for a in resolved:
        shape[a] = draw(st.integers(1, 4))
    if output_length and not given_s:
        shape[resolved[-1]] = max(shape[resolved[-1]], 2)  # s[-1] defaults to 2*(M-1): at least 2 elements
    kwargs: dict[str, Any] = {}
    if given_s:
        sizes = [draw(st.integers(1, 5)) for _ in axes]
        # "If s[i] equals M[i] or -1, all elements along axis i must be used": -1 sometimes (not for a
        # c2r last axis, whose -1 the text leaves ambiguous between M and 2*(M-1))
        for i in range(len(sizes) - (1 if output_length else 0)):
            if draw(st.integers(0, 4)) == 0:
                sizes[i] = -1
        kwargs["s"] = tuple(sizes)
    if given_axes:
        kwargs["axes"] = tuple(axes)
    elif not plain and draw(st.booleans()):
        kwargs["axes"] = None
    if not plain:
        _norm(draw, kwargs)
    return call(name_of(inputs), _x(draw, inputs, tuple(shape)), **kwargs)


# c2c and r2c draw alike (their documents' dtypes tell the input apart): one builder under both names
@draws("fft-c2c")
@draws("fft-r2c")
def _forward(draw: Callable, inputs: Inputs) -> dict:
    return _one_d(draw, inputs, output_length=False)


@draws("fft-c2r")
def _c2r(draw: Callable, inputs: Inputs) -> dict:
    return _one_d(draw, inputs, output_length=True)


@draws("fft-c2c-n")
@draws("fft-r2c-n")
def _forward_n(draw: Callable, inputs: Inputs) -> dict:
    return _n_d(draw, inputs, output_length=False)


@draws("fft-c2r-n")
def _c2r_n(draw: Callable, inputs: Inputs) -> dict:
    return _n_d(draw, inputs, output_length=True)


@draws("fft-freq")
def _freq(draw: Callable, inputs: Inputs) -> dict:
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["d"] = draw(st.sampled_from([0.5, 2.0, 0.1, 3.0, 1.0]))
    kwargs.update(dtype_kw(draw, inputs, "real-floating"))
    return call(name_of(inputs), draw(st.integers(1, MAX_LENGTH)), **kwargs)


@draws("fft-shift")
def _shift(draw: Callable, inputs: Inputs) -> dict:
    ndim = draw(st.integers(0, 3))
    shape = tuple(draw(st.integers(0, 5)) for _ in range(ndim))
    x = _x(draw, inputs, shape)
    axes = axis_for(draw, ndim, many=True)
    if isinstance(axes, tuple) and not axes:
        axes = None  # an empty axes tuple: "axes over which to shift" names none, a reading the text leaves open
    kwargs = {"axes": axes} if axes is not None or draw(st.booleans()) else {}
    return call(name_of(inputs), x, **kwargs)
