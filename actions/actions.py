"""Custom actions. Slots are named after facts (rules/facts.yml); the logic lives in huiqi/.

slots → profile (huiqi.dialogue) → engine (huiqi.engine) → messages (huiqi.answers)
a question without a profile → huiqi.questions
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from huiqi import answers, dialogue
from huiqi.engine import Engine
from huiqi.nlu import describes_self, extractor, load_topics
from huiqi.questions import Questions, load_glossary
from huiqi.tables import default_rules_dir, load_catalogue
from huiqi.vocabulary import to_json

CATALOGUE = load_catalogue()  # a broken table stops the action server at start, never mid-conversation
ENGINE = Engine(CATALOGUE)
VOCAB = CATALOGUE.vocab
TOPICS = load_topics(default_rules_dir())
QUESTIONS = Questions(CATALOGUE, TOPICS, load_glossary(default_rules_dir()))
ASKABLE = [f.id for f in VOCAB.askable()]


def as_of() -> dt.date:
    """Today, unless HUIQI_AS_OF=YYYY-MM-DD fixes the date (tests, demonstrations)."""
    fixed = os.environ.get("HUIQI_AS_OF")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def facts_of(tracker: Tracker) -> Dict[str, Any]:
    """The company's facts from the slots, with what they imply (规上 → an enterprise)."""
    facts = dialogue.profile_from_slots(VOCAB, tracker.current_slot_values())
    return {**facts, **dialogue.implied_facts(ENGINE, facts)}


def _latest(tracker: Tracker) -> tuple[str | None, list, str]:
    msg = tracker.latest_message or {}
    return (msg.get("intent") or {}).get("name"), list(msg.get("entities") or []), msg.get("text") or ""


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


class ValidateCompanyForm(FormValidationAction):
    """Asks only what still decides a money award; maps bare answers; validates every fact."""

    def name(self) -> Text:
        return "validate_company_form"

    def domain_slots(self, domain) -> List[Text]:
        # The form's slots in domain.yml are generated from this list (huiqi.generate), so the
        # action needs no copy of the domain with every call (enable_selective_domain).
        return ASKABLE

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        # rasa_sdk validates (and keeps) only the slots listed here, so the facts set in this
        # turn come first; then the one question that still matters, if any.
        this_turn = [s for s in tracker.slots_to_validate() if s in VOCAB.facts or s == "skipped_facts"]
        nxt = self._next_question(facts_of(tracker), tuple(tracker.get_slot("skipped_facts") or ()))
        return this_turn + ([nxt] if nxt and nxt not in this_turn else [])

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def _next_question_cached(facts: tuple, skipped: tuple, day: dt.date) -> str | None:
        return dialogue.next_question(ENGINE, dict(facts), skipped, day)

    def _next_question(self, facts: Dict[str, Any], skipped: tuple) -> str | None:
        # rasa_sdk calls required_slots() twice per turn; the answer depends only on these.
        return self._next_question_cached(tuple(sorted(facts.items())), skipped, as_of())

    async def get_extraction_events(self, dispatcher, tracker, domain) -> List[EventType]:
        intent, entities, text = _latest(tracker)
        named = {e.get("entity") for e in entities} & set(VOCAB.facts)
        if dialogue.is_new_case(text):  # another company: forget the last one's facts, keep this message's
            said = {e.get("entity"): e.get("value") for e in entities if e.get("entity") in VOCAB.facts}
            events = [SlotSet(f, None) for f, v in tracker.current_slot_values().items()
                      if f in VOCAB.facts and v is not None and f not in said]
            return events + [SlotSet("skipped_facts", [])]
        if not named and dialogue.is_correction(text):
            # "不对，刚才说错了，是省级的": the latest fact that value fits
            fixed = dialogue.correction(VOCAB, _recent_facts(tracker), intent, entities, text)
            if fixed:
                return [SlotSet(fixed[0], fixed[1])]
        requested = tracker.get_slot("requested_slot")
        tier = next((e.get("value") for e in entities if e.get("entity") == "tier"), None)
        status = {"high_tech": "high_tech_status", "tech_sme": "tech_sme_status"}.get(tracker.get_slot("topic"))
        if tier and status and requested not in ("high_tech_status", "tech_sme_status") and tier in VOCAB[status].values \
                and (_action_before_message(tracker) == "action_answer_topic"
                     or requested not in VOCAB or tier not in (VOCAB[requested].values or {})):
            return [SlotSet(status, tier)]  # "今年首次认定", right after asking about 高企
        if requested in VOCAB and dialogue.wants_answer_now(text) and not named:
            known, skipped = facts_of(tracker), list(tracker.get_slot("skipped_facts") or [])
            rest = [f for f in ASKABLE if f not in known and f not in skipped]
            return [SlotSet("skipped_facts", skipped + rest)]  # no question is left: the answer comes
        if requested not in VOCAB:
            return []
        if intent in dialogue.SKIP_INTENTS:
            skipped = list(tracker.get_slot("skipped_facts") or [])
            return [SlotSet("skipped_facts", skipped + [requested])] if requested not in skipped else []
        if requested in named:
            return []  # the slot mapping fills it
        value = dialogue.answer_for(VOCAB, requested, intent, entities, text)
        return [] if value is None else [SlotSet(requested, value)]

    def __getattr__(self, name: str):
        # validate_<fact> for every fact: the vocabulary checks type and range.
        if name.startswith("validate_") and name[len("validate_"):] in VOCAB.facts:
            fact_id = name[len("validate_"):]

            async def validate(value, dispatcher: CollectingDispatcher, tracker, domain) -> Dict[Text, Any]:
                v, problem = dialogue.coerce_slot(VOCAB, fact_id, value)
                if problem:
                    dispatcher.utter_message(text=problem)
                    return {fact_id: None}
                old, _ = dialogue.coerce_slot(VOCAB, fact_id, _previous_values(tracker).get(fact_id))
                if old is not None and v is not None and old != v and not dialogue.is_new_case(_latest(tracker)[2]):
                    fact = VOCAB[fact_id]
                    dispatcher.utter_message(text=f"已更正：{fact.label}由“{fact.title(old)}”改为“{fact.title(v)}”。")
                return {fact_id: to_json(v)}  # a partly known value stays {"lt": 5} in the slot
            return validate
        raise AttributeError(name)


