"""Judgements remembered per (facts, date): the action server asks the same thing several
times in one turn.

rasa_sdk calls the form's `required_slots` several times a turn, and each call, and then the
question asked, works out the next question and "what changed" from every award's verdict and
amount (`focus.full_state`): the same facts judged three or four times a turn, half of the
action server's time (py-spy, docs/loadtest.md). A judgement depends only on the rule tables
(the engine), the facts and the date, so it is kept, keyed by those, for the next call with
the same ones. Each engine has its own bounded store (least recently used dropped first), and
each caller gets its own copy of a kept answer, so nothing a caller does to it reaches another.
"""
from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from typing import Any, Callable

#: answers kept per engine and function
SIZE = 256


def facts_key(facts: dict) -> tuple:
    """A hashable key equal for equal facts (the same names, types and values)."""
    return tuple(sorted((k, _frozen(v)) for k, v in facts.items()))


def _frozen(v: Any) -> Any:
    if isinstance(v, dict):
        return ("dict", tuple(sorted(((str(k), type(k).__name__), _frozen(x)) for k, x in v.items())))
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, tuple(_frozen(x) for x in v))
    if isinstance(v, (set, frozenset)):
        return ("set", tuple(sorted(repr(_frozen(x)) for x in v)))
    try:
        hash(v)
    except TypeError:
        return ("repr", type(v).__name__, repr(v))
    return (type(v).__name__, v)


def per_facts(copy: Callable[[Any], Any]):
    """Decorates `fn(engine, facts, as_of)`: the answer kept per engine, facts and date, handed
    out through `copy` (which must return an object sharing nothing mutable with its argument)."""

    def wrap(fn):
        stores: "weakref.WeakKeyDictionary[Any, OrderedDict]" = weakref.WeakKeyDictionary()

        @functools.wraps(fn)
        def memo(engine, facts, as_of):
            store = stores.get(engine)
            if store is None:
                store = stores[engine] = OrderedDict()
            key = (facts_key(facts), as_of)
            try:
                kept = store[key]
                store.move_to_end(key)
            except KeyError:
                kept = store[key] = fn(engine, facts, as_of)
                if len(store) > SIZE:
                    store.popitem(last=False)
            return copy(kept)

        memo.uncached = fn
        return memo

    return wrap


def per_engine(fn):
    """Decorates `fn(engine)`, a figure of the rule tables alone: worked out once per engine."""
    kept: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()

    @functools.wraps(fn)
    def memo(engine):
        try:
            return kept[engine]
        except KeyError:
            v = kept[engine] = fn(engine)
            return v

    memo.uncached = fn
    return memo


def state_copy(state: dict) -> dict:
    """A copy of focus.full_state's answer ({entry: [verdict, text]})."""
    return {k: list(v) for k, v in state.items()}
