"""The Telegram bridge (bot/channels/telegram_bridge.py) as a separate process, talking to a
fake Telegram Bot API on 127.0.0.1 (bot/channels/telegram_fake.py, the real protocol) and to
the real assistant (the `assistant` fixture), or to a stub assistant for failures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.channels import replies
from bot.channels.ratelimit import RateLimiter
from bot.channels.replies import collect, split_text, utf16_len
from bot.channels.telegram_bridge import UNKNOWN_COMMAND, ButtonStore
from bot.channels.telegram_fake import FakeBotAPI
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------- fast: pieces
def test_split_text_cuts_between_paragraphs_within_the_limit():
    paras = [f"第{i}段：" + "政策" * 700 for i in range(6)]  # 1,404 characters each
    text = "\n\n".join(paras)
    chunks = split_text(text, 4096, utf16_len)
    assert all(utf16_len(c) <= 4096 for c in chunks)
    assert chunks == ["\n\n".join(paras[0:2]), "\n\n".join(paras[2:4]), "\n\n".join(paras[4:6])]


def test_split_text_falls_back_to_lines_sentences_and_characters():
    assert split_text("短文本", 4096) == ["短文本"]
    lines = "\n".join(["一" * 30] * 4)
    assert split_text(lines, 70) == ["\n".join(["一" * 30] * 2)] * 2
    assert split_text("甲" * 10, 4) == ["甲甲甲甲", "甲甲甲甲", "甲甲"]
    emoji = "😀" * 3000  # two UTF-16 units each: 6,000 > 4,096
    chunks = split_text(emoji, 4096, utf16_len)
    assert [utf16_len(c) for c in chunks] == [4096, 6000 - 4096] and "".join(chunks) == emoji


def test_button_ids_are_short_and_map_back_per_chat():
    store = ButtonStore()
    payload = '/inform{"new_invention_patents": 3, "region": "linqing", "high_tech_status": "first_time"}'
    key = store.add(42, "今年首次认定高新技术企业（国家级）", payload)
    assert len(key.encode()) <= 64
    assert store.get(42, key) == ("今年首次认定高新技术企业（国家级）", payload)
    assert store.get(43, key) is None  # another chat cannot press it
    assert store.get(42, "0000.1") is None  # a button from another bridge run
    assert ButtonStore().get(42, key) is None


def test_rate_limiter_warns_once_then_drops_and_refills():
    now = [0.0]
    rl = RateLimiter(burst=3, per_second=1.0, clock=lambda: now[0])
    assert [rl.check("a") for _ in range(6)] == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert rl.check("b") == "ok"  # another user is not affected
    now[0] += 1.0
    assert rl.check("a") == "ok"
    assert rl.check("a") == "warn"  # over again: told again


def test_collect_prefers_plain_messages_and_reads_structured_answers():
    plain = [{"text": "贵单位注册在哪里？", "buttons": [{"title": "青海省", "payload": "/inform"}]},
             {"custom": {"huiqi_answer": "1.0", "kind": "question", "text": "贵单位注册在哪里？", "buttons": []}}]
    turn = collect(plain)
    assert [m.text for m in turn.messages] == ["贵单位注册在哪里？"] and turn.structured["kind"] == "question"
    only = collect([{"custom": {"huiqi_answer": "1.2", "text": "结果如下", "buttons": [{"title": "详细", "payload": "详细"}]}}])
    assert only.text == "结果如下" and only.buttons == [{"title": "详细", "payload": "详细"}]
    assert not collect([{"custom": {"huiqi_answer": "2.0", "text": "未来格式"}}])  # unknown major version
    assert not collect([]) and not collect([{"text": "  "}])


# ---------------------------------------------------------------------- processes
class Bridge:
    """The bridge process against its own fake Bot API."""

    def __init__(self, assistant_url: str, workdir: Path, **env):
        self.fake = FakeBotAPI().start()
        self.log = workdir / f"bridge-{self.fake.port}.log"
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": self.fake.token, "TELEGRAM_API_BASE_URL": self.fake.base_url,
                    "HUIQI_URL": assistant_url, **env}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot.channels.telegram_bridge"], cwd=ROOT, env=self.env,
                                     stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        ready = "setWebhook" if "TELEGRAM_WEBHOOK_URL" in env else "getUpdates"
        self.fake.wait_for(lambda: self.fake.calls_of(ready) or self.proc.poll() is not None, 60)
        assert self.proc.poll() is None, self.log.read_text()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.fake.stop()


class Chat:
    """One user's chat: send, press, and read what the bot answered."""

    def __init__(self, bridge: Bridge, chat_id: int):
        self.fake, self.id, self.seen = bridge.fake, chat_id, 0

    def _answer(self) -> list[dict]:
        new = self.fake.reply_to(self.id, self.seen)
        self.seen += len(new)
        return new

    def say(self, text: str) -> list[dict]:
        self.fake.user_sends(self.id, text)
        return self._answer()

    def press(self, message: dict, title: str) -> list[dict]:
        self.fake.press(message, title)
        return self._answer()

    def send(self, kind: str) -> list[dict]:
        getattr(self.fake, f"user_sends_{kind}")(self.id)
        return self._answer()


