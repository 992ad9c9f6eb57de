"""WeChat Official Account (公众号) as a Rasa input channel, served at /webhooks/wechat/webhook.

credentials.yml names it by its class, `bot.channels.wechat.WeChatInput` (Rasa loads custom
channels by module path); its settings come from the environment only, never from a file in
the repository:
  WECHAT_TOKEN           the Token set on WeChat's side (服务器配置 → 令牌); required
  WECHAT_APP_ID          AppID (开发者ID), for AES mode and the customer-service API
  WECHAT_APP_SECRET      AppSecret (开发者密码), for the customer-service API's access token
  WECHAT_AES_KEY         EncodingAESKey (消息加解密密钥, 43 characters), for 安全模式/兼容模式
  WECHAT_API_BASE_URL    default https://api.weixin.qq.com (the fake: http://127.0.0.1:PORT)
  WECHAT_PASSIVE_TIMEOUT seconds to wait for the answer before replying "success" and sending
                         it through the customer-service API instead (default 4.0; WeChat waits 5)

Every request's signature (sha1 of the sorted token, timestamp and nonce) is checked, the GET
echo and every POST; AES messages also carry msg_signature. A bad one gets 403 and reaches
nothing. WeChat retries an unanswered request three times: a message is handled once, keyed by
MsgId (FromUserName + CreateTime + Event for events). Crypto and XML are wechatpy's (pinned
2.0.0a26 in requirements.lock); HTTP to WeChat's API is aiohttp (Rasa's), as wechatpy's
client is synchronous.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import replies
from bot.channels.ratelimit import RateLimiter
from bot.channels.replies import Turn, split_text, utf8_len

log = logging.getLogger(__name__)

WECHAT_TEXT_LIMIT = 2048  # bytes of a text message's Content (passive reply and 客服消息)
MAX_BODY = 64 * 1024
GREETING = "/greet"  # the assistant's greeting intent (domain.yml utter_greet)
MORE_FOLLOWS = "（内容较长，其余部分随后发送）"
EXPIRED_TOKEN_CODES = {40001, 40014, 42001}  # invalid / expired access_token


@dataclass
class WeChatConfig:
    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    aes_key: str = ""
    api_base: str = "https://api.weixin.qq.com"
    passive_timeout: float = 4.0

    @classmethod
    def from_env(cls, env=os.environ) -> "WeChatConfig":
        c = cls(token=env.get("WECHAT_TOKEN", "").strip(), app_id=env.get("WECHAT_APP_ID", "").strip(),
                app_secret=env.get("WECHAT_APP_SECRET", "").strip(), aes_key=env.get("WECHAT_AES_KEY", "").strip(),
                api_base=(env.get("WECHAT_API_BASE_URL") or cls.api_base).rstrip("/"),
                passive_timeout=float(env.get("WECHAT_PASSIVE_TIMEOUT") or cls.passive_timeout))
        if c.aes_key and len(c.aes_key) != 43:
            raise ValueError("WECHAT_AES_KEY must be the 43-character EncodingAESKey from WeChat's settings")
        if c.aes_key and not c.app_id:
            raise ValueError("WECHAT_AES_KEY needs WECHAT_APP_ID (the AppID is part of every encrypted message)")
        return c


def signature(*parts: str) -> str:
    """WeChat's request signature: sha1 of the parts (token, timestamp, nonce[, Encrypt]) sorted
    and joined (as wechatpy.utils.WeChatSigner computes it)."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


#: A signed request older or newer than this is refused: in plain mode the signature covers only
#: token, timestamp and nonce, so a query string seen once must not be replayable for ever (the
#: MsgId de-duplication covers WeChat's own retries, which come within seconds).
MAX_CLOCK_SKEW = 300


def valid_signature(token: str, given: str, timestamp: str, nonce: str) -> bool:
    try:
        fresh = abs(time.time() - int(timestamp)) <= MAX_CLOCK_SKEW
    except ValueError:
        return False
    return bool(given) and bool(nonce) and fresh and hmac.compare_digest(signature(token, timestamp, nonce), given)


class Recent:
    """Keys seen in the last `ttl` seconds (WeChat's three retries come within ~15 s)."""

    def __init__(self, ttl: float = 300.0, capacity: int = 100_000):
        self.ttl, self.capacity = ttl, capacity
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and (next(iter(self._seen.values())) < now - self.ttl or len(self._seen) > self.capacity):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


