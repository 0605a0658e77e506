"""The vetted function registry: the only user code a pipeline graph can name.

A graph refers to a function as ``{"name": "key_by_mod", "params": {"m": 3}}``;
:func:`bind` turns that into a plain Python callable (or a :class:`CombineFn`).
Every engine and the reference call exactly these functions, so a difference
between engines is a difference in the engines, never in user code.

Kinds and calling conventions (``side`` values are appended in the order of
the node's ``side_inputs``: a singleton value, a list, or a dict):

- ``map``       ``fn(x, *side) -> y``
- ``flat_map``  ``fn(x, *side) -> list of y``
- ``filter``    ``fn(x, *side) -> bool``
- ``timestamp`` ``fn(x) -> int`` (event time, µs)
- ``partition`` ``fn(x, n) -> int`` in ``[0, n)``
- ``combine``   a :class:`CombineFn` (create_accumulator / add_input /
  merge_accumulators / extract_output; pure: never mutates its arguments)
- ``stateful``  a :class:`~accord.spec.pipeline.stateful.StatefulDoFn` (per key and window
  state cells and event-time timers; the vetted set lives in ``stateful.py``)

Metered functions (``metrics`` in their entry) are ``map`` / ``flat_map`` /
``filter`` functions that also report counters and distributions through
:mod:`accord.spec.pipeline.metrics`; the random pipeline generators leave them out.

``accepts`` / ``returns`` are element types for pipeline generators: ``any``
(keyable values: None, bool, int, float, str, bytes and tuples of them),
``int``, ``num`` (ints and floats of modest magnitude, NaN, ±inf, -0.0),
``str``, ``kv`` (a 2-tuple (key, value)), ``kv_num`` (value is ``num``),
``grouped`` ((key, list) from group_by_key), ``grouped_num``; ``same`` means the
input type. Functions that read a grouped list never depend on its order.

The ``nexmark`` functions read the events of ``accord bench``'s pipeline workloads
(``spec/pipeline/draft/bench.yaml``): tuples ``("P", id, name, city, state, t)``,
``("A", id, seller, category, initial_bid, t)`` and ``("B", auction, bidder, price,
channel, t)``. Their types (``event``, ``person``, ``auction``, ``bid``,
``nexmark_join``) are no generator type, so random pipelines never draw them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from . import metrics, stateful
from .registry import KINDS, REGISTRY, CombineFn, Entry, bind, lookup, names
from .registry import register as _register
from .values import canonical, loads_value, order_key

__all__ = ["KINDS", "REGISTRY", "CombineFn", "Entry", "bind", "lookup", "names", "stateful"]

# ------------------------------------------------------------------ map


@_register("map", "any", "same")
def _identity() -> Callable:
    """x"""
    return lambda x: x


@_register("map", "num", "num")
def _double() -> Callable:
    """x * 2"""
    return lambda x: x * 2


@_register("map", "num", "num")
def _increment() -> Callable:
    """x + 1"""
    return lambda x: x + 1


@_register("map", "num", "num")
def _negate() -> Callable:
    """-x"""
    return lambda x: -x


@_register("map", "any", "str")
def _to_str() -> Callable:
    """str(x)"""
    return str


@_register("map", "str", "int")
def _length() -> Callable:
    """len(s)"""
    return len


@_register("map", "str", "str")
def _first_char() -> Callable:
    """s[:1] (the empty string stays empty)"""
    return lambda s: s[:1]


@_register("map", "any", "kv_num")
def _pair_with_one() -> Callable:
    """(x, 1)"""
    return lambda x: (x, 1)


@_register("map", "kv", "kv")
def _swap() -> Callable:
    """(k, v) -> (v, k)"""
    return lambda kv: (kv[1], kv[0])


@_register("map", "int", "int", {"m": int})
def _mod(m: int) -> Callable:
    """x % m (floor modulo: the result has the sign of m)"""
    return lambda x: x % m


@_register("map", "int", "kv_num", {"m": int})
def _key_by_mod(m: int) -> Callable:
    """(x % m, x)"""
    return lambda x: (x % m, x)


@_register("map", "grouped_num", "kv_num")
def _sum_values() -> Callable:
    """(k, values) -> (k, sum of values); addition order may vary, see the float tolerance"""
    return lambda kv: (kv[0], sum(kv[1]))


@_register("map", "grouped", "kv_num")
def _count_values() -> Callable:
    """(k, values) -> (k, len(values))"""
    return lambda kv: (kv[0], len(kv[1]))


@_register("map", "grouped", "kv")
def _sorted_values() -> Callable:
    """(k, values) -> (k, values sorted by the total order): makes a group's order canonical"""
    return lambda kv: (kv[0], sorted(kv[1], key=order_key))


