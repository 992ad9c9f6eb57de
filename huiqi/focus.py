"""What a conversation is about (its focus), the short answer-first reply to it, the questions
that decide it (most money at stake first), and what a new fact changed.

A focus is one award or a few (`award`), a topic's awards (`topic`), a document's awards
(`document`) or everything the company might get (`all`). Every figure, condition and
department in a reply comes from the rule tables (huiqi.tables), as in huiqi.answers.
Channel- and Rasa-independent: actions/ calls these with plain dicts.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .answers import (_how_much, contact_text, eligibility_messages, fact_text, lead_department, measure_label,
                      short_label, status_line)
from . import memo
from .dialogue import FORM_ASK_LIMIT
from .engine import (ELIGIBLE, IN_FORCE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE, STATUS_TAGS, TOTAL_LABELS, Engine,
                     EntryResult, status_of)
from .money import yuan, yuan_range
from .nlu.cues import ASPECTS, WHO_GETS
from .report import quote_text
from .tables import SUPPORT, Entry

#: "everything": a first answer after this many questions, then "继续"
PAUSE_AFTER = 4
#: entries kept in an award/topic focus: the best match and those scoring at least this share of it
FOCUS_SHARE, FOCUS_MAX = 0.6, 3
#: a question naming a topic ("创新平台有哪些奖补") keeps more of the topic's awards: the answer
#: shows the first few (_SHOWN) and counts the rest, rather than dropping them silently
TOPIC_MAX = 10
#: a measure paying no set money kept beside the money awards a question names when it scores this
#: share of the best of them ("风险补偿 贴息这些"): named nearly as well
NAMED_TOO = 0.85
#: a question naming no topic is about an award when its best match scores at least this
#: (huiqi.questions.COVERED_SCORE: the score above which an entry's sentence answers a question)
AWARD_SCORE = 14.0
# a measure paying no money (a tax rule, a bank's risk share) is the focus when it outranks every
# money award by this much: the question is about it, not about the money next to it
OUTRANKS = 1.15
#: ... unless the question asks how much ("认定成聊城市级了 给多少钱")
_HOW_MUCH = re.compile(r"(?<!担)多少(?!比例)|几万|金额|(怎么|如何|咋)(奖|补|给钱)|有(啥|什么|哪些)(补贴|补助|奖励|奖补|资助|钱)|(补贴|补助|奖励|奖补)(有哪些|有啥|有什么)")


@dataclass(frozen=True)
class Focus:
    kind: str  # award | topic | document | all
    entries: tuple[str, ...] = ()
    label: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "entries": list(self.entries), **({"label": self.label} if self.label else {})}

    @classmethod
    def from_json(cls, d: Any) -> "Focus | None":
        if not isinstance(d, dict) or d.get("kind") not in ("award", "topic", "document", "all"):
            return None
        return cls(d["kind"], tuple(d.get("entries") or ()), d.get("label"))


EVERYTHING = Focus("all")


#: "平台建设方面有哪些支持措施", "人才方面都有什么政策": the whole topic, not its best match
_WHOLE_TOPIC = re.compile(r"方面|这块|这一块|(都|还)?有(哪些|什么|啥)(资金|财政|政策)?(支持|政策|措施|扶持|奖补|优惠|奖励|补贴|补助|资助)")
#: "…方面", "贷款融资这块": an area named, so all of it
_AREA = re.compile(r"方面|这块|这一块")


def choose(questions, text: str, topic_ids: list[str], region: str | None, everything: bool | None = None,
           cleaned: bool = False, said: dict[str, Any] | None = None) -> Focus | None:
    """The focus a question sets: the awards it names (by topic and by the words of the
    question, huiqi.questions' ranking), a document for a document's topic, or None when it
    names no award (the caller then decides: "我们能拿什么" is everything)."""
    from .nlu import asks_everything, clean
    if asks_everything(text) if everything is None else everything:
        return None
    t = text if cleaned else clean(text)  # (cleaned: the question as the NLU read it, huiqi_signals["question"])
    label = "、".join(questions.topics[tid]["label"] for tid in topic_ids if tid in questions.topics) or None
    for tid in topic_ids:
        docs = (questions.topics.get(tid) or {}).get("documents")
        if docs and len(topic_ids) == 1:
            doc = questions.cat.documents[docs[0]]
            return Focus("document", tuple(e.id for e in questions.cat.entries if e.document is doc and e.pays_money),
                         doc.short)
    ranked = questions.ranked(t, topic_ids, region if region in ("linqing", "qinghai") else None)
    if not ranked:
        return None
    kept = _select(ranked, t, topic_ids)
    if said and kept is not None:
        # the case first (what the question says, "刚评上聊城市级工程研究中心", and what is known of the
        # company already), beside what its words name; an award the case rules out ("不是做轴承的") dropped
        case, lowered = _by_the_case(questions, ranked, said)
        first = _select(case, t, topic_ids) or []
        both = list({e.id: e for e in first + kept}.values())
        kept = [e for e in both if e.id not in lowered][:TOPIC_MAX] or kept
    if kept is None:
        return None
    if len(kept) > 2:  # a list for an owner: not the government's own arrangements (科技援青协作), unless only those
        kept = [e for e in kept if e.support != "governance"] or kept
    kind = "award" if len(kept) <= 2 else "topic"
    return Focus(kind, tuple(e.id for e in kept), label or kept[0].title)


def _select(ranked, t: str, topic_ids: list[str]) -> list[Entry] | None:
    """The awards a question names, from its ranking: the best matched and those nearly as well,
    all of a topic asked broadly; None when it names none well enough (and no topic)."""
    money = [(s, e) for s, e in ranked if e.pays_money]
    pool = money or ranked
    if money and money[0][0] >= AWARD_SCORE and not _HOW_MUCH.search(t):
        # "科技贷款有啥支持 风险补偿 贴息这些": a measure paying no set money that the question names
        # as well as a money award it names well (the bank's risk share beside 贴息)
        pool = money + [(s, e) for s, e in ranked if not e.pays_money and s >= money[0][0] * NAMED_TOO]
    best = max(ranked, key=lambda x: x[0])  # (ranked puts money first when the question names money)
    if money and not best[1].pays_money and best[0] >= money[0][0] * OUTRANKS and not _HOW_MUCH.search(t):
        pool = sorted(ranked, key=lambda x: -x[0])  # "贷款坏账风险补偿怎么分担", "现金奖励个税有什么优惠":
        # what is asked about pays no money
    top = pool[0][0]
    if not topic_ids and top < AWARD_SCORE:
        return None
    kept = [e for s, e in pool if s >= top * FOCUS_SHARE][:FOCUS_MAX]
    broad = bool(topic_ids and _WHOLE_TOPIC.search(t))  # "…有什么支持", "…方面有哪些措施"
    if broad and (_AREA.search(t) or len(kept) > 2 or top < AWARD_SCORE or len(topic_ids) > 1):
        # "平台建设方面有哪些支持措施", "临清对技术转移有什么支持", "人才有啥补贴", "平台、新型研发机构有什么
        # 资金支持" (two topics): the topics' awards, all of them (not "科技副总有什么补贴": one or two
        # awards named, and named well)
        kept = [e for s, e in pool][:TOPIC_MAX]
    elif topic_ids and len(kept) > 2:  # a topic, not one award: all its awards the question matches
        kept = [e for s, e in pool if s >= top * FOCUS_SHARE][:TOPIC_MAX]
    return kept


#: how much the case (a fact said or known that an award's condition uses and meets) lifts
#: that award's match: "刚评上聊城市级工程研究中心 临清给啥奖励" is the 聊城市级 platform award, above
#: an award whose text shares more words with the question but not its case
CASE_LIFT = 3.0


def _by_the_case(questions, ranked, said: dict[str, Any]) -> tuple[list, set[str]]:
    """(`ranked` with the awards whose conditions use a fact of the case (said now or known before;
    not where, what kind of unit) and are not ruled out by it lifted (CASE_LIFT), the ids of those
    it rules out)."""
    told = {f for f, v in said.items() if f not in ("region", "entity_type") and v not in (None, "")}
    if not told:
        return ranked, set()
    out, lowered = [], set()
    for s, e in ranked:
        uses = e.condition.facts() & told
        if uses:
            r = questions.engine.judge(e, said, dt.date.today())
            if r.verdict in (NOT_ELIGIBLE, NOT_APPLICABLE) and any(f.kind == "failed" and f.fact in told for f in r.findings):
                lowered.add(e.id)
                s = s / CASE_LIFT
            elif not any(f.kind == "unsettled" and f.fact in told for f in r.findings):
                s = s * CASE_LIFT  # (a case the text leaves open, "新认定" of a re-certification, lifts nothing)
        out.append((s, e))
    if out == ranked:
        return ranked, lowered
    grouped = [e.pays_money for _, e in ranked] == sorted((e.pays_money for _, e in ranked), reverse=True)
    return sorted(out, key=lambda x: (not x[1].pays_money if grouped else False, -x[0])), lowered  # (money first, kept)


def _fails_on(engine: Engine, e: Entry, facts: dict[str, Any], case: set[str], as_of: dt.date) -> bool:
    r = _for_the_person(engine, engine.judge(e, facts, as_of), facts, as_of)  # (as the focus's answer judges it)
    return r.verdict == NOT_ELIGIBLE and any(f.kind == "failed" and f.fact in case for f in r.findings)


def moved_by_case(engine: Engine, focus: Focus, facts: dict[str, Any], case: dict[str, Any],
                  as_of: dt.date) -> Focus | None:
    """A follow-up's case that awards in focus fail ("国家级的呢" after the 省级 platform award,
    "博士呢" after the 硕士 housing award) asks the awards beside those for it: the awards of
    the same document that require the value said where those require another, and that the case
    does not rule out, the same measure's first, else those sharing a topic, in place of those it
    fails (awards in focus whose conditions do not use the case, or that it fits, stay). None when
    it fails none of them, or none beside them does."""
    told = {f for f in case if f in facts}
    # the awards in focus the case fails (others, and those it does not concern, stay as they are)
    entries = [e for e in _entries(engine, focus) if e.condition.facts() & told and _fails_on(engine, e, facts, told, as_of)]
    if not told or not entries or focus.kind == "all":
        return None
    ids = {e.id for e in entries}
    # an award beside them: one that requires another value of the case's facts, the value said
    # (青海（八）'s 博士 beside its 硕士), not one that merely allows it (再奖励 小巨人 beside 新认定高企)
    asked = {f: {case[f]} for f in told if isinstance(case[f], str)}
    if set(asked) != told:
        return None
    held = [_required(x.condition) for x in entries]

    def beside(e: Entry) -> bool:
        need = _required(e.condition)
        return all(f in need and asked[f] <= need[f] and all(f in h and not h[f] & need[f] for h in held) for f in told)
    near = [e for e in engine.cat.entries if e.id not in ids and e.pays_money
            and any(e.document is x.document for x in entries) and beside(e)
            and not _fails_on(engine, e, facts, told, as_of)]
    same = [e for e in near if any(e.document is x.document and e.measure == x.measure for x in entries)]
    topics = {t for x in entries for t in x.topics}
    kept = same or [e for e in near if set(e.topics) & topics]
    kept = [e.id for e in kept] + [i for i in focus.entries if i not in ids]
    if len(kept) == len(focus.entries) - len(ids) or len(kept) > TOPIC_MAX:
        return None
    return Focus("award" if len(kept) <= 2 else "topic", tuple(kept), focus.label)


# -- which facts decide the focus ---------------------------------------------------------------
def _entries(engine: Engine, focus: Focus) -> list[Entry]:
    if focus.kind == "all":
        return [e for e in engine.cat.entries if e.pays_money]
    by_id = engine.cat.by_id
    return [by_id[i] for i in focus.entries if i in by_id]


def entries_of(engine: Engine, focus: Focus) -> list[Entry]:
    """The rule-table entries a focus is about (every money award for `all`)."""
    return _entries(engine, focus)


@memo.per_engine  # (huiqi/memo.py)
def _worth(engine: Engine) -> int:
    """What an amount without an upper figure counts for: the largest upper figure in the tables
    (an open-ended award may be worth as much as the largest fixed one)."""
    return max((e.amount.compute({}).ceiling or 0) for e in engine.cat.entries if e.pays_money)


@memo.per_engine
def _uses(engine: Engine) -> dict[str, int]:
    """How many money entries each fact decides (their conditions or amounts)."""
    from collections import Counter
    return Counter(f for e in engine.cat.entries if e.pays_money for f in e.condition.facts() | e.amount.facts())


def _told(facts: dict[str, Any], implied) -> set[str]:
    """The facts the company told about itself beyond where it is and what kind of unit (those
    are every award's) and what the others imply."""
    return {f for f in facts if f not in ("region", "entity_type") and f not in implied}


#: a fact that decides at most this many money awards singles them out ("今年首次入库科小")
RARE_FACT = 5


def singled_out(engine: Engine, facts: dict[str, Any], as_of: dt.date, most: int = 2) -> list[str]:
    """The awards a company's own facts point at, each as "title（figure，status）": those whose
    figure a fact it told sets (the 科小 or 高企 tier), or with a condition few awards share (not
    规上), not ruled out. For
    "我们…第一次认定科小，能拿多少" before the questions: the figure the asker has in mind."""
    out = []
    for r in _singled(engine, facts, as_of)[:most]:
        tag = doc_tag(r.entry.document, as_of)
        out.append(f"{short_title(r.entry)}（{_amount(r)}{'，' + tag if tag else ''}）")
    return out


def singled_focus(engine: Engine, facts: dict[str, Any], as_of: dt.date, most: int = 2) -> Focus | None:
    """singled_out's awards as a focus ("加起来多少" after them), or None when there are not two to add."""
    ids = tuple(r.entry.id for r in _singled(engine, facts, as_of)[:most])
    return Focus("award", ids) if len(ids) >= 2 else None


def _singled(engine: Engine, facts: dict[str, Any], as_of: dt.date) -> list[EntryResult]:
    """singled_out's awards, those paid under a text in force first."""
    from .dialogue import implied_facts
    implied = implied_facts(engine, facts)
    uses = _uses(engine)
    told = {f for f in _told(facts, implied) if facts[f] not in (False, 0, "none")}  # ("不是高企" points at nothing)
    rare = {f for f in told if 0 < uses[f] <= RARE_FACT}
    full = {**facts, **implied}
    out = []
    for e in engine.cat.entries:  # a told fact that sets its figure (the tier), or a rare condition
        if not e.pays_money or not (e.amount.facts() & told or e.condition.facts() & rare):
            continue
        r = engine.judge(e, full, as_of)
        if r.verdict in (ELIGIBLE, NEED_INFO):
            out.append(r)
    return sorted(out, key=lambda r: not r.in_force)


def deciding(engine: Engine, focus: Focus, facts: dict[str, Any], skipped: Iterable[str] = (),
             as_of: dt.date | None = None) -> list[str]:
    """The facts still to ask for the focus, the one with the most money at stake first.

    A fact is at stake for an award in focus that is undecided and needs it (or that is
    eligible and needs it for its amount), when every fact that award still needs can be asked
    (otherwise asking would decide nothing). Its stake is the sum, over those awards, of the
    most each can pay with the facts known (an amount without an upper figure counts as the
    largest upper figure in the tables). Money under a text in force on the day is counted
    first: a fact deciding payable money comes before one deciding only what a draft or an
    expired trial would pay. Ties: the fact deciding more awards, then the vocabulary's asking
    order. For `all`, only facts the form asks (`ask` below FORM_ASK_LIMIT), and the facts that
    open a cap on a document's total."""
    from .dialogue import implied_facts
    vocab = engine.vocab
    skipped = set(skipped)
    as_of = as_of or dt.date.today()
    facts = {**facts, **implied_facts(engine, facts)}
    limit = FORM_ASK_LIMIT if focus.kind == "all" else 10 ** 6
    if focus.kind == "all" and "region" in skipped and "region" not in facts:
        return []  # with no place, every document's questions would follow

    def askable(f: str) -> bool:
        fact = vocab[f]
        return f not in skipped and fact.ask is not None and fact.ask < limit and f not in facts

    stake: dict[str, int] = {}
    payable: dict[str, int] = {}  # the part of the stake under texts in force
    count: dict[str, int] = {}
    unbounded = None
    for e in _entries(engine, focus):
        r = engine.judge(e, facts, as_of)
        if r.verdict == NEED_INFO:
            missing = r.missing
            if not (any(askable(f) for f in missing) and all(askable(f) or f in skipped for f in missing)):
                continue
            wanted = [f for f in missing if askable(f)]
        elif r.verdict == ELIGIBLE and r.amount is not None:
            wanted = [f for f in r.amount.missing if askable(f)]
        else:
            continue
        if not wanted:
            continue
        ceiling = r.amount.ceiling if r.amount is not None else None
        if ceiling is None:
            unbounded = unbounded if unbounded is not None else _worth(engine)
            ceiling = unbounded if (r.amount is None or r.amount.kind not in ("none",)) else 0
        for f in wanted:
            stake[f] = stake.get(f, 0) + ceiling
            payable[f] = payable.get(f, 0) + (ceiling if r.in_force else 0)
            count[f] = count.get(f, 0) + 1
    if focus.kind == "all":
        for dr in engine.match(facts, as_of).documents:
            for c in dr.caps:
                if c.applied:
                    for f in c.missing:
                        if askable(f):
                            stake.setdefault(f, 0)
                            count[f] = count.get(f, 0) + 1
    # where and who come first: every award depends on them
    first = [f for f in ("region", "entity_type") if f in stake]
    rest = sorted((f for f in stake if f not in first),
                  key=lambda f: (-payable.get(f, 0), -stake[f], -count[f], vocab[f].ask))
    return first + rest


def stakes(engine: Engine, focus: Focus, facts: dict[str, Any], as_of: dt.date | None = None) -> dict[str, int]:
    """Each deciding fact's stake (for tests and the structured answer)."""
    order = deciding(engine, focus, facts, (), as_of)
    return {f: i for i, f in enumerate(order)}


# -- the short answer -----------------------------------------------------------------------------
def doc_tag(doc, as_of: dt.date) -> str:
    """A document's (or an entry's) status in a word or two, as the engine reads it: 征求意见稿,
    已过期, 尚未生效, 试行; "" when simply in force."""
    tag = STATUS_TAGS[status_of(doc, as_of)]
    d = getattr(doc, "document", doc)
    return tag or ("试行" if d.status == "trial" else "")


def doc_status(doc, as_of: dt.date) -> str:
    """`status` of docs/answers.md (in_force, draft, expired, not_yet): the engine's reading."""
    return status_of(doc, as_of)


def certainty(amount) -> str:
    """`certainty` of docs/answers.md: the amount's own (huiqi.amounts.Amount.answer_certainty)."""
    return (amount.answer_certainty if amount is not None else None) or "depends"


def mark(r: EntryResult) -> str:
    """✅ only for an award paid under a text in force on the day asked; ○ for one whose
    conditions hold under a draft or an expired trial (never counted as sure money)."""
    if r.verdict == ELIGIBLE:
        return "✅" if r.in_force else "○"
    return {NOT_ELIGIBLE: "❌"}.get(r.verdict, "·")


@dataclass
class Reply:
    text: str
    detail: str
    awards: list[dict] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # documents whose caveats were said in full
    state: dict = field(default_factory=dict)  # entry → [verdict, amount text]: for "what changed"
    questions: list[str] = field(default_factory=list)  # facts still deciding the focus


def short_title(e: Entry) -> str:
    """An award's title without an amount in brackets ("…奖励（每件500元）" → "…奖励")."""
    return re.sub(r"（[^）]*\d[^）]*元[^）]*）$", "", e.title)


def _amount(r: EntryResult) -> str:
    e = r.entry
    if not e.pays_money:  # what the measure does, where the table says it in words (a bank's risk share)
        said = (r.amount or e.amount.compute({})).text if e.amount.kind == "none" else ""
        if said and said != "非资金支持":
            return said  # the shares the text sets (who bears a loss), worked out on the loss where it is known
        context = next((n.text for n in e.notes if n.kind == "context"), None) if e.amount.kind == "none" else None
        return context or SUPPORT[e.support] + _unset(e)
    from .questions import amount_text
    if e.amount.kind == "case_by_case":  # "一事一议": by whom, where the table says (须经市人才工作领导小组评议)
        selective = next((n.text for n in e.notes if n.kind == "selective"), None)
        if selective:
            return selective.rstrip("。")
    if r.amount is not None and r.amount.kind == "by_fact" and r.amount.high is None and r.amount.exact is None:
        return r.amount.text  # a tier the text gives no figure: "原文只规定大型…、小型企业3万元，未规定微型企业的金额"
    if r.amount is not None and r.amount.computation:
        cap = re.search(r"(每年|年度|单户|每户|每家)?最高(不超过)?[\d.]+(万|亿)?元", amount_text(e))
        shown = _how_much(r)
        return shown + (f"（{cap.group()}）" if cap and cap.group() not in shown else "")
    return amount_text(e)


_UNSET = re.compile(r"未(规定|列明|明确)[^，；。]*")


def _unset(e: Entry) -> str:
    """What a measure paying no set money leaves open, where a note says so ("，原文未规定补偿比例
    和条件"): a topic line then says it rather than only the kind of support."""
    for n in e.notes:
        m = _UNSET.search(n.text) if n.kind == "silent" else None
        if m:
            return "，原文" + m.group()
    return ""


def _for_the_person(engine: Engine, r: EntryResult, facts: dict, as_of: dt.date) -> EntryResult:
    """An award paid only to individuals, judged for the person a unit asks about (same facts, the
    person as the one who gets it), where that is what kept it from the unit; else as it was."""
    e = r.entry
    if r.verdict != NOT_APPLICABLE or set(e.beneficiary) != {"individual"}:
        return r
    person = engine.judge(e, {**facts, "entity_type": "individual"}, as_of)
    return person if person.verdict != NOT_APPLICABLE else r


def _failed(r: EntryResult, vocab) -> str:
    f = next((f for f in r.findings if f.kind == "failed"), None)
    if f is None:
        return "条件不符"
    if f.actual is not None and f.fact in vocab and vocab[f.fact].type in ("enum", "bool") and f.fact not in ("region", "entity_type"):
        return fact_text(vocab[f.fact], f.actual)
    return f.text


def _caveat_lines(docs, as_of, said: set[str]) -> tuple[list[str], list[str], list[str]]:
    """(lines for the text, caveats in full, documents said in full now). Once per conversation
    in full: the status, and a date conflict; afterwards a short tag in the award's line."""
    parts, full, now = [], [], []
    for d in docs:
        texts = [f"《{d.short}》{status_line(d, as_of)}"] + [n.text for n in d.caveats if n.kind == "date_conflict"]
        full += texts
        if d.id in said:
            continue
        now.append(d.id)
        if doc_tag(d, as_of):
            conflict = any(n.kind == "date_conflict" for n in d.caveats)
            parts.append(f"《{re.sub(r'（.*?）', '', d.short)}》{status_line(d, as_of)}" + ("（落款日期前后不一致，见“详细”）" if conflict else ""))
    return (["注意：" + "；".join(parts) + "。"] if parts else []), full, now


def asked_line(entries: Iterable[Entry], asked: str, shown: dict[str, str] | None = None) -> str:
    """A follow-up about a detail of the awards in focus (huiqi.nlu.cues.ASPECTS): the table's note
    on it, or else the sentence of their text that gives it, quoted; where none of them gives it,
    that their text does not say, and whom to ask; "" when no detail is asked, or when the answer's
    own line for that award says it already (`shown`: entry id → its amount text)."""
    if not asked:
        return ""
    entries = list(entries)
    for question, sentence, what in ASPECTS:
        if not question.search(asked):
            continue
        for e in entries:
            if shown and sentence.search(shown.get(e.id, "")):
                return ""  # ("各方分别承担多少": the shares are the award's own line)
            said = [x for q in ([e.quote] if isinstance(e.quote, str) else e.quote)
                    for x in re.split(r"(?<=[。；;])", str(q)) if x.strip()]
            hit = next((x for x in said if sentence.search(x)), None)
            notes = [n.text for n in e.notes if sentence.search(n.text)]
            if notes:  # the table's words on it (the text's own one word away: "详细")
                return f"关于所问（{short_title(e)}）：" + "".join(n.rstrip("。") + "。" for n in notes[:2])
            if hit:
                return f"关于所问（{short_title(e)}）：原文：“{hit.strip()}”"
        money = [e for e in entries if e.pays_money][:2]
        if money and what:  # "这10万是省里出还是市州出" of 青海（一）: the text does not say
            return (f"关于所问（{what}）：{'、'.join(short_title(e) for e in money)}的原文未写明，"
                    f"请向{lead_department(money)}确认。")
    return ""


def _whom(e: Entry, vocab) -> str:
    """Whom an award is paid to, as the table says it ("我省采购方…", "个人（人才）本人")."""
    kinds = "、".join(vocab["entity_type"].title(b) for b in sorted(e.beneficiary))
    if set(e.beneficiary) == {"individual"}:
        return f"{e.beneficiary_note or '人才'}本人（发给个人，不是给单位）"
    return e.beneficiary_note or kinds


#: "一共能拿多少", "那加起来最多能拿多少": the awards in focus added up
SUM_ASKED = re.compile(r"一共|总共|合计|加起来|加在一起|加一块|共计|总计|总额|累计|就高")


def _required(cond) -> dict[str, set]:
    """The values an entry's condition requires of enum facts, where it requires them of all cases
    (`eq`/`in` leaves under `all`): {fact: {values}}."""
    from .logic import All, Leaf
    out: dict[str, set] = {}
    if isinstance(cond, Leaf) and cond.op in ("eq", "in"):
        out[cond.fact] = set(cond.value if cond.op == "in" else [cond.value])
    elif isinstance(cond, All):
        for c in cond.children:
            for f, v in _required(c).items():
                out[f] = out.get(f, v) & v
    return out


def _either(a: Entry, b: Entry) -> bool:
    """Two awards one case cannot both meet: they require different values of one fact."""
    ra, rb = _required(a.condition), _required(b.condition)
    return any(not (ra[f] & rb[f]) for f in ra.keys() & rb.keys())


def _sum_line(results: list[EntryResult], facts: dict) -> str:
    """The awards in focus added up, where a sum was asked: one yearly award over its longest
    term ("每年200万元、最长5年" → 1000万元); several awards with their figures known, each paid
    (and, where the document's 就高不重复 binds them, the highest alone: the text leaves it open)."""
    paying = [r for r in results if r.entry.pays_money and r.verdict not in (NOT_ELIGIBLE, NOT_APPLICABLE)
              and r.amount and r.amount.ceiling]
    if len(paying) == 2 and _either(paying[0].entry, paying[1].entry):
        # "国家级 50万 / 省级 10万": one incubator has one level, so one or the other
        return f"合计：{short_title(paying[0].entry)}与{short_title(paying[1].entry)}的条件不同（如级别），一家只能符合其一，不能相加。"
    if len(paying) > 2 and any(_either(a.entry, b.entry) for a in paying for b in paying if a is not b):
        return ""
    if len(paying) == 1:
        a = paying[0].amount
        if a.per == "yearly" and a.years:
            return f"合计：按每年{yuan(a.ceiling)}、最长{a.years}年计，最多{yuan(a.ceiling * a.years)}。"
        return ""
    if len(paying) < 2 or len({r.entry.document.id for r in paying}) > 1:
        return ""
    exact = all(r.amount.exact is not None for r in paying)
    each = sum(r.amount.ceiling for r in paying)
    line = f"合计：{'' if exact else '最多'}{yuan(each)}"
    etype = facts.get("entity_type")
    doc = paying[0].entry.document
    group = next((g for g in doc.stacking if g.rule == "highest_only"
                  and sum(g.binds(r.entry, etype) for r in paying) >= 2), None)
    if group is not None:
        top = max(r.amount.ceiling for r in paying)
        line = (f"合计：各项分别享受为{'' if exact else '最多'}{yuan(each)}；若按“就高不重复”同一年度只取最高一项，"
                f"则为{yuan(top)}（原文未明确，请向{group.ask or lead_department([r.entry for r in paying])}确认）")
    return line + "。"


def bases_said(vocab, entries: list[Entry], sums: list, said: dict[str, Any], strict: bool = False) -> dict[str, Any]:
    """A sum said with a question about awards each reckoned from one sum (成交金额, 保费…) that no
    phrase of the message named: {base fact: that sum}, or {} when it is not so clear. `sums`: the
    sums the message says; `said`: the facts it names. `strict`: the awards are not ranked, so
    sums of different kinds among them are unclear too (not the first award's)."""
    def money_bases(es):
        return {fid for e in es for fid in e.amount.reckoned_from() if fid in vocab.facts and vocab[fid].type == "money"}
    used = money_bases(entries)
    # several awards reckoned from sums rules/facts.yml says one figure may be ("聊城给了80万 临清配套多少":
    # 第1条's 项目资金 and 奖励标准6's 上级资助, same_sum_as): each works it out; otherwise the best-matched
    # award's own (not a 技术合同额 spread to 科技副总's costs)
    each = len(used) > 1 and all(b == a or b in vocab[a].same_sum_as or a in vocab[b].same_sum_as
                                 for a in used for b in used)
    if strict and len(used) > 1 and not each:
        return {}
    bases = used if each or len(used) <= 1 else money_bases(entries[:1])
    sums = list(dict.fromkeys(sums))
    # a sum read as another award's base ("聊城市财政给了16万配套补助" read for 第1条's 聊城 support, asked
    # of 第8条's 配套补助; "技术交易额2400万" read as a 技术合同额, asked of a platform): this one's all the same
    sums += [v for k, v in said.items() if k in vocab.facts and vocab[k].type == "money" and k not in used]
    # one base said by name, the only sum: the others reckoned from the same sum ("聊城给了100万": 第1条's
    # 项目资金 named, 奖励标准6's 上级资助 too)
    named = [v for k, v in said.items() if k in bases]
    if not sums and len(named) == 1 and each:
        sums = named
    open_ = bases - said.keys()
    if not open_ or len(sums) != 1 or not isinstance(sums[0], (int, float)) or (len(bases) > 1 and not each):
        return {}  # (one award with two sums, "研发总投入" and its cap "三年累计缴税总额": which is which, unclear)
    return {b: sums[0] for b in open_}


def cap_lines(engine: Engine, results: list[EntryResult], facts: dict) -> list[str]:
    """The caps on a document's total that cover these awards, worked out where their base is
    known ("较上一年度新增税收形成的地方财力50万元" → 规上 80%: 40万元); none where it is not (the
    answer stays short; "有封顶没" says them in words)."""
    from .vocabulary import exact_facts
    covered = {r.entry.id for r in results if r.entry.pays_money}
    docs = {r.entry.document.id: r.entry.document for r in results}.values()
    return ["合计上限：" + engine.cap_result(c, facts).text for d in docs for c in d.total_caps
            if c.applies_to & covered and exact_facts(facts).get(c.base) is not None]


def answer(engine: Engine, focus: Focus, facts: dict[str, Any], as_of: dt.date,
           said: Iterable[str] = (), skipped: Iterable[str] = (), asked: str = "") -> Reply:
    """The answer to a focus, narrowed by the facts known: for an award or a topic, each award's
    amount (computed where the facts allow), whether this company gets it, what is still to be
    checked and the department; for everything, the awards it gets ranked by amount and the
    totals. Short: the quotes, failed conditions and what would unlock more are in `detail`."""
    from .dialogue import implied_facts
    implied = implied_facts(engine, facts)
    facts = {**facts, **implied}
    if focus.kind == "all":
        return _everything(engine, facts, as_of, set(said), skipped, implied)
    vocab = engine.vocab
    results = [engine.judge(e, facts, as_of) for e in _entries(engine, focus)]
    not_for_you = bool(results) and all(r.verdict == NOT_APPLICABLE for r in results) and facts.get("region") \
        and all(e.document.region != facts["region"] for e in _entries(engine, focus))
    if facts.get("entity_type") not in (None, "individual"):
        # "我们柔性引进的人才…劳动报酬24万元，能发多少": an award paid to the people a unit hired, worked out
        # for them (24万元 × 30%), the unit told it is theirs (for_people below)
        results = [_for_the_person(engine, r, facts, as_of) for r in results]
    # (a measure paying no money stays, whoever it is for: "坏账风险补偿怎么分担" asks how it works)
    results = [r for r in results if r.verdict != NOT_APPLICABLE or not r.entry.pays_money] or results
    docs = list({r.entry.document.id: r.entry.document for r in results}.values())
    caveat_lines, caveats, now = _caveat_lines(docs, as_of, set(said))
    title = focus.label or (results[0].entry.title if results else "")
    head_tag = doc_tag(docs[0], as_of) if focus.kind == "document" and docs else ""
    lines = [f"关于“{title}”" + (f"（{head_tag}）" if head_tag and head_tag not in title else "") + "，文件规定："
             if len(results) > 1 or focus.kind != "award" else "文件规定："]
    if not_for_you:  # "我们苏州的高企能拿啥": first that the documents are not for this company
        places = "、".join(dict.fromkeys(vocab["region"].title(d.region) for d in docs))
        lines.insert(0, f"这些规定只适用于{places}的单位，不适用于贵单位（{vocab['region'].title(facts['region'])}）；"
                        "请咨询当地主管部门的政策。")
    awards = []
    detail = []
    if focus.kind in ("document", "topic"):  # several awards: the largest known figures first, those ruled out last
        # (a measure paying no money that the question matches best stays first: "个税有什么优惠")
        lead = results[:1] if focus.kind == "topic" and results and not results[0].entry.pays_money else []
        results = lead + sorted(results[len(lead):], key=lambda r: (
            {ELIGIBLE: 0, NOT_ELIGIBLE: 2}.get(r.verdict, 1),
            -((r.amount.ceiling if r.amount else None) or r.entry.amount.compute({}).ceiling or 0)))
    def where(e, in_force):
        tag = doc_tag(e.document, as_of)
        name = re.sub(r"（.*?）", "", e.document.short)
        return measure_label(e) if focus.kind == "document" else (  # the document and its status are said once
            f"{name}·{measure_label(e)}" + (f"，{tag}" if tag and (e.document.id in said or not in_force) else ""))
    shown = []
    for group in _tiers(results) if focus.kind in ("document", "topic") else [[r] for r in results]:
        r = group[0]
        if len(group) > 1:  # one measure's tiers on one line: "研究生安家费：博士一次性40万元、硕士一次性10万元"
            head, heads = _common_tail([short_title(g.entry) for g in group])
            line = f"{mark(r)} {head}：" + "、".join(f"{h}{_amount(g)}" for h, g in zip(heads, group)) + \
                f"（{where(r.entry, r.in_force)}）"
        else:
            line = f"{mark(r)} {short_title(r.entry)}：{_amount(r)}（{where(r.entry, r.in_force)}）"
            if r.verdict == NOT_ELIGIBLE:
                line += f"\n   不符合：{_failed(r, vocab)}"
        shown.append((line, len(group)))
    room = _SHOWN + 1 if len(shown) == _SHOWN + 1 else _SHOWN  # (the last one, rather than "另有1项")
    for i, (line, n) in enumerate(shown):
        if i < room:  # a phone screen: the rest are one word away ("详细") and in the cards
            lines.append(line)
        elif i == room:
            lines.append(f"另有{sum(k for _, k in shown[room:])}项（说“详细”查看）")
    for r in results:
        e = r.entry
        awards.append(card(r, vocab, as_of))
        detail += [f"【{e.title}】{e.document.short}·{measure_label(e)}（{status_line(e.document, as_of)}）",
                   f"原文：“{quote_text(e.quote)}”", f"金额：{_amount(r)}"]
        if r.verdict == NOT_ELIGIBLE:
            detail += [f"未满足：{f.text}" + (f"　原文：“{quote_text(f.quote)}”" if f.quote else "")
                       for f in r.findings if f.kind == "failed"]
        elif r.verdict == NEED_INFO and r.missing:
            detail.append("还要看：" + "、".join(short_label(vocab[f]) for f in r.missing))
        detail.append(contact_text(e))
    lines += cap_lines(engine, results, facts)
    detail_asked = asked_line([r.entry for r in results], asked,
                              {r.entry.id: _amount(r) for r in results if not r.entry.pays_money})
    if detail_asked:  # "明年再评上A类还能再拿吗": the sentence that answers it, first
        lines.insert(0, detail_asked)
    whom = [f"{short_title(r.entry)}——{_whom(r.entry, vocab)}" for r in results[:_SHOWN] if r.entry.pays_money] \
        if WHO_GETS.search(asked) else []
    if whom:  # "钱是给公司还是给他本人", "补给谁": whom the text pays
        lines.append("发给谁：" + "；".join(whom) + "（据原文）")
    if SUM_ASKED.search(asked):
        total = _sum_line(results, facts)
        if total:
            lines.append(total)
    pending = [r for r in results if r.verdict == NEED_INFO]
    # a case the text leaves open ("高企连续认定" of 青海's "新认定"): said so, and whom to ask
    open_ = list(dict.fromkeys(f"{short_title(r.entry)}：{f.note}" for r in pending[:_SHOWN] for f in r.findings
                               if f.kind == "unsettled" and f.note))
    lines += [f"⚠ {x}" for x in open_[:2]]
    need = list(dict.fromkeys(f for r in pending for f in r.missing if f not in ("region", "entity_type")))
    if need:
        lines.append("是否能拿，还要看：" + "、".join(short_label(vocab[f]) for f in need[:3]) + ("等" if len(need) > 3 else ""))
    paying = [r for r in results if r.entry.pays_money] or results
    deps = {(r.entry.departments.lead, r.entry.departments.co): r.entry.departments for r in paying}
    if len(deps) == 1:  # one set of departments: all of them, as the table names them
        d = next(iter(deps.values()))
        lines.append("联系：牵头：" + "、".join(d.lead) + ("；配合：" + "、".join(d.co) if d.co else "")
                     + ("（原文未写明，按文件推定）" if d.inferred else ""))
    else:
        contact = contact_line(paying)
        if contact:
            lines.append(contact)
    people = for_people(engine, facts, [r.entry.id for r in results])
    if people and people not in "\n".join(lines):
        lines.append(people)
    elif not people and facts.get("entity_type") not in (None, "individual"):  # a unit told of the talent's own awards
        persons = [r for r in results[:_SHOWN] if r.entry.pays_money and set(r.entry.beneficiary) == {"individual"}]
        if persons:
            lines.append(("以上奖励" if len(persons) == len(results) else "其中人才类奖励") + "发给个人本人（不是给单位）。")
    lines += caveat_lines
    detail += caveats
    questions = deciding(engine, focus, facts, skipped, as_of)
    return Reply("\n".join(lines), "\n".join(detail), awards, caveats, now, full_state(engine, facts, as_of), questions)


#: Awards listed in a first answer; the others are counted, and shown on "详细".
_SHOWN = 4


def _tiers(results: list[EntryResult]) -> list[list[EntryResult]]:
    """Results in order, one measure's awards of fixed amounts and the same verdict together where
    their titles end alike (国家级/省级/聊城市级…平台认定奖励, 博士/硕士研究生安家费), at the
    place of the first."""
    groups: dict[tuple, list[EntryResult]] = {}
    for r in results:
        e = r.entry
        fixed = e.pays_money and r.verdict != NOT_ELIGIBLE and not (r.amount is not None and r.amount.computation) \
            and len(_amount(r)) <= 16
        groups.setdefault((e.document.id, e.measure, r.verdict, short_title(e)[-4:]) if fixed else (e.id,), []).append(r)
    out = []
    for g in groups.values():
        if len(g) > 1 and len(_common_tail([short_title(r.entry) for r in g])[0]) < 4:
            out += [[r] for r in g]
        else:
            out.append(g)
    return out


def _common_tail(titles: list[str]) -> tuple[str, list[str]]:
    """The words titles end with, and what each says before them ("国家级技术创新平台认定奖励",
    "聊城市级平台认定奖励" → "平台认定奖励", ["国家级技术创新", "聊城市级"])."""
    n = 0
    while all(len(t) > n for t in titles) and len({t[-1 - n] for t in titles}) == 1:
        n += 1
    while n and (titles[0][len(titles[0]) - n] in "级的、" or min(len(t) for t in titles) - n < 2):
        n -= 1  # a word whole: "国家级｜科技企业孵化器…", "博士｜研究生安家费" (not "博｜士研究生…")
    return (titles[0][len(titles[0]) - n:] if n else ""), [t[:len(t) - n] for t in titles]


def card(r: EntryResult, vocab, as_of: dt.date) -> dict:
    """One `awards` card of docs/answers.md."""
    e = r.entry
    return {"entry": e.id, "title": e.title, "document": e.document.short, "measure": measure_label(e),
            "verdict": r.verdict, "status": doc_status(e.document, as_of),
            "amount": _amount(r), "certainty": certainty(r.amount) if e.pays_money else "depends",
            "department": e.departments.text(), "quote": quote_text(e.quote)}


def _everything(engine: Engine, facts: dict, as_of: dt.date, said: set[str], skipped, implied=()) -> Reply:
    from .answers import _no_brief
    from .questions import amount_text
    vocab = engine.vocab
    m = engine.match(facts, as_of)
    from .answers import profile_summary
    head = "根据您提供的情况（" + profile_summary(facts, vocab, implied=set(implied)) + "），结果如下：" if facts else ""
    full = "\n".join(([head] if head else []) + eligibility_messages(m, vocab))
    if not m.documents:
        return Reply(eligibility_messages(m, vocab)[0], full, questions=[], state=full_state(engine, facts, as_of))
    ok = sorted((r for r in m.results if r.verdict == ELIGIBLE and r.entry.pays_money),
                key=lambda r: -(r.amount.ranking if r.amount else 0))
    need = [r for r in m.results if r.verdict == NEED_INFO and r.entry.pays_money]
    no = [r for r in m.results if r.verdict == NOT_ELIGIBLE and r.entry.pays_money]
    docs = [dr.document for dr in m.documents]
    caveat_lines, caveats, now = _caveat_lines(docs, as_of, said)
    lines = []
    now_ok = [r for r in ok if r.in_force]
    other_ok = [r for r in ok if not r.in_force]  # conditions met under a draft or an expired trial
    if now_ok:
        lines.append(f"按目前信息，可拿{len(now_ok)}项：")
    elif other_ok:
        lines.append("按目前信息，现行有效的文件中还没有确定能拿的资金奖补。")
    if other_ok:
        kinds = "、".join(dict.fromkeys(TOTAL_LABELS[r.status] for r in other_ok))
        lines.append(f"{kinds}，符合条件的{len(other_ok)}项（不计入确定可得）：" if now_ok else f"{kinds}，符合条件的有{len(other_ok)}项：")
    for r in (now_ok + other_ok)[:4]:
        tag = doc_tag(r.entry.document, as_of)
        lines.append(f"{mark(r)} {short_title(r.entry)}：{_amount(r)}（{measure_label(r.entry)}" + (f"，{tag}）" if tag else "）"))
    if len(ok) > 4:
        lines.append(f"另有{len(ok) - 4}项（说“详细”查看）")
    if ok:
        for dr in m.documents:
            t = _total(dr, engine.vocab)
            if t:
                lines.append(t)
        lines.append(contact_line(ok))
    else:
        lines.append("按目前信息，还没有确定能拿的资金奖补。")
    if no:
        lines.append(_no_line(no, vocab))
    questions = deciding(engine, EVERYTHING, facts, skipped, as_of)

    def own(r):
        return [f for f in r.missing if f not in ("region", "entity_type")]

    def tagged(r, said_text):  # a text not in force says so on the line itself, every time
        tag = "" if r.in_force else doc_tag(r.entry, as_of)
        return f"{short_title(r.entry)}（{tag + '，' if tag else ''}{said_text}）"

    def waits(r):
        return "、".join(short_label(vocab[f]) for f in own(r)[:2]) + ("等" if len(own(r)) > 2 else "")
    if ok:  # beside what is decided, the awards the company's own words point at, still to check
        pointed = [r for r in _singled(engine, facts, as_of) if r.verdict == NEED_INFO and own(r)][:2]
        if pointed:
            lines.append("与所说情况相关、还要核对的：" + "；".join(
                tagged(r, _amount(r) + "，要看" + waits(r)) for r in pointed))
    else:  # nothing decided yet: the awards one more fact decides (the next questions ask it), largest first
        near = [r for r in need if len(own(r)) == 1 and own(r)[0] in questions]
        worth = _worth(engine)
        told = _told(facts, implied)

        uses = _uses(engine)

        def unrelated(r):  # the awards the company's own facts single out come first (首次认定高企 → 高企奖励):
            # a fact few entries use (the 高企 tier) counts for more than one most use (规上)
            return -sum(1 / uses[f] for f in (r.entry.condition.facts() | r.entry.amount.facts()) & told)
        # payable money first; then what the facts said single out; then the largest
        near.sort(key=lambda r: (not r.in_force, unrelated(r), -(r.entry.amount.compute({}).ceiling or worth)))
        if near:
            lines.append("条件已满足、还差一项信息的：" + "；".join(
                tagged(r, _amount(r) + "，看" + short_label(vocab[own(r)[0]])) for r in near[:3]))
        else:  # still open: the largest awards the questions left can decide, with what they wait on
            open_ = [r for r in need if own(r) and all(f in questions for f in own(r))]
            open_.sort(key=lambda r: (not r.in_force, unrelated(r), -(r.entry.amount.compute({}).ceiling or worth),
                                      len(own(r))))
            if open_:
                lines.append("还可能符合的，如：" + "；".join(tagged(r, _amount(r) + "，要看" + waits(r)) for r in open_[:2]))
            else:  # no more questions ("先看结果"): the awards the company's words point at, and whom to ask
                pointed = [r for r in _singled(engine, facts, as_of) if r.verdict == NEED_INFO][:2]
                if pointed:
                    lines.append("与所说情况相关的：" + "；".join(tagged(r, _amount(r) + "，还要看" + waits(r)) for r in pointed))
                    lines.append(contact_line(pointed))
    if need:
        lines.append(f"另有{len(need)}项还需信息" + (f"，说“继续”再问{len(questions)}个问题" if questions else "") + "。")
    lines.append(for_people(engine, facts))
    lines += caveat_lines
    return Reply("\n".join(l for l in lines if l), full, [card(r, vocab, as_of) for r in ok], caveats, now,
                 full_state(engine, facts, as_of), questions)


def for_people(engine: Engine, facts: dict, shown: Iterable[str] = (), about: Iterable[str] | None = None) -> str:
    """"招了1个博士和2个硕士": a unit that tells facts of the people it hired hears of the awards
    paid to those people themselves (青海（八）安家费), which are not the unit's: one line, or ""."""
    if facts.get("entity_type") in (None, "individual") or facts.get("region") not in ("linqing", "qinghai"):
        return ""
    told = {f for f, v in facts.items() if v not in (None, False, 0, "none") and f not in ("region", "entity_type")}
    if about is not None:  # only the awards these facts bear on (a fact just said)
        told &= set(about)
    es = [e for e in engine.cat.entries if e.pays_money and set(e.beneficiary) == {"individual"}
          and e.document.region == facts["region"] and e.condition.facts() & told]
    if not es:
        return ""
    shown = set(shown)
    if all(e.id in shown for e in es):  # worked out in the answer already: whose money it is
        return "以上奖励发给个人本人（不是给单位）。" if len(es) > 1 else f"{short_title(es[0])}发给个人本人（不是给单位）。"
    es = [e for e in es if e.id not in shown]
    from .questions import amount_text

    def worked_out(e):  # the person's own figure where the facts give it ("省部级" → 20万元)
        a = e.amount.compute(facts)
        return a.text if a.exact is not None else amount_text(e)
    return ("另：发给个人本人（不是给单位）的：" + "；".join(f"{short_title(e)}：{worked_out(e)}" for e in es[:3])
            + f"（{lead_department(es)}）")


def something_decided(engine: Engine, facts: dict, as_of: dt.date) -> bool:
    """Whether some money award is decided (eligible) yet: "everything" gives its first answer
    after a few questions only when it has something to say."""
    from .dialogue import implied_facts
    m = engine.match({**facts, **implied_facts(engine, facts)}, as_of)
    return any(r.verdict == ELIGIBLE and r.entry.pays_money for r in m.results)


def _no_line(no, vocab) -> str:
    """"❌ 不符合：科技型中小企业入库奖励等13项（要求：上一年度亩产效益评价C类以上；贵企业：D类）"."""
    by_reason: dict[str, list] = {}
    for r in no:
        f = next((f for f in r.findings if f.kind == "failed"), None)
        if f is None:
            why = "条件不符"
        else:
            from .answers import condition_text
            actual = f"；贵企业：{vocab[f.fact].title(f.actual)}" if f.actual is not None and f.fact in vocab \
                and f.fact not in ("region", "entity_type") and vocab[f.fact].type != "bool" else ""
            why = f"要求：{condition_text(f.text)}{actual}"
        by_reason.setdefault(why, []).append(short_title(r.entry))
    parts = []
    for why, titles in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))[:2]:
        parts.append("、".join(titles[:1]) + (f"等{len(titles)}项" if len(titles) > 1 else "") + f"（{why}）")
    return "❌ 不符合：" + "；".join(parts)


@memo.per_facts(memo.state_copy)  # asked several times a turn (huiqi/memo.py)
def full_state(engine: Engine, facts: dict, as_of: dt.date) -> dict:
    """Every money award's verdict and amount (or the reason it fails): what "what changed"
    compares, whatever the focus (a new fact may open an award outside it)."""
    vocab = engine.vocab
    m = engine.match(facts, as_of)
    return {r.entry.id: [r.verdict, (_amount(r) + ("" if r.in_force else f"（{doc_tag(r.entry.document, as_of)}）"))
                         if r.verdict != NOT_ELIGIBLE else _failed(r, vocab)]
            for r in m.results if r.entry.pays_money and r.verdict in (ELIGIBLE, NOT_ELIGIBLE, NEED_INFO)}


def contact_line(results) -> str:
    """The lead departments, most frequent first ("联系：牵头：市科技局"); who else takes part is
    in the detail."""
    leads = [r.entry.departments.lead[0] for r in results if r.entry.departments.lead]
    if not leads:
        return ""
    from collections import Counter
    top = [d for d, _ in Counter(leads).most_common(2)]
    return "联系：牵头：" + "、".join(top) + ("等" if len(set(leads)) > 2 else "")


def total_lines(engine: Engine, facts: dict, as_of: dt.date) -> list[str]:
    """Each document's total in one short line (for the reply after a new fact)."""
    from .dialogue import implied_facts
    m = engine.match({**facts, **implied_facts(engine, facts)}, as_of)
    return [t for t in (_total(dr, engine.vocab) for dr in m.documents) if t]


