"""Amount rules, one test per kind and per edge. Figures come from the documents' sentences;
expected values are worked out by hand in the comments."""
import pytest

from huiqi.amounts import compile_amount
from huiqi.errors import Problem
from huiqi.tables import default_rules_dir
from huiqi.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(default_rules_dir() / "facts.yml")


def rule(vocab, spec):
    problems: list[Problem] = []
    r = compile_amount(spec, vocab, "t", problems)
    assert not problems, problems
    return r


# 青海 (五)：年度技术交易额度在1000万元 (含)以内的，给予1.5%的补助；1000万元以上的部分，给予1%的补助，每个平台每年最高补助100万元。
BRACKETS = {"kind": "brackets", "base": "transfer_platform_trade_volume",
            "brackets": [{"up_to": 10_000_000, "rate": 1.5}, {"rate": 1}], "cap": 1_000_000, "per": "yearly"}


@pytest.mark.parametrize("volume, expected", [
    (9_999_999, 150_000),       # 9,999,999 × 1.5% = 149,999.985 → 150,000 (rounded to the yuan)
    (10_000_000, 150_000),      # 10,000,000 × 1.5% = 150,000 exactly; nothing above the bracket
    (10_000_001, 150_000),      # 150,000 + 1 × 1% = 150,000.01 → 150,000
    (20_000_000, 250_000),      # 150,000 + 10,000,000 × 1% = 250,000
    (95_000_000, 1_000_000),    # 150,000 + 85,000,000 × 1% = 1,000,000: the cap reached exactly
    (200_000_000, 1_000_000),   # 150,000 + 190,000,000 × 1% = 2,050,000 → capped at 1,000,000
    (0, 0),
])
def test_marginal_brackets(vocab, volume, expected):
    a = rule(vocab, BRACKETS).compute({"transfer_platform_trade_volume": volume})
    assert a.exact == expected


def test_brackets_words(vocab):
    a = rule(vocab, BRACKETS).compute({"transfer_platform_trade_volume": 20_000_000})
    assert "1000万元 × 1.5%" in a.computation and "1000万元 × 1%" in a.computation
    assert a.computation.endswith("= 25万元")


def test_brackets_unknown_base_gives_cap_and_names_fact(vocab):
    a = rule(vocab, BRACKETS).compute({})
    assert a.exact is None and a.high == 1_000_000
    assert a.missing == ("transfer_platform_trade_volume",)


# 轴承 奖励标准4：对轴承企业按其享受研发费用税前加计扣除数额的25%给予奖补。
def test_percent_without_cap(vocab):
    r = rule(vocab, {"kind": "percent", "base": "rd_deduction_amount", "rate": 25, "per": "yearly"})
    a = r.compute({"rd_deduction_amount": 4_000_000})
    assert a.exact == 1_000_000  # 400万 × 25% = 100万
    assert a.computation == "享受研发费用税前加计扣除数额 400万元 × 25% = 100万元"


# 青海 (二)：按照当年研发费用加计扣除免税额的10%给予最高不超过200万元奖补。
@pytest.mark.parametrize("base, expected", [
    (19_999_990, 1_999_999),   # just under the cap
    (20_000_000, 2_000_000),   # the cap reached exactly
    (20_000_010, 2_000_000),   # over: capped
])
def test_percent_cap_edges(vocab, base, expected):
    r = rule(vocab, {"kind": "percent", "base": "rd_deduction_tax_exemption", "rate": 10, "cap": 2_000_000, "per": "yearly"})
    assert r.compute({"rd_deduction_tax_exemption": base}).exact == expected


# 青海 (二)：择优按转移转化项目研发总投入的20%，给予不高于企业三年累计缴税总额，最高200万元的财政资金补助
def test_percent_capped_by_another_fact(vocab):
    r = rule(vocab, {"kind": "percent", "base": "tech_introduction_rd_investment", "rate": 20, "cap": 2_000_000,
                     "cap_fact": "three_year_tax_total", "bound": "at_most", "per": "per_project"})
    a = r.compute({"tech_introduction_rd_investment": 5_000_000, "three_year_tax_total": 600_000})
    assert a.high == 600_000 and a.exact is None  # 500万 × 20% = 100万, but taxes paid 60万 → at most 60万
    a = r.compute({"tech_introduction_rd_investment": 5_000_000})
    assert a.high == 1_000_000 and "three_year_tax_total" in a.missing


