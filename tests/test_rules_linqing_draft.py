"""Worked examples for 临清市科学技术局《关于进一步深化科技体制改革推动创新发展的若干措施（征求意见稿）》
(rules/sources/linqing_2021_measures.txt, 2021年6月10日) — a draft for comment, never in force as
written, and stating no dates of validity.

Every expected value below was worked out by hand from the sentence quoted next to it, not read
off the engine. Money is whole yuan.
"""
import datetime as dt

import pytest

from tests.conftest import kinds, res

from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE


DOC = "linqing_2021_measures"
AS_OF = dt.date(2023, 1, 1)
LQ = {"region": "linqing", "entity_type": "enterprise"}
ENTITY_TYPES = ["enterprise", "university", "research_institute", "individual", "government",
                "financial_institution"]

M01 = "linqing_2021_measures.m01.project_match"
M02_NAT = "linqing_2021_measures.m02.national_platform"
M02_PROV = "linqing_2021_measures.m02.provincial_platform"
M02_LC = "linqing_2021_measures.m02.liaocheng_platform"
M05 = "linqing_2021_measures.m05.facility_funding"
M06 = "linqing_2021_measures.m06.rd_institution_award"
M16 = "linqing_2021_measures.m16.insurance_premium"




# ---- （征求意见稿） ----------------------------------------------------------------------------
def test_every_entry_carries_a_draft_caveat(eng):
    """The title says （征求意见稿）: whatever the entry and whoever asks, the answer must say it is a draft.
    With only region and entity type known, no condition can fail, so every entry aimed at that entity
    type is judged (eligible or need information) and carries caveats; over all six entity types every
    entry of the document is judged at least once."""
    seen = set()
    all_ids = {e.id for e in eng.cat.entries if e.document.id == DOC}
    for et in ENTITY_TYPES:
        m = eng.match({"region": "linqing", "entity_type": et}, AS_OF)
        for r in m.results:
            if r.entry.document.id != DOC or r.verdict == NOT_APPLICABLE:
                continue
            assert r.verdict in (ELIGIBLE, NEED_INFO), r.entry.id
            assert "draft" in kinds(r), r.entry.id
            seen.add(r.entry.id)
    assert seen == all_ids


def test_draft_has_no_dates(eng):
    """The draft states no 施行日期 or 有效期: neither expired nor not yet valid, on any day."""
    for day in (dt.date(2021, 1, 1), dt.date(2030, 1, 1)):
        r = res(eng.match({**LQ, "liaocheng_rd_project_funding": 800_000}, day), M01)
        assert "expired" not in kinds(r) and "not_yet_valid" not in kinds(r)


# ---- 6. 研发机构 by size ------------------------------------------------------------------------
# 临清市财政对研发机构初次通过审核确认的企业，给予大型企业 10万元、中型企业5万元、小型企业3万元一次性资金奖励
@pytest.mark.parametrize("size, expected", [("large", 100_000), ("medium", 50_000), ("small", 30_000)])
def test_m06_rd_institution_by_size(eng, size, expected):
    r = res(eng.match({**LQ, "rd_institution_first_confirmed": True, "enterprise_size": size}, AS_OF), M06)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


def test_m06_micro_enterprise_is_unsettled(eng):
    """The sentence lists 大型、中型、小型 only; 微型 is not mentioned, so the text does not decide: need
    information with an unsettled finding on enterprise_size (the size itself is known)."""
    r = res(eng.match({**LQ, "rd_institution_first_confirmed": True, "enterprise_size": "micro"}, AS_OF), M06)
    assert r.verdict == NEED_INFO
    unsettled = [f for f in r.findings if f.kind == "unsettled"]
    assert [f.fact for f in unsettled] == ["enterprise_size"]
    assert r.missing == []


def test_m06_not_first_confirmation(eng):
    """Only “初次通过审核确认”."""
    r = res(eng.match({**LQ, "rd_institution_first_confirmed": False, "enterprise_size": "large"}, AS_OF), M06)
    assert r.verdict == NOT_ELIGIBLE


def test_m06_no_double_support(eng):
    """按照不重复支持的原则 — said with the award."""
    r = res(eng.match({**LQ, "rd_institution_first_confirmed": True, "enterprise_size": "large"}, AS_OF), M06)
    assert "no_double" in kinds(r)


