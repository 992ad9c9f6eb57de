"""Custom actions. Slots are named after facts (rules/facts.yml); the logic lives in huiqi/.

slots → profile (huiqi.dialogue) → engine (huiqi.engine) → messages (huiqi.answers)
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
from huiqi.nlu import load_topics
from huiqi.tables import default_rules_dir, load_catalogue

CATALOGUE = load_catalogue()  # a broken table stops the action server at start, never mid-conversation
ENGINE = Engine(CATALOGUE)
VOCAB = CATALOGUE.vocab
TOPICS = load_topics(default_rules_dir())
ASKABLE = [f.id for f in VOCAB.askable()]


def as_of() -> dt.date:
    """Today, unless HUIQI_AS_OF=YYYY-MM-DD fixes the date (tests, demonstrations)."""
    fixed = os.environ.get("HUIQI_AS_OF")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def facts_of(tracker: Tracker) -> Dict[str, Any]:
    return dialogue.profile_from_slots(VOCAB, tracker.current_slot_values())


def _latest(tracker: Tracker) -> tuple[str | None, list]:
    msg = tracker.latest_message or {}
    return (msg.get("intent") or {}).get("name"), list(msg.get("entities") or [])


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
        requested = tracker.get_slot("requested_slot")
        if requested not in VOCAB:
            return []
        intent, entities = _latest(tracker)
        if intent in dialogue.SKIP_INTENTS:
            skipped = list(tracker.get_slot("skipped_facts") or [])
            return [SlotSet("skipped_facts", skipped + [requested])] if requested not in skipped else []
        if any(e.get("entity") == requested for e in entities):
            return []  # the slot mapping fills it
        value = dialogue.answer_for(VOCAB, requested, intent, entities, (tracker.latest_message or {}).get("text"))
        return [] if value is None else [SlotSet(requested, value)]

    def __getattr__(self, name: str):
        # validate_<fact> for every fact: the vocabulary checks type and range.
        if name.startswith("validate_") and name[len("validate_"):] in VOCAB.facts:
            fact_id = name[len("validate_"):]

            async def validate(value, dispatcher: CollectingDispatcher, tracker, domain) -> Dict[Text, Any]:
                v, problem = dialogue.coerce_slot(VOCAB, fact_id, value)
                if problem:
                    dispatcher.utter_message(text=problem)
                return {fact_id: v}
            return validate
        raise AttributeError(name)


class ActionAnswerEligibility(Action):
    def name(self) -> Text:
        return "action_answer_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[EventType]:
        facts = facts_of(tracker)
        result = ENGINE.match(facts, as_of())
        if facts:
            dispatcher.utter_message(text="根据您提供的情况（" + answers.profile_summary(facts, VOCAB) + "），结果如下：")
        for text in answers.eligibility_messages(result, VOCAB):
            dispatcher.utter_message(text=text)
        return []


class _TopicMixin:
    """Not an Action itself: the SDK registers every Action subclass and asks its name."""

    def _topic(self, tracker: Tracker) -> str | None:
        _, entities = _latest(tracker)
        for e in entities:
            if e.get("entity") == "topic":
                return e.get("value")
        return None

    def _region(self, tracker: Tracker) -> str | None:
        r = facts_of(tracker).get("region")
        return r if r in ("linqing", "qinghai") else None


class ActionAnswerTopic(_TopicMixin, Action):
    def name(self) -> Text:
        return "action_answer_topic"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        topic = self._topic(tracker)
        dispatcher.utter_message(text=answers.topic_message(CATALOGUE, topic, TOPICS, self._region(tracker)))
        return [SlotSet("topic", topic)] if topic else []


class ActionAnswerDepartment(_TopicMixin, Action):
    def name(self) -> Text:
        return "action_answer_department"

    async def run(self, dispatcher, tracker, domain) -> List[EventType]:
        topic = self._topic(tracker) or tracker.get_slot("topic")  # "这个找谁" refers to the last topic
        dispatcher.utter_message(text=answers.department_message(CATALOGUE, topic, TOPICS, self._region(tracker)))
        return []