def _total(dr, vocab) -> str:
    """A document's total in one short line: under both readings of 就高不重复 where the text
    leaves it open, before the cap on the total where its base is unknown (huiqi.answers.
    total_lines says it in full, in the detail)."""
    label = "" if dr.status == IN_FORCE else STATUS_TAGS[dr.status] + "，不计入确定可得"
    if dr.status != IN_FORCE:
        dr = dr.if_in_force  # what it would give in force: said as such, never as sure money
    if not (dr.sure_total or dr.upper_total or dr.uncapped_total):
        return ""
    st = dr.stacking
    other = st.readings.get("each_paid") if st is not None else None
    open_base = any(c.applied and c.limit_min is None and c.base is None for c in dr.caps)
    if open_base:
        strict = yuan_range(dr.uncapped_total, dr.uncapped_upper_total)
        lenient = yuan_range(other.uncapped_sure_total, other.uncapped_upper_total) if other else None
    else:
        strict = yuan_range(dr.sure_total, dr.upper_total if dr.uncertain else dr.sure_total)
        lenient = yuan_range(other.sure_total, other.upper_total) if other else None
    name = re.sub(r"（.*?）", "", dr.document.short)
    line = f"合计（{name}" + (f"，{label}" if label else "") + "）：" + (f"就高不重复{strict}，分别享受{lenient}（原文未明确）" if lenient and lenient != strict else strict)
    if not open_base:
        return line
    shares = sorted({s for c in dr.caps if c.applied and c.base is None for s in c.shares})
    what = next((c.cap for c in dr.caps if c.applied and c.base is None), None)
    # "另受合计上限约束（不超过新增税收形成的地方财力的80%）": which cap, the owner's own figure asked next
    label = re.sub(r"^较上一年度", "", vocab[what.base].label) if what is not None else ""
    return line + "；另受合计上限约束" + (f"（不超过{label}的{'或'.join(f'{s}%' for s in shares)}）" if label and shares else "")


