"""Regression tests for issue 8: verdicts that tell the truth about time, certainty and who is
covered; tables a reviewer can check (figures worked out from the documents' sentences)."""
import datetime as dt
import json
from pathlib import Path

import pytest

from huiqi import VERDICT_FORMAT_VERSION, answers
from huiqi.bench import random_profiles
from huiqi.cli import main
from huiqi.engine import DRAFT, ELIGIBLE, EXPIRED, IN_FORCE, NEED_INFO, NOT_YET, result_json
from huiqi.report import render

from .conftest import ROOT, res

TODAY = dt.date(2026, 12, 4)
IN_TRIAL = dt.date(2023, 6, 1)
BEARING = json.loads((ROOT / "examples" / "linqing_bearing.json").read_text(encoding="utf-8"))["facts"]


def _profile(eng, facts):
    return eng.cat.vocab.profile_from_json({"version": "1.1", "facts": facts})


# ---- 1. time in every verdict -------------------------------------------------------------------
def test_expired_and_draft_money_is_never_sure(eng):
    """The bearing plan's trial ended on 2023-10-14 (“试行期一年”); the 2021 measures are a draft.
    Neither counts in a sure total on 2026-12-04; both keep their totals "if in force"."""
    m = eng.match(_profile(eng, {**BEARING, "new_platform_level": "liaocheng"}), TODAY)
    docs = {d.document.id: d for d in m.documents}
    bearing, draft = docs["linqing_2022_bearing"], docs["linqing_2021_measures"]
    assert (bearing.status, draft.status) == (EXPIRED, DRAFT)
    assert bearing.sure_total == draft.sure_total == 0 and bearing.upper_total == draft.upper_total == 0
    # 4.……加计扣除数额的25%: 400万 × 25% = 100万, the highest of the group (就高不重复), under the 80% cap
    assert bearing.if_in_force.sure_total == 1_000_000
    # 对认定为聊城市级平台的给予5万元一次性奖励
    assert draft.if_in_force.sure_total == 50_000
    assert IN_FORCE not in m.totals
    assert m.totals[EXPIRED].sure_total == 1_000_000 and m.totals[DRAFT].sure_total == 50_000
    r = res(m, "linqing_2022_bearing.r4.rd_deduction")
    assert (r.verdict, r.status) == (ELIGIBLE, EXPIRED)


def test_as_of_still_decides(eng):
    facts = _profile(eng, BEARING)
    inside = next(d for d in eng.match(facts, IN_TRIAL).documents if d.document.id == "linqing_2022_bearing")
    before = next(d for d in eng.match(facts, dt.date(2022, 10, 14)).documents if d.document.id == "linqing_2022_bearing")
    assert (inside.status, inside.sure_total) == (IN_FORCE, 1_000_000) and inside.if_in_force is inside
    assert (before.status, before.sure_total, before.if_in_force.sure_total) == (NOT_YET, 0, 1_000_000)


def test_report_shows_no_sure_money_from_the_expired_plan_or_the_draft(eng):
    m = eng.match(_profile(eng, {**BEARING, "new_platform_level": "liaocheng"}), TODAY)
    text = render(m, eng.cat.vocab)
    assert "✔ 符合条件" not in text  # nothing of these two texts is ticked
    assert "○ 符合原文条件，但文件已过有效期" in text and "○ 符合征求意见稿所列条件" in text
    assert "现行有效文件确定可得：无" in text
    assert "按已过期的试行文件（试行期内才有）：100万元（已过期，不计入）" in text
    assert "若征求意见稿按此文本施行：5万元（尚未施行，不计入）" in text
    assert "合计（若试行期未结束，不计入确定可得）" in text


def test_report_ticks_money_in_force(eng):
    m = eng.match(_profile(eng, BEARING), IN_TRIAL)
    text = render(m, eng.cat.vocab)
    assert "✔ 符合条件" in text and "现行有效文件确定可得：100万元" in text


