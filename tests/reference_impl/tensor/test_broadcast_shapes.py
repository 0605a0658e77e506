"""The reference's broadcast_shapes (new in 2025.12): the standard's own examples, numpy as a cross-check."""

from __future__ import annotations

import numpy as np
import pytest

import accord.reference.tensor as xp

# the Broadcasting section's examples (A, B, result), plus size-0 and no-argument cases
COMPATIBLE = [((8, 1, 6, 1), (7, 1, 5)), ((5, 4), (1,)), ((5, 4), (4,)), ((15, 3, 5), (15, 1, 5)),
              ((15, 3, 5), (3, 5)), ((15, 3, 5), (3, 1)), ((0,), (1,)), ((2, 0), (1, 1, 1)), ((), (3,)), ((4,),), ()]
# the section's shapes that do not broadcast; 0 against 3 does not either (neither is 1)
INCOMPATIBLE = [((3,), (4,)), ((2, 1), (8, 4, 3)), ((15, 3, 5), (15, 3)), ((0,), (3,))]


@pytest.mark.parametrize("shapes", COMPATIBLE)
def test_the_broadcast_shape_is_numpys(shapes: tuple[tuple[int, ...], ...]) -> None:
    got = xp.broadcast_shapes(*shapes)
    assert type(got) is tuple
    assert got == np.broadcast_shapes(*shapes)


def test_the_standards_first_example_and_no_arguments() -> None:
    assert xp.broadcast_shapes((8, 1, 6, 1), (7, 1, 5)) == (8, 7, 6, 5)
    assert xp.broadcast_shapes() == ()


@pytest.mark.parametrize("shapes", INCOMPATIBLE)
def test_shapes_that_do_not_broadcast_raise_value_error(shapes: tuple[tuple[int, ...], ...]) -> None:
    with pytest.raises(ValueError):
        xp.broadcast_shapes(*shapes)
