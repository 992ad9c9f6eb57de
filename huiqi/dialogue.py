"""What the assistant asks next, and how a bare answer fills the fact asked about.

Channel- and Rasa-independent: actions/ calls these with plain dicts.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from .engine import ELIGIBLE, NEED_INFO, Engine
from .vocabulary import UNKNOWN, Vocabulary

#: The form asks only facts whose `ask` order is below this; the others are listed in the
#: answer as "tell me X to decide more" (keeps a conversation to a few questions).
FORM_ASK_LIMIT = 120
SKIP_INTENTS = ("dont_know",)


def next_question(engine: Engine, facts: dict[str, Any], skipped: Iterable[str] = (),
                  as_of: dt.date | None = None) -> str | None:
    """The next fact to ask: askable, not skipped, and deciding some money award on its own
    or together with other facts the form will also ask."""
    skipped = set(skipped)
    vocab = engine.vocab

    def askable(f: str) -> bool:
        fact = vocab[f]
        return f not in skipped and fact.ask is not None and fact.ask < FORM_ASK_LIMIT

    if "region" in skipped and "region" not in facts:
        return None  # with no place, every document's questions would follow: answer with what is known
    as_of = as_of or dt.date.today()
    facts = {**facts, **implied_facts(engine, facts)}
    wanted: set[str] = set()
    for e in engine.cat.entries:
        if not e.pays_money:
            continue
        r = engine.judge(e, facts, as_of)
        if r.verdict == NEED_INFO:
            missing = r.missing
            # the facts still missing may decide it, even when the user skipped one of them
            # (规上 skipped: 科小, 研发占比 … still decide the bearing awards)
            if any(askable(f) for f in missing) and all(askable(f) or f in skipped for f in missing):
                wanted.update(f for f in missing if askable(f))
        elif r.verdict == ELIGIBLE and r.amount is not None:
            wanted.update(f for f in r.amount.missing if askable(f))
    if any(e.document.total_caps for e in engine.cat.entries):
        # a cap on a document's total that applies and is still open (新增地方财力 unknown)
        for dr in engine.match(facts, as_of).documents:
            for c in dr.caps:
                if c.applied:
                    wanted.update(f for f in c.missing if askable(f))
    if not wanted:
        return None
    return min(wanted, key=lambda f: vocab[f].ask)


def implied_facts(engine: Engine, facts: dict[str, Any]) -> dict[str, Any]:
    """What the facts given imply: a company that says it is 规上, a 高企, a 轴承企业 … is an
    enterprise (every entry using those facts is for enterprises only), so it is not asked; and
    what rules/facts.yml says implies a fact (立项 of a 聊城市级 project → 承担过项目)."""
    out = {f.id: True for f in engine.vocab if f.implied_by and f.id not in facts
           and any(facts.get(g) in vals for g, vals in f.implied_by.items())}  # rules/facts.yml implied_by
    for f in engine.vocab:  # rules/facts.yml derived: 规上 from the revenue, the R&D ratio from spend and revenue
        if f.derived and f.id not in facts:
            v = f.derive(facts)
            if v is not None:
                out[f.id] = v
    if "entity_type" in facts:
        return out
    by_fact = engine.sole_beneficiary
    kinds = {by_fact[f] for f in facts if f in by_fact}
    if len(kinds) > 1:  # "临清轴承 规上…厂里有个工程师入选了人才工程": a unit telling of its people
        kinds.discard("individual")
    if len(kinds) == 1:
        out["entity_type"] = kinds.pop()
    return out


def answer_for(vocab: Vocabulary, fact_id: str, intent: str | None, entities: list[dict],
               said: dict | None = None) -> Any:
    """A bare answer to the question about `fact_id`: "300万" (amount), "6%" (percent),
    "3个" (number), "第一次" (tier), "是的"/"没有" (affirm/deny), a button payload.
    `said` is the message read as a bare answer by the NLU (huiqi.nlu.read_answers: the
    component's huiqi_signals["answers"]). Returns the value for the fact, or None when the
    message does not answer it."""
    fact = vocab[fact_id]
    said = said or {}
    phrase = (said.get("phrases") or {}).get(fact_id)
    if phrase is not None:
        return phrase  # "没有发生过，都符合要求" to the 绿色门槛 question (rules/facts.yml `answers`)
    by_name = {e.get("entity"): e.get("value") for e in entities}
    if fact_id in by_name:
        return by_name[fact_id]
    generic = {"money": "amount", "percent": "percent", "count": "number", "number": "number"}.get(fact.type)
    if generic:
        for name in (generic, "amount", "percent", "number"):
            if name in by_name:
                v = by_name[name]
                if fact.type == "percent" and name == "amount":
                    continue
                if fact.type == "money" and name == "percent":
                    continue
                return v
    if fact.type == "enum" and "tier" in by_name and by_name["tier"] in fact.values:
        return by_name["tier"]
    named = (said.get("named") or {}).get(fact_id)
    if named is not None:
        return named  # an enum value named ("中型的"), a tier in words ("去年认定的")
    if intent in ("affirm", "deny"):
        yes = intent == "affirm"
        if fact.type == "bool":
            return yes
        if not yes and fact.type == "enum" and "none" in fact.values:
            return "none"
        if not yes and fact.type in ("count", "money"):
            return 0  # "有几件发明专利？" "没有"
    if fact.type == "bool":
        # the form just asked a yes/no question: "是的，都没问题" answers it even when the
        # intent classifier is unsure what it is ("是不是…", "不清楚" are not read as answers)
        return said.get("yes_no")
    return None


#: the certification a topic is about, and the fact holding its tier (首次认定, 连续通过…)
TIER_OF_TOPIC = {"high_tech": "high_tech_status", "tech_sme": "tech_sme_status"}


def tier_fact(vocab: Vocabulary, tier: str | None, topic: str | None, requested: str | None,
              after_topic_answer: bool) -> str | None:
    """The fact a bare tier ("今年首次认定": the NLU's `tier` entity) fills outside the question
    asked: the tier of the certification last asked about, when that is not the question asked
    and the tier came right after the answer about it, or does not fit the question asked.
    (Answers to a tier question itself: answer_for; the tier words: huiqi.nlu.)"""
    status = TIER_OF_TOPIC.get(topic or "")
    if not (tier and status) or requested in TIER_OF_TOPIC.values() or tier not in vocab[status].values:
        return None
    if after_topic_answer or requested not in vocab or tier not in (vocab[requested].values or {}):
        return status
    return None


# the cue words of corrections, another caller and "answer now" live with the NLU's other cues
from .nlu.cues import ANSWER_NOW_CUE, CORRECTION_CUE, NEW_CASE_CUE  # noqa: E402


def wants_answer_now(text: str | None) -> bool:
    """The user wants the answer now rather than more questions (every question left is skipped)."""
    return bool(text and ANSWER_NOW_CUE.search(text))


def is_new_case(text: str | None) -> bool:
    """"好的，再问第二家：青海西宁的高企…": hotline staff moving on to another caller's company."""
    return bool(text and NEW_CASE_CUE.search(text))


def is_correction(text: str | None) -> bool:
    return bool(text and CORRECTION_CUE.match(text))


def correction(vocab: Vocabulary, recent: list[str], intent: str | None, entities: list[dict],
               corrected: dict | None) -> tuple[str, Any] | None:
    """A correction that names no fact ("不对，是省级的", "说错了，是5%"): the most recently
    given fact that the corrected value fits, with that value. `corrected` is what follows the
    correction cue read as a bare answer (huiqi.nlu.readings: the component's
    huiqi_signals["corrected"]); None when nothing follows it."""
    if corrected is None:
        return None
    for fact_id in recent:
        if vocab[fact_id].type == "bool":
            continue  # "不对" alone says nothing about which yes/no was wrong
        value = answer_for(vocab, fact_id, intent, entities, corrected)
        if value is not None:
            return fact_id, value
    return None


def coerce_slot(vocab: Vocabulary, fact_id: str, value: Any) -> tuple[Any, str | None]:
    """A slot value → a fact value. Returns (value, None) or (None, a message for the user)."""
    from .errors import ProfileError
    if value is None:
        return None, None
    fact = vocab[fact_id]
    if isinstance(value, str):
        s = value.strip().lower()
        if fact.type == "bool" and s in ("true", "false"):
            value = s == "true"
        elif fact.type in ("money", "count", "percent", "number"):
            try:
                value = float(s.rstrip("%"))
                value = int(value) if value.is_integer() else value
            except ValueError:
                return None, f"“{value}”不是有效的数字，请再说一次{fact.label}。"
    try:
        v = vocab.coerce(fact_id, value)
    except ProfileError as e:
        return None, _friendly(fact, value, e)
    return (None if v == UNKNOWN else v), None


def _friendly(fact, value, e) -> str:
    if fact.type == "percent":
        return f"{fact.label}应在0到100之间，您给的是{value}，请再确认一下。"
    if fact.type in ("money", "count", "number"):
        return f"{fact.label}不能是负数或非数字（您给的是{value}），请再确认一下。"
    if fact.type == "enum":
        return f"没能识别“{value}”，{fact.label}可选：" + "、".join(fact.values.values()) + "。"
    return f"没能识别“{value}”，请回答“是”或“否”。"


def profile_from_slots(vocab: Vocabulary, slots: dict[str, Any]) -> dict[str, Any]:
    """The known facts among a tracker's slots (slots are named after facts). A partly known
    value ({"lt": 5}) becomes a huiqi.vocabulary.Range or OneOf."""
    out = {}
    for fid in vocab.facts:
        v, err = coerce_slot(vocab, fid, slots.get(fid))
        if v is not None and err is None:
            out[fid] = v
    return out