@_register("map", "str", "any")
def _parse_json() -> Callable:
    """A line of JSON in the graph's tagged value encoding -> the value"""
    return loads_value


@_register("map", "num", "num", side=("singleton",))
def _add_side() -> Callable:
    """x + s, where s is the singleton side input"""
    return lambda x, s: x + s


@_register("map", "any", "kv", side=("dict",))
def _lookup_side() -> Callable:
    """(x, d[x]) or (x, None) when x is not a key of the dict side input (canonical key equality)"""
    def lookup_side(x: Any, mapping: dict) -> tuple:
        wanted = canonical(x)
        for key, value in mapping.items():
            if canonical(key) == wanted:
                return (x, value)
        return (x, None)
    return lookup_side


@_register("map", "any", "kv_num", side=("iter",))
def _count_in_side() -> Callable:
    """(x, how many elements of the iterable side input equal x canonically)"""
    return lambda x, items: (x, sum(1 for item in items if canonical(item) == canonical(x)))


# ------------------------------------------------------------------ flat_map


@_register("flat_map", "str", "str")
def _split_words() -> Callable:
    """s.split(): whitespace-separated words"""
    return lambda s: s.split()


@_register("flat_map", "any", "same", {"n": int})
def _repeat_n(n: int) -> Callable:
    """[x] * n"""
    return lambda x: [x] * n


@_register("flat_map", "any", "same")
def _nothing() -> Callable:
    """[]: every input vanishes (builds empty collections)"""
    return lambda x: []


@_register("flat_map", "int", "int", {"m": int})
def _range_mod(m: int) -> Callable:
    """range(x % m): 0 .. m-1 outputs"""
    return lambda x: list(range(x % m))


@_register("flat_map", "grouped", "kv")
def _explode_values() -> Callable:
    """(k, values) -> [(k, v) for v in values]"""
    return lambda kv: [(kv[0], v) for v in kv[1]]


# ------------------------------------------------------------------ filter


@_register("filter", "int", "same")
def _is_even() -> Callable:
    """x % 2 == 0"""
    return lambda x: x % 2 == 0


@_register("filter", "any", "same")
def _truthy() -> Callable:
    """bool(x)"""
    return bool


@_register("filter", "num", "same")
def _is_positive() -> Callable:
    """x > 0 (False for NaN and -0.0)"""
    return lambda x: x > 0


@_register("filter", "any", "same")
def _not_none() -> Callable:
    """x is not None"""
    return lambda x: x is not None


@_register("filter", "any", "same", side=("iter",))
def _in_side() -> Callable:
    """x occurs in the iterable side input (canonical equality)"""
    return lambda x, items: canonical(x) in {canonical(item) for item in items}


# ------------------------------------------------------------------ timestamp


@_register("timestamp", "int", "same")
def _value_as_micros() -> Callable:
    """the element itself is its event time in µs"""
    return lambda x: x


@_register("timestamp", "kv_num", "same")
def _kv_value_as_micros() -> Callable:
    """(k, t) -> t: the value of a key/value pair is its event time in µs"""
    return lambda kv: kv[1]


# ------------------------------------------------------------------ partition


