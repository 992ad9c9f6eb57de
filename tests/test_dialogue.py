"""The dialogue logic without Rasa (huiqi.dialogue): what the form asks next, how bare answers
and corrections fill facts, and what the facts imply."""
import datetime as dt

import pytest

from huiqi import dialogue
from huiqi.nlu import read_answers, readings
from huiqi.engine import Engine
from huiqi.tables import load_catalogue

CAT = load_catalogue()
ENGINE = Engine(CAT)
V = CAT.vocab
DAY = dt.date(2026, 12, 1)
BEARING = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True}


def asked_in_turn(facts, skipped=()):
    """The facts the form asks, in order, when every question is skipped."""
    skipped, out = list(skipped), []
    while (q := dialogue.next_question(ENGINE, facts, tuple(skipped), DAY)) and len(out) < 30:
        out.append(q)
        skipped.append(q)
    return out


def test_skipping_scale_still_asks_what_decides_the_bearing_awards():
    # 全市轴承工业企业中规模以上企业及规模以下科技型中小企业: without 规上, 科小 may still decide;
    # and 奖励条件1-3 (研发占比, 亩产, 绿色门槛) decide either way.
    asked = asked_in_turn(BEARING, skipped=["above_scale"])
    assert {"tech_sme_status", "rd_ratio", "mu_efficiency_grade", "green_threshold_met"} <= set(asked)


def test_the_cap_base_is_asked_when_bearing_awards_are_paid():
    # 奖励资金额度不超过其较上一年度新增税收形成地方财力额度的80%: it decides what is paid
    facts = {**BEARING, "above_scale": True, "high_tech_status": "first", "tech_sme_status": "none", "rd_ratio": 6,
             "mu_efficiency_grade": "B", "green_threshold_met": True}
    assert "new_local_fiscal_revenue" in asked_in_turn(facts)


def test_facts_only_an_enterprise_has_make_it_an_enterprise():
    assert dialogue.implied_facts(ENGINE, {"region": "linqing", "above_scale": True}) == {"entity_type": "enterprise"}
    assert dialogue.implied_facts(ENGINE, {"flexible_talent_local_pay": 400000}) == {"entity_type": "individual"}
    assert dialogue.implied_facts(ENGINE, {"region": "qinghai"}) == {}  # a place says nothing of who
    # a bearing firm telling of an engineer it trained (奖励标准11, paid to the person): still an enterprise
    assert dialogue.implied_facts(ENGINE, {"is_bearing_enterprise": True, "above_scale": True,
                                           "linqing_trained_talent_program": "provincial_ministerial"}) == {"entity_type": "enterprise"}
    assert dialogue.implied_facts(ENGINE, {"above_scale": True, "entity_type": "university"}) == {}  # said beats implied
    assert "entity_type" not in asked_in_turn({"region": "linqing", "is_bearing_enterprise": True})


@pytest.mark.parametrize("fact, text, value", [
    ("entity_type", "企业", "enterprise"), ("entity_type", "公司", "enterprise"), ("entity_type", "民营企业", "enterprise"),
    ("entity_type", "个人", "individual"), ("entity_type", "我是个人", "individual"),
    ("mu_efficiency_grade", "A", "A"), ("mu_efficiency_grade", "b类", "B"),
    ("new_platform_level", "省级的", "provincial"), ("high_tech_status", "往年认定，仍在有效期内", "valid_earlier"),
    ("enterprise_size", "中型", "medium"),
    # the 绿色门槛 question (安全、环保、失信、欠税) answered item by item
    ("green_threshold_met", "安全事故没有 环保达标 没失信没欠税", True), ("green_threshold_met", "环保没达标", False),
    ("green_threshold_met", "没有发生过，都符合要求", True), ("green_threshold_met", "有失信记录", False),
])
def test_a_bare_answer_names_a_value(fact, text, value):
    assert dialogue.answer_for(V, fact, "inform", [], read_answers(text)) == value


def test_bare_numbers_answer_counts():
    assert dialogue.answer_for(V, "new_invention_patents", "inform", [{"entity": "number", "value": 0}], read_answers("0")) == 0
    assert dialogue.answer_for(V, "new_utility_patents", "deny", [], read_answers("没有")) == 0


@pytest.mark.parametrize("text, recent, expected", [
    ("不对，刚才说错了，是省级的", ["new_platform_level", "above_scale"], ("new_platform_level", "provincial")),
    ("说错了，是中型", ["enterprise_size"], ("enterprise_size", "medium")),
    ("不对", ["above_scale"], None),  # says nothing about which yes/no was wrong
    # 奖励标准11 "国家、省部级高层次人才工程": what it is, not what it is not, in either order
    ("说错了 是省部级的 不是国家级", ["linqing_trained_talent_program", "tech_contract_amount"],
     ("linqing_trained_talent_program", "provincial_ministerial")),
    ("说错了 不是国家级 是省部级", ["linqing_trained_talent_program"], ("linqing_trained_talent_program", "provincial_ministerial")),
])
def test_a_correction_that_names_no_fact_fixes_the_latest_it_fits(text, recent, expected):
    assert dialogue.correction(V, recent, "inform", [], readings(text)["corrected"]) == expected


def test_partly_known_values_come_through_slots():
    facts = dialogue.profile_from_slots(V, {"rd_ratio": {"lt": 5}, "mu_efficiency_grade": {"one_of": ["A", "B", "C"]}})
    assert V["rd_ratio"].title(facts["rd_ratio"]) == "低于5%"
    assert V["mu_efficiency_grade"].title(facts["mu_efficiency_grade"]) == "A类、B类或C类"
    v, problem = dialogue.coerce_slot(V, "rd_ratio", {"lt": 5, "le": 6})
    assert v is None and problem


@pytest.mark.parametrize("text, new", [
    ("好的，再问第二家：青海西宁的高企", True), ("下一个客户", True), ("换一家，临清的轴承企业", True),
    ("另一家：临清的", True), ("接下来是另一位客户", True), ("下一位：青海的企业，首购了…", True),
    # the same company's facts, with another company in them
    ("我们和另一家企业联合申报", False), ("请看下一位", False), ("下一位是什么条件", False), ("技术合同是跟另外一家公司签的", False), ("我们是第二家拿到的", False),
])
def test_another_callers_company(text, new):
    assert dialogue.is_new_case(text) is new


@pytest.mark.parametrize("text, now", [
    ("就这些，先看结果", True), ("后面的都不清楚", True), ("别问了", True), ("剩下的全跳过", True),
    ("其他暂不清楚，请先显示结果", True), ("给出结果", True), ("其余情况也不了解", True),
    ("不清楚", False), ("这些奖励都有哪些", False), ("规上", False),
])
def test_wanting_the_answer_now(text, now):
    assert dialogue.wants_answer_now(text) is now
