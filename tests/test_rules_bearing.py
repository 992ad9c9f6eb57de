"""Worked examples for 《临清市支持轴承产业科技创新三年（2022-2024年）行动计划实施意见（试行）》
(rules/sources/linqing_2022_bearing.txt, 临政字〔2022〕37号).

Every expected value below was worked out by hand from the sentence quoted next to it, not
read off the engine. Money is whole yuan (10万元 = 100000).

The sentences that every reward standard (三（三）1–10) depends on:

  三（一）奖励对象：全市轴承工业企业中规模以上企业及规模以下科技型中小企业。
  三（二）奖励条件：
    1.当年研发投入占销售收入总值5%以上；                       ("以上" includes 5%)
    2.上一年度亩产效益评价中被评为C类以上；                     (A, B or C)
    3.未发生较大及以上安全责任事故……符合“绿色门槛”制度。
"""
import datetime as dt

import pytest

from tests.conftest import kinds, res

from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE


DOC = "linqing_2022_bearing"
AS_OF = dt.date(2023, 1, 1)  # inside the trial year 2022-10-15 .. 2023-10-14

R1 = "linqing_2022_bearing.r1.tech_sme"
R2 = "linqing_2022_bearing.r2.high_tech"
R3 = "linqing_2022_bearing.r3.platform"
R4 = "linqing_2022_bearing.r4.rd_deduction"
R5_INV = "linqing_2022_bearing.r5.invention_patent"
R5_UTIL = "linqing_2022_bearing.r5.utility_patent"
R6 = "linqing_2022_bearing.r6.key_project_match"
R7 = "linqing_2022_bearing.r7.tech_acquisition"
R8_PROV = "linqing_2022_bearing.r8.provincial_incubator"
R8_NAT = "linqing_2022_bearing.r8.national_incubator"
R9 = "linqing_2022_bearing.r9.tech_contract"
R10 = "linqing_2022_bearing.r10.science_vice_president"
REWARD_ENTRIES = [R1, R2, R3, R4, R5_INV, R5_UTIL, R6, R7, R8_PROV, R8_NAT,
                  "linqing_2022_bearing.r8.professional_maker_space", R9, R10]

# A bearing enterprise above scale that meets all three reward conditions of 三（二）:
# rd_ratio 6 ≥ 5, 亩产 B ∈ {A, B, C}, green threshold met.
ABOVE_SCALE = {
    "region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True,
    "above_scale": True, "rd_ratio": 6, "mu_efficiency_grade": "B", "green_threshold_met": True,
}
# A bearing enterprise below scale that is a 科技型中小企业 this year (first time in the registry).
BELOW_SCALE_SME = {**ABOVE_SCALE, "above_scale": False, "tech_sme_status": "first"}
# 三（四）3（1）产值过亿元 → 100% of a 新增地方财力 of 5000万: a cap of 5000万 that none of the
# examples about 就高不重复 below reaches, so those examples show the stacking alone.
CAP_NOT_REACHED = {"output_value": 200_000_000, "new_local_fiscal_revenue": 50_000_000}


def doc_result(m, doc_id=DOC):
    return next(d for d in m.documents if d.document.id == doc_id)


# ---- 奖励标准1: 科技型中小企业 -------------------------------------------------------------
# 1.对首次成为国家科技型中小企业的，一次性奖励5万元。对连续通过认定的，一次性奖励2万元。
#   中断后再次认定的企业奖励1万元。
@pytest.mark.parametrize("status, expected", [
    ("first", 50_000),        # 首次 → 5万元
    ("consecutive", 20_000),  # 连续通过认定 → 2万元
    ("after_lapse", 10_000),  # 中断后再次认定 → 1万元
])
def test_r1_tech_sme_tiers(eng, status, expected):
    """A below-scale bearing tech SME (奖励对象 “规模以下科技型中小企业”) meeting 三（二）."""
    m = eng.match({**BELOW_SCALE_SME, "tech_sme_status": status}, AS_OF)
    r = res(m, R1)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_r1_not_in_registry_this_year_gets_nothing(eng):
    """Above-scale (so still an 奖励对象) but not a 科技型中小企业 this year: none of 首次/连续/中断后再次
    applies, so 奖励标准1 pays nothing."""
    m = eng.match({**ABOVE_SCALE, "tech_sme_status": "none"}, AS_OF)
    r = res(m, R1)
    assert r.verdict == NOT_ELIGIBLE
    assert [f.fact for f in r.findings if f.kind == "failed"] == ["tech_sme_status"]


# ---- 奖励标准2: 高新技术企业 ----------------------------------------------------------------
# 2.对首次通过认定高新技术企业的，一次性奖励10万元。对连续通过认定的，一次性奖励5万元。
#   中断后再次认定的企业奖励3万元。
@pytest.mark.parametrize("status, expected", [
    ("first", 100_000),       # 首次 → 10万元
    ("consecutive", 50_000),  # 连续通过认定 → 5万元
    ("after_lapse", 30_000),  # 中断后再次认定 → 3万元
])
def test_r2_high_tech_tiers(eng, status, expected):
    m = eng.match({**ABOVE_SCALE, "high_tech_status": status}, AS_OF)
    r = res(m, R2)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


