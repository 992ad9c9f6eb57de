"""Bad input through the REST channel of a real Rasa server and action server: each gets a clear
answer or an HTTP error, the server stays up, and a conversation held meanwhile loses nothing."""
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.answer_support import assert_facts, facts_kept, final_answer, say_structured, text_of
from tests.test_conversations import asked

pytestmark = pytest.mark.server

BYSTANDER = "bystander-1"
# "我们是临清的轴承企业，规上" in the vocabulary's ids (rules/facts.yml region, is_bearing_enterprise, above_scale)
LINQING_BEARING_ABOVE_SCALE = {"region": "linqing", "is_bearing_enterprise": True, "above_scale": True}


def post(assistant, raw: bytes, content_type: str | None = "application/json", timeout: float = 30):
    """(HTTP status, parsed JSON body, seconds)."""
    headers = {"Content-Type": content_type} if content_type else {}
    req = urllib.request.Request(f"{assistant.url}/webhooks/rest/webhook", data=raw, headers=headers)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, data = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, data = e.code, e.read()
    return status, json.loads(data.decode("utf-8")), time.monotonic() - t0


def send(assistant, sender, message, **kw):
    return post(assistant, json.dumps({"sender": sender, "message": message}).encode("utf-8"), **kw)


def reply_text(replies) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def chinese(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


@pytest.fixture(scope="module")
def bystander(assistant):
    """A conversation begun before the bad input; checked at the end of the module."""
    text = assistant.text(BYSTANDER, "我们是临清的轴承企业，规上，能拿什么补贴")
    assert asked(text) not in (None, "region", "is_bearing_enterprise", "above_scale")
    return assistant


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "\u3000"])
def test_empty_message_gets_a_clear_answer(bystander, message):
    """Regression: an empty message raised in the intent classifier and the user got []."""
    status, replies, _ = send(bystander, "empty-1", message)
    assert status == 200 and "空" in reply_text(replies) and "问题" in reply_text(replies)


def test_100000_characters_refused_at_once_without_holding_others(bystander):
    """Regression: 50,000 × "高企" kept the server busy for minutes, every other request waiting."""
    results = {}

    def long():
        results["long"] = send(bystander, "long-1", "高企" * 50_000)

    t = threading.Thread(target=long)
    t.start()
    status, replies, took = send(bystander, "other-1", "高企奖励多少钱")
    t.join(timeout=30)
    assert status == 200 and "高新技术企业" in reply_text(replies) and took < 1.0
    status, replies, took = results["long"]
    assert status == 200 and took < 1.0
    assert "太长" in reply_text(replies) and "100000字" in reply_text(replies)


def test_body_over_the_size_limit_is_refused(bystander):
    """Refused on its Content-Length, before the body is read (so the answer is sent while a
    client like urllib would still be sending: the headers alone are sent here)."""
    import http.client
    from urllib.parse import urlparse
    u = urlparse(bystander.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    t0 = time.monotonic()
    conn.putrequest("POST", "/webhooks/rest/webhook")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(3 * 1024 * 1024))
    conn.endheaders()
    r = conn.getresponse()
    body, took = json.loads(r.read().decode("utf-8")), time.monotonic() - t0
    conn.close()
    assert r.status == 413 and chinese(body["error"]) and took < 2.0


@pytest.mark.parametrize("raw, content_type", [
    (b"{bad json", "application/json"),
    (b"\xff\xfe\x00\x01\x02binary", "application/octet-stream"),
    (b"[1, 2, 3]", "application/json"),
    (b"sender=a&message=hi", "application/x-www-form-urlencoded"),
    (b"", "application/json"),
    (json.dumps({"sender": 12345, "message": "你好"}).encode(), "application/json"),
    (json.dumps({"sender": None, "message": "你好"}).encode(), "application/json"),
    (json.dumps({"message": "你好"}).encode(), "application/json"),
    (json.dumps({"sender": "a", "message": {"text": "你好"}}).encode(), "application/json"),
])
def test_malformed_requests_get_http_400_in_chinese(bystander, raw, content_type):
    status, body, _ = post(bystander, raw, content_type)
    assert status == 400 and chinese(body["error"]) and body["detail"]