# ---- 2. 平台 -------------------------------------------------------------------------------------
# 对认定为聊城市级平台的给予5万元一次性奖励。凡是认定为国家、省级技术创新平台的，在聊城市财政分别给予
# 200万元、50万元一次性奖励的基础上，临清市财政分别给予20万元、10万元一次性奖励。
@pytest.mark.parametrize("level, entry_id, expected", [
    ("national", M02_NAT, 200_000),    # 临清市财政 20万 (the 200万 is 聊城市's, not paid under this text)
    ("provincial", M02_PROV, 100_000), # 临清市财政 10万
    ("liaocheng", M02_LC, 50_000),     # 5万
])
def test_m02_platform_levels(eng, level, entry_id, expected):
    m = eng.match({**LQ, "new_platform_level": level}, AS_OF)
    r = res(m, entry_id)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected
    for other in {M02_NAT, M02_PROV, M02_LC} - {entry_id}:
        assert res(m, other).verdict == NOT_ELIGIBLE, other


# ---- 16. 首台套保险 ------------------------------------------------------------------------------
# 市级财政按照不高于3%的费率上限及实际投保年度保费20%的比例，给予单户企业年度最高100万元的保费补贴。
@pytest.mark.parametrize("premium, expected", [
    (1_000_000, 200_000),    # 100万 × 20% = 20万
    (5_000_000, 1_000_000),  # 500万 × 20% = 100万 = the cap exactly
    (6_000_000, 1_000_000),  # 600万 × 20% = 120万 → 最高100万
])
def test_m16_premium_subsidy(eng, premium, expected):
    # issue 8: the amount is as computed only where the rate is within the “不高于3%的费率上限”
    r = res(eng.match({**LQ, "first_of_kind_premium": premium, "first_of_kind_premium_rate": 3}, AS_OF), M16)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected and r.amount.certainty == "fixed"


def test_m16_premium_subsidy_depends_on_the_rate_cap(eng):
    """Issue 8: “不高于3%的费率上限” needs the rate. Unknown: up to the computed figure, the rate asked;
    above 3%: the text does not say how it is paid, so only an upper figure, with the reason."""
    r = res(eng.match({**LQ, "first_of_kind_premium": 6_000_000}, AS_OF), M16)
    assert r.verdict == ELIGIBLE
    assert (r.amount.exact, r.amount.high, r.amount.certainty) == (None, 1_000_000, "depends")
    assert "first_of_kind_premium_rate" in r.amount.missing and not r.amount.sure
    r = res(eng.match({**LQ, "first_of_kind_premium": 1_000_000, "first_of_kind_premium_rate": 4}, AS_OF), M16)
    assert (r.amount.exact, r.amount.high, r.amount.certainty) == (None, 200_000, "ceiling")
    assert "3%" in r.amount.certainty_text


# ---- 1. 聊城市重点研发项目 50%配套 ---------------------------------------------------------------
# 对列入聊城市重点研发资金计划的项目，按照聊城市项目资金的50%给予配套支持
@pytest.mark.parametrize("funding, expected", [(800_000, 400_000), (1_500_000, 750_000)])
def test_m01_half_of_liaocheng_funding(eng, funding, expected):
    """80万 × 50% = 40万; 150万 × 50% = 75万."""
    r = res(eng.match({**LQ, "liaocheng_rd_project_funding": funding}, AS_OF), M01)
    assert r.verdict == ELIGIBLE
    assert r.amount.exact == expected


# ---- 5. 一事一议 ----------------------------------------------------------------------------------
# 对获国家、省批复的重大科技基础设施，建设经费采取“一事一议”方式支持
def test_m05_case_by_case_has_no_figure(eng):
    """一事一议: no amount can be promised — no exact figure, no range, no cap."""
    r = res(eng.match({**LQ, "major_facility_approved": True}, AS_OF), M05)
    assert r.verdict == ELIGIBLE
    assert r.amount.kind == "case_by_case"
    assert r.amount.exact is None and r.amount.low is None and r.amount.high is None


# ---- regions -------------------------------------------------------------------------------------
@pytest.mark.parametrize("region", ["qinghai", "elsewhere"])
def test_outside_linqing_nothing_applies(eng, region):
    m = eng.match({"region": region, "entity_type": "enterprise", "enterprise_size": "large",
                   "rd_institution_first_confirmed": True}, AS_OF)
    rs = [r for r in m.results if r.entry.document.id == DOC]
    assert rs and all(r.verdict == NOT_APPLICABLE for r in rs)
    assert DOC not in {d.document.id for d in m.documents}


