"""The hotline console's view of a call (huiqi.callsheet), without Rasa. Expected figures are
the documents' own sentences (quoted)."""
import datetime as dt
import json

import pytest

from huiqi.callsheet import call_state, summary
from huiqi.engine import Engine
from huiqi.generate import hotline_question
from huiqi.tables import load_catalogue

from tests.browser_support import ROOT

CAT = load_catalogue()
ENGINE = Engine(CAT)
DAY = dt.date(2026, 12, 4)
BEARING = json.loads((ROOT / "examples" / "linqing_bearing.json").read_text(encoding="utf-8"))["facts"]


def card(state, entry):
    return next(c for c in state["cards"] if c["entry"] == entry)


def test_bearing_company_cards():
    st = call_state(ENGINE, BEARING, DAY)
    # 奖励标准2：“对首次通过认定高新技术企业的，一次性奖励10万元。”
    ht = card(st, "linqing_2022_bearing.r2.high_tech")
    # the plan's trial ended on 2023-10-14: its conditions hold, but it is no sure money (issue 8)
    assert ht["verdict_zh"] == "符合·已过期" and ht["in_force"] is False and "10万元" in ht["amount"]
    assert ht["document"] == "临清轴承行动计划（试行）" and ht["measure"] == "奖励标准2"
    assert "市科技局" in ht["departments"] and "现已过期" in ht["status"]
    # 奖励标准4：“按其享受研发费用税前加计扣除数额的25%给予奖补” — 400万元 × 25%
    assert "100万元" in card(st, "linqing_2022_bearing.r4.rd_deduction")["amount"]
    # 奖励标准1 needs 科技型中小企业 status; the company is not 入库 → 不符合, with the reason
    sme = card(st, "linqing_2022_bearing.r1.tech_sme")
    assert sme["verdict_zh"] == "不符合" and any("今年未入库" in w for w in sme["why"])
    # only money awards, eligible first
    verdicts = [c["verdict"] for c in st["cards"]]
    assert verdicts == sorted(verdicts, key=["eligible", "need_information", "not_eligible"].index)
    assert all(next(e for e in CAT.entries if e.id == c["entry"]).pays_money for c in st["cards"])


def test_summary_has_facts_awards_citations_departments_and_unknowns():
    text = summary(call_state(ENGINE, BEARING, DAY))
    assert "- 所在地区：山东省聊城市临清市" in text
    assert "【符合·已过期】高新技术企业认定奖励：一次性10万元" in text
    assert "“2.对首次通过认定高新技术企业的，一次性奖励10万元。" in text  # the citation, verbatim
    assert "临政字〔2022〕37号" in text
    i, j = text.index("三、涉及部门"), text.index("四、尚不清楚")
    assert "市科技局" in text[i:j]
    assert "征求意见稿，未正式施行" in text  # the draft said as a draft
    # the caller did not know the 亩产 grade (skipped) and was not asked about patents
    slots = {**BEARING, "skipped_facts": ["mu_efficiency_grade"]}
    del slots["new_invention_patents"], slots["mu_efficiency_grade"]
    text = summary(call_state(ENGINE, slots, DAY))
    assert "【待确认·已过期】高新技术企业认定奖励" in text  # the bearing plan's awards depend on the grade
    unknown = text[text.index("四、尚不清楚"):]
    assert "当年新增授权的自主发明专利件数" in unknown
    assert "- 上一年度亩产效益评价等级（来电人不清楚）" in unknown
    assert "其他可能相关：" in unknown and "当年新认定的创新平台级别" in unknown


def test_implied_facts_are_marked_and_nothing_known_gives_no_cards():
    st = call_state(ENGINE, {"region": "linqing", "above_scale": True}, DAY)
    kinds = {f["id"]: f["implied"] for f in st["facts"]}
    assert kinds == {"region": False, "above_scale": False, "entity_type": True}
    empty = call_state(ENGINE, {}, DAY)
    assert empty["facts"] == [] and "（尚未了解）" in summary(empty)


def test_a_bad_slot_value_is_left_out_not_a_crash():
    st = call_state(ENGINE, {"region": "linqing", "rd_ratio": "abc", "above_scale": "maybe"}, DAY)
    assert [f["id"] for f in st["facts"]] == ["region"]


@pytest.mark.parametrize("fact", ["rd_ratio", "above_scale", "high_tech_status"])
def test_hotline_questions_are_what_to_ask_the_caller(fact):
    f = CAT.vocab[fact]
    assert hotline_question(f).startswith(f"请询问：{f.label}？")


def test_the_form_asks_through_its_validation_only():
    # Rasa's form runs action_ask_<slot> or utters utter_ask_<slot> after the validation when the
    # domain has one: a second call to the action server, or a second copy of the question that
    # the validation already sent (actions/actions.py ask()). The generated domain has neither.
    import yaml
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    slots = domain["forms"]["company_form"]["required_slots"]
    assert "rd_ratio" in slots and len(slots) > 5
    actions = [a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]]  # ({name: {send_domain: …}})
    assert "validate_company_form" in actions
    names = set(actions) | set(domain.get("responses") or {})
    assert not [n for n in names if n.startswith(("action_ask_", "utter_ask_"))]


def test_the_hotline_token_is_made_once(tmp_path, monkeypatch):
    from bot.channels.hotline import token
    monkeypatch.delenv("HUIQI_HOTLINE_TOKEN", raising=False)
    path = tmp_path / "var" / "hotline-token"
    first = token(path)
    assert len(first) >= 24 and token(path) == first
    assert path.stat().st_mode & 0o077 == 0  # its owner's only
    assert [p.name for p in path.parent.iterdir()] == ["hotline-token"]
    monkeypatch.setenv("HUIQI_HOTLINE_TOKEN", "from-the-environment")
    assert token(path) == "from-the-environment"
