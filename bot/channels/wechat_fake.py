"""WeChat's side, faked on 127.0.0.1, for tests and the local demo.

- `WeChatServerSide` sends what WeChat's servers send to an Official Account's URL: the signed
  GET echo check, and messages and events as signed XML POSTs, plain (明文模式) or AES-encrypted
  (安全模式: the `Encrypt` body, `encrypt_type=aes` and `msg_signature`), and reads the passive
  reply back (decrypting it and checking its signature, as WeChat does).
- `FakeWeChatAPI` is api.weixin.qq.com's part the channel calls: `GET /cgi-bin/token` (AppID +
  AppSecret → access_token, expires_in 7200) and `POST /cgi-bin/message/custom/send` (客服消息),
  which checks the token (40001 invalid, 42001 expired), the receiver and the content length
  (45002 over 2048 bytes) and records what was sent.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

import xmltodict
from aiohttp import web
from wechatpy.crypto import PrpCrypto, WeChatCrypto, _get_signature
from wechatpy.utils import WeChatSigner, to_text

ACCOUNT = "gh_huiqi_demo"  # the Official Account's original id (原始ID)


def signature(*parts: str) -> str:
    """Signed with wechatpy's signer, independently of the channel's own check."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def cdata(v: Any) -> str:
    return f"<![CDATA[{v}]]>" if isinstance(v, str) else str(v)


