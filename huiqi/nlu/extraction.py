"""Company facts from a message: FactExtractor (entities named after facts; routing rules in FactExtractor.route).

Part of huiqi.nlu (split from one module by concern; huiqi/nlu/__init__.py re-exports every name)."""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..homophones import Homophones, correctable
from ..vocabulary import Vocabulary
from .cues import *  # noqa: F401,F403
from .cues import __all__ as _cues_all
from .fuzzy import *  # noqa: F401,F403
from .fuzzy import __all__ as _fuzzy_all
from .numbers import *  # noqa: F401,F403
from .numbers import __all__ as _numbers_all

def nlu_facts(vocab: Vocabulary) -> tuple[str, ...]:
    """The facts the assistant understands in free text (docs/nlu-annotation.md)."""
    return tuple(f.id for f in vocab if f.id in PATTERN_FACTS or f.synonyms)


def _grade(t: str, m: re.Match):
    """The grade a match names, or what it allows: 不是D → A/B/C; 没评上C → D; B类以上 → A/B."""
    g = m.group("g").upper()
    i = _GRADES.index(g)
    before, after = t[max(0, m.start("g") - 4):m.start("g")], t[m.end("g"):m.end("g") + 7]
    if re.search(r"(没评上|没评到|没到|不到|达不到|没达到|低于|不够)\s*$", before) or re.match(
            r"^\s*(类|级|档)?\s*(都|也)(没评上|没评到|没到|达不到|没达到|不到|够不上)", after):
        allowed = _GRADES[i + 1:]  # "没评上C", "亩均连C都没评上": below it
    elif re.search(r"(不是|不属于|非|不算)\s*$", before):
        allowed = _GRADES[:i] + _GRADES[i + 1:]
    elif re.match(r"^\s*(类|级|档)?\s*(以上|及以上|或以上)", after):
        allowed = _GRADES[:i + 1]
    elif re.match(r"^\s*(类|级|档)?\s*(以下|及以下|或以下)", after):
        allowed = _GRADES[i:]
    else:
        return g
    if not allowed:  # "低于D": no grade is below the lowest; nothing said
        return None
    return {"one_of": list(allowed)} if len(allowed) != 1 else allowed


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


class _Clauses(list):
    """A text's clauses as (start, end) spans, in order, with the clause of a position found by
    bisection (rules ask for it once per match: a scan per call made long texts quadratic)."""

    def __init__(self, spans):
        super().__init__(spans)
        self.starts = [a for a, _ in self]
        self._memo: dict = {}

    def index_of(self, pos) -> int | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self[k][1] else None

    def memo(self, key, compute):
        """What `compute()` gives for this text, computed once (`key` names it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


# "…，省部级的呢？", "那实用新型呢": a follow-up asking the same about another thing
_ALSO_ASKED = re.compile(r"(?:^|[，,。？?！!；;\s]|那|还有)(?P<w>[^，,。？?！!；;\s那]{2,8}?)的?呢")


def _clauses(t: str) -> _Clauses:
    spans, start = [], 0
    for m in _CLAUSE.finditer(t):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(t):
        spans.append((start, len(t)))
    return _Clauses(spans)


#: "今年通过了…认定", "刚认定为…", "新认定的…": recognised this year
_INCUBATOR_NEW = re.compile(r"(今年|刚刚?|新近?|才)[^，,。；;？?]{0,3}?(通过|获得|获批|被)?[^，,。；;？?]{0,12}?认定(?!情况)")


@functools.lru_cache(maxsize=None)
def _gap_rx(keyword: str) -> re.Pattern:
    """"服务技术交易…营业收入": the parts with up to six characters of one clause between them."""
    return re.compile("[^，,。；;？?]{0,6}?".join(map(re.escape, keyword.split("…"))))


#: "是科小", "属于科技型中小企业", "科小已入库": a 科小 now, its tier not said
_SME_NOW = re.compile(r"(是|属于|作为|已经是|都是|算)[^，,。；;？?\s]{0,2}(科小|科技型中小企业)|(科小|科技型中小企业)[^，,。；;？?]{0,3}(已入库|入库了|已经入库|在库)")


def _clause_of(spans, pos) -> tuple[int, int]:
    if isinstance(spans, _Clauses):
        k = spans.index_of(pos)
        return spans[k] if k is not None else (0, 0)
    for a, b in spans:
        if a <= pos < b:
            return a, b
    return 0, 0


def _negated(t: str, start: int, clause_start: int) -> bool:
    return bool(_NEG.search(t[max(clause_start, start - 5):start]))


def _denied_later(t: str, end: int, clause_end: int, spans=None) -> bool:
    """Is what follows `end` to the end of its clause a denial (_DENIED_LATER: "、专精特新都不是")?"""
    if end >= clause_end:
        return False
    k = spans.index_of(clause_end - 1) if isinstance(spans, _Clauses) else None
    if k is None or not spans[k][0] <= end:
        return _denied_suffixes(t[end:clause_end])[0]
    a = spans[k][0]
    return spans.memo(("denied", a, clause_end), lambda: _denied_suffixes(t[a:clause_end]))[end - a]


_DENIAL_FIRSTS = {w[0] for w in _DENIED_LATER_ADVERBS + _DENIED_LATER_WORDS}


def _denied_suffixes(s: str) -> list[bool]:
    """For every p, whether _DENIED_LATER matches s[p:]: the same language, read from the end by
    dynamic programming in linear time (the expression itself backtracks exponentially on a run
    of 和/、). Whitespace is str.isspace, as the expression's \\s."""
    n = len(s)
    non_space = [n] * (n + 1)  # the first non-space index at or after p
    value_run = [0] * (n + 1)  # how many characters from p may be part of a value named
    blank = [True] * (n + 1)  # s[p:] is whitespace
    particles = [True] * (n + 1)  # s[p:] is particles then whitespace
    tail = [True] * (n + 1)  # s[p:] is whitespace, particles, whitespace
    for p in range(n - 1, -1, -1):
        ch = s[p]
        space = ch.isspace()
        non_space[p] = non_space[p + 1] if space else p
        value_run[p] = 0 if space or ch in _DENIED_LATER_NOT_IN_VALUE else value_run[p + 1] + 1
        blank[p] = space and blank[p + 1]
        particles[p] = blank[p] or (ch in _DENIED_LATER_PARTICLES and particles[p + 1])
        tail[p] = particles[p] or (space and tail[p + 1])
    denied = [False] * (n + 1)
    for p in range(n - 1, -1, -1):
        q = non_space[p]
        if q >= n:
            continue
        if s[q] in _DENIAL_FIRSTS and _denial_at(s, q, tail):
            denied[p] = True
        elif s[q] in _DENIED_LATER_SEPARATORS:  # "、专精特新…": another value, then the rest
            r = non_space[q + 1]
            denied[p] = any(denied[r + k] for k in range(1, min(8, value_run[r]) + 1)) if r < n else False
    return denied


def _denial_at(s: str, q: int, tail: list[bool]) -> bool:
    """(也|都|…)?(没评上|…)(过)? at q, with only particles and whitespace after it."""
    for adverb in ("",) + _DENIED_LATER_ADVERBS:
        if not s.startswith(adverb, q):
            continue
        q2 = q + len(adverb)
        for word in _DENIED_LATER_WORDS:
            if s.startswith(word, q2):
                e = q2 + len(word)
                if tail[e] or (s.startswith("过", e) and tail[e + 1]):
                    return True
    return False


# a bare answer to the platform question ("省级的") and to the 亩产效益 one ("B", "不对，是C")
_BARE_LEVEL_SOURCE = (r"\s*" + CORRECTION_LEAD + r"[，,\s]*(是|属于)?\s*(?P<level>国家级|省级|省部级|聊城市级|聊城级|市级|地市级)"
                      r"(的|吧|平台)?\s*[。.！!]?\s*")
_BARE_LEVEL = re.compile(possessive_runs(_BARE_LEVEL_SOURCE))
_BARE_GRADE_SOURCE = (r"\s*" + CORRECTION_LEAD + r"((想起来了|记起来了)[，,\s]*)?(是|评的是|评了|不是|没评上|没到)?\s*(?P<g>[abcd])"
                      r"\s*(类|级|档)?\s*(以上|及以上|以下|及以下)?\s*(吧|的)?\s*[。.！!]?\s*")
_BARE_GRADE = re.compile(possessive_runs(_BARE_GRADE_SOURCE))


_NONE_AFTER_NUM = re.compile(r"\s*(也|都)(没|没有|无)")