@_register("partition", "int", "same")
def _mod_n() -> Callable:
    """x % n"""
    return lambda x, n: x % n


@_register("partition", "any", "same")
def _hash_n() -> Callable:
    """a stable hash of the canonical encoding, modulo n (same in every process)"""
    def hash_n(x: Any, n: int) -> int:
        digest = hashlib.sha256(canonical(x).encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % n
    return hash_n


# ------------------------------------------------------------------ combine


@_register("combine", "num", "num")
def _sum() -> CombineFn:
    """sum; 0 over no input. Addition order is not fixed: float sums may reassociate."""
    return CombineFn("sum", lambda: 0, lambda acc, x: acc + x, lambda accs: sum(accs, 0), lambda acc: acc)


@_register("combine", "any", "int")
def _count() -> CombineFn:
    """number of inputs; 0 over no input"""
    return CombineFn("count", lambda: 0, lambda acc, x: acc + 1, lambda accs: sum(accs, 0), lambda acc: acc)


@_register("combine", "num", "num")
def _mean() -> CombineFn:
    """arithmetic mean as a float; NaN over no input"""
    def merge(accs: list) -> tuple:
        return (sum((a[0] for a in accs), 0), sum(a[1] for a in accs))
    return CombineFn("mean", lambda: (0, 0), lambda acc, x: (acc[0] + x, acc[1] + 1), merge,
                     lambda acc: acc[0] / acc[1] if acc[1] else float("nan"))


def _pick(better: Callable[[Any, Any], bool]) -> tuple[Callable, Callable]:
    # The accumulator is (found?, value) so that None stays a legal input value.
    def add(acc: tuple, x: Any) -> tuple:
        return (True, x) if not acc[0] or better(x, acc[1]) else acc

    def merge(accs: list) -> tuple:
        out = (False, None)
        for acc in accs:
            if acc[0]:
                out = add(out, acc[1])
        return out
    return add, merge


@_register("combine", "any", "same")
def _min() -> CombineFn:
    """the least input by the total order (graph.order_key); None over no input"""
    add, merge = _pick(lambda x, best: order_key(x) < order_key(best))
    return CombineFn("min", lambda: (False, None), add, merge, lambda acc: acc[1])


@_register("combine", "any", "same")
def _max() -> CombineFn:
    """the greatest input by the total order (graph.order_key); None over no input"""
    add, merge = _pick(lambda x, best: order_key(x) > order_key(best))
    return CombineFn("max", lambda: (False, None), add, merge, lambda acc: acc[1])


@_register("combine", "any", "list")
def _concat_sorted() -> CombineFn:
    """all inputs as a list in the total order; [] over no input"""
    return CombineFn("concat_sorted", lambda: (), lambda acc, x: (*acc, x),
                     lambda accs: tuple(x for acc in accs for x in acc),
                     lambda acc: sorted(acc, key=order_key))


def _keep(k: int, largest: bool) -> CombineFn:
    def trim(values: tuple) -> tuple:
        return tuple(sorted(values, key=order_key, reverse=largest)[:k])
    return CombineFn("top_k" if largest else "bottom_k", lambda: (),
                     lambda acc, x: trim((*acc, x)),
                     lambda accs: trim(tuple(x for acc in accs for x in acc)),
                     lambda acc: list(trim(acc)))


@_register("combine", "any", "list", {"k": int})
def _top_k(k: int) -> CombineFn:
    """the k greatest inputs, greatest first (total order); [] over no input"""
    return _keep(k, largest=True)


@_register("combine", "any", "list", {"k": int})
def _bottom_k(k: int) -> CombineFn:
    """the k least inputs, least first (total order); [] over no input"""
    return _keep(k, largest=False)


# ------------------------------------------------------------------ metered (report metrics; metrics.py)


@_register("map", "any", "same", reports=("counter:elements",))
def _counted_identity() -> Callable:
    """x; adds 1 to the counter "elements" per element"""
    def counted_identity(x: Any) -> Any:
        metrics.counter("elements")
        return x
    return counted_identity


@_register("map", "int", "same", reports=("distribution:values",))
def _distributed_identity() -> Callable:
    """x; records x (a 64-bit int) in the distribution 'values'"""
    def distributed_identity(x: int) -> int:
        metrics.distribution("values", x)
        return x
    return distributed_identity


@_register("filter", "int", "same", reports=("counter:odd",))
def _is_even_counting_odd() -> Callable:
    """x % 2 == 0; adds 1 to the counter "odd" per element it drops"""
    def is_even_counting_odd(x: int) -> bool:
        if x % 2:
            metrics.counter("odd")
            return False
        return True
    return is_even_counting_odd


@_register("flat_map", "str", "str", reports=("counter:words", "distribution:word_length"))
def _split_words_counted() -> Callable:
    """s.split(); adds the number of words to the counter "words" and each word's length to the
    distribution 'word_length'"""
    def split_words_counted(s: str) -> list[str]:
        words = s.split()
        if words:
            metrics.counter("words", len(words))
        for word in words:
            metrics.distribution("word_length", len(word))
        return words
    return split_words_counted


# ------------------------------------------------------------------ nexmark (accord bench's pipeline workloads)

NEXMARK_KINDS = "PAB"  # person, auction, bid: the partition index of each event kind
Q3_STATES = ("OR", "ID", "CA")  # Nexmark query 3's states


@_register("partition", "event", "same")
def _event_kind() -> Callable:
    """0 for a person, 1 for an auction, 2 for a bid (Nexmark's three event kinds), modulo n"""
    return lambda x, n: NEXMARK_KINDS.index(x[0]) % n


@_register("timestamp", "event", "same")
def _event_time() -> Callable:
    """an event's last field: its event time in µs"""
    return lambda x: x[-1]


@_register("map", "bid", "int")
def _bid_price_euros() -> Callable:
    """price * 89 // 100: a bid's price converted from dollars to euros (Nexmark query 1)"""
    return lambda x: x[3] * 89 // 100


@_register("filter", "bid", "same", {"m": int})
def _bid_auction_multiple(m: int) -> Callable:
    """the bid's auction id is a multiple of m (Nexmark query 2 selects m = 123)"""
    return lambda x: x[1] % m == 0


@_register("map", "bid", "kv_num")
def _bid_auction_price() -> Callable:
    """(auction, price) of a bid"""
    return lambda x: (x[1], x[3])


@_register("map", "bid", "kv_num")
def _bid_bidder_price() -> Callable:
    """(bidder, price) of a bid"""
    return lambda x: (x[2], x[3])


@_register("map", "bid", "kv_num")
def _bid_channel_price() -> Callable:
    """(channel, price) of a bid"""
    return lambda x: (x[4], x[3])


@_register("filter", "person", "same")
def _person_in_q3_states() -> Callable:
    """the person lives in Oregon, Idaho or California (Nexmark query 3)"""
    return lambda x: x[4] in Q3_STATES


@_register("filter", "auction", "same", {"c": int})
def _auction_in_category(c: int) -> Callable:
    """the auction's category is c (Nexmark query 3 selects category 10)"""
    return lambda x: x[3] == c


@_register("map", "person", "kv")
def _person_by_id() -> Callable:
    """(id, (name, city, state)) of a person"""
    return lambda x: (x[1], (x[2], x[3], x[4]))


@_register("map", "auction", "kv_num")
def _auction_by_seller() -> Callable:
    """(seller, auction id) of an auction"""
    return lambda x: (x[2], x[1])


@_register("flat_map", "nexmark_join", "kv")
def _q3_join() -> Callable:
    """(id, {"person": [(name, city, state)], "auction": [ids]}) from co_group_by_key with tags person and
    auction -> [(name, city, state, auction id)] for every pair (Nexmark query 3's join)"""
    return lambda kv: [(*p, a) for p in kv[1]["person"] for a in kv[1]["auction"]]