class WeChatServerSide:
    def __init__(self, url: str, token: str, app_id: str = "", aes_key: str = "", encrypted: bool = False):
        self.url, self.token, self.app_id, self.aes_key, self.encrypted = url, token, app_id, aes_key, encrypted
        self._msg_ids = itertools.count(secrets.randbelow(10 ** 18) + 10 ** 18)  # WeChat's MsgIds are unique 64-bit numbers

    # ------------------------------------------------------------ what WeChat sends
    def xml(self, openid: str, msg_type: str, create_time: int | None = None, msg_id: int | None = None, **fields) -> str:
        data: dict[str, Any] = {"ToUserName": ACCOUNT, "FromUserName": openid,
                                "CreateTime": create_time or int(time.time()), "MsgType": msg_type, **fields}
        if msg_type != "event":
            data["MsgId"] = msg_id or next(self._msg_ids)
        return "<xml>" + "".join(f"<{k}>{cdata(v)}</{k}>" for k, v in data.items()) + "</xml>"

    def text(self, openid: str, content: str, **kw) -> str:
        return self.xml(openid, "text", Content=content, **kw)

    def image(self, openid: str) -> str:
        return self.xml(openid, "image", PicUrl="http://mmbiz.qpic.cn/demo.jpg", MediaId="media_id_1")

    def voice(self, openid: str, recognition: str | None = None) -> str:
        extra = {"Recognition": recognition} if recognition is not None else {}
        return self.xml(openid, "voice", MediaId="media_id_2", Format="amr", **extra)

    def location(self, openid: str) -> str:
        return self.xml(openid, "location", Location_X=36.838, Location_Y=115.706, Scale=15, Label="山东省聊城市临清市")

    def event(self, openid: str, event: str, create_time: int | None = None) -> str:
        return self.xml(openid, "event", create_time=create_time, Event=event, EventKey="")

    # ------------------------------------------------------------ signing and sending
    def signed_query(self, body: str, token: str | None = None, openid: str = "") -> tuple[dict, bytes]:
        token = token or self.token
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10 ** 9))
        query = {"signature": signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
        if openid:
            query["openid"] = openid
        if not self.encrypted:
            return query, body.encode("utf-8")
        encrypt = to_text(PrpCrypto(WeChatCrypto(token, self.aes_key, self.app_id).key).encrypt(body, self.app_id))
        query.update(encrypt_type="aes", msg_signature=_get_signature(token, timestamp, nonce, encrypt))
        wrapped = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return query, wrapped.encode("utf-8")

    def post(self, body: str, token: str | None = None, query: dict | None = None, raw: bytes | None = None,
             timeout: float = 30) -> tuple[int, dict | str | None, float]:
        """POST as WeChat does → (HTTP status, the reply (a dict for a message, "success"/"" or
        the error text), seconds taken)."""
        openid = xmltodict.parse(body)["xml"].get("FromUserName", "") if body else ""
        q, data = self.signed_query(body, token, openid)
        q.update(query or {})
        req = urllib.request.Request(self.url + "?" + urllib.parse.urlencode(q), data=raw if raw is not None else data,
                                     headers={"Content-Type": "text/xml"})
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, text = r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode("utf-8", "replace")
        took = time.monotonic() - t0
        if status != 200 or not text.startswith("<xml"):
            return status, text, took
        return status, self.read_reply(text), took

    def read_reply(self, text: str) -> dict:
        doc = xmltodict.parse(text)["xml"]
        if self.encrypted:  # WeChat checks the reply's signature and decrypts it
            crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
            doc = xmltodict.parse(crypto.decrypt_message(text, doc["MsgSignature"], doc["TimeStamp"], doc["Nonce"]))["xml"]
        return dict(doc)

    def verify_url(self, echostr: str = "echo-1234567890", token: str | None = None) -> tuple[int, str]:
        timestamp, nonce = str(int(time.time())), "99887766"
        q = {"signature": signature(token or self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
             "echostr": echostr}
        try:
            with urllib.request.urlopen(self.url + "?" + urllib.parse.urlencode(q), timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")


class FakeWeChatAPI:
    def __init__(self, app_id: str, app_secret: str, host: str = "127.0.0.1", port: int = 0):
        self.app_id, self.app_secret, self.host, self.port = app_id, app_secret, host, port
        self.tokens: dict[str, float] = {}    # access_token → expiry (time.time())
        self.token_requests = 0
        self.sent: list[dict] = []            # the 客服消息 accepted
        self.rejected: list[dict] = []        # (errcode, body) of refused calls
        self._cond = threading.Condition()
        self._started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "FakeWeChatAPI":
        self._thread = threading.Thread(target=self._run, name="fake-wechat", daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("the fake WeChat API did not start")
        return self

    def _run(self):
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        self._started.set()
        self._loop.run_forever()

    async def _startup(self):
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def stop(self):
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def expire_tokens(self) -> None:
        with self._cond:
            for t in self.tokens:
                self.tokens[t] = 0.0

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("grant_type") != "client_credential":
            return web.json_response({"errcode": 40002, "errmsg": "invalid grant_type"})
        if q.get("appid") != self.app_id:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        if q.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        token = secrets.token_urlsafe(48)
        with self._cond:
            self.token_requests += 1
            self.tokens[token] = time.time() + 7200
        return web.json_response({"access_token": token, "expires_in": 7200})

    async def _custom_send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token", "")
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return self._refuse(47001, "data format error", {})
        with self._cond:
            expiry = self.tokens.get(token)
        if expiry is None:
            return self._refuse(40001, "invalid credential, access_token is invalid or not latest", body)
        if expiry < time.time():
            return self._refuse(42001, "access_token expired", body)
        if not body.get("touser"):
            return self._refuse(40003, "invalid openid", body)
        if body.get("msgtype") != "text" or not isinstance(body.get("text"), dict):
            return self._refuse(40008, "invalid message type", body)
        content = body["text"].get("content") or ""
        if not content or len(content.encode("utf-8")) > 2048:
            return self._refuse(45002, "content size out of limit", body)
        with self._cond:
            self.sent.append(body)
            self._cond.notify_all()
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def _refuse(self, code: int, msg: str, body: dict) -> web.Response:
        with self._cond:
            self.rejected.append({"errcode": code, "body": body})
            self._cond.notify_all()
        return web.json_response({"errcode": code, "errmsg": msg})

    def sent_to(self, openid: str) -> list[str]:
        with self._cond:
            return [m["text"]["content"] for m in self.sent if m["touser"] == openid]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (value := predicate()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the fake WeChat API waited in vain")
                self._cond.wait(min(left, 0.2))
            return value
