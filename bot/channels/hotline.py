"""The hotline console's input channel: staff on a call use the assistant as a script.

    credentials.yml:  bot.channels.hotline.HotlineInput: {allow_remote: false}

Its own channel (`hotline`), so the assistant's questions read as what to ask the caller
("请询问：<label>？", huiqi.generate's hotline wording from rules/facts.yml, chosen by
actions/actions.py's ask() for this channel). Under
/webhooks/hotline/:

GET  console                    the console page (bot/web/console.html)
GET  static/<name>              its script and style sheet
POST webhook  {sender, message}            a message → {replies, state}
POST fact     {sender, fact, value}        a fact edited in place → {replies, state}
GET  state?sender=…                        the call as it stands (after a reload)

`state` is huiqi.callsheet's view of the call (facts, unknowns, one card per money award,
the plain-text summary), computed here from the tracker's slots with the Rasa-free core.

Protected by a token (Authorization: Bearer …): HUIQI_HOTLINE_TOKEN, else the one generated
once in var/hotline-token (`make run` prints the console's address with it). Served to
loopback clients only, unless `allow_remote: true` or HUIQI_HOTLINE_ALLOW_REMOTE=1 (put it
behind TLS then). The check is on the socket's peer: a reverse proxy on the same machine makes
every client loopback, so it must do its own access control; the token still applies.
"""
from __future__ import annotations

import datetime as dt
import hmac
import inspect
import ipaddress
import json
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from . import web

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
TOKEN_FILE = ROOT / "var" / "hotline-token"


def token(path: Path = TOKEN_FILE) -> str:
    """HUIQI_HOTLINE_TOKEN, else var/hotline-token (created once, readable by its owner only)."""
    env = os.environ.get("HUIQI_HOTLINE_TOKEN", "").strip()
    if env:
        return env
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():  # written whole, then linked into place: a reader never sees half a file
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_urlsafe(24) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the token
        finally:
            tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


from bot.guard import HOTLINE_PREFIX as CALL_PREFIX  # the console's conversations; the widget's can be neither read nor joined here


def as_of() -> dt.date:
    """As the actions judge: today, unless HUIQI_AS_OF fixes the date."""
    fixed = os.environ.get("HUIQI_AS_OF")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


class HotlineOutput(CollectingOutputChannel):
    """Collects replies like the REST channel's collector, named `hotline` so the domain's
    `channel: hotline` response variations are chosen."""

    @classmethod
    def name(cls) -> Text:
        return "hotline"


class HotlineInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "hotline"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        c = credentials or {}
        remote = bool(c.get("allow_remote")) or os.environ.get("HUIQI_HOTLINE_ALLOW_REMOTE") == "1"
        return cls(allow_remote=remote, max_chars=int(c.get("max_chars") or web.MAX_CHARS))

    def __init__(self, allow_remote: bool = False, max_chars: int = web.MAX_CHARS):
        self.allow_remote = allow_remote
        self.max_chars = max_chars
        self._token: str | None = None
        self._core = None

    # ---- the core (loaded once, on first use: the server starts as fast as before)
    def core(self):
        if self._core is None:
            from huiqi.engine import Engine
            from huiqi.tables import load_catalogue
            self._core = Engine(load_catalogue())
        return self._core

    def _refused(self, request: Request, need_token: bool = True):
        """None when the request may go on, else the response refusing it."""
        if not self.allow_remote:
            try:
                if not ipaddress.ip_address(request.ip).is_loopback:
                    return web.error("热线坐席台只对本机开放。", 403)
            except ValueError:
                return web.error("热线坐席台只对本机开放。", 403)
        if need_token:
            if self._token is None:
                self._token = token()
            given = request.headers.get("authorization", "")
            given = given[7:].strip() if given.lower().startswith("bearer ") else ""
            if not given or not hmac.compare_digest(given.encode(), self._token.encode()):
                return web.error("口令不正确或缺少口令。", 401)
        return None

    async def state(self, request: Request, sender: str) -> dict:
        from huiqi import callsheet
        engine = self.core()
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        slots = tracker.current_slot_values() if tracker else {}
        st = callsheet.call_state(engine, slots, as_of())
        st["sender"] = sender
        st["asking"] = None
        st["transcript"] = []
        if tracker is not None:
            requested = slots.get("requested_slot")
            last_bot = None
            for e in tracker.events:
                d = e.as_dict()
                data = d.get("data") or {}
                if d.get("event") == "user" and d.get("text"):
                    st["transcript"].append({"who": "user", "text": d["text"]})
                elif d.get("event") == "bot" and (d.get("text") or data.get("buttons")):
                    last_bot = {"who": "bot", "text": d.get("text") or "", "buttons": data.get("buttons") or []}
                    st["transcript"].append(last_bot)
            st["transcript"] = st["transcript"][-60:]
            if requested in engine.vocab.facts and tracker.active_loop_name and last_bot:
                from huiqi.answers import short_label
                st["asking"] = {"fact": requested, "label": short_label(engine.vocab[requested]),
                                "text": last_bot["text"], "buttons": last_bot["buttons"]}
        st["summary"] = callsheet.summary(st)
        return st

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("huiqi_hotline", inspect.getmodule(self).__name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request):
            return self._refused(request, need_token=False) or response.json({"status": "ok"})

        @bp.route("/console", methods=["GET"])
        async def console(request: Request):
            return self._refused(request, need_token=False) or web.static_file(
                "console.html", {"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"})

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str):
            if name not in ("console.js", "console.css"):
                return web.error("没有这个文件。", 404)
            return self._refused(request, need_token=False) or web.static_file(name)

        async def run(request: Request, sender: str, text: str):
            try:
                replies = await web.run_message(on_new_message, sender, text, self.name(), HotlineOutput())
            except Exception:  # noqa: BLE001 — the page gets a message, the log the details
                logger.exception("hotline message failed")
                replies = []
            if not replies:
                return web.error("助手暂时没有答复，请稍后再试。", 502)
            return response.json({"replies": replies, "state": await self.state(request, sender)})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            refused = self._refused(request)
            if refused:
                return refused
            try:
                sender, text = web.read_message(request, self.max_chars)
            except web.BadRequest as e:
                return web.error(str(e), e.status)
            if not sender.startswith(CALL_PREFIX):
                return web.error("会话编号应以 call- 开头。")
            return await run(request, sender, text)

        @bp.route("/fact", methods=["POST"])
        async def fact(request: Request):
            refused = self._refused(request)
            if refused:
                return refused
            try:
                body = json.loads(request.body or b"")
                sender, fid, value = body["sender"], body["fact"], body["value"]
            except (ValueError, KeyError, TypeError):
                return web.error("请求应为 {sender, fact, value}。")
            from huiqi import dialogue
            vocab = self.core().vocab
            if not isinstance(sender, str) or not web.SENDER.match(sender) or not sender.startswith(CALL_PREFIX):
                return web.error("缺少或无效的会话编号（sender，应以 call- 开头）。")
            if not isinstance(fid, str) or fid not in vocab.facts:
                return web.error("没有这项情况。")
            v, problem = dialogue.coerce_slot(vocab, fid, value)
            if problem or v is None:
                return web.error(problem or f"请填写{vocab[fid].label}。")
            from huiqi.vocabulary import to_json
            text = "/inform" + json.dumps({fid: to_json(v)}, ensure_ascii=False)
            return await run(request, sender, text)

        @bp.route("/state", methods=["GET"])
        async def state(request: Request):
            refused = self._refused(request)
            if refused:
                return refused
            sender = request.args.get("sender", "")
            if not web.SENDER.match(sender) or not sender.startswith(CALL_PREFIX):
                return web.error("缺少或无效的会话编号（sender）。")
            return response.json({"replies": [], "state": await self.state(request, sender)})

        return bp


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.channels.hotline --token`: prints the console's token (creating it)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--token"]:
        print(token())
        return 0
    print("usage: python -m bot.channels.hotline --token", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