# 轴承 奖励标准7：每个项目支持额度不低于合同实际支付金额的50%，支持额度最高不超过100万元。
def test_percent_at_least_with_cap(vocab):
    r = rule(vocab, {"kind": "percent", "base": "tech_acquisition_paid", "rate": 50, "cap": 1_000_000,
                     "bound": "at_least", "per": "per_project"})
    a = r.compute({"tech_acquisition_paid": 600_000})
    assert (a.low, a.high, a.exact) == (300_000, 1_000_000, None)  # at least 30万, at most 100万
    a = r.compute({"tech_acquisition_paid": 3_000_000})
    assert a.exact == 1_000_000  # 150万 ≥ the cap: at least and at most 100万, so exactly 100万


# 轴承 奖励标准9：按照年度技术合同交易额不超过2%给予补助，最高不超过50万元。
def test_percent_at_most(vocab):
    r = rule(vocab, {"kind": "percent", "base": "tech_contract_amount", "rate": 2, "cap": 500_000,
                     "bound": "at_most", "per": "yearly"})
    assert r.compute({"tech_contract_amount": 10_000_000}).high == 200_000
    assert r.compute({"tech_contract_amount": 25_000_000}).high == 500_000  # exactly the cap
    assert r.compute({"tech_contract_amount": 10_000_000}).text == "每年最高20万元"


# 轴承 奖励标准2：首次 10万元；连续 5万元；中断后再次 3万元。
@pytest.mark.parametrize("status, expected", [("first", 100_000), ("consecutive", 50_000), ("after_lapse", 30_000)])
def test_tiers_by_certification_history(vocab, status, expected):
    r = rule(vocab, {"kind": "by_fact", "fact": "high_tech_status", "per": "one_time",
                     "values": {"first": 100_000, "consecutive": 50_000, "after_lapse": 30_000}})
    assert r.compute({"high_tech_status": status}).exact == expected


def test_tiers_unknown_gives_range(vocab):
    r = rule(vocab, {"kind": "by_fact", "fact": "tech_sme_status", "per": "one_time",
                     "values": {"first": 50_000, "consecutive": 20_000, "after_lapse": 10_000}})
    a = r.compute({})
    assert (a.low, a.high, a.missing) == (10_000, 50_000, ("tech_sme_status",))


# 轴承 奖励标准3：分别给予最高500万元、100万元、20万元奖励。
def test_tiers_up_to(vocab):
    r = rule(vocab, {"kind": "by_fact", "fact": "new_platform_level", "bound": "at_most", "per": "one_time",
                     "values": {"national": 5_000_000, "provincial": 1_000_000, "liaocheng": 200_000}})
    a = r.compute({"new_platform_level": "provincial"})
    assert a.exact is None and a.high == 1_000_000 and a.text == "一次性最高100万元"


# 轴承 奖励标准5：发明专利、实用新型专利，分别每件给予5000元、500元奖励。
def test_per_unit(vocab):
    r = rule(vocab, {"kind": "per_unit", "fact": "new_invention_patents", "unit": 5000, "per": "per_item"})
    assert r.compute({"new_invention_patents": 3}).exact == 15_000
    assert r.compute({"new_invention_patents": 0}).exact == 0
    assert r.compute({"new_invention_patents": 3}).computation == "当年新增授权的自主发明专利件数 3件 × 5000元 = 1.5万元"


def test_fixed_up_to_range_case_by_case(vocab):
    assert rule(vocab, {"kind": "fixed", "value": 100_000, "per": "one_time"}).compute({}).text == "一次性10万元"
    assert rule(vocab, {"kind": "up_to", "max": 1_000_000, "per": "once"}).compute({}).high == 1_000_000
    a = rule(vocab, {"kind": "range", "min": 1_000_000, "max": 3_000_000, "per": "once"}).compute({})
    assert (a.low, a.high) == (1_000_000, 3_000_000)
    a = rule(vocab, {"kind": "case_by_case", "per": "per_project"}).compute({})
    assert a.exact is None and a.high is None and "一事一议" in a.text


