"""Custom actions. Slots are named after facts (rules/facts.yml); the logic lives in huiqi/.

slots → profile (huiqi.dialogue) → engine (huiqi.engine) → messages (huiqi.answers)
a question without a profile → huiqi.questions
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.executor import CollectingDispatcher

from huiqi import answers, dialogue, focus as focusing
from huiqi.engine import Engine
from huiqi.focus import EVERYTHING, Focus
from huiqi.generate import hotline_question
from huiqi.nlu import clean, extractor, load_topics, message_signals, unrelayed, value_named
from huiqi.money import yuan
from huiqi.nlu.cues import ABOUT_CAPS, ABOUT_CONDITIONS, ANOTHER_CASE, CORE_WORDS, RELAYED_FOLLOW_UP, cap_asked, SELF_REF, WHO_GETS, Q_CLAIM, Q_CONTACT, USE_POLICY_CUE, VALIDITY_CUE
from huiqi.nlu.numbers import money_in
from huiqi.questions import Questions, load_glossary, undocumented_asked
from huiqi.tables import default_rules_dir, load_catalogue
from huiqi.vocabulary import to_json

CATALOGUE = load_catalogue()  # a broken table stops the action server at start, never mid-conversation
ENGINE = Engine(CATALOGUE)
VOCAB = CATALOGUE.vocab
TOPICS = load_topics(default_rules_dir())
QUESTIONS = Questions(CATALOGUE, TOPICS, load_glossary(default_rules_dir()))
ASKABLE = [f.id for f in VOCAB.askable()]
#: the project's own input channels: they always get the structured answer (docs/answers.md)
OWN_CHANNELS = {"hotline", "widget", "telegram", "wechat"}
#: intents that ask something else mid-form: no answer to the question asked was attempted
SIDE_INTENTS = ("ask_award", "ask_department", "out_of_scope", "ask_capabilities", "thank", "greet", "goodbye",
                "ask_detail", "restart", "check_focus")


def as_of() -> dt.date:
    """Today, unless HUIQI_AS_OF=YYYY-MM-DD fixes the date (tests, demonstrations)."""
    fixed = os.environ.get("HUIQI_AS_OF")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def facts_of(tracker: Tracker) -> Dict[str, Any]:
    """The company's facts from the slots, with what they imply (规上 → an enterprise)."""
    facts = dialogue.profile_from_slots(VOCAB, tracker.current_slot_values())
    return {**facts, **dialogue.implied_facts(ENGINE, facts)}


def _channel(tracker: Tracker) -> str | None:
    """The input channel of the latest user message."""
    for e in reversed(list(tracker.events)):
        if e.get("event") == "user":
            return e.get("input_channel")
    return None


def structured(tracker: Tracker) -> bool:
    """The structured answer is sent when the message asked for it (REST metadata
    huiqi_structured: true) or came through one of the project's own channels."""
    for e in reversed(list(tracker.events)):
        if e.get("event") == "user":
            meta = e.get("metadata") or {}
            return bool(meta.get("huiqi_structured")) or e.get("input_channel") in OWN_CHANNELS
    return False


def send(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str, texts: List[str],
         buttons: List[Dict[str, str]] | None = None, **fields: Any) -> None:
    """Plain texts (the last one with the buttons), then, where wanted, the structured answer
    (docs/answers.md) with the same texts and buttons. No text contains a blank line: Rasa's
    REST channel would split it."""
    texts = [t.replace("\n\n", "\n") for t in texts if t]
    for i, t in enumerate(texts):
        if i == len(texts) - 1 and buttons:
            dispatcher.utter_message(text=t, buttons=buttons)
        else:
            dispatcher.utter_message(text=t)
    if structured(tracker):
        msg = {"huiqi_answer": "1.0", "kind": kind, "text": "\n\n".join(texts), "buttons": buttons or []}
        msg.update({k: v for k, v in fields.items() if v not in (None, [], {})})
        msg.setdefault("facts", {k: to_json(v) for k, v in facts_of(tracker).items()})
        dispatcher.utter_message(json_message=msg)


