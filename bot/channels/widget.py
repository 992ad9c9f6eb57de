"""The site widget's input channel: Rasa's REST channel under /webhooks/widget/, plus the
widget's own files and a demo page, served from the same origin as the webhook.

    credentials.yml:  bot.channels.widget.WidgetInput: {max_chars: 500}

GET  /webhooks/widget/static/widget.js   the widget (one <script> tag embeds it)
GET  /webhooks/widget/suggestions.json   chips built from rules/topics.yml
GET  /webhooks/widget/demo               a demo page of a bureau site with the widget on it
POST /webhooks/widget/webhook            {"sender", "message"} → Rasa's REST replies

Why a channel of our own rather than `rest` + `--cors`: the demo page, the script and the
webhook share one origin, so the page needs no CORS at all; every message is checked here
(length, sender, size) before it reaches NLU; and the structured answer is always asked for.
A page on another origin embeds the same script; its requests then need Rasa's `--cors`
(`make run` passes `--cors "*"`; name the site's origin instead in production).
"""
from __future__ import annotations

import html
import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from . import web

logger = logging.getLogger(__name__)


class WidgetInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(int((credentials or {}).get("max_chars") or web.MAX_CHARS))

    def __init__(self, max_chars: int = web.MAX_CHARS):
        self.max_chars = max_chars
        self._suggestions: list | None = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("huiqi_widget", inspect.getmodule(self).__name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request):
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request):
            try:
                sender, text = web.read_message(request, self.max_chars)
            except web.BadRequest as e:
                return web.error(str(e), e.status)
            if sender.startswith("call-"):  # the hotline console's conversations are not joined from a site
                return web.error("无效的会话编号（sender）。")
            try:
                replies = await web.run_message(on_new_message, sender, text, self.name())
            except Exception:  # noqa: BLE001 — the page gets a message, the log the details
                logger.exception("widget message failed")
                replies = []
            if not replies:  # Rasa answers nothing when an action failed
                return web.error("助手暂时没有答复，请稍后再试。", 502)
            return response.json(replies)

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str):
            return web.static_file(name)

        @bp.route("/suggestions.json", methods=["GET"])
        async def suggestions(request: Request):
            if self._suggestions is None:
                self._suggestions = web.suggestions()
            return response.json({"max_chars": self.max_chars, "suggestions": self._suggestions})

        @bp.route("/demo", methods=["GET"])
        async def demo(request: Request):
            return response.html(demo_page())

        return bp


def demo_page() -> str:
    """bot/web/demo.html with the documents the assistant knows listed from the rule tables."""
    from huiqi.answers import status_line
    from huiqi.tables import load_catalogue
    import datetime as dt
    import os

    day = os.environ.get("HUIQI_AS_OF")
    as_of = dt.date.fromisoformat(day) if day else dt.date.today()
    items = []
    for d in load_catalogue().documents.values():
        number = f"（{html.escape(d.number)}）" if d.number else ""
        items.append(f"<li><span class=\"doc-title\">{html.escape(d.issuer)}《{html.escape(d.title)}》{number}</span>"
                     f"<span class=\"doc-status\">{d.date:%Y年%m月%d日}发布 · {html.escape(status_line(d, as_of))}</span></li>")
    page = (web.WEB / "demo.html").read_text(encoding="utf-8")
    return page.replace("<!--DOCUMENTS-->", "\n".join(items))
