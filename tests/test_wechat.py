"""The WeChat Official Account channel (bot/channels/wechat.py) inside a real Rasa server, with
requests signed and encrypted as WeChat's servers build them (bot/channels/wechat_fake.py)
and a fake WeChat API for the access token and customer-service messages (客服消息)."""
from __future__ import annotations

import base64
import os
import secrets
import time
from pathlib import Path

import pytest

from bot.channels import replies
from bot.channels.replies import Message, Turn, collect
from bot.channels.wechat import MORE_FOLLOWS, Recent, WeChatConfig, WeChatInput, chunks, numbered, valid_signature
from bot.channels.wechat_fake import ACCOUNT, FakeWeChatAPI, WeChatServerSide
from bot.serve import write_endpoints
from tests.conftest import ROOT, Assistant

APP_ID, APP_SECRET, TOKEN = "wx1234567890abcdef", "s3cr3t-app-secret-0123456789abcd", "huiqiToken2026"
AES_KEY = base64.b64encode(b"k" * 32).decode().rstrip("=")  # 43 characters, as WeChat generates them
GREETING = "我是惠企政策助手"  # domain.yml utter_greet
REGION_QUESTION = "贵单位注册在哪里"  # rules/facts.yml region's question


# ---------------------------------------------------------------------- fast: pieces
def test_choices_are_numbered_and_a_lone_button_is_named():
    two = Turn([Message("贵单位注册在哪里？", [{"title": "青海省", "payload": "/a"}, {"title": "不清楚，跳过", "payload": "/b"}])])
    assert numbered(two) == "贵单位注册在哪里？\n\n回复 1 青海省\n回复 2 不清楚，跳过"
    one = Turn([Message("新增发明专利几件？", [{"title": "不清楚，跳过", "payload": "/dont_know"}])])
    assert numbered(one) == "新增发明专利几件？\n\n（可回复“不清楚，跳过”）"


def test_a_bare_number_maps_back_only_to_a_list_of_choices():
    ch = WeChatInput(WeChatConfig(token="t"))
    ch._remember_choices("u1", [{"title": "青海省", "payload": "/qh"}, {"title": "其他地区", "payload": "/else"}])
    assert ch._resolve("u1", "2") == "/else" and ch._resolve("u1", "２") == "/else"  # full-width too
    assert ch._resolve("u1", "3") == "3" and ch._resolve("u1", "青海省") == "/qh"
    assert ch._resolve("u2", "1") == "1"  # another user's choices are not yours
    ch._remember_choices("u1", [{"title": "不清楚，跳过", "payload": "/dont_know"}])
    assert ch._resolve("u1", "1") == "1"  # "1 件" answers a quantity question
    assert ch._resolve("u1", "不清楚，跳过") == "/dont_know"


def test_signatures_and_settings():
    from bot.channels.wechat_fake import signature  # wechatpy's signer
    import time
    now = str(int(time.time()))
    sig = signature(TOKEN, now, "42")
    assert valid_signature(TOKEN, sig, now, "42")
    assert not valid_signature(TOKEN, sig, str(int(now) + 1), "42") and not valid_signature(TOKEN, "", now, "42")
    assert not valid_signature("other", sig, now, "42")
    # a correctly signed request from an hour ago (a query string replayed from a log) is refused
    old = str(int(now) - 3600)
    assert not valid_signature(TOKEN, signature(TOKEN, old, "42"), old, "42")
    assert not valid_signature(TOKEN, signature(TOKEN, "x", "42"), "x", "42")
    with pytest.raises(ValueError):
        WeChatConfig.from_env({"WECHAT_TOKEN": "t", "WECHAT_AES_KEY": "short", "WECHAT_APP_ID": APP_ID})
    c = WeChatConfig.from_env({"WECHAT_TOKEN": "t"})
    assert c.api_base == "https://api.weixin.qq.com" and c.passive_timeout == 4.0


def test_make_run_mounts_the_channel_only_with_a_token(tmp_path):
    import subprocess
    import sys

    import yaml
    assert "bot.channels.wechat.WeChatInput" in yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    src = tmp_path / "credentials.yml"
    src.write_text("rest:\nbot.channels.wechat.WeChatInput:\nbot.channels.widget.WidgetInput:\n  max_chars: 500\n",
                   encoding="utf-8")
    for token, expected in (("", {"rest", "bot.channels.widget.WidgetInput"}),
                            ("abc", {"rest", "bot.channels.widget.WidgetInput", "bot.channels.wechat.WeChatInput"})):
        env = {k: v for k, v in os.environ.items() if not k.startswith("WECHAT_")}
        subprocess.run([sys.executable, "-m", "bot.channels.wechat_setup", str(src), str(tmp_path / "out.yml")],
                       cwd=ROOT, env={**env, "WECHAT_TOKEN": token}, check=True)
        out = yaml.safe_load((tmp_path / "out.yml").read_text(encoding="utf-8"))
        assert set(out) == expected and out["bot.channels.widget.WidgetInput"] == {"max_chars": 500}