class _Free:
    """Slots 0..n-1 in order, some used: the nearest free one at or before / at or after a slot
    (union-find with path compression: near-constant time however many are used)."""

    def __init__(self, n: int):
        self._left = list(range(n + 1))  # slot i at index i + 1; index 0: none
        self._right = list(range(n + 1))  # slot i at index i; index n: none
        self.n = n

    @staticmethod
    def _root(parent, i):
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def use(self, i: int):
        self._left[i + 1] = i
        self._right[i] = i + 1

    def at_or_before(self, i: int) -> int:
        """The nearest free slot ≤ i, or -1."""
        return self._root(self._left, i + 1) - 1 if i >= 0 else -1

    def at_or_after(self, i: int) -> int:
        """The nearest free slot ≥ i, or n."""
        return self._root(self._right, i) if i < self.n else self.n


class _KeywordIndex:
    """The keywords found in a text (start, end, fact; no two overlap), by clause and fact, for
    the figure-to-keyword pairing: the nearest unused one of a fitting fact, in time logarithmic
    in their number (a scan of every keyword for every figure made long texts quadratic)."""

    def __init__(self, kws, spans):
        self.kws = kws
        self._groups: dict = {}  # (clause, fact, short) → ([k by position], starts, ends, _Free)
        self._by_k: dict = {}  # (clause, fact) → ([k in order], _Free)
        self._facts: dict = {}  # clause → facts named there
        self._where: dict = {}  # k → its slots
        for k, (ks, ke, fact) in enumerate(kws):
            c = spans.index_of(ks)
            if c is None:
                continue
            self._facts.setdefault(c, {})[fact] = None
            self._groups.setdefault((c, fact, ke - ks <= 2), []).append(k)
            self._by_k.setdefault((c, fact), []).append(k)
        for key, ks_ in self._groups.items():
            ks_.sort(key=lambda k: kws[k][0])
            self._groups[key] = (ks_, [kws[k][0] for k in ks_], [kws[k][1] for k in ks_], _Free(len(ks_)))
            for slot, k in enumerate(ks_):
                self._where.setdefault(k, []).append((self._groups[key][3], slot))
        for key, ks_ in self._by_k.items():
            self._by_k[key] = (ks_, _Free(len(ks_)))  # built in k order already
            for slot, k in enumerate(ks_):
                self._where.setdefault(k, []).append((self._by_k[key][1], slot))

    def facts_in(self, c) -> tuple:
        return tuple(self._facts.get(c, ()))

    def use(self, k: int):
        for free, slot in self._where.get(k, ()):
            free.use(slot)

    def nearest(self, c, fits, s: int, e: int, short_within=None):
        """(distance, k) of the unused keyword of a fitting fact in clause c nearest the figure
        [s, e): s - end before it, start - e + 0.5 after it (distinct for distinct keywords, so
        the nearest is unique); a keyword of two characters or fewer only within `short_within`."""
        best = None
        for fact in self.facts_in(c):
            if not fits(fact):
                continue
            for short in (False, True):
                group = self._groups.get((c, fact, short))
                if group is None:
                    continue
                ks_, starts, ends, free = group
                i = free.at_or_before(bisect.bisect_right(ends, s) - 1)
                if i >= 0:
                    dist = s - ends[i]
                    if not (short and short_within is not None and dist > short_within) and (
                            best is None or dist < best[0]):
                        best = (dist, ks_[i])
                i = free.at_or_after(bisect.bisect_left(starts, e))
                if i < len(ks_):
                    dist = starts[i] - e + 0.5
                    if not (short and short_within is not None and dist > short_within) and (
                            best is None or dist < best[0]):
                        best = (dist, ks_[i])
        return best

    def last(self, c, fits):
        """(0, k) of the unused keyword of a fitting fact in clause c found last, or None."""
        best = None
        for fact in self.facts_in(c):
            if fits(fact):
                ks_, free = self._by_k[(c, fact)]
                i = free.at_or_before(len(ks_) - 1)
                if i >= 0 and (best is None or ks_[i] > best[1]):
                    best = (0, ks_[i])
        return best


def _negative(t: str, start: int) -> bool:
    """Is the figure at `start` said with a minus: "负300万", "-300万" (not "200-300万", "issue-7")?"""
    before = t[max(0, start - 2):start].rstrip()
    return before.endswith("负") or (before.endswith("-") and not re.search(r"[0-9a-z]$", before[:-1]))


def _occurrences(t: str, s: str):
    """Every start index of `s` in `t`, overlapping ones included."""
    i = t.find(s)
    while i >= 0:
        yield i
        i = t.find(s, i + 1)


