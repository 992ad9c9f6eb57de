"""Worked examples for 《青海省关于优化科技创新体系提升科技创新供给能力的若干政策措施》
(rules/sources/qinghai_2020_measures.txt, 印发 2020年6月23日, “本措施自发布之日起施行”, no end date).

Every expected value below was worked out by hand from the sentence quoted next to it, not read
off the engine. Money is whole yuan; a fraction of a yuan is rounded to the nearest yuan.
"""
import datetime as dt

import pytest

from tests.conftest import kinds, res

from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE


DOC = "qinghai_2020_measures"
AS_OF = dt.date(2023, 1, 1)
QH = {"region": "qinghai", "entity_type": "enterprise"}

HIGH_TECH_NEW = "qinghai_2020_measures.m01.high_tech_new"
LITTLE_GIANT = "qinghai_2020_measures.m01.little_giant"
RD_DEDUCTION = "qinghai_2020_measures.m02.rd_deduction"
TECH_INTRO = "qinghai_2020_measures.m02.tech_introduction"
STANDARD = "qinghai_2020_measures.m02.standard"
PLATFORM = "qinghai_2020_measures.m05.transfer_platform"
TRANSFEREE_IN = "qinghai_2020_measures.m06.transferee_in_province"
TRANSFEREE_OUT = "qinghai_2020_measures.m06.transferee_outside"
KEY_PLATFORM = "qinghai_2020_measures.m16.national_key_platform"
PROPERTY_TAX = "qinghai_2020_measures.m17.property_land_tax"
INCUBATION_VAT = "qinghai_2020_measures.m17.incubation_vat"
PHD = "qinghai_2020_measures.m08.phd_settlement"




# ---- (一) 新认定高企 10万, 小巨人 再奖励90万 ---------------------------------------------------
# 对新认定的高新技术企业奖励10万元,对高新技术企业中认定为“省级科技小巨人”的企业,再奖励90万元
def test_new_high_tech_first_certification_10_wan(eng):
    """首次认定 is certainly “新认定”: 10万元 = 100,000."""
    r = res(eng.match({**QH, "high_tech_status": "first"}, AS_OF), HIGH_TECH_NEW)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 100_000


@pytest.mark.parametrize("status", ["consecutive", "after_lapse"])
def test_new_high_tech_reaccreditation_is_unsettled(eng, status):
    """Whether a re-accreditation (连续 / 中断后再次认定) counts as “新认定” the text does not say: the
    answer is “need information”, with an *unsettled* finding on high_tech_status (not a missing fact:
    the fact is known, the text is what is open)."""
    r = res(eng.match({**QH, "high_tech_status": status}, AS_OF), HIGH_TECH_NEW)
    assert r.verdict == NEED_INFO
    unsettled = [f for f in r.findings if f.kind == "unsettled"]
    assert [f.fact for f in unsettled] == ["high_tech_status"]
    assert unsettled[0].ask == "省科技厅"
    assert r.missing == []


def test_new_high_tech_not_a_high_tech_enterprise(eng):
    r = res(eng.match({**QH, "high_tech_status": "none"}, AS_OF), HIGH_TECH_NEW)
    assert r.verdict == NOT_ELIGIBLE


def test_little_giant_90_wan(eng):
    """A 高新技术企业 (certificate valid) 认定为“省级科技小巨人”: 再奖励90万元 = 900,000."""
    r = res(eng.match({**QH, "high_tech_status": "valid_earlier", "provincial_little_giant": True}, AS_OF),
            LITTLE_GIANT)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 900_000


def test_little_giant_must_be_high_tech(eng):
    """“高新技术企业中”认定为小巨人 — a 小巨人 that is not a 高新技术企业 is outside the sentence."""
    r = res(eng.match({**QH, "high_tech_status": "none", "provincial_little_giant": True}, AS_OF), LITTLE_GIANT)
    assert r.verdict == NOT_ELIGIBLE