def text_of(messages: list[dict]) -> str:
    return "\n".join(m["text"] for m in messages)


def titles(message: dict) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


@pytest.fixture(scope="module")
def real_bridge(assistant, tmp_path_factory):
    b = Bridge(assistant.url, tmp_path_factory.mktemp("telegram"))
    yield b
    b.stop()




@pytest.mark.server
def test_a_whole_conversation_with_buttons_and_a_restart(real_bridge):
    fake, chat = real_bridge.fake, Chat(real_bridge, 1001)
    greeting = chat.say("/start")
    assert "我是惠企政策助手" in text_of(greeting)
    assert titles(greeting[-1]) == ["我们能拿什么补贴", "你能做什么"]  # domain.yml utter_greet's buttons
    assert fake.calls_of("sendChatAction", 1001)[0]["action"] == "typing"

    question = chat.press(greeting[-1], "我们能拿什么补贴")
    assert "贵单位注册在哪里" in text_of(question)
    assert (answer := next(iter(fake.callback_answers.values())))["text"] == "我们能拿什么补贴"
    assert "reply_markup" not in fake.sent_to(1001)[0]  # the pressed keyboard is removed
    assert "山东省聊城市临清市" in titles(question[-1])
    # the payload '/inform{"region": "linqing"}' is 28 bytes, but titles can be longer: all ids fit
    assert all(len(b["callback_data"].encode()) <= 64 for m in fake.sent_to(1001)
               for row in m.get("reply_markup", {}).get("inline_keyboard", []) for b in row)

    nxt = chat.press(question[-1], "山东省聊城市临清市")
    assert "贵单位注册在哪里" not in text_of(nxt) and titles(nxt[-1])  # the region is known: the next question
    chat.say("我们是轴承企业，规上，今年第一次认定高企")
    result = text_of(chat.say("就这些，先看结果"))
    # the pressed region was used: Linqing's bearing plan is judged, Qinghai's policies are not
    assert "临清轴承行动计划" in result and "青海" not in result

    restarted = text_of(chat.say("/restart"))
    assert "已清空之前的信息" in restarted  # domain.yml utter_restart
    again = chat.say("我们能拿什么补贴")
    assert "贵单位注册在哪里" in text_of(again)  # the region is forgotten: asked again
    assert len(fake.callback_answers) == 2 and not fake.pending_callbacks  # every press answered


@pytest.mark.server
def test_help_and_unknown_commands(real_bridge):
    chat = Chat(real_bridge, 1002)
    assert "我能做的" in text_of(chat.say("/help"))  # domain.yml utter_capabilities
    assert text_of(chat.say("/frobnicate")) == UNKNOWN_COMMAND


