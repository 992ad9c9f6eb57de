"""The gate in front of Rasa's REST channel: what a user or a client sends is checked before it
reaches NLU, so nothing typed or posted can crash a turn or hold the server.

Rasa runs NLU inside its one event loop: while one message is parsed no other request is
served, and Rasa guards custom components against neither empty text nor length (an empty
message raised in the intent classifier; a 100,000-character one kept the server busy for
minutes, the fact extractor's cost growing with the square of the length). So, on
POST /webhooks/rest/webhook:

- the body must be a JSON object with a string `sender` (1-128 characters) and a string
  `message`, else HTTP 400 with a Chinese reason (`error`) and an English one (`detail`);
- control characters and unpaired surrogates are taken out of the message (tab and newlines
  become spaces), so nothing unprintable is stored or logged;
- an empty or whitespace-only message, or one longer than MAX_CHARS characters, is answered at
  once, in the REST channel's own format, with a short Chinese message saying what to send
  instead; it never reaches NLU and is not recorded in the conversation, which goes on as before;
- any request body larger than MAX_BODY bytes is refused by Sanic itself (HTTP 413), answered
  in Chinese here too;
- where Rasa would answer `[]` (an action failed, e.g. the action server is down), the user gets
  an apology saying to send the message again; the conversation keeps what it had.

`install(app)` is called on the Rasa server's app by bot.serve. Limits can be changed with the
environment variables HUIQI_MAX_MESSAGE_CHARS and HUIQI_MAX_BODY_BYTES.
"""
from __future__ import annotations

import json
import os
import re

#: Characters a message may have. The longest real message in the NLU sets is about 70; past a
#: few hundred the fact extractor's time (quadratic in the length) is what holds other users.
#: (bot.components.MAX_CHARS cuts anything longer that reaches NLU another way.)
#: HUIQI_MAX_MESSAGE_CHARS may lower it, not raise it past what NLU reads.
NLU_MAX_CHARS = 500  # = bot.components.MAX_CHARS (checked by tests/test_gate.py)
MAX_CHARS = min(int(os.environ.get("HUIQI_MAX_MESSAGE_CHARS", str(NLU_MAX_CHARS))), NLU_MAX_CHARS)
#: Bytes a request body may have (any route). A MAX_CHARS message is at most ~6 bytes a character
#: as \\u-escaped JSON; other routes (the HTTP API) post trackers and stories, so leave room.
MAX_BODY = int(os.environ.get("HUIQI_MAX_BODY_BYTES", str(1024 * 1024)))
MAX_SENDER = 128
HOTLINE_PREFIX = "call-"  # bot/channels/hotline.py's conversations

REST_PATH = "/webhooks/rest/webhook"

EMPTY_REPLY = "您发来的消息是空的。请直接输入您的问题，例如：“我们是临清的轴承企业，高企奖励能拿多少？”"
TOO_LONG_REPLY = ("您的消息太长了（{n}字），我一次最多读{max}字。请分几条发，或只说关键情况，"
                  "例如所在地区、企业规模、已获认定和研发投入。")

FAILED_REPLY = "抱歉，系统暂时出了点问题，这条消息没能处理。您已提供的信息都还在，请稍后再发一次。"

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACING = re.compile(r"[\t\n\r]")


def clean(text: str) -> str:
    """The message without control characters or unpaired surrogates (tab/newline → space)."""
    return _UNPRINTABLE.sub("", _SPACING.sub(" ", text))


class Refusal(Exception):
    def __init__(self, status: int, error: str, detail: str):
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


def check(body: bytes) -> tuple[dict, str | None]:
    """(the request's JSON with its message cleaned, a reply to give instead of Rasa's or None).
    Raises Refusal for a request no user could have typed (HTTP 400)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, "请求格式不对：需要 JSON，如 {\"sender\": \"用户编号\", \"message\": \"您的问题\"}。",
                      "the body is not JSON (UTF-8)")
    if not isinstance(data, dict):
        raise Refusal(400, "请求格式不对：需要一个 JSON 对象，含 sender 和 message。", "the body is not a JSON object")
    sender, message = data.get("sender"), data.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER or clean(sender) != sender:
        raise Refusal(400, f"请求缺少有效的 sender（会话编号：1至{MAX_SENDER}个字符的字符串）。",
                      f"sender must be a string of 1-{MAX_SENDER} printable characters")
    if sender.startswith(HOTLINE_PREFIX):  # the hotline's calls are reached with its token only
        raise Refusal(400, "这个会话编号留给热线坐席台使用，请换一个。", f"senders starting with {HOTLINE_PREFIX} are the hotline's")
    if not isinstance(message, str):
        raise Refusal(400, "请求缺少 message（消息文字，字符串）。", "message must be a string")
    text = clean(message)
    data = {**data, "message": text}
    if not text.strip():
        return data, EMPTY_REPLY
    if len(text) > MAX_CHARS:
        return data, TOO_LONG_REPLY.format(n=len(text), max=MAX_CHARS)
    return data, None


def install(app) -> None:
    """Add the gate to a Rasa server's Sanic app (before it starts)."""
    from sanic import response
    from sanic.exceptions import PayloadTooLarge

    app.config.REQUEST_MAX_SIZE = MAX_BODY

    async def gate(request):
        if request.method != "POST" or request.path.rstrip("/") != REST_PATH:
            return None
        stream = request.stream
        if stream is not None and (getattr(stream, "request_bytes", 0) or 0) > MAX_BODY:
            return None  # the body was cut off (Sanic runs this on its way to the 413 handler)
        try:
            data, reply = check(request.body or b"")
        except Refusal as r:
            return response.json({"error": r.error, "detail": r.detail}, status=r.status,
                                 dumps=lambda o, **k: json.dumps(o, ensure_ascii=False, **k))
        if reply is not None:
            return response.json([{"recipient_id": data["sender"], "text": reply}],
                                 dumps=lambda o, **k: json.dumps(o, ensure_ascii=False, **k))
        request.parsed_json = data  # what the REST channel reads: the cleaned message
        return None

    async def too_large(request, exception):
        return response.json({"error": f"请求太大（上限{MAX_BODY}字节）。消息请控制在{MAX_CHARS}字以内。",
                              "detail": "request body too large"}, status=413,
                             dumps=lambda o, **k: json.dumps(o, ensure_ascii=False, **k))

    async def no_silence(request, resp):
        # Rasa's REST channel answers [] when an action failed (the action server down or
        # erring): the user would see nothing. Say so; what they told us is kept.
        if (request.method == "POST" and request.path.rstrip("/") == REST_PATH and resp is not None
                and resp.status == 200 and (resp.body or b"").strip() == b"[]"):
            sender = (request.parsed_json or {}).get("sender") if isinstance(request.parsed_json, dict) else None
            return response.json([{"recipient_id": sender, "text": FAILED_REPLY}],
                                 dumps=lambda o, **k: json.dumps(o, ensure_ascii=False, **k))
        return None

    app.register_middleware(gate, "request")
    app.register_middleware(no_silence, "response")
    app.error_handler.add(PayloadTooLarge, too_large)
