"""Questions without a company profile (huiqi.questions): each answer states figures and
departments from the tables, the document's status on the day asked, and says plainly what
the documents do not say. Expected facts are the documents' sentences, quoted."""
import datetime as dt
import re

import pytest

from huiqi.nlu import extractor, load_topics
from huiqi.questions import Questions, load_glossary
from huiqi.tables import default_rules_dir, load_catalogue

CAT = load_catalogue()
Q = Questions(CAT, load_topics(default_rules_dir()), load_glossary(default_rules_dir()))
TODAY = dt.date(2026, 12, 1)


def ask(text, intent="ask_award"):
    ex = extractor()
    intent, ents = ex.interpret(text, intent)
    topics = ex.topics_in(text)
    place = next((e for e in ents if e.entity == "region"), None)
    return Q.answer(intent, text, topics, place.value if place else None, place.text if place else None, TODAY)


def test_glossary_quotes_are_verbatim():
    for term in Q.glossary:
        for doc_id, quote in term.quotes:
            assert quote in CAT.documents[doc_id].text, (term.id, quote[:30])


def test_the_main_award_comes_first_with_its_status():
    text = ask("临清的高企奖励")
    # 奖励标准2：对首次通过认定高新技术企业的，一次性奖励10万元。对连续通过认定的，一次性奖励5万元。中断后再次认定的企业奖励3万元。
    first = text.split("· ")[1]
    assert "高新技术企业认定奖励" in first and "10万元" in first and "5万元" in first and "3万元" in first
    # 本实施意见自印发之日起执行，试行期一年 (2022-10-15): past on 2026-12-01
    assert "试行至2023年10月14日，现已过期" in text
    assert "全市轴承工业企业中规模以上企业及规模以下科技型中小企业" in text  # who it is for
    assert "青海" not in text  # a place named filters the documents


def test_a_specific_award_is_found_among_its_topic():
    text = ask("科技副总补贴多少")
    # 奖励标准10：…按照企业在聘用“科技副总”期间实际发生的技术咨询费、交通费等相关费用的50%给与后补助。
    assert text.split("· ")[1].startswith("聘用“科技副总”相关费用50%后补助") and "50%" in text
    text = ask("小巨人奖多少")
    # (一) 对高新技术企业中认定为“省级科技小巨人”的企业,再奖励90万元
    assert "90万元" in text.split("· ")[1] and "省科技厅" in text


def test_qinghai_answers_say_it_has_no_end_date():
    text = ask("青海高企奖多少")
    assert "新认定高新技术企业奖励：10万元" in text  # (一) 对新认定的高新技术企业奖励10万元
    assert "2020年06月23日起施行，未规定截止日期" in text and "临清" not in text


def test_places_the_documents_do_not_cover():
    for q, place in [("北京高企奖励多少", "北京"), ("深圳高企奖励多少", "深圳")]:
        text = ask(q)
        assert "只适用于山东省临清市和青海省" in text and place in text and "万元" not in text
    assert "临清市（县级市）" in ask("聊城的高企奖") and "高新技术企业认定奖励" in ask("聊城的高企奖")
    assert "不涉及" not in ask("聊城市级平台奖励多少")  # a level the Linqing documents pay for, not a place


def test_each_document_is_for_its_own_region():
    text = ask("青海的企业能享受临清的政策吗")
    assert "只适用于临清市的单位" in text and "只适用于青海省的单位" in text
    assert "不能享受另一地的政策" in text


def test_validity_today():
    text = ask("轴承政策还有效吗")
    assert "现已过期" in text and "市科技局" in text
    draft = ask("临清那个征求意见稿的政策能用吗")
    assert "征求意见稿，未正式施行" in draft


def test_terms_are_explained_from_the_documents():
    text = ask("就高不重复是啥意思")
    assert "按照“就高不重复”的原则进行补助" in text and "市科技局" in text
    text = ask("规上是什么意思")
    assert "2000万元" in text and "国家统计口径" in text  # said plainly: not the documents' wording
    text = ask("专精特新有奖励吗")
    assert "没有专门奖励" in text and "100%" in text  # (3) 省级及以上优质企业: the cap rises to the full amount


