"""The fact extractor (huiqi.nlu), without Rasa. Cases from docs/nlu-annotation.md and the
issue's list of number forms."""
import pytest

from huiqi.nlu import extract, extractor, normalize


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


@pytest.mark.parametrize("text", ["", "   ", "？？？", "😀😀", "a" * 5000, "万" * 50, "百分之", "1" * 400 + "万",
                                  "İİİİİİ 88", "3万5百", "1亿3百元"])
def test_odd_input_never_crashes(text):
    extract(text, "inform")


# -- contract 1.1 (docs/nlu-annotation.md) -------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # a figure said as a bound: 奖励条件1 needs 5%以上, so "不到5%" must not read as 5
    ("研发占比不到5%", {"rd_ratio": {"lt": 5}}), ("研发投入占比低于百分之五", {"rd_ratio": {"lt": 5}}),
    ("研发占比没到5%", {"rd_ratio": {"lt": 5}}), ("研发占比接近5%", {"rd_ratio": {"lt": 5}}),
    ("研发占比5%以上", {"rd_ratio": {"ge": 5}}), ("研发占比5个多点", {"rd_ratio": {"ge": 5, "lt": 6}}),
    ("研发占比四个多点", {"rd_ratio": {"ge": 4, "lt": 5}}), ("研发投入不低于5%", {"rd_ratio": {"ge": 5}}),
    ("研发5%不到", {"rd_ratio": {"lt": 5}}), ("没有达到5%", {"percent": {"lt": 5}}),
    ("我们产值过亿了", {"output_value": {"gt": 100_000_000}}), ("产值2000万以下", {"output_value": {"le": 20_000_000}}),
    ("不到5%", {"percent": {"lt": 5}}),
    # a sum said with 多/来/余 is the figure itself
    ("加计扣除大概80来万", {"rd_deduction_amount": 800_000}), ("加计扣除八十多万", {"rd_deduction_amount": 800_000}),
    ("一百来万", {"amount": 1_000_000}), ("300余万", {"amount": 3_000_000}),
    # compound and spoken forms, 大写 numerals
    ("加计扣除额三万五", {"rd_deduction_amount": 35_000}), ("加计扣除3万5千元", {"rd_deduction_amount": 35_000}),
    ("免税额一亿二", {"rd_deduction_tax_exemption": 120_000_000}), ("产值两个亿", {"output_value": 200_000_000}),
    ("我们研发费用加计扣除数额为叁佰万元整", {"rd_deduction_amount": 3_000_000}), ("俩", {"number": 2}),
    # a grade said by what it is not (奖励条件2: C类以上)
    ("亩产不是D", {"mu_efficiency_grade": {"one_of": ["A", "B", "C"]}}),
    ("亩产C类以上", {"mu_efficiency_grade": {"one_of": ["A", "B", "C"]}}), ("亩产没评上C", {"mu_efficiency_grade": "D"}),
    ("B", {"mu_efficiency_grade": "B"}), ("省级的", {"new_platform_level": "provincial"}),
    # revenue decides 规上 (年主营业务收入2000万元及以上); with R&D spending it gives the ratio
    ("一年营收大概三千万", {"above_scale": True}), ("销售额1500万", {"above_scale": False}),
    ("营收不到2000万", {"above_scale": False}),
    ("研发投入三百万，销售收入六千万", {"rd_ratio": 5.0, "above_scale": True}),
    # a quantity named and denied is 0
    ("发明专利两件，实用新型没有", {"new_invention_patents": 2, "new_utility_patents": 0}),
    ("实用新型一件也没有", {"new_utility_patents": 0}),
    # tiers: the negated cue does not count; an expired certificate not renewed is none
    ("不是首次认定高企是续的", {"high_tech_status": "consecutive"}),
    ("高企去年到期了今年没续", {"high_tech_status": "none"}), ("高企没认定过", {"high_tech_status": "none"}),
    ("科小不是", {"tech_sme_status": "none"}), ("高企是头一回认定", {"high_tech_status": "first"}),
    # facts beyond the first 21, from their phrasings in rules/facts.yml
    ("聘了个科技副总，费用花了20万", {"science_vice_president_costs": 200_000}),
    ("保费一年60万", {"first_of_kind_premium": 600_000}),
    ("柔性引进的，今年在临劳动报酬40万", {"flexible_high_level_talent": True, "flexible_talent_local_pay": 400_000}),
    ("研发机构是今年初次通过审核确认的", {"rd_institution_first_confirmed": True}),
    ("去年主导制定了一项国家标准", {"standard_led": "national"}),
    ("平台是聊城市级的，今年新认的", {"new_platform_level": "liaocheng"}),
    ("没失信没事故 环保也达标", {"green_threshold_met": True}),
    # 轴承 奖励条件 4 "绿色门槛": 未发生较大及以上安全责任事故、环境问题…节能、排污指标达标
    ("安全环保都没问题", {"green_threshold_met": True}), ("安全和环保方面都合规", {"green_threshold_met": True}),
    ("去年安全环保都没问题，但有失信记录", {"green_threshold_met": False}),  # (没有严重失信 is part of it)
    ("安全环保都没问题吗", {}),  # asked, not said
    ("没有安全事故、环保问题和失信记录", {"green_threshold_met": True}),  # one denial of the whole list
])
def test_contract_1_1_values(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, region", [
    ("我们是临清的企业，青海那边小巨人奖励90万我们能申请吗", "linqing"),  # the asker's own place
    ("外地企业在临清设厂能享受吗", "linqing"),  # where it is registered
    ("我们在西宁注册的公司", "qinghai"),
])
def test_the_askers_own_region(text, region):
    assert extract(text, "ask_eligibility").get("region") == region


@pytest.mark.parametrize("text, absent", [
    ("我们是临清的企业，青海那边小巨人奖励90万我们能申请吗", "provincial_little_giant"),  # an award's name
    ("去年出过环保问题，还能领轴承那些奖吗", "is_bearing_enterprise"),
    ("高企首次认定奖励", "high_tech_status"),
])
def test_an_awards_name_is_not_a_claim(text, absent):
    assert absent not in extract(text, "ask_eligibility")


@pytest.mark.parametrize("text, kind", [
    ("我是个人，不是企业", "individual"), ("不对，我是个人，不是企业", "individual"),
    ("我是个人，柔性引进到临清一家轴承企业的教授", "individual"), ("我这边是高新区管委会", "government"),
])
def test_who_is_asking(text, kind):
    assert extract(text, "inform")["entity_type"] == kind


@pytest.mark.parametrize("text, kind", [
    ("本人是公司法人，我们是规上企业", "enterprise"),  # the owner speaks for the company
    ("我在学院路那边开了家公司", "enterprise"),  # a street, not a school
])
def test_who_is_asking_by_more_than_one_word(text, kind):
    assert extract(text, "inform")["entity_type"] == kind


def test_a_graduate_of_a_university_is_not_one():
    assert extract("我是山东大学毕业的，现在在临清开了个轴承厂", "inform").get("entity_type") != "university"


@pytest.mark.parametrize("text, expected", [
    # compound sums: 5百 is 500, 五千 is 5000 (not 5 × 1000 × 1000), 1亿5000万 is one sum
    ("3万5百", {"amount": 30_500}), ("三万五千元", {"amount": 35_000}),
    ("产值1亿5000万", {"output_value": 150_000_000}), ("两亿三千万", {"amount": 230_000_000}),
    # a denied "more than" is "not more than"
    ("研发占比没超过5%", {"rd_ratio": {"le": 5}}), ("科技副总费用没有超过20万", {"science_vice_president_costs": {"le": 200_000}}),
    ("产值没过亿", {"output_value": {"le": 100_000_000}}), ("产值过亿", {"output_value": {"gt": 100_000_000}}),
    ("研发占比6%多", {"rd_ratio": {"ge": 6, "lt": 7}}), ("发明专利没有到5件", {"new_invention_patents": {"lt": 5}}),
    # not counted is not none: these say nothing about the figure
    ("新增税收没统计", {}), ("产值没统计", {}), ("发明专利没数", {}), ("技术合同交易额没查", {}),
    ("今年营收下降了，新增税收还没统计", {}),
    ("发明专利一个也没", {"new_invention_patents": 0}), ("今年税收比去年还少了，没有新增", {"new_local_fiscal_revenue": 0}),
    # no grade is below D
    ("亩产低于D类", {}),
])
def test_reviewers_findings(text, expected):
    assert extract(text, "inform") == expected