def test_retries_are_recognised():
    r = Recent(ttl=60)
    assert r.first_time("10001") and not r.first_time("10001") and r.first_time("10002")


def test_long_texts_fit_wechats_2048_bytes():
    text = "\n\n".join("【临清轴承行动计划】" + "奖励标准" * 60 for _ in range(6))
    parts = chunks(text)
    assert len(parts) > 1 and all(len(p.encode()) <= 2048 for p in parts)
    assert "\n\n".join(parts) == text


# ---------------------------------------------------------------------- the channel in a real Rasa server
class WeChatAssistant(Assistant):
    """A Rasa server with the wechat channel, sharing the `assistant` fixture's action server."""

    def __init__(self, workdir: Path, action_port: int, **env):
        super().__init__(workdir)
        self.action_port = action_port
        write_endpoints(self.endpoints, action_port, workdir / "tracker.db")
        self.credentials = workdir / "credentials.yml"
        self.credentials.write_text((ROOT / "credentials.yml").read_text(encoding="utf-8"), encoding="utf-8")
        self.env.update(env)
        self.webhook = self.url + "/webhooks/wechat/webhook"
        self.api_token = secrets.token_hex(16)  # token_urlsafe may begin with "-", which argparse takes for an option

    def start_server(self):
        # Rasa's HTTP API (with a token, on 127.0.0.1) only to read the trackers back
        self.server = self._spawn([str(Path(os.sys.executable)), "-m", "bot.serve", "run", "--model",
                                   str(ROOT / "models" / "huiqi.tar.gz"), "--endpoints", str(self.endpoints),
                                   "--credentials", str(self.credentials), "--interface", "127.0.0.1",
                                   "--port", str(self.port), "--enable-api", f"--auth-token={self.api_token}"], "rasa.log")
        self._wait(self.server, self.url + "/", "rasa server")

    def user_said(self, openid: str) -> list[str]:
        """What the assistant received from this WeChat user (its tracker's user events)."""
        import json
        import urllib.request
        url = f"{self.url}/conversations/wx:{openid}/tracker?token={self.api_token}"
        with urllib.request.urlopen(url, timeout=30) as r:
            events = json.loads(r.read().decode("utf-8")).get("events") or []
        return [e.get("text") for e in events if e.get("event") == "user"]


@pytest.fixture(scope="module")
def wechat_api():
    api = FakeWeChatAPI(APP_ID, APP_SECRET).start()
    yield api
    api.stop()


def _wechat_server(assistant, tmp_path_factory, api, **env):
    s = WeChatAssistant(tmp_path_factory.mktemp("wechat"), assistant.action_port, WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID,
                        WECHAT_APP_SECRET=APP_SECRET, WECHAT_AES_KEY=AES_KEY, WECHAT_API_BASE_URL=api.base_url, **env)
    s.start_server()
    return s


@pytest.fixture(scope="module")
def wechat(assistant, tmp_path_factory, wechat_api):
    s = _wechat_server(assistant, tmp_path_factory, wechat_api)
    yield s
    s.stop_server()


@pytest.fixture(scope="module")
def slow_wechat(assistant, tmp_path_factory, wechat_api):
    """Every answer misses the passive reply: it goes out through 客服消息."""
    s = _wechat_server(assistant, tmp_path_factory, wechat_api, WECHAT_PASSIVE_TIMEOUT="0")
    yield s
    s.stop_server()


def user() -> str:
    return "o" + secrets.token_urlsafe(20)  # openids look like this


def say(wx: WeChatServerSide, openid: str, text: str) -> str:
    status, reply, took = wx.post(wx.text(openid, text))
    assert status == 200 and isinstance(reply, dict), (status, reply)
    assert reply["ToUserName"] == openid and reply["FromUserName"] == ACCOUNT and reply["MsgType"] == "text"
    assert took < 5  # WeChat's window for a passive reply
    return reply["Content"]


@pytest.mark.server
def test_url_check_echoes_only_a_signed_request(wechat):
    wx = WeChatServerSide(wechat.webhook, TOKEN)
    assert wx.verify_url("1234567890123456789") == (200, "1234567890123456789")
    assert wx.verify_url("1234567890123456789", token="wrong")[0] == 403