def test_contact_details_are_never_invented():
    for q in ("科技局电话多少", "青海省科技厅地址", "申报系统网址是啥", "高企申报截止日期是哪天", "申报需要什么材料"):
        text = ask(q)
        assert "没有写明" in text, q
        assert not re.search(r"\d{7,}|\d{3,4}-\d{7,8}|http|www\.|路\d+号", text), q  # no phone, address or site


def test_a_condition_question_names_the_condition_that_fails():
    text = ask("亩产效益D类能拿奖励吗")
    # 奖励条件2. 上一年度亩产效益评价中被评为C类以上
    assert "上一年度亩产效益评价中被评为C类以上" in text and "临清轴承行动计划" in text
    text = ask("研发投入占比4%能申请吗")
    assert "当年研发投入占销售收入总值5%以上" in text  # 奖励条件1


def test_a_claimed_amount_the_documents_do_not_have():
    assert "文件中没有800万元这个数额" in ask("高企奖800万 是真的吗")  # no sentence of the three has 800万
    # 300万 is in 青海 (三) "分别给予500万元、400万元、300万元一次性科研经费奖励", not in any 高企 rule
    text = ask("高企奖300万 是真的吗")
    assert "以下规定中没有300万元这个数额" in text and "其他规定中有" in text
    assert "没有10万元这个数额" not in ask("有人说高企奖励十万是真的吗")  # 十万 read as 10万 (as above)
    assert "没有800万元这个数额" in ask("听说高企奖励八百万元，是真的吗")
    assert "文件中没有" not in ask("高企认定奖励10万是真的吗")  # (一) 奖励10万元; 奖励标准2 10万元


def test_a_topic_no_document_covers():
    text = ask("科技进步奖奖金多少")
    assert "不在本助手收录的三份科技政策文件范围内" in text and "万元" not in text


def test_taking_two_awards_together():
    text = ask("高企和小巨人能一起拿吗")
    assert "再奖励90万元" in text  # (一) 再奖励: on top of the 10万
    assert "就高不重复" in text


def test_a_whole_document_overview():
    text = ask("轴承企业有什么补贴")
    # 奖励条件 1-3 and the cap sentences, quoted
    assert "当年研发投入占销售收入总值5%以上" in text and "新增税收形成地方财力额度的80%" in text
    assert text.count("· ") == len([e for e in CAT.entries if e.document.id == "linqing_2022_bearing" and e.pays_money])


@pytest.mark.parametrize("q", ["高企有什么奖励", "专利奖励找哪个部门", "技术合同有啥补贴", "创新券怎么领", "孵化器奖励多少"])
def test_answers_fit_a_phone(q):
    assert len(ask(q)) < 900


def test_a_grade_no_company_can_have_gets_the_general_answer():
    # "低于D类" allows no grade (A–D are all there is): no check, and no error
    assert "亩产" in ask("亩产低于D类还有戏吗")



@pytest.mark.parametrize("fact, said", [
    ("above_scale", "非规模以上企业"),
    ("green_threshold_met", "不符合“绿色门槛”"),
    ("undertook_liaocheng_project", "未承担过聊城市级及以上科技研发项目"),  # not 不承担过
    ("major_facility_approved", "没有获国家、省批复的重大科技基础设施"),  # not 不有
    ("flexible_high_level_talent", "不是柔性引进到临清的高层次人才"),
    ("output_and_profit_growth_26", "是否产值及利润增幅均超过26%且单位能耗下降：否"),  # no short negation reads right
])
def test_a_no_is_said_back_in_words_that_read_right(fact, said):
    from huiqi.answers import fact_text
    assert fact_text(CAT.vocab[fact], False) == said


