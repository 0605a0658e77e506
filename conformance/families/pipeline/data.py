"""Hypothesis strategies for pipeline data: values by element type, keys, timestamps, windowing.

Element types are the vocabulary of the function registry (``functions.py``):
``any`` (key-able values), ``int``, ``num``, ``str``, ``kv``, ``kv_num``.
The data is adversarial on purpose: duplicate and colliding keys (1 / 1.0 /
True, 0.0 / -0.0, NaN), None, unicode, bytes, huge ints, NaN and infinities,
and timestamps on and next to window edges.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

SECOND = 1_000_000  # µs; window sizes are whole seconds, timestamps sit on and beside their edges
MS = 1_000  # the event-time resolution of spec 1.0: "beside an edge" is one millisecond away

HUGE_INTS = [2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30, -(10**30)]
# every create property run carries all of these, so a lossy value conversion cannot slip through
SPECIAL_VALUES = [None, True, False, 0, -0.0, 0.0, math.nan, math.inf, -math.inf, 2**64, -(2**63) - 1,
                  "", "é", "n\u0303", "\U0001f600", b"", b"\x00\xff", (), (1, (2.5, "x")), 1e-310, 1.5e300]
COLLIDING_KEYS = [1, 1.0, True, 0, 0.0, -0.0, False, math.nan, None, "", b"", (1,), (1.0,), 2**64, "a", "é"]

small_ints = st.integers(-20, 20)
ints = st.one_of(small_ints, st.integers(-(10**6), 10**6), st.sampled_from(HUGE_INTS))
floats = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, math.nan, math.inf, -math.inf, 0.5, -2.5, 1.0]),
)
# ``num`` never mixes huge ints with floats: their float sums would depend on the order of addition.
nums = st.one_of(st.integers(-(10**6), 10**6), floats)
texts = st.text(alphabet=st.sampled_from(list("ab  é\u00f1\u0303\U0001f600\t")), max_size=6)
scalars = st.one_of(st.none(), st.booleans(), ints, floats, texts, st.binary(max_size=3))
keys = st.one_of(scalars, st.sampled_from(SPECIAL_VALUES), st.tuples(scalars), st.tuples(scalars, scalars))
colliding_keys = st.sampled_from(COLLIDING_KEYS)

VALUES = {
    "any": keys,
    "int": ints,
    "num": nums,
    "str": texts,
    "kv": st.tuples(st.one_of(keys, colliding_keys), keys),
    "kv_num": st.tuples(st.one_of(keys, colliding_keys), nums),
}


FEW_KEYS = st.sampled_from([None, "a", 1])


def values_of(kind: str, adversarial_keys: bool | str = False) -> st.SearchStrategy:
    """Values of an element type; ``adversarial_keys`` True: colliding keys, "few": three keys only."""
    if adversarial_keys == "few" and kind in ("kv", "kv_num"):
        return st.tuples(FEW_KEYS, VALUES["any"] if kind == "kv" else nums)
    if adversarial_keys and kind in ("kv", "kv_num"):
        return st.tuples(colliding_keys, VALUES["any"] if kind == "kv" else nums)
    if adversarial_keys and kind == "any":
        return colliding_keys
    return VALUES[kind]


def lists_of(kind: str, max_size: int = 8, adversarial_keys: bool | str = False) -> st.SearchStrategy:
    return st.lists(values_of(kind, adversarial_keys), max_size=max_size)


# Most timestamps sit on or one µs beside a multiple of 5 s: an edge of every 5 s / 10 s window (offsets are
# multiples of 5 s too), and exactly a 5 s session gap apart; the rest are anywhere in 0..40 s.
edge_timestamps = st.builds(lambda k, d: max(0, k * 5 * SECOND + d * MS), st.integers(0, 8),
                            st.sampled_from([0, 0, -1, 1]))
timestamps = st.one_of(
    edge_timestamps,
    edge_timestamps,
    st.builds(lambda s, d: max(0, s * SECOND + d * MS), st.integers(0, 40), st.sampled_from([0, 0, -1, 1])),
)

windowfns = st.one_of(
    st.builds(lambda s: {"type": "fixed", "size": s * SECOND}, st.sampled_from([5, 10])),
    st.builds(lambda o: {"type": "fixed", "size": 10 * SECOND, "offset": o * SECOND}, st.sampled_from([3, 7])),
    st.builds(lambda sp: {"type": "sliding", "size": sp[0] * SECOND, "period": sp[1] * SECOND},
              st.sampled_from([(10, 5), (6, 2), (5, 5)])),
    st.builds(lambda g: {"type": "sessions", "gap": g * SECOND}, st.sampled_from([3, 5])),
)
WINDOWFN_BY_TYPE = {
    "fixed": st.builds(lambda s, o: {"type": "fixed", "size": s * SECOND, **({"offset": o * SECOND} if o else {})},
                       st.sampled_from([5, 10]), st.sampled_from([0, 0, 5])),
    "sliding": st.builds(lambda sp: {"type": "sliding", "size": sp[0] * SECOND, "period": sp[1] * SECOND},
                         st.sampled_from([(10, 5), (6, 2), (5, 5), (9, 3)])),
    "sessions": st.builds(lambda g: {"type": "sessions", "gap": g * SECOND}, st.sampled_from([5, 5, 3, 1])),
}

# lines for read_text: no line terminators of any kind inside a line
line_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c"
                                            "\x1c\x1d\x1e\x85\u2028\u2029"), max_size=12)