def test_chat_says_the_status_and_counts_nothing_expired(eng):
    m = eng.match(_profile(eng, BEARING), TODAY)
    msgs = "\n".join(answers.eligibility_messages(m, eng.cat.vocab))
    assert "✅" not in msgs and "○ 符合原文条件（4项，已过有效期" in msgs
    assert "合计（若试行期未结束，不计入确定可得）" in msgs


# ---- 2. certainty as data ---------------------------------------------------------------------
@pytest.mark.parametrize("facts, entry_id, high, why", [
    # 根据创新绩效情况给予一次性500万元奖励性后补助
    ({"region": "qinghai", "entity_type": "government", "new_regional_innovation_title": "national_hitech_zone"},
     "qinghai_2020_measures.m10.national_zone_city", 5_000_000, "创新绩效"),
    # 对服务制度健全、……综合效益突出的供给方,按其上年度实际服务的创新券总额的30%: 100万 × 30%
    ({"region": "qinghai", "entity_type": "enterprise", "voucher_service_total": 1_000_000},
     "qinghai_2020_measures.m16.voucher_supplier", 300_000, "综合效益突出"),
    # 对开展创新服务综合绩效突出的，按聊城市财政给予配套补助的50%: 20万 × 50%
    ({"region": "linqing", "entity_type": "research_institute", "liaocheng_open_resources_subsidy": 200_000},
     "linqing_2021_measures.m08.open_resources", 100_000, "综合绩效突出"),
])
def test_performance_dependent_amounts_are_selective(eng, facts, entry_id, high, why):
    m = eng.match(_profile(eng, facts), TODAY)
    r = res(m, entry_id)
    assert r.verdict == ELIGIBLE and r.amount.certainty == "selective" and why in r.amount.certainty_text
    assert (r.amount.exact, r.amount.high, r.amount.sure) == (None, high, False)
    d = next(d for d in m.documents if d.document.id == entry_id.split(".")[0])
    assert d.if_in_force.sure_total == 0


def test_need_information_never_carries_an_exact_figure(eng):
    """The 聊城市级平台 award (5万元) while the platform level is unknown: only what it could be."""
    day = dt.date(2026, 11, 23)
    m = eng.match(_profile(eng, {"region": "linqing", "entity_type": "enterprise"}), day)
    r = res(m, "linqing_2021_measures.m02.liaocheng_platform")
    assert r.verdict == NEED_INFO
    assert (r.amount.exact, r.amount.low, r.amount.high, r.amount.certainty) == (None, None, 50_000, "depends")
    # and so for every profile: no need_information entry in the JSON has amount.exact
    for p in random_profiles(eng.cat.vocab, 200, seed=8):
        out = result_json(eng.match(p, day), eng.cat.vocab)
        for e in out["entries"]:
            if e["verdict"] == "need_information" and e["amount"]:
                assert e["amount"]["exact"] is None and e["amount"]["min"] is None, e["id"]


def test_sure_totals_count_only_sure_amounts_in_force(eng):
    """For random profiles: a document's sure total is 0 unless it is in force, and never more
    than the sum of the sure amounts it counts."""
    for p in random_profiles(eng.cat.vocab, 300, seed=21):
        m = eng.match(p, TODAY)
        for d in m.documents:
            if d.status != IN_FORCE:
                assert d.sure_total == 0
            sure = sum(r.amount.floor for r in m.results
                       if r.entry.document is d.document and r.counts and r.amount.sure and r.in_force)
            assert d.sure_total <= sure
        assert sum(t.sure_total for k, t in m.totals.items() if k == IN_FORCE) == \
            sum(d.sure_total for d in m.documents)


# ---- 3. the readings -------------------------------------------------------------------------
def test_flexible_talent_gets_30_percent_without_the_enterprise_rule(eng):
    """对于柔性引进的各类高层次人才，按照其当年在临劳动报酬的30%发放人才奖励: 40万 × 30% = 12万;
    “同一企业在同一年度内……就高不重复” is about enterprises."""
    facts = {"region": "linqing", "entity_type": "individual", "flexible_high_level_talent": True,
             "flexible_talent_local_pay": 400_000}
    m = eng.match(_profile(eng, facts), TODAY)
    r = res(m, "linqing_2022_bearing.r11.flexible_talent")
    assert r.verdict == ELIGIBLE and r.amount.exact == 120_000 and r.stacking is None
    d = next(d for d in m.documents if d.document.id == "linqing_2022_bearing")
    assert d.if_in_force.stacking is None and not d.notes and not d.if_in_force.caps
    text = render(m, eng.cat.vocab)
    assert "就高不重复" not in text and "新增税收形成" not in text
    assert "40万元 × 30% = 12万元" in text