def test_a_company_hiring_a_professor_is_not_a_university():
    assert extract("咱们公司要是请个大学教授来当科技副总，能报多少", "ask_eligibility").get("entity_type") != "university"


ROUTES = [
    # (message, what the classifier said, the intent the contract gives it)
    ("临清的高企奖励", "inform", "ask_award"), ("高企首次认定奖励", "inform", "ask_award"),
    ("青海专利奖", "inform", "ask_award"), ("科小？", "nlu_fallback", "ask_award"),
    ("首台套", "out_of_scope", "ask_award"), ("创业担保贷款贴息", "out_of_scope", "ask_award"),
    ("博士后工作站建站补贴", "inform", "ask_award"), ("科小第一次入库给多少", "ask_eligibility", "ask_award"),
    ("能拿什么补贴", "out_of_scope", "ask_eligibility"), ("有啥补贴", "out_of_scope", "ask_eligibility"),
    ("科小首次入库，规模以下，绿色门槛都符合，能奖多少", "ask_award", "ask_eligibility"),
    ("帮客户算一下：临清，轴承，规上，研发占比7%", "inform", "ask_eligibility"),
    ("轴承政策还有效吗", "greet", "ask_award"), ("就高不重复是啥意思", "nlu_fallback", "ask_award"),
    ("科技局电话多少", "out_of_scope", "ask_department"), ("主导制定标准的奖励找工信厅吗", "ask_award", "ask_department"),
    ("青海的企业能享受临清的政策吗", "ask_eligibility", "ask_award"),
    ("高企和小巨人能一起拿吗", "ask_eligibility", "ask_award"),
    ("0", "goodbye", "inform"), ("企业", "nlu_fallback", "inform"), ("个人", "nlu_fallback", "inform"),
    ("客户不确定亩产评的是几类", "ask_award", "dont_know"),
    # stays as the classifier said
    ("今年首次认定高企", "inform", "inform"), ("去年认定的高企，证书还有效", "inform", "inform"),
    ("88", "goodbye", "goodbye"), ("没有", "deny", "deny"), ("是的", "affirm", "affirm"),
    ("贷款利率多少", "out_of_scope", "out_of_scope"), ("社保怎么交", "out_of_scope", "out_of_scope"),
    ("我们公司能拿什么补贴？", "ask_eligibility", "ask_eligibility"),
]


@pytest.mark.parametrize("text, classified, expected", ROUTES)
def test_routing_by_the_contract(text, classified, expected):
    from huiqi.nlu import extractor
    assert extractor().interpret(text, classified)[0] == expected


def test_a_slip_in_the_last_character_is_another_word():
    assert "incubator_kind" not in extract("我是青海大学科技处的", "inform")  # not 大学科技园
    assert extract("我是青海大学科技处的", "inform")["entity_type"] == "university"
    assert extract("我们买了省外一家研究所的技术", "inform").get("entity_type") != "research_institute"


def test_typos_of_long_words():
    from huiqi.nlu import extractor
    assert extract("高新技木企业今年首次认定", "inform") == {"high_tech_status": "first"}
    assert [e.value for e in extractor().interpret("高新技木认定给多少钱啊", "ask_award")[1]] == ["high_tech"]
    assert extract("国家标准", "inform") == {"standard_led": "national"}  # a phrase itself, not a slip of 国际标准