# -- what a new fact changed -------------------------------------------------------------------------
def changes(before: dict, after: dict, by_id: dict, limit: int = 3, focus_ids=None) -> list[str]:
    """"新增：X 10万元（市科技局）", "金额变化：Z 5000元 → 1万元", "不再符合：Y（原因）",
    "不符合：W（原因）", from two states (entry → [verdict, amount text or reason])."""
    new, gone, moved, failed, pending = [], [], [], [], []
    for eid, (verdict, amount) in after.items():
        old = before.get(eid)
        e = by_id.get(eid)
        title = short_title(e) if e else eid
        if verdict == ELIGIBLE and (old is None or old[0] != ELIGIBLE):
            lead = f"（{e.departments.lead[0]}）" if e is not None and e.departments.lead else ""
            new.append(f"{title} {amount}{lead}")
        elif verdict == NOT_ELIGIBLE and old is not None and old[0] == ELIGIBLE:
            gone.append(f"{title}（{amount}）")
        elif verdict == NOT_ELIGIBLE and old is not None and old[0] != NOT_ELIGIBLE:
            failed.append(f"{title}（{amount}）")
        elif verdict == ELIGIBLE and old is not None and old[0] == ELIGIBLE and old[1] != amount:
            moved.append(f"{title} {old[1]} → {amount}")
        elif verdict == NEED_INFO and old is not None and old[0] == NEED_INFO and old[1] != amount and focus_ids is not None \
                and eid in focus_ids:
            pending.append(f"{title} {amount}")
    for eid, (verdict, amount) in before.items():
        if verdict == ELIGIBLE and eid not in after:
            e = by_id.get(eid)
            gone.append(short_title(e) if e else eid)

    def said(items: list[str]) -> str:
        return "；".join(items[:limit]) + (f"等{len(items)}项" if len(items) > limit else "")
    out = []
    if new:
        out.append("新增：" + said(new))
    if moved:
        out.append("金额变化：" + said(moved))
    if gone:
        out.append("不再符合：" + said(gone))
    if failed:
        out.append("不符合：" + said(failed))
    if pending:  # an award in focus whose amount the new fact computes; whether it is paid is still open
        out.append("金额：" + said(pending) + "（是否能拿还要核对）")
    return out