# 青海 (十一)：分别给予1000万元和500万元以上的省级科技专项经费组合支持 — at least, no upper figure.
def test_at_least(vocab):
    a = rule(vocab, {"kind": "at_least", "min": 5_000_000, "per": "once"}).compute({})
    assert (a.exact, a.low, a.high, a.floor, a.ceiling) == (None, 5_000_000, None, 5_000_000, None)
    assert a.text == "500万元以上"


# 临清（征求意见稿）4：全面落实……给予财政补助政策 — money, no standard, and not 一事一议.
def test_unspecified(vocab):
    a = rule(vocab, {"kind": "unspecified", "per": "once"}).compute({})
    assert (a.exact, a.low, a.high) == (None, None, None)
    assert "未规定" in a.text and "一事一议" not in a.text


# 青海 (二)：择优按转移转化项目研发总投入的20%，给予不高于企业三年累计缴税总额，最高200万元的财政资金补助
SELECTIVE = {"kind": "percent", "base": "tech_introduction_rd_investment", "rate": 20, "cap": 2_000_000,
             "cap_fact": "three_year_tax_total", "selective": True, "per": "once"}


@pytest.mark.parametrize("investment, taxes, most", [
    (3_000_000, 5_000_000, 600_000),      # 300万 × 20% = 60万: under both limits
    (5_000_000, 800_000, 800_000),        # 100万 > 三年缴税 80万 → 80万
    (20_000_000, 9_000_000, 2_000_000),   # 400万 > 最高200万 → 200万
])
def test_selective_is_an_upper_figure(vocab, investment, taxes, most):
    """择优: only those selected are paid, so the figure is what a selected firm receives — never sure."""
    a = rule(vocab, SELECTIVE).compute({"tech_introduction_rd_investment": investment, "three_year_tax_total": taxes})
    assert (a.exact, a.low, a.high, a.floor) == (None, None, most, 0)
    assert a.text.startswith("择优") and a.computation.startswith("择优给予：")


def test_selective_text_keeps_the_exact_rate(vocab):
    t = rule(vocab, SELECTIVE).compute({}).text
    assert t.startswith("择优按") and "的20%计" in t and "不超过" not in t and "最高200万元" in t


# 轴承 奖励标准2：对首次通过认定高新技术企业的，一次性奖励10万元。……中断后再次认定的企业奖励3万元。
def test_per_values_words_one_tier_differently(vocab):
    r = rule(vocab, {"kind": "by_fact", "fact": "high_tech_status", "per": "one_time",
                     "values": {"first": 100_000, "consecutive": 50_000, "after_lapse": 30_000},
                     "per_values": {"after_lapse": "once"}})
    assert r.compute({"high_tech_status": "first"}).text == "一次性10万元"
    a = r.compute({"high_tech_status": "after_lapse"})
    assert (a.text, a.per) == ("3万元", "once")
    text = r.compute({}).text  # before the tier is known: each tier as the text words it
    assert "一次性10万元" in text and "一次性5万元" in text and "一次性3万元" not in text and "3万元" in text


# 青海 (十六)：建设期内给予每年200万元的建设与运行经费支持，支持期限不超过5年。
def test_yearly_for_years(vocab):
    a = rule(vocab, {"kind": "fixed", "value": 2_000_000, "per": "yearly", "years": 5}).compute({})
    assert a.exact == 2_000_000 and a.text == "每年（最长5年）200万元"