# ---- (二) 加计扣除免税额 10%, 最高200万 ----------------------------------------------------------
# 对高新技术企业和科技型企业按照当年研发费用加计扣除免税额的10%给予最高不超过200万元奖补。
@pytest.mark.parametrize("exemption, expected", [
    (3_000_000, 300_000),       # 300万 × 10% = 30万
    (19_999_990, 1_999_999),    # 19,999,990 × 10% = 1,999,999 < 200万
    (20_000_000, 2_000_000),    # 20,000,000 × 10% = 2,000,000 = the cap exactly
    (20_000_010, 2_000_000),    # 20,000,010 × 10% = 2,000,001 > 200万 → 2,000,000
])
def test_rd_deduction_tenth_of_exemption_capped(eng, exemption, expected):
    r = res(eng.match({**QH, "high_tech_status": "first", "rd_deduction_tax_exemption": exemption}, AS_OF),
            RD_DEDUCTION)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_rd_deduction_base_is_the_exemption_not_the_deduction(eng):
    """The base is the 免税额; knowing only the 加计扣除数额 decides nothing: the award rewards a 免税额, so
    without it the answer needs information (at most 200万), and the assistant asks for
    rd_deduction_tax_exemption."""
    r = res(eng.match({**QH, "high_tech_status": "first", "rd_deduction_amount": 8_000_000}, AS_OF), RD_DEDUCTION)
    assert r.verdict == NEED_INFO
    assert r.missing == ["rd_deduction_tax_exemption"]
    assert r.amount.exact is None
    assert r.amount.high == 2_000_000


def test_rd_deduction_no_exemption_no_award(eng):
    """A 高新技术企业 with no 免税额: 10% of nothing — not eligible (not “eligible for 0”)."""
    r = res(eng.match({**QH, "high_tech_status": "first", "rd_deduction_tax_exemption": 0}, AS_OF), RD_DEDUCTION)
    assert r.verdict == NOT_ELIGIBLE


def test_rd_deduction_neither_high_tech_nor_registered_is_unsettled(eng):
    """“科技型企业” is not defined in the text: a firm that is neither a 高新技术企业 nor a registered 科技型中小企业
    might still be one → need information with an unsettled finding (not a flat no)."""
    r = res(eng.match({**QH, "high_tech_status": "none", "tech_sme_status": "none",
                       "rd_deduction_tax_exemption": 1_000_000}, AS_OF), RD_DEDUCTION)
    assert r.verdict == NEED_INFO
    assert any(f.kind == "unsettled" for f in r.findings)


# 择优按转移转化项目研发总投入的20%,给予不高于企业三年累计缴税总额,最高200万元的财政资金补助
def test_tech_introduction_limited_by_tax_paid(eng):
    """研发总投入 500万 × 20% = 100万; 不高于三年累计缴税 80万 → 80万 (最高200万 not reached)."""
    r = res(eng.match({**QH, "tech_introduction_rd_investment": 5_000_000, "three_year_tax_total": 800_000}, AS_OF),
            TECH_INTRO)
    assert r.verdict == ELIGIBLE
    assert (r.amount.exact if r.amount.exact is not None else r.amount.high) == 800_000


# 对主导制定或修订国家标准的企业,给予50万元一次性奖励;主导制定或修订国际标准的,给予100万元一次性奖励。
@pytest.mark.parametrize("standard, expected", [("national", 500_000), ("international", 1_000_000)])
def test_standard_awards(eng, standard, expected):
    r = res(eng.match({**QH, "standard_led": standard}, AS_OF), STANDARD)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_no_standard_no_award(eng):
    assert res(eng.match({**QH, "standard_led": "none"}, AS_OF), STANDARD).verdict == NOT_ELIGIBLE


# ---- (五) 成果转化平台: 1000万(含)以内1.5%, 以上部分1%, 每年最高100万 --------------------------
# 年度技术交易额度在1000万元 (含)以内的,给予1.5%的补助;1000万元以上的部分,给予1%的补助,
# 每个平台每年最高补助100万元。
@pytest.mark.parametrize("volume, expected", [
    (9_999_999, 150_000),     # 9,999,999 × 1.5% = 149,999.985 → 150,000 (nearest yuan)
    (10_000_000, 150_000),    # 10,000,000 × 1.5% = 150,000; nothing “以上”
    (10_000_001, 150_000),    # 150,000 + 1 × 1% = 150,000.01 → 150,000
    (20_000_000, 250_000),    # 150,000 + 10,000,000 × 1% = 250,000
    (95_000_000, 1_000_000),  # 150,000 + 85,000,000 × 1% = 1,000,000: exactly the cap
    (120_000_000, 1_000_000), # 150,000 + 110,000,000 × 1% = 1,250,000 → 1,000,000
])
def test_transfer_platform_brackets(eng, volume, expected):
    # issue 8: “促成不低于3项科技成果在省内转化” is a fact of its own (3 results: enough)
    r = res(eng.match({**QH, "transfer_platform_trade_volume": volume, "results_transferred_in_qinghai": 3}, AS_OF),
            PLATFORM)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