class FactExtractor:
    def __init__(self, vocab: Vocabulary, topics: dict[str, dict]):
        self.vocab = vocab
        self._quantities: dict = {}
        self.phrases: list[tuple[str, str, Any]] = []  # (phrase, entity, value), longest first
        self.keywords: list[tuple[str, str]] = []  # (keyword, quantity fact), longest first
        self.facts = nlu_facts(vocab)
        for fid in self.facts:
            f = vocab[fid]
            if fid in PATTERN_FACTS:
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
        # "研发机构…通过审核": up to six characters of the same clause between the parts
        self._gapped = {p: _gap_rx(p) for p, _, _ in self.phrases if "…" in p}
        self.topic_words = sorted(((normalize(w), tid) for tid, t in topics.items() for w in t["words"]),
                                  key=lambda x: -len(x[0]))
        self._fuzzy = _OneSlip((p, (e, v)) for p, e, v in self.phrases
                               if len(p) >= 4 and e != "region" and "…" not in p)
        # what a bare answer may be: a value's title or phrasing ("企业", "个人（人才）", "省级")
        self._value_words = {normalize(w) for p, _, _ in self.phrases if "…" not in p for w in (p,)}
        for fid in self.facts:
            f = vocab[fid]
            if f.type == "enum":
                self._value_words |= {normalize(title) for title in f.values.values()}
                self._value_words |= {normalize(re.sub(r"（.*?）", "", title)) for title in f.values.values()}
        self._value_words |= {"省级", "国家级", "市级", "聊城市级", "国家级的", "省级的"}
        # a bare value's name → (fact, value), for the names only one fact has
        named: dict[str, set] = {}
        for fid in ("entity_type",):  # the one enum asked with no cue word of its own
            f = vocab[fid]
            for value, title in f.values.items():
                words = [title, re.sub(r"（.*?）", "", title)] + list((f.synonyms or {}).get(value) or ())
                for w in words:
                    named.setdefault(normalize(w), set()).add((fid, value))
        self._bare_values = {w: next(iter(v)) for w, v in named.items() if len(v) == 1}
        self._fuzzy_kw = _OneSlip((k, fact) for k, fact in self.keywords if len(k) >= 4)
        self._fuzzy_topics = _OneSlip((w, tid) for w, tid in self.topic_words if len(w) >= 4)
        self._exact_words = {p for p, _, _ in self.phrases} | {k for k, _ in self.keywords}
        self._extracted: dict[tuple, tuple] = {}
        self._cleaned: dict[str, str] = {}
        self.homophones = Homophones.load(self.correction_words())

    def correction_words(self) -> dict[str, Any]:
        """The words a pinyin slip is read back to (huiqi.homophones), with what each means:
        every phrase, quantity name and topic word, every fact's values and phrasings (also
        those the pattern rules read: 微型, 中型…), and the names the pattern rules look for
        (高企, 科小, 平台 …)."""
        words: dict[str, Any] = {}
        for pat, what in ((_HT_ANCHOR, "high_tech"), (_SME_ANCHOR, "tech_sme"), (_PLATFORM, "platform"),
                          (_REVENUE.pattern, "revenue"), (_RD_SPEND.pattern, "rd_spend"),
                          ("亩产|亩均|亩产效益|亩均效益", "mu"), ("研发|占比|研发占比", None)):
            for w in pat.split("|"):
                words.setdefault(w, ("anchor", what or w))
        for f in self.vocab:
            syn = f.synonyms or {}
            for value, ws in (syn.items() if isinstance(syn, dict) else ()):
                for w in ws:
                    words.setdefault(normalize(w), (f.id, str(value)))
            for value, title in (f.values or {}).items():
                words.setdefault(normalize(re.sub(r"（.*?）", "", title)), (f.id, value))
        for k, fact in self.keywords:
            words.setdefault(k, ("quantity", fact))
        for w, tid in self.topic_words:
            words.setdefault(w, ("topic", tid))
        return correctable(words)

    def clean(self, text: str) -> str:
        """A user's message as the rules read it: normalised (huiqi.nlu.normalize) and with pinyin
        slips for vocabulary words put right ("林清" → "临清"); one character for one. Cached: a
        message is read several times while it is routed and answered."""
        text = text or ""
        return _remember(self._cleaned, text, lambda: self.homophones.correct(normalize(text)))

    # -- public ------------------------------------------------------------------------
    def interpret(self, text: str, intent: str | None) -> tuple[str | None, list[Extracted]]:
        """The classifier's intent, corrected by two rules of the contract, and the entities.

        A yes/no or an unclear message that names a fact is `inform` ("不是规上", "是规上");
        so is a message made of nothing but facts ("三百万元", "12件吧", "济南"), whatever
        the classifier thought it was. Before those, `route` settles the intent where the
        contract decides it from the words (docs/nlu-annotation.md, "Rules")."""
        routed = self.route(self.clean(text), intent)
        if routed is not None:
            return routed, self.extract(text, routed)
        if intent in ("ask_eligibility", "ask_award") and not _QUESTION.search(self.clean(text)):
            facts = [e for e in self.extract(text, "inform") if e.entity not in ("topic", "entity_type")]
            if facts:  # "俺们是临清的轴承厂，规上，中型，民营": facts, no question
                return "inform", self.extract(text, "inform")
        if intent not in ("inform", "ask_eligibility", "ask_award", "ask_department"):
            facts = [e for e in self.extract(text, "inform") if e.entity not in ("topic", "entity_type")]
            if intent == "goodbye" and all(e.entity == "number" and e.text.strip().isdigit() for e in facts):
                facts = []  # "88", "886": chat slang for bye
            if facts and (intent in ("affirm", "deny", "nlu_fallback", "goodbye") or _residue(text, facts) <= 2):
                return "inform", self.extract(text, "inform")
        return intent, self.extract(text, intent)

    def route(self, t: str, intent: str | None) -> str | None:
        """The intent the contract gives a (normalised) message, or None to keep the classifier's.

        - a question about a document's validity, a term, a contact, naming something the
          documents deal with: ask_award (ask_department for a contact or a department);
        - "能拿什么补贴" with no topic: ask_eligibility;
        - a topic with a reward word, asked in general (no 我们/公司…): ask_award, also as a bare
          noun phrase ("临清的高企奖励", "高企首次认定奖励") or a bare topic word ("科小？");
        - a bare answer (a number, a grade letter, a value such as 企业/个人/省级): inform."""
        if not t.strip():
            return None
        topic = self._topic_word(t)
        core = _CORE.sub("", t)
        if DETAIL_ASK.fullmatch(core) or (not topic and DETAIL_WITHIN.search(core) and len(core) <= 20):
            return "ask_detail"  # "详细", "为什么", "原文": the expansion of the last answer
        if CHECK_ASK.fullmatch(core):
            return "check_focus"  # "帮我核对（最多3个问题）", "继续": the questions that decide the focus
        if intent == "goodbye" and re.fullmatch(r"\s*8+6?\s*", t):
            return None  # "88", "886"
        if intent != "ask_department" and self.another_case(t) is not None and not SELF_REF.search(t):
            return "ask_award"  # "连续入库的呢", "要是3000万呢": the last question, of another case
        if intent == "nlu_fallback" and _QUESTION.search(t) and any(q.search(t) for q, _, _ in ASPECTS):
            return "ask_award"  # "这钱省里出还是市州出": a detail of an award (of the one just answered)
        if not topic and cap_asked(core):
            return "ask_award"  # "有封顶没", "这个有封顶没": of the awards just answered
        if not topic and len(core) <= 8 and _KIND_CONTACT.search(unrelayed(t)) and not SELF_REF.search(t):
            return "ask_department"  # "电话多少", "找谁": of the awards just answered
        if WHO_GETS.search(t) and _QUESTION.search(t) and intent != "ask_department":
            return "ask_award"  # "这钱是给公司还是给他本人": whom the text pays
        if ASK_ABOUT_SUBSIDIES.fullmatch(core):
            return "ask_eligibility"  # "想问问补贴": what the asker can get (asked where from first)
        self_ref = bool(SELF_REF.search(t))
        # facts of a company profile make a message about the asker; an award's own condition
        # ("博士来工作有安家费吗", "众创空间评了A类奖多少") does so only with 我们/公司…
        facts = [e for e in self.extract(t, "inform") if e.entity in self.vocab.facts and e.entity != "region"
                 and (self_ref or self.vocab[e.entity].ask is not None)]
        # one fact is the award's own case or condition ("科小第一次入库给多少", "D类还有戏吗");
        # two or more describe the asker, and so does a sum ("加计扣除少缴了80万税，能奖多少")
        own = self_ref or len(facts) >= 2 or any(self.vocab[e.entity].type == "money" for e in facts)
        asks = bool(_QUESTION.search(t))
        anchor = topic or _ANCHOR.search(t)
        what = bool(_ELIGIBILITY_Q.search(t))  # "能拿什么", "啥能拿", "一共能拿多少"
        if facts and re.match(r"\s*(不对|说错了|刚才说错了|更正一下|不是的|搞错了|记错了|应该是|其实是|不好意思，应该)", t):
            return "inform"  # "不对不对，发明专利是4件"
        if facts and self_ref and intent in ("ask_award", "out_of_scope", "nlu_fallback") and not asks \
                and not _REWARD.search(t) and not what:
            return "inform"  # "厂里还有个自己培养的工程师入选了国家级人才工程": said, not asked
        if anchor and asks and VALIDITY_CUE.search(t) and (intent != "ask_department" or STILL_IN_FORCE.search(t)) \
                and not _KIND_CONTACT.search(unrelayed(t)) \
                and not (own and what):
            return "ask_award"  # "我们在临清，首台套补贴现在还能申请吗": whoever asks, the answer is the date
        regions = {v for v, _ in self.regions_in(t)}
        if len(regions) == 1 and USE_POLICY_CUE.search(t):
            return "ask_award"  # "那青海的政策我们能用不": about the documents' regions, not a new address
        if Q_PAYOUT.search(t) and intent != "ask_department" and not (own and what) \
                and not _KIND_CONTACT.search(unrelayed(t)):
            return "ask_award"  # "这钱什么时候能到账": when awards are paid (what the documents say of it)
        if anchor and Q_DEADLINE.search(t) and intent != "ask_department" and not (own and what) \
                and not _KIND_CONTACT.search(unrelayed(t)):
            return "ask_award"  # "临清轴承奖励一般几月份发钱", "博士安家费什么时候发": when, from the documents (silent)
        if len(regions) > 1 and (_CAN_GET.search(t) or _ELIGIBILITY_Q.search(t) or
                                                           re.search(r"享受|适用|通用|申请|能用|哪个多|一样", t)):
            return "ask_award"  # "青海的企业能享受临清的政策吗": answered from the documents' regions
        if anchor and ((STACKING_CUE.search(t) and not (self_ref and what))
                       or (not self_ref and COMPARING_CUE.search(t) and topic)) \
                and not _KIND_CONTACT.search(unrelayed(t)):
            return "ask_award"  # "高企和小巨人能一起拿吗", "高企和科小哪个奖励多"; "客户…两边都拿吗": whoever asks
        if anchor and not own and _KIND_CONTACT.search(unrelayed(t)):
            return "ask_department"
        if anchor and not own and asks and _KIND_DEFINITION.search(t):
            return "ask_award" if intent != "ask_department" else None
        if what and (own or facts or not topic) and (intent != "ask_department" or not _KIND_CONTACT.search(unrelayed(t))):
            return "ask_eligibility"  # "民营的，西宁，高企今年刚重新认定，啥能拿"; "我单位可以申报哪些奖补"
        if facts and not own and (asks or _CLAIM_CUE.search(t)) and (_CAN_GET.search(t) or _CLAIM_CUE.search(t)
                                                                      or re.search(r"上限|封顶|标准", t)):
            return "ask_award"  # "亩产效益D类还有戏吗", "有人说发明专利一件奖1万": about the rule, not the asker
        if own and facts and asks and _CAN_GET.search(t) and intent != "ask_department":
            return "ask_eligibility"  # "科小首次入库，规模以下，能奖多少": facts and what they get
        if not topic and _ELIGIBILITY_Q.search(t) and intent not in ("ask_department", "restart"):
            return "ask_eligibility"
        if facts and _RECKON.search(t) and intent in ("inform", "ask_award", "ask_eligibility"):
            return "ask_eligibility"  # "帮客户算一下：临清，轴承，规上……"
        if topic and not own and intent != "ask_department":
            named = core
            for w, _ in self.topic_words:
                named = named.replace(w, " ")
            for phrase, entity, _ in self.phrases:
                if entity == "region":
                    named = named.replace(phrase, " ")
            bare = _FILLER.sub("", named)  # what is left besides topics and places
            rest = _FILLER.sub("", _ABOUT_AWARD.sub("", _REWARD.sub("", named)))
            if _REWARD.search(named) and (_QUESTION.search(t) or len(rest) <= 2):
                return "ask_award"  # "临清的高企奖励", "高企首次认定奖励"
            if _ENDS_WITH_AWARD.search(core) and not _HAD_IT.search(t):
                return "ask_award"  # "博士后工作站建站补贴", "国家高新区获批奖励" (not "去年拿到过高企奖励")
            if len(bare) <= 2 and len(core) <= 12 and not re.search(r"[\d有是没不省国市级]", named) and not facts \
                    and (asks or not self.regions_in(t)):  # (not "青海的 科技型企业": where and what the asker is)
                return "ask_award"  # "科小?", "首台套", "创业担保贷款贴息" (not "是高企", "两件")
        if intent != "inform" and len(core) <= 8 and self._bare_answer(core):
            return "inform"
        if not facts and not topic and _UNSURE_ANY.search(t) and intent not in ("ask_department", "ask_eligibility"):
            return "dont_know"  # "客户不确定亩产评的是几类"
        return None

    def regions_in(self, text: str) -> list[tuple[str, str]]:
        """Every (region, place as written) a message names, in order ("青海的企业能享受临清的政策吗")."""
        t, hits = self.clean(text), []
        spans = _clauses(t)
        named = [False] * len(t)  # the characters a longer place name already covers
        for phrase, entity, value in self.phrases:  # longest first
            if entity != "region":
                continue
            for i in _occurrences(t, phrase):
                if not any(named[i:i + len(phrase)]):
                    hits.append((i, i + len(phrase), value, text[i:i + len(phrase)]))
                    named[i:i + len(phrase)] = [True] * len(phrase)
        return [(v, w) for i, j, v, w in sorted(hits) if not _negated(t, i, _clause_of(spans, i)[0])
                and not _counterparty(t, i, j)]

    def topics_in(self, text: str) -> list[str]:
        """Every topic a message names, in the order named ("高企和科小哪个奖励多")."""
        t, seen, taken = self.clean(text), [], [False] * len(text)
        for w, tid in self.topic_words:  # longest first
            for i in _occurrences(t, w):
                if not any(taken[i:i + len(w)]):
                    seen.append((i, tid))
                    for k in range(i, i + len(w)):
                        taken[k] = True
        return list(dict.fromkeys(tid for _, tid in sorted(seen)))

    def _topic_word(self, t: str) -> str | None:
        for w, tid in self.topic_words:
            if w in t:
                return tid
        for _, _, hits in self._fuzzy_topics.find(t):
            return hits[0][1]
        return None

    def _bare_answer(self, core: str) -> bool:
        """A message that is nothing but an answer: 0, 3个, 300万, B, 企业, 个人, 省级的…"""
        c = _FILLER.sub("", core)
        if not c or re.fullmatch(r"(没有|没|有|无|否|不是|不|对|对的|嗯|好|好的|行|可以)", c):
            return False  # yes and no stay affirm/deny: the form reads them against its question
        if _NUM.fullmatch(c) or re.fullmatch(r"[abcd](类|级|档)?", c):
            return True
        return c in self._value_words

    def extract(self, text: str, intent: str | None = None) -> list[Extracted]:
        """The entities of a message (cached: a message is read several times while routed)."""
        return list(_remember(self._extracted, (text, intent), lambda: tuple(self._extract(text, intent))))

    def _extract(self, text: str, intent: str | None = None) -> list[Extracted]:
        if intent in NO_FACT_INTENTS:
            return []  # "我下了 88", "帮我订张去济南的火车票": no facts in these
        t = self.clean(text)
        if intent in TOPIC_INTENTS and not SELF_REF.search(t):
            return self._general_question(text, t)
        spans = _clauses(t)
        taken = [False] * len(t)
        found: dict[str, Extracted] = {}

        def put(entity, value, a, b, overwrite=True, mark=True):
            if value is None or (entity in found and not overwrite):
                return
            found[entity] = Extracted(entity, value, a, b, text[a:b])
            if mark:  # later rules do not read these characters again
                for i in range(a, b):
                    taken[i] = True

        self._entity_type(t, put, intent)
        bare_tier = self._tiers(t, spans, put)
        self._platform(t, spans, put)
        self._green(t, spans, put, taken)
        self._incubator_new(t, spans, put)
        self._years(t, put)
        self._phrases(t, spans, put, taken, found)
        self._size(t, spans, put, taken)
        self._mu(t, spans, put, taken)
        self._revenue(t, spans, put, taken, found)
        self._numbers(t, spans, put, taken, intent)
        self._none_of(t, put, taken, found)
        self._compared(t, found)
        if bare_tier:
            self._tier(t, put, found)
        if not found and intent in ANSWER_INTENTS:
            self._bare_value(t, put)
        if intent in TOPIC_INTENTS or intent is None:
            self._topic(t, put)
        return sorted(found.values(), key=lambda e: e.start)

    def _compared(self, t, found):
        """"国家级的奖多少？省部级的呢？": a message asking about two values of one fact states
        neither (the asker wants both figures, not the first one's)."""
        for m in _ALSO_ASKED.finditer(t):
            w = m.group("w")
            if re.search(r"还没|还未|尚未|还在|还不", w):
                continue  # "第一批钱还没到账呢": not yet, said, not asked
            if re.search(r"(要是|如果|假如|若是)", t[max(0, m.start() - 4):m.end()]):
                continue  # "要是他们是科小呢": the case put, with its facts
            for fid in [f for f in found if f in self.vocab.facts and self.vocab[f].values]:
                fact, value = self.vocab[fid], found[fid].value
                syn = fact.synonyms if isinstance(fact.synonyms, dict) else {}
                others = [n for v, title in fact.values.items() if v != value for n in (title, *syn.get(v, ()))]
                asked_here = m.start("w") <= found[fid].start < m.end()  # "小型的呢" asks, doesn't say
                if asked_here or any(n.startswith(w) for n in others):
                    del found[fid]
        if not (_BOTH_ASKED.search(t) and _QUESTION.search(t)):
            return
        for fid in [f for f in found if f in self.vocab.facts and self.vocab[f].values]:
            # "国标跟国际标准有奖励吗 各多少": two values of one fact asked side by side
            fact, e = self.vocab[fid], found[fid]
            syn = fact.synonyms if isinstance(fact.synonyms, dict) else {}
            others = [n for v, title in fact.values.items() if v not in (e.value, "none") and not str(v).startswith("no")
                      for n in (title, *syn.get(v, ())) if len(n) >= 2]
            outside = t[:e.start] + " " * (e.end - e.start) + t[e.end:]
            if any(n in outside for n in others):
                del found[fid]

    def _bare_value(self, t, put):
        """A message that is only a value's name answers for that fact: "企业", "个人", "高校"
        (where one fact has that value; the form reads the others against its question)."""
        m = _BARE.fullmatch(t)
        if m and m.group("v") in self._bare_values:
            entity, value = self._bare_values[m.group("v")]
            put(entity, value, m.start("v"), m.end("v"))

    # -- rules -------------------------------------------------------------------------------
    def _entity_type(self, t, put, intent):
        for value, pat in _ENTITY_TYPE:
            for m in re.finditer(pat, t):
                head = m.group(m.lastindex) if m.lastindex else m.group(0)
                if re.search(r"(不是|并非|不属于|非)[^，,。；;]{0,2}$", t[max(0, m.end() - len(head) - 4):m.end() - len(head)]):
                    continue  # "我是个人，不是企业"
                put("entity_type", value, m.start(), m.end(), mark=False)
                return
        m = _OPENING_SELF.search(t)
        if m and not re.search(r"高企|科小", m.group(0)[-2:]) and m.group(0) not in self._value_words \
                and not re.fullmatch(_HT_ANCHOR + "|" + _SME_ANCHOR, m.group(0)) and (
                intent == "ask_eligibility" or (intent in ("inform", None) and re.match(r"[，,；;\s]+\S", t[m.end():]))):
            # "临清的轴承公司，营收1800万，…" opens by describing the company (a bare "轴承企业" names a value)
            put("entity_type", "enterprise", m.start(), m.end(), mark=False)

    def _tiers(self, t, spans, put, award_names=False):
        """The certification tier said of 高企 / 科小: the tier cue nearest the name in its clause
        ("高企是首次认定的", "去年认定的高企"); else, with one certification named, a cue anywhere.
        `award_names`: the tier an award's name carries instead ("高企连续认定的奖励")."""
        any_anchor = False
        for fact, anchor in (("high_tech_status", _HT_ANCHOR), ("tech_sme_status", _SME_ANCHOR)):
            m_none = re.search(_NONE_CUES[fact], t)
            if m_none and award_names:
                continue
            if m_none:
                put(fact, "none", m_none.start(), m_none.end())
                any_anchor = True
                continue
            values = self.vocab[fact].values
            fallback = None  # the cue anywhere, read once: it does not depend on the anchor
            for m in re.finditer(anchor, t):
                any_anchor = True
                # the clause's cues are read once per clause; an anchor reads them all only when
                # one of them is its answer (then the loop ends), else only the few inside it
                best = None
                for value, cs, ce in self._tier_cues_in(t, spans, fact, m.start()):
                    if cs < m.end() and ce > m.start():  # the cue is inside the anchor itself
                        continue
                    dist = m.start() - ce if ce <= m.start() else cs - m.end()
                    if best is None or dist < best[0]:
                        best = (dist, value, min(cs, m.start()), max(ce, m.end()))
                if best is None and len(spans) > 1:
                    if fallback is None:
                        fallback = self._tier_cue_anywhere(t, fact, values) or ()
                    if fallback:
                        value, c = fallback
                        best = (0, value, min(c.start(), m.start()), max(c.end(), m.end()))
                if best and _TIER_AWARD_AFTER.match(t, best[3]):
                    if award_names:
                        put(fact, best[1], best[2], best[3])
                    break  # "高企首次认定奖励": the name of an award, not what the asker is
                if best and not award_names:
                    put(fact, best[1], best[2], best[3])
                    break
            else:
                m = _SME_NOW.search(t) if fact == "tech_sme_status" and not award_names else None
                if m and not _negated(t, m.start(), _clause_of(spans, m.start())[0]) \
                        and not _TIER_AWARD_AFTER.match(t, m.end()):
                    # "我们是科小", "科小已入库": in this year's list, which tier not said (奖励标准1 needs it;
                    # "规模以下科技型中小企业" does not)
                    put(fact, {"one_of": [v for v in values if v != "none"]}, m.start(), m.end(), overwrite=False)
        return not any_anchor  # no certification named: a bare "第一次" may answer the question

    def _tier_cues_in(self, t, spans, fact, pos):
        """(value, start, end) of every tier cue in the clause at `pos` that is not denied
        (不是首次…是续的), for the tiers `fact` has, in the order of _TIER_CUES; read once a clause."""
        a, b = _clause_of(spans, pos)

        def compute():
            clause, out = t[a:b], []
            for value, cue in _TIER_CUES:
                if value not in self.vocab[fact].values:
                    continue
                for c in re.finditer(cue, clause):
                    cs, ce = a + c.start(), a + c.end()
                    if not re.search(r"(不是|并非|不算|而非)$", t[max(a, cs - 3):cs]):
                        out.append((value, cs, ce))
            return out
        return spans.memo(("tier cues", fact, a, b), compute) if isinstance(spans, _Clauses) else compute()

    @staticmethod
    def _tier_cue_anywhere(t, fact, values):
        """With one certification named, a tier cue anywhere in the message is its tier."""
        other = _HT_ANCHOR if fact == "tech_sme_status" else _SME_ANCHOR
        for value, cue in _TIER_CUES:
            if value in values and re.search(cue, t) and not re.search(other, t):
                return value, re.search(cue, t)
        return None

    def _tier(self, t, put, found):
        """A bare "第一次" / "连续的" answering the certification question."""
        if any(e not in ("entity_type", "topic") for e in found):
            return
        for value, cue in _TIER_CUES:
            if value == "valid_earlier":
                continue
            c = re.search(cue, t)
            if c and not re.search(r"(没有|没|未|不是|并非)$", t[max(0, c.start() - 2):c.start()]):
                put("tier", value, c.start(), c.end())  # (not "没有新认定")
                return

    def _platform(self, t, spans, put):
        m = re.search(r"(没有|没|无)(新)?(认定)?(的)?(任何)?(新)?(" + _PLATFORM + ")", t) or re.search(
            "(" + _PLATFORM + r")[^，,。；;]{0,3}?(一个|一家|一项)?(也|都|还)?(没有|没)(新)?(认定|获批|评上|批下来)", t)
        if m:  # "没有新认定的平台", "今年平台一个也没新认定"
            put("new_platform_level", "none", m.start(), m.end())
            return
        for m in re.finditer(_PLATFORM, t):
            a, _ = _clause_of(spans, m.start())
            window = t[max(a, m.start() - 10):m.start()]
            window = re.sub(r"(?<=[青海山东])省(?!级)", " ", window)  # "青海省在科技创新平台…": a place, not a level
            for value, cue in _PLATFORM_LEVEL:
                c = None
                for c in re.finditer(cue, window):
                    pass
                if c is not None:
                    s = m.start() - len(window) + c.start()
                    if len(t) <= 12 or re.search(r"我们|咱|俺|公司|今年|新|刚|认定|获批|拿到|评上|批了|建了|有个|有一个|^有", t):
                        put("new_platform_level", value, s, m.end())
                    return
            after = t[m.end():m.end() + 9]  # "平台是聊城市级的", "企业技术中心认定成聊城市级了"
            for value, cue in _PLATFORM_LEVEL:
                c = re.match(r"(是|为|属于|认定成|认定为|评成|评为|批成|升成|升为)?(" + cue + ")(的)?", after)
                if c and re.search(r"级|的", c.group(0)):
                    put("new_platform_level", value, m.start(), m.end() + c.end())
                    return
        bare = _BARE_LEVEL.fullmatch(t)
        if bare:  # a bare answer to the platform question: "省级的"
            for value, cue in _PLATFORM_LEVEL:
                if re.match(cue, bare.group("level")):
                    put("new_platform_level", value, bare.start("level"), bare.end("level"))
                    return

    def _years(self, t, put):
        """"成立八年", "注册才两年", "成立三年多": how long the company has existed, and with it
        whether it is 注册成立不满3年 (Qinghai's innovation vouchers)."""
        m = _YEARS.search(t)
        if not m:
            return
        n = parse_number(m.group("n"))
        if n is None or n > 200:
            return
        n = int(n) if float(n).is_integer() else n
        more = bool(m.group("more") or m.group("more2"))  # 三年多: 3 ≤ years < 4
        under = bool(m.group("under"))  # 成立不满两年: years < 2
        put("registered_years", {"lt": n} if under else _bounded(n, "ge+1") if more else n, m.start(), m.end())
        if "innovation_voucher_eligible_startup" in self.vocab.facts:  # 注册成立不满3年 (rules/facts.yml derived)
            startup = self.vocab["innovation_voucher_eligible_startup"]
            limit = (startup.derived or {}).get("lt")
            if under and limit is not None and n > limit:
                return  # 成立不到五年: under 3 or not, it doesn't say
            put("innovation_voucher_eligible_startup", True if under else startup.derive({"registered_years": n}),
                m.start(), m.end())

    def _green(self, t, spans, put, taken):
        ms = list(re.finditer(_GREEN_TRUE, t))
        # a breach said outside what says it is met ("安全环保都没问题，但有失信记录"): not met
        m = next((m for m in re.finditer(_GREEN_FALSE, t) if re.search(r"事故|失信|环保|环境|违法|处罚|罚款|污染", m.group(0))
                  and not any(x.start() < m.end() and m.start() < x.end() for x in ms)
                  and not re.search(r"没|无|未|不存在", t[_clause_of(spans, m.start())[0]:m.start()])), None)
        # (not "没有安全事故、环保问题和失信记录": one denial of the whole list)
        if m:
            put("green_threshold_met", False, m.start(), m.end())
        elif ms:  # "没失信没事故 环保也达标": the whole stretch says it
            put("green_threshold_met", True, ms[0].start(), ms[-1].end())

    def _incubator_new(self, t, spans, put):
        """"自己运营的孵化器今年通过了省级科技企业孵化器认定", "刚认定为国家级孵化器": an incubator
        recognised this year (read without taking the level's words, which say the level)."""
        if "incubator_newly_recognized" not in self.vocab.facts:
            return
        for m in _INCUBATOR_NEW.finditer(t):
            a, b = _clause_of(spans, m.start())
            near = t[max(a, m.start() - 8):min(b, m.end() + 8)]  # the incubator is what was recognised
            if re.search(r"孵化器|众创空间", near) and not re.search(r"评价|评为[ABCD]|[ABCD]类", t[a:b]) \
                    and not re.search(r"高企|高新|科小|科技型|小巨人|专精|瞪羚|研发机构|中心|实验室", t[m.start():m.end() + 4]):
                put("incubator_newly_recognized", not _negated(t, m.start(), a), m.start(), m.end(), mark=False)
                return

    def _phrases(self, t, spans, put, taken, found):
        m = re.search(r"轴承(?!产业|行动|计划|政策|行业协会|研究院|技术研究)", t)
        if m and "is_bearing_enterprise" not in found and not any(taken[m.start():m.end()]) \
                and not _AWARD_AFTER.match(t, m.end()):
            put("is_bearing_enterprise", not _negated(t, m.start(), _clause_of(spans, m.start())[0]),
                m.start(), m.end())
        self._region(t, spans, put, taken)
        self._from_outside(t, spans, put, found)
        shared: set[tuple[int, int]] = set()  # spans one phrasing gave to several facts
        for phrase, entity, value in self.phrases:
            if entity == "region":
                continue
            rx = self._gapped.get(phrase)
            hits = [(m.start(), m.end()) for m in rx.finditer(t)] if rx else \
                   [(i, i + len(phrase)) for i in _occurrences(t, phrase)]
            for i, j in hits:
                if any(taken[i:j]) and (i, j) not in shared:
                    continue
                if entity != "entity_type" and _AWARD_AFTER.match(t, j):
                    continue  # "小巨人奖励90万能申请吗": the name of an award, not a claim
                a, b = _clause_of(spans, i)
                v = value
                if _negated(t, i, a) or _denied_later(t, j, b, spans):
                    if isinstance(v, bool):
                        v = not v
                    else:
                        continue  # "不是临清的": says nothing positive
                if entity not in found:
                    put(entity, v, i, j)
                    shared.add((i, j))  # "省级新型研发机构" is a fact of two documents
        # one-character slips in longer phrases ("规模一上", "高新技木企业"): only where every
        # phrase the window is one slip from says the same, and the window is no phrase itself
        for i, j, hits in sorted(self._fuzzy.find(t), key=lambda h: (h[0], -h[1])):
            said = {payload for _, payload in hits}
            if len(said) != 1 or any(taken[i:j]) or t[i:j] in self._exact_words:
                continue
            entity, value = said.pop()
            if entity in found or _AWARD_AFTER.match(t, j):
                continue
            a, b = _clause_of(spans, i)
            denied = _negated(t, i, a) or _denied_later(t, j, b, spans)
            if denied and not isinstance(value, bool):
                continue
            put(entity, (not value) if denied else value, i, j)

    def _from_outside(self, t, spans, put, found):
        """"从北京一所大学受让了一项成果": a result bought from a place outside Qinghai (the
        document's 省外; a place inside it is a phrasing of its own, rules/facts.yml)."""
        if "tech_deal_role" not in self.vocab.facts or "tech_deal_role" in found \
                or getattr(found.get("region"), "value", found.get("region")) == "linqing":
            return  # (a Qinghai measure's fact: not for a Linqing company)
        for phrase, entity, value in self.phrases:
            if entity != "region" or value == "qinghai":
                continue
            for i in _occurrences(t, phrase):
                if _counterparty(t, i, i + len(phrase)) and t[i - 1:i] == "从" \
                        and _BOUGHT.search(t, i, _clause_of(spans, i)[1]):
                    put("tech_deal_role", "transferee_from_outside", i, i + len(phrase))
                    return

    def _region(self, t, spans, put, taken):
        """One region: the one the asker places themselves in ("我们是临清的企业，青海那边的奖励…"),
        else the first named. Every place named is then read no further."""
        hits = []
        named = [False] * len(t)  # the characters a longer place name already covers
        for phrase, entity, value in self.phrases:
            if entity != "region":
                continue
            for i in _occurrences(t, phrase):
                if not any(taken[i:i + len(phrase)]) and not named[i] and not _counterparty(t, i, i + len(phrase)):
                    hits.append((i, i + len(phrase), value))
                    named[i:i + len(phrase)] = [True] * len(phrase)
        if not hits:
            return
        hits.sort()
        def rank(h):
            a, b = _clause_of(spans, h[0])
            if t[max(0, h[0] - 1):h[0]] == "在" and (
                    re.match(r"(市)?(设厂|建厂|办厂|落户|注册|设立|成立|投资)", t[h[1]:h[1] + 3])
                    or re.match(r"(市)?(开|设|建|办)了?(个|家|一家|一个)?(分厂|分公司|子公司|工厂|厂|公司)", t[h[1]:h[1] + 8])):
                return 2  # "外地企业在临清设厂", "总部在江苏，在临清开了个分厂": where it operates
            own = spans.memo(("self", a, b), lambda: SELF_REF.search(t[a:b])) or re.match(r"的?(企业|公司|厂|单位|学校|高校)", t[h[1]:h[1] + 3])
            return 1 if own else 0
        negated = {h for h in hits if _negated(t, h[0], _clause_of(spans, h[0])[0])}
        candidates = [h for h in hits if h not in negated] or hits
        best = max(candidates, key=lambda h: (rank(h), -h[0]))
        if best in negated:
            return  # "不是临清的": says nothing positive
        put("region", best[2], best[0], best[1])
        for i, j, _ in hits:
            for k in range(i, j):
                taken[k] = True

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
        m = _BARE_GRADE.fullmatch(t)
        if m:  # a bare "B": the answer to the 亩产效益 question (the only A-D grade asked)
            put("mu_efficiency_grade", _grade(t, m), m.start("g"), m.end("g"))
            return
        m = re.search(r"(?<![a-z])(?P<a>[abcd])\s*(类|级)?\s*(还是|或者|或|/)\s*(?P<b>[abcd])(?![a-z])", t)
        if m and (_MU_CTX.search(t) or len(t) <= 14):  # "B还是C我记不清了": one of the two
            put("mu_efficiency_grade", {"one_of": sorted({m.group("a").upper(), m.group("b").upper()})},
                m.start(), m.end())
            return
        for m in _MU_BARE.finditer(t):  # "亩产C", "亩产效益评的是D"
            put("mu_efficiency_grade", _grade(t, m), m.start(), m.end())
            return
        m = re.search(r"亩[产均][^。；;]{0,10}?[，,]\s*(是|评的是|评了)\s*(?P<g>[abcd])\s*(类|级|档)?\s*[。.！!]?\s*$", t)
        if m:  # "亩产想起来了，是B"
            put("mu_efficiency_grade", m.group("g").upper(), m.start(), m.end())
            return
        for m in _MU.finditer(t):
            if any(taken[m.start():m.end()]):
                continue
            a, b = _clause_of(spans, m.start())
            if spans.memo(("incubator", a, b), lambda: bool(re.search(r"孵化器|众创空间|星创天地", t[a:b])
                                                            and not _MU_CTX.search(t[a:b]))):
                continue  # an incubator's grade, not the company's 亩产效益
            put("mu_efficiency_grade", _grade(t, m), m.start(), m.end())

    def _revenue(self, t, spans, put, taken, found):
        """Annual revenue decides 规上 (the question says 年主营业务收入2000万元及以上), and with
        R&D spending gives the R&D ratio: "研发投入三百万，销售收入六千万" → 5%."""
        longer = self._named_longer(t)
        revenue = self._amount_after(t, _REVENUE, taken, longer)
        if revenue is None:
            return
        (rs, re_, value, bound) = revenue
        spend = self._amount_after(t, _RD_SPEND, taken, longer)
        threshold = self.above_scale_revenue
        if "above_scale" not in found and threshold is not None:
            at_least, below = value >= threshold, value < threshold
            if bound in (None, "ge", "gt") and at_least:
                put("above_scale", True, rs, re_)
            elif (bound in (None, "le") and below) or (bound == "lt" and value <= threshold):
                put("above_scale", False, rs, re_)
        if spend is not None and bound is None and spend[3] is None and value > 0 and "rd_ratio" not in found:
            put("rd_ratio", round(spend[2] * 100 / value, 2), min(rs, spend[0]), max(re_, spend[1]))
        for a, b in ((rs, re_),) + (((spend[0], spend[1]),) if spend else ()):
            for k in range(a, b):
                taken[k] = True  # these figures are not some other fact's

    def signals(self, text: str) -> dict:
        """Everything the dialogue needs from a message besides its intent, entities and sums,
        read once here (the component puts it in the message's `huiqi_signals`): the topics it
        names, whether it moves on to another caller's company, corrects a fact, wants the answer
        now, describes the asker, or asks about everything the company might get."""
        from .routing import asks_everything
        topics = self.topics_in(text)
        return {"topics": topics, "new_case": bool(NEW_CASE_CUE.search(text)),
                "correction": bool(CORRECTION_CUE.match(text)), "answer_now": bool(ANSWER_NOW_CUE.search(text)),
                "describes_self": describes_self(text),
                "everything": asks_everything(text) and not self.about_topic(text, topics),
                "follow_up": bool(FOLLOW_UP_CUE.search(self.clean(text))), "another_case": self.another_case(text)}

    def tiers_named(self, text: str) -> dict[str, str]:
        """The certification tier an award's name in the question carries ("高企连续认定的奖励多少" →
        {high_tech_status: consecutive}): the case asked about, not what the asker is."""
        t = self.clean(text)
        out: dict[str, str] = {}

        def put(entity, value, a, b, overwrite=True, mark=True):
            if isinstance(value, str):
                out[entity] = value
        self._tiers(t, _clauses(t), put, award_names=True)
        values = {v for v, cue in _TIER_CUES if re.search(cue, t)}
        return out if len(values) <= 1 else {}  # ("首次认定奖励和连续认定奖励分别多少": every tier, none narrowed)

    def another_case(self, text: str) -> str | None:
        """The case a short follow-up asks about instead ("连续入库的呢" → "连续入库", "聊城要是只给600万呢"
        → "聊城要是只给600万"), where it names a fact's value or a sum; None otherwise ("还没呢")."""
        m = ANOTHER_CASE.fullmatch(RELAYED_FOLLOW_UP.sub("", self.clean(text)))  # ("他又问 聊城市级的呢")
        if not m or re.match(r"还?没|不是|是的", m.group("w")) or _QUESTION.search(m.group("w")):
            return None  # ("还没呢", "是的呢": said, not asked)
        w = re.sub(r"^是", "", m.group("w"))
        said = [e for e in self.extract(w, "inform") if e.entity in self.vocab.facts or e.entity in ("amount", "tier")]
        return w if said else None

    def about_topic(self, text: str, topics: list[str]) -> bool:
        """Whether "能拿多少"/"有哪些补助" asks about the one topic the message names, not about
        everything the company might get: besides who asks (place, kind, industry, size) it says
        at most a few sums or counts that topic's awards are reckoned from ("临清轴承厂 专利有奖励没",
        "发明专利3件、实用新型8件，一共能拿多少", "技术转让合同成交额1800万，最多能拿多少"), and the
        topic is not what the company says it is ("我们是青海的科技型中小企业，能拿什么")."""
        if len(topics) != 1:
            return False
        t = self.clean(text)
        facts = [e for e in self.extract(t, "inform") if e.entity in self.vocab.facts]
        figures = [e for e in facts if e.entity not in _PROFILE_FACTS]
        if len(figures) > 3 or any(self.vocab[e.entity].type not in ("money", "count") for e in figures):
            return False
        words = [w for w, tid in self.topic_words if tid == topics[0] and w in t]
        return not any(re.search(r"(是|属于|作为|身为)[^，,。；;？?]{0,10}" + re.escape(w), t) for w in words)

    @property
    def above_scale_revenue(self):
        """The revenue from which a company is 规上 (rules/facts.yml: above_scale derived)."""
        d = self.vocab["above_scale"].derived if "above_scale" in self.vocab.facts else {}
        return d.get("ge") if d.get("from") == "annual_revenue" else None

    def quantities(self, text: str) -> dict[str, int]:
        """The sums a message states as facts of their own (rules/facts.yml annual_revenue,
        rd_spend), exact figures only: kept across messages, so revenue said in one message and
        R&D spend in the next still give the ratio. Not entities (the NLU contract's entities are
        the facts they decide: above_scale, rd_ratio); the component puts them in the message's
        `huiqi_quantities`."""
        def compute():
            t = self.clean(text)
            taken = [False] * len(t)
            out = {}
            longer = self._named_longer(t)
            for fact, keyword in (("annual_revenue", _REVENUE), ("rd_spend", _RD_SPEND)):
                got = self._amount_after(t, keyword, taken, longer)
                if got is not None and got[3] is None and fact in self.vocab.facts:
                    out[fact] = int(got[2])
            return out
        return dict(_remember(self._quantities, text, compute))

    def _named_longer(self, t: str) -> list[tuple[int, int]]:
        """The spans of a quantity fact's keyword in t: a revenue or R&D word inside one is that
        fact's ("服务技术交易年营收" is a technology-transfer agency's income, not the company's)."""
        literal = [(i, i + len(kw)) for kw, fact in self.keywords
                   if len(kw) > 3 and fact not in ("annual_revenue", "rd_spend", "rd_ratio") for i in _occurrences(t, kw)]
        # and a gapped one ("服务技术交易…营业收入": "服务技术交易的营业收入")
        gapped = [(m.start(), m.end()) for kw, fact in self.keywords if "…" in kw
                  and fact not in ("annual_revenue", "rd_spend", "rd_ratio") for m in _gap_rx(kw).finditer(t)]
        return literal + gapped

    @staticmethod
    def _amount_after(t, keyword: re.Pattern, taken, inside=()):
        """(start, end, yuan, bound) of the first keyword followed (within 6 characters) by a sum;
        a keyword within one of the spans `inside` (a longer name of another fact) is not one."""
        for k in keyword.finditer(t):
            if any(i <= k.start() and k.end() <= j and (i, j) != (k.start(), k.end()) for i, j in inside):
                continue
            over = _OVER_UNIT.match(t, k.end()) or _OVER_UNIT.match(t, k.end() + 1)  # 营收过亿
            if over and not any(taken[k.start():over.end()]):
                return k.start(), over.end(), _UNIT[over.group("unit")], "le" if over.group("neg") else "gt"
            window = t[k.end():k.end() + 14]
            m = _NUM.search(window)
            if not m or m.start() > 6 or not (m.group("unit") or m.group("tail") in ("元", "块")):
                continue
            v = parse_number(m.group("num"))
            if v is None or any(taken[k.start():k.end() + m.end()]) or _negative(t, k.end() + m.start()):
                continue
            v *= _UNIT.get(m.group("unit") or "", 1)
            return k.start(), k.end() + m.end(), v, _bound(t, k.end() + m.start(), k.end() + m.end())
        return None

    def _numbers(self, t, spans, put, taken, intent):
        nums = []  # (start, end, kind, value, bound): bound is None or lt/le/gt/ge (docs/profile.md)
        in_num = [False] * len(t)  # the characters a figure already read covers

        def add(s, e, kind, v, bound):
            nums.append((s, e, kind, v, bound))
            in_num[s:e] = [True] * (e - s)
        for m in _PCT_WORD.finditer(t):
            v = parse_number(m.group("num"))
            if v is not None:
                add(m.start(), m.end(), "percent", v, _bound(t, m.start(), m.end()))
        for m in _OVER_UNIT.finditer(t):  # 产值过亿, 上千万: a bound with no digits
            if not any(taken[m.start():m.end()]):
                add(m.start(), m.end(), "money", _UNIT[m.group("unit")], "le" if m.group("neg") else "gt")
        for m in _NUM.finditer(t):
            if any(taken[m.start():m.end()]) or in_num[m.start()]:
                continue
            if _negative(t, m.start()):
                continue  # "负300万", "-5%": no company fact is negative; not read as 300万
            num, unit, tail, approx = m.group("num"), m.group("unit"), m.group("tail"), m.group("approx")
            if not unit and not tail and not approx and _NOT_NUM_AFTER.match(t[m.end():m.end() + 8]):
                continue
            if m.start() > 0 and t[m.start() - 1] in "第下上这那哪每":
                continue
            if t[max(0, m.start() - 3):m.start()].endswith(("不是", "而不是")):
                continue  # "产值是9000万不是1亿": the figure said is the other one
            if _NONE_AFTER_NUM.match(t, m.end()):
                continue  # "一件也没有" is none
            if re.fullmatch(r"(19[89]\d|20[0-4]\d)", num) and not unit and not tail and not approx:
                continue  # "高企奖励 临清 2026": a year
            if num[0] in _CN_NUM and not unit and not tail and not approx and len(num) == 1 and num not in "两" \
                    and t.strip() != num:
                continue  # a lone 一/十 in running text is rarely a quantity (a message "零" is)
            v = parse_number(num)
            if v is None:
                continue
            v, end, tail = _with_unit(t, m, v)
            if tail and ("点" in tail or tail.startswith("%")):
                kind = "percent"
            elif tail in ("个", "件", "项"):
                kind = "count"
            elif unit or tail in ("元", "块钱", "块") or v >= 1000:
                kind = "money"
            else:
                kind = "plain"
            bound = _bound(t, m.start(), end)
            if bound is None and (approx or (tail and "多" in tail)) and kind == "percent" and float(v).is_integer():
                bound = "ge+1"  # 四个多点, 6%多: at least that, below the next whole point
            add(m.start(), end, kind, v, bound)
        if not nums:
            return
        kws = []  # (start, end, fact)
        in_kw = [False] * len(t)  # the characters a longer keyword already names
        for kw, fact in self.keywords:
            hits = [(m.start(), m.end()) for m in _gap_rx(kw).finditer(t)] if "…" in kw else \
                [(i, i + len(kw)) for i in _occurrences(t, kw)]  # ("服务技术交易…营收": gapped)
            for i, j in hits:
                if not any(in_kw[i:j]):
                    kws.append((i, j, fact))
                    in_kw[i:j] = [True] * (j - i)
        for i, j, hits in self._fuzzy_kw.find(t):
            if not any(in_kw[i:j]):
                kws.append((i, j, hits[0][1]))
                in_kw[i:j] = [True] * (j - i)
        index = _KeywordIndex(kws, spans)
        with_figures = {spans.index_of(ns) for ns, *_ in nums}
        for s, e, kind, v, bound in sorted(nums):
            c = spans.index_of(s)
            fits = lambda fact: self._fits(fact, kind, v)  # noqa: E731
            # the nearest keyword of a fact the figure fits, unused, in the figure's clause; one
            # before the number is preferred (dist x against x + 0.5 after it), and a short one
            # (研发) for a percentage only right next to it ("研发5.5%", not "研发…按25%")
            best = index.nearest(c, fits, s, e, short_within=3 if kind == "percent" else None)
            if best is None and c is not None and c > 0 and not index.facts_in(c) and c - 1 not in with_figures:
                # "聘了个科技副总，费用花了20万": the thing is named in the clause before, which has no
                # figure; there, the last keyword found (in the order keywords are read)
                best = index.last(c - 1, fits)
            if best:
                k = best[1]
                index.use(k)
                # (a bound after a figure said of the same thing does not undo it: "产值8000万 不到一个亿")
                put(kws[k][2], self._value(kws[k][2], v, bound), min(s, kws[k][0]), max(e, kws[k][1]),
                    overwrite=bound is None)
            elif (intent in ANSWER_INTENTS or (kind == "money" and intent in ("ask_award", "ask_eligibility")
                                               and not _CAP_SAID.search(t[max(0, s - 6):s])
                                               and not _ASKED_BACK.match(t, e))) \
                    and not t[max(0, s - 1):s] == "按" and not (
                    # (a sum said with a question, "成交额500w 能补多少": the award it is asked about
                    # may be computed from it, actions._base_said; not a cap asked about, "最高200万吗")
                    kind == "count" and re.match(r"[\u4e00-\u9fff]", t[e:e + 1]) and not _FILLER.match(t[e:e + 1])):
                # (not "一项国家标准": a count of something named after it, not a bare answer)
                generic = {"money": "amount", "percent": "percent", "count": "number", "plain": "number"}[kind]
                value = int(v) if float(v).is_integer() else v
                put(generic, _bounded(value, bound), s, e, overwrite=False)

    def _none_of(self, t, put, taken, found):
        """"实用新型没有", "科技副总费用没有": a count or sum named and denied is 0; so is new
        tax revenue that did not grow ("今年税收比去年还少了，没有新增")."""
        if "new_local_fiscal_revenue" not in found:  # the decline said of the tax, in its clause
            m = _NO_NEW_REVENUE.search(t)
            if m:
                put("new_local_fiscal_revenue", 0, m.start(), m.end())
        for kw, fact in self.keywords:
            if fact in found or self.vocab[fact].type not in ("count", "money"):
                continue
            for i in _occurrences(t, kw):
                j = i + len(kw)
                if not any(taken[i:j]) and _DENIED_AFTER.match(t, j):
                    put(fact, 0, i, j)
                    break

    def _fits(self, fact: str, kind: str, v: float) -> bool:
        t = self.vocab[fact].type
        if t == "money":
            return kind in ("money", "plain")
        if t == "percent":
            return kind in ("percent", "plain") and v <= 100
        if t in ("count", "number"):
            return kind in ("count", "plain") and float(v).is_integer() and v < 10_000
        return False

    def _value(self, fact: str, v: float, bound: str | None = None):
        t = self.vocab[fact].type
        v = int(round(v)) if t in ("money", "count") else int(v) if float(v).is_integer() else v
        return _bounded(v, bound)

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
        if best is None:  # one-character slips in longer topic words ("高新技木认定")
            for i, j, hits in self._fuzzy_topics.find(t):
                if best is None or j > best[1]:
                    best = (i, j, hits[0][1])
        if best:
            put("topic", best[2], best[0], best[1])


