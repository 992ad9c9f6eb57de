"""huiqi.memo: judgements kept per (engine, facts, date) give what working them out again gives."""
import datetime as dt

from huiqi import focus, memo
from huiqi.engine import Engine
from huiqi.tables import load_catalogue

DAY = dt.date(2026, 12, 4)
PROFILES = [
    {},
    {"region": "linqing"},
    {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True},
    {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "above_scale": True,
     "high_tech_status": "first", "tech_sme_status": "none", "rd_ratio": 4.5},
    {"region": "qinghai", "entity_type": "enterprise"},
]


def test_facts_key_tells_apart_what_differs_and_only_that():
    k = memo.facts_key
    assert k({"a": 1, "b": "x"}) == k({"b": "x", "a": 1})  # order does not matter
    assert k({"a": True}) != k({"a": 1})  # True == 1 in Python, not as a fact
    assert k({"a": 1}) != k({"a": 1.0}) != k({"a": "1"})
    assert k({"a": {"lt": 5}}) != k({"a": {"lt": 6}}) != k({"a": {"gt": 5}})
    assert k({"a": {"lt": 5, "gt": 1}}) == k({"a": {"gt": 1, "lt": 5}})
    assert k({"a": [1, 2]}) != k({"a": [2, 1]})
    assert k({"a": None}) != k({})
    hash(k({"a": {"x": [1, {"y": 2}]}}))


def test_full_state_kept_is_full_state_worked_out():
    eng = Engine(load_catalogue())
    for facts in PROFILES + PROFILES:  # the second round is answered from what was kept
        assert focus.full_state(eng, facts, DAY) == focus.full_state.uncached(eng, facts, DAY)
    assert focus.full_state(eng, PROFILES[3], DAY) != focus.full_state(eng, PROFILES[2], DAY)
    earlier = dt.date(2021, 6, 1)  # another date is another key (texts in force then)
    assert focus.full_state(eng, PROFILES[3], earlier) == focus.full_state.uncached(eng, PROFILES[3], earlier)


def test_each_caller_gets_its_own_copy():
    eng = Engine(load_catalogue())
    a = focus.full_state(eng, PROFILES[3], DAY)
    entry = next(iter(a))
    a[entry][0] = "changed"
    a["extra"] = ["x", "y"]
    b = focus.full_state(eng, PROFILES[3], DAY)
    assert b == focus.full_state.uncached(eng, PROFILES[3], DAY)


def test_a_store_is_bounded(monkeypatch):
    monkeypatch.setattr(memo, "SIZE", 3)
    calls = []

    @memo.per_facts(lambda x: x)
    def f(engine, facts, as_of):
        calls.append(facts["n"])
        return facts["n"]

    class E:  # an engine stand-in (weak-referenceable)
        pass

    e = E()
    for n in [1, 2, 3, 1, 4, 1, 2]:
        assert f(e, {"n": n}, DAY) == n
    assert calls == [1, 2, 3, 4, 2]  # 1 kept (used again), 2 dropped when 4 came
    assert f(E(), {"n": 1}, DAY) == 1 and calls[-1] == 1  # another engine: its own store


def test_worth_is_worked_out_once_per_engine():
    eng = Engine(load_catalogue())
    assert focus._worth(eng) == focus._worth.uncached(eng) > 0