# ---- (六) 技术成果交易 20%, 每项最高100万 ----------------------------------------------------
# 对科技成果来源于省内高校、科研机构并在省内转化的项目,分别给予成果出让方和成果受让方各20%的财政资金补助,
# 每个项目最高补助100万元;对科技成果来源于省外并落地成功转化的,给予成果受让方20%的财政资金补助,每项最高补助100万元。
@pytest.mark.parametrize("role, entry_id", [("transferee_from_qinghai", TRANSFEREE_IN),
                                            ("transferee_from_outside", TRANSFEREE_OUT)])
@pytest.mark.parametrize("amount, expected", [
    (3_000_000, 600_000),    # 300万 × 20% = 60万
    (5_000_000, 1_000_000),  # 500万 × 20% = 100万 = the cap exactly
    (6_000_000, 1_000_000),  # 600万 × 20% = 120万 → 100万
])
def test_tech_deal_twenty_percent(eng, role, entry_id, amount, expected):
    facts = {**QH, "tech_deal_role": role, "tech_deal_converted_in_qinghai": True, "tech_deal_amount": amount}
    r = res(eng.match(facts, AS_OF), entry_id)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_tech_deal_not_converted_in_qinghai(eng):
    """“并在省内转化” — a deal converted outside Qinghai gets nothing."""
    facts = {**QH, "tech_deal_role": "transferee_from_qinghai", "tech_deal_converted_in_qinghai": False,
             "tech_deal_amount": 3_000_000}
    assert res(eng.match(facts, AS_OF), TRANSFEREE_IN).verdict == NOT_ELIGIBLE


# ---- (十六) 国家级平台 每年200万, 不超过5年 ------------------------------------------------------
# 对新认定的省部共建或企业国家重点实验室、国家技术创新中心……建设期内给予每年200万元的建设与运行经费支持,
# 支持期限不超过5年。
def test_national_key_platform_yearly_for_five_years(eng):
    r = res(eng.match({**QH, "new_national_key_platform": True}, AS_OF), KEY_PLATFORM)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 2_000_000  # 每年200万
    assert r.amount.per == "yearly"
    assert r.amount.years == 5          # 支持期限不超过5年 → at most 5 × 200万 = 1000万 in all


# ---- (十七) 2019-01-01 .. 2021-12-31 税收优惠 ---------------------------------------------------
# 自2019年1月1日至2021年12月31日,对国家级、省级科技企业孵化器、大学科技园和国家备案众创空间自用以及……
# 提供给在孵对象使用的房产、土地,免征房产税和城镇土地使用税;对其向在孵对象提供孵化服务取得的收入,免征增值税。
NATIONAL_INCUBATOR = {**QH, "incubator_kind": "incubator", "incubator_level": "national"}


@pytest.mark.parametrize("entry_id", [PROPERTY_TAX, INCUBATION_VAT])
def test_incubator_tax_exemption_expired_in_2026(eng, entry_id):
    """The firm meets the sentence (a 国家级 incubator), but on 2026-11-23 the period ended long ago:
    eligible by the conditions, with an `expired` caveat."""
    r = res(eng.match(NATIONAL_INCUBATOR, dt.date(2026, 11, 23)), entry_id)
    assert r.verdict == ELIGIBLE
    assert "expired" in kinds(r)


@pytest.mark.parametrize("entry_id", [PROPERTY_TAX, INCUBATION_VAT])
def test_incubator_tax_exemption_last_day(eng, entry_id):
    """2021-12-31 is the last day of “至2021年12月31日”: still within the period."""
    r = res(eng.match(NATIONAL_INCUBATOR, dt.date(2021, 12, 31)), entry_id)
    assert r.verdict == ELIGIBLE
    assert "expired" not in kinds(r)
    assert "not_yet_valid" not in kinds(r)


