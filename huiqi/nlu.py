"""Company facts from Chinese text: entities named after facts, with normalised values.

Rule-based and built from the fact vocabulary (rules/facts.yml) and the topics
(rules/topics.yml), so a new synonym is data, not code. The Rasa component in
bot/components.py wraps it; it runs and is tested without Rasa. Contract:
docs/nlu-annotation.md.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .vocabulary import Vocabulary

# The facts the assistant understands in free text (docs/nlu-annotation.md).
NLU_FACTS = (
    "region", "entity_type", "is_bearing_enterprise", "above_scale", "enterprise_size", "is_state_owned",
    "high_tech_status", "tech_sme_status", "provincial_little_giant", "quality_enterprise_title", "rd_ratio",
    "mu_efficiency_grade", "green_threshold_met", "rd_deduction_amount", "rd_deduction_tax_exemption",
    "new_invention_patents", "new_utility_patents", "new_platform_level", "new_local_fiscal_revenue",
    "output_value", "tech_contract_amount",
)
GENERIC = ("amount", "percent", "number", "tier")  # bare answers, mapped to the question asked
TOPIC_INTENTS = ("ask_award", "ask_department")
# Facts are never read from these (a classifier slip on "两件" → affirm must not lose the 2).
ANSWER_INTENTS = (None, "inform", "affirm", "deny", "dont_know")  # where a bare "300万" answers a question
NO_FACT_INTENTS = ("greet", "goodbye", "thank", "out_of_scope", "restart", "ask_capabilities")

_CLAUSE = re.compile(r"[，,。；;！!？?\n~～…]+")
_NEG = re.compile(r"(不是|不属于|并非|还不是|也不是|都不是|不算|没有|没|非|无|不)(是|属于|算|一家|个|家)?(做|搞|生产|干|造)?(的)?$")
_UNIT = {"千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "万": 10_000, "w": 10_000,
         "亿": 100_000_000, "千": 1_000, "k": 1_000}
_CN_NUM = "零〇一二两三四五六七八九十百千"
_NUM = re.compile(
    r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?)"
    r"\s*(?P<unit>千万|百万|十万|万|亿|w(?![a-z])|k(?![a-z])|千)?\s*(?P<tail>元|块钱|块|%|个百分点|个点|个|件|项)?")
# the rest of a compound amount after 万/亿: 三万[五], 1亿[2千万], 3万[5千]元; not "300万5个专利"
_REST = re.compile(r"(?P<num>\d+|[一二两三四五六七八九][零〇一二两三四五六七八九十百千]*)(?P<unit>千万|百万|十万|千|百)?"
                   r"(?P<tail>元|块钱|块)?(?![\d.%个件项年月点万亿])")
_PCT_WORD = re.compile(r"百分之(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十点]+)")
# numbers that are not quantities: years, ranks, ordinals, "500强", "一下"
_NOT_NUM_AFTER = re.compile(r"^(年|月|日|号|强|级|岁|次|届|期|批|名|人|位|家|楼|类|下|些|直|起|样|般|定|致|切|律|旦|边|并|同|点儿|会儿|部分|方面)")

# Certification tiers: the cue nearest to the anchor decides (docs/nlu-annotation.md).
_TIER_CUES = [
    ("after_lapse", r"中断|断了|断过|断档|断开|过期后又|失效后又|掉了又|停了一年"),
    ("consecutive", r"连续|重新认定|重新评|复审|复评|到期(后)?(又|再|重新|接着|继续)|接着通过|继续通过|再次通过|又通过|续上|续期|第二次|第三次|第二轮|第三轮|续评|年年|每年都|一直都?在库|一直是"),
    ("valid_earlier", r"去年|前年|往年|大前年|20[12]\d年|有效期内|在有效期|还在有效期|证书还在|还没到期|没到期"),
    ("first", r"首次|第一次|头一次|头回|第一回|新认定|新评|刚认定|刚评|刚拿|刚通过|刚入|新入|新晋|今年(才|刚|也)?(认定|评上|评了|通过|拿到|获批|认下来|入库|进库|入了库|进了库)|新进"),
]
_HT_ANCHOR = r"高新技术企业|高新技术|高新技木企业|高新技朮企业|高薪技术企业|高新企业|高新|高企|国高"
_SME_ANCHOR = r"科技型中小企业|科技型中小|科技中小企业|科技型企业|科小|入库|进库|评价入库"
_NONE_CUES = {
    "high_tech_status": r"(不是|不算|还不是|还没|没|没有|没评上|没认定|非|未)(认定)?(的)?(" + _HT_ANCHOR + ")",
    "tech_sme_status": r"(不是|不算|还不是|还没|没有|没|未)(入库|进库|(是)?(" + _SME_ANCHOR + "))",
}
_PLATFORM = r"重点实验室|技术创新中心|企业技术中心|工程研究中心|工程技术研究中心|工业设计中心|创新平台|技术中心|研发中心|创新中心|工程中心|平台"
_PLATFORM_LEVEL = [("national", r"国家级|国家"), ("liaocheng", r"聊城市级|聊城市|聊城|市级|地市级"), ("provincial", r"省级|省部级|省")]
# "企业技术中心", "企业家", "企业所得税": 企业 there heads no self-description
_NOT_NOUN_HEAD = r"(?!技术|家|主|所得|负责|培训|研发|标准|上市|债)"
_ENTITY_TYPE = [
    ("financial_institution", r"(我们|咱们|俺们|我)(这|这家)?(是)?[^，,。；;]{0,6}?(银行|保险公司|担保公司|金融机构)"),
    ("university", r"(我们|咱们|俺们)(这|这所)?(是)?[^，,。；;]{0,6}?(学校|高校|大学|学院)"),
    ("research_institute", r"(我们|咱们|俺们)(这|这家)?(是)?[^，,。；;]{0,6}?(研究所|研究院|科研院所)"),
    ("government", r"(我们|咱们|俺们)(这|这个)?(是)?[^，,。；;]{0,6}?(管委会|开发区|高新区|园区管理|政府)"),
    ("individual", r"我(个人|本人|自己)|我是[^，,。；;]{0,8}?(博士|硕士|教授|研究生|人才|专家)"),
    # hotline staff relay the caller's company in the third person: 他们公司…, 客户是中型企业
    ("enterprise", r"我司|本公司|本企业|贵司|该公司|该企业|(我们|咱们|俺们|咱|俺|我|他们|她们|客户|对方|来电企业|这家)(这|这家|家|的)?(是|属于|算|在)?[^。；;？?]{0,16}?(公司|企业" + _NOT_NOUN_HEAD + "|厂子|厂|工厂)"),
]
# a message that opens by describing a company ("临清规上轴承企业，…能拿多少")
_OPENING_SELF = re.compile(r"^[^，,。；;？?\s]{1,12}?(公司|企业" + _NOT_NOUN_HEAD + "|厂)")
SELF_REF = re.compile(r"我们|咱|俺|我司|本公司|我厂|我家|我公司|我单位|我们单位|他们公司|他们厂|客户|对方|来电")
_GREEN_TRUE = r"(没|没有|无|未|从没|从来没|不存在)(出过|发生过|发生|有过|出|有)?(什么|任何)?(较大)?(的)?(安全)?(责任)?(事故|失信|违法|环境问题|环保问题|处罚|污染)|符合绿色门槛|绿色门槛(都)?(没问题|符合|达标)|环保(都)?达标|排污达标|节能(排污)?(都)?达标"
_GREEN_FALSE = r"(出过|发生过|有过|发生了|出了|被罚|被处罚|受过|挨过|被(环保|行政|税务)?(处罚|罚款|罚)过?)(一起|一次|个|点)?(较大)?(的)?(安全)?(责任)?(环保|行政|税务)?(事故|失信|环保问题|环境问题|违法|处罚|罚款|污染)?|有(失信|环保问题|环境问题|安全事故|污染问题)|(失信|违法)(记录|名单)"
_MU = re.compile(r"(?:亩[产均](?:效益)?(?:综合)?(?:评价)?(?:是|为|评了|评为|被评为|拿了|得了|定为|属于|评的|评)?\s*)?(?<![a-z])(?P<g>[abcd])\s*(?:类|级|档)")
_MU_CTX = re.compile(r"亩[产均]")
_MU_BARE = re.compile(r"亩[产均][^，,。；;a-z]{0,8}?(?<![a-z])(?P<g>[abcd])(?![a-z])")
_SIZE = re.compile(r"(?<![中小科型])(?P<w>大型|中型|小型|微型)|(?<![中小型])(?P<w2>大企业|小企业)|(?<![小])(?P<w3>微企)|中等规模")
_SIZE_WORDS = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro", "大企业": "large",
               "小企业": "small", "微企": "micro", "中等规模": "medium"}


@dataclass(frozen=True)
class Extracted:
    entity: str
    value: Any
    start: int
    end: int
    text: str

    def as_rasa(self, extractor: str) -> dict:
        return {"entity": self.entity, "value": self.value, "start": self.start, "end": self.end,
                "value_text": self.text, "extractor": extractor, "confidence_entity": 1.0}


def normalize(text: str) -> str:
    """Full-width → half-width, lower case; one character in, one out, so offsets hold."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n.lower() if len(n) == 1 else ch)
    return "".join(out)


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_MULT = {"十": 10, "百": 100, "千": 1000}


