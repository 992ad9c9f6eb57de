"""The fact extractor (huiqi.nlu), without Rasa. Cases from docs/nlu-annotation.md and the
issue's list of number forms."""
import pytest

from huiqi.nlu import extract, normalize


@pytest.mark.parametrize("text, value", [
    ("300万", 3_000_000), ("三百万元", 3_000_000), ("3百万", 3_000_000), ("0.03亿", 3_000_000),
    ("3,000,000", 3_000_000), ("300w", 3_000_000), ("３００万", 3_000_000), ("1.2亿", 120_000_000),
    ("两千万", 20_000_000), ("一千二百万", 12_000_000), ("50万元", 500_000), ("8000块", 8000),
])
def test_money_forms(text, value):
    assert extract(text, "inform") == {"amount": value}


@pytest.mark.parametrize("text, value", [("6%", 6), ("６％", 6), ("百分之六", 6), ("6个点", 6), ("5.5%", 5.5)])
def test_percent_forms(text, value):
    assert extract(text, "inform") == {"percent": value}


@pytest.mark.parametrize("text, expected", [
    ("研发加计扣除额大概三百万", {"rd_deduction_amount": 3_000_000}),
    ("加计扣除免税额50万", {"rd_deduction_tax_exemption": 500_000}),
    ("研发投入占销售收入6%", {"rd_ratio": 6}),
    ("研发占比百分之六", {"rd_ratio": 6}),
    ("今年新授权3个发明专利，实用新型10件", {"new_invention_patents": 3, "new_utility_patents": 10}),
    ("发明专利两件", {"new_invention_patents": 2}),
    ("年产值1.2亿，新增税收地方财力200万", {"output_value": 120_000_000, "new_local_fiscal_revenue": 2_000_000}),
    ("技术合同交易额500万", {"tech_contract_amount": 5_000_000}),
])
def test_quantities_attach_to_their_fact(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, expected", [
    ("我们是临清的轴承企业，规上，今年第一次认定高企，能拿多少奖励？",
     {"entity_type": "enterprise", "region": "linqing", "is_bearing_enterprise": True, "above_scale": True,
      "high_tech_status": "first"}),
    ("不对，我们是中型企业", {"entity_type": "enterprise", "enterprise_size": "medium"}),
    ("我们不是规上", {"above_scale": False}),
    ("规下企业", {"above_scale": False}),
    ("规模一上", {"above_scale": True}),  # one-character slip
    ("高新技木企业今年首次认定", {"high_tech_status": "first"}),
    ("高企到期又通过了", {"high_tech_status": "consecutive"}),
    ("中断过两年又认定的高企", {"high_tech_status": "after_lapse"}),
    ("高企是前年认定的", {"high_tech_status": "valid_earlier"}),
    ("我们还不是高企", {"high_tech_status": "none"}),
    ("我们是高企", {}),  # a bare mention names no tier: the bot asks
    ("科小连续入库", {"tech_sme_status": "consecutive"}),
    ("今年第一次入库科小", {"tech_sme_status": "first"}),
    ("去年亩产评了C类", {"mu_efficiency_grade": "C"}),
    ("B类", {"mu_efficiency_grade": "B"}),
    ("没出过安全事故，也没有失信", {"green_threshold_met": True}),
    ("我们是青海西宁的", {"region": "qinghai"}),
    ("俺们厂不是做轴承的", {"entity_type": "enterprise", "is_bearing_enterprise": False}),
    ("今年新认定了省级企业技术中心", {"new_platform_level": "provincial"}),
    ("专精特新企业", {"quality_enterprise_title": True}),
    ("我们是国企", {"is_state_owned": True}),
    ("第一次", {"tier": "first"}),
    ("连续的", {"tier": "consecutive"}),
    ("我们是小微企业", {"entity_type": "enterprise"}),  # 小微 is not one size class
    ("科技型中小企业", {}),  # not a size class either
])
def test_facts(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, topic", [
    ("高企奖励找哪个部门", "high_tech"), ("专利能奖多少钱", "patent"), ("研发费用加计扣除怎么补", "rd_expense"),
    ("孵化器有啥政策", "incubator"), ("首台套保险有补贴吗", "insurance"), ("创新券怎么领", "voucher"),
])
def test_topic_only_for_award_and_department_questions(text, topic):
    assert extract(text, "ask_award").get("topic") == topic
    assert "topic" not in extract(text, "inform")


@pytest.mark.parametrize("text", ["2022年的政策", "500强企业", "第一批资金", "帮我看一下", "今年第3次来问"])
def test_not_quantities(text):
    found = extract(text, "inform")
    assert not ({"amount", "number", "percent"} & set(found)), found


def test_normalize_keeps_offsets():
    t = "研发占比６％，Ｒ＆Ｄ投入"
    assert len(normalize(t)) == len(t) and normalize(t).startswith("研发占比6%")


@pytest.mark.parametrize("text", ["", "   ", "？？？", "😀😀", "a" * 5000, "万" * 50, "百分之", "1" * 400 + "万"])
def test_odd_input_never_crashes(text):
    extract(text, "inform")
