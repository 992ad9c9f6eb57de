"""A message read as a bare answer, for every fact that has an answer reader.

The NLU component cannot see which question the form asked (it has no tracker), so it reads the
text once as an answer to each fact it could answer (`huiqi_signals["answers"]`), and the
validation action picks the asked fact's reading (huiqi.dialogue.answer_for). The same for the
value a bare correction gives ("不对，是省级的": `corrected`). Only what the text alone gives is
here; what the intent and the entities give is combined with it in huiqi.dialogue.answer_for.

Part of huiqi.nlu; the cue words are in huiqi/nlu/cues.py."""
from __future__ import annotations

import re
from typing import Any

from .cues import ANSWER_FILLER, ANSWER_NO, ANSWER_UNSURE, ANSWER_YES, CORRECTION_CUE
from .extraction import clean, extractor, tier_in
from .numbers import normalize

#: facts whose bare answer may name a certification tier ("第一次", "去年认定的")
TIER_FACTS = ("high_tech_status", "tech_sme_status")


def yes_no(text: str | None) -> bool | None:
    """A leading yes or no ("是的，都没问题", "不是的") in an answer to a yes/no question."""
    if not text or ANSWER_UNSURE.match(text):
        return None
    if ANSWER_NO.match(text):
        return False
    if ANSWER_YES.match(text):
        return True
    return None


def answer_phrase(fact, text: str | None) -> Any:
    """The value a bare answer gives by one of its fact's `answers` phrases (the longest found);
    None when it uses none."""
    if not text or not fact.answers:
        return None
    t = normalize(text)
    best = None
    for value, p, norm in _phrases(fact):
        if norm in t and (best is None or len(p) > best[0]):
            best = (len(p), value)
    if best is None:
        return None
    v = best[1]
    return (v == "true") if fact.type == "bool" else v


_PHRASES: dict[tuple, list] = {}
_NAMES: dict[tuple, list] = {}


def _phrases(fact) -> list:
    """(value, phrase, normalised phrase) of a fact's `answers`, normalised once."""
    key = (fact.id, id(fact))
    if key not in _PHRASES:
        _PHRASES[key] = [(v, p, normalize(p)) for v, ps in fact.answers.items() for p in ps]
    return _PHRASES[key]


def _bare(x: str) -> str:
    return ANSWER_FILLER.sub("", normalize(x))


def value_named(fact, text: str) -> str | None:
    """The enum value a bare answer names: its title ("企业", "个人（人才）" or "个人"), a
    phrasing from rules/facts.yml, or the value itself ("B" for 亩产效益 B类)."""
    return _value_named(fact, _bare(clean(text)))  # (with pinyin slips put right: "微形的" is 微型)


def _value_named(fact, t: str) -> str | None:
    if re.fullmatch(r"[a-d](类|级|档)", t):
        t = t[0]  # "B类"
    if not t:
        return None
    for value, names in _names(fact):
        if t in names:
            return value
    return None


def _names(fact) -> list:
    """(value, the names a bare answer may give it) of an enum fact, computed once."""
    key = (fact.id, id(fact))
    if key not in _NAMES:
        out = []
        for value, title in fact.values.items():
            names = {value.lower(), _bare(title), _bare(re.sub(r"（.*?）", "", title))}
            names |= {normalize(w) for w in ((fact.synonyms or {}).get(value) or ())} if isinstance(fact.synonyms, dict) else set()
            names |= {n[:-len(suffix)] for n in names for suffix in ("企业", "类", "级")
                      if n.endswith(suffix) and len(n) > len(suffix) + 1}  # "中型企业" → "中型", "B类" → "B"
            out.append((value, names))
        _NAMES[key] = out
    return _NAMES[key]


def read_answers(text: str, vocab=None) -> dict:
    """The text as a bare answer: `phrases` {fact: value} by a fact's `answers` phrases (these win
    over entities), `named` {fact: value} by an enum value's name or a certification tier (these
    come after entities), `yes_no` (a leading yes or no), `partial` [facts] whose partial-answer
    phrases it uses ("是高新技术企业" to the tier question)."""
    vocab = vocab or extractor().vocab
    phrases: dict[str, Any] = {}
    named: dict[str, Any] = {}
    partial: list[str] = []
    bare = _bare(clean(text)) if text else ""
    for fact in vocab:
        if fact.answers:
            v = answer_phrase(fact, text)
            if v is not None:
                phrases[fact.id] = v
        if fact.type == "enum" and bare:
            v = _value_named(fact, bare)
            if v is None and fact.id in TIER_FACTS:
                v = tier_in(text, fact.values)
            if v is not None:
                named[fact.id] = v
        if fact.partial and any(p in text for p in fact.partial):
            partial.append(fact.id)
    for fid in TIER_FACTS:  # a tier said in more words than a bare value ("去年认定的")
        if fid in vocab.facts and fid not in named and text:
            v = tier_in(text, vocab[fid].values)
            if v is not None:
                named[fid] = v
    return {"phrases": phrases, "named": named, "yes_no": yes_no(text), "partial": partial}


def readings(text: str, vocab=None) -> dict:
    """What the NLU component adds to `huiqi_signals` for the dialogue's answers: `answers` (the
    text read as a bare answer: read_answers) and, for a correction ("不对，刚才说错了，是省级的"),
    `corrected`: the part after the correction cue read the same way (None when not a correction
    or nothing follows the cue)."""
    text = text or ""
    out = {"answers": read_answers(text, vocab), "corrected": None}
    if CORRECTION_CUE.match(text):
        said = CORRECTION_CUE.sub("", text)
        said = re.sub(r"(而|并)?不是[^，,。；;\s]*", " ", said)  # "是省部级的 不是国家级": what it is, not what it is not
        if said.strip():
            out["corrected"] = read_answers(said, vocab)
    return out


def message_signals(text: str) -> dict:
    """Every signal the dialogue needs from a message besides its intent, entities and sums, read
    once: the extractor's (topics, another caller, a correction, "answer now", a
    self-description, everything, a follow-up), the readings above, and the facts it states. The Rasa component puts
    this in the message's `huiqi_signals`."""
    ex = extractor()
    # the facts the text states, read as an answer would be (whatever the intent): an award
    # question's case ("临清轴承企业…能奖多少"), as [fact, value] pairs in the order said
    said = [[e.entity, e.value] for e in ex.extract(text, "inform") if e.entity in ex.vocab.facts]
    # the sums it says that name no fact ("成交额1500万 补多少"): what an award asked about may be reckoned from
    # (read as a question reads them: not a cap asked back, "最高200万吗")
    # (and not a sum that is a fact of its own: "我们研发投入500万" is rd_spend, huiqi_quantities)
    own = set(ex.quantities(text).values())
    sums = [e.value for e in ex.extract(text, "ask_eligibility")
            if e.entity == "amount" and isinstance(e.value, (int, float)) and e.value not in own]
    # the question as read (normalised, slips put right): what huiqi.questions ranks and
    # classifies (its kinds: definition, deadline, contact…), so the actions pass it on unread
    return {**ex.signals(text), **readings(text), "facts_said": said, "sums_said": sums, "question": clean(text),
            "tiers_named": ex.tiers_named(text)}  # ("高企连续认定的奖励多少": the case an award's name asks)


__all__ = ["message_signals", "TIER_FACTS", "yes_no", "answer_phrase", "value_named", "read_answers", "readings"]