@pytest.mark.parametrize("status", ["valid_earlier", "none"])
def test_r2_no_certification_event_this_year(eng, status):
    """The reward is for passing certification (首次/连续/中断后再次通过认定); a certificate granted in an
    earlier year and still valid, or none at all, is none of the three."""
    m = eng.match({**ABOVE_SCALE, "high_tech_status": status}, AS_OF)
    assert res(m, R2).verdict == NOT_ELIGIBLE


# ---- 三（二）奖励条件, each failing on its own ------------------------------------------------
def test_rd_ratio_exactly_5_percent_qualifies(eng):
    """1.当年研发投入占销售收入总值5%以上 — in Chinese legal usage “以上” includes the figure itself,
    so 5% meets it: eligible for 10万元 (high-tech, first)."""
    m = eng.match({**ABOVE_SCALE, "rd_ratio": 5, "high_tech_status": "first"}, AS_OF)
    r = res(m, R2)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 100_000


def test_rd_ratio_4_99_fails(eng):
    """4.99% < 5%: condition 1 fails, and only it (the other facts meet 三（二）2 and 3)."""
    m = eng.match({**ABOVE_SCALE, "rd_ratio": 4.99, "high_tech_status": "first"}, AS_OF)
    r = res(m, R2)
    assert r.verdict == NOT_ELIGIBLE
    failed = [f for f in r.findings if f.kind == "failed"]
    assert [f.fact for f in failed] == ["rd_ratio"]
    assert failed[0].actual == 4.99
    assert "5%以上" in failed[0].quote


@pytest.mark.parametrize("grade", ["A", "B", "C"])
def test_mu_grade_c_or_better_qualifies(eng, grade):
    """2.上一年度亩产效益评价中被评为C类以上 — A, B and C are “C类以上”."""
    m = eng.match({**ABOVE_SCALE, "mu_efficiency_grade": grade, "high_tech_status": "first"}, AS_OF)
    assert res(m, R2).verdict == ELIGIBLE


def test_mu_grade_d_fails(eng):
    """D is below C: condition 2 fails on its own."""
    m = eng.match({**ABOVE_SCALE, "mu_efficiency_grade": "D", "high_tech_status": "first"}, AS_OF)
    r = res(m, R2)
    assert r.verdict == NOT_ELIGIBLE
    assert [f.fact for f in r.findings if f.kind == "failed"] == ["mu_efficiency_grade"]


def test_green_threshold_not_met_fails(eng):
    """3.……符合“绿色门槛”制度 — not met: condition 3 fails on its own."""
    m = eng.match({**ABOVE_SCALE, "green_threshold_met": False, "high_tech_status": "first"}, AS_OF)
    r = res(m, R2)
    assert r.verdict == NOT_ELIGIBLE
    assert [f.fact for f in r.findings if f.kind == "failed"] == ["green_threshold_met"]


def test_not_a_bearing_enterprise_gets_no_reward(eng):
    """奖励对象：全市轴承工业企业…… — a non-bearing enterprise is outside 三（一）, so none of the
    enterprise rewards 1–10 applies, whatever else is true of it."""
    facts = {**ABOVE_SCALE, "is_bearing_enterprise": False, "high_tech_status": "first",
             "tech_sme_status": "first", "rd_deduction_amount": 4_000_000, "new_invention_patents": 3}
    m = eng.match(facts, AS_OF)
    for eid in REWARD_ENTRIES:
        r = res(m, eid)
        assert r.verdict == NOT_ELIGIBLE, eid
        assert "is_bearing_enterprise" in [f.fact for f in r.findings if f.kind == "failed"], eid


def test_below_scale_and_not_tech_sme_gets_no_reward(eng):
    """奖励对象：……规模以上企业及规模以下科技型中小企业 — a below-scale bearing enterprise that is not a
    科技型中小企业 is neither, so even a first-time 高新技术企业 gets no 奖励标准2."""
    facts = {**ABOVE_SCALE, "above_scale": False, "tech_sme_status": "none", "high_tech_status": "first"}
    m = eng.match(facts, AS_OF)
    r = res(m, R2)
    assert r.verdict == NOT_ELIGIBLE
    assert {f.fact for f in r.findings if f.kind == "failed"} == {"above_scale", "tech_sme_status"}


@pytest.mark.parametrize("unknown", ["rd_ratio", "mu_efficiency_grade", "green_threshold_met"])
def test_unknown_condition_fact_asks_for_it(eng, unknown):
    """With everything else meeting 三（二）, one unknown condition fact means the answer depends on it:
    need information, and the unknown fact is named."""
    facts = {**ABOVE_SCALE, "high_tech_status": "first"}
    del facts[unknown]
    m = eng.match(facts, AS_OF)
    r = res(m, R2)
    assert r.verdict == NEED_INFO
    assert unknown in r.missing




@pytest.mark.parametrize("unknown", ["rd_ratio", "mu_efficiency_grade", "green_threshold_met"])
def test_unknown_condition_fact_is_the_only_missing_fact(eng, unknown):
    """Above scale, so 奖励对象 is met through “规模以上企业” whatever the 科技型中小企业 status is. The only
    fact that can decide 奖励标准2 is the one unknown condition fact: missing == [that fact]."""
    facts = {**ABOVE_SCALE, "high_tech_status": "first"}
    del facts[unknown]
    m = eng.match(facts, AS_OF)
    r = res(m, R2)
    assert r.verdict == NEED_INFO
    assert r.missing == [unknown]