def note(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> None:
    """A short note in the middle of a turn (a correction, a fact kept, a question skipped)."""
    send(dispatcher, tracker, "info", [text])


def focus_of(tracker: Tracker) -> Focus:
    return Focus.from_json(tracker.get_slot("focus")) or EVERYTHING


DETAIL_BUTTON = {"title": "详细", "payload": "详细"}


def check_button(n: int, more: bool = False) -> Dict[str, str]:
    title = f"继续核对（还有{n}个问题）" if more else f"帮我核对（最多{n}个问题）"
    return {"title": title, "payload": "帮我核对"}


def _latest(tracker: Tracker) -> tuple[str | None, list]:
    """The latest message's intent and entities (what else the NLU read is in signals())."""
    msg = tracker.latest_message or {}
    return (msg.get("intent") or {}).get("name"), list(msg.get("entities") or [])


def signals(tracker: Tracker) -> Dict[str, Any]:
    """What the NLU component read from the latest message besides intent and entities (its
    `huiqi_signals`: topics, another caller, a correction, "answer now", a self-description,
    a question about everything), so that the actions do not read the text again. Computed here
    only for a message that did not pass through the component (a test tracker)."""
    msg = tracker.latest_message or {}
    sig = msg.get("huiqi_signals")
    return sig if isinstance(sig, dict) else message_signals(msg.get("text") or "")


def answer_focus(tracker: Tracker, f: Focus, facts: Dict[str, Any]) -> "focusing.Reply":
    """The answer to a focus for this conversation: the documents already said to be drafts or
    expired, the questions skipped, and the message's own question ("一共能拿多少": the sum)."""
    return focusing.answer(ENGINE, f, facts, as_of(), tracker.get_slot("said_docs") or [],
                           tracker.get_slot("skipped_facts") or [], signals(tracker).get("question") or "")


#: "能拿这个吗", "这项我们能申请不": the award just answered
_THIS = re.compile(r"这个|这项|这笔|这些|这几项|这两项|这钱|它")

#: "那加起来…", "这几项一共…": a sum of what was just answered, not of everything
_OF_THESE = re.compile(r"^\s*(那|那么)|加起来|这些|这几|这两|两项|几项")
#: ... said as such (not "那一共能拿多少" while the questions go on: everything)
_THESE_SAID = re.compile(r"加起来|加在一起|加一块|这些|这几|这两|两项|几项")


def _sum_of_focus(tracker: Tracker, sig: Dict[str, Any]) -> bool:
    """The message asks the awards in focus added up, and says nothing new of the company."""
    f = focus_of(tracker)
    q = sig.get("question") or ""
    # ("最多一共能拿多少" after one award's answer: that award's; "我们一共能拿多少": everything)
    these = bool(_OF_THESE.search(q)) or (f.kind == "award" and not SELF_REF.search(q))
    return f.kind != "all" and bool(f.entries) and not sig["topics"] and bool(focusing.SUM_ASKED.search(q)) \
        and these and not any(e.get("entity") in VOCAB.facts for e in _latest(tracker)[1])


def _quantities(tracker: Tracker) -> List[EventType]:
    """The sums the NLU component read as facts of their own (annual_revenue, rd_spend: the
    message's `huiqi_quantities`), as slot events; what they imply (规上, the R&D ratio) is
    derived from them with rules/facts.yml (huiqi.dialogue.implied_facts)."""
    said = (tracker.latest_message or {}).get("huiqi_quantities") or {}
    out = []
    for fid, v in said.items():
        if fid in VOCAB.facts:
            value, problem = dialogue.coerce_slot(VOCAB, fid, v)
            if value is not None and not problem:
                out.append(SlotSet(fid, to_json(value)))
    return out


def _moved_to_region(tracker: Tracker, f: Focus, facts: Dict[str, Any]) -> Focus:
    """A place said after an answer that rules out every award in focus (the asker is elsewhere):
    the same topic's awards of that place (the last topic asked), or the focus as it was."""
    region, topic = facts.get("region"), tracker.get_slot("topic")
    entries = focusing.entries_of(ENGINE, f)
    if region not in ("linqing", "qinghai") or not topic or topic not in QUESTIONS.topics or not entries \
            or any(e.document.region == region for e in entries):
        return f
    label = QUESTIONS.topics[topic]["label"]
    moved = focusing.choose(QUESTIONS, f"{label}奖励多少", [topic], region, False, cleaned=True, said=facts)  # (its money)
    return moved if moved is not None and moved.kind != "document" else f


def _previous_question(tracker: Tracker) -> str | None:
    """The question the latest message follows up (as the NLU read it: clean): the user message
    before it, or before the "…呢" follow-ups in between ("那青海那个呢", then "临清2021年那个呢")."""
    for e in reversed([e for e in tracker.events if e.get("event") == "user"][:-1]):
        t = clean(e.get("text") or "")
        if not ANOTHER_CASE.fullmatch(RELAYED_FOLLOW_UP.sub("", t)) or extractor().another_case(t) is None:
            return t  # (not "那我们能拿多少呢": a question of its own)
    return None


def _previous_values(tracker: Tracker) -> Dict[str, Any]:
    """Each fact's value before the latest user message (corrections are said against these)."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    before: Dict[str, Any] = {}
    for e in events[:last_user]:
        if e.get("event") == "slot" and e.get("name") in VOCAB:
            before[e["name"]] = e.get("value")
    return before


def _action_before_message(tracker: Tracker) -> str | None:
    """The last action the bot ran before the latest user message (not action_listen)."""
    seen_user = False
    for e in reversed(list(tracker.events)):
        if e.get("event") == "user":
            seen_user = True
        elif seen_user and e.get("event") == "action" and e.get("name") != "action_listen":
            return e.get("name")
    return None


def _recent_facts(tracker: Tracker) -> List[str]:
    """Facts set in the conversation, most recent first."""
    out: List[str] = []
    for e in reversed(list(tracker.events)):
        if e.get("event") == "slot" and e.get("name") in VOCAB and e.get("value") is not None and e["name"] not in out:
            out.append(e["name"])
    return out


#: slots of the conversation (not facts) the validation action sets; listed with the facts of
#: the turn in required_slots so that rasa_sdk keeps them (never set to None there: a None
#: in that list would be "requested")
META = ("skipped_facts", "focus", "checking", "unread", "last_awards", "asked_facts")


def checking(tracker: Tracker) -> bool:
    """Whether the form asks questions now: "帮我核对"/"继续" or "我们能拿什么" turn it on; an
    award question (answered first) and a pause in "everything" turn it off."""
    v = tracker.get_slot("checking")
    return focus_of(tracker).kind == "all" if v is None else bool(v)


def next_question(tracker: Tracker, facts: Dict[str, Any] | None = None) -> tuple[str | None, int]:
    """The next fact to ask for the focus and how many facts still decide it."""
    if not checking(tracker):
        return None, 0
    f = focus_of(tracker)
    facts = facts_of(tracker) if facts is None else facts
    order = _deciding(f, tuple(sorted((k, str(v)) for k, v in facts.items())), facts,
                      tuple(tracker.get_slot("skipped_facts") or ()))
    asked = tracker.get_slot("since_answer") or 0
    if f.kind == "all" and order and asked >= 1 and _time_to_answer(asked, facts, tracker.get_slot("last_awards") or {}):
        return None, len(order)  # an answer now; "继续" asks the rest
    return (order[0] if order else None), len(order)


def _time_to_answer(asked: int, facts: Dict[str, Any], before: Dict[str, Any]) -> bool:
    """"Everything" answers as soon as an award is newly decided (after at least one question), and
    after PAUSE_AFTER questions in any case (saying what is decided and what one more fact decides)."""
    if asked >= 2 * focusing.PAUSE_AFTER:
        return True
    state = focusing.full_state(ENGINE, facts, as_of())
    eligible = {e for e, (v, _) in state.items() if v == "eligible"}
    if eligible - {e for e, (v, _) in before.items() if v == "eligible"}:
        return True
    return asked >= focusing.PAUSE_AFTER  # a first answer in a handful of questions: what is decided or near


_DECIDING: Dict[tuple, List[str]] = {}


def _deciding(f: Focus, key: tuple, facts: Dict[str, Any], skipped: tuple) -> List[str]:
    # rasa_sdk calls required_slots() several times a turn; the answer depends only on these
    k = (f, key, skipped, as_of())
    if k not in _DECIDING:
        if len(_DECIDING) > 512:
            _DECIDING.clear()
        _DECIDING[k] = focusing.deciding(ENGINE, f, facts, skipped, as_of())
    return _DECIDING[k]


def _rejected_unless_set(tracker: Tracker) -> bool:
    """Whether Rasa's form rejects this turn unless the validation sets a slot (rasa.core.actions.
    forms FormAction.validate: a slot was requested and this message gave none). Read from the
    temporary tracker Rasa sends (FormAction._temporary_tracker): the session, then
    SlotSet(requested_slot, the slot requested before), ActionExecuted(<form>), the candidates. The
    form validates that way right after the user's message (no other action since it); after an
    unhappy path it comes back without rejecting."""
    events = list(tracker.events)
    form = max((i for i, e in enumerate(events) if e.get("event") == "action"), default=None)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    if form is None or form < last_user:
        return False
    after_user = [e for e in events[last_user + 1:form] if e.get("event") == "action"]
    requested = events[form - 1] if form > 0 else {}
    return not after_user and requested.get("event") == "slot" and requested.get("name") == REQUESTED_SLOT \
        and requested.get("value") is not None


class ValidateCompanyForm(FormValidationAction):
    """Asks only what decides the focus; reads each answer against the question asked."""

    def name(self) -> Text:
        return "validate_company_form"

    def domain_slots(self, domain) -> List[Text]:
        # The form's slots in domain.yml are generated from this list (huiqi.generate), so the
        # action needs no copy of the domain with every call (enable_selective_domain).
        return ASKABLE

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        # rasa_sdk validates (and keeps) only the slots listed here, so the slots set in this
        # turn come first; then the one question that still matters, if any.
        this_turn = [s for s in tracker.slots_to_validate() if s in VOCAB.facts or s in META]
        nxt, _ = next_question(tracker)
        return this_turn + ([nxt] if nxt and nxt not in this_turn else [])

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        cleared = getattr(tracker, "huiqi_cleared", [])
        events = [SlotSet(f, None) for f in cleared] + [e for e in events if not (e.get("name") in cleared and e.get("value") is None)]
        asked = [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == REQUESTED_SLOT]
        if all(e.get("name") == REQUESTED_SLOT for e in events if e.get("event") == "slot") and _rejected_unless_set(tracker):
            # nothing read from a message that answers no question (a side question: "找哪个部门"): Rasa's
            # form rejects this turn so that another action answers it, and asks when it resumes; a
            # question counted here (since_answer) would stop that
            return events
        if asked and asked[-1] in VOCAB.facts:  # the form goes on: its question, asked here (ask())
            for e in events:  # (the tracker as Rasa's form would hand it to the question: these events applied)
                if e.get("event") == "slot":
                    tracker.slots[e["name"]] = e.get("value")
            events += ask(dispatcher, tracker, asked[-1])
        return events

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[EventType]:
        intent, entities = _latest(tracker)
        sums = _quantities(tracker)
        tracker.add_slots(sums)
        return sums + await self._extraction_events(dispatcher, tracker, intent, entities)

    async def _extraction_events(self, dispatcher, tracker, intent, entities) -> List[EventType]:
        if signals(tracker)["new_case"]:
            facts_events = self._fact_events(dispatcher, tracker, intent, entities)
            tracker.add_slots(facts_events)
            events = self._focus_events(tracker, intent)
            tracker.add_slots(events)
            return facts_events + events
        events = self._focus_events(tracker, intent)
        tracker.add_slots(events)
        return events + self._fact_events(dispatcher, tracker, intent, entities)

    @staticmethod
    def _focus_events(tracker: Tracker, intent: str | None) -> List[EventType]:
        """A new question sets the focus; "帮我核对"/"继续" starts (or resumes) the questions."""
        if intent == "ask_eligibility":
            sig = signals(tracker)
            if _sum_of_focus(tracker, sig):  # "那加起来最多能拿多少": the awards just answered, added up
                return [SlotSet("checking", False)]
            q = sig.get("question") or ""
            if focus_of(tracker).kind == "all" and not tracker.get_slot("last_awards") and focusing.SUM_ASKED.search(q) \
                    and _THESE_SAID.search(q) and not any(e.get("entity") in VOCAB.facts for e in _latest(tracker)[1]):
                # "加起来多少" while the questions go on, after "与所说情况相关的：…": those awards, added up
                g = focusing.singled_focus(ENGINE, facts_of(tracker), as_of())
                if g is not None:
                    return [SlotSet("focus", g.to_json()), SlotSet("checking", False)]
            topics = sig["topics"] or ([tracker.get_slot("topic")] if sig.get("follow_up") and tracker.get_slot("topic") else [])
            f = focusing.choose(QUESTIONS, sig["question"], topics, facts_of(tracker).get("region"), sig["everything"],
                                cleaned=True, said=facts_of(tracker))
            fresh = [SlotSet("last_awards", {}), SlotSet("unread", {}), SlotSet("since_answer", 0)]
            if f is None and (_detail_of_focus(tracker, sig) or (focus_of(tracker).kind != "all"
                                                                 and _THIS.search(sig.get("question") or ""))):
                # "明年再评上A类还能再拿吗", "他们公司在临清 能拿这个吗": of the awards just answered
                return [SlotSet("checking", False)]
            if f is None:
                # answer first where the facts said already decide an award; otherwise ask
                decided = focusing.something_decided(ENGINE, facts_of(tracker), as_of())
                return [SlotSet("focus", EVERYTHING.to_json()), SlotSet("checking", not decided)] + fresh
            entities = _latest(tracker)[1]
            base = _base_said(f, entities, {e.get("entity"): e.get("value") for e in entities}, sig.get("sums_said") or ())
            return [SlotSet("focus", f.to_json()), SlotSet("checking", False)] + fresh + \
                [SlotSet(k, v) for k, v in base.items()]  # "我们首购…成交额500w": the sum it is computed from
        if intent == "inform" and focus_of(tracker).kind != "all" and tracker.get_slot("requested_slot") is None:
            # "不对 成交额是2500万" after an award's answer: the sum it is reckoned from (a correction of it;
            # not "我们研发投入500万", a fact of its own)
            entities = _latest(tracker)[1]
            sig = signals(tracker)
            if (sig["correction"] or focus_of(tracker).kind == "award") \
                    and not (tracker.latest_message or {}).get("huiqi_quantities") \
                    and not any(e.get("entity") in VOCAB.facts and e.get("entity") != "region" for e in entities):
                # (and after one award's answer, "聘用期间咨询费交通费一共花了16万": its sum, said)
                base = _base_said(focus_of(tracker), entities, {}, sig.get("sums_said") or ())
                return [SlotSet(k, v) for k, v in base.items()]
            return []
        if intent == "check_focus":
            f = focus_of(tracker)
            kinds = {b for e in f.entries if e in CATALOGUE.by_id for b in CATALOGUE.by_id[e].beneficiary}
            implied = [SlotSet("entity_type", "enterprise")] if f.kind != "all" and kinds == {"enterprise"} \
                and tracker.get_slot("entity_type") is None else []  # checking an enterprise award is for an enterprise
            # the case the award question described ("临清轴承企业…") is the company to check
            implied += [SlotSet(k, v) for k, v in (tracker.get_slot("asked_facts") or {}).items()
                        if k in VOCAB.facts and tracker.get_slot(k) is None]
            return [SlotSet("checking", True), SlotSet("since_answer", 0), SlotSet("asked_facts", {})] + implied
        return []

    def _fact_events(self, dispatcher, tracker, intent, entities) -> List[EventType]:
        named = {e.get("entity") for e in entities} & set(VOCAB.facts)
        sig = signals(tracker)
        if sig["new_case"]:  # another company: forget the last one's facts, keep this message's
            said = {e.get("entity"): e.get("value") for e in entities if e.get("entity") in VOCAB.facts}
            said.update((tracker.latest_message or {}).get("huiqi_quantities") or {})
            cleared = [f for f, v in tracker.current_slot_values().items()
                       if f in VOCAB.facts and v is not None and f not in said]
            # (returned by run(): a None among required_slots would be "requested")
            tracker.huiqi_cleared = cleared
            for f in cleared:
                tracker.slots[f] = None
            fresh = [SlotSet("skipped_facts", []), SlotSet("last_awards", {}), SlotSet("unread", {})]
            if intent not in ("ask_eligibility", "ask_award", "ask_department"):
                # "再问第二家：…" telling, not asking: what that company gets, not the last one's awards;
                # "下一位：青海的企业，首购了…科技成果转化产品，成交金额500万": the award whose sum its case
                # says, worked out
                f = focusing.choose(QUESTIONS, sig["question"], sig["topics"], said.get("region"), False, cleaned=True,
                                    said=dialogue.profile_from_slots(VOCAB, said)) if sig["topics"] else None
                base = _base_said(f, entities, said, sig.get("sums_said") or ()) if f is not None and f.kind == "award" else {}
                if base:
                    fresh += [SlotSet("focus", f.to_json()), SlotSet("checking", False)] + \
                        [SlotSet(k, v) for k, v in base.items()]
                    tracker.slots["focus"], tracker.slots["checking"] = f.to_json(), False
                    return fresh
                fresh.append(SlotSet("focus", EVERYTHING.to_json()))
                tracker.slots["focus"] = EVERYTHING.to_json()
            return fresh
        if not named and sig["correction"]:
            # "不对，刚才说错了，是省级的": the latest fact that value fits
            fixed = dialogue.correction(VOCAB, _recent_facts(tracker), intent, entities, sig.get("corrected"))
            if fixed:
                return [SlotSet(fixed[0], fixed[1])]
        requested = tracker.get_slot("requested_slot")
        tier = next((e.get("value") for e in entities if e.get("entity") == "tier"), None)
        status = dialogue.tier_fact(VOCAB, tier, tracker.get_slot("topic"), requested,
                                    _action_before_message(tracker) == "action_answer_topic")
        if status:
            return [SlotSet(status, tier)]  # "今年首次认定", right after asking about 高企
        if requested in VOCAB and sig["answer_now"] and not named:
            known, skipped = facts_of(tracker), list(tracker.get_slot("skipped_facts") or [])
            rest = [f for f in ASKABLE if f not in known and f not in skipped]
            return [SlotSet("skipped_facts", skipped + rest)]  # no question is left: the answer comes
        if requested not in VOCAB:
            return []
        said = sig["answers"]["phrases"].get(requested)
        if said is not None and requested not in named:
            return [SlotSet(requested, said)]  # an answer to the question asked, whatever the intent
        if intent in dialogue.SKIP_INTENTS:
            skipped = list(tracker.get_slot("skipped_facts") or [])
            return [SlotSet("skipped_facts", skipped + [requested])] if requested not in skipped else []
        if requested in named:
            return []  # the slot mapping fills it
        value = dialogue.answer_for(VOCAB, requested, intent, entities, sig["answers"])
        if value is not None:
            return [SlotSet(requested, value)]
        if intent == "check_focus":
            note(dispatcher, tracker, "好的，接着问。")
            return []
        if requested in facts_of(tracker):
            return []  # given by what this message said (研发投入 with the revenue known: the ratio)
        if intent in SIDE_INTENTS or intent == "ask_eligibility":
            return []  # another question: answered by its own rule, then the form asks again
        before = _previous_values(tracker)  # (a corrected fact is said by its validation: "已更正：…")
        edited = [f for f in named if f != requested and tracker.get_slot(f) is not None]
        if edited and _from_payload(entities, edited):
            # facts set on a screen (the hotline console's edit): kept and said, and the question
            # asked stays as it was, not counted as an unreadable answer to it
            said = "；".join(answers.fact_text(VOCAB[f], _entity_value(f, tracker)) for f in edited
                            if before.get(f) is None and _entity_value(f, tracker) is not None)
            if said:
                note(dispatcher, tracker, f"已记下：{said}。")
            return [SlotSet(f, tracker.get_slot(f)) for f in edited] + [SlotSet("unread", dict(tracker.get_slot("unread") or {}))]
        others = [f for f in named if f not in VOCAB[requested].related and f not in ("region", "entity_type")
                  and before.get(f) is None]
        if others:
            # other facts said instead ("不是小巨人" to the 免税额 question): kept, and the question
            # asked again, saying so; not an unreadable answer
            said = "；".join(answers.fact_text(VOCAB[f], _entity_value(f, tracker)) for f in others
                            if _entity_value(f, tracker) is not None)
            unread = dict(tracker.get_slot("unread") or {})
            if unread.get(requested, 0) >= 1:  # the second time: on to the next question
                return self._unread(dispatcher, tracker, requested, named, said)
            if said:
                note(dispatcher, tracker, f"已记下：{said}。")
            unread[requested] = unread.get(requested, 0) + 1
            return [SlotSet("unread", unread)]
        if named - {"region", "entity_type"} - set(VOCAB[requested].related):
            return [SlotSet("unread", dict(tracker.get_slot("unread") or {}))]  # a fact corrected: the question again
        return self._unread(dispatcher, tracker, requested, named)

    @staticmethod
    def _unread(dispatcher, tracker, requested: str, named: set, said: str = "") -> List[EventType]:
        """An answer that does not give the fact asked. A related fact said instead is kept
        (its slot is filled by its mapping) and the question is adapted; anything else is asked
        once more with buttons, then skipped with a word. Never the same question three times."""
        fact = VOCAB[requested]
        unread = dict(tracker.get_slot("unread") or {})
        times = unread.get(requested, 0)
        said_related = next((f for f in named if f in fact.related), None)
        if times >= 1:
            skipped = list(tracker.get_slot("skipped_facts") or [])
            note(dispatcher, tracker, (f"已记下：{said}。" if said else "")
                 + f"“{answers.short_label(fact)}”这个问题先跳过，之后想起来可以直接告诉我。")
            unread[requested] = times + 1
            return [SlotSet("unread", unread), SlotSet("skipped_facts", skipped + [requested])]
        unread[requested] = times + 1
        if said_related:
            note(dispatcher, tracker, f"已记下：{answers.fact_text(VOCAB[said_related], _entity_value(said_related, tracker))}。"
                                          + fact.related[said_related])
        elif requested in signals(tracker)["answers"]["partial"]:
            note(dispatcher, tracker, fact.partial_note or "这句话只回答了一部分。")
        else:
            note(dispatcher, tracker, f"没能从这句话里读出“{answers.short_label(fact)}”。可以点按钮，或说“不清楚”跳过。")
        return [SlotSet("unread", unread)]

    def __getattr__(self, name: str):
        # validate_<fact> for every fact: the vocabulary checks type and range.
        if name.startswith("validate_") and name[len("validate_"):] in VOCAB.facts:
            fact_id = name[len("validate_"):]

            async def validate(value, dispatcher: CollectingDispatcher, tracker, domain) -> Dict[Text, Any]:
                v, problem = dialogue.coerce_slot(VOCAB, fact_id, value)
                if problem:
                    note(dispatcher, tracker, problem)
                    return {fact_id: None}
                old, _ = dialogue.coerce_slot(VOCAB, fact_id, _previous_values(tracker).get(fact_id))
                if old is not None and v is not None and old != v and not signals(tracker)["new_case"]:
                    fact = VOCAB[fact_id]
                    note(dispatcher, tracker, f"已更正：{fact.label}由“{fact.title(old)}”改为“{fact.title(v)}”。")
                return {fact_id: to_json(v)}  # a partly known value stays {"lt": 5} in the slot
            return validate
        if name.startswith("validate_") and name[len("validate_"):] in META:
            meta = name[len("validate_"):]

            async def keep(value, dispatcher, tracker, domain) -> Dict[Text, Any]:
                return {meta: value}  # the conversation's own state: set by this action, kept as is
            return keep
        raise AttributeError(name)


def _from_payload(entities: list, facts: List[str]) -> bool:
    """Whether these facts came in a payload ("/inform{...}": the hotline console's edit, a button),
    not read from words: Rasa's RegexMessageHandler gives such a message's entities."""
    return all(e.get("extractor") == "RegexMessageHandler" for e in entities if e.get("entity") in facts)


def _entity_value(fact_id: str, tracker: Tracker) -> Any:
    v, _ = dialogue.coerce_slot(VOCAB, fact_id, tracker.get_slot(fact_id))
    return v


def ask(dispatcher, tracker, fact_id: str) -> List[EventType]:
    """The form's question for a fact, with how many are left, the buttons and the structured
    answer. Sent by the form's validation itself (ValidateCompanyForm.run), on the tracker as the
    validation left it: Rasa's form asks nothing more where the domain has no action_ask_/utter_ask_
    for the slot, so a form turn is one call to the action server instead of two."""
    fact = VOCAB[fact_id]
    _, left = next_question(tracker)
    left = max(left, 1)
    everything = focus_of(tracker).kind == "all"
    again = (tracker.get_slot("unread") or {}).get(fact_id)
    if _channel(tracker) == "hotline":  # staff relaying a caller: what to ask (huiqi.generate.hotline_question)
        text = ("再确认一下：" if again else "") + hotline_question(fact)
    else:
        text = ("再确认一下：" if again else "") + fact.question
        if fact.help and fact.type != "enum":
            text += f"\n（{fact.help}）"
    if everything:  # a first answer comes after a few questions, or now on "先看结果"
        text += f"\n（还有{left}个问题，随时可说“先看结果”）" if left > 1 else "\n（最后一个问题）"
        if not tracker.get_slot("last_awards"):
            # before a first answer: the figures the company's own words point at come before
            # the question ("第一次认定科小，能拿多少" → 科技型中小企业入库奖励 5万元), then what
            # decides them; again only when they change ("说错了，是连续通过认定的" → 2万元)
            pointed = focusing.singled_out(ENGINE, facts_of(tracker), as_of())
            if pointed and tracker.get_slot("since_answer"):
                before = dialogue.profile_from_slots(VOCAB, _previous_values(tracker))
                before = {**before, **dialogue.implied_facts(ENGINE, before)}
                pointed = pointed if pointed != focusing.singled_out(ENGINE, before, as_of()) else []
            if pointed:  # (a message of its own: the question stays the question, as the console shows it)
                note(dispatcher, tracker, "与所说情况相关的：" + "；".join(pointed) + "。是否能拿还要核对：")
    else:
        text += f"\n（还有{left}个问题）" if left > 1 else "\n（最后一个问题）"
    buttons = [{"title": title, "payload": "/inform" + json.dumps({fact.id: _payload(fact, v)}, ensure_ascii=False)}
               for v, title in fact.choices()] + [{"title": "不清楚，跳过", "payload": "/dont_know"}]
    send(dispatcher, tracker, "question", [text], buttons, focus=focus_of(tracker).to_json(),
         question={"fact": fact.id, "label": answers.short_label(fact), "remaining": left})
    return [SlotSet("since_answer", (tracker.get_slot("since_answer") or 0) + 1)]


def _payload(fact, v):
    return (v == "true") if fact.type == "bool" else v


def _base_said(f: Focus, entities: list, said: Dict[str, Any], sums_said=()) -> Dict[str, Any]:
    """The sum the awards in focus are reckoned from, said with a question and named by no phrase
    (focusing.bases_said): the message's amounts and `huiqi_signals` sums_said."""
    sums = [e.get("value") for e in entities if e.get("entity") == "amount"] + list(sums_said)
    return focusing.bases_said(VOCAB, focusing.entries_of(ENGINE, f), sums, said)


#: "后来又评上省级科技小巨人了呢", "还有个…": an award on top of the one just answered
_ON_TOP = re.compile(r"又|也|另外|同时|还有|再")


def _together(tracker: Tracker, f: Focus | None, q: str) -> Focus | None:
    """A follow-up naming another award of the same document "on top" (又, 也, 另外…): both in focus,
    so that "加起来多少" adds them up."""
    prev = focus_of(tracker)
    if f is None or prev.kind not in ("award", "topic") or not prev.entries or not _ON_TOP.search(q) \
            or not re.search(r"呢[？?]*\s*$", q) or set(f.entries) & set(prev.entries):
        return f
    docs = {CATALOGUE.by_id[e].document.id for e in (*prev.entries, *f.entries) if e in CATALOGUE.by_id}
    if len(docs) != 1 or len(prev.entries) + len(f.entries) > focusing.FOCUS_MAX:
        return f
    entries = tuple(dict.fromkeys((*prev.entries, *f.entries)))
    return Focus("award" if len(entries) <= 2 else "topic", entries, f.label)


def _detail_of_focus(tracker: Tracker, sig: Dict[str, Any]) -> bool:
    """The message asks a detail of the awards in focus: one their text gives (focusing.asked_line),
    whom they pay ("这钱是给公司还是给他本人"), or their sum ("就高的话拿多少")."""
    f = focus_of(tracker)
    q = sig.get("question") or ""
    if f.kind == "all" or not f.entries or VALIDITY_CUE.search(q) or undocumented_asked(q):
        return False  # ("这文件明年还有效吗", "下次申报什么时候": the validity and undocumented answers)
    return bool(WHO_GETS.search(q)) or _sum_of_focus(tracker, sig) \
        or bool(focusing.asked_line(focusing.entries_of(ENGINE, f), q))


def _cap_facts(caps) -> set:
    """The facts caps on a document's total use: their base and what decides their share."""
    return {c.base for c in caps} | {fid for c in caps for cond, _, _ in c.cases for fid in cond.facts()}


_CAP_FACTS = frozenset(_cap_facts([c for d in CATALOGUE.documents.values() for c in d.total_caps]))


def _caps_told(f: Focus, facts: Dict[str, Any], read: List[str]) -> List[str]:
    """The caps on a document's total over the awards in focus, where a fact just said is their
    base or decides their share (临清轴承 三(四): 地方财力 × 50%/80%/100%); [] otherwise."""
    if f.kind == "all":
        return []
    entries = focusing.entries_of(ENGINE, f)
    ids = {e.id for e in entries}
    caps = {id(c): c for e in entries for c in e.document.total_caps if c.applies_to & ids}.values()
    if not _cap_facts(caps) & set(read):
        return []
    return focusing.cap_lines(ENGINE, [ENGINE.judge(e, facts, as_of()) for e in entries], facts)


def _another_case(tracker: Tracker, sig: Dict[str, Any]) -> Dict[str, Any] | None:
    """The case a follow-up asks the awards in focus about instead ("连续入库的呢" → 连续入库,
    "国家级的呢" → the level those awards are decided by, "要是3000万呢" → the sum their amount is
    reckoned from): {fact: value} of facts those awards use, or None."""
    w = sig.get("another_case")
    f = focus_of(tracker)
    if not w or f.kind == "all" or not f.entries:
        return None
    entries = focusing.entries_of(ENGINE, f)
    used = [fid for e in entries for fid in (*e.condition.facts(), *e.amount.facts()) if fid in VOCAB.facts]
    used = list(dict.fromkeys(used))
    found: Dict[str, Any] = {}
    sums = []
    for e in extractor().extract(w, "inform"):
        if e.entity in used:
            found[e.entity] = to_json(e.value)
        elif e.entity == "tier":  # "断了一年又重新认定上的呢": the tier of the certification these awards use
            fid = next((x for x in used if VOCAB[x].type == "enum" and e.value in VOCAB[x].values), None)
            if fid is not None:
                found[fid] = e.value
        elif e.entity == "amount" or (e.entity in VOCAB.facts and VOCAB[e.entity].type == "money"):
            sums.append(e.value)
    for fid in used:  # "国家级": the level of the facts these awards use, not another award's
        if fid not in found and VOCAB[fid].type == "enum":
            v = value_named(VOCAB[fid], w)
            if v is not None:
                found[fid] = v
    if len(sums) == 1 and not any(VOCAB[k].type == "money" for k in found):
        found.update(_base_said(f, [{"entity": "amount", "value": sums[0]}], {}))  # ("要是100万呢": as said first)
    return found or None


def _answer_events(reply, tracker, focus: Focus) -> List[EventType]:
    said = list(dict.fromkeys(list(tracker.get_slot("said_docs") or []) + reply.documents))
    return [SlotSet("last_awards", reply.state), SlotSet("said_docs", said), SlotSet("last_detail", reply.detail),
            SlotSet("since_answer", 0), SlotSet("focus", focus.to_json())]


def _buttons(reply, focus: Focus, paused: bool) -> List[Dict[str, str]]:
    out = [DETAIL_BUTTON]
    if reply.questions:
        out.append(check_button(len(reply.questions), more=paused))
    return out


def _claim_note(question: str, answer: str) -> str:
    """"听说…高企奖励100万，真的假的": where the sum heard is not one the answer gives, a first
    line saying so ("" otherwise, and for a question that repeats no rumour)."""
    claimed = money_in(question) if Q_CLAIM.search(question) else None
    if not claimed or yuan(int(claimed)) in answer:
        return ""
    return f"所说的{yuan(int(claimed))}与文件规定的金额不符。"


class ActionAnswerEligibility(Action):
    """The answer to the focus, short; after a new fact, what it changed."""

    def name(self) -> Text:
        return "action_answer_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        f = focus_of(tracker)
        facts = facts_of(tracker)
        if f.kind != "all" and not checking(tracker) and tracker.get_slot("asked_facts"):
            # after a question about a case ("临清轴承企业…科技副总的费用补贴怎么算"), that case with what is said now
            own = {k: v for k, v in tracker.current_slot_values().items() if v is not None}
            case = dialogue.profile_from_slots(VOCAB, {**tracker.get_slot("asked_facts"), **own})
            facts = {**case, **dialogue.implied_facts(ENGINE, case)}
        before = tracker.get_slot("last_awards") or {}
        read = any(e.get("entity") in VOCAB.facts for e in _latest(tracker)[1])
        if before and f.kind != "all" and any(e.get("entity") == "region" for e in _latest(tracker)[1]):
            moved = _moved_to_region(tracker, f, facts)  # "不好意思，他是临清的轴承企业，不是青海的"
            if moved != f:  # the new place's awards answered afresh, not what changed in the old place's
                f, before = moved, {}
        near: List[str] = []
        if before and read and not checking(tracker):
            # a fact volunteered after an answer ("还是省级科技小巨人", "是国家级的孵化器"): the awards it
            # bears on, the focus widened to them (the reply, its questions and detail, of that focus)
            said_now = [e.get("entity") for e in _latest(tracker)[1]]
            prev = _previous_values(tracker)  # the facts as they were before this message (a new one: unknown)
            was = {k: v for k, v in facts.items() if k not in said_now}
            was.update(dialogue.profile_from_slots(VOCAB, {k: prev[k] for k in said_now if prev.get(k) is not None}))
            near, f = focusing.related(ENGINE, f, facts, said_now, as_of(), before=was)
        reply = answer_focus(tracker, f, facts)
        paused = f.kind == "all" and bool(reply.questions)
        kind, texts = "answer", [reply.text]
        changed = focusing.changes(before, reply.state, CATALOGUE.by_id, focus_ids=set(f.entries)) if before else []
        if changed and f.kind != "all":  # "我们还是省级科技小巨人" → 新增 90万: in focus now, for "加起来多少"
            f = focusing.with_gained(ENGINE, f, before, reply.state)
        partial = self._partial(tracker, f, facts) if before and not (changed or read) else None
        if before and (changed or read or partial) and not _detail_of_focus(tracker, signals(tracker)):
            # a new fact: what it changed (otherwise the answer again; and for a detail asked, its sentence first)
            kind = "changes"
            texts = ["\n".join((changed or [partial or self._unchanged(tracker, f, facts, bool(near))]) + near)
                     + ("\n" + "\n".join(focusing.total_lines(ENGINE, facts, as_of())) if f.kind == "all" else "")
                     + (f"\n说“继续”再问{len(reply.questions)}个问题，或说“详细”看全部。" if paused else "")]
        elif f.kind != "all" and reply.questions and not checking(tracker):
            texts[0] += f"\n想知道贵企业能否拿到，可以点“帮我核对”（最多{len(reply.questions)}个问题）。"
        note = QUESTIONS.undocumented_note(signals(tracker)["question"] or "", focusing.entries_of(ENGINE, f), as_of()) \
            if f.kind != "all" else None
        if note:  # "…那10万奖励，申报要准备哪些材料": the figure, and that the documents don't give the rest
            texts[0] = note + "\n" + texts[0]
        if f.kind != "all" and kind == "answer":
            texts[0] = _claim_note(signals(tracker)["question"] or "", texts[0]) + texts[0]
        send(dispatcher, tracker, kind, texts, _buttons(reply, f, paused), detail=reply.detail, focus=f.to_json(),
             awards=reply.awards, caveats=reply.caveats, facts={k: to_json(v) for k, v in facts.items()})
        return _answer_events(reply, tracker, f) + [SlotSet("checking", False)]


    @staticmethod
    def _partial(tracker: Tracker, f: Focus, facts: Dict[str, Any]) -> str | None:
        """"是高新技术企业" after an answer about 高企: what is missing to decide the tier."""
        partly = signals(tracker)["answers"]["partial"]
        skipped = set(tracker.get_slot("skipped_facts") or ())
        for fid in focusing.deciding(ENGINE, f, facts, (), as_of()):
            if fid in skipped:
                continue
            if fid in partly:
                return f"{VOCAB[fid].partial_note}可以点“帮我核对”，我来问清楚。"
        return None

    @staticmethod
    def _unchanged(tracker: Tracker, f: Focus, facts: Dict[str, Any], near: bool = False) -> str:
        """Nothing changed: because nothing was read, or a fact said in part, or it does not matter
        (`near`: to the focus; awards beside it follow)."""
        entities = _latest(tracker)[1]
        read = [e.get("entity") for e in entities if e.get("entity") in VOCAB.facts]
        if read:
            said = "；".join(answers.fact_text(VOCAB[r], facts[r]) for r in dict.fromkeys(read) if r in facts)
            if f.kind == "all" and set(read) & _CAP_FACTS and focusing.total_lines(ENGINE, facts, as_of()):
                # "新增税收形成地方财力60万": the totals below use it
                return (f"已记下：{said}。" if said else "") + "合计已按此重新计算："
            caps = _caps_told(f, facts, read)
            if caps:  # "上年新增税收形成的地方财力才50万": the cap on the document's total, worked out
                return (f"已记下：{said}。" if said else "") + "\n".join(caps)
            people = focusing.for_people(ENGINE, {**facts, **dialogue.implied_facts(ENGINE, facts)}, (), read)
            if people:  # "厂里有个工程师入选了人才工程": the unit's awards unchanged, the person's own named
                return (f"已记下：{said}。" if said else "") + "贵单位的结果不变。" + people
            return (f"已记下：{said}。" if said else "") + ("上面的结果不变。" if near else "这条信息没有改变结果。")
        partly = signals(tracker)["answers"]["partial"]
        for fid in focusing.deciding(ENGINE, f, facts, (), as_of()):
            if fid in partly:
                return f"{VOCAB[fid].partial_note}可以点“帮我核对”，我来问清楚。"
        return "没有从这句话里读出新的情况。可以直接说情况（如“研发占比6%”），或点“帮我核对”。"


class ActionNothingAsked(Action):
    """"不知道"/"就这些，先看结果" when no question is asked: the answer to the focus again where
    one was given and the user wants it; otherwise what the assistant can do."""

    def name(self) -> Text:
        return "action_nothing_asked"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        if signals(tracker)["answer_now"] and tracker.get_slot("focus"):
            return await ActionAnswerEligibility().run(dispatcher, tracker, domain) if not tracker.get_slot("last_awards") \
                else self._again(dispatcher, tracker)
        if tracker.get_slot("focus") and tracker.get_slot("last_awards"):  # "不清楚" after an answer: nothing is lost
            send(dispatcher, tracker, "info", ["好的，不清楚的可以先不答，上面的结果按已知情况给出。"
                                               "说“继续”接着核对，说“详细”看依据。"])
            return []
        dispatcher.utter_message(response="utter_default")
        return []

    @staticmethod
    def _again(dispatcher, tracker) -> List[EventType]:
        f = focus_of(tracker)
        facts = facts_of(tracker)
        reply = answer_focus(tracker, f, facts)
        send(dispatcher, tracker, "answer", [reply.text], _buttons(reply, f, f.kind == "all"), detail=reply.detail,
             focus=f.to_json(), awards=reply.awards, caveats=reply.caveats)
        return _answer_events(reply, tracker, f)


class ActionAnswerDetail(Action):
    """"详细"/"为什么"/"原文": the expansion of the last answer."""

    def name(self) -> Text:
        return "action_answer_detail"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        detail = tracker.get_slot("last_detail")
        if not detail and tracker.get_slot("focus"):  # mid-questions: what the facts so far give
            detail = focusing.answer(ENGINE, focus_of(tracker), facts_of(tracker), as_of()).detail
        if not detail:
            send(dispatcher, tracker, "info", ["还没有可以展开的回答。可以问某项奖励，如“高企奖励多少”，或说“我们能拿什么补贴”。"])
            return []
        send(dispatcher, tracker, "detail", [detail])
        return []


class _Question:
    """Not an Action itself: the SDK registers every Action subclass and asks its name."""

    def answer(self, tracker: Tracker) -> tuple[str, list[EventType], dict]:
        intent, entities = _latest(tracker)
        sig = signals(tracker)
        topics = sig["topics"] or [e.get("value") for e in entities if e.get("entity") == "topic"]
        if not topics and intent == "ask_department" and tracker.get_slot("focus"):
            said = focusing.departments(ENGINE, focus_of(tracker))  # "找哪个部门": the awards in focus
            if said:
                return said, [], {"kind": "info", "focus": focus_of(tracker).to_json()}
        named = {e.get("value") for e in entities if e.get("entity") == "region"}
        if not topics and undocumented_asked(sig["question"] or "") and tracker.get_slot("focus") \
                and focus_of(tracker).kind != "all":  # "这钱什么时候到账": of the awards in focus
            es = focusing.entries_of(ENGINE, focus_of(tracker))
            if not named or named <= {e.document.region for e in es}:  # (not "那青海的什么时候发")
                return QUESTIONS.undocumented(sig["question"], [], None, as_of(), entries=es), [], {"kind": "info"}
        q = sig["question"] or ""
        if not topics and not named and tracker.get_slot("focus") and focus_of(tracker).kind != "all" \
                and cap_asked(CORE_WORDS.sub("", q)):  # "(这个)有封顶没": the caps on the awards in focus
            message = QUESTIONS.caps(focusing.entries_of(ENGINE, focus_of(tracker)), as_of())
            untold = QUESTIONS.untold_status(message, as_of())
            return message + ("\n" + untold if untold else ""), [], {"kind": "info"}
        if not topics and not named and tracker.get_slot("focus") and VALIDITY_CUE.search(q) \
                and not undocumented_asked(q) and not Q_CONTACT.search(unrelayed(q)):
            # "这俩文件现在还作数吗": the documents of the awards in focus
            es = focusing.entries_of(ENGINE, focus_of(tracker))
            return QUESTIONS.validity([], None, as_of(), entries=es,
                                      deadline="截止" in q or "申报时间" in q), [], {"kind": "info"}
        prev = _previous_question(tracker)
        if sig.get("another_case") and named and not topics and prev and VALIDITY_CUE.search(prev) \
                and not undocumented_asked(prev):
            # "临清轴承那个政策现在还有效吗" then "那青海那个呢": the same question, of the document named
            place = next(iter(named)) if len(named) == 1 else None
            docs = QUESTIONS.documents_named(sig["another_case"], place)
            if docs:
                return QUESTIONS.validity([], place, as_of(), documents=docs), [], {"kind": "info"}
        case = _another_case(tracker, sig)
        if case is None and not topics and _detail_of_focus(tracker, sig):
            case = {}  # "这钱省里出还是市州出": a detail of the awards in focus
        if case is not None:  # "连续入库的呢", "要是3000万呢": the awards in focus, for that case
            f = focus_of(tracker)
            asked = {**(tracker.get_slot("asked_facts") or {}), **case}
            facts = dialogue.profile_from_slots(VOCAB, {**tracker.current_slot_values(), **asked})
            facts.update(dialogue.implied_facts(ENGINE, facts))
            f = focusing.moved_by_case(ENGINE, f, facts, case, as_of()) or f  # "国家级的呢" after the 省级 award
            reply = answer_focus(tracker, f, facts)
            extra = {"kind": "answer", "buttons": _buttons(reply, f, False), "detail": reply.detail,
                     "focus": f.to_json(), "awards": reply.awards, "caveats": reply.caveats}
            return reply.text, [SlotSet("asked_facts", asked)] + _answer_events(reply, tracker, f) \
                + [SlotSet("checking", False)], extra
        if not topics and tracker.get_slot("topic") and (
                intent == "ask_department" or undocumented_asked(sig["question"] or "")):
            topics = [tracker.get_slot("topic")]  # "这个找谁", "这钱什么时候到账": the last topic
        place = next((e for e in entities if e.get("entity") == "region"), None)
        known = facts_of(tracker)
        home = known.get("region")
        region = place.get("value") if place else home
        message = QUESTIONS.answer(intent, sig["question"], topics, region, place.get("value_text") if place else None,
                                   as_of(), cleaned=True, home=home)
        events: List[EventType] = [SlotSet("topic", topics[-1])] if topics else []
        if getattr(message, "kind", None) in ("liaocheng", "awards_named") and message.entries:
            # the awards on top of 聊城's, the awards asked about together: a follow-up's focus ("国家级的呢", "加起来多少")
            events.append(SlotSet("focus", Focus("topic" if len(message.entries) > 2 else "award",
                                                 message.entries).to_json()))
        elif (undocumented_asked(q) or intent == "ask_department") and region != "elsewhere":
            # "青海新认定高企那10万，申请要交什么材料", "科技副总那个补贴去哪儿办": the award asked about is the
            # focus of what follows ("这10万是省里出还是市州出", "补多少来着")
            f = focusing.choose(QUESTIONS, q, topics, region, False, cleaned=True)
            if f is not None and f.kind == "award":
                events.append(SlotSet("focus", f.to_json()))
        said: Dict[str, Any] = {}
        for fid, value in sig.get("facts_said") or ():
            if fid in VOCAB.facts:
                v, problem = dialogue.coerce_slot(VOCAB, fid, value)
                if v is not None and not problem:
                    said[fid] = to_json(v)
        said.update({e["name"]: e["value"] for e in _quantities(tracker)})
        if home and said.get("region") not in (None, home) and USE_POLICY_CUE.search(sig["question"]):
            said.pop("region")  # "那青海的政策我们能用不": another place's documents, not a new address
        if sig["describes_self"]:  # "临清做纺织的企业，保费60万，有补贴吗": remembered for "我们能拿什么"
            events += [SlotSet(k, v) for k, v in said.items()]
        else:  # "临清轴承企业…能奖多少": the case asked about; the asker's own once they ask to check it
            events.append(SlotSet("asked_facts", said))
        extra: dict = {"kind": "info"}
        in_form = (tracker.active_loop or {}).get("name") == "company_form"
        if getattr(message, "kind", None) == "award" and region != "elsewhere" and not in_form:
            # (a side question while the form asks keeps the form's focus: answered as it was)
            # a question about an award or a topic: what the documents say, narrowed by the facts known
            # and by the tier an award's name carries ("高企连续认定的奖励多少": the case asked, not a slot)
            named_tiers = {k: v for k, v in (sig.get("tiers_named") or {}).items() if k in VOCAB.facts and k not in said}
            if named_tiers:
                said.update(named_tiers)
                events.append(SlotSet("asked_facts", named_tiers if sig["describes_self"] else dict(said)))
            f = focusing.choose(QUESTIONS, sig["question"], topics, region, sig["everything"], cleaned=True,
                                said=dialogue.profile_from_slots(VOCAB, {**known, **said}))
            f = _together(tracker, f, q)
            if f is not None and f.kind == "document" and (ABOUT_CONDITIONS.search(q) or ABOUT_CAPS.search(q)):
                # "轴承奖励 什么企业能拿 要满足啥条件", "上限是按什么定的": the document's rules, not a list of awards
                doc = CATALOGUE.by_id[f.entries[0]].document
                reply = answer_focus(tracker, f, dialogue.profile_from_slots(VOCAB, {**known, **said}))
                text_out = QUESTIONS.rules_of(doc, as_of(), caps=bool(ABOUT_CAPS.search(q)) and not ABOUT_CONDITIONS.search(q))
                extra = {"kind": "answer", "buttons": [DETAIL_BUTTON], "detail": reply.detail, "focus": f.to_json(),
                         "awards": reply.awards, "caveats": reply.caveats}
                return text_out, events + _answer_events(reply, tracker, f), extra
            if f is not None:
                base = _base_said(f, entities, said, sig.get("sums_said") or ())
                if base:  # "…科技成果转化产品 成交额500w 能补多少": the sum the award is computed from
                    said.update(base)
                    events += [SlotSet(k, v) for k, v in base.items()] if sig["describes_self"] else \
                        [SlotSet("asked_facts", dict(said))]
                facts = dict(known)
                facts.update(said)  # the case asked about ("保费60万元，能补多少"): its figure computed
                facts = dialogue.profile_from_slots(VOCAB, facts)
                facts.update(dialogue.implied_facts(ENGINE, facts))
                reply = answer_focus(tracker, f, facts)
                text_out = reply.text
                text_out = _claim_note(sig["question"], text_out) + text_out
                if reply.questions:
                    text_out += f"\n想知道贵企业能否拿到，可以点“帮我核对”（最多{len(reply.questions)}个问题）。"
                extra = {"kind": "answer", "buttons": _buttons(reply, f, False), "detail": reply.detail,
                         "focus": f.to_json(), "awards": reply.awards, "caveats": reply.caveats}
                events += _answer_events(reply, tracker, f) + [SlotSet("checking", False), SlotSet("unread", {})]
                return text_out, events, extra
        return message, events, extra

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        message, events, extra = self.answer(tracker)
        kind = extra.pop("kind")
        buttons = extra.pop("buttons", None)
        send(dispatcher, tracker, kind, [message], buttons, **extra)
        return events


class ActionAnswerTopic(_Question, Action):
    def name(self) -> Text:
        return "action_answer_topic"


class ActionAnswerDepartment(_Question, Action):
    def name(self) -> Text:
        return "action_answer_department"


class ActionAnswerOutOfScope(Action):
    """What the classifier thinks the documents do not cover: said so, unless an entry's own
    sentence answers it (huiqi.questions.Questions.covered)."""

    def name(self) -> Text:
        return "action_answer_out_of_scope"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        f = Focus.from_json(tracker.get_slot("focus"))
        if f is not None and f.kind != "all" and (signals(tracker).get("follow_up")
                                                  or _detail_of_focus(tracker, signals(tracker))):
            # "最多多少钱", "学校能分几年发" right after an answer: about the awards in focus
            reply = answer_focus(tracker, f, facts_of(tracker))
            send(dispatcher, tracker, "answer", [reply.text], _buttons(reply, f, False), detail=reply.detail,
                 focus=f.to_json(), awards=reply.awards, caveats=reply.caveats)
            return _answer_events(reply, tracker, f)
        answer = QUESTIONS.covered(signals(tracker)["question"], facts_of(tracker).get("region"), as_of(), cleaned=True)
        if answer:
            send(dispatcher, tracker, "info", [answer])
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
