"""Focus, answer first, the questions that decide a focus, answers read against the question
asked, and "what changed" (issue 7). Expected figures come from the documents' sentences
(quoted in comments); the question order from the stakes the documents set."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from huiqi import dialogue, focus as F
from huiqi.engine import ELIGIBLE, NEED_INFO, Engine
from huiqi.nlu import asks_everything, extractor, load_topics, read_answers
from huiqi.questions import Questions, load_glossary
from huiqi.tables import default_rules_dir, load_catalogue

CAT = load_catalogue()
ENGINE = Engine(CAT)
VOCAB = CAT.vocab
QUESTIONS = Questions(CAT, load_topics(default_rules_dir()), load_glossary(default_rules_dir()))
DAY = dt.date(2026, 12, 4)
BEARING = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "above_scale": True}


def focus_for(text, region=None):
    return F.choose(QUESTIONS, text, extractor().topics_in(text), region)


# -- focus -------------------------------------------------------------------------------------
def test_an_award_question_focuses_on_that_award():
    f = focus_for("临清轴承企业新授权一件发明专利奖励多少？实用新型呢？", "linqing")
    # 奖励标准5：对新增授权的发明专利、实用新型专利，分别每件给予5000元、500元奖励
    assert f.kind == "award"
    assert set(f.entries) == {"linqing_2022_bearing.r5.invention_patent", "linqing_2022_bearing.r5.utility_patent"}
    f = focus_for("在青海主导制定国际标准的企业能拿多少奖励？", "qinghai")
    assert f.entries == ("qinghai_2020_measures.m02.standard",)


def test_a_question_naming_no_award_is_about_everything():
    assert focus_for("我们能拿什么补贴") is None
    assert focus_for("你好，我们是西宁的一家公司，今年首次认定高新技术企业，想问问能拿什么补贴", "qinghai") is None


@pytest.mark.parametrize("text, everything", [
    ("我们是临清的轴承企业，规上，今年第一次认定高企，能拿多少奖励？", True),   # 高企 only inside the facts said
    ("临清的轴承企业，规上，高企奖励能拿多少", False),                          # the award named for itself
    ("临清的企业，研发机构第一次通过审核确认，有什么奖励？", False),
    ("一共能拿多少钱", True),
    ("临清一家规模以下的轴承生产企业，尚未入库科技型中小企业，请问能享受哪些补贴？", True),  # the word is what was not done
    ("临清的轴承企业，尚未入库，科技型中小企业有什么政策？", False),
])
def test_what_we_can_get_versus_one_award(text, everything):
    assert asks_everything(text) is everything


# -- answer first ------------------------------------------------------------------------------------
def test_the_first_reply_gives_the_figures_narrowed_by_the_facts():
    f = focus_for("临清轴承企业新授权一件发明专利奖励多少？实用新型呢？", "linqing")
    r = F.answer(ENGINE, f, {**BEARING, "new_invention_patents": 1}, DAY)
    assert "1件 × 5000元 = 5000元" in r.text and "每件500元" in r.text
    assert "市科技局" in r.text  # 市科技局牵头抓好政策落实
    assert "已过期" in r.text  # 本实施意见自印发之日起执行，试行期一年 (from 2022-10-15)
    assert len(r.text) <= 320
    # conditions still open: the plan's common conditions (研发投入占比5%以上, 亩产C类以上, 绿色门槛)
    assert {"rd_ratio", "mu_efficiency_grade", "green_threshold_met"} <= set(r.questions)
    assert "原文" in r.detail


def test_a_caveat_in_full_once_then_a_short_tag():
    f = focus_for("临清的高企奖励", "linqing")
    first = F.answer(ENGINE, f, {"region": "linqing"}, DAY)
    assert "注意：《临清轴承行动计划》试行至2023年10月14日，现已过期" in first.text
    again = F.answer(ENGINE, f, {"region": "linqing"}, DAY, said=first.documents)
    assert "注意：" not in again.text and "已过期" in again.text


def test_a_decided_award_says_so():
    f = focus_for("在青海主导制定国际标准的企业能拿多少奖励？", "qinghai")
    r = F.answer(ENGINE, f, {"region": "qinghai", "entity_type": "enterprise", "standard_led": "international"}, DAY)
    # （二）…主导制定国际标准的给予100万元奖励（责任单位:省工业和信息化厅…）
    assert "✅" in r.text and "100万元" in r.text and "省工业和信息化厅" in r.text
    assert r.awards[0]["verdict"] == ELIGIBLE and r.awards[0]["status"] == "in_force"


def test_an_award_under_the_expired_trial_is_never_ticked_nor_sure():
    # The bearing plan was 试行一年 from 2022-10-15 (临政字〔2022〕37号): on 2026-12-04 its
    # conditions may hold, but nothing it pays is sure money (issue 8).
    facts = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "B", "green_threshold_met": True,
             "tech_sme_status": "none", "high_tech_status": "first"}
    r = F.answer(ENGINE, focus_for("临清轴承企业首次认定高企奖多少", "linqing"), facts, DAY)
    assert "○ 高新技术企业认定奖励" in r.text and "已过期" in r.text and "✅" not in r.text
    everything = F.answer(ENGINE, F.EVERYTHING, facts, DAY)
    assert "可拿" not in everything.text and "现行有效的文件中还没有确定能拿的" in everything.text
    assert "按已过期的试行文件" in everything.text and "10万元" in everything.text
    # what changed after the fact says the award's text is expired
    before = F.full_state(ENGINE, {**facts, "high_tech_status": "none"}, DAY)
    new = F.changes(before, F.full_state(ENGINE, facts, DAY), CAT.by_id)
    assert new[0].startswith("新增：高新技术企业认定奖励") and "（已过期）" in new[0]
    # the same award on a day inside the trial is in force: ticked and sure
    inside = F.answer(ENGINE, F.EVERYTHING, facts, dt.date(2023, 3, 1))
    assert "按目前信息，可拿" in inside.text and "✅ 高新技术企业认定奖励" in inside.text


def test_a_first_answer_with_nothing_decided_names_what_is_still_possible():
    # After a few questions nothing is decided for a 规上 bearing company (绿色门槛 and the
    # facts each award pays for are still open): the answer names the largest awards the
    # questions left decide, with what they wait on, instead of only "nothing yet".
    facts = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "B"}
    r = F.answer(ENGINE, F.EVERYTHING, facts, DAY)
    assert "还没有确定能拿的" in r.text and "还可能符合的" in r.text and "绿色门槛" in r.text
    line = next(l for l in r.text.splitlines() if l.startswith("还可能符合的"))
    # 奖励标准5：发明专利每件给予5000元 / 奖励标准4：加计扣除数额的25% — both from the expired
    # trial, so each item says so on its own line (not only in the footer said once)
    assert "每件5000元" in line and "25%" in line and line.count("已过期") == 2
    assert len(r.text) <= 300


def test_what_the_company_said_singles_out_comes_first():
    # A bearing company that says it was first certified 高企 this year: of the awards still
    # open, the one its tier decides comes first, with its figure (奖励标准2：对首次通过认定高新
    # 技术企业的，一次性奖励10万元), before larger ones its facts say nothing of.
    facts = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "high_tech_status": "first"}
    r = F.answer(ENGINE, F.EVERYTHING, facts, DAY)
    line = next(l for l in r.text.splitlines() if l.startswith("还可能符合的"))
    first = line.split("：", 1)[1].split("；")[0]
    assert first.startswith("高新技术企业认定奖励") and "10万元" in first


def test_a_whole_document_is_answered_with_its_largest_awards_first():
    # The bearing plan pays 16 awards; a phone screen shows the largest few and counts the rest.
    r = F.answer(ENGINE, focus_for("临清轴承行动计划有哪些奖励", "linqing"), {"region": "linqing"}, DAY)
    # 奖励标准3：…国家级…给予最高500万元奖励 is the largest figure the plan names
    first = r.text.splitlines()[1]
    assert "500万元" in first
    assert "另有11项（说“详细”查看）" in r.text  # (奖励标准8's A类 国家级/省级 孵化器 awards share a line)
    assert len(r.awards) == 16 and r.text.count("已过期") == 2  # in the header and the caveat, not on every line
    assert r.text.startswith("关于“临清轴承行动计划（试行）”（已过期）")
    again = F.answer(ENGINE, focus_for("临清轴承行动计划有哪些奖励", "linqing"), {"region": "linqing"}, DAY, said=r.documents)
    assert "注意：" not in again.text and again.text.startswith("关于“临清轴承行动计划（试行）”（已过期）")  # said again: still tagged
    assert len(r.text) <= 420


def test_a_topic_question_keeps_all_its_awards_largest_first():
    # "创新平台有哪些奖补": every platform award the question matches, not the first three;
    # 奖励标准3 (…国家级…最高500万元) is the largest figure, so it leads.
    f = focus_for("创新平台有哪些奖补？")
    assert f.kind == "topic" and "linqing_2022_bearing.r3.platform" in f.entries
    r = F.answer(ENGINE, f, {}, DAY)
    assert "500万元" in r.text.splitlines()[1] and "另有" in r.text


def test_an_award_asked_by_a_company_elsewhere_says_first_it_is_not_for_them():
    # 措施（一） is Qinghai's: a company in 苏州 hears the figure, but first that it does not apply
    f = focus_for("我们苏州的高企 能拿啥补贴", "elsewhere")
    r = F.answer(ENGINE, f, {"region": "elsewhere", "entity_type": "enterprise"}, DAY)
    assert r.text.startswith("这些规定只适用于青海省的单位，不适用于贵单位") and "10万元" in r.text


def test_materials_asked_with_an_award_are_said_to_be_missing_from_the_documents():
    # （一）…给予10万元奖励（责任单位：省科技厅…）: the figure is there, the materials are not
    from huiqi.nlu import clean
    entries = F.entries_of(ENGINE, focus_for("青海新认定高企奖励", "qinghai"))
    note = QUESTIONS.undocumented_note(clean("客户问青海新认定高企那10万奖励，申报要准备哪些材料"), entries)
    assert note == "文件中没有写明申报材料和流程，请以省科技厅的申报通知为准。"
    assert QUESTIONS.undocumented_note(clean("青海新认定高企奖励多少"), entries) is None


# -- the questions that decide the focus ----------------------------------------------------------------
def test_only_size_decides_the_rd_institution_award():
    # 第6条：…按大型、中型、小型企业分别给予10万元、5万元、3万元奖励: only the size is open
    f = focus_for("临清的企业，研发机构第一次通过审核确认，有什么奖励？", "linqing")
    facts = {"region": "linqing", "entity_type": "enterprise", "rd_institution_first_confirmed": True}
    assert F.deciding(ENGINE, f, facts, (), DAY) == ["enterprise_size"]


def test_most_money_at_stake_first():
    # For a 规上 bearing company, 研发投入占比5%以上 is a condition of every bearing award
    # (奖励标准1–11), 科小 status only of 奖励标准1 (at most 5万元): the ratio is asked first.
    order = F.deciding(ENGINE, F.EVERYTHING, {**BEARING, "high_tech_status": "first"}, (), DAY)
    assert order.index("rd_ratio") < order.index("tech_sme_status")
    assert "enterprise_size" not in order  # decides only the draft's 第6条, which needs a fact never asked
    # where first: nothing is decided without it
    assert F.deciding(ENGINE, F.EVERYTHING, {}, (), DAY)[0] == "region"


def test_a_fact_nobody_can_answer_is_not_asked_for_an_award():
    # the transfer subsidies (青海（六）) need the deal's role and amount, which the form never asks
    f = focus_for("我们是青海的企业，受让了青海大学的一项成果，到位金额800万元，能拿多少补贴？", "qinghai")
    assert F.deciding(ENGINE, f, {"region": "qinghai", "entity_type": "enterprise"}, (), DAY) == []


def test_every_fact_asked_decides_an_entry_in_focus():
    f = focus_for("临清的轴承企业，规上，高企奖励能拿多少", "linqing")
    facts = {**BEARING}
    for fid in F.deciding(ENGINE, f, facts, (), DAY):
        rs = [ENGINE.judge(CAT.by_id[e], facts, DAY) for e in f.entries]
        assert any(fid in r.missing or (r.amount and fid in r.amount.missing) for r in rs), fid


# -- what changed -----------------------------------------------------------------------------------------
def test_a_new_fact_says_what_it_changed():
    facts = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "B", "green_threshold_met": True}
    before = F.full_state(ENGINE, facts, DAY)
    after = F.full_state(ENGINE, {**facts, "high_tech_status": "first"}, DAY)
    lines = F.changes(before, after, CAT.by_id)
    # 奖励标准2：对首次通过认定高新技术企业的，一次性奖励10万元
    assert lines and lines[0].startswith("新增：高新技术企业认定奖励") and "10万元" in lines[0] and "市科技局" in lines[0]
    assert F.changes(after, after, CAT.by_id) == []
    worse = F.full_state(ENGINE, {**facts, "high_tech_status": "first", "rd_ratio": 3}, DAY)
    assert any(l.startswith("不再符合：") for l in F.changes(after, worse, CAT.by_id))


# -- answers read against the question asked ------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("没有发生过，都符合要求", True), ("都没问题", True), ("发生过一次", False),
])
def test_green_threshold_answers(text, value):
    assert dialogue.answer_for(VOCAB, "green_threshold_met", "deny", [], read_answers(text)) is value


def _tracker(slots, text, intent="inform", entities=None, requested=None, metadata=None):
    slots = {**slots, "requested_slot": requested}
    user = {"event": "user", "text": text, **({"metadata": metadata} if metadata else {})}
    return Tracker.from_dict({
        "sender_id": "t", "slots": slots, "events": [user], "latest_action_name": "action_listen",
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        "active_loop": {"name": "company_form"} if requested else {},
    })


def _run(action, t):
    import yaml
    from tests.conftest import ROOT
    d = CollectingDispatcher()
    events = asyncio.run(action.run(d, t, yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))))
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, d.messages


def test_a_size_answer_to_the_scale_question_is_kept_and_the_question_adapted():
    from actions.actions import ValidateCompanyForm
    base = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "enterprise_size": "large"}
    slots, msgs = _run(ValidateCompanyForm(), _tracker(base, "大型企业", "inform",
                                                        [{"entity": "enterprise_size", "value": "large"}], "above_scale"))
    text = "\n".join(m.get("text") or "" for m in msgs)
    assert "2000万元" in text and "大型企业" in text  # 规上: 年主营业务收入2000万元及以上, whatever the size
    assert slots["requested_slot"] == "above_scale" and slots["unread"] == {"above_scale": 1}
    # the second answer that does not give it: skipped with a word, never asked a third time
    slots, msgs = _run(ValidateCompanyForm(), _tracker({**base, "unread": {"above_scale": 1}}, "中型企业", "inform",
                                                        [{"entity": "enterprise_size", "value": "medium"}], "above_scale"))
    assert "above_scale" in slots["skipped_facts"] and slots["requested_slot"] != "above_scale"
    assert any("跳过" in (m.get("text") or "") for m in msgs)


def test_is_a_high_tech_enterprise_to_the_tier_question():
    from actions.actions import ValidateCompanyForm
    base = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "A", "green_threshold_met": True,
            "focus": {"kind": "award", "entries": ["linqing_2022_bearing.r2.high_tech"]}, "checking": True}
    slots, msgs = _run(ValidateCompanyForm(), _tracker(base, "是高新技术企业", "inform", [], "high_tech_status"))
    assert any("分档" in (m.get("text") or "") for m in msgs)
    assert slots["requested_slot"] == "high_tech_status"


def test_an_award_question_is_answered_before_any_question():
    from actions.actions import ValidateCompanyForm
    text = "临清轴承企业新授权一件发明专利奖励多少？实用新型呢？"
    ents = [{"entity": "region", "value": "linqing"}, {"entity": "is_bearing_enterprise", "value": True},
            {"entity": "new_invention_patents", "value": 1}]
    slots, _ = _run(ValidateCompanyForm(), _tracker({"region": "linqing", "is_bearing_enterprise": True,
                                                      "new_invention_patents": 1}, text, "ask_eligibility", ents))
    assert slots["requested_slot"] is None and slots["checking"] is False and slots["focus"]["kind"] == "award"


# -- structured answers ----------------------------------------------------------------------------------
def test_structured_answer_only_when_asked():
    from actions.actions import ActionAnswerEligibility
    slots = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "B", "green_threshold_met": True, "high_tech_status": "first"}
    _, plain = _run(ActionAnswerEligibility(), _tracker(slots, "…"))
    assert not any(m.get("custom") for m in plain)
    _, msgs = _run(ActionAnswerEligibility(), _tracker(slots, "…", metadata={"huiqi_structured": True}))
    custom = [m["custom"] for m in msgs if m.get("custom")]
    assert len(custom) == 1 and custom[0]["huiqi_answer"] == "1.0" and custom[0]["kind"] == "answer"
    texts = [m["text"] for m in msgs if m.get("text")]
    assert custom[0]["text"] == "\n\n".join(texts)
    card = next(a for a in custom[0]["awards"] if a["entry"] == "linqing_2022_bearing.r2.high_tech")
    assert card["amount"].endswith("10万元") and card["status"] == "expired" and card["certainty"] == "fixed"
    assert custom[0]["facts"]["region"] == "linqing" and custom[0]["detail"]


def test_deadlines_and_materials_are_not_in_the_documents():
    a = QUESTIONS.answer("ask_department", "高企奖励申报截止时间是什么时候？要交哪些材料？", ["high_tech"], None, None, DAY)
    assert "没有写明" in a and "申报截止时间" in a and "申报材料" in a
    assert "市科技局" in a and "省科技厅" in a  # the departments the tables name for the 高企 awards
    assert "有效期三年" not in a  # not the glossary's definition of 高企


# -- quantities users say are facts; what they imply is data (rules/facts.yml derived) ----------------
def test_revenue_and_rd_spend_in_two_messages_give_the_ratio():
    from huiqi.dialogue import implied_facts
    # 规模以上工业企业：年主营业务收入2000万元及以上; 研发投入 ÷ 销售收入 × 100%
    assert VOCAB["above_scale"].derived == {"from": "annual_revenue", "ge": 20000000}
    got = implied_facts(ENGINE, {"annual_revenue": 30_000_000, "rd_spend": 1_800_000})
    assert got["above_scale"] is True and got["rd_ratio"] == 6.0
    assert implied_facts(ENGINE, {"annual_revenue": 15_000_000})["above_scale"] is False
    # 青海（三）创新券：注册成立不满3年
    assert implied_facts(ENGINE, {"registered_years": 2})["innovation_voucher_eligible_startup"] is True
    assert extractor().quantities("去年营收3000万") == {"annual_revenue": 30_000_000}
    assert extractor().quantities("研发投入180万") == {"rd_spend": 1_800_000}


def test_the_ratio_from_two_messages_through_the_form():
    from actions.actions import ValidateCompanyForm
    base = {**BEARING, "annual_revenue": 30_000_000, "focus": {"kind": "all", "entries": []}, "checking": True}
    t = _tracker(base, "研发投入180万", "inform", [{"entity": "amount", "value": 1_800_000}], "rd_ratio")
    t.latest_message["huiqi_quantities"] = {"rd_spend": 1_800_000}
    slots, _ = _run(ValidateCompanyForm(), t)
    assert slots["rd_spend"] == 1_800_000 and slots["requested_slot"] != "rd_ratio"  # 6%: not asked again


def test_a_measure_paying_no_money_is_answered_when_asked_about():
    # 第15条：省风险补偿资金承担35%，聊城市风险补偿资金承担 35%，合作银行承担坏账损失的 30%。
    # 临清风险补偿资金承担聊城市风险补偿资金的 40%。 (for the banks: it pays the asker nothing)
    f = focus_for("客户问临清科技成果转化贷款出了坏账，风险补偿怎么分担", "linqing")
    assert "linqing_2021_measures.m15.bank_risk_sharing" in f.entries
    text = F.answer(ENGINE, f, {"region": "linqing"}, DAY).text
    assert "35%" in text and "30%" in text and "40%" in text
    # 青海（七）：现金奖励，减按50%计入科技人员当月“工资、薪金所得”依法缴纳个人所得税
    f = focus_for("他问青海科研人员从职务成果转化拿到现金奖励，个税有什么优惠", "qinghai")
    assert f.entries[0] == "qinghai_2020_measures.m07.cash_reward_income_tax"
    assert "50%" in F.answer(ENGINE, f, {"region": "qinghai"}, DAY).text


def test_case_by_case_says_who_decides():
    # 奖励标准11：经市人才工作领导小组评议通过后，“一事一议”给予人才支持或项目资助。
    f = focus_for("临清轴承企业引进一个掌握核心关键技术的顶尖人才，能给多少钱", "linqing")
    assert "人才工作领导小组" in F.answer(ENGINE, f, {"region": "linqing"}, DAY).text


def test_a_whole_topic_asked_broadly():
    # 青海（五）每个平台每年最高补助100万元; （十六）200万元; （三）世界500强500万元: all 创新平台 awards
    f = focus_for("青海省在科技创新平台建设方面有哪些支持措施？", "qinghai")
    assert f.kind == "topic"
    text = F.answer(ENGINE, f, {"region": "qinghai"}, DAY).text
    assert "500万元" in text and "200万元" in text and "100万元" in text


def test_the_awards_the_company_s_words_point_at():
    # 奖励标准1：对首次成为国家科技型中小企业的，一次性奖励5万元 (规上 alone points at nothing:
    # it is a condition of every bearing award)
    facts = {**BEARING, "tech_sme_status": "first"}
    pointed = F.singled_out(ENGINE, facts, DAY)
    assert len(pointed) == 1 and pointed[0].startswith("科技型中小企业入库奖励") and "5万元" in pointed[0] \
        and "已过期" in pointed[0]
    assert F.singled_out(ENGINE, BEARING, DAY) == []
    # 青海（一）：对新认定的高新技术企业奖励10万元; "不是高企" points at nothing
    assert any("10万元" in p for p in F.singled_out(ENGINE, {"region": "qinghai", "entity_type": "enterprise",
                                                              "high_tech_status": "first"}, DAY))
    assert F.singled_out(ENGINE, {"region": "qinghai", "entity_type": "enterprise", "high_tech_status": "none"}, DAY) == []


def test_how_much_keeps_the_money_awards_in_focus():
    # 第2条：对认定为聊城市级平台的给予5万元一次性奖励 — asked "给多少钱", the figure, not a
    # support direction that pays nothing
    t = "临清的 企业技术中心认定成聊城市级了 给多少钱"
    f = focus_for(t, "linqing")
    assert "linqing_2021_measures.m02.liaocheng_platform" in f.entries
    text = F.answer(ENGINE, f, {"region": "linqing", "new_platform_level": "liaocheng"}, DAY).text
    assert "5万元" in text
    lines = [l for l in text.splitlines() if l.startswith(("·", "❌", "✅", "○"))]
    assert not any(l.startswith("❌") for l in lines[:lines.index(next(l for l in lines if "5万元" in l))])


# -- a fact said after an answer: the awards beside the focus it bears on -----------------------------
def _answered(focus_text, region, slots, text, entities):
    """The eligibility action after an answer to `focus_text` (its state as last_awards), on the
    message `text` that says `entities`."""
    from actions.actions import ActionAnswerEligibility
    f = focus_text if isinstance(focus_text, F.Focus) else focus_for(focus_text, region)
    before = F.answer(ENGINE, f, dict(slots), DAY).state
    t = _tracker({**slots, "focus": f.to_json(), "last_awards": before, "checking": False}, text, "inform", entities)
    slots_out, msgs = _run(ActionAnswerEligibility(), t)
    return slots_out, "\n".join(m.get("text") or "" for m in msgs)


def test_a_later_fact_names_the_award_it_bears_on():
    # 青海（一）：对高新技术企业中认定为“省级科技小巨人”的企业，再奖励90万元 — said after the 高企
    # answer, it is the 90万元 that fact bears on, still subject to being a 高企
    slots, text = _answered("青海的高新技术企业有什么奖励", "qinghai", {"provincial_little_giant": True},
                            "他说他们还是省级科技小巨人", [{"entity": "provincial_little_giant", "value": True}])
    assert "90万元" in text and "高新技术企业认定情况" in text
    assert "没有改变结果" not in text


def test_a_later_tier_brings_in_the_awards_of_that_tier():
    # 临清2021第9条：对通过国家、省认定的，…临清市财政分别给予50万元、10万元一次性运营奖补 — asked
    # about the 省级 one, then "是国家级的": the 国家级 50万元, which the first focus did not hold
    f = F.Focus("award", ("linqing_2021_measures.m09.provincial_incubator",))
    slots, text = _answered(f, "linqing", {"incubator_level": "national"},
                            "对方说他们是国家级的孵化器", [{"entity": "incubator_level", "value": "national"}])
    line = next(l for l in text.splitlines() if "国家级科技企业孵化器认定运营奖补" in l)
    assert "50万元" in line
    assert "linqing_2021_measures.m09.national_incubator" in slots["focus"]["entries"]


def test_a_condition_of_every_award_points_at_none_beside_the_focus():
    # 规上 is a condition of every bearing award (二、奖励对象): said after the patent answer, it
    # names no other award; 科小首次入库 sets the figure of 奖励标准1 (首次…一次性奖励5万元)
    f = focus_for("临清轴承企业发明专利奖励多少", "linqing")
    facts = {"region": "linqing", "is_bearing_enterprise": True, "above_scale": True}
    assert F.related(ENGINE, f, facts, ["above_scale"], DAY) == ([], f)
    lines, wider = F.related(ENGINE, f, {**facts, "tech_sme_status": "first"}, ["tech_sme_status"], DAY)
    assert any("科技型中小企业" in l and "5万元" in l for l in lines)
    assert "linqing_2022_bearing.r1.tech_sme" in wider.entries


# -- when the money is paid: what the documents say of it ---------------------------------------------
@pytest.mark.parametrize("text", ["客户问临清轴承企业的奖励资金什么时候能拨下来", "临清轴承企业的补贴多久能到账"])
def test_payout_time_quotes_the_bearing_plan_s_procedure(text):
    # 临清2022（三）严格考核评价：对符合奖励条件的轴承企业，每年年底组织第三方对其科技创新情况进行
    # 绩效评价，评价结果报市政府研究讨论后，按程序兑付拨付奖励资金。
    a = QUESTIONS.answer("ask_award", text, extractor().topics_in(text), "linqing", None, DAY)
    assert "没有写明发放时间" in a
    assert "每年年底组织第三方对其科技创新情况进行绩效评价" in a


def test_payout_time_where_a_document_says_nothing_of_it():
    # 青海（八）：博士研究生、硕士研究生分别给予一次性40万元和10万元税后特殊支持（安家费） — nothing on when
    a = QUESTIONS.answer("ask_award", "青海的博士安家费什么时候发", ["talent"], "qinghai", None, DAY)
    assert "没有写明发放时间" in a and "省人才办" in a and "兑付程序" not in a


def test_payout_follow_up_is_about_the_awards_in_focus():
    from actions.actions import ActionAnswerTopic
    # 奖励标准10：聘用“科技副总”期间…费用的50%给予后补助; then "这钱什么时候到账"
    f = focus_for("临清轴承企业聘了科技副总有补贴吗", "linqing")
    t = _tracker({"focus": f.to_json(), "topic": "tech_transfer"}, "他问这钱什么时候能到账", "ask_award")
    _, msgs = _run(ActionAnswerTopic(), t)
    text = "\n".join(m.get("text") or "" for m in msgs)
    assert "每年年底组织第三方" in text and "科技副总" in text and "市科技局" in text


def test_a_sum_said_with_an_award_question_computes_it():
    from actions.actions import ValidateCompanyForm
    # 青海（三）：对我省采购方按照成交金额的10%给予补助，最高补助200万元 — 500万 × 10% = 50万
    text = "青海的 我们买了省内企业首次投向市场的科技成果转化产品 成交额500w 能补多少"
    _, ents = extractor().interpret(text, "ask_eligibility")
    assert ("amount", 5000000) in [(e.entity, e.value) for e in ents]
    assert "tech_deal_role" not in [e.entity for e in ents]  # a product bought, not a result transferred
    slots, _ = _run(ValidateCompanyForm(), _tracker({"region": "qinghai"}, text, "ask_eligibility",
                                                     [{"entity": e.entity, "value": e.value} for e in ents]))
    assert slots["first_purchase_amount"] == 5000000
    f = F.Focus.from_json(slots["focus"])
    assert "50万元" in F.answer(ENGINE, f, {"region": "qinghai", "first_purchase_amount": 5000000}, DAY).text


def test_one_measure_s_tiers_share_a_line_in_a_topic_answer():
    # 青海（八）：对于符合条件的博士研究生、硕士研究生分别给予一次性40万元和10万元税后特殊支持(安家费)
    text = F.answer(ENGINE, focus_for("青海引进人才有啥补贴", "qinghai"), {"region": "qinghai"}, DAY).text
    assert "研究生安家费：博士一次性40万元、硕士一次性10万元" in text
    # 临清2021第2条：…临清市财政分别给予20万元、10万元一次性奖励。对认定为聊城市级平台的给予5万元一次性奖励
    text = F.answer(ENGINE, focus_for("临清 创新平台 有啥奖励", "linqing"), {"region": "linqing"}, DAY).text
    line = next(l for l in text.splitlines() if "第2条" in l)
    assert "20万元" in line and "10万元" in line and "5万元" in line
    assert F._common_tail(["博士研究生安家费", "硕士研究生安家费"]) == ("研究生安家费", ["博士", "硕士"])


def test_what_support_a_topic_has_lists_its_money_awards():
    # 奖励标准7：每个项目支持额度不低于合同实际支付金额的50%，支持额度最高不超过100万元；
    # 奖励标准9：按照年度技术合同交易额不超过2%给予补助，最高不超过50万元
    text = F.answer(ENGINE, focus_for("客户问临清对技术转移、成果转化有什么支持", "linqing"), {"region": "linqing"}, DAY).text
    assert "不低于50%" in text and "不超过2%" in text


def test_a_unit_that_hired_graduates_hears_of_the_awards_paid_to_them():
    # 青海（八）：对于符合条件的博士研究生、硕士研究生分别给予一次性40万元和10万元税后特殊支持(安家费)。
    # (责任单位:省人才办,…) — paid to the graduates, not to the company that hired them
    facts = {"region": "qinghai", "entity_type": "enterprise", "academic_degree": "phd"}
    line = F.for_people(ENGINE, facts)
    assert "40万元" in line and "10万元" in line and "省人才办" in line and "不是给单位" in line
    assert line in F.answer(ENGINE, F.EVERYTHING, facts, DAY).text
    assert F.for_people(ENGINE, {"region": "qinghai", "entity_type": "enterprise"}) == ""
    assert F.for_people(ENGINE, {**facts, "entity_type": "individual"}) == ""  # a graduate asking: their own answer


@pytest.mark.parametrize("text, region, entry", [
    # 奖励标准10 (科技副总), 青海（八）安家费: one award named, even asked "有什么补贴"
    ("临清科技副总有什么补贴", "linqing", "linqing_2022_bearing.r10.science_vice_president"),
    ("青海博士安家费有什么补贴", "qinghai", "qinghai_2020_measures.m08.phd_settlement"),
])
def test_an_award_named_stays_the_focus_when_asked_what_it_gives(text, region, entry):
    f = focus_for(text, region)
    assert f.kind == "award" and f.entries[0] == entry


def test_a_measure_naming_no_figure_says_so_in_a_list():
    # 青海（十八）：…符合规定的给予一定比例的风险补偿 — no share, no condition stated; 对符合条件的,
    # 财政按规定给予贴息 — no rate. A list line says what the text leaves open, not only "金融支持".
    text = F.answer(ENGINE, focus_for("我们在海北 科技金融 贷款融资这块有什么政策", "qinghai"), {"region": "qinghai"}, DAY).text
    assert "风险补偿：金融支持，原文未规定补偿比例和条件" in text
    assert "原文未规定贴息条件、比例或金额" in text


@pytest.mark.parametrize("text", ["我们在海北 科技金融 贷款融资这块有什么政策", "青海科技金融这一块有什么政策"])
def test_an_area_named_with_zhe_kuai_is_the_whole_topic(text):
    # "这块"/"这一块" as "方面": 青海（十八） has the risk share, 创业担保贷款贴息, 科技信贷, the fund and the
    # 70 % deduction for 创业投资企业 — the whole topic, not its one best match
    f = focus_for(text, "qinghai")
    assert f.kind == "topic"
    assert {"qinghai_2020_measures.m18.loan_risk_compensation", "qinghai_2020_measures.m18.guaranteed_loan_interest",
            "qinghai_2020_measures.m18.vc_deduction"} <= set(f.entries)
    # 青海（十）科技援青 is the government's own arrangement (体制机制), not a measure an owner can use
    assert "qinghai_2020_measures.m10.tech_aid_qinghai" not in f.entries


def test_a_measure_named_beside_a_money_award_stays_in_focus():
    # 临清 第15条：…临清风险补偿资金承担聊城市风险补偿资金的 40%。 (for the 合作银行) and …按照聊城市级财政贴息
    # 支持额度的50%给予市级财政补助 (for the company): "风险补偿 贴息这些" names both
    text = F.answer(ENGINE, focus_for("客户问临清科技贷款有啥支持 风险补偿 贴息这些", "linqing"), {"region": "linqing"}, DAY).text
    assert "40%" in text and "50%" in text
    # asked how much, the money award alone (the bank's share pays the company nothing)
    f = focus_for("临清科技成果转化贷款贴息能补多少", "linqing")
    assert f.entries == ("linqing_2021_measures.m15.interest_subsidy",)


def test_an_award_paid_to_a_hired_person_is_worked_out_for_them():
    # 奖励标准11：对于柔性引进的各类高层次人才，按照其当年在临劳动报酬的30%发放人才奖励。— 24万元 × 30% = 7.2万元, the
    # person's money, asked about by the company that hired them
    f = focus_for("我们轴承企业柔性引进了一位外地的高层次人才，他今年在临清的劳动报酬是24万元，人才奖励能发多少？", "linqing")
    facts = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True,
             "flexible_high_level_talent": True, "flexible_talent_local_pay": 240_000}
    text = F.answer(ENGINE, f, facts, DAY).text
    assert "7.2万元" in text and "发给个人本人（不是给单位）" in text


def test_the_sum_asked_of_goes_to_each_award_reckoned_from_it():
    from actions.actions import _base_said
    # 第1条：对列入聊城市重点研发资金计划的项目，按照聊城市项目资金的50%给予配套支持 — 60万 × 50% = 30万; 奖励标准6
    # (also in focus): 按照上级财政资助额度给予20%配套奖励 — 60万 × 20% = 12万: each from what 聊城 gave
    f = focus_for("我公司的一个项目列入了聊城市重点研发资金计划，聊城市安排了60万元项目资金，请问临清市还能给多少配套支持？", "linqing")
    assert len(f.entries) > 1
    base = _base_said(f, [{"entity": "amount", "value": 600_000}], {})
    assert set(base.values()) == {600_000}
    facts = {"region": "linqing", "entity_type": "enterprise", **base}
    text = F.answer(ENGINE, f, facts, DAY).text
    assert "30万元" in text and "12万元" in text
    # 第8条：…对开展创新服务综合绩效突出的，按聊城市财政给予配套补助的50%给予配套补助 — a sum the NLU read under another award's
    # name (聊城 support) is this award's: 16万 × 50% = 8万
    f = focus_for("临清的科研院所面向企业开放创新资源，创新服务综合绩效突出，聊城市财政给了16万配套补助，临清还能配套多少", "linqing")
    base = _base_said(f, [], {"liaocheng_support_amount": 160_000})
    assert list(base.values()) == [160_000]
    assert "8万元" in F.answer(ENGINE, f, {"region": "linqing", **base}, DAY).text


def test_beside_what_is_decided_the_awards_the_company_pointed_at_are_named():
    # a bearing company, 规上, its lab newly a 聊城市级 platform, the 绿色门槛 not answered:
    # 临清 2021 第2条 "新认定为聊城市级…一次性奖励5万元" is met (if the draft is adopted); 临清轴承
    # 奖励标准3 "对当年新认定的国家级、省级、聊城市级创新创业平台，分别给予最高500万元、100万元、20万元奖励"
    # still waits on the threshold: named with its figure, not left in "另有N项"
    facts = {**BEARING, "rd_ratio": 5.5, "mu_efficiency_grade": "A", "new_platform_level": "liaocheng"}
    text = F.answer(ENGINE, F.EVERYTHING, facts, DAY).text
    assert "5万元" in text
    line = next(l for l in text.split("\n") if l.startswith("与所说情况相关、还要核对的"))
    assert "当年新认定创新创业平台奖励" in line and "20万元" in line and "绿色门槛" in line


def test_the_case_a_question_states_chooses_among_awards_sharing_its_words():
    # "刚评上聊城市级工程研究中心" is 临清 2021 第2条 "新认定为聊城市级…一次性奖励5万元", not 第4条 (国家重大创新
    # 基地的新型研发机构, whose text shares more of the question's words); a company not in bearings is not
    # 临清轴承's 奖励标准3 ("全市轴承工业企业")
    text = "临清的厂子 不是做轴承的 刚评上聊城市级工程研究中心 临清给啥奖励"
    said = {"region": "linqing", "is_bearing_enterprise": False, "new_platform_level": "liaocheng"}
    f = F.choose(QUESTIONS, text, extractor().topics_in(text), "linqing", said=said)
    assert f.entries[0] == "linqing_2021_measures.m02.liaocheng_platform"
    assert "linqing_2022_bearing.r3.platform" not in f.entries[:1]
    plain = F.choose(QUESTIONS, text, extractor().topics_in(text), "linqing")
    assert plain.entries[0] != "linqing_2021_measures.m02.liaocheng_platform"  # (what the words alone pick)


# -- a sum asked ---------------------------------------------------------------------------------------
def test_two_awards_asked_together_are_added_up_under_both_readings_of_the_bearing_plan():
    # 临清轴承 奖励标准5: "对企业当年新增授权的权属明确的自主发明专利、实用新型专利，分别每件给予5000元、500元奖励"
    # 3 × 5000 + 8 × 500 = 19000元; 三(四)后: "同一企业在同一年度内符合…多个补助条件的，按照“就高不重复”的原则进行补助"
    # (which awards it binds is not said: the highest alone, 1.5万元, is the other reading)
    focus = F.Focus("award", ("linqing_2022_bearing.r5.invention_patent", "linqing_2022_bearing.r5.utility_patent"))
    facts = {**BEARING, "new_invention_patents": 3, "new_utility_patents": 8}
    text = F.answer(ENGINE, focus, facts, DAY, asked="一共能拿多少").text
    assert "1.9万元" in text and "就高不重复" in text and "1.5万元" in text and "市科技局" in text
    assert "合计" not in F.answer(ENGINE, focus, facts, DAY, asked="能拿多少").text  # only when a sum is asked


def test_a_yearly_award_added_up_over_its_longest_term():
    # 青海 措施（十六）: "建设期内给予每年200万元的建设与运行经费支持，支持期限不超过5年" → 200万 × 5 = 1000万
    focus = F.Focus("award", ("qinghai_2020_measures.m16.national_key_platform",))
    text = F.answer(ENGINE, focus, {"region": "qinghai", "entity_type": "enterprise"}, DAY, asked="那加起来最多能拿多少").text
    assert "最多1000万元" in text and "5年" in text


def test_a_unit_telling_of_a_person_it_trained_keeps_its_own_awards_and_hears_the_persons_figure():
    # 临清轴承 奖励标准9: "按照年度技术合同交易额不超过2%给予补助，最高不超过50万元" (3000万 × 2% = 60万 → 50万);
    # 奖励标准11: "对经我市自主培养并成功入选国家、省部级高层次人才工程的，分别给予50万元、20万元的人才资金奖励" (省部级 → 20万, the person's)
    facts = {**BEARING, "tech_contract_amount": 30_000_000, "linqing_trained_talent_program": "provincial_ministerial"}
    text = F.answer(ENGINE, F.EVERYTHING, facts, DAY).text
    assert "按50万元计" in text
    person = next(line for line in text.splitlines() if "发给个人本人" in line)
    assert "20万元" in person and "50万元" not in person


def test_the_total_names_the_cap_it_is_still_subject_to():
    # 临清轴承 三(四): "对规模以上轴承企业，奖励资金额度不超过其较上一年度新增税收形成地方财力额度的80%。" and
    # "对符合以下条件之一的企业，奖励资金额度不超过其较上一年度新增税收形成的地方财力额度。" (100%)
    facts = {**BEARING, "rd_ratio": 6, "mu_efficiency_grade": "B", "green_threshold_met": True, "high_tech_status": "first"}
    total = next(x for x in F.answer(ENGINE, F.EVERYTHING, facts, DAY).text.splitlines() if x.startswith("合计（临清轴承"))
    assert "另受合计上限约束（不超过新增税收形成的地方财力的80%或100%）" in total


def test_a_case_the_text_leaves_open_lifts_nothing():
    # 临清轴承 奖励标准2: "…中断后再次认定的企业奖励3万元" decides a re-certified bearing firm's case; 青海（一）
    # "对新认定的高新技术企业奖励10万元" leaves open whether a re-certification is 新认定: it is not put first
    text = "轴承企业 规上 以前是高企 断过 今年又重新认定上了 奖多少"
    said = {"is_bearing_enterprise": True, "above_scale": True, "high_tech_status": "after_lapse"}
    f = F.choose(QUESTIONS, text, extractor().topics_in(text), None, said=said)
    assert f.entries[0] == "linqing_2022_bearing.r2.high_tech"


def test_how_an_area_is_rewarded_asks_for_the_money_awards():
    # 临清 2021 第2条: "凡是认定为国家、省级技术创新平台的…临清市财政分别给予20万元、10万元一次性奖励" — money, not the
    # measures that only name a direction (重点任务4) or a recommendation
    f = focus_for("临清对创新平台 重点实验室 技术中心这些怎么奖", "linqing")
    assert "linqing_2021_measures.m02.national_platform" in f.entries
    assert all(CAT.by_id[e].pays_money for e in f.entries)


def test_tiers_one_case_cannot_both_meet_are_not_added_up():
    # 临清 2021 第9条: "对通过国家、省认定的…临清市财政分别给予50万元、10万元一次性运营奖补" — one incubator, one level
    f = F.Focus("award", ("linqing_2021_measures.m09.national_incubator", "linqing_2021_measures.m09.provincial_incubator"))
    text = F.answer(ENGINE, f, {"region": "linqing"}, DAY, asked="那加起来最多能拿多少").text
    assert "60万元" not in text and "不能相加" in text


def test_a_tier_the_text_gives_no_figure_is_said_to_have_none():
    # 临清 2021 第6条: "…给予大型企业 10万元、中型企业5万元、小型企业3万元一次性资金奖励" — 微型企业 is not named
    f = F.Focus("award", ("linqing_2021_measures.m06.rd_institution_award",))
    facts = {"region": "linqing", "entity_type": "enterprise", "enterprise_size": "micro", "rd_institution_first_confirmed": True}
    text = F.answer(ENGINE, f, facts, DAY).text
    assert "未规定微型企业的金额" in text


def test_a_small_firm_that_is_a_tech_sme_of_some_tier_qualifies_for_the_bearing_awards():
    # 临清轴承 奖励对象: "全市轴承工业企业中规模以上企业及规模以下科技型中小企业" and 奖励标准5 每件5000元: 2件 → 1万元,
    # with "我们是科小" (a tech SME this year, the tier not said)
    facts = dialogue.profile_from_slots(VOCAB, {
        "region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "above_scale": False,
        "tech_sme_status": {"one_of": ["first", "consecutive", "after_lapse"]}, "rd_ratio": 6,
        "mu_efficiency_grade": "C", "green_threshold_met": True, "new_invention_patents": 2})
    r = ENGINE.judge(CAT.by_id["linqing_2022_bearing.r5.invention_patent"], facts, DAY)
    assert r.verdict == ELIGIBLE and r.amount.exact == 10_000


def test_one_sum_is_an_awards_base_not_also_its_cap():
    # 青海（二）: "择优按转移转化项目研发总投入的20%,给予不高于企业三年累计缴税总额…的财政资金补助" — a sum said
    # alone is the 研发总投入 (800万 × 20% = 160万), not also the three years' tax that caps it
    e = CAT.by_id["qinghai_2020_measures.m02.tech_introduction"]
    assert F.bases_said(VOCAB, [e], [8_000_000], {}) == {"tech_introduction_rd_investment": 8_000_000}


# -- another case moves the focus to the awards beside it ------------------------------------
def test_a_case_every_award_in_focus_fails_moves_to_the_award_beside_it():
    # 青海（八）: "对于符合条件的博士研究生、硕士研究生分别给予一次性40万元和10万元税后特殊支持(安家费)"
    f = F.Focus("award", ("qinghai_2020_measures.m08.master_settlement",))
    facts = {"region": "qinghai", "academic_degree": "phd"}
    moved = F.moved_by_case(ENGINE, f, facts, {"academic_degree": "phd"}, DAY)
    assert moved.entries == ("qinghai_2020_measures.m08.phd_settlement",)
    # 临清 2021 第2条: "凡是认定为国家、省级技术创新平台的…临清市财政分别给予20万元、10万元一次性奖励";
    # an award in focus that the case does not concern (第4条's 新型研发机构) stays, after the one moved to
    f = F.Focus("topic", ("linqing_2021_measures.m02.provincial_platform", "linqing_2021_measures.m04.national_base"))
    facts = {"region": "linqing", "new_platform_level": "national"}
    moved = F.moved_by_case(ENGINE, f, facts, {"new_platform_level": "national"}, DAY)
    assert moved.entries == ("linqing_2021_measures.m02.national_platform", "linqing_2021_measures.m04.national_base")


def test_a_case_moves_the_awards_it_fails_and_keeps_those_it_fits():
    # 临清 2021 第2条 "对认定为聊城市级平台的给予5万元…国家、省级技术创新平台的…临清市财政分别给予20万元、10万元";
    # 轴承 奖励标准3 "对当年新认定的国家级、省级、聊城市级创新创业平台，分别给予最高500万元、100万元、20万元" fits 国家级
    f = F.Focus("topic", ("linqing_2021_measures.m04.national_base", "linqing_2022_bearing.r3.platform",
                          "linqing_2021_measures.m02.liaocheng_platform"))
    facts = {"region": "linqing", "new_platform_level": "national"}
    moved = F.moved_by_case(ENGINE, f, facts, {"new_platform_level": "national"}, DAY)
    assert moved.entries == ("linqing_2021_measures.m02.national_platform", "linqing_2021_measures.m04.national_base",
                             "linqing_2022_bearing.r3.platform")


def test_a_case_an_award_in_focus_still_fits_moves_nothing():
    # 青海（八）: the 硕士 award asked "硕士呢" again, and a case none of the awards uses
    f = F.Focus("award", ("qinghai_2020_measures.m08.master_settlement",))
    assert F.moved_by_case(ENGINE, f, {"region": "qinghai", "academic_degree": "master"},
                           {"academic_degree": "master"}, DAY) is None
    assert F.moved_by_case(ENGINE, f, {"region": "qinghai", "above_scale": True}, {"above_scale": True}, DAY) is None
    # 青海（一）: "对新认定的高新技术企业奖励10万元…对高新技术企业中认定为“省级科技小巨人”的企业,再奖励90万元" — "前年认定的
    # 高企呢" fails 新认定; 小巨人's 再奖励 allows any 高企 but is no other tier of it: the "no" stays
    f = F.Focus("award", ("qinghai_2020_measures.m01.high_tech_new",))
    for value in ("valid_earlier", "none"):
        facts = {"region": "qinghai", "entity_type": "enterprise", "high_tech_status": value}
        assert F.moved_by_case(ENGINE, f, facts, {"high_tech_status": value}, DAY) is None


def test_a_fact_said_after_a_topic_answer_brings_the_awards_of_that_topic_it_decides():
    # 轴承 奖励标准3: "对当年新认定的国家级、省级、聊城市级创新创业平台，分别给予最高500万元、100万元、20万元奖励"
    # — "做轴承的" said after 临清 2021 第2条's platform awards: the bearing plan's platform award beside them
    f = F.Focus("topic", ("linqing_2021_measures.m02.provincial_platform", "linqing_2021_measures.m02.national_platform",
                          "linqing_2021_measures.m02.liaocheng_platform"))
    facts = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True}
    before = {**facts, "is_bearing_enterprise": False}  # ("说错了，他们是做轴承的")
    lines, moved = F.related(ENGINE, f, facts, ["is_bearing_enterprise"], DAY, before=before)
    assert "linqing_2022_bearing.r3.platform" in moved.entries and "500万元" in "\n".join(lines)
    # "不是做轴承的": a no points at nothing
    lines, moved = F.related(ENGINE, f, before, ["is_bearing_enterprise"], DAY, before=facts)
    assert lines == [] and moved == f
    # "规上" said after the same answer leaves the bearing plan's award as open as it was: not brought in
    facts = {"region": "linqing", "entity_type": "enterprise", "above_scale": True}
    lines, moved = F.related(ENGINE, f, facts, ["above_scale"], DAY, before={"region": "linqing", "entity_type": "enterprise"})
    assert "linqing_2022_bearing.r3.platform" not in moved.entries


def test_a_detail_the_text_may_answer_in_other_words_is_not_said_to_be_unwritten():
    # 轴承 奖励标准2: "对首次通过认定高新技术企业的，一次性奖励10万元" — "一次性" answers "分几年发"; "对连续通过
    # 认定的，一次性奖励5万元" answers "明年还能再拿吗": neither is "原文未写明"
    e = CAT.by_id["linqing_2022_bearing.r2.high_tech"]
    assert F.asked_line([e], "这钱能分几年发") == "" and F.asked_line([e], "明年再认定还能再拿吗") == ""
    # 青海（一）: "对新认定的高新技术企业奖励10万元" says nothing of who pays: said so, with whom to ask
    e = CAT.by_id["qinghai_2020_measures.m01.high_tech_new"]
    assert "原文未写明，请向省科技厅确认" in F.asked_line([e], "这钱省里出还是市州出")