# ---- 奖励标准3: 平台 -------------------------------------------------------------------------
# 3.对当年新认定的国家级、省级、聊城市级创新创业平台，分别给予最高500万元、100万元、20万元奖励。
@pytest.mark.parametrize("level, cap", [("national", 5_000_000), ("provincial", 1_000_000), ("liaocheng", 200_000)])
def test_r3_platform_is_up_to(eng, level, cap):
    """“最高” — an upper figure, not a promise: no exact amount, at most 500万/100万/20万."""
    m = eng.match({**ABOVE_SCALE, "new_platform_level": level}, AS_OF)
    r = res(m, R3)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact is None
    assert r.amount.high == cap


# ---- 奖励标准4: 加计扣除 25% -----------------------------------------------------------------
# 4.对轴承企业按其享受研发费用税前加计扣除数额的25%给予奖补。
@pytest.mark.parametrize("deduction, expected", [
    (4_000_000, 1_000_000),  # 400万 × 25% = 100万
    (2_600_000, 650_000),    # 260万 × 25% = 65万
    (10_000, 2_500),         # 1万 × 25% = 2500元
])
def test_r4_quarter_of_deduction(eng, deduction, expected):
    m = eng.match({**ABOVE_SCALE, "rd_deduction_amount": deduction}, AS_OF)
    r = res(m, R4)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_r4_unknown_deduction_asks_for_it(eng):
    """The conditions hinge on having a deduction (> 0); unknown → ask for the 加计扣除数额."""
    m = eng.match(ABOVE_SCALE, AS_OF)
    r = res(m, R4)
    assert r.verdict == NEED_INFO
    assert "rd_deduction_amount" in r.missing


# ---- 奖励标准5: 专利 -------------------------------------------------------------------------
# 5.对企业当年新增授权的权属明确的自主发明专利、实用新型专利，分别每件给予5000元、500元奖励。
def test_r5_patents_per_item(eng):
    """3 invention patents × 5000元 = 15000元; 10 utility models × 500元 = 5000元."""
    m = eng.match({**ABOVE_SCALE, "new_invention_patents": 3, "new_utility_patents": 10}, AS_OF)
    inv, util = res(m, R5_INV), res(m, R5_UTIL)
    assert inv.verdict == ELIGIBLE and inv.amount.exact == 15_000
    assert util.verdict == ELIGIBLE and util.amount.exact == 5_000


def test_r5_no_new_patents(eng):
    """0 new patents: there is nothing “每件” to reward."""
    m = eng.match({**ABOVE_SCALE, "new_invention_patents": 0, "new_utility_patents": 0}, AS_OF)
    assert res(m, R5_INV).verdict == NOT_ELIGIBLE
    assert res(m, R5_UTIL).verdict == NOT_ELIGIBLE


# ---- 奖励标准6: 20%配套 ----------------------------------------------------------------------
# 6.对获得国家、省、聊城市科技重大专项和重点研发计划立项支持、且第一批资金已到位的企业，
#   按照上级财政资助额度给予20%配套奖励。
def test_r6_twenty_percent_match(eng):
    """上级财政资助 200万 × 20% = 40万."""
    m = eng.match({**ABOVE_SCALE, "key_project_level": "provincial", "key_project_grant": 2_000_000}, AS_OF)
    r = res(m, R6)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 400_000


# ---- 奖励标准7: 不低于50%，最高100万 ---------------------------------------------------------
# 7.对通过技术引进、合作开发、委托研发等方式落地见效的项目，每个项目支持额度不低于合同实际支付金额的50%，
#   支持额度最高不超过100万元。
def test_r7_at_least_half_below_cap(eng):
    """实付 120万: 不低于 120万 × 50% = 60万, 最高 100万 → between 60万 and 100万, no exact figure."""
    m = eng.match({**ABOVE_SCALE, "tech_acquisition_paid": 1_200_000}, AS_OF)
    r = res(m, R7)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact is None
    assert r.amount.low == 600_000
    assert r.amount.high == 1_000_000


def test_r7_half_above_cap(eng):
    """实付 300万: 50% = 150万 exceeds “最高不超过100万元”; the cap governs, so the support is 100万
    (at least and at most 100万)."""
    m = eng.match({**ABOVE_SCALE, "tech_acquisition_paid": 3_000_000}, AS_OF)
    r = res(m, R7)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 1_000_000  # at least and at most 100万: exactly 100万


# ---- 奖励标准8: 孵化器 -----------------------------------------------------------------------
# 8.对年度评价A类的省级科技企业孵化器（众创空间）、国家级科技企业孵化器（众创空间）分别给予20万元和50万元奖励
@pytest.mark.parametrize("level, entry_id, expected", [("provincial", R8_PROV, 200_000), ("national", R8_NAT, 500_000)])
def test_r8_incubator_rated_a(eng, level, entry_id, expected):
    m = eng.match({**ABOVE_SCALE, "incubator_level": level, "incubator_annual_rating": "A"}, AS_OF)
    r = res(m, entry_id)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_r8_incubator_rated_b_gets_nothing(eng):
    """Only 年度评价A类 is rewarded."""
    m = eng.match({**ABOVE_SCALE, "incubator_level": "national", "incubator_annual_rating": "B"}, AS_OF)
    assert res(m, R8_NAT).verdict == NOT_ELIGIBLE