class AccessToken:
    """The API's access_token (GET /cgi-bin/token), cached until five minutes before it expires,
    fetched once however many senders wait for it, refreshed when WeChat says it expired."""

    def __init__(self, config: WeChatConfig):
        self.config = config
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self, http) -> str:
        async with self._lock:
            if self._token and time.monotonic() < self._expires:
                return self._token
            params = {"grant_type": "client_credential", "appid": self.config.app_id, "secret": self.config.app_secret}
            async with http.get(f"{self.config.api_base}/cgi-bin/token", params=params) as r:
                data = await r.json(content_type=None)
            self.fetches += 1
            if not data.get("access_token"):
                raise RuntimeError(f"no access token: errcode {data.get('errcode')} {data.get('errmsg', '')}")
            self._token = data["access_token"]
            self._expires = time.monotonic() + max(60, int(data.get("expires_in", 7200)) - 300)
            return self._token

    def invalidate(self, token: str) -> None:
        if self._token == token:
            self._token = None


class CustomerService:
    """客服消息: POST /cgi-bin/message/custom/send, for answers the passive reply missed."""

    def __init__(self, config: WeChatConfig):
        self.config = config
        self.token = AccessToken(config)
        self._http = None

    async def http(self):
        if self._http is None or self._http.closed:
            import aiohttp
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def send_text(self, openid: str, content: str) -> bool:
        http = await self.http()
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": content}},
                          ensure_ascii=False).encode("utf-8")
        for attempt in (1, 2):
            token = await self.token.get(http)
            async with http.post(f"{self.config.api_base}/cgi-bin/message/custom/send", params={"access_token": token},
                                 data=body, headers={"Content-Type": "application/json; charset=utf-8"}) as r:
                data = await r.json(content_type=None)
            code = data.get("errcode", 0)
            if code == 0:
                return True
            if code in EXPIRED_TOKEN_CODES and attempt == 1:
                self.token.invalidate(token)
                continue
            log.warning("客服消息 failed: errcode %s %s", code, data.get("errmsg", ""))
            return False
        return False

    async def send(self, openid: str, texts: list[str]) -> None:
        for t in texts:
            try:
                if not await self.send_text(openid, t):
                    return
            except Exception as e:  # never crash the server over a late message
                log.warning("客服消息 failed: %s", type(e).__name__)
                return


def numbered(turn: Turn) -> str:
    """The turn's text with its buttons as choices: "回复 1 …" for two or more, the title itself
    for one (a quantity question's lone "不清楚，跳过": a bare number there is the answer)."""
    text, buttons = turn.text, turn.buttons
    if len(buttons) >= 2:
        text += "\n\n" + "\n".join(f"回复 {i} {b['title']}" for i, b in enumerate(buttons, 1))
    elif buttons:
        text += f"\n\n（可回复“{buttons[0]['title']}”）"
    return text.strip()