def test_when_the_money_is_paid_is_not_in_the_documents():
    # No document says when awards are paid; the bearing plan's awards are led by 市科技局
    # (市科技局牵头抓好政策落实)
    text = ask("客户问临清轴承奖励一般几月份发钱")
    assert "没有写明发放时间" in text and "市科技局" in text
    text = ask("他问青海博士那40万安家费什么时候发、去哪领")
    # 青海（八）：博士研究生一次性安家费40万元 — 责任单位:省人才办…
    assert "没有写明发放时间" in text and "省人才办" in text


def test_a_drafts_comment_period_is_not_in_it():
    text = ask("临清市科技局2021年若干措施（征求意见稿）的意见征求截止到哪天？")
    assert "没有写明征求意见的截止日期" in text and "征求意见稿，未正式施行" in text


def test_another_places_documents_asked_by_a_company_whose_place_is_known():
    ex = extractor()
    t = ex.clean("那青海的政策我们能用不")
    assert ex.route(t, "inform") == "ask_award"  # a question, not a new address
    text = Q.answer("ask_award", t, [], "qinghai", "青海", TODAY, cleaned=True, home="linqing")
    assert "只适用于青海省的单位" in text and "不能享受另一地的政策" in text
    # 青海（五）鼓励国内外科技成果转化平台落地青海: the exception is said
    assert "科技成果转化平台技术交易额补助" in text


@pytest.mark.parametrize("text", [
    "客户是临清轴承企业，同一年既符合轴承科技创新实施意见，又符合《临清市关于支持轴承产业创新发展实施方案（试行）》的补助条件，能两边都拿吗",
    "我们能两边都拿吗，轴承那个和临清的措施",
])
def test_may_both_be_had_asked_for_a_client_or_oneself(text):
    # 轴承行动计划：同一企业在同一年度内符合本实施意见及《临清市关于支持轴承产业创新发展实施方案（试行）》
    # 多个补助条件的，按照“就高不重复”的原则进行补助。
    ex = extractor()
    assert ex.route(ex.clean(text), "ask_eligibility") == "ask_award"
    assert "就高不重复" in ask(text)


@pytest.mark.parametrize("text", ["临清那个征求意见稿 啥时候正式出台",
                                  "临清市科技局2021年那份深化科技体制改革推动创新发展的若干措施，是正式文件吗？能按它申请吗？"])
def test_is_it_in_force_asked_of_the_draft(text):
    ex = extractor()
    assert ex.route(ex.clean(text), "ask_eligibility") == "ask_award"
    assert "征求意见稿，未正式施行" in ask(text)


def test_when_a_draft_will_be_adopted_is_not_in_it():
    text = ask("临清那个征求意见稿 啥时候正式出台")
    assert "没有写明何时正式出台" in text and "临清市科学技术局" in text


def test_a_measure_addressed_to_outsiders_is_answered_when_asked_about():
    # 青海（三）：对世界500强、中国500强、中国民营500强企业在青海建立的独立法人研发机构或创新平台,
    # 分别给予500万元、400万元、300万元一次性科研经费奖励。(责任单位:省科技厅,…)
    a = ask("我们是北京的一家中国500强企业，计划在青海设立独立法人的研发机构，有什么奖励？")
    first = a.splitlines()[0]
    assert "400万元" in first and "省科技厅" in first
    assert "其余规定只适用于" in a
    # a cross-region question about no such measure: each document for its own region, as before
    b = ask("青海的企业能享受临清的政策吗")
    assert b.startswith("各文件只适用于本地的单位") and "400万元" not in b
    # 青海（五）：鼓励国内外科技成果转化平台落地青海,…1000万元 (含)以内的,给予1.5%的补助;1000万元以上的部分,给予1%
    # 的补助: 1000万 × 1.5% + 1400万 × 1% = 15万 + 14万 = 29万元, worked out from the volume said
    c = ask("我们是外省过来的科技成果转化平台 在青海落地了 今年促成5项成果在青海转化 技术交易额2400万 能补多少")
    assert "29万元" in c.splitlines()[0] and "省科技厅" in c.splitlines()[0]


