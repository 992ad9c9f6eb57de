"""Cue words and patterns: every word list the NLU reads messages by, in one place.

Part of huiqi.nlu (split from one module by concern; huiqi/nlu/__init__.py re-exports every name)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..homophones import Homophones, correctable
from ..vocabulary import Vocabulary

# Facts read by the pattern rules of FactExtractor rather than from their phrasings; every other
# fact with `synonyms` in rules/facts.yml is read from those (nlu_facts()).
PATTERN_FACTS = ("high_tech_status", "tech_sme_status", "new_platform_level", "entity_type",
                 "mu_efficiency_grade", "enterprise_size", "green_threshold_met")


GENERIC = ("amount", "percent", "number", "tier")  # bare answers, mapped to the question asked


TOPIC_INTENTS = ("ask_award", "ask_department")


# Facts are never read from these (a classifier slip on "两件" → affirm must not lose the 2).
ANSWER_INTENTS = (None, "inform", "affirm", "deny", "dont_know")  # where a bare "300万" answers a question


NO_FACT_INTENTS = ("greet", "goodbye", "thank", "out_of_scope", "restart", "ask_capabilities")


_REVENUE = re.compile(r"主营业务收入|主营收入|营业收入|销售收入|营收|销售额|年收入|年销售|营业额|revenue|sales|销售(?=\s*[\d零一二两三四五六七八九十]|大概|大约|约)")


_RD_SPEND = re.compile(r"研发投入|研发费用|研发经费|研发支出")




# after a fact's name, these make it the name of an award or policy, not a fact about the asker
_AWARD_AFTER = re.compile(r"\s*(的|那个|这个|那些|这些|的那些)?\s*(奖励|奖金|奖补|补贴|补助|资助|扶持|政策|认定奖|奖)")


# a message that is nothing but a name: "企业", "是个人", "我们是高校的", "不对，是企业"
# how a correction opens ("不对，…", "不好意思，应该是…"); huiqi.dialogue reads corrections by it too
CORRECTION_LEAD = (r"(不对不对|不对|不是的|错了|说错了|刚才说错了|刚刚说错了|之前说错了|更正一下|更正|改一下|纠正一下|搞错了|记错了|"
                   r"不好意思|抱歉|sorry)?[，,。\s]*(刚才|刚刚|之前|前面)?(说错了|搞错了|记错了)?[，,。\s]*(应该是|其实是|实际上是)?")


def possessive_runs(pattern: str) -> str:
    """`pattern` with each run of whitespace or commas (\\s*, [，,\\s]*, [，,。\\s]*) taking all it can
    and never giving any back (an atomic group: Python 3.10 has none). The patterns of a bare
    answer put several such runs side by side, with only optional words between; backtracking
    tried every way of sharing a long run among them (time a power of its length: 500 spaces
    took minutes). Where no word between can start with what a run takes, as here, the language
    and the match found are the same."""
    count = iter(range(10 ** 6))

    def atomic(m):
        name = f"_run{next(count)}"
        return f"(?=(?P<{name}>{m.group(0)}))(?P={name})"
    return re.sub(r"\[，,。\\s\]\*|\[，,\\s\]\*|\\s\*", atomic, pattern)


_BARE_SOURCE = r"\s*" + CORRECTION_LEAD + r"[，,\s]*(我们|我)?(是|属于)?\s*(?P<v>[^，,。！!？?\s]{1,10}?)(的|吧|啊|呀)?\s*[。.！!]?\s*"
_BARE = re.compile(possessive_runs(_BARE_SOURCE))


_TIER_AWARD_AFTER = re.compile(r"(认定|入库|通过|评价|评上)?" + _AWARD_AFTER.pattern)


_CLAUSE = re.compile(r"[，,。；;！!？?\n~～…]+")


_NEG = re.compile(r"(不是|不属于|并非|还不是|也不是|都不是|不算|没有|没|非|无|不)(是|属于|算|一家|个|家)?(做|搞|生产|干|造)?(的)?$")


_TAX = r"(地方)?(新增)?(税收|财力|留成)"


_TAX_DOWN = r"没有新增|没新增|比去年(还|都)?少|下降|负增长|没(有)?增长|不增反降|减少"


_NO_NEW_REVENUE = re.compile(_TAX + r"[^，,。；;]{0,8}?(" + _TAX_DOWN + r")|(没有|没)新增(的)?" + _TAX
                             + r"|" + _TAX + r"[^，,。；;]{0,3}[，,]\s*(没有新增|没新增)")


# Certification tiers: the cue nearest to the anchor decides (docs/nlu-annotation.md).
_TIER_CUES = [
    ("after_lapse", r"(?<![没未不])中断|(?<![没未不])断了|(?<![没未不])断过|断档|(?<![没未不])断开|过期后又|失效后又|掉了又|停了一年"),
    ("consecutive", r"连续|连着|没断过|没有断过|没中断|没有中断|一直没断|不间断|重新认定|重新评|复审|复评|到期(后)?(又|再|重新|接着|继续)|接着通过|继续通过|再次通过|又通过|续上|续期|续的|续了|续过|是续|第二次|第三次|第二轮|第三轮|续评|年年|每年都|一直都?在库|一直是"),
    ("valid_earlier", r"去年|前年|往年|大前年|20[12]\d年|有效期内|在有效期|还在有效期|证书还在|还没到期|没到期"),
    ("first", r"首次|第一次|头一次|头一回|头一遭|头回|第一回|(?<!重)新认定|(?<!重)新评|刚认定|刚评|刚拿|刚通过|刚入|(?<!重)新入|新晋|今年(才|刚|也)?(认定|评上|评了|通过|拿到|获批|认下来|入库|进库|入了库|进了库)|新进"),
]


_HT_ANCHOR = r"高新技术企业|高新技术|高新技木企业|高新技朮企业|高薪技术企业|高新企业|高新|高企|高器|高起|国高|gaoqi"


_SME_ANCHOR = r"科技型中小企业|科技型中小|科技中小企业|科技型企业|科小|科晓|科效|入库|进库|评价入库"


_LAPSED = r"(到期|过期|失效|掉)了?[^，,。；;]{0,4}?(没|没有|未|还没)(再)?(续|重新认定|复审|申报|通过)|(到期|过期|失效)了(?![^，,。；;]{0,3}(又|再|重新))"


_NONE_CUES = {
    "high_tech_status": r"(不是|不算|还不是|还没|没|没有|没评上|没认定|非|未)(认定)?(的)?(" + _HT_ANCHOR + ")"
                        r"|(" + _HT_ANCHOR + ")(还|也|都|从来)?(没|没有|未|不是)(认定|评上|评过|申请|申报|通过)?过?(?![^，,。；;]{0,2}(到期|期满))"
                        r"(?!首次|第一次|头一次|新认定|连续|续|中断|今年|去年|前年)"
                        r"|(" + _HT_ANCHOR + ")[^，,。；;]{0,6}?(" + _LAPSED + ")",
    "tech_sme_status": r"(不是|不算|还不是|还没|没有|没|未)(入库|进库|(是)?(" + _SME_ANCHOR + "))"
                       r"|(" + _SME_ANCHOR + ")(还|也|都)?(不是|没有|没|未)(入库|进库|评上)?(?![^，,。；;]{0,3}(到期|期满))"
                       r"(?!首次|第一次|头一次|新入库|连续|续|中断|今年|去年|前年)"
                       r"|(" + _SME_ANCHOR + ")[^，,。；;]{0,6}?(" + _LAPSED + ")"
                       r"|(" + _SME_ANCHOR + ")[^。；;]{0,8}?今年(没|没有|未|还没)再?(申报|入库|进库|评价|评)",
}


_PLATFORM = r"重点实验室|技术创新中心|企业技术中心|工程研究中心|工程技术研究中心|工业设计中心|创新平台|技术中心|研发中心|创新中心|工程中心|平台"


_PLATFORM_LEVEL = [("national", r"国家级|国家"), ("liaocheng", r"聊城市级|聊城市|聊城|市级|地市级"), ("provincial", r"省级|省部级|省")]


# "企业技术中心", "企业家", "企业所得税": 企业 there heads no self-description
_NOT_NOUN_HEAD = r"(?!技术|家|主|所得|负责|培训|研发|标准|上市|债)"


_ENTITY_TYPE = [  # the first pattern that matches decides
    # the owner speaking for the company: "本人是公司法人", "我开了个轴承厂"
    ("enterprise", r"(本人|我)是[^，,。；;]{0,4}?(公司|企业|厂)的?(法人|老板|负责人|股东|总经理|经理|董事长)"
                   r"|(我|我们|俺|咱)[^，,。；;]{0,6}?(开了|开的|办了|办的|开着|经营)(个|家|一家|一个)?[^，,。；;]{0,6}?(公司|企业|厂子|厂|工厂)"),
    ("financial_institution", r"(我们|咱们|俺们|我)(这|这家)?(是)?[^，,。；;]{0,6}?(银行|保险公司|担保公司|金融机构)"),
    ("university", r"(我们|咱们|俺们|我这边|我这里|我这|我是|我在)(这|这所)?(是)?(?:(?!公司|企业|厂|请|聘|找|买|从|向|跟|和|与|给|卖|委托|合作|联合)[^，,。；;]){0,6}?(学校|高校|大学|学院)(?!毕业|读|路|街|附近|旁边|对面|的学生|生)"),
    ("research_institute", r"(我们|咱们|俺们|我这边|我这里|我这|我是|我在)(这|这家)?(是)?(?:(?!公司|企业|厂|请|聘|找|买|从|向|跟|和|与|给|卖|委托|合作|联合)[^，,。；;]){0,6}?(研究所|研究院|科研院所)(?!毕业|路|街|附近|旁边|对面)"),
    ("government", r"(我们|咱们|俺们|我这边|我这里|我这)(这|这个)?(是)?[^，,。；;]{0,6}?(管委会|开发区|高新区|园区管理|政府)"
                   r"|^\s*[^，,。；;]{0,6}?(管委会|管理委员会)(这边|这里|这块)"),
    ("individual", r"我(个人|本人|自己)|我(就|只|也)?是个人|个人(申请|申报|身份|名义)|以个人|本人是|本人(博士|硕士|教授|研究生|博士后)"
                   r"|(我|俺|本人)(?!们)(就|也)?是?(个|一个|一名|一位)?(?:(?!引进|聘|招|请|找|雇|有|公司|企业|单位|厂)[^，,。；;]){0,8}?(博士|硕士|教授|研究生|人才|专家)(?!生|的学生|团队|工作站)"),
    # hotline staff relay the caller's company in the third person: 他们公司…, 客户是中型企业
    ("enterprise", r"我司|本公司|本企业|贵司|该公司|该企业|其公司|其企业|(我们|咱们|俺们|咱|俺|我|他们|她们|客户|对方|来电企业|这家)(这|这家|家|的)?(是|属于|算|在)?[^。；;？?]{0,16}?(公司|企业" + _NOT_NOUN_HEAD + "|厂子|厂|工厂)"),
]


# a message that opens by describing a company ("临清规上轴承企业，…能拿多少")
_OPENING_SELF = re.compile(r"^[^，,。；;？?\s]{1,12}?(公司|企业" + _NOT_NOUN_HEAD + "|厂)")


SELF_REF = re.compile(r"我们|咱|俺|我司|本公司|本企业|本单位|我厂|我家|我公司|我单位|我们单位|我个人|我本人|他们公司|他们厂|客户|对方|来电|厂里|公司里|单位里|厂子里")


_GREEN_TRUE = r"(没|没有|无|未|从没|从来没|不存在)(出过|发生过|发生|有过|出|有)?(什么|任何)?(重大|较大)?(的)?((安全|环保|环境|生产|质量|责任)[、和及与]?)*(事故|失信|违法|环境问题|环保问题|处罚|污染)|符合绿色门槛|绿色门槛(也|都)?(没问题|符合|达标|满足)|环保(也|都)?达标|排污(也|都)?达标|节能(排污)?(也|都)?达标|(安全|环保)[、和及与]?(安全|环保)(方面)?(也|都)?(没问题|没有问题|没啥问题|合规|达标)(?![吗么嘛？?])"


_GREEN_FALSE = r"(出过|发生过|有过|发生了|出了|被罚|被处罚|受过|挨过|被(环保|行政|税务)?(处罚|罚款|罚)过?)(一起|一次|个|点)?(较大)?(的)?(安全)?(责任)?(环保|行政|税务)?(事故|失信|环保问题|环境问题|违法|处罚|罚款|污染)?|有(失信|环保问题|环境问题|安全事故|污染问题)|(失信|违法)(记录|名单)"


_MU = re.compile(r"(?:亩[产均](?:效益)?(?:综合)?(?:评价)?(?:是|为|评了|评为|被评为|拿了|得了|定为|属于|评的|评)?\s*)?(?<![a-z])(?P<g>[abcd])\s*(?:类|级|档)")


_MU_CTX = re.compile(r"亩[产均]")


_GRADES = "ABCD"  # best first


_MU_BARE = re.compile(r"亩[产均][^，,。；;a-z]{0,8}?(?<![a-z])(?P<g>[abcd])(?![a-z])")


_YEARS = re.compile(r"(成立|注册|创办|创立|开业|建厂|办厂)(了|才|有|已经|已|刚|刚刚|差不多|大概)?\s*"
                    r"(?P<under>不满|不到|未满|不足|没满|没到|还不到|还没到)?\s*(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?P<more>多)?\s*(个)?(年|周年)(?P<more2>多)?(?!前|以前|的时候)")


_SIZE = re.compile(r"(?<![中小科型])(?P<w>大型|中型|小型|微型)|(?<![中小型])(?P<w2>大企业|小企业)|(?<![小])(?P<w3>微企)|中等规模")


_SIZE_WORDS = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro", "大企业": "large",
               "小企业": "small", "微企": "micro", "中等规模": "medium"}


# a value said, then denied to the end of its clause: "小巨人没评上", "单项冠军、专精特新都不是".
# The definition; a regular expression engine that backtracks takes time exponential in the
# number of 和/、 after a value to refuse it ("规上和和和…和"), so huiqi.nlu.extraction reads
# the same language by dynamic programming (_denied_suffixes) from these parts.
_DENIED_LATER_SEPARATORS = "、和与及或跟"  # then another value named: 1 to 8 characters
_DENIED_LATER_NOT_IN_VALUE = "，,。；;、"  # (nor whitespace)
_DENIED_LATER_ADVERBS = ("也", "都", "还", "均", "从来", "一直")
_DENIED_LATER_WORDS = ("没评上", "没评过", "没认定过", "没认定", "没拿到", "没获得", "没入选", "没有", "没", "都不是",
                       "不是", "不算", "不属于", "算不上")
_DENIED_LATER_PARTICLES = "的呢啊吧了哈"
_DENIED_LATER = re.compile(r"(\s*[、和与及或跟]\s*[^，,。；;、\s]{1,8}?)*\s*(也|都|还|均|从来|一直)?"
                           r"(没评上|没评过|没认定过?|没拿到|没获得|没入选|没有|没|都不是|不是|不算|不属于|算不上)"
                           r"(过)?\s*[的呢啊吧了哈]*\s*$")


_REWARD = re.compile(r"奖励|奖金|奖补|补贴|补助|资助|扶持|政策|优惠|奖|钱|资金|支持|待遇|给多少|补多少|给几|"
                     r"reward|award|subsidy|subsidies|bonus|grant|jiangli|butie")


_ELIGIBILITY_Q = re.compile(
    r"(能|可以|可|能够|可不可以|能不能|能否)(拿|申请|申报|享受|领|得到|获得|报|要)[^，,。？?]{0,6}?(什么|啥|哪些|多少|哪几|几)"
    r"|(啥|什么|哪些|哪几项)(都)?(能|可以)(拿|申请|享受|领|报)|(一共|总共|合计|加起来)(能|可以)?(拿|得|领|有)?多少"
    r"|(有|有没有)(什么|啥|哪些)(补贴|奖励|补助|奖补|政策|资金|钱|支持|优惠|扶持|好处)"
    r"|(能|可以)(拿|申请|享受|领)(哪些|什么|啥)?(补贴|奖励|补助|奖补|政策|钱)"
    r"|(符合|够)(哪些|什么|啥)(条件|政策)")


# words that describe an award without saying anything about the asker
_ABOUT_AWARD = re.compile(r"首次|第一次|连续|中断后?|再次|重新|认定|入库|评价|通过|新认定|申请|申报|标准|金额|额度|比例|条件|规定|要求|"
                          r"怎么|如何|多少|哪些|什么|啥|有没有|有|给|发|拿|能|可以|一下|相关|方面|那边|这边")


VALIDITY_CUE = re.compile(r"还有效|有效吗|有效期|过期|到期了吗|正式(发|印发|发布|出台|实施)了?(吗|没|没有)|(发|出台)了没|(啥|什么|哪)(时候|天|年)(到期|截止|结束|失效|作废)|何时(到期|截止|结束|失效)|到期时间|失效|还能申请|还能申报|还能报|还可以申请|还在执行|还执行|执行到|还实行|还生效|生效了吗|作废|废止|执行期|试行期|能用吗|还能用|管用吗|算数吗|补申请|补报|"
                          r"作数|还算数|还管用|还适用吗|还好使|还能享受|还能领|(现在|今年|\d{4}年)还能(?![^，,。？?]{0,4}多少)|\d{4}年还有效|发布了吗|发布了没|正式发布|印发了吗|出台了吗|实施了吗|"
                          r"正式出台|正式文件|正式施行|正式实施|正式印发|是不是正式|算不算正式|是正式的|能按它申请|能按这个申请|"
                          r"什么时候开始实施|何时实施|开始实施|什么时候实施|什么时候施行|哪年发的|哪一年发的|还是20\d\d年|"
                            r"截止|什么时候申报|申报时间|何时申报|啥时候申报|哪天申报|什么时候开始")

# two things asked side by side ("国标跟国际标准各多少", "国家级和省级分别奖多少")
_BOTH_ASKED = re.compile(r"各|分别|还是|哪个|哪一个|哪种")  # (not "招了1个博士和2个硕士": both said, not asked)


# a follow-up asking only for the ceiling of what was just answered ("有封顶没", "最多给多少")
CAP_ASK = re.compile(r"(那|那么)?(有没有|有|是否有)?(封顶|上限|最高限额|限额)(没有?|不|是多少|多少)?|"
                     r"(那|那么)?(总额|合计|加起来|总共)(有)?(没有)?(上限|封顶)(没有?|不|是多少|多少)?")


def cap_asked(core: str) -> bool:
    """A message's core (CORE_WORDS taken out) only asks the cap of what was just answered ("有封顶没",
    "这个有封顶没")."""
    return bool(CAP_ASK.fullmatch(re.sub(r"^(那|那么)?(这个|那个|这项|这|它)", "", core)))


# facts that say who asks (where, what kind of unit, which industry, how large), never an award's own case
_PROFILE_FACTS = frozenset({"region", "entity_type", "is_bearing_enterprise", "above_scale", "enterprise_size",
                            "is_state_owned"})


# asking whether a document is still in force, said plainly enough to outweigh a department
# word beside it ("青海这个文件现在还有效吗，有没有截止日期")
STILL_IN_FORCE = re.compile(r"还有效|有效吗|作数|还算数|过期了|失效了|还在执行|还执行吗|还生效|还管用|还适用吗")


# Cues shared with huiqi.questions, which adds finer ones of its own to each (one list each)
# the buttons under an answer, typed or pressed (huiqi.focus): expand it, or check / go on
#: asking for the source or the working of the answer just given, within a longer message
#: ("为什么是这个数？能给我看一下原文吗？", "这个数怎么算出来的")
DETAIL_WITHIN = re.compile(r"(看|给|发|贴|出示|念|读)[^，,。？?]{0,4}原文|原文(呢|在哪|是什么|怎么写|给我)|"
                           r"(为什么|为啥|凭什么)是这个数|这个数(是)?(怎么|咋|如何)(来|算)|依据(呢|在哪|是什么|是啥)")
DETAIL_ASK = re.compile(r"(好的?|嗯|那)?(请|麻烦)?(给我)?(看看|看下|说说)?(详细(点|一点|些|说说|说一下|讲讲|情况|内容|信息)?|说详细(点|一点|些)?|"
                        r"具体(点|一点|些|说说|讲讲)|展开(说说|讲讲)?|为什么|为啥|为什么(不行|不符合|不能拿|拿不到|没有)|原文|看原文|"
                        r"原文(是)?怎么(写|说)的?|依据(是)?(什么|啥)|出处)")


CHECK_ASK = re.compile(r"(好的?|嗯|那|行)?(请|麻烦)?(帮我|帮忙)?核对(一下|是否符合)?(最多|还有)?(\d+个问题)?|"
                       r"(好的?|嗯|那|行)?(继续|接着)(问|核对|吧)?(还有\d+个问题)?|继续核对(还有\d+个问题)?")


DEFINITION_WORDS = r"什么意思|啥意思|是啥意思|指什么|指的是啥|怎么理解|什么叫|何为|含义|定义|区别|有啥不同|有什么不同|是什么东西"


CONTACT_WORDS = r"电话|手机|联系方式|热线|地址|在哪办|在哪里办|窗口|网址|网站|邮箱|办公地点|怎么联系|找谁"  # how to reach them


ONLINE_WORDS = (r"(网上|线上|在线|网络上?)(能|可以|怎么|如何|能不能|可不可以)?(申请|申报|报名|报|办理|办|提交|填报)|申报系统|申报平台|"
                r"网办|(APP|app|小程序)(上)?(申请|申报|办)")  # where to apply online


#: by what standard a status is recognised ("青海省级科技小巨人是按啥标准认定的")
RECOGNITION_WORDS = r"(按|凭|依据|根据)(啥|什么|哪些|哪个)标准(来)?(认定|评定|评选|评|认)"
#: how an award's selection is judged, which the documents do not set out ("怎么才算业绩突出 有评分标准吗")
CRITERIA_WORDS = (r"评分标准|评价标准|评审标准|评定标准|认定标准|考核标准|评分细则|打分|(怎么|怎样|怎么样|什么样?的?)才(算|能算)|"
                  r"如何(认定|评定|界定|评价)|(按|凭)(啥|什么|哪些)(条件|标准)?择优|择优(的)?(条件|标准)|谁来(评|定|审)|怎么(评|择优)|"
                  + RECOGNITION_WORDS)
PROCEDURE_WORDS = (ONLINE_WORDS + "|" + CRITERIA_WORDS + r"|材料|申报流程|怎么申报|如何申报|申报程序|办理流程|流程|程序|手续|怎么申请|如何申请|怎样申请|去哪(里)?申请|在哪(里)?申请|"
                   r"怎么办理|如何办理|怎么领取?|如何领取?|去哪(里|儿)?领|在哪(里|儿)?领|找谁领")


CLAIM_WORDS = r"有人说|听说|据说|真的吗|是真的|是不是真|对吗|对不对|有这回事|靠谱吗"


# how hotline staff say a caller phoned ("有企业打电话问，…"): not a question about a phone number
_RELAYED = re.compile(r"(打|来|通过|接到)(了|个)?电话(来|过来)?(问|咨询|说)?|电话(里|中)(问|咨询|说)|来电(问|咨询|说|企业)?")


_KIND_DEFINITION = re.compile(DEFINITION_WORDS)


_KIND_CONTACT = re.compile(CONTACT_WORDS + r"|哪个部门|哪个局|归谁管|谁负责|"
                           r"主管部门|负责部门|归口|管理部门|受理部门|哪个单位|找[^，,。？?]{1,5}(厅|局|委|办)吗?$|"
                           r"什么材料|哪些材料|申报材料|申报流程|怎么申报|如何申报|申报程序|办理流程|手续")


# what the company can get, said about the asker's own facts
_CLAIM_CUE = re.compile(CLAIM_WORDS)


STACKING_CUE = re.compile(r"一起拿|同时拿|同时享受|一起享受|叠加|兼得|重复享受|都能拿|都能享受|能不能都|可以都|两边都|两头都|两头拿|都拿吗|能都拿|重复拿|重复领|拿两份|领两份")


COMPARING_CUE = re.compile(r"哪个(奖励|补贴|钱)?(多|高|划算|大)|各(自)?有(啥|什么|哪些)|分别有(啥|什么|哪些)|哪个更|比较|一样吗|相同吗|区别|差多少|差别")


_ENDS_WITH_AWARD = re.compile(r"(奖励|奖金|奖补|补贴|补助|资助|扶持|政策|补偿|贴息|经费|支持|优惠|减免|抵扣税|奖)$")


_HAD_IT = re.compile(r"拿到|得到|获得过|领到|领过|拿过|申请过|享受过|已经")


_CAN_GET = re.compile(r"能奖|能拿|能领|能申请|能享受|奖多少|补多少|给多少|多少钱|能得|有戏|有份|符合条件|够条件|够不够|行不行|中不中|"
                      r"奖补金额|奖励多少|补贴多少|上限是多少|能补|有奖没|有没有奖|有奖[吗不么嘛]|有(奖励|补贴|补助)[吗不么嘛没]")


_RECKON = re.compile(r"(帮|给)(我|俺|咱|客户|他们|对方)?(算|查|看|测)(一下|下|算|查|看)?|算一下|查一下|测算")


_UNSURE_ANY = re.compile(r"不确定|不清楚|不知道|记不清|说不准|不太确定|没数|不晓得")


# something these documents deal with, for questions that name no topic ("政策还有效吗")
_ANCHOR = re.compile(r"政策|文件|措施|行动计划|实施意见|征求意见稿|奖励|补贴|补助|奖补|轴承|临清|青海|科技局|科技厅|就高不重复|申报|"
                     r"一事一议|不重复支持|规上|规下|规模以上|亩产|亩均|绿色门槛|地方财力|专精特新|小巨人|牵头单位|配合单位")


# what a message is once question words, places and politeness are taken out
_CORE = CORE_WORDS = re.compile(r"[\s，,。.！!？?~～…:：;；、\"'“”()（）]|请问|问一下|麻烦|你好|您好|一下|呢|吗|啊|呀|吧|哈|嘛|想起来了|记起来了|想起来")


_QUESTION = re.compile(r"[?？]|吗|呢|能|多少|什么|啥|哪|怎么|咋|如何|可以|可不可以|是否|有没有|行不行|中不中|够不够|算不算|给不给|"
                       r"几个钱|几块钱|给几|有戏|还是|是不是|(没|不)\s*$|"
                       r"(有|能|给|行|中|够|算)[^，,。？?\s]{0,8}(没|不)(?=\s|[，,。；;])|"  # "专利有奖励没 发明的呢"
                       r"(说|讲|介绍|列|解释)(一)?下|说说|讲讲")


#: "想问问补贴", "咨询一下补贴政策", "了解下奖励": asking about subsidies in general (what can we get)
ASK_ABOUT_SUBSIDIES = re.compile(r"(我|俺)?(想|要)?(问问|问下|问一下|咨询|咨询下|咨询一下|了解|了解下|了解一下|打听|打听下|打听一下|看看|问)"
                                 r"(有关|关于)?(科技)?(的)?(补贴|补助|奖励|奖补|扶持|政策|优惠)(政策|的事|的事情|方面|的)?")
_FILLER = re.compile(r"[\s，,。.！!？?、~～…:：;；\"'“”()（）]|吧|啊|呀|呢|的|了|哈|嗯|大概|大约|差不多|左右|约|是|就|我们|咱们|俺们|这边|"
                     r"他们|她们|客户|对方|在|也|都|还|想起来了|记起来了|想起来")



# corrections that name no fact, another caller's company, "answer now" (read by huiqi.dialogue)
CORRECTION_CUE = re.compile(r"^\s*(不对|不是的|错了|说错了|刚才说错了|刚刚说错了|之前说错了|更正一下|更正|改一下|纠正一下|搞错了|记错了|"
                         r"应该是|其实是|实际上是|不好意思[，,。\s]*(应该是|其实是|说错了|搞错了|记错了))[，,。\s]*"
                         r"((刚才|刚刚|之前|前面)?(说错了|搞错了|记错了)[，,。\s]*)?(应该是|其实是)?")  # (huiqi.nlu.CORRECTION_LEAD)


# "换一家", "下一个客户" always; "第二家", "另一家", "新客户" only as the lead of the message or after
# 再问/下面/接下来 ("我们和另一家企业联合申报" is the same company's facts)
NEW_CASE_CUE = re.compile(r"换一家|换个企业|换一个企业|换个公司|换个客户|下一家|下一个客户|下个客户|^\s*下一位(?=[:：，,\s])|下一位(客户|来电|企业)"
                       r"|(^\s*(那|好|好的|嗯|ok|行)?[，,\s]*|(再问|再来|再说|再看|问一下|问问|下面|接下来|然后|还有|换)[^，,。？?]{0,3}?)"
                       r"(第二家|第三家|另一家|另外一家|另一个客户|另一位客户|新客户|一个新客户)")


# "就这些，先看结果", "后面的都不清楚", "别问了": answer now with what is known
ANSWER_NOW_CUE = re.compile(r"先看(看)?结果|^\s*(?:(那|好的?|行|嗯)[，,\s]*)?(我)?(要|想)?看(看|一?下)?结果(吧|呢|了)?\s*$|看看结果|直接(出|给|告诉我|说)?结果|出结果吧|就这些|就这么多|别问了|不用(再)?问了|不想(再)?(回答|答)了?"
                         r"|(显示|展示|给出|列出|出示|看一?下)(一下)?(结果|答案)"
                         r"|(后面|剩下|其他|其余)的?(问题|情况)?(暂时|暂|都|全|全部|也)?(跳过|不清楚|不知道|不答|不太清楚|不了解)"
                         r"|先(告诉|算)(我|一下)?(能拿|结果|多少)")



# a follow-up about what was just answered: "那有什么奖励", "最多多少钱", "怎么算的"
#: a detail of the awards just answered, asked in a follow-up, and the words of the sentence (of an
#: award's text or its table note) that gives it: "明年再评上A类还能再拿吗" → "3年内累计奖励不超过一次",
#: "学校能分几年发" → "分期兑现,最长不超过3年", "这钱省里出还是市州出" → "由省和市(州)根据财政事权8:2比例承担";
#: third, what is asked where a text that gives no such sentence can be said not to say it (None where a
#: text may answer it in other words: "一次性" answers "分几年发", a 连续 tier "明年还能再拿吗")
ASPECTS = (
    (re.compile(r"再拿|还能再(拿|领|申请|申报)|再(评|申请|申报|领|奖)上?[^，,。？?]{0,6}(拿|领|奖|给)|又(评|拿)上?[^，,。？?]{0,6}(拿|领|奖|给)|"
                r"每年都(能)?(拿|给|奖|领)|年年(拿|给|奖|领)|重复(拿|享受|领|奖)|第二次(拿|奖|领)|连续(几年)?(拿|领)|"
                r"(拿|领|获)过(一次)?[^，,。？?]{0,4}(奖|补)|又评(了|上)"),
     re.compile(r"累计(奖励)?不超过|只奖励一次|不再奖励|每年最高|不重复"), None),
    (re.compile(r"分几年|分期|分几次|几年(内)?(发|给|兑现|付)|一次(性)?(发|给|付)完|分(年|批)(发|给|兑现)"),
     re.compile(r"分期|最长不超过\d+年|分年"), None),
    (re.compile(r"(给|支持|补|发|管)几年|能(给|支持)多少年|支持期|期限"),
     re.compile(r"不超过\d+年|\d+年内|期限|最长"), None),
    (re.compile(r"聊城[^，,。？?]{0,4}(呢|给多少|出多少|给了多少|奖多少|给几|有多少|多少)"),
     re.compile(r"在聊城市|聊城市财政"), None),
    (re.compile(r"(省里|省|市里|市州|市|县|临清|聊城|银行)[^，,。？?]{0,6}(出钱|承担|负担|担多少|出多少|出还是|担还是|出了(多少|几成|百分之))|"
                r"谁(出钱|来出|承担|负担)|哪级财政|分担|承担(多少|比例|百分之)|百分之几|(出|担)(了)?[^，,。？?]{0,6}(几成|比例)"),
     re.compile(r"承担|\d+\s*[:：∶]\s*\d+|比例|财政"), "由哪级财政承担"),
)
#: "青海那个政策是谁发的": who issued a document
ISSUER_CUE = re.compile(r"(政策|文件|措施|意见|方案|计划|通知)[^，,。？?]{0,6}?(谁|哪个(部门|单位|机关))(发|出|印发|颁布|制定)的|"
                        r"发文(单位|机关|部门)|(印发|颁布)(单位|机关|部门)")
#: "钱是给公司还是给他本人", "补给谁": whom an award is paid to
WHO_GETS = re.compile(r"(给|发给|补给|奖给|补贴给|补助给|奖励给|发)谁|归谁|谁(来)?(拿|领)|给(公司|单位|企业|个人|本人|他|她)还是|"
                      r"还是给(他|她|个人|本人|公司|单位|企业)|给(个人|本人)的?吗|是给(个人|本人|公司|单位|企业)")



#: who a document's awards are for and what they require ("轴承奖励 什么企业能拿 要满足啥条件")
ABOUT_CONDITIONS = re.compile(r"什么(样的)?(企业|单位|公司|厂)(能|可以)|哪些(企业|单位|公司)(能|可以)|谁(能|可以)(拿|申请|享受)|"
                              r"(要|需要|得)满足|(什么|啥|哪些)(条件|要求)|条件是|门槛|申报条件|适用对象|奖励对象|面向哪些")
#: how a document caps what one company gets ("轴承那个奖励 上限是按什么定的")
ABOUT_CAPS = re.compile(r"上限|封顶|总额|最高限额|额度(是)?(按|怎么|如何)")
#: "连续入库的呢", "那省级的呢", "要是3000万呢", "聊城要是只给600万呢": the same question, of another case
#: "他又问", "客户又问", "对方问": a caller's follow-up relayed by hotline staff
RELAYED_FOLLOW_UP = re.compile(r"^\s*(他|她|客户|对方|来电企业|企业|老板|那边)?(又|还|再)?(问|说|想问|想知道)[：:，,\s]*")
ANOTHER_CASE = re.compile(r"\s*(那|那么|那如果|那要是)?(要是|如果|假如|若是?)?(?P<w>[^，,。？?！!；;\s]{2,16}?)(的话)?(的)?呢[？?。.！!]*\s*")
FOLLOW_UP_CUE = re.compile(r"^\s*(那|那么|那这个|这个|那它|它|那这)[^，,。？?]{0,12}$|^\s*(最多|最高|上限|封顶|一共|总共)?[^，,。？?]{0,4}(多少钱?|怎么算|多少万|上限是多少|标准是多少)(来着|呀|啊)?[？?吗呢]*\s*$")

# huiqi.questions: the finer kinds of question an answer needs (moved here: cue words in one place)
# (questions) what kind of question it is, beyond "tell me about X" (validity, stacking and comparison cues are
# the ones huiqi.nlu routes by; these are the finer distinctions an answer needs)
Q_DEFINITION = re.compile(DEFINITION_WORDS + r"|是啥|是什么(?!时候)|什么是|何谓|指的是")
# when to apply: the documents give no application dates (their validity is another question)
# "那青海的政策我们能用不", "临清的文件我们适用吗": whether another place's documents apply
USE_POLICY_CUE = re.compile(r"(政策|文件|措施|规定|办法|补贴|奖励)[^，,。？?]{0,6}(能用|能不能用|可以用|可不可以用|适用|能享受|能不能享受|"
                            r"可以享受|能申请|能不能申请|可以申请|用得上|沾得上|能沾)")
# "什么时候发", "几月份发钱", "多久到账": when the money is paid (the documents never say)
Q_PAYOUT = re.compile(r"(什么|啥)时候(能|可以|才能?|会|能够)?(发钱|给钱|拨|到账|到位|到手|兑现|兑付)"
                      r"|(钱|资金|奖励|补贴|补助|奖金|奖补|费)[^，,。？?]{0,6}(什么|啥)时候(能|可以|才能?|会|能够)?(发|给|下来|拿到|领)"
                      r"|几月份?(能|会)?(发钱|拨|到账)|(多久|多长时间)(能|才能?|可以|会)?(到账|到手|发钱|兑现|拨下来)"
                      r"|(钱|资金|奖励|补贴|补助|奖金|奖补|费)[^，,。？?]{0,6}(多久|多长时间)(能|才能?|可以|会)?(发|下来|拿到|到)"
                      r"|(发放|拨付|到账|兑现|兑付)(时间|时限)|哪天(发钱|到账)|何时(拨付|到账|兑现|兑付)"
                      r"|(多久|多长时间|几个月|几天|多少天)[^，,。？?]{0,4}(到账|到手|发钱|兑现|兑付|拨付|拨下来|发下来|发放)")
# "征求意见稿啥时候正式出台": when a draft will be adopted (it does not say)
Q_ADOPTION = re.compile(r"(什么|啥)时候[^，,。？?]{0,4}(正式|出台|施行|实施)|何时(正式|出台)|正式出台")
Q_DEADLINE = re.compile(Q_PAYOUT.pattern + r"|截止|申报时间|申请时间|受理时间|什么时候(可以|能)?(申报|申请|报|交|受理|开始|兑现|发放|到账)|几月(份)?(申报|申请|报)|哪天(申报|报)|时间节点|申报期")
Q_DEFINITION_ONLY = re.compile(DEFINITION_WORDS)
Q_STILL_VALID = re.compile(r"还有效|有效期|过期|失效|作数|还算数|还生效|还管用|还能申请|还能申报|还在执行|还执行|执行到|废止|作废")
Q_CONTACT = re.compile(CONTACT_WORDS)
Q_NON_CASH = re.compile(r"非资金|不是钱|不给钱|服务类|政策支持有哪些")
Q_CLAIM = re.compile(CLAIM_WORDS)
Q_CAP = re.compile(r"上限|封顶|最多能拿|总额|不超过")
Q_ELIGIBLE_Q = re.compile(r"能拿|能申请|能申报|能享受|能领|可以拿|可以申请|可以享受|还有戏|有资格|符合条件")
Q_PROCEDURE = re.compile(PROCEDURE_WORDS)
Q_ONLINE = re.compile(ONLINE_WORDS)
Q_CRITERIA = re.compile(CRITERIA_WORDS)
Q_RECOGNITION = re.compile(RECOGNITION_WORDS)
Q_MONEY_WORDS = re.compile(r"奖励|补贴|补助|奖补|资助|奖金|奖|钱|多少|资金|给多少|万元|扶持")
Q_GENERIC = re.compile(r"政策|奖励|奖金|奖补|补贴|补助|资助|扶持|支持|资金|优惠|企业|公司|科技|创新|申请|申报|能拿|可以|什么|哪些|多少|怎么|有没有|有啥|请问")
Q_ON_TOP = re.compile(r"聊城[^，,。？?]{0,6}(给了|奖了|配套了|已经给|奖励了|补了)|基础上|叠加|还给|再给|还奖|还补")
Q_LIAOCHENG = re.compile(r"聊城(?!市级|级|市财政|财政|配套|给|奖励|市奖励|的奖励|市配套|市重点|重点)")
Q_PLACES = re.compile(r"临清市?|青海省?|西宁|海东|山东|聊城")
Q_STOP = set("的了吗呢吧啊呀么是有没和与及或在对给多少什么啥哪个怎样如何能可以请问一下我们公司企业")




# ---- bare answers (huiqi.nlu.readings): "不清楚" is no answer; a leading yes or no; the filler
# words around a value named in a bare answer ("我们是中型的吧")
ANSWER_UNSURE = re.compile(r"^\s*(不清楚|不知道|不确定|不好说|不太清楚|没统计|说不准)")
ANSWER_YES = re.compile(r"^\s*(是的|是啊|是呀|是|对的|对|有的|有|嗯+|没错|符合|都符合|没问题|都没问题|ok\b|好的|yes\b|y$)"
                        r"(?![^，,。！!\s]*(不|没))", re.I)
ANSWER_NO = re.compile(r"^\s*(不是|不对|没有|没|否|不|无|no\b|n$)", re.I)
ANSWER_FILLER = re.compile(r"想起来了|记起来了|[\s，,。.！!？?~～…:：;；、\"'“”()（）]|^(我们|咱们|俺们|我)?(这边)?(是|属于|算)?|的$|吧|啊|呀|呢|哈|嘛|了")

#: "从北京一所大学受让", "转让给了青海的企业": a place said of the other side of a deal
_COUNTERPARTY_BEFORE = re.compile(r"(从|向|卖给|转让给了?)$")
_DEAL = re.compile(r"受让|转让|购买|买了?|卖给|引进")
_COUNTERPARTY_AFTER = re.compile(r"(市|省)?的?(一所|一家|一个|某所|某家|某个|某)?"
                                 r"(大学|高校|学校|院校|科研院所|院所|研究院|研究所|科研机构|机构|企业|公司|单位|团队)")

#: "柔性引进了一位外地的高层次人才", "聘了个北京的专家": a place said of a person the company hired
#: (not "请问北京的企业引进了博士": the company's place, a hiring said after it)
_PERSON_AFTER = re.compile(r"(市|省)?的?(?:(?!企业|公司|单位|厂)[^，,。；;？?的]){0,4}?(人才|专家|博士|硕士|院士|工程师|教授|科学家)")
_HIRED = re.compile(r"引进|聘|招|请了")


_BOUGHT = re.compile(r"(受让|买了?|购买了?|引进了?)[^，,。；;？?]{0,8}(成果|技术|专利)")

#: a sum that is an award's cap asked about ("补助上限200万吗", "最高500万是吧"), not the asker's
_CAP_SAID = re.compile(r"(最高|上限|不超过|封顶|最多|不高于|顶格)[^，,。；;？?\d]{0,3}$")
_ASKED_BACK = re.compile(r"\s*(元|块)?\s*(吗|嘛|么|是吧|是不是|对吧|对吗|是真的)")


__all__ = [n for n in dir() if not n.startswith('__') and n not in ('annotations',)]
