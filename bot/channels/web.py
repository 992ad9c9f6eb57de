"""What the site widget's and the hotline console's input channels share: a REST message
checked before it reaches NLU (size, sender, text length), the project's static files, and
the suggestions built from rules/topics.yml."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import response
from sanic.request import Request

WEB = Path(__file__).resolve().parent.parent / "web"
from bot.guard import NLU_MAX_CHARS as MAX_CHARS  # what one message may hold (the widget caps its input the same way)
from bot.guard import clean
MAX_BODY = 16 * 1024     # bytes of one request body
SENDER = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8"}


class BadRequest(Exception):
    """A request refused with a message the page shows as it is."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error(message: str, status: int = 400):
    return response.json({"error": message}, status=status)


def read_message(request: Request, max_chars: int = MAX_CHARS) -> tuple[str, str]:
    """(sender, text) of a POST {"sender", "message"}, or BadRequest with a clear message."""
    if len(request.body or b"") > MAX_BODY:
        raise BadRequest("请求过大。", 413)
    try:
        body = json.loads(request.body or b"")
    except ValueError:
        raise BadRequest("请求不是有效的 JSON。")
    if not isinstance(body, dict):
        raise BadRequest("请求应为 JSON 对象。")
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not SENDER.match(sender):
        raise BadRequest("缺少或无效的会话编号（sender）。")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("消息是空的，请输入您的问题。")
    text = " ".join(clean(text).split())  # control characters and lone surrogates out, as bot.guard does
    if not text:
        raise BadRequest("消息是空的，请输入您的问题。")
    if len(text) > max_chars:
        raise BadRequest(f"消息太长（{len(text)}字），一次最多{max_chars}字，请分几次说。")
    return sender, text


async def run_message(on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str,
                      channel: str, output: CollectingOutputChannel | None = None) -> list[dict]:
    """The bot's replies to one message, asking for the structured answer (docs/answers.md)."""
    collector = output or CollectingOutputChannel()
    await on_new_message(UserMessage(text, collector, sender, input_channel=channel,
                                     metadata={"huiqi_structured": True}))
    return collector.messages


def static_file(name: str, extra_headers: dict | None = None):
    """One of the files in bot/web/, by its plain name only (no paths)."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*\.(js|css|html)", name) or not (WEB / name).is_file():
        return error("没有这个文件。", 404)
    body = (WEB / name).read_bytes()
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", **(extra_headers or {})}
    return response.raw(body, content_type=TYPES[Path(name).suffix], headers=headers)


def suggestions(limit: int = 6) -> list[dict]:
    """Chips for the widget: "what can we get" (the greeting's button in domain.yml), then the
    topics of rules/topics.yml that pay the most awards, each asked as "<label>有哪些奖补？"."""
    from huiqi.nlu import load_topics
    from huiqi.tables import default_rules_dir, load_catalogue
    import yaml

    cat = load_catalogue()
    topics = load_topics(default_rules_dir())
    count: dict[str, int] = {t: 0 for t in topics}
    for e in cat.entries:
        if not e.pays_money:
            continue
        for t, spec in topics.items():
            if t in (e.topics or ()):  # (a topic that is a whole document's awards is no question's subject)
                count[t] += 1
    ranked = sorted((t for t in topics if count[t]), key=lambda t: -count[t])[:limit]
    out = []
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    for b in (domain.get("responses", {}).get("utter_greet") or [{}])[0].get("buttons") or []:
        if b.get("payload") == "/ask_eligibility":
            out.append({"title": b["title"], "message": b["title"], "payload": b["payload"]})
    for t in ranked:
        label = topics[t]["label"]
        out.append({"title": label, "message": f"{label}有哪些奖补？", "topic": t})
    return out
