"""The REST gate (bot.guard) and the NLU components' guards, without a server."""
import json

import numpy as np
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import guard
from bot.components import MAX_CHARS, IntentClassifier, MessageLimit


def body(obj) -> bytes:
    return json.dumps(obj).encode("utf-8")


@pytest.mark.parametrize("raw, why", [
    (b"{bad", "not JSON"), (b"\xff\xfe\x00", "not JSON"), (b"", "not JSON"),
    (b"[1, 2]", "not a JSON object"), (b"null", "not a JSON object"), (b'"hi"', "not a JSON object"),
    (b"sender=a&message=hi", "not JSON"),
    (body({"message": "hi"}), "sender"), (body({"sender": 123, "message": "hi"}), "sender"),
    (body({"sender": None, "message": "hi"}), "sender"), (body({"sender": ["a"], "message": "hi"}), "sender"),
    (body({"sender": "", "message": "hi"}), "sender"), (body({"sender": "x" * 129, "message": "hi"}), "sender"),
    (body({"sender": "a\x00b", "message": "hi"}), "sender"),
    (body({"sender": "call-0123abcd", "message": "hi"}), "hotline"),  # the hotline's calls: its token only
    (body({"sender": "a"}), "message"), (body({"sender": "a", "message": 5}), "message"),
    (body({"sender": "a", "message": None}), "message"), (body({"sender": "a", "message": ["hi"]}), "message"),
])
def test_requests_no_user_could_type_are_refused(raw, why):
    with pytest.raises(guard.Refusal) as e:
        guard.check(raw)
    assert e.value.status == 400 and why in e.value.detail
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.error)  # said in Chinese


@pytest.mark.parametrize("message", ["", " ", "\n\t ", "\u3000\u3000", "\x00\x07", "\ud800"])
def test_empty_messages_get_a_reply_instead_of_nlu(message):
    data, reply = guard.check(body({"sender": "a", "message": message}))
    assert reply and "空" in reply and "问题" in reply


def test_long_messages_get_a_reply_naming_the_limit():
    data, reply = guard.check(body({"sender": "a", "message": "高企" * 50_000}))
    assert "100000字" in reply and f"{guard.MAX_CHARS}字" in reply
    _, ok = guard.check(body({"sender": "a", "message": "企" * guard.MAX_CHARS}))
    assert ok is None


def test_control_characters_and_surrogates_are_taken_out():
    data, reply = guard.check(body({"sender": "a", "message": "高企\x00奖励\x07\ud800有多少\n钱\x7f"}))
    assert reply is None and data["message"] == "高企奖励有多少 钱"
    assert data["sender"] == "a"
    data["message"].encode("utf-8")  # storable and loggable


def test_the_gate_limit_is_within_what_nlu_reads():
    assert guard.MAX_CHARS <= guard.NLU_MAX_CHARS == MAX_CHARS


def test_message_limit_cuts_what_reaches_nlu():
    long, short = Message(data={TEXT: "高" * (MAX_CHARS + 10)}), Message(data={TEXT: "高企奖励"})
    MessageLimit().process([long, short])
    assert long.get(TEXT) == "高" * MAX_CHARS and short.get(TEXT) == "高企奖励"


def test_intent_classifier_gives_no_intent_for_a_message_without_features():
    """Regression: an empty message reached the classifier with no features and raised
    "dimension mismatch"; the user got an empty reply."""
    clf = IntentClassifier({}, None, None, classes=["greet", "inform"], coef=np.zeros((2, 3)), intercept=np.zeros(2))
    empty = Message(data={TEXT: ""})
    clf.process([empty])
    assert empty.get(INTENT) == {"name": None, "confidence": 0.0} and empty.get(INTENT_RANKING_KEY) == []
