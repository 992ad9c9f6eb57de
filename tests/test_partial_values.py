"""Partly known values ("研发占比不到5%", "亩产不是D类"): conditions decide with them where
every allowed value agrees; amounts never compute with them (docs/profile.md)."""
import datetime as dt

import pytest

from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_ELIGIBLE, Engine
from huiqi.errors import ProfileError
from huiqi.tables import load_catalogue
from huiqi.vocabulary import OneOf, Range

CAT = load_catalogue()
ENGINE = Engine(CAT)
V = CAT.vocab
DAY = dt.date(2023, 6, 1)  # inside the bearing plan's trial year
HIGH_TECH = "linqing_2022_bearing.r2.high_tech"
BASE = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "above_scale": True,
        "high_tech_status": "first", "mu_efficiency_grade": "B", "green_threshold_met": True, "rd_ratio": 6}


def verdict(**changes):
    facts = {**BASE, **{k: V.coerce(k, v) for k, v in changes.items()}}
    return next(r for r in ENGINE.match(facts, DAY).results if r.entry.id == HIGH_TECH).verdict


# 奖励条件1. 当年研发投入占销售收入总值5%以上 (5% itself counts)
@pytest.mark.parametrize("rd, expected", [
    ({"lt": 5}, NOT_ELIGIBLE), ({"le": 4.9}, NOT_ELIGIBLE), ({"ge": 5}, ELIGIBLE), ({"gt": 5}, ELIGIBLE),
    ({"gt": 4}, NEED_INFO), ({"le": 5}, NEED_INFO), ({"ge": 4, "lt": 6}, NEED_INFO), ({"ge": 5, "le": 8}, ELIGIBLE),
])
def test_a_bound_decides_the_5_percent_condition_where_it_can(rd, expected):
    assert verdict(rd_ratio=rd) == expected


# 奖励条件2. 上一年度亩产效益评价中被评为C类以上
@pytest.mark.parametrize("grade, expected", [
    ({"one_of": ["A", "B", "C"]}, ELIGIBLE), ({"one_of": ["C", "D"]}, NEED_INFO), ({"one_of": ["D"]}, NOT_ELIGIBLE),
])
def test_a_set_of_grades_decides_the_c_condition_where_it_can(grade, expected):
    assert verdict(mu_efficiency_grade=grade) == expected


def test_an_amount_never_computes_with_a_bound():
    # 4.对轴承企业按其享受研发费用税前加计扣除数额的25%给予奖补: "不到400万" gives no figure
    facts = {**BASE, "rd_deduction_amount": V.coerce("rd_deduction_amount", {"lt": 4_000_000})}
    r = next(r for r in ENGINE.match(facts, DAY).results if r.entry.id.startswith("linqing_2022_bearing.r4"))
    assert r.amount.exact is None and "rd_deduction_amount" in r.amount.missing


@pytest.mark.parametrize("raw", [{"lt": 5, "le": 4}, {"gt": 6, "lt": 5}, {"lt": "x"}, {"one_of": []}, {"below": 5},
                                 {"lt": -1}, {"lt": 101}])
def test_bad_partial_values_are_refused(raw):
    fact = "mu_efficiency_grade" if "one_of" in raw else "rd_ratio"
    with pytest.raises(ProfileError):
        V.coerce(fact, raw)


def test_partial_values_round_trip_through_json_and_the_schema():
    import jsonschema
    schema = V.json_schema()
    doc = {"version": "1.0", "facts": {"rd_ratio": {"lt": 5}, "mu_efficiency_grade": {"one_of": ["A", "B"]},
                                      "output_value": {"gt": 100_000_000}}}
    jsonschema.validate(doc, schema)
    facts = V.profile_from_json(doc)
    assert facts["rd_ratio"] == Range(hi=5, hi_open=True)
    assert facts["mu_efficiency_grade"] == OneOf(frozenset({"A", "B"}))
    assert {k: v.as_json() for k, v in facts.items()}["output_value"] == {"gt": 100_000_000}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": "1.0", "facts": {"rd_ratio": {"lt": 5, "le": 6}}}, schema)


def test_the_verdicts_json_keeps_partial_values_as_json():
    import json
    import subprocess
    import sys
    from pathlib import Path
    profile = {"version": "1.1", "facts": {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True,
                                          "above_scale": True, "rd_ratio": {"lt": 5}}}
    cli = Path(sys.executable).parent / "huiqi"
    r = subprocess.run([str(cli), "match", "-", "--json", "--as-of", "2023-06-01"], input=json.dumps(profile),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["facts"]["rd_ratio"] == {"lt": 5}
    r2 = next(e for e in out["entries"] if e["id"] == HIGH_TECH)
    assert r2["verdict"] == NOT_ELIGIBLE  # 奖励条件1: 5%以上