@pytest.mark.server
def test_edits_and_commands_addressed_to_the_bot(real_bridge):
    from bot.channels.telegram_bridge import EDITED
    fake, chat = real_bridge.fake, Chat(real_bridge, 1003)
    assert "我是惠企政策助手" in text_of(chat.say("/start@huiqi_demo_bot"))  # as sent in a group
    chat.say("你好")
    said = fake.updates[-1]["message"]["message_id"]
    fake.user_edits(1003, said, "高企有什么奖励")
    assert text_of(chat._answer()) == EDITED


@pytest.mark.server
@pytest.mark.parametrize("chat_id, kind", [(1101, "sticker"), (1102, "photo"), (1103, "voice"), (1104, "document")])
def test_non_text_messages_get_a_polite_text(real_bridge, chat_id, kind):
    assert text_of(Chat(real_bridge, chat_id).send(kind)) == replies.UNSUPPORTED


@pytest.mark.server
def test_very_long_texts_and_emoji(real_bridge):
    chat = Chat(real_bridge, 1201)
    long = text_of(chat.say("我们公司能拿什么补贴？" * 1000))  # 11,000 characters
    assert long == replies.TOO_LONG.format(n=11000, limit=replies.MAX_CHARS)
    emoji = text_of(chat.say("😀👍🎉"))
    assert emoji and emoji not in (replies.ERROR, replies.TIMEOUT)  # the assistant's own answer
    assert "贵单位注册在哪里" in text_of(chat.say("我们能拿什么补贴"))  # nothing was lost


@pytest.mark.server
def test_a_flood_from_one_user_is_limited_without_affecting_another(real_bridge):
    fake = real_bridge.fake
    for _ in range(40):
        fake.user_sends(1301, "你好")
    calm = Chat(real_bridge, 1302)
    t0 = time.monotonic()
    assert "贵单位注册在哪里" in text_of(calm.say("我们能拿什么补贴"))
    assert time.monotonic() - t0 < 20
    flood = fake.reply_to(1301, 0, settle=1.0)
    notices = [m for m in flood if m["text"] == replies.RATE_LIMITED]
    answers = [m for m in flood if "我是惠企政策助手" in m["text"]]
    assert len(notices) == 1
    assert 10 <= len(answers) < 20 and len(notices) + len(answers) == len(flood)


@pytest.mark.server
def test_the_token_never_reaches_the_log(real_bridge):
    Chat(real_bridge, 1401).say("/start")
    log = real_bridge.log.read_text(encoding="utf-8")
    assert "Application started" in log and real_bridge.fake.token not in log


@pytest.mark.server
def test_a_rejected_token_is_reported_without_printing_it(tmp_path):
    fake = FakeBotAPI().start()
    wrong = "999999:WRONG-token-that-must-not-be-printed"
    try:
        run = subprocess.run([sys.executable, "-m", "bot.channels.telegram_bridge"], cwd=ROOT, capture_output=True,
                             text=True, timeout=60, env={**os.environ, "TELEGRAM_BOT_TOKEN": wrong,
                                                        "TELEGRAM_API_BASE_URL": fake.base_url})
    finally:
        fake.stop()
    assert run.returncode == 2 and "rejected TELEGRAM_BOT_TOKEN" in run.stderr
    assert wrong not in run.stdout + run.stderr and "WRONG-token" not in run.stdout + run.stderr


# ---------------------------------------------------------------------- failures, with a stub assistant
LONG_ANSWER = "\n\n".join(f"第{i}条：" + "依据文件原文判断。" * 150 for i in range(1, 8))  # ~9,500 characters