def test_out_of_province_talent_is_told_about_measure_9(eng):
    facts = {"region": "elsewhere", "entity_type": "individual", "qinghai_cooperation_agreement": True}
    m = eng.match(_profile(eng, facts), TODAY)
    r = res(m, "qinghai_2020_measures.m09.flexible_talent_pi")
    assert (r.verdict, r.promise, r.status) == (ELIGIBLE, "service_priority", IN_FORCE)
    assert any(c.kind == "reach" for c in r.caveats)
    text = render(m, eng.cat.vocab)
    assert "省外高层次人才以项目负责人身份申报我省科研项目（措施（九））" in text
    assert "✔" not in text  # a permission to apply, said as such
    chat = "\n".join(answers.eligibility_messages(m, eng.cat.vocab))
    assert "省外高层次人才以项目负责人身份申报我省科研项目（青海科技创新若干政策措施 措施（九））" in chat


def test_insurance_needs_the_rate_cap(eng):
    """按照不高于3%的费率上限及实际投保年度保费20%的比例: the rate is asked."""
    m = eng.match(_profile(eng, {"region": "linqing", "entity_type": "enterprise", "first_of_kind_premium": 6_000_000}),
                  TODAY)
    r = res(m, "linqing_2021_measures.m16.insurance_premium")
    assert r.amount.certainty == "depends" and r.amount.high == 1_000_000
    assert "first_of_kind_premium_rate" in r.amount.missing
    assert "精确金额还需：首台（套）等保险的投保费率" in render(m, eng.cat.vocab)


def test_outside_units_are_told_the_way_in(eng):
    """A company outside Qinghai that has not said it co-builds an agency there: not yet for it,
    and the reason says how （四） reaches 国内外 partners."""
    m = eng.match(_profile(eng, {"region": "linqing", "entity_type": "university"}), TODAY)
    r = res(m, "qinghai_2020_measures.m04.joint_agency")
    assert r.verdict == "not_applicable" and "国内外" in r.findings[0].text


def test_priorities_are_not_ticked_for_everyone(eng):
    """建设科技创新平台的单位优先推荐申报: not for a firm with no platform."""
    m = eng.match(_profile(eng, {"region": "linqing", "entity_type": "enterprise",
                                  "builds_innovation_platform": False}), TODAY)
    assert res(m, "linqing_2021_measures.m02.recommendation").verdict == "not_eligible"


# ---- 4. show and the JSON --------------------------------------------------------------------
def test_show_renders_any_as_one_of(capsys):
    assert main(["show", "linqing_2022_bearing.r2"]) == 0
    out = capsys.readouterr().out
    i = out.index("满足其一")
    assert out.index("是否规模以上企业：是", i) < out.index("规模以下企业须为科技型中小企业", i)
    assert "原文：“全市轴承工业企业中规模以上企业”" in out and "只约束企业" in out


def test_show_gives_the_amount_quote_and_certainty(capsys):
    assert main(["show", "linqing_2021_measures.m16"]) == 0
    out = capsys.readouterr().out
    assert "金额原文：“按照不高于3%的费率上限及实际投保年度保费20%的比例" in out
    assert "金额成立的前提：投保费率不高于3%" in out
    assert main(["show", "qinghai_2020_measures.m10.national_zone_city"]) == 0
    assert "确定程度：根据创新绩效情况给予" in capsys.readouterr().out