@pytest.mark.parametrize("entry_id", [PROPERTY_TAX, INCUBATION_VAT])
def test_incubator_tax_exemption_day_after(eng, entry_id):
    """2022-01-01: the day after the period."""
    r = res(eng.match(NATIONAL_INCUBATOR, dt.date(2022, 1, 1)), entry_id)
    assert "expired" in kinds(r)


def test_provincial_maker_space_not_in_tax_exemption(eng):
    """The sentence names 国家级、省级 incubators and 大学科技园 but only *国家备案* 众创空间: a provincial
    maker space is not covered."""
    facts = {**QH, "incubator_kind": "maker_space", "incubator_level": "provincial"}
    assert res(eng.match(facts, dt.date(2021, 6, 1)), PROPERTY_TAX).verdict == NOT_ELIGIBLE


# ---- validity of the document ----------------------------------------------------------------
# 本措施自发布之日起施行 — no end date.
def test_ordinary_entry_has_no_end_date_caveat(eng):
    r = res(eng.match({**QH, "high_tech_status": "first"}, dt.date(2026, 11, 23)), HIGH_TECH_NEW)
    assert r.verdict == ELIGIBLE
    assert "no_end_date" in kinds(r)
    assert "expired" not in kinds(r)


def test_before_publication_not_yet_valid(eng):
    """2020-06-22, the day before 2020年6月23日."""
    r = res(eng.match({**QH, "high_tech_status": "first"}, dt.date(2020, 6, 22)), HIGH_TECH_NEW)
    assert "not_yet_valid" in kinds(r)


# ---- beneficiaries and regions ------------------------------------------------------------------
# 对于符合条件的博士研究生、硕士研究生分别给予一次性40万元和10万元税后特殊支持(安家费)。
def test_phd_settlement_not_for_an_enterprise(eng):
    """安家费 is paid to a person, not to a company."""
    r = res(eng.match({**QH, "academic_degree": "phd"}, AS_OF), PHD)
    assert r.verdict == NOT_APPLICABLE


def test_phd_settlement_for_an_individual(eng):
    """For the person who meets the provincial talent policy's conditions: 博士研究生 40万元 = 400,000."""
    r = res(eng.match({"region": "qinghai", "entity_type": "individual", "academic_degree": "phd",
                       "qinghai_talent_policy_met": True}, AS_OF), PHD)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == 400_000


def test_phd_degree_alone_is_not_enough(eng):
    """依据全省人才政策,对于符合条件的博士研究生 — the degree alone does not decide: the conditions are in the
    provincial talent policy, which this text does not list. Need information, not a promise of 40万."""
    r = res(eng.match({"region": "qinghai", "entity_type": "individual", "academic_degree": "phd"}, AS_OF), PHD)
    assert r.verdict == NEED_INFO
    assert r.missing == ["qinghai_talent_policy_met"]


def test_linqing_company_gets_no_qinghai_entry(eng):
    facts = {"region": "linqing", "entity_type": "enterprise", "high_tech_status": "first",
             "standard_led": "national", "new_national_key_platform": True}
    m = eng.match(facts, AS_OF)
    rs = [r for r in m.results if r.entry.document.id == DOC]
    assert rs and all(r.verdict == NOT_APPLICABLE for r in rs)
    assert DOC not in {d.document.id for d in m.documents}


def test_elsewhere_company_gets_no_qinghai_entry(eng):
    m = eng.match({"region": "elsewhere", "entity_type": "enterprise", "high_tech_status": "first"}, AS_OF)
    rs = [r for r in m.results if r.entry.document.id == DOC]
    assert rs and all(r.verdict == NOT_APPLICABLE for r in rs)
    assert m.documents == []


# ---- cash entries must require the thing they pay for ----------------------------------------------
PLATFORM_POST = "qinghai_2020_measures.m03.platform_post_subsidy"
STABLE_PILOT = "qinghai_2020_measures.m12.stable_support_pilot"
TRANSFEROR = "qinghai_2020_measures.m06.transferor_in_province"
ZONE_RANK = "qinghai_2020_measures.m11.national_zone_rank"
ZONE_FIRST = "qinghai_2020_measures.m11.provincial_zone_first"
TRANSFER_AGENCY = "qinghai_2020_measures.m04.transfer_agency"
INCUBATOR_AWARD = "qinghai_2020_measures.m17.incubator_award"