@pytest.mark.server
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "aes"])
def test_a_conversation_with_numbered_choices(wechat, wechat_api, encrypted):
    wx, openid = WeChatServerSide(wechat.webhook, TOKEN, APP_ID, AES_KEY, encrypted=encrypted), user()
    status, reply, _ = wx.post(wx.event(openid, "subscribe"))
    assert status == 200 and GREETING in reply["Content"]
    assert "回复 1 我们能拿什么补贴\n回复 2 你能做什么" in reply["Content"]  # utter_greet's buttons
    region = say(wx, openid, "1")  # the first choice: /ask_eligibility
    assert REGION_QUESTION in region and "回复 1 山东省聊城市临清市" in region
    nxt = say(wx, openid, "1")  # 山东省聊城市临清市
    assert REGION_QUESTION not in nxt and "回复 1" in nxt
    # the numbers reached the assistant as the payloads of the choices shown (domain.yml)
    assert wechat.user_said(openid) == ["/greet", "/ask_eligibility", '/inform{"region": "linqing"}']
    say(wx, openid, "我们是轴承企业，规上，今年第一次认定高企")
    result = say(wx, openid, "就这些，先看结果")
    assert "临清轴承行动计划" in result and "青海" not in result  # judged for Linqing
    assert "已清空之前的信息" in say(wx, openid, "重新开始")
    assert REGION_QUESTION in say(wx, openid, "我们能拿什么补贴")  # the region is forgotten
    assert not wechat_api.sent_to(openid)  # everything came back in time, passively


@pytest.mark.server
def test_bad_signatures_get_403_and_reach_nothing(wechat):
    wx, openid = WeChatServerSide(wechat.webhook, TOKEN, APP_ID, AES_KEY), user()
    status, body, _ = wx.post(wx.text(openid, "我们是青海的企业，能拿什么补贴"), token="forged")
    assert status == 403 and body == "forbidden"
    assert wx.post(wx.text(openid, "我们是青海的企业"), query={"signature": ""})[0] == 403
    aes = WeChatServerSide(wechat.webhook, TOKEN, APP_ID, AES_KEY, encrypted=True)
    assert aes.post(aes.text(openid, "我们是青海的企业"), query={"msg_signature": "0" * 40})[0] == 403
    other_key = WeChatServerSide(wechat.webhook, TOKEN, APP_ID, base64.b64encode(b"x" * 32).decode().rstrip("="), encrypted=True)
    assert other_key.post(other_key.text(openid, "我们是青海的企业"))[0] in (400, 403)
    # none of them reached the conversation: the region is still unknown
    assert wechat.user_said(openid) == []
    assert REGION_QUESTION in say(wx, openid, "我们能拿什么补贴")
    assert wechat.user_said(openid) == ["我们能拿什么补贴"]


@pytest.mark.server
def test_a_retried_message_is_handled_once(wechat, wechat_api):
    wx, openid = WeChatServerSide(wechat.webhook, TOKEN), user()
    say(wx, openid, "我们能拿什么补贴")
    body = wx.text(openid, "1", msg_id=987654321012345678)  # 山东省聊城市临清市
    first = wx.post(body)[1]["Content"]
    assert REGION_QUESTION not in first
    for _ in range(3):  # WeChat's retries of the same MsgId
        assert wx.post(body)[1] == "success"
    event = wx.event(openid, "subscribe", create_time=1796400000)
    assert GREETING in wx.post(event)[1]["Content"]
    assert wx.post(event)[1] == "success"  # an event's retry: same FromUserName + CreateTime
    # each reached the assistant once
    assert wechat.user_said(openid) == ["我们能拿什么补贴", '/inform{"region": "linqing"}', "/greet"]
    assert not wechat_api.sent_to(openid)


@pytest.mark.server
def test_unsupported_and_odd_messages_get_a_polite_text(wechat):
    wx, openid = WeChatServerSide(wechat.webhook, TOKEN, APP_ID, AES_KEY, encrypted=True), user()
    for body in (wx.image(openid), wx.location(openid), wx.voice(openid), wx.xml(openid, "video", MediaId="m", ThumbMediaId="t")):
        status, reply, _ = wx.post(body)
        assert status == 200 and reply["Content"] == replies.UNSUPPORTED
    assert wx.post(wx.text(openid, "   "))[1]["Content"] == replies.EMPTY
    assert wx.post(wx.text(openid, "我" * 10000))[1]["Content"] == replies.TOO_LONG.format(n=10000, limit=replies.MAX_CHARS)
    emoji = wx.post(wx.text(openid, "😀🎉"))[1]["Content"]
    assert emoji and emoji not in (replies.ERROR, replies.UNSUPPORTED)
    # voice with WeChat's transcript (语音识别) is read as text
    voiced = wx.post(wx.voice(openid, recognition="高企有什么奖励？"))[1]["Content"]
    assert "高新技术企业认定奖励" in voiced
    assert wx.post(wx.event(openid, "unsubscribe"))[1] == "success"
    assert wx.post("", raw=b"<xml><not-closed>")[0] == 400