def _cn_integer(s: str) -> int | None:
    """一千二百 → 1200, 十五 → 15, 三零零 → 300 (digit by digit when no 十/百/千)."""
    if not s:
        return None
    if not any(ch in _CN_MULT for ch in s):
        return int("".join(str(_CN_DIGIT[ch]) for ch in s)) if all(ch in _CN_DIGIT for ch in s) else None
    total = digit = 0
    last_mult, after_mult = 0, False
    for ch in s:
        if ch in _CN_DIGIT:
            digit, after_mult = _CN_DIGIT[ch], after_mult and ch not in "零〇"
        elif ch in _CN_MULT:
            total += (digit or 1) * _CN_MULT[ch]  # 十五: an implicit 一
            digit, last_mult, after_mult = 0, _CN_MULT[ch], True
        else:
            return None
    if after_mult and digit and last_mult >= 100:
        return total + digit * last_mult // 10  # 一千二 = 1200, 两百五 = 250 (spoken short forms)
    return total + digit


def parse_number(num: str) -> float | None:
    """"3,000", "5.5", "三百", "两千", "四点五" → a number; None for anything else.
    Units (万, 亿) are matched and applied by the caller."""
    num = num.replace(",", "")
    try:
        return float(num)
    except ValueError:
        pass
    whole, _, frac = num.partition("点")
    n = _cn_integer(whole)
    if n is None or (frac and not all(ch in _CN_DIGIT for ch in frac)):
        return None
    return float(f"{n}.{''.join(str(_CN_DIGIT[ch]) for ch in frac)}") if frac else float(n)