@pytest.mark.parametrize("spec, fragment", [
    ({"kind": "percent", "base": "rd_deduction_amount", "rate": 120, "per": "yearly"}, "at most 100"),
    ({"kind": "percent", "base": "rd_deduction_amount", "rate": 0, "per": "yearly"}, "more than 0"),
    ({"kind": "fixed", "value": -5, "per": "one_time"}, "negative"),
    ({"kind": "fixed", "value": 1.5, "per": "one_time"}, "whole yuan"),
    ({"kind": "percent", "base": "rd_ratio", "rate": 5, "per": "yearly"}, "needs money"),
    ({"kind": "per_unit", "fact": "no_such_fact", "unit": 5, "per": "per_item"}, "unknown fact"),
    ({"kind": "by_fact", "fact": "high_tech_status", "values": {"gold": 5}, "per": "one_time"}, "not a value"),
    ({"kind": "brackets", "base": "tech_contract_amount", "brackets": [{"up_to": 10, "rate": 1}, {"up_to": 5, "rate": 1}, {"rate": 1}], "per": "yearly"}, "increase"),
    ({"kind": "fixed", "value": 5, "per": "weekly"}, "per"),
    ({"kind": "lump", "value": 5}, "kind"),
    ({"kind": "percent", "base": "tech_acquisition_paid", "rate": 50, "bound": "at_least", "per": "per_project"}, "needs a cap"),
    ({"kind": "at_least", "min": 5, "per": "once", "selective": True}, "selective"),  # issue 8: up_to may be selective now
    ({"kind": "fixed", "value": 5, "per": "once", "selective": "yes"}, "selective"),
    ({"kind": "by_fact", "fact": "high_tech_status", "values": {"first": 5}, "per": "one_time",
      "per_values": {"after_lapse": "once"}}, "per_values"),
    ({"kind": "by_fact", "fact": "high_tech_status", "values": {"first": 5}, "per": "one_time",
      "per_values": {"first": "weekly"}}, "per_values"),
    ({"kind": "at_least", "min": -5, "per": "once"}, "negative"),
    ({"kind": "none", "shares": [{"who": "临清", "of": "聊城", "rate": 40}]}, "not a party named before"),
    ({"kind": "none", "shares": [{"who": "省", "rate": 135}]}, "at most 100"),
    ({"kind": "none", "base": "rd_ratio", "shares": [{"who": "省", "rate": 35}]}, "needs money"),
])
def test_bad_amounts_are_named(vocab, spec, fragment):
    problems: list[Problem] = []
    compile_amount(spec, vocab, "f.yml:e1:amount", problems)
    assert problems and any(fragment in p.message or fragment in p.where for p in problems), problems
    assert all(p.where.startswith("f.yml:e1:amount") for p in problems)


# 临清 2021 第15条：其中省风险补偿资金承担35%，聊城市风险补偿资金承担 35%，合作银行承担坏账损失的 30%。
# 临清风险补偿资金承担聊城市风险补偿资金的 40%。 — a loss of 100万: 35万、35万、30万; 临清 35% × 40% = 14% → 14万
RISK = {"kind": "none", "base": "bad_loan_loss",
        "shares": [{"who": "省风险补偿资金", "rate": 35}, {"who": "聊城市风险补偿资金", "rate": 35},
                   {"who": "合作银行", "rate": 30}, {"who": "临清风险补偿资金", "of": "聊城市风险补偿资金", "rate": 40}]}


def test_shares_of_a_loss_are_worked_out_where_the_loss_is_known(vocab):
    r = rule(vocab, RISK)
    open_ = r.compute({})
    assert open_.kind == "none" and "35% × 40% = 14%" in open_.text and "原文未说明" in open_.text
    a = r.compute({"bad_loan_loss": 1_000_000})
    assert "省风险补偿资金35%：35万元" in a.text and "合作银行30%：30万元" in a.text and a.text.endswith("：14万元")
    assert r.facts() == {"bad_loan_loss"}


def test_a_share_of_a_party_with_a_bad_rate_is_a_problem_not_a_crash(vocab):
    problems: list[Problem] = []
    compile_amount({"kind": "none", "shares": [{"who": "聊城", "rate": 135}, {"who": "临清", "of": "聊城", "rate": 40}]},
                   vocab, "f.yml:e1:amount", problems)
    assert any("at most 100" in p.message for p in problems) and any("not a party named before" in p.message for p in problems)
    problems = []
    compile_amount({"kind": "none", "base": "bad_loan_loss"}, vocab, "f.yml:e1:amount", problems)
    assert any("only with its shares" in p.message for p in problems)