def test_verdict_json_2_0_has_status_and_certainty(eng):
    assert VERDICT_FORMAT_VERSION == "2.0"
    out = result_json(eng.match(_profile(eng, BEARING), TODAY), eng.cat.vocab)
    assert out["version"] == "2.0"
    assert set(out["totals"]) == {"expired", "draft"}
    for e in out["entries"]:
        assert e["status"] in ("in_force", "draft", "expired", "not_yet")
        assert e["promise"] in ("award", "service_priority", "internal")
        if e["amount"]:
            assert e["amount"]["certainty"] in ("fixed", "at_least", "ceiling", "selective", "depends",
                                                "unspecified", "none")
            assert e["amount"]["certainty_text"]
    d = next(d for d in out["documents"] if d["id"] == "linqing_2022_bearing")
    assert (d["status"], d["document_status"], d["sure_total"]) == ("expired", "trial", 0)
    assert d["if_in_force"]["sure_total"] == 1_000_000
    doc = (ROOT / "docs" / "verdicts.md").read_text(encoding="utf-8")
    assert f"format version {VERDICT_FORMAT_VERSION}" in doc and "What changed" in doc


def test_card_certainty_speaks_huiqi_answer(eng):
    """docs/answers.md's award cards know four values: a floor (不低于) is fixed, no figure depends."""
    m = eng.match(_profile(eng, {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True,
                                  "above_scale": True, "rd_ratio": 6, "mu_efficiency_grade": "A",
                                  "green_threshold_met": True, "tech_acquisition_paid": 1_000_000}), IN_TRIAL)
    # 7.……每个项目支持额度不低于合同实际支付金额的50%，支持额度最高不超过100万元: at least 50万
    r = res(m, "linqing_2022_bearing.r7.tech_acquisition")
    assert (r.amount.certainty, r.amount.answer_certainty, r.amount.low) == ("at_least", "fixed", 500_000)
    r = res(m, "linqing_2022_bearing.r3.platform")  # 分别给予最高500万元、100万元、20万元: level unknown
    assert r.verdict == NEED_INFO and r.amount.answer_certainty == "depends"


# ---- the table format's new fields are checked --------------------------------------------------
from .test_bad_input import GOOD_TABLE, make_rules, problems_of  # noqa: E402

_AMOUNT = "amount: {kind: fixed, value: 100000, per: one_time}"


@pytest.mark.parametrize("old, new, place, words", [
    # a selective note (择优, 绩效, 评定) with an amount said to be sure
    ("departments: {lead", "notes: [{kind: selective, text: 经评定给予}]\n    departments: {lead",
     "toy.yml:toy.r2.high_tech:amount", "selective"),
    (_AMOUNT, "amount: {kind: fixed, value: 100000, per: one_time, quote: 一次性奖励20万元}",
     "toy.yml:toy.r2.high_tech:amount:quote", "not found verbatim"),
    (_AMOUNT, "amount: {kind: fixed, value: 100000, per: one_time, selective_reason: 评定}",
     "toy.yml:toy.r2.high_tech:amount:selective_reason", "only with"),
    ("support: cash", "support: cash\n    reach: {text: 省外也可}", "toy.yml:toy.r2.high_tech:reach", "quote"),
    ("support: cash", "support: cash\n    sure_if: {text: 未说明}", "toy.yml:toy.r2.high_tech:sure_if", "when"),
    ("support: cash", "support: cash\n    plan: yes please", "toy.yml:toy.r2.high_tech:plan", "true or false"),
])
def test_new_table_fields_are_checked(tmp_path, old, new, place, words):
    t = GOOD_TABLE.replace(old, new, 1)
    assert t != GOOD_TABLE
    probs = problems_of(make_rules(tmp_path, t))
    assert any(p.startswith(place) and words in p for p in probs), probs


def test_a_selective_amount_with_its_reason_loads(tmp_path):
    t = GOOD_TABLE.replace(_AMOUNT, "amount: {kind: fixed, value: 100000, per: one_time, selective: true, "
                                    "selective_reason: 经评定给予}")
    from huiqi.tables import load_catalogue
    e = load_catalogue(make_rules(tmp_path, t)).entries[0]
    a = e.amount.compute({})
    assert (a.certainty, a.exact, a.high, a.certainty_text) == ("selective", None, 100_000, "经评定给予")