# ---- departments: （牵头单位：A、B、C） — the first named leads, the others co-operate ---------------
def test_m02_lead_is_the_first_named(eng):
    """2.……（牵头单位：市发展改革局、市科技局、市工业和信息化局、市人力资源社会保障局）"""
    d = eng.cat.entry(M02_NAT).departments
    assert d.lead == ("市发展改革局",)
    assert d.co == ("市科技局", "市工业和信息化局", "市人力资源社会保障局")
    assert d.text() == "牵头：市发展改革局；配合：市科技局、市工业和信息化局、市人力资源社会保障局"


def test_m06_lead_is_the_first_named(eng):
    """6.……（牵头单位：市发展改革局、市科技局、市工业和信息化局、市财政局、市人力资源社会保障局、市国资委、市税务局）"""
    d = eng.cat.entry(M06).departments
    assert d.lead == ("市发展改革局",) and d.co[0] == "市科技局" and d.co[-1] == "市税务局"


def test_every_draft_entry_takes_its_bracket(eng):
    """Read from the text, not the table: the bracket that follows the entry's sentence. 牵头单位 lists
    lead first, then co; a 配合单位 part is co as well."""
    import re
    for e in eng.cat.entries:
        if e.document.id != DOC:
            continue
        text = e.document.text
        start = text.index(e.quotes()[0])
        bracket = re.compile(r"（牵头单位：([^）]*)）").search(text, start).group(1)
        lead_part, _, co_part = bracket.partition("；配合单位：")
        names = lead_part.split("、")
        co = names[1:] + (co_part.split("、") if co_part else [])
        assert e.departments.lead == (names[0],), e.id
        assert e.departments.co == tuple(co), e.id
        assert not e.departments.inferred


# ---- cash entries must require the thing they pay for ----------------------------------------------
M04_IMPORT = "linqing_2021_measures.m04.import_subsidy"
M04_EXCELLENT = "linqing_2021_measures.m04.excellent"
M08_OPEN = "linqing_2021_measures.m08.open_resources"


def test_m04_import_subsidy_has_no_figure_and_is_not_case_by_case(eng):
    """全面落实省级新型研发机构未享受……减免优惠的给予财政补助政策 — no figure, and not “一事一议” either."""
    r = res(eng.match({"region": "linqing", "entity_type": "research_institute", "provincial_rd_institution_filed": True,
                       "import_tax_exemption_not_enjoyed": True}, AS_OF), M04_IMPORT)
    assert r.verdict == ELIGIBLE
    assert r.amount.kind == "unspecified" and "一事一议" not in r.amount.text
    assert r.amount.exact is None and r.amount.high is None


# 鼓励支持高校、科研院所等科研单位面向企业开放创新资源，对开展创新服务综合绩效突出的，按聊城市财政给予配套补助的
# 50%给予配套补助
def test_m08_pays_for_opening_resources_not_for_any_liaocheng_money(eng):
    """A new-type R&D institute rated excellent with 聊城市 support of 60万 gets 第4条 (60万 × 50% = 30万,
    最高50万); that money is not a 聊城市 subsidy for opening resources to enterprises, so 第8条 is not
    decided by it. With a 聊城市 open-resources subsidy of 20万: 20万 × 50% = 10万."""
    ri = {"region": "linqing", "entity_type": "research_institute"}
    m = eng.match({**ri, "new_rd_institution_rating": "provincial_excellent", "liaocheng_support_amount": 600_000}, AS_OF)
    assert res(m, M04_EXCELLENT).amount.exact == 300_000
    assert res(m, M08_OPEN).verdict == NEED_INFO
    assert res(m, M08_OPEN).missing == ["liaocheng_open_resources_subsidy"]
    r = res(eng.match({**ri, "liaocheng_open_resources_subsidy": 200_000}, AS_OF), M08_OPEN)
    # issue 8: paid only “对开展创新服务综合绩效突出的”: up to 10万, never sure
    assert r.verdict == ELIGIBLE and (r.amount.exact, r.amount.high) == (None, 100_000)
    assert r.amount.certainty == "selective" and "综合绩效突出" in r.amount.certainty_text


@pytest.mark.parametrize("region", ["linqing", "qinghai"])
@pytest.mark.parametrize("etype", ENTITY_TYPES)
def test_no_money_award_on_who_and_where_alone(eng, region, etype):
    """Every money award of all three tables names the thing it pays for (a project, a platform, a
    certification, a purchase…): knowing only region and entity type, none is eligible."""
    m = eng.match({"region": region, "entity_type": etype}, AS_OF)
    assert [r.entry.id for r in m.results if r.verdict == ELIGIBLE and r.entry.pays_money] == []
