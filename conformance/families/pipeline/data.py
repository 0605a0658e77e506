"""Hypothesis strategies for pipeline data: values by element type, keys, timestamps, windowing.

Element types are the vocabulary of the function registry (``functions.py``):
``any`` (key-able values), ``int``, ``num``, ``str``, ``kv``, ``kv_num``.
``VALUES`` is hostile on purpose: duplicate and colliding keys (1 / 1.0 / True,
0.0 / -0.0, NaN), None, unicode, bytes, huge ints, NaN and infinities. It serves
the requirements about such values (key equality, create's round trip, the laws);
every other requirement draws ``PLAIN`` data (aspect isolation: a key-equality
deviation fails the key requirements, not group_by_key's or the composition's).
Timestamps sit on and next to window edges everywhere.
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
# keys next to the strings their str() gives: a key encoder that shuffles str(key) (JSON object keys) merges them
STR_TWINS = [1, "1", True, "True", None, "None", 0.0, "0.0", b"", "b''"]
COLLIDING_KEYS += ["1", "1.0", "True", "0", "-0.0", "False", "nan", "None", "b''"]

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
colliding_keys = st.one_of(st.sampled_from(COLLIDING_KEYS), st.sampled_from(STR_TWINS))

VALUES = {
    "any": keys,
    "int": ints,
    "num": nums,
    "str": texts,
    "kv": st.tuples(st.one_of(keys, colliding_keys), keys),
    "kv_num": st.tuples(st.one_of(keys, colliding_keys), nums),
}


# Plain data for the requirements that are not about keys (aspect isolation): keys no two of which are
# equal in Python unless the spec's rule says so too (no NaN, no 1/1.0/True or 0.0/-0.0 pairs, no ints
# beyond 64 bits), and numbers that never meet an int of the same value. The hostile values stay in the
# requirements about them (key equality, create's value round trip, the combine laws).
medium_ints = st.integers(-(10**6), 10**6)
# a small pool first, so keyed transforms meet repeated keys (groups of several values, timers set twice)
PLAIN_KEY_POOL = [None, 0, 1, 2, -1, "", "a", "b", "é", (1, "a")]
plain_keys = st.one_of(st.sampled_from(PLAIN_KEY_POOL), st.sampled_from(PLAIN_KEY_POOL), medium_ints, texts,
                       st.tuples(small_ints, texts))
plain_nums = st.one_of(medium_ints, st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
                       .filter(lambda f: not f.is_integer()))
PLAIN = {
    "any": plain_keys,
    "int": medium_ints,
    "num": plain_nums,
    "str": texts,
    "kv": st.tuples(plain_keys, plain_keys),
    "kv_num": st.tuples(plain_keys, plain_nums),
}

FEW_KEYS = st.sampled_from([None, "a", 1])
KEY_MODES = ("plain", "hostile", "adversarial", "few")


def values_of(kind: str, keys: str = "plain") -> st.SearchStrategy:
    """Values of an element type, by key mode.

    ``plain``: :data:`PLAIN`; ``hostile``: any value the type admits (NaN, huge ints,
    colliding keys now and then); ``adversarial``: keys from the colliding set only;
    ``few``: three distinct keys (None, "a", 1), so groups fill up.
    """
    if keys not in KEY_MODES:
        raise ValueError(f"key mode {keys!r} is not one of {KEY_MODES}")
    if keys == "few" and kind in ("kv", "kv_num"):
        return st.tuples(FEW_KEYS, PLAIN["any"] if kind == "kv" else plain_nums)
    if keys == "adversarial" and kind in ("kv", "kv_num"):
        return st.tuples(colliding_keys, VALUES["any"] if kind == "kv" else nums)
    if keys == "adversarial" and kind == "any":
        return colliding_keys
    return VALUES[kind] if keys in ("hostile", "adversarial") else PLAIN[kind]


def lists_of(kind: str, max_size: int = 8, keys: str = "plain") -> st.SearchStrategy:
    return st.lists(values_of(kind, keys), max_size=max_size)


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