class ActionAnswerEligibility(Action):
    def name(self) -> Text:
        return "action_answer_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        given = dialogue.profile_from_slots(VOCAB, tracker.current_slot_values())
        facts = facts_of(tracker)
        result = ENGINE.match(facts, as_of())
        if facts:
            dispatcher.utter_message(text="根据您提供的情况（" + answers.profile_summary(facts, VOCAB, implied=set(facts) - set(given))
                                     + "），结果如下：")
        for text in answers.eligibility_messages(result, VOCAB):
            dispatcher.utter_message(text=text)
        return []


class _Question:
    """Not an Action itself: the SDK registers every Action subclass and asks its name."""

    def answer(self, tracker: Tracker) -> tuple[str, list[EventType]]:
        intent, entities, text = _latest(tracker)
        topics = extractor().topics_in(text) or [e.get("value") for e in entities if e.get("entity") == "topic"]
        if not topics and intent == "ask_department" and tracker.get_slot("topic"):
            topics = [tracker.get_slot("topic")]  # "这个找谁" refers to the last topic
        place = next((e for e in entities if e.get("entity") == "region"), None)
        region = place.get("value") if place else facts_of(tracker).get("region")
        message = QUESTIONS.answer(intent, text, topics, region, place.get("value_text") if place else None, as_of())
        events: List[EventType] = [SlotSet("topic", topics[-1])] if topics else []
        if describes_self(text):  # "临清做纺织的企业，保费60万，有补贴吗": remembered for "我们能拿什么"
            for e in extractor().extract(text, "inform"):
                if e.entity in VOCAB.facts:
                    v, problem = dialogue.coerce_slot(VOCAB, e.entity, e.value)
                    if v is not None and not problem:
                        events.append(SlotSet(e.entity, to_json(v)))
        return message, events

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        message, events = self.answer(tracker)
        dispatcher.utter_message(text=message)
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
        _, _, text = _latest(tracker)
        answer = QUESTIONS.covered(text, facts_of(tracker).get("region"), as_of())
        if answer:
            dispatcher.utter_message(text=answer)
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []
