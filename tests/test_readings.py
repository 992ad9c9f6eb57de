"""Each message understood once: the NLU's readings of a message as a bare answer
(huiqi.nlu.readings), and the validation action using them without the text."""
import asyncio

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ValidateCompanyForm
from huiqi.nlu import message_signals, read_answers, readings
from tests.conftest import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
BEARING = {"region": "linqing", "entity_type": "enterprise", "is_bearing_enterprise": True, "above_scale": True}


def test_a_bare_answer_is_read_for_every_fact_it_could_answer():
    # rules/facts.yml high_tech_status: valid_earlier "往年认定，仍在有效期内"
    assert read_answers("去年认定的")["named"]["high_tech_status"] == "valid_earlier"
    # rules/facts.yml green_threshold_met `answers`: "都符合" is yes
    said = read_answers("没有发生过，都符合要求")
    assert said["phrases"]["green_threshold_met"] is True
    # "省级的" names the provincial value of every fact that has one
    named = read_answers("省级的")["named"]
    assert named["new_platform_level"] == named["incubator_level"] == "provincial"
    assert read_answers("不清楚")["yes_no"] is None and read_answers("是的")["yes_no"] is True
    assert "high_tech_status" in read_answers("是高新技术企业")["partial"]


def test_a_correction_is_read_after_its_cue():
    assert readings("不对，刚才说错了，是省级的")["corrected"]["named"]["new_platform_level"] == "provincial"
    assert readings("省级的")["corrected"] is None
    assert readings("不对")["corrected"] is None  # nothing follows the cue


def test_the_signals_are_plain_json():
    import json
    sig = message_signals("我们是临清的轴承企业，去年认定的高企，能拿什么")
    assert json.loads(json.dumps(sig, ensure_ascii=False)) == sig
    assert sig["everything"] and ["region", "linqing"] in sig["facts_said"]


def test_the_form_takes_the_reading_of_the_fact_asked_not_the_text():
    # the message's text is not given to the action: only the NLU's signals
    sig = message_signals("去年认定的")
    t = Tracker.from_dict({
        "sender_id": "t", "slots": {**BEARING, "requested_slot": "high_tech_status"},
        "events": [{"event": "user", "text": ""}], "latest_action_name": "action_listen",
        "latest_message": {"text": "", "intent": {"name": "inform", "confidence": 0.9}, "entities": [],
                           "huiqi_signals": sig},
        "active_loop": {"name": "company_form"}})
    events = asyncio.run(ValidateCompanyForm().run(CollectingDispatcher(), t, DOMAIN))
    assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"}["high_tech_status"] == "valid_earlier"