@pytest.mark.parametrize("facts", [
    {"region": "qinghai", "entity_type": "individual", "academic_degree": "phd"},
    {"region": "qinghai", "entity_type": "university"},
    {"region": "qinghai", "entity_type": "research_institute"},
    {"region": "qinghai", "entity_type": "enterprise", "high_tech_status": "first"},
])
def test_no_cash_award_without_its_facts(eng, facts):
    """Knowing only who and where, no money award is “eligible”: every cash or voucher entry of the Qinghai
    measures needs at least one fact about the thing it pays for (a PhD alone, a university, an institute,
    a new high-tech enterprise alone). For the enterprise the only eligible money award is (一)
    对新认定的高新技术企业奖励10万元 (and the 创新券 for 高新技术企业和科技型企业, which it holds by that fact)."""
    m = eng.match(facts, AS_OF)
    ok = {r.entry.id for r in m.results if r.entry.document.id == DOC and r.verdict == ELIGIBLE and r.entry.pays_money}
    expected = ({HIGH_TECH_NEW, "qinghai_2020_measures.m03.voucher_enterprise"}
                if facts.get("high_tech_status") == "first" else set())
    assert ok == expected


# 支持企业主导建立科技创新平台和新型研发机构,开展共性关键技术攻关和成果转移转化,由企业先行投入,
# 财政根据绩效给予后补助、奖励等支持。
def test_platform_post_subsidy_needs_the_platform(eng):
    r = res(eng.match(QH, AS_OF), PLATFORM_POST)
    assert r.verdict == NEED_INFO and r.missing == ["leads_platform_or_rd_institution"]
    r = res(eng.match({**QH, "leads_platform_or_rd_institution": True}, AS_OF), PLATFORM_POST)
    assert r.verdict == ELIGIBLE
    # no standard is given, and the text does not say 一事一议
    assert r.amount.kind == "unspecified" and "一事一议" not in r.amount.text
    assert r.amount.exact is None and r.amount.low is None and r.amount.high is None


# 对重点领域优秀团队开展分期稳定支持试点,并在预算绩效管理方面,弱化年度绩效目标考核……
@pytest.mark.parametrize("etype", ["enterprise", "university", "research_institute", "individual"])
def test_stable_support_pilot_is_not_an_award(eng, etype):
    """A pilot the government runs, not an award a unit or person qualifies for."""
    r = res(eng.match({"region": "qinghai", "entity_type": etype}, AS_OF), STABLE_PILOT)
    assert r.verdict == NOT_APPLICABLE
    assert not eng.cat.entry(STABLE_PILOT).pays_money


# 对科技成果来源于省内高校、科研机构并在省内转化的项目,分别给予成果出让方和成果受让方各20%的财政资金补助,
# 每个项目最高补助100万元
def test_university_as_transferor_is_paid(eng):
    """A Qinghai university selling its result (出让方), converted in Qinghai, 到位 200万 → 200万 × 20% = 40万."""
    facts = {"region": "qinghai", "entity_type": "university", "tech_deal_role": "transferor_qinghai",
             "tech_deal_converted_in_qinghai": True, "tech_deal_amount": 2_000_000}
    r = res(eng.match(facts, AS_OF), TRANSFEROR)
    assert r.verdict == ELIGIBLE and r.amount.exact == 400_000


def test_enterprise_is_not_the_transferor_of_a_university_result(eng):
    """The result “来源于省内高校、科研机构”: its 出让方 is the university or institute, not an enterprise."""
    facts = {**QH, "tech_deal_role": "transferor_qinghai", "tech_deal_converted_in_qinghai": True,
             "tech_deal_amount": 2_000_000}
    assert res(eng.match(facts, AS_OF), TRANSFEROR).verdict == NOT_APPLICABLE


# ---- amounts worded as the text words them ------------------------------------------------------------
# 分别给予1000万元和500万元以上的省级科技专项经费组合支持
@pytest.mark.parametrize("evaluation, entry_id, floor", [("national_up5", ZONE_RANK, 10_000_000),
                                                         ("provincial_first", ZONE_FIRST, 5_000_000)])
def test_zone_support_is_at_least(eng, evaluation, entry_id, floor):
    """“1000万元和500万元以上”: at least the figure, no upper figure — never “1000万元” flat."""
    r = res(eng.match({"region": "qinghai", "entity_type": "government", "hitech_zone_evaluation": evaluation},
                      AS_OF), entry_id)
    assert r.verdict == ELIGIBLE
    assert (r.amount.exact, r.amount.low, r.amount.high) == (None, floor, None)
    assert r.amount.text.endswith("万元以上")


# 择优按转移转化项目研发总投入的20%,给予不高于企业三年累计缴税总额,最高200万元的财政资金补助
def test_tech_introduction_is_selective_not_at_most_20_percent(eng):
    """The rate is 20%, not “不超过20%”; the award is 择优 (for those selected): 研发总投入 300万 × 20% = 60万,
    三年缴税 500万 not reached → 择优 60万: an upper figure, nothing sure."""
    r = res(eng.match({**QH, "tech_introduction_rd_investment": 3_000_000, "three_year_tax_total": 5_000_000},
                      AS_OF), TECH_INTRO)
    assert r.verdict == ELIGIBLE
    assert (r.amount.exact, r.amount.high, r.amount.floor) == (None, 600_000, 0)
    assert r.amount.text.startswith("择优")
    shown = eng.cat.entry(TECH_INTRO).amount.compute({}).text
    assert shown.startswith("择优按") and "的20%" in shown and "不超过20%" not in shown


# 按服务技术交易和科技成果转化年营业收入20%,择优给予技术转移机构最高不超过100万元的工作经费补助
def test_transfer_agency_is_selective(eng):
    """年营业收入 300万 × 20% = 60万, 最高100万 → 择优 60万."""
    r = res(eng.match({**QH, "tech_transfer_service_revenue": 3_000_000}, AS_OF), TRANSFER_AGENCY)
    assert (r.amount.exact, r.amount.high) == (None, 600_000) and r.amount.text.startswith("择优")


# 对于业绩突出的众创空间(星创天地)和孵化器给予最高100万元的奖励 — no 国家级/省级 requirement in the text
def test_incubator_award_does_not_require_recognition(eng):
    r = res(eng.match({**QH, "incubator_kind": "maker_space"}, AS_OF), INCUBATOR_AWARD)
    assert r.verdict == ELIGIBLE and r.amount.high == 1_000_000 and r.amount.exact is None
    assert "selective" in kinds(r)  # 业绩突出: decided by the department


# ---- departments: (责任单位:第一责任单位为牵头单位,其他单位按职责分工分别负责) --------------------------
def test_qinghai_lead_is_the_first_responsible_unit(eng):
    """Every Qinghai entry: lead = the first name of the bracket quoted, co = the others, none inferred."""
    import re
    for e in eng.cat.entries:
        if e.document.id != DOC:
            continue
        q = e.departments.quote if isinstance(e.departments.quote, str) else e.departments.quote[0]
        names = [n for n in re.split(r"[,、]", q.split("。")[0].removeprefix("责任单位:")) if n]
        assert e.departments.lead == (names[0],), e.id
        assert e.departments.co == tuple(names[1:]), e.id
        assert not e.departments.inferred


def test_a_voucher_is_listed_but_not_added_to_the_cash_total(eng):
    """(一) 对新认定的高新技术企业奖励10万元; (三) 创新券…用于鼓励企业向高校、科研机构和创新载体购买
    技术创新服务: a voucher is spent on services, so the document's cash total is the 10万 alone."""
    import datetime as dt
    m = eng.match({"region": "qinghai", "entity_type": "enterprise", "high_tech_status": "first",
                   "provincial_little_giant": False, "rd_deduction_tax_exemption": 0}, dt.date(2026, 12, 1))
    voucher = [r for r in m.results if r.entry.support == "voucher" and r.verdict == "eligible"]
    assert voucher  # still listed as something the company can get
    doc = next(d for d in m.documents if d.document.id == "qinghai_2020_measures")
    assert doc.sure_total == 100_000 and doc.upper_total == 100_000  # not 最多30万 with the 20万 voucher