# ---- 奖励标准9: 不超过2%，最高50万 -----------------------------------------------------------
# 9.对经省科技厅认定的技术开发、技术转让合同，按照年度技术合同交易额不超过2%给予补助，最高不超过50万元。
def test_r9_up_to_two_percent(eng):
    """交易额 1000万 × 2% = 20万, “不超过” → at most 20万, no exact figure."""
    m = eng.match({**ABOVE_SCALE, "tech_contract_amount": 10_000_000}, AS_OF)
    r = res(m, R9)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact is None
    assert r.amount.high == 200_000


def test_r9_cap_50_wan(eng):
    """交易额 3000万 × 2% = 60万 > 50万 → at most 50万."""
    m = eng.match({**ABOVE_SCALE, "tech_contract_amount": 30_000_000}, AS_OF)
    r = res(m, R9)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact is None
    assert r.amount.high == 500_000


# ---- 奖励标准10: 科技副总 50% ----------------------------------------------------------------
# 10.……按照企业在聘用“科技副总”期间实际发生的技术咨询费、交通费等相关费用的50%给与后补助。
def test_r10_half_of_costs(eng):
    """费用 6万 × 50% = 3万."""
    m = eng.match({**ABOVE_SCALE, "science_vice_president_costs": 60_000}, AS_OF)
    r = res(m, R10)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 30_000


# ---- 就高不重复 ------------------------------------------------------------------------------
# 同一企业在同一年度内符合本实施意见……多个补助条件的，按照“就高不重复”的原则进行补助。
def test_highest_only_keeps_the_highest(eng):
    """An above-scale bearing enterprise that is also a first-time tech SME and first-time high-tech
    enterprise, with 400万 加计扣除 and 3 + 10 patents. Its awards, worked out above:
        奖励标准4  400万 × 25%        = 1,000,000   ← highest, kept
        奖励标准2  首次高企             =   100,000
        奖励标准1  首次科小             =    50,000
        奖励标准5  3 × 5000           =    15,000
        奖励标准5  10 × 500           =     5,000
    Strict reading of 就高不重复 (one award per enterprise-year): 1,000,000.
    Lenient reading (all paid): 1,000,000 + 100,000 + 50,000 + 15,000 + 5,000 = 1,170,000."""
    facts = {**ABOVE_SCALE, **CAP_NOT_REACHED, "tech_sme_status": "first", "high_tech_status": "first",
             "rd_deduction_amount": 4_000_000, "new_invention_patents": 3, "new_utility_patents": 10}
    m = eng.match(facts, AS_OF)
    assert res(m, R4).stacking == "kept"
    for eid in (R1, R2, R5_INV, R5_UTIL):
        assert res(m, eid).stacking == "dropped", eid
    d = doc_result(m)
    assert d.sure_total == 1_000_000
    assert d.alternative_total == 1_170_000
    readings = d.stacking.readings
    assert (readings["highest_only"].sure_total, readings["highest_only"].upper_total) == (1_000_000, 1_000_000)
    assert (readings["each_paid"].sure_total, readings["each_paid"].upper_total) == (1_170_000, 1_170_000)


def test_single_award_is_not_stacked(eng):
    """One award only: nothing to compare, nothing dropped; the total is that award (首次高企 10万)."""
    m = eng.match({**ABOVE_SCALE, **CAP_NOT_REACHED, "high_tech_status": "first", "tech_sme_status": "none"}, AS_OF)
    assert res(m, R2).stacking in (None, "kept")
    assert doc_result(m).sure_total == 100_000
    assert doc_result(m).stacking is None  # nothing to choose between: one reading only


# ---- 三（四）奖励额度上限 --------------------------------------------------------------------
# 1.对规模以下科技型中小企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的50%；
# 2.对规模以上轴承企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的80%。
# 3.对符合以下条件之一的企业，奖励资金额度不超过其较上一年度新增税收形成的地方财力额度。
#   （1）产值过亿元的企业；（2）产值及利润增幅均超过26%，且单位能耗下降的企业；
#   （3）省级及以上优质企业……；（4）承担过聊城市级及以上科技研发项目的企业。
NONE_OF_THE_100_CASES = {"output_and_profit_growth_26": False, "quality_enterprise_title": False,
                         "undertook_liaocheng_project": False}


def cap_of(eng, facts):
    m = eng.match({**facts, "high_tech_status": "first"}, AS_OF)
    caps = doc_result(m).caps
    assert len(caps) == 1
    return caps[0]


def test_cap_below_scale_tech_sme_50(eng):
    """规模以下科技型中小企业, 产值 5000万 (not 过亿), none of (2)–(4): 50%.
    新增地方财力 30万 × 50% = 15万."""
    c = cap_of(eng, {**BELOW_SCALE_SME, **NONE_OF_THE_100_CASES, "output_value": 50_000_000,
                     "new_local_fiscal_revenue": 300_000})
    assert c.shares == [50]
    assert c.limit == 150_000