class StubAssistant:
    """Rasa's REST channel as it fails: slow, `[]`, HTTP 500; also a very long answer."""

    def __init__(self):
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                message = body["message"]
                if message == "慢":
                    time.sleep(3)
                if message == "坏":
                    self.send_response(500)
                    self.end_headers()
                    return
                out = {"空": [], "长": [{"text": LONG_ANSWER, "buttons": [{"title": "详细", "payload": "详细"}]}]}.get(
                    message, [{"text": f"收到：{message}",
                               "buttons": [{"title": "今年首次认定高新技术企业（国家级）" * 3,
                                            "payload": '/inform{"high_tech_status": "first_time"}' * 3}]}])
                data = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def stub():
    s = StubAssistant()
    yield s
    s.server.shutdown()


@pytest.fixture(scope="module")
def stub_bridge(stub, tmp_path_factory):
    b = Bridge(stub.url, tmp_path_factory.mktemp("telegram-stub"), TELEGRAM_ASSISTANT_TIMEOUT="1")
    yield b
    b.stop()


@pytest.mark.server
@pytest.mark.parametrize("message, apology", [("慢", replies.TIMEOUT), ("空", replies.ERROR), ("坏", replies.ERROR)])
def test_assistant_failures_get_a_short_apology(stub_bridge, message, apology):
    chat = Chat(stub_bridge, 2000 + ord(message) % 100)
    assert text_of(chat.say(message)) == apology


@pytest.mark.server
def test_an_unreachable_assistant_gets_an_apology(tmp_path):
    b = Bridge(f"http://127.0.0.1:{free_port()}", tmp_path)
    try:
        assert text_of(Chat(b, 2101).say("你好")) == replies.ERROR
    finally:
        b.stop()


@pytest.mark.server
def test_long_answers_are_split_on_paragraphs_with_the_buttons_last(stub_bridge):
    chat = Chat(stub_bridge, 2201)
    parts = chat.say("长")
    assert len(parts) == 3 and all(utf16_len(m["text"]) <= 4096 for m in parts)
    assert "\n\n".join(m["text"] for m in parts) == LONG_ANSWER  # cut only between paragraphs
    assert [titles(m) for m in parts] == [[], [], ["详细"]]


@pytest.mark.server
def test_long_payloads_map_back_and_stale_buttons_are_answered(stub, stub_bridge):
    fake, chat = stub_bridge.fake, Chat(stub_bridge, 2301)
    first = chat.say("你好")
    title = titles(first[-1])[0]
    chat.press(first[-1], title)
    assert stub.requests[-1] == {"sender": "tg:2301", "message": '/inform{"high_tech_status": "first_time"}' * 3,
                                 "metadata": {"huiqi_structured": True}}
    n = len(stub.requests)
    qid = fake.user_presses(2301, first[-1]["message_id"], "0000.1")  # from an earlier run of the bridge
    fake.wait_for(lambda: qid in fake.callback_answers, 10)
    assert fake.callback_answers[qid]["text"] == replies.BUTTON_EXPIRED and len(stub.requests) == n


@pytest.mark.server
def test_webhook_mode_checks_telegrams_secret_token(stub, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    b = Bridge(stub.url, tmp_path, TELEGRAM_WEBHOOK_URL=url, TELEGRAM_WEBHOOK_SECRET="s3cret-Token_1",
               TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}")
    try:
        assert b.fake.webhook == {"url": url, "secret_token": "s3cret-Token_1"}
        assert text_of(Chat(b, 2401).say("你好")) == "收到：你好"  # delivered by POST, with the secret
        assert not b.fake.calls_of("getUpdates")
        update = {"update_id": 99, "message": {"message_id": 1, "date": 0, "chat": {"id": 2402, "type": "private"},
                                               "from": {"id": 2402, "is_bot": False, "first_name": "x"}, "text": "你好"}}
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            req = urllib.request.Request(url, data=json.dumps(update).encode(),
                                         headers={"Content-Type": "application/json", **headers})
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(req, timeout=10)
            assert e.value.code == 403
        time.sleep(0.5)
        assert not b.fake.sent_to(2402) and not any(r["sender"] == "tg:2402" for r in stub.requests)
    finally:
        b.stop()
