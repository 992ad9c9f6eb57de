"""Reading what a real server kept, not how it words it: server tests send a message with
`metadata: {"huiqi_structured": true}` (docs/answers.md) and read the structured answer's `facts`
(the company's facts from the tracker's slots, fact ids and values of rules/facts.yml) and its
`kind` (`answer`, `question`, …). The wording of the plain text may change; these may not."""
from __future__ import annotations

import json
import urllib.request


def say_structured(url: str, sender: str, message: str, timeout: float = 60) -> list[dict]:
    """POST one message to the REST channel asking for the structured answer; Rasa's replies."""
    body = {"sender": sender, "message": message, "metadata": {"huiqi_structured": True}}
    req = urllib.request.Request(url.rstrip("/") + "/webhooks/rest/webhook", headers={"Content-Type": "application/json"},
                                 data=json.dumps(body).encode("utf-8"))
    with urllib.request.urlopen(req, timeout=timeout) as r:
        replies = json.loads(r.read().decode("utf-8"))
    assert replies, f"no reply to {message!r} (an action failed?)"
    return replies


def structured(replies: list[dict]) -> list[dict]:
    """The huiqi-answer objects of a turn, in order."""
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and "huiqi_answer" in r["custom"]]


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def final_answer(replies: list[dict]) -> dict:
    """The turn's last structured object, which must be an answer (kind `answer`), with its facts."""
    objs = structured(replies)
    assert objs, f"no structured answer in {replies!r}"
    last = objs[-1]
    assert last.get("kind") == "answer", f"not an answer: {last.get('kind')}: {last.get('text', '')[:300]}"
    return last


def facts_kept(replies: list[dict]) -> dict:
    """The company's facts the assistant holds after this turn (its last structured object)."""
    objs = structured(replies)
    assert objs, f"no structured answer in {replies!r}"
    return objs[-1].get("facts") or {}


def assert_facts(facts: dict, expected: dict) -> None:
    """Every expected fact kept with its value (other facts, e.g. implied ones, may be there too)."""
    wrong = {k: (facts.get(k, "<missing>"), v) for k, v in expected.items() if facts.get(k, "<missing>") != v}
    assert not wrong, f"facts kept ≠ facts said (fact: (kept, said)): {wrong}; all kept: {facts}"