@pytest.mark.parametrize("text", ["临清轴承那个奖励 同一年跟别的补贴能一起拿吗", "临清轴承企业一年拿到的奖励总额有没有上限？"])
def test_an_answer_naming_the_expired_plan_says_it_has_expired(text):
    # "本实施意见自印发之日起执行，试行期一年": past on the day asked, whatever the answer is about
    said = ask(text)
    assert "临清轴承行动计划" in said and "现已过期" in said


@pytest.mark.parametrize("text, asked", [
    ("临清孵化器奖补 网上能申请不 有没有申报系统", "是否网上申报"),
    ("青海省级新型研发机构的100万元奖补，命名以后多久能拨付到账？", "发放时间"),
])
def test_how_and_when_to_apply_online_or_be_paid_is_not_in_the_documents(text, asked):
    said = ask(text)
    assert said.startswith("文件中没有写明") and asked in said.split("\n")[0]


def test_hearsay_about_the_internet_is_not_a_question_of_applying_online():
    from huiqi.questions import undocumented_asked
    assert not undocumented_asked("网上说高企奖100万是真的吗")


def test_how_a_selective_award_is_judged_is_not_in_the_documents():
    # 青海（十七）: 对…业绩突出的众创空间（星创天地）和孵化器…给予最高100万元奖励 — "业绩突出" is not defined there
    said = ask("青海孵化器奖励最高100万 怎么才算业绩突出 有评分标准吗")
    assert "没有写明评定标准" in said and "省科技厅" in said


def test_how_a_status_is_recognised_is_not_in_the_documents():
    # 青海（一）: "对高新技术企业中认定为“省级科技小巨人”的企业,再奖励90万元" — how 小巨人 is recognised is not written
    said = ask("客户问青海省级科技小巨人是按啥标准认定的")
    assert "没有写明它的认定或评定办法" in said and "省科技厅" in said and "再奖励90万元" in said


def test_a_recognition_standard_asked_of_a_term_the_glossary_explains():
    # the glossary's 规上 (with its note that 2000万元 is the statistics' line, not the documents'), not "没有写明评定标准"
    said = ask("规上企业按什么标准认定")
    assert "2000万元" in said and "没有写明评定标准" not in said


def test_who_pays_is_not_who_issued():
    for q in ("这10万是谁出的", "这笔奖金是谁发的"):
        assert "发文单位" not in ask(q)


def test_who_issued_a_document():
    # 青海: signed "中共青海省委办公厅 青海省人民政府办公厅 2020年6月23日"; 临清 draft: 临清市科学技术局;
    # 临清轴承: 临清市人民政府, dated 2022-10-15 at its head and "2021年10月15日印发" at its end
    said = ask("好吧，那青海那个政策是谁发的", "ask_department")
    assert "中共青海省委办公厅、青海省人民政府办公厅" in said and "临清" not in said
    said = ask("这几个文件都是谁发的", "ask_department")
    assert "临清市科学技术局" in said and "临清市人民政府" in said and "前后不一致" in said


def test_when_a_document_ends_is_a_validity_question():
    # 青海: 中共青海省委办公厅、青海省人民政府办公厅 2020年6月23日印发; no end date written
    said = ask("客户问青海那个提升科技创新供给能力的政策措施 啥时候到期")
    assert "未规定截止日期" in said


def test_where_a_technology_comes_from_is_not_the_askers_place():
    # 青海（二）: 对引进技术落地转化效果显著的企业,择优按转移转化项目研发总投入的20% — 800万 × 20% = 160万 (the text's own)
    from huiqi.nlu import extractor
    t = "来电企业问：青海的 引进外地技术落地转化 项目研发总投入800万 能补多少"
    assert [r for r, _ in extractor().regions_in(t)] == ["qinghai"]
    assert "引进技术落地转化财政补助" in ask(t)


def test_what_each_region_gives_asked_side_by_side():
    # 临清 2021 第4条: …新型研发机构…最高不超过500万元; 青海（十六）: 对经评估命名为省级新型研发机构的,一次性给予100万元奖补
    said = ask("临清和青海对新型研发机构各有啥支持")
    assert "500万元" in said and "100万元" in said and "各自只适用于本地单位" in said