def describes_self(text: str) -> bool:
    """Does a message say something about the asker's own organisation ("我们…", "临清做纺织的企业，…")?"""
    t = clean(text)
    if SELF_REF.search(t):
        return True
    m = _OPENING_SELF.search(t)  # "临清做纺织的企业，…", "西宁的一家公司…"; not "瞪羚企业有奖励吗"
    return bool(m and re.search(r"的|做|生产|搞|一家|这家", m.group(0)))


def tier_in(text: str, allowed) -> str | None:
    """The certification tier a bare answer names ("去年认定的" → valid_earlier), among `allowed`."""
    t = clean(text)
    for value, cue in _TIER_CUES:
        if value in allowed and re.search(cue, t):
            return value
    return None


def unrelayed(t: str) -> str:
    return _RELAYED.sub(" ", t)


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


def clean(text: str | None) -> str:
    """FactExtractor.clean with the project's vocabulary."""
    return extractor().clean(text or "")


def extractor(rules_dir: Path | None = None) -> FactExtractor:
    from ..tables import default_rules_dir
    from ..vocabulary import load_vocabulary
    rules_dir = Path(rules_dir) if rules_dir else default_rules_dir()
    key = str(rules_dir)
    if key not in _CACHE:
        _CACHE[key] = FactExtractor(load_vocabulary(rules_dir / "facts.yml"), load_topics(rules_dir))
    return _CACHE[key]