def chunks(text: str) -> list[str]:
    return split_text(text, WECHAT_TEXT_LIMIT, utf8_len)


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WeChatInput":
        return cls(WeChatConfig.from_env())

    def __init__(self, config: WeChatConfig):
        self.config = config
        self.crypto = None
        if config.aes_key:  # wechatpy is imported only when the channel is configured
            from wechatpy.crypto import WeChatCrypto
            self.crypto = WeChatCrypto(config.token, config.aes_key, config.app_id)
        self.recent = Recent()
        self.limiter = RateLimiter()
        self.choices: OrderedDict[str, list[dict]] = OrderedDict()  # openid → the buttons last shown
        self.service = CustomerService(config)
        self.late: set[asyncio.Task] = set()
        if not config.token:
            log.warning("WECHAT_TOKEN is not set: the wechat channel answers 503 to everything")

    # ------------------------------------------------------------ the user's words
    def _remember_choices(self, openid: str, buttons: list[dict]) -> None:
        self.choices.pop(openid, None)
        if buttons:
            self.choices[openid] = buttons
            while len(self.choices) > 100_000:
                self.choices.popitem(last=False)

    def _resolve(self, openid: str, text: str) -> str:
        """A bare number (or a button's title) after a list of choices is that choice's payload."""
        buttons = self.choices.get(openid) or []
        said = unicodedata.normalize("NFKC", text).strip()
        if len(buttons) >= 2 and re.fullmatch(r"\d{1,2}", said) and 1 <= int(said) <= len(buttons):
            return buttons[int(said) - 1]["payload"]
        for b in buttons:
            if said == unicodedata.normalize("NFKC", b["title"]).strip():
                return b["payload"]
        return text

    async def _ask(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], openid: str, text: str) -> str:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, f"wx:{openid}", input_channel=self.name(),
                                             metadata={"huiqi_structured": True}))
        except Exception:
            log.exception("the assistant failed on a wechat message")
            return replies.ERROR
        turn = replies.collect(collector.messages)
        if not turn:  # an action failed
            return replies.ERROR
        self._remember_choices(openid, turn.buttons)
        return numbered(turn)

    # ------------------------------------------------------------ replies
    def _reply(self, request: Request, msg, content: str) -> HTTPResponse:
        from wechatpy.replies import TextReply

        xml = TextReply(content=content, message=msg).render()
        if request.args.get("encrypt_type") == "aes" and self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, request.args.get("nonce"), str(int(time.time())))
        return response.text(xml, content_type="application/xml")

    def _send_late(self, openid: str, texts: list[str]) -> None:
        task = asyncio.ensure_future(self.service.send(openid, texts))
        self.late.add(task)
        task.add_done_callback(self.late.discard)

    async def _answer(self, request: Request, msg, on_new_message, text: str) -> HTTPResponse:
        openid = msg.source
        task = asyncio.ensure_future(self._ask(on_new_message, openid, self._resolve(openid, text)))
        try:
            answer = await asyncio.wait_for(asyncio.shield(task), timeout=self.config.passive_timeout)
        except asyncio.TimeoutError:
            # too late for the passive reply: "success" now, the answer through 客服消息 when ready
            def later(t: asyncio.Task) -> None:
                self._send_late(openid, chunks(t.result()) if not t.cancelled() else [replies.ERROR])
            self.late.add(task)
            task.add_done_callback(self.late.discard)
            task.add_done_callback(later)
            return response.text("success")
        parts = chunks(answer)
        if len(parts) == 1:
            return self._reply(request, msg, answer)
        # the first part passively, the rest through 客服消息
        first = split_text(answer, WECHAT_TEXT_LIMIT - utf8_len("\n\n" + MORE_FOLLOWS), utf8_len)[0]
        rest = answer[len(first):].lstrip("\n") if answer.startswith(first) else answer
        self._send_late(openid, chunks(rest))
        return self._reply(request, msg, first + "\n\n" + MORE_FOLLOWS)

    async def handle(self, request: Request, on_new_message) -> HTTPResponse:
        from wechatpy import parse_message
        from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

        args = request.args
        if not valid_signature(self.config.token, args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", "")):
            return response.text("forbidden", status=403)
        body = request.body or b""
        if len(body) > MAX_BODY:
            return response.text("too large", status=413)
        if args.get("encrypt_type") == "aes":
            if self.crypto is None:
                log.warning("an encrypted wechat message, but WECHAT_AES_KEY is not set")
                return response.text("forbidden", status=403)
            try:
                body = self.crypto.decrypt_message(body, args.get("msg_signature", ""), args.get("timestamp"), args.get("nonce"))
            except (InvalidSignatureException, InvalidAppIdException):
                return response.text("forbidden", status=403)
            except Exception:
                return response.text("bad request", status=400)
        try:
            msg = parse_message(body)
        except Exception:
            return response.text("bad request", status=400)
        if msg is None or not msg.source:
            return response.text("bad request", status=400)

        event = getattr(msg, "event", "") if msg.type == "event" else ""
        key = str(msg.id) if msg.id else f"{msg.source}:{msg.time}:{event}"
        if not self.recent.first_time(key):
            return response.text("success")  # a retry of a message being or already handled

        if msg.type == "event":
            if event in ("subscribe", "subscribe_scan"):
                return await self._answer(request, msg, on_new_message, GREETING)
            return response.text("success")  # unsubscribe, menu clicks, location reports: nothing to say

        verdict = self.limiter.check(msg.source)
        if verdict == "drop":
            return response.text("success")
        if verdict == "warn":
            return self._reply(request, msg, replies.RATE_LIMITED)

        if msg.type == "text":
            text = (msg.content or "").strip()
        elif msg.type == "voice" and (msg.recognition or "").strip():  # 语音识别 on: WeChat's transcript
            text = msg.recognition.strip()
        else:  # images, voice without a transcript, video, location, links, …
            return self._reply(request, msg, replies.UNSUPPORTED)
        if not text:
            return self._reply(request, msg, replies.EMPTY)
        if refusal := replies.too_long(text):
            return self._reply(request, msg, refusal)
        return await self._answer(request, msg, on_new_message, text)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("wechat_webhook", __name__)
        configured = bool(self.config.token)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if configured else "not configured"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """WeChat checks the URL with a signed GET and expects `echostr` back."""
            if not configured:
                return response.text("wechat channel not configured", status=503)
            a = request.args
            if not valid_signature(self.config.token, a.get("signature", ""), a.get("timestamp", ""), a.get("nonce", "")):
                return response.text("forbidden", status=403)
            return response.text(a.get("echostr", ""))

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not configured:
                return response.text("wechat channel not configured", status=503)
            try:
                return await self.handle(request, on_new_message)
            except Exception:
                log.exception("a wechat message failed")
                return response.text("success")  # WeChat shows an error to the user otherwise

        @bp.listener("after_server_stop")
        async def close(app, loop) -> None:
            await self.service.close()

        return bp