@pytest.mark.parametrize("text", ["加计扣除额负300万", "加计扣除额-300万", "负300万", "研发占比-5%", "营收负3000万"])
def test_a_negative_amount_gives_no_value_rather_than_a_positive_one(text):
    # no company fact is negative (rules/facts.yml): the minus is not dropped to read 300万
    got = extract(text, "inform")
    assert not any(isinstance(v, (int, float)) and v > 0 for v in got.values()), got


def test_a_range_or_a_hyphenated_name_is_no_minus():
    assert 3_000_000 in extract("加计扣除额200-300万", "inform").values()


@pytest.mark.parametrize("text, expected", [
    # 青海（十五）: a technology-transfer agency's 服务技术交易…年营业收入 is its own fact, not 规上 revenue
    ("服务技术交易年营收0.03亿", {"tech_transfer_service_revenue": 3_000_000}),
    ("服务技术交易年营收0.03亿，年营收1亿", {"tech_transfer_service_revenue": 3_000_000, "above_scale": True}),
    # 研发费用加计扣除额 is the deduction, not the R&D spending the ratio is made of
    ("年营收3000万，研发费用加计扣除额300万", {"above_scale": True, "rd_deduction_amount": 3_000_000}),
    ("研发费用300万，年营收3000万", {"rd_ratio": 10.0, "above_scale": True}),
])
def test_a_revenue_word_inside_another_facts_name_is_that_fact(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, expected", [
    # a follow-up "…呢" asking about another value of the same fact: the asker wants both figures
    ("临清轴承企业自己培养的人入选了国家级高层次人才工程，奖多少？省部级的呢？",
     {"entity_type": "enterprise", "region": "linqing", "is_bearing_enterprise": True}),
    ("我们自己培养的人入选了国家级高层次人才工程", {"linqing_trained_talent_program": "national"}),
    ("我们是中型企业，小型的呢", {"entity_type": "enterprise"}),
    ("我们是规上企业，研发占比6%，高企呢？", {"entity_type": "enterprise", "above_scale": True, "rd_ratio": 6}),
])
def test_a_follow_up_about_another_value_states_neither(text, expected):
    assert extract(text, "ask_eligibility") == expected


@pytest.mark.parametrize("text, expected", [
    # 青海（三）: 注册成立不满3年的创新创业企业和团队
    ("注册成立不满两年", {"registered_years": {"lt": 2}, "innovation_voucher_eligible_startup": True}),
    ("成立不到3年", {"registered_years": {"lt": 3}, "innovation_voucher_eligible_startup": True}),
    ("成立不满5年", {"registered_years": {"lt": 5}}),  # under 3 or not, it doesn't say
    ("公司成立5年", {"registered_years": 5, "innovation_voucher_eligible_startup": False}),
    ("新成立的科技企业", {"innovation_voucher_eligible_startup": True}),
])
def test_how_long_the_company_has_existed(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, expected", [
    # 第2条：对认定为聊城市级平台的给予5万元一次性奖励
    ("临清的 企业技术中心认定成聊城市级了 给多少钱", {"region": "linqing", "new_platform_level": "liaocheng"}),
    # 聊城市区 is not 临清 (a county-level city of 聊城): the documents do not cover it
    ("我们是聊城市区的轴承厂 不在临清 临清那个轴承奖励能拿不",
     {"entity_type": "enterprise", "region": "elsewhere", "is_bearing_enterprise": True}),
])
def test_a_level_said_after_the_platform_and_liaocheng_proper(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text, expected", [
    # 青海（六）：对科技成果来源于省外并落地成功转化的，给予成果受让方20%的财政资金补助 — a result
    # bought from a place outside Qinghai is 省外; the place is the seller's, not the asker's
    ("我们是海东市的企业，从北京一所大学受让了一项科技成果", {"region": "qinghai", "entity_type": "enterprise",
                                                     "tech_deal_role": "transferee_from_outside"}),
    ("我们是湟中的企业", {"region": "qinghai", "entity_type": "enterprise"}),
    ("烟店的轴承厂", {"region": "linqing", "is_bearing_enterprise": True}),
    # 青海（三）：首次投向市场的科技成果转化产品…按照成交金额的10% — a product bought, not a result
    ("我们买了省内企业首次投向市场的科技成果转化产品", {"entity_type": "enterprise"}),
    ("他说一年实际发生的技术咨询费、交通费大概8万", {"science_vice_president_costs": 80_000}),
    ("对方说他们是国家级的孵化器", {"incubator_level": "national"}),
    # 奖励标准11：对于柔性引进的各类高层次人才，按照其当年在临劳动报酬的30%… — where the person hired comes from is not the company's place
    ("我们轴承企业柔性引进了一位外地的高层次人才，他今年在临清的劳动报酬是24万元",
     {"region": "linqing", "flexible_talent_local_pay": 240_000}),
    ("我们是北京的企业，引进了一位博士", {"region": "elsewhere"}),
    ("请问北京的企业引进了博士能拿什么", {"region": "elsewhere"}),
    # 临清 2021 第9条：对通过国家、省认定的…分别给予50万元、10万元一次性运营奖补 — recognised this year, and its level
    ("企业在临清经济开发区，自己运营的孵化器今年通过了省级科技企业孵化器认定。",
     {"incubator_newly_recognized": True, "incubator_level": "provincial"}),
    ("临清 刚认定为国家级孵化器 给多少", {"incubator_newly_recognized": True, "incubator_level": "national"}),
    ("今年刚认定高企 孵化器是老的", {"high_tech_status": "first", "incubator_newly_recognized": None}),
    # 临清轴承 三(四)：新增地方财力 and 产值过亿 — "不到一个亿" restates the 产值 said, binds forward, undoes nothing
    ("比上一年新增税收形成地方财力60万 产值8000万 不到一个亿", {"new_local_fiscal_revenue": 600_000, "output_value": 80_000_000}),
    ("研发占比5%不到", {"rd_ratio": {"lt": 5}}),
    # 青海（二）：给予不高于企业三年累计缴税总额…的财政资金补助
    ("他们三年一共才交了120万税", {"three_year_tax_total": 1_200_000}),
    # 临清轴承 奖励标准7：按照技术引进、合作开发、委托研发合同实际支付金额 — "项目" after the sum is not a count
    ("临清轴承 委托高校搞研发 合同实际付了80万 项目落地见效了", {"tech_acquisition_paid": 800_000}),
    ("来电企业问：临清做轴承的 规下 科小连着几年都通过了 今年还能奖多少", {"tech_sme_status": "consecutive"}),
    # 临清轴承 奖励对象: "全市轴承工业企业中规模以上企业及规模以下科技型中小企业" — "是科小" says it is one, not which tier
    ("我们是科小", {"tech_sme_status": {"one_of": ["first", "consecutive", "after_lapse"]}}),
    ("临清轴承 规下 科小已入库", {"tech_sme_status": {"one_of": ["first", "consecutive", "after_lapse"]}}),
    ("我们不是科小", {"tech_sme_status": "none"}),
    ("是科小奖励多少", {"tech_sme_status": None}),  # the award's name, asked
    # 临清轴承 奖励标准6：…且第一批资金已到位的企业 — "not yet" said with 呢 is a statement
    ("第一批钱还没到账呢", {"key_project_level": "none"}),
    # 青海（四）：按服务技术交易和科技成果转化年营业收入20% — the revenue named as the document names it
    ("我们是在青海省内注册的技术转移服务机构，主要服务本省产业。去年服务技术交易和科技成果转化取得的营业收入是300万元。",
     {"region": "qinghai", "tech_transfer_service_revenue": 3_000_000, "above_scale": None}),
    ("来电：青海注册的技术转移服务机构 去年服务技术交易的营业收入300万 能补多少",
     {"tech_transfer_service_revenue": 3_000_000, "above_scale": None}),  # a gapped name: 服务技术交易…营业收入
])
def test_places_and_deals_as_people_say_them(text, expected):
    got = extract(text, "inform")
    assert {k: got.get(k) for k in expected} == expected