def with_gained(engine: Engine, focus: Focus, before: dict, after: dict) -> Focus:
    """The focus with the money awards a new fact made eligible (states as `changes` reads them)
    added after its own, where they are few enough to list."""
    by_id = engine.cat.by_id
    gained = [eid for eid, (verdict, _) in after.items() if verdict == ELIGIBLE and eid not in focus.entries
              and (before.get(eid) or (None,))[0] != ELIGIBLE and eid in by_id and by_id[eid].pays_money]
    ids = focus.entries + tuple(gained)
    if not gained or len(ids) > TOPIC_MAX:
        return focus
    return Focus("award" if len(ids) <= 2 else "topic", ids, focus.label)


def related(engine: Engine, focus: Focus, facts: dict, fids: Iterable[str], as_of: dt.date,
            most: int = 2, before: dict | None = None) -> tuple[list[str], Focus]:
    """The awards a fact said after an answer bears on, beyond what changed ("还是省级科技小巨人"
    after 高企's answer: 再奖励90万元, still to be checked; "是国家级的孵化器" after the 省级 one:
    the 国家级 awards beside it; "做轴承的" after 临清's platform awards: the bearing plan's platform
    award, on the focus's topics, which `before` (the facts as they were) ruled out): of the focus's
    regions, largest first, still to be decided (an
    award won or lost is in `changes`), each with what still decides it; and the focus widened to
    them. ([], focus) when there are none."""
    if focus.kind == "all":
        return [], focus
    from .dialogue import implied_facts
    facts = {**facts, **implied_facts(engine, facts)}
    regions = {e.document.region for e in _entries(engine, focus)}
    # as in singled_out: a fact that sets an award's figure, or a condition few awards share (not
    # 规上 or 科小, conditions of every bearing award); a "no" points at nothing
    told = {f for f in fids if f not in ("region", "entity_type") and facts.get(f) not in (None, False, 0, "none")}
    uses = _uses(engine)
    rare = {f for f in told if 0 < uses[f] <= RARE_FACT}
    # ... or an award on the focus's topics the fact opens: ruled out with the facts `before` it
    # ("说错了，他们是做轴承的" after 临清's platform awards: the bearing plan's platform award), not
    # one a common fact leaves as open as it was ("规上")
    topics = {t for x in _entries(engine, focus) for t in x.topics}
    before = None if before is None else {**before, **implied_facts(engine, before)}

    def opened(e) -> bool:
        return before is not None and e.id not in focus.entries and bool(e.condition.facts() & told) \
            and bool(set(e.topics) & topics) and engine.judge(e, before, as_of).verdict in (NOT_ELIGIBLE, NOT_APPLICABLE)
    found = []
    for e in engine.cat.entries:
        if not e.pays_money or e.document.region not in regions or not (
                e.amount.facts() & told or e.condition.facts() & rare or opened(e)):
            continue
        r = engine.judge(e, facts, as_of)
        if r.verdict == NEED_INFO:
            found.append(r)
    found.sort(key=lambda r: -((r.amount.ceiling if r.amount else None) or r.entry.amount.compute({}).ceiling or 0))
    lines = []
    for r in found[:most]:
        still = [f for f in r.missing if f not in ("region", "entity_type")]
        tag = doc_tag(r.entry.document, as_of)
        lines.append(f"{mark(r)} {short_title(r.entry)}：{_amount(r)}（{re.sub(r'（.*?）', '', r.entry.document.short)}·"
                     f"{measure_label(r.entry)}{'，' + tag if tag else ''}）"
                     + ("\n   还要看：" + "、".join(short_label(engine.vocab[f]) for f in still[:3]) if still else ""))
    if not lines:
        return [], focus
    ids = focus.entries + tuple(r.entry.id for r in found[:most] if r.entry.id not in focus.entries)
    return ["与此相关："] + lines, Focus("award" if len(ids) <= 2 else "topic", ids, focus.label)


def departments(engine: Engine, focus: Focus) -> str | None:
    """"找哪个部门" about the awards in focus: each award's departments, as the tables name them."""
    es = _entries(engine, focus) if focus.kind != "all" else []
    if not es:
        return None
    lines = [f"· {short_title(e)}（{re.sub(r'（.*?）', '', e.document.short)}·{measure_label(e)}）：{e.departments.text()}"
             for e in es[:3]]
    return "\n".join(["负责部门（据文件原文）："] + lines + ["联系方式和申报时间文件未写明，以这些部门的通知为准。"])