@pytest.mark.server
def test_late_answers_go_through_the_customer_service_api(slow_wechat, wechat_api):
    wx, openid = WeChatServerSide(slow_wechat.webhook, TOKEN, APP_ID, AES_KEY, encrypted=True), user()
    before = wechat_api.token_requests
    status, reply, took = wx.post(wx.text(openid, "我们能拿什么补贴"))
    assert (status, reply) == (200, "success") and took < 5
    late = wechat_api.wait_for(lambda: wechat_api.sent_to(openid), 30)
    assert REGION_QUESTION in late[0] and "回复 1 山东省聊城市临清市" in late[0]
    assert wechat_api.token_requests == before + 1
    # the numbered choices of a late answer work too; the cached token is reused
    assert wx.post(wx.text(openid, "1"))[1] == "success"
    second = wechat_api.wait_for(lambda: wechat_api.sent_to(openid)[1:], 30)
    assert REGION_QUESTION not in second[0] and "回复 1" in second[0]
    assert wechat_api.token_requests == before + 1
    # an expired token is refreshed and the message still delivered
    wechat_api.expire_tokens()
    rejected = len(wechat_api.rejected)
    assert wx.post(wx.text(openid, "重新开始"))[1] == "success"
    third = wechat_api.wait_for(lambda: wechat_api.sent_to(openid)[2:], 30)
    assert "已清空之前的信息" in third[0]
    assert wechat_api.token_requests == before + 2
    assert [r["errcode"] for r in wechat_api.rejected[rejected:]] == [42001]


def flat(text: str) -> str:
    return text.replace("\n", "")


def said_in_full(wx: WeChatServerSide, api: FakeWeChatAPI, openid: str, text: str, expected: str) -> tuple[str, list[str]]:
    """What a WeChat user gets for `text`: the passive reply and, where it ends with MORE_FOLLOWS,
    the customer-service messages after it (waited for until they hold as much as `expected`)."""
    before = len(api.sent_to(openid))
    first = say(wx, openid, text)
    assert len(first.encode()) <= 2048
    if not first.endswith(MORE_FOLLOWS):
        return first, []
    missing = len(flat(expected)) - len(flat(first[: -len(MORE_FOLLOWS)]))
    try:
        api.wait_for(lambda: len(flat("".join(api.sent_to(openid)[before:]))) >= missing, 30)
    except TimeoutError:
        pass  # compared below: what is missing shows in the diff
    return first, api.sent_to(openid)[before:]


@pytest.mark.server
def test_an_answer_over_2048_bytes_continues_through_the_customer_service_api(assistant, wechat, wechat_api):
    """Issue 7 made answers short: the long one is the detail ("详细") of a whole document's awards
    (every entry's quote, conditions and departments)."""
    question = "临清轴承行动计划有哪些奖励"
    rest_said = [collect(assistant.say("rest-long", m)) for m in (question, "详细")]
    # what the WeChat user must get: the REST channel's answer with its buttons as numbered choices
    expected = [numbered(t) for t in rest_said]
    assert len(expected[1].encode()) > 2048, "this test needs an answer longer than one WeChat message"
    wx, openid = WeChatServerSide(wechat.webhook, TOKEN), user()
    for text, whole in zip((question, "详细"), expected):
        first, rest = said_in_full(wx, wechat_api, openid, text, whole)
        if len(whole.encode()) > 2048:
            assert first.endswith(MORE_FOLLOWS) and rest
        assert all(len(r.encode()) <= 2048 for r in rest)
        # nothing lost: the answer, cut where WeChat's limit falls
        got = first[: -len(MORE_FOLLOWS)] + "".join(rest) if rest else first
        assert flat(got) == flat(whole)
    assert len(rest) >= 2  # the detail took several customer-service messages, all in order


@pytest.mark.server
def test_a_flood_from_one_user_is_limited_without_affecting_another(wechat):
    wx, flooder, calm = WeChatServerSide(wechat.webhook, TOKEN), user(), user()
    answers = [wx.post(wx.text(flooder, "你好"))[1] for _ in range(25)]
    contents = [a["Content"] if isinstance(a, dict) else a for a in answers]
    assert contents.count(replies.RATE_LIMITED) == 1  # told once …
    assert 10 <= sum(GREETING in c for c in contents) < 25  # … after a burst, then silence ("success")
    assert all(c == "success" for c in contents[contents.index(replies.RATE_LIMITED) + 1:] if GREETING not in c)
    assert REGION_QUESTION in say(wx, calm, "我们能拿什么补贴")  # another user is not affected