def test_the_other_side_of_a_deal_is_not_a_region_named():
    from huiqi.nlu import extractor
    ex = extractor()
    assert ex.regions_in("我们是海东市的企业，从北京一所大学受让了一项科技成果并在青海转化") == [("qinghai", "海东"), ("qinghai", "青海")]
    assert [r for r, _ in ex.regions_in("青海的企业能享受临清的政策吗")] == ["qinghai", "linqing"]
    assert [r for r, _ in ex.regions_in("临清和青海哪个多")] == ["linqing", "qinghai"]


@pytest.mark.parametrize("text, absent", [
    # a cap asked about is not the asker's sum (青海（三）最高补助200万元)
    ("我们买了省内企业首次投向市场的科技成果转化产品，补助上限200万吗，能补多少", "amount"),
    ("最高500万是吧，我们能拿多少", "amount"),
    # 科技副总's costs only where 科技副总 or the document's pair of costs is said
    ("我们委托高校研发，付了技术咨询费50万", "science_vice_president_costs"),
    ("我们一年交通费20万", "science_vice_president_costs"),
    # a Linqing company's talent, a bought machine: no 青海 result transferred from 省外
    ("我们是临清企业，从济南的大学引进了人才", "tech_deal_role"),
    ("我们从北京的公司买了一套设备", "tech_deal_role"),
])
def test_what_is_not_read_from_a_question(text, absent):
    from huiqi.nlu import extractor
    assert absent not in [e.entity for e in extractor().interpret(text, "ask_eligibility")[1]]


@pytest.mark.parametrize("text", ["轴承政策多长时间到期", "高企认定什么时候下来", "认定结果多久能下来", "什么时候领证",
                                  "这个政策何时发布的"])
def test_not_a_question_about_when_money_is_paid(text):
    from huiqi.nlu.cues import Q_PAYOUT
    assert not Q_PAYOUT.search(text)


def test_a_place_beside_the_asker_is_still_a_region_named():
    from huiqi.nlu import extractor
    ex = extractor()
    # no deal in the sentence: both regions are the question's (the answer: each document for its own)
    assert [r for r, _ in ex.regions_in("临清的企业能享受给青海企业的补贴吗")] == ["linqing", "qinghai"]
    assert [r for r, _ in ex.regions_in("青海的政策跟临清企业一样吗")] == ["qinghai", "linqing"]


@pytest.mark.parametrize("text", ["今年我们引进了一名博士研究生。", "我们公司招了个博士"])
def test_a_company_that_hired_a_doctor_is_not_an_individual(text):
    found = {e.entity: e.value for e in extractor().extract(text, "inform")}
    assert found.get("academic_degree") == "phd" and found.get("entity_type") != "individual"


def test_a_doctor_speaking_for_themself_is_an_individual():
    found = {e.entity: e.value for e in extractor().extract("我是博士，刚来青海", "inform")}
    assert found["entity_type"] == "individual"


@pytest.mark.parametrize("text, route", [
    ("为什么是这个数？能给我看一下原文吗？", "ask_detail"),  # the source of the answer just given
    ("这个数怎么算出来的", "ask_detail"),
    ("给我看看原文", "ask_detail"),
    ("高企奖励原文怎么写的", "ask_award"),               # an award named: its own text
])
def test_asking_for_the_source_of_the_last_answer(text, route):
    ex = extractor()
    assert ex.route(ex.clean(text), "ask_eligibility") == route