def extract(text: str, intent: str | None = None) -> dict[str, Any]:
    """Convenience: {entity: value} for a message."""
    return {e.entity: e.value for e in extractor().extract(text, intent)}



__all__ = [n for n in dir() if not n.startswith('__') and n not in ('annotations',)]


def _counterparty(t: str, i: int, j: int) -> bool:
    """Whether the place at t[i:j] names where the other side of a deal is, not the asker: "从北京
    一所大学受让…", "转让给了青海的企业" (a deal named in the same clause), or where a person the
    company hired comes from ("柔性引进了一位外地的高层次人才")."""
    a = max([t.rfind(c, 0, i) for c in "，,。；;？?"]) + 1
    if _PERSON_AFTER.match(t, j) and _HIRED.search(t, a, i):
        return True
    if re.search(r"(引进|引入|来自|购买|买了?|购进)$", t[max(a, i - 3):i]) \
            and re.match(r"的?(先进|适用)?(技术|成果|人才|专利|设备|项目)", t[j:]):
        return True  # "引进外地技术": where the technology comes from
    if not (_COUNTERPARTY_BEFORE.search(t[max(0, i - 4):i]) and _COUNTERPARTY_AFTER.match(t, j)):
        return False
    b = min([k for k in (t.find(c, j) for c in "，,。；;？?") if k >= 0], default=len(t))
    return bool(_DEAL.search(t, a, b))