def test_cap_above_scale_80(eng):
    """规模以上, 产值 8000万, none of (2)–(4): 80%. 30万 × 80% = 24万."""
    c = cap_of(eng, {**ABOVE_SCALE, **NONE_OF_THE_100_CASES, "output_value": 80_000_000,
                     "new_local_fiscal_revenue": 300_000})
    assert c.shares == [80]
    assert c.limit == 240_000


def test_cap_output_over_100_million_100(eng):
    """产值 100,000,001 > 1亿: 产值过亿 → 100%. 30万 × 100% = 30万."""
    c = cap_of(eng, {**ABOVE_SCALE, **NONE_OF_THE_100_CASES, "output_value": 100_000_001,
                     "new_local_fiscal_revenue": 300_000})
    assert c.shares == [100]
    assert c.limit == 300_000


def test_cap_output_exactly_100_million_is_not_over(eng):
    """产值 exactly 100,000,000 is not “过亿” (过 = more than): back to the above-scale 80%.
    30万 × 80% = 24万."""
    c = cap_of(eng, {**ABOVE_SCALE, **NONE_OF_THE_100_CASES, "output_value": 100_000_000,
                     "new_local_fiscal_revenue": 300_000})
    assert c.shares == [80]
    assert c.limit == 240_000


@pytest.mark.parametrize("which", ["output_and_profit_growth_26", "quality_enterprise_title",
                                   "undertook_liaocheng_project"])
def test_cap_other_100_percent_cases(eng, which):
    """符合以下条件之一 (2), (3) or (4) → 100% even for a below-scale tech SME. 30万 × 100% = 30万."""
    c = cap_of(eng, {**BELOW_SCALE_SME, **NONE_OF_THE_100_CASES, which: True, "output_value": 50_000_000,
                     "new_local_fiscal_revenue": 300_000})
    assert c.shares == [100]
    assert c.limit == 300_000


def test_cap_undecided_when_100_percent_facts_unknown(eng):
    """Above scale, but whether any of (1)–(4) holds is unknown: the share is 100% or 80%, so no single
    limit can be given (base 30万 → 30万 or 24万)."""
    c = cap_of(eng, {**ABOVE_SCALE, "new_local_fiscal_revenue": 300_000})
    assert sorted(c.shares) == [80, 100]
    assert c.limit is None


# ---- 有效期 ----------------------------------------------------------------------------------
# 本实施意见自印发之日起执行，试行期一年。 (通知落款 2022年10月15日 → 2022-10-15 .. 2023-10-14)
ELIGIBLE_FIRM = {**ABOVE_SCALE, "high_tech_status": "first"}


@pytest.mark.parametrize("day", [dt.date(2022, 10, 15), dt.date(2023, 10, 14)])
def test_inside_trial_year_no_validity_caveat(eng, day):
    """First and last day of the one-year trial: neither expired nor not yet valid."""
    r = res(eng.match(ELIGIBLE_FIRM, day), R2)
    assert r.verdict == ELIGIBLE
    assert "expired" not in kinds(r)
    assert "not_yet_valid" not in kinds(r)


def test_day_after_trial_year_is_expired(eng):
    """2023-10-15 is one year and one day after 2022-10-15: the trial year is over."""
    r = res(eng.match(ELIGIBLE_FIRM, dt.date(2023, 10, 15)), R2)
    assert "expired" in kinds(r)


def test_day_before_issue_not_yet_valid(eng):
    """2022-10-14, the day before 印发 (自印发之日起执行)."""
    r = res(eng.match(ELIGIBLE_FIRM, dt.date(2022, 10, 14)), R2)
    assert "not_yet_valid" in kinds(r)
    assert "expired" not in kinds(r)


def test_trial_and_date_conflict_caveats(eng):
    """The title says （试行） and 试行期一年 → trial; 文首 2022年10月15日 vs 文末 “2021年10月15日印发” →
    date_conflict."""
    r = res(eng.match(ELIGIBLE_FIRM, AS_OF), R2)
    assert {"trial", "date_conflict"} <= kinds(r)


# ---- regions and beneficiaries ---------------------------------------------------------------
def test_qinghai_company_gets_no_bearing_entry(eng):
    """临清市 rules apply to 临清 companies only."""
    facts = {**ELIGIBLE_FIRM, "region": "qinghai"}
    m = eng.match(facts, AS_OF)
    rs = [r for r in m.results if r.entry.document.id == DOC]
    assert rs and all(r.verdict == NOT_APPLICABLE for r in rs)
    assert DOC not in {d.document.id for d in m.documents}


def test_individual_talent_award_not_for_enterprise(eng):
    """11.对经我市自主培养并成功入选国家、省部级高层次人才工程的 (个人) — not an enterprise award."""
    m = eng.match(ELIGIBLE_FIRM, AS_OF)
    assert res(m, "linqing_2022_bearing.r11.self_trained_talent").verdict == NOT_APPLICABLE


def test_elsewhere_company_nothing_applies(eng):
    """A company outside 临清 and 青海: no document applies; every entry of every table is not applicable."""
    m = eng.match({"region": "elsewhere", "entity_type": "enterprise", "high_tech_status": "first"}, AS_OF)
    assert m.results
    assert all(r.verdict == NOT_APPLICABLE for r in m.results)
    assert m.documents == []


