"""What the assistant said, in the shape the Telegram bridge and the WeChat channel render it.

Rasa sends a turn as a list of messages (`{"text", "buttons", "custom", …}`). `huiqi-answer`
objects (docs/answers.md) arrive as one extra `custom` message carrying the same text and
buttons as the plain messages, so a chat renders the plain messages and falls back on the
object only when a turn has no plain text. Also: the short Chinese texts both channels send on
their own (apologies, unsupported input), and splitting long texts on paragraph boundaries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

# Longer messages are refused at the channel: the NLU's cost grows with length, and Rasa
# serves every user from one event loop (RASA_NOTES: a 100,000-character text blocked it).
from bot.guard import NLU_MAX_CHARS as MAX_CHARS  # longer texts are refused in words, never cut before NLU

ERROR = "抱歉，系统暂时出了点问题，这次没能回答。请稍后再发一次。"
TIMEOUT = "抱歉，系统这会儿响应太慢，这次没能回答。请稍后再发一次。"
EMPTY = "请用文字描述您的问题，例如“我们公司能拿什么补贴？”"
UNSUPPORTED = "抱歉，我目前只能看懂文字消息。请用文字描述您的问题，例如“我们公司能拿什么补贴？”"
TOO_LONG = "您的消息有{n}字，太长了。请用几句话说明您的问题（{limit}字以内）。"
RATE_LIMITED = "您发得太快了，请稍等几秒再发。"
BUTTON_EXPIRED = "这个按钮已过期，请直接输入文字。"


@dataclass
class Message:
    text: str
    buttons: list[dict] = field(default_factory=list)  # [{"title", "payload"}]


@dataclass
class Turn:
    messages: list[Message]
    structured: dict | None = None  # the huiqi-answer object, when one came

    @property
    def text(self) -> str:
        return "\n\n".join(m.text for m in self.messages if m.text)

    @property
    def buttons(self) -> list[dict]:
        return [b for m in self.messages for b in m.buttons]

    def __bool__(self) -> bool:
        return any(m.text or m.buttons for m in self.messages)


def _buttons(raw) -> list[dict]:
    out = []
    for b in raw or []:
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str):
            out.append({"title": b["title"], "payload": b["payload"]})
    return out


def structured_answer(custom) -> dict | None:
    """The huiqi-answer object in a `custom` field, if it is one whose major version we read."""
    if not isinstance(custom, dict):
        return None
    version = custom.get("huiqi_answer")
    if not isinstance(version, str) or version.split(".")[0] != "1":
        return None
    return custom


def collect(replies: Iterable[dict]) -> Turn:
    """Rasa's messages for one turn → plain messages (text + their buttons) + the structure."""
    messages, structured = [], None
    for r in replies or []:
        if not isinstance(r, dict):
            continue
        answer = structured_answer(r.get("custom"))
        if answer is not None:
            structured = answer
            continue
        text = r.get("text") if isinstance(r.get("text"), str) else ""
        buttons = _buttons(r.get("buttons"))
        if text.strip() or buttons:
            messages.append(Message(text.strip(), buttons))
    if not messages and structured is not None and isinstance(structured.get("text"), str):
        messages = [Message(structured["text"].strip(), _buttons(structured.get("buttons")))]
    return Turn(messages, structured)


def utf16_len(s: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


def utf8_len(s: str) -> int:
    return len(s.encode("utf-8"))


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """`text` in pieces of at most `limit` (as `length` counts), cut between paragraphs where
    possible, else between lines, else after a sentence or clause, else anywhere."""
    if length(text) <= limit:
        return [text]
    for sep in ("\n\n", "\n", "。", "；", "，", " "):
        if len([p for p in text.split(sep) if p.strip()]) < 2:
            continue
        pieces = [p + sep for p in text.split(sep)]
        pieces[-1] = pieces[-1][: -len(sep)]
        chunks, cur = [], ""
        for p in pieces:
            if cur and length(cur + p) > limit:
                chunks.append(cur)
                cur = p
            else:
                cur += p
        chunks.append(cur)
        out: list[str] = []
        for c in chunks:
            c = c.strip("\n")
            if c.strip():
                out.extend(split_text(c, limit, length))
        return out
    out, cur = [], ""  # one unbroken run: cut by characters
    for ch in text:
        if cur and length(cur + ch) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    out.append(cur)
    return out


def too_long(text: str) -> str | None:
    """The polite refusal for a text over MAX_CHARS characters, else None."""
    if len(text) > MAX_CHARS:
        return TOO_LONG.format(n=len(text), limit=MAX_CHARS)
    return None