@pytest.mark.parametrize("text, case", [
    ("连续入库的呢", "连续入库"), ("那连续认定的呢", "连续认定"), ("那省级的呢", "省级"), ("要是3000万呢", "3000万"), ("那如果是中型企业呢", "中型企业"),
    ("还没呢", None), ("是的呢", None), ("发明专利一件奖多少 实用新型呢", None),
])
def test_another_case_asked_in_a_follow_up(text, case):
    ex = extractor()
    assert ex.another_case(text) == case
    if case:
        assert ex.route(ex.clean(text), "ask_eligibility") == "ask_award"



@pytest.mark.parametrize("text, intent, route", [
    # a fact about the company said in passing, with no question: recorded, not a question about the topic
    ("厂里还有个自己培养的工程师入选了国家级人才工程", "ask_award", "inform"),
    ("我们厂有个工程师入选了省部级人才工程", "ask_award", "inform"),
    ("厂里还有个自己培养的工程师入选了国家级人才工程", "out_of_scope", "inform"),
    ("高企首次认定奖励", "ask_award", "ask_award"),           # the award's name: asked
    ("我们厂有个工程师入选了省部级人才工程 能奖多少", "ask_award", "ask_eligibility"),  # asked, of the company
])
def test_a_fact_said_in_passing_is_not_a_question(text, intent, route):
    ex = extractor()
    assert ex.route(ex.clean(text), intent) == route


def test_a_detail_asked_that_the_classifier_did_not_place_is_a_question_about_an_award():
    ex = extractor()
    assert ex.route(ex.clean("这钱省里出还是市州出"), "nlu_fallback") == "ask_award"
    assert ex.route(ex.clean("今天天气怎么样"), "nlu_fallback") is None



@pytest.mark.parametrize("text, now", [("看结果", True), ("好 看看结果吧", True), ("先看结果", True),
                                       ("结果怎么样了", False), ("看结果怎么算的", False)])
def test_asking_for_the_result_now(text, now):
    from huiqi.nlu import message_signals
    assert message_signals(text)["answer_now"] is now


@pytest.mark.parametrize("text, follow_up", [("补多少来着", True), ("最多多少钱", True), ("那这个呢", True),
                                             ("我们公司能补多少来着，临清的轴承企业", False)])
def test_a_short_how_much_is_a_follow_up(text, follow_up):
    from huiqi.nlu import message_signals
    assert message_signals(text)["follow_up"] is follow_up


@pytest.mark.parametrize("text, route", [
    ("这个有封顶没", "ask_award"), ("这钱是给公司还是给他本人", "ask_award"), ("钱补给谁 卖东西那家还是我们", "ask_award"),
    ("电话多少", "ask_department"), ("找谁", "ask_department"), ("这文件正式发了吗", "ask_award"),
    ("他又问 聊城市级的呢", "ask_award"),
    ("青海的 科技型企业", "inform"),  # an answer to "贵单位注册在哪里？": where and what the asker is
])
def test_short_follow_ups_are_routed_to_what_they_ask(text, route):
    ex = extractor()
    assert ex.interpret(text, "ask_award")[0] == route


@pytest.mark.parametrize("text, validity", [("今年还能申请吗", True), ("2023年还能申报吗", True),
                                            ("科小连着几年都通过了 今年还能奖多少", False), ("现在还能拿多少", False)])
def test_still_possible_this_year_versus_how_much_this_year(text, validity):
    from huiqi.nlu.cues import VALIDITY_CUE
    assert bool(VALIDITY_CUE.search(text)) is validity


@pytest.mark.parametrize("text, named", [
    ("客户问高企连续认定的奖励多少，青海的", {"high_tech_status": "consecutive"}),
    ("连续入库的科小奖励多少", {"tech_sme_status": "consecutive"}),
    ("我们高企是首次认定的", {}),  # what the asker is (facts_said), not an award's name
    ("临清高企奖励多少", {}), ("不是高企 有啥奖励", {}),
    ("临清轴承企业，高企首次认定奖励和连续认定奖励分别多少", {}),  # every tier asked: none narrows
])
def test_the_tier_an_award_name_carries(text, named):
    assert extractor().tiers_named(text) == named