def _clauses(t: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(t):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(t):
        spans.append((start, len(t)))
    return spans


def _clause_of(spans, pos) -> tuple[int, int]:
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return 0, 0


def _negated(t: str, start: int, clause_start: int) -> bool:
    return bool(_NEG.search(t[max(clause_start, start - 5):start]))


def _occurrences(t: str, s: str):
    """Every start index of `s` in `t`, overlapping ones included."""
    i = t.find(s)
    while i >= 0:
        yield i
        i = t.find(s, i + 1)


def _hamming1(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


class FactExtractor:
    def __init__(self, vocab: Vocabulary, topics: dict[str, dict]):
        self.vocab = vocab
        self.phrases: list[tuple[str, str, Any]] = []  # (phrase, entity, value), longest first
        self.keywords: list[tuple[str, str]] = []  # (keyword, quantity fact), longest first
        for fid in NLU_FACTS:
            f = vocab[fid]
            if fid in ("high_tech_status", "tech_sme_status", "new_platform_level", "entity_type",
                       "mu_efficiency_grade", "enterprise_size", "green_threshold_met"):
                continue  # handled by the pattern rules below
            syn = f.synonyms or {}
            if f.type == "enum":
                for value, words in syn.items():
                    self.phrases += [(normalize(w), fid, str(value)) for w in words]
            elif f.type == "bool":
                for value, words in syn.items():
                    self.phrases += [(normalize(w), fid, str(value) == "true") for w in words]
            else:
                self.keywords += [(normalize(w), fid) for w in (syn or [])] + [(normalize(f.label), fid)]
        self.phrases.sort(key=lambda p: -len(p[0]))
        self.keywords.sort(key=lambda k: -len(k[0]))
        self.topic_words = sorted(((normalize(w), tid) for tid, t in topics.items() for w in t["words"]),
                                  key=lambda x: -len(x[0]))
        self._fuzzy = [p for p in self.phrases if len(p[0]) >= 4 and p[1] != "region"]
        self._fuzzy_kw = [k for k in self.keywords if len(k[0]) >= 4]

    # -- public ------------------------------------------------------------------------
    def interpret(self, text: str, intent: str | None) -> tuple[str | None, list[Extracted]]:
        """The classifier's intent, corrected by two rules of the contract, and the entities.

        A yes/no or an unclear message that names a fact is `inform` ("不是规上", "是规上");
        so is a message made of nothing but facts ("三百万元", "12件吧", "济南"), whatever
        the classifier thought it was."""
        if intent in ("ask_eligibility", "ask_award") and not _QUESTION.search(normalize(text)):
            facts = [e for e in self.extract(text, "inform") if e.entity not in ("topic", "entity_type")]
            if facts:  # "俺们是临清的轴承厂，规上，中型，民营": facts, no question
                return "inform", self.extract(text, "inform")
        if intent not in ("inform", "ask_eligibility", "ask_award", "ask_department"):
            facts = [e for e in self.extract(text, "inform") if e.entity not in ("topic", "entity_type")]
            if intent == "goodbye" and all(e.entity == "number" and e.text.strip().isdigit() for e in facts):
                facts = []  # "88", "886": chat slang for bye
            if facts and (intent in ("affirm", "deny", "nlu_fallback") or _residue(text, facts) <= 2):
                return "inform", self.extract(text, "inform")
        return intent, self.extract(text, intent)

    def extract(self, text: str, intent: str | None = None) -> list[Extracted]:
        if intent in NO_FACT_INTENTS:
            return []  # "我下了 88", "帮我订张去济南的火车票": no facts in these
        t = normalize(text)
        if intent in TOPIC_INTENTS and not SELF_REF.search(t):
            return self._general_question(text, t)
        spans = _clauses(t)
        taken = [False] * len(t)
        found: dict[str, Extracted] = {}

        def put(entity, value, a, b, overwrite=True, mark=True):
            if entity in found and not overwrite:
                return
            found[entity] = Extracted(entity, value, a, b, text[a:b])
            if mark:  # later rules do not read these characters again
                for i in range(a, b):
                    taken[i] = True

        self._entity_type(t, put, intent)
        bare_tier = self._tiers(t, spans, put)
        self._platform(t, spans, put)
        self._green(t, spans, put, taken)
        self._phrases(t, spans, put, taken, found)
        self._size(t, spans, put, taken)
        self._mu(t, spans, put, taken)
        self._numbers(t, spans, put, taken, intent)
        if bare_tier:
            self._tier(t, put, found)
        if intent in TOPIC_INTENTS or intent is None:
            self._topic(t, put)
        return sorted(found.values(), key=lambda e: e.start)

    # -- rules -------------------------------------------------------------------------------
    def _entity_type(self, t, put, intent):
        for value, pat in _ENTITY_TYPE:
            m = re.search(pat, t)
            if m:
                put("entity_type", value, m.start(), m.end(), mark=False)
                return
        if intent == "ask_eligibility":
            m = _OPENING_SELF.search(t)
            if m and not re.search(r"高企|科小", m.group(0)[-2:]):
                put("entity_type", "enterprise", m.start(), m.end(), mark=False)

    def _tiers(self, t, spans, put):
        any_anchor = False
        for fact, anchor in (("high_tech_status", _HT_ANCHOR), ("tech_sme_status", _SME_ANCHOR)):
            m_none = re.search(_NONE_CUES[fact], t)
            if m_none:
                put(fact, "none", m_none.start(), m_none.end())
                any_anchor = True
                continue
            for m in re.finditer(anchor, t):
                any_anchor = True
                a, b = _clause_of(spans, m.start())
                best = None
                for value, cue in _TIER_CUES:
                    if value not in self.vocab[fact].values:
                        continue
                    for c in re.finditer(cue, t[a:b]):
                        cs, ce = a + c.start(), a + c.end()
                        if cs < m.end() and ce > m.start():  # the cue is inside the anchor itself
                            continue
                        dist = m.start() - ce if ce <= m.start() else cs - m.end()
                        if best is None or dist < best[0]:
                            best = (dist, value, min(cs, m.start()), max(ce, m.end()))
                if best is None and len(_clauses(t)) > 1:
                    for value, cue in _TIER_CUES:
                        if value in self.vocab[fact].values and re.search(cue, t) and not re.search(
                                _HT_ANCHOR if fact == "tech_sme_status" else _SME_ANCHOR, t):
                            c = re.search(cue, t)
                            best = (0, value, min(c.start(), m.start()), max(c.end(), m.end()))
                            break
                if best:
                    put(fact, best[1], best[2], best[3])
                    break
        return not any_anchor  # no certification named: a bare "第一次" may answer the question

    def _tier(self, t, put, found):
        """A bare "第一次" / "连续的" answering the certification question."""
        if any(e not in ("entity_type", "topic") for e in found):
            return
        for value, cue in _TIER_CUES:
            if value == "valid_earlier":
                continue
            c = re.search(cue, t)
            if c:
                put("tier", value, c.start(), c.end())
                return

    def _platform(self, t, spans, put):
        if re.search(r"(没有|没|无)(新)?(认定)?(的)?(任何)?(新)?(" + _PLATFORM + ")", t):
            m = re.search(r"(没有|没|无)(新)?(认定)?(的)?(任何)?(新)?(" + _PLATFORM + ")", t)
            put("new_platform_level", "none", m.start(), m.end())
            return
        for m in re.finditer(_PLATFORM, t):
            a, _ = _clause_of(spans, m.start())
            window = t[max(a, m.start() - 10):m.start()]
            for value, cue in _PLATFORM_LEVEL:
                c = None
                for c in re.finditer(cue, window):
                    pass
                if c is not None:
                    s = m.start() - len(window) + c.start()
                    if len(t) <= 12 or re.search(r"我们|咱|俺|公司|今年|新|刚|认定|获批|拿到|评上|批了|建了|有个|有一个|^有", t):
                        put("new_platform_level", value, s, m.end())
                    return

    def _green(self, t, spans, put, taken):
        m = re.search(_GREEN_TRUE, t)
        if m:
            put("green_threshold_met", True, m.start(), m.end())
            return
        m = re.search(_GREEN_FALSE, t)
        if m and re.search(r"事故|失信|环保|环境|违法|处罚|罚款|污染", m.group(0)):
            put("green_threshold_met", False, m.start(), m.end())

    def _phrases(self, t, spans, put, taken, found):
        m = re.search(r"轴承(?!产业|行动|计划|政策|行业协会|研究院|技术研究)", t)
        if m and "is_bearing_enterprise" not in found and not any(taken[m.start():m.end()]):
            put("is_bearing_enterprise", not _negated(t, m.start(), _clause_of(spans, m.start())[0]),
                m.start(), m.end())
        for phrase, entity, value in self.phrases:
            for i in _occurrences(t, phrase):
                if any(taken[i:i + len(phrase)]):
                    continue
                a, _ = _clause_of(spans, i)
                v = value
                if _negated(t, i, a):
                    if isinstance(v, bool):
                        v = not v
                    else:
                        continue  # "不是临清的": says nothing positive
                put(entity, v, i, i + len(phrase))
        # one-character slips in longer phrases ("规模一上", "高新技木企业")
        for phrase, entity, value in self._fuzzy:
            if entity in found:
                continue
            L = len(phrase)
            for i in range(0, len(t) - L + 1):
                if any(taken[i:i + L]):
                    continue
                w = t[i:i + L]
                if _hamming1(w, phrase) and not any(_hamming1(w, p) and (e, v) != (entity, value)
                                                    for p, e, v in self._fuzzy):
                    a, _ = _clause_of(spans, i)
                    v = (not value) if isinstance(value, bool) and _negated(t, i, a) else value
                    put(entity, v, i, i + L)

    def _size(self, t, spans, put, taken):
        for m in _SIZE.finditer(t):
            w = m.group(0)
            if any(taken[m.start():m.end()]):
                continue
            a, _ = _clause_of(spans, m.start())
            if _negated(t, m.start(), a):
                continue
            put("enterprise_size", _SIZE_WORDS[w], m.start(), m.end())

    def _mu(self, t, spans, put, taken):
        for m in _MU_BARE.finditer(t):  # "亩产C", "亩产效益评的是D"
            put("mu_efficiency_grade", m.group("g").upper(), m.start(), m.end())
            return
        for m in _MU.finditer(t):
            if any(taken[m.start():m.end()]):
                continue
            a, b = _clause_of(spans, m.start())
            if re.search(r"孵化器|众创空间|星创天地", t[a:b]) and not _MU_CTX.search(t[a:b]):
                continue
            put("mu_efficiency_grade", m.group("g").upper(), m.start(), m.end())

    def _numbers(self, t, spans, put, taken, intent):
        nums = []
        for m in _PCT_WORD.finditer(t):
            v = parse_number(m.group("num"))
            if v is not None:
                nums.append((m.start(), m.end(), "percent", v))
        for m in _NUM.finditer(t):
            if any(taken[m.start():m.end()]) or any(s <= m.start() < e for s, e, *_ in nums):
                continue
            num, unit, tail = m.group("num"), m.group("unit"), m.group("tail")
            rest = t[m.end():]
            if not unit and not tail and _NOT_NUM_AFTER.match(rest):
                continue
            if m.start() > 0 and t[m.start() - 1] in "第下上这那哪每":
                continue
            if t[max(0, m.start() - 3):m.start()].endswith(("不是", "不到", "而不是")):
                continue  # "产值是9000万不是1亿": the figure said is the other one
            if num[0] in _CN_NUM and not unit and not tail and len(num) == 1 and num not in "两":
                continue  # a lone 一/十 in running text is rarely a quantity
            v = parse_number(num)
            if v is None:
                continue
            end = m.end()
            if unit:
                v *= _UNIT[unit]
                if unit in ("亿", "万", "w") and not tail:  # 三万五, 1亿2千万, 3万5千元
                    rest_m = _REST.match(t, end)
                    if rest_m:
                        r = parse_number(rest_m.group("num"))
                        sub = _UNIT[rest_m.group("unit")] if rest_m.group("unit") else _UNIT[unit] / 10
                        if r is not None and r * sub < _UNIT[unit]:
                            v, end = v + r * sub, rest_m.end()
                            tail = rest_m.group("tail")
            if tail in ("%", "个点", "个百分点"):
                kind = "percent"
            elif tail in ("个", "件", "项"):
                kind = "count"
            elif unit or tail in ("元", "块钱", "块") or v >= 1000:
                kind = "money"
            else:
                kind = "plain"
            nums.append((m.start(), end, kind, v))
        if not nums:
            return
        used_kw: set[int] = set()
        kws = []  # (start, end, fact)
        for kw, fact in self.keywords:
            for i in _occurrences(t, kw):
                if any(ks <= i < ke or i <= ks < i + len(kw) for ks, ke, _ in kws):
                    continue
                kws.append((i, i + len(kw), fact))
        for kw, fact in self._fuzzy_kw:
            L = len(kw)
            for i in range(0, len(t) - L + 1):
                if _hamming1(t[i:i + L], kw) and not any(ks < i + L and i < ke for ks, ke, _ in kws):
                    kws.append((i, i + L, fact))
        for s, e, kind, v in sorted(nums):
            a, b = _clause_of(spans, s)
            best = None
            for k, (ks, ke, fact) in enumerate(kws):
                if k in used_kw or not (a <= ks < b) or not self._fits(fact, kind, v):
                    continue
                dist = (s - ke) if ke <= s else (ks - e) + 0.5  # prefer a keyword before the number
                if dist < 0 or (ke - ks <= 2 and kind == "percent" and dist > 3):  # "研发5.5%", not "研发…按25%"
                    continue
                if best is None or dist < best[0]:
                    best = (dist, k, fact)
            if best:
                used_kw.add(best[1])
                put(best[2], self._value(best[2], v), min(s, kws[best[1]][0]), max(e, kws[best[1]][1]))
            elif intent in ANSWER_INTENTS and not t[max(0, s - 1):s] == "按":
                generic = {"money": "amount", "percent": "percent", "count": "number", "plain": "number"}[kind]
                put(generic, int(v) if float(v).is_integer() else v, s, e, overwrite=False)

    def _fits(self, fact: str, kind: str, v: float) -> bool:
        t = self.vocab[fact].type
        if t == "money":
            return kind in ("money", "plain")
        if t == "percent":
            return kind in ("percent", "plain") and v <= 100
        if t == "count":
            return kind in ("count", "plain") and float(v).is_integer() and v < 10_000
        return False

    def _value(self, fact: str, v: float):
        t = self.vocab[fact].type
        if t in ("money", "count"):
            return int(round(v))
        return int(v) if float(v).is_integer() else v

    def _general_question(self, text: str, t: str) -> list[Extracted]:
        """A question about an award in general: its topic and the place it names, no company facts."""
        found: dict[str, Extracted] = {}

        def put(entity, value, a, b, overwrite=True, mark=True):
            found[entity] = Extracted(entity, value, a, b, text[a:b])
        for phrase, entity, value in self.phrases:
            if entity == "region" and phrase in t:
                i = t.index(phrase)
                put("region", value, i, i + len(phrase))
                break
        self._topic(t, put)
        return sorted(found.values(), key=lambda e: e.start)

    def _topic(self, t, put):
        """The last topic word: Chinese noun phrases are head-final (科技成果转化贷款贴息 → finance)."""
        best = None
        for w, tid in self.topic_words:
            i = t.rfind(w)
            if i >= 0 and (best is None or i + len(w) > best[1] or (i + len(w) == best[1] and i < best[0])):
                best = (i, i + len(w), tid)
        if best:
            put("topic", best[2], best[0], best[1])


def tier_in(text: str, allowed) -> str | None:
    """The certification tier a bare answer names ("去年认定的" → valid_earlier), among `allowed`."""
    t = normalize(text)
    for value, cue in _TIER_CUES:
        if value in allowed and re.search(cue, t):
            return value
    return None


_QUESTION = re.compile(r"[?？]|吗|呢|能|多少|什么|啥|哪|怎么|咋|如何|可以|可不可以|是否|有没有|行不行|中不中|够不够|算不算|给不给")
_FILLER = re.compile(r"[\s，,。.！!？?、~～…:：;；\"'“”()（）]|吧|啊|呀|呢|的|了|哈|嗯|大概|大约|差不多|左右|约|是|就|我们|咱们|俺们|这边")


def _residue(text: str, found: list[Extracted]) -> int:
    """How many characters of `text` are neither an extracted fact nor a filler word."""
    keep = list(text)
    for e in found:
        for i in range(e.start, e.end):
            keep[i] = " "
    return len(_FILLER.sub("", "".join(keep)))


def load_topics(rules_dir: Path) -> dict[str, dict]:
    raw = yaml.safe_load((rules_dir / "topics.yml").read_text(encoding="utf-8"))
    return raw["topics"]


_CACHE: dict[str, FactExtractor] = {}


def extractor(rules_dir: Path | None = None) -> FactExtractor:
    from .tables import default_rules_dir
    from .vocabulary import load_vocabulary
    rules_dir = Path(rules_dir) if rules_dir else default_rules_dir()
    key = str(rules_dir)
    if key not in _CACHE:
        _CACHE[key] = FactExtractor(load_vocabulary(rules_dir / "facts.yml"), load_topics(rules_dir))
    return _CACHE[key]


def extract(text: str, intent: str | None = None) -> dict[str, Any]:
    """Convenience: {entity: value} for a message."""
    return {e.entity: e.value for e in extractor().extract(text, intent)}