def test_json_sent_as_text_plain_is_still_answered(bystander):
    """Rasa reads the body as JSON whatever the content type (curl -d sends form encoding)."""
    status, replies, _ = post(bystander, json.dumps({"sender": "ct-1", "message": "高企奖励多少钱"}).encode(), "text/plain")
    assert status == 200 and "高新技术企业" in reply_text(replies)


def test_control_characters_are_ignored(bystander):
    status, replies, _ = send(bystander, "ctrl-1", "高企\x00奖励\x07多少\ud800钱\x1b[31m")
    assert status == 200 and "高新技术企业" in reply_text(replies)


def test_huge_number_is_computed_exactly_not_crashing(bystander):
    """奖励标准4：按其享受研发费用税前加计扣除数额的25%给予奖补 — 9999999999亿 × 25%."""
    s = "bignum-1"
    text = bystander.text(s, "我们是临清的轴承企业，规上，今年第一次认定高企，研发占比6%，亩产B类，绿色门槛都符合，"
                             "科小没入库，加计扣除额9999999999亿，发明专利0件，实用新型0件")
    replies = say_structured(bystander.url, s, "就这些，先看结果")
    answer, text = final_answer(replies), text_of(replies)
    assert answer["facts"]["rd_deduction_amount"] == 9999999999 * 10**8  # 亿 = 10^8 yuan, kept exactly
    assert "2499999999.75亿元" in text and "e+" not in text


def test_negative_amount_is_not_taken_as_positive(bystander):
    s = "negative-1"
    bystander.text(s, "我们是临清的轴承企业，规上")
    replies = say_structured(bystander.url, s, "加计扣除额负300万")
    # no amount can be negative: nothing is kept as +300万, nothing said back as such
    assert "rd_deduction_amount" not in facts_kept(replies) and "300万元" not in text_of(replies)
    answer = final_answer(say_structured(bystander.url, s, "就这些，先看结果"))
    assert "rd_deduction_amount" not in answer["facts"]
    assert_facts(answer["facts"], LINQING_BEARING_ABOVE_SCALE)  # and nothing said before is lost


def test_contradictory_facts_the_later_one_is_said_to_win(bystander):
    s = "contra-1"
    bystander.text(s, "我们是临清的企业")
    text = bystander.text(s, "我们是青海的企业")
    assert "已更正" in text and "青海" in text
    answer = final_answer(say_structured(bystander.url, s, "就这些，先看结果"))
    assert answer["facts"]["region"] == "qinghai"  # the answer is judged with the later fact


def test_replayed_message_gives_the_same_answer_and_keeps_facts(bystander):
    s = "replay-1"
    first = bystander.text(s, "我们是临清的轴承企业，规上")
    second = bystander.text(s, "我们是临清的轴承企业，规上")
    assert first == second and asked(second) not in (None, "region", "is_bearing_enterprise", "above_scale")
    assert_facts(final_answer(say_structured(bystander.url, s, "就这些，先看结果"))["facts"], LINQING_BEARING_ABOVE_SCALE)


def test_the_same_message_sent_twice_at_once_is_answered_twice(bystander):
    """A double tap, or a channel retrying: Rasa's lock takes the two in turn; both get an answer."""
    s, results = "double-1", []
    bystander.text(s, "我们是临清的轴承企业")
    threads = [threading.Thread(target=lambda: results.append(send(bystander, s, "规上"))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2 and all(st == 200 and reply_text(r) for st, r, _ in results)
    assert_facts(final_answer(say_structured(bystander.url, s, "就这些，先看结果"))["facts"], LINQING_BEARING_ABOVE_SCALE)


def test_the_bystander_lost_nothing(bystander):
    """Runs last in this module: the conversation begun before all of the above goes on."""
    assert_facts(final_answer(say_structured(bystander.url, BYSTANDER, "就这些，先看结果"))["facts"],
                 LINQING_BEARING_ABOVE_SCALE)
    with urllib.request.urlopen(f"{bystander.url}/", timeout=5) as r:
        assert r.status == 200