# ---- 就高不重复 with an amount that is only a range ----------------------------------------------


def test_highest_only_with_up_to_award_keeps_the_sure_floor(eng):
    """2.对首次通过认定高新技术企业的，一次性奖励10万元  → exactly 100,000.
    3.对当年新认定的……聊城市级创新创业平台，分别给予最高……20万元奖励 → some X with 0 < X ≤ 200,000.
    就高不重复 (strict reading): the company gets max(100,000, X), which is at least 100,000 whatever X is
    and at most 200,000. So the sure amount is 100,000, not 0."""
    m = eng.match({**ABOVE_SCALE, **CAP_NOT_REACHED, "high_tech_status": "first", "new_platform_level": "liaocheng"}, AS_OF)
    d = doc_result(m)
    assert d.upper_total == 200_000
    assert d.sure_total == 100_000


def test_highest_only_with_at_least_award_keeps_the_sure_floor(eng):
    """4.……加计扣除数额的25%: 160万 × 25% = 400,000 exactly.
    7.……不低于合同实际支付金额的50%，支持额度最高不超过100万元: 实付 20万 → some X with 100,000 ≤ X ≤ 1,000,000.
    Strict 就高不重复: max(400,000, X) ≥ 400,000 → the company is sure of 400,000, at most 1,000,000."""
    m = eng.match({**ABOVE_SCALE, **CAP_NOT_REACHED, "rd_deduction_amount": 1_600_000, "tech_acquisition_paid": 200_000},
                  AS_OF)
    d = doc_result(m)
    assert d.upper_total == 1_000_000
    assert d.sure_total == 400_000


# ---- the total cap and the sure total --------------------------------------------------------------


def test_sure_total_never_exceeds_a_known_cap(eng):
    """Above scale, 产值 8000万, none of the 100% cases → 80%; 新增地方财力 30万 × 80% = 24万.
    Its one award (strict 就高不重复): 4.加计扣除 400万 × 25% = 100万.
    2.对规模以上轴承企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的80%。
    → the company can receive at most min(100万, 24万) = 24万."""
    facts = {**ABOVE_SCALE, **NONE_OF_THE_100_CASES, "output_value": 80_000_000,
             "new_local_fiscal_revenue": 300_000, "rd_deduction_amount": 4_000_000}
    m = eng.match(facts, AS_OF)
    d = doc_result(m)
    assert d.caps[0].limit == 240_000
    assert d.sure_total == 240_000
    assert d.upper_total == 240_000
    assert d.uncapped_total == 1_000_000


# ---- 三（四）资金来源和奖励额度: the cap applied to the total ------------------------------------
# 1.对规模以下科技型中小企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的50%；
# 2.对规模以上轴承企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的80%。
# 3.对符合以下条件之一的企业，奖励资金额度不超过其较上一年度新增税收形成的地方财力额度。
#   （1）产值过亿元的企业；（2）产值及利润增幅均超过26%，且单位能耗下降的企业；
#   （3）省级及以上优质企业，包括专精特新、单项冠军、瞪羚企业和独角兽企业；
#   （4）承担过聊城市级及以上科技研发项目的企业。
# “不超过” caps what the enterprise receives in all: it receives min(its awards, the cap).
ALL_FOUR_FALSE = {"output_value": 50_000_000, **NONE_OF_THE_100_CASES}  # 产值5000万: not 过亿
BIG_DEDUCTION = {"rd_deduction_amount": 120_000_000, "new_local_fiscal_revenue": 1_000_000,
                 "high_tech_status": "none", "tech_sme_status": "none"}


def test_cap_undecided_share_bounds_both_totals(eng):
    """The testers' profile: above scale, 加计扣除 1.2亿 → 奖励标准4: 1.2亿 × 25% = 3000万; 新增地方财力 100万;
    whether any of (1)–(4) holds is not known. The share is 80% (规模以上) or 100% (one of (1)–(4)):
    the enterprise is sure of min(3000万, 100万 × 80%) = 80万 and receives at most min(3000万, 100万) = 100万.
    The facts that decide are those of (1)–(4)."""
    m = eng.match({**ABOVE_SCALE, **BIG_DEDUCTION}, AS_OF)
    assert res(m, R4).amount.exact == 30_000_000
    d = doc_result(m)
    assert d.uncapped_total == 30_000_000
    assert d.sure_total == 800_000
    assert d.upper_total == 1_000_000
    assert d.uncertain
    c = d.caps[0]
    assert sorted(c.shares) == [80, 100]
    assert (c.limit_min, c.limit_max, c.limit) == (800_000, 1_000_000, None)
    assert {"output_value", "output_and_profit_growth_26", "quality_enterprise_title",
            "undertook_liaocheng_project"} == set(c.missing)
    assert any("产值过亿元" in t for t in c.open_conditions)
    assert any("专精特新" in t for t in c.open_conditions)


def test_cap_80_percent_decided(eng):
    """Same enterprise, none of (1)–(4): 80% only → exactly 100万 × 80% = 80万."""
    m = eng.match({**ABOVE_SCALE, **BIG_DEDUCTION, **ALL_FOUR_FALSE}, AS_OF)
    d = doc_result(m)
    assert (d.sure_total, d.upper_total, d.uncertain) == (800_000, 800_000, False)
    assert d.caps[0].missing == []


@pytest.mark.parametrize("which", [{"output_value": 100_000_001}, {"quality_enterprise_title": True},
                                   {"output_and_profit_growth_26": True}, {"undertook_liaocheng_project": True}])
def test_cap_100_percent_decided(eng, which):
    """One of (1)–(4) holds → the full 新增地方财力: exactly 100万, whatever the other three are."""
    m = eng.match({**ABOVE_SCALE, **BIG_DEDUCTION, **which}, AS_OF)
    d = doc_result(m)
    assert (d.sure_total, d.upper_total) == (1_000_000, 1_000_000)


def test_cap_below_scale_tech_sme(eng):
    """规模以下科技型中小企业 (首次入库), 加计扣除 200万: 奖励标准4 200万 × 25% = 50万 and 奖励标准1 5万;
    strict 就高不重复 → 50万. 新增地方财力 30万, none of (1)–(4): 30万 × 50% = 15万 → 15万."""
    facts = {**BELOW_SCALE_SME, **ALL_FOUR_FALSE, "rd_deduction_amount": 2_000_000,
             "new_local_fiscal_revenue": 300_000}
    d = doc_result(eng.match(facts, AS_OF))
    assert d.uncapped_total == 500_000
    assert (d.sure_total, d.upper_total) == (150_000, 150_000)


def test_cap_below_scale_tech_sme_undecided(eng):
    """The same, (1)–(4) unknown: 50% or 100% of 30万 → sure 15万, at most 30万."""
    facts = {**BELOW_SCALE_SME, "rd_deduction_amount": 2_000_000, "new_local_fiscal_revenue": 300_000}
    d = doc_result(eng.match(facts, AS_OF))
    assert sorted(d.caps[0].shares) == [50, 100]
    assert (d.sure_total, d.upper_total) == (150_000, 300_000)


def test_cap_with_scale_unknown(eng):
    """A first-time 科技型中小企业 whose scale is unknown is an 奖励对象 either way (规模以上企业, or 规模以下
    科技型中小企业), so the share may be 50%, 80% or 100%: of 30万 → sure 15万, at most 30万."""
    facts = {**BELOW_SCALE_SME, "rd_deduction_amount": 2_000_000, "new_local_fiscal_revenue": 300_000}
    del facts["above_scale"]
    d = doc_result(eng.match(facts, AS_OF))
    assert sorted(d.caps[0].shares) == [50, 80, 100]
    assert (d.sure_total, d.upper_total) == (150_000, 300_000)
    assert "above_scale" in d.caps[0].missing


def test_cap_reached_exactly(eng):
    """The edge: 加计扣除 320万 × 25% = 80万 = 新增地方财力 100万 × 80%. The cap allows exactly what is
    awarded: 80万, and nothing is cut."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "rd_deduction_amount": 3_200_000, "new_local_fiscal_revenue": 1_000_000}
    d = doc_result(eng.match(facts, AS_OF))
    assert d.uncapped_total == 800_000
    assert (d.sure_total, d.upper_total) == (800_000, 800_000)


def test_cap_one_yuan_over(eng):
    """加计扣除 3,200,004 × 25% = 800,001 > 80万: one yuan is cut."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "rd_deduction_amount": 3_200_004, "new_local_fiscal_revenue": 1_000_000}
    d = doc_result(eng.match(facts, AS_OF))
    assert d.uncapped_total == 800_001
    assert d.sure_total == 800_000


def test_cap_not_reached_changes_nothing(eng):
    """加计扣除 100万 × 25% = 25万 < 100万 × 80% = 80万: the award is paid in full."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "rd_deduction_amount": 1_000_000, "new_local_fiscal_revenue": 1_000_000}
    d = doc_result(eng.match(facts, AS_OF))
    assert (d.sure_total, d.upper_total) == (250_000, 250_000)


def test_no_new_local_revenue_no_reward(eng):
    """新增地方财力 0: 80% of 0 is 0, so the awards (here 25万) cannot be paid from 三（四）."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "rd_deduction_amount": 1_000_000, "new_local_fiscal_revenue": 0}
    d = doc_result(eng.match(facts, AS_OF))
    assert (d.sure_total, d.upper_total) == (0, 0)


def test_unknown_local_revenue_nothing_is_sure(eng):
    """新增地方财力 not known: the cap could be as low as 0, so nothing is sure yet; the most is the awards
    themselves (加计扣除 100万 × 25% = 25万). The assistant asks for the 新增地方财力."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "rd_deduction_amount": 1_000_000}
    m = eng.match(facts, AS_OF)
    d = doc_result(m)
    assert (d.sure_total, d.upper_total, d.uncapped_total) == (0, 250_000, 250_000)
    assert d.caps[0].missing == ["new_local_fiscal_revenue"]
    assert "new_local_fiscal_revenue" in m.next_facts


def test_cap_applies_under_both_readings_of_highest_only(eng):
    """首次高企 10万 + 首次科小 5万 + 加计扣除 400万 × 25% = 100万. 新增地方财力 100万, none of (1)–(4):
    cap 80万. Strict reading min(100万, 80万) = 80万; each paid: min(115万, 80万) = 80万.
    With one of (1)–(4) (承担过聊城市级项目) the cap is 100万: strict 100万, each paid min(115万, 100万) = 100万."""
    facts = {**ABOVE_SCALE, **ALL_FOUR_FALSE, "high_tech_status": "first", "tech_sme_status": "first",
             "rd_deduction_amount": 4_000_000, "new_local_fiscal_revenue": 1_000_000}
    r = doc_result(eng.match(facts, AS_OF)).stacking.readings
    assert (r["highest_only"].sure_total, r["each_paid"].sure_total) == (800_000, 800_000)
    assert (r["highest_only"].uncapped_sure_total, r["each_paid"].uncapped_sure_total) == (1_000_000, 1_150_000)
    r = doc_result(eng.match({**facts, "undertook_liaocheng_project": True}, AS_OF)).stacking.readings
    assert (r["highest_only"].sure_total, r["each_paid"].sure_total) == (1_000_000, 1_000_000)
    facts = {**facts, "undertook_liaocheng_project": True, "new_local_fiscal_revenue": 2_000_000}
    r = doc_result(eng.match(facts, AS_OF)).stacking.readings
    assert (r["highest_only"].sure_total, r["each_paid"].sure_total) == (1_000_000, 1_150_000)


# ---- 就高不重复 in the JSON verdicts ------------------------------------------------------------------
def test_both_readings_in_the_json(eng):
    """同一企业在同一年度内符合……多个补助条件的，按照“就高不重复”的原则进行补助 — the text does not say which awards
    are “the same”: the JSON gives the totals under both readings, the headline follows the strict one, and
    the note names 市科技局 (市科技局牵头抓好政策落实). 首次高企 10万 + 平台（聊城市级）最高20万:
    strict: sure max(10万, 0) = 10万, at most 20万; each paid: sure 10万, at most 30万."""
    from huiqi.engine import result_json
    facts = {**ABOVE_SCALE, **CAP_NOT_REACHED, "high_tech_status": "first", "new_platform_level": "liaocheng"}
    j = next(d for d in result_json(eng.match(facts, AS_OF), eng.cat.vocab)["documents"] if d["id"] == DOC)
    st = j["stacking"]
    assert st["headline"] == "highest_only"
    assert (j["sure_total"], j["upper_total"]) == (100_000, 200_000)
    assert (st["readings"]["highest_only"]["sure_total"], st["readings"]["highest_only"]["upper_total"]) == (100_000, 200_000)
    assert (st["readings"]["each_paid"]["sure_total"], st["readings"]["each_paid"]["upper_total"]) == (100_000, 300_000)
    assert (j["alternative_total"], j["alternative_upper_total"]) == (100_000, 300_000)
    assert st["ask"] == "市科技局" and "市科技局" in st["note"]
    assert "哪些奖励属于同一项补助" in st["note"]
    assert "就高不重复" in st["quote"]


# ---- departments: 奖励标准 name none -----------------------------------------------------------------
# 二、重点任务 each end with （责任部门：…）; 三、奖励政策 names none. 四（二）: 市科技局牵头抓好政策落实;
# 本实施意见由市科技局、市财政局负责解释.
def test_reward_departments_are_marked_inferred(eng):
    for e in eng.cat.entries:
        if e.document.id != DOC:
            continue
        if e.measure.startswith("奖励标准"):
            assert e.departments.inferred, e.id
            assert e.departments.lead == ("市科技局",), e.id
        else:
            assert not e.departments.inferred, e.id


def test_patent_reward_lists_the_market_supervision_bureau(eng):
    """7.鼓励企业发明创造。鼓励企业加强知识产权创造运用……（责任部门：市市场监督管理局） — the patent
    reward (奖励标准5) lists it beside the lead 市科技局."""
    for eid in (R5_INV, R5_UTIL):
        d = eng.cat.entry(eid).departments
        assert d.lead == ("市科技局",) and "市市场监督管理局" in d.co and d.inferred
        assert "（本条原文未写明责任部门" in d.text()


# ---- amounts worded as the text words them ------------------------------------------------------------
def test_after_lapse_tier_is_not_called_one_time(eng):
    """1.……对连续通过认定的，一次性奖励2万元。中断后再次认定的企业奖励1万元。 — only the first two tiers are
    worded “一次性”."""
    a = res(eng.match({**BELOW_SCALE_SME, "tech_sme_status": "after_lapse"}, AS_OF), R1).amount
    assert (a.exact, a.text) == (10_000, "1万元")
    a = res(eng.match({**BELOW_SCALE_SME, "tech_sme_status": "consecutive"}, AS_OF), R1).amount
    assert (a.exact, a.text) == (20_000, "一次性2万元")
    a = res(eng.match({**ABOVE_SCALE, "high_tech_status": "after_lapse"}, AS_OF), R2).amount
    assert (a.exact, a.text) == (30_000, "3万元")


def test_rd_deduction_reward_is_not_called_yearly(eng):
    """4.对轴承企业按其享受研发费用税前加计扣除数额的25%给予奖补。 — no “每年” in the text."""
    a = res(eng.match({**ABOVE_SCALE, "rd_deduction_amount": 4_000_000}, AS_OF), R4).amount
    assert a.text == "100万元" and "每年" not in eng.cat.entry(R4).amount.compute({}).text
