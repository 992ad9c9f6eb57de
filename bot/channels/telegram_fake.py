"""A fake Telegram Bot API on 127.0.0.1 for tests and the local demo.

It speaks the real protocol (https://core.telegram.org/bots/api) for the methods the bridge
uses: `POST /bot<token>/<method>` with form or JSON parameters, answered with
`{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`:
getMe, deleteWebhook, setWebhook, getWebhookInfo, getUpdates (long polling, offsets),
sendMessage, sendChatAction, answerCallbackQuery, editMessageReplyMarkup, setMyCommands.
It checks what Telegram checks and the bridge could get wrong: the token, an empty or
over-long text (4096 UTF-16 units), callback data over 64 bytes, unknown chats, messages and
callback queries, getUpdates while a webhook is set (409). With a webhook set, it delivers
updates by POSTing them to the webhook with the secret token header, as Telegram does.

The user's side is a thread-safe Python API: `user_sends`, `user_sends_sticker`, …,
`user_presses`, `wait_for`. It runs its own event loop in a thread (`start()`/`stop()`).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from typing import Any, Callable

from aiohttp import ClientSession, ClientTimeout, web

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "惠企政策助手", "username": "huiqi_demo_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}


class TelegramError(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


class FakeBotAPI:
    def __init__(self, token: str = "123456:TEST-token_for-the-fake", host: str = "127.0.0.1", port: int = 0):
        self.token, self.host, self.port = token, host, port
        self._lock = threading.Condition()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.updates: list[dict] = []          # every update ever queued
        self.delivered_upto = 0                  # getUpdates confirmed below this update_id
        self.messages: list[dict] = []          # every message the bot sent, as Telegram stores it
        self.calls: list[tuple[str, dict]] = []  # (method, params) of every API call
        self.callback_answers: dict[str, dict] = {}
        self.pending_callbacks: set[str] = set()
        self.webhook: dict | None = None         # {"url", "secret_token"}
        self.webhook_deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status)
        self._next_message_id: dict[int, itertools.count] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()

    # ---------------------------------------------------------------- server
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def start(self) -> "FakeBotAPI":
        self._thread = threading.Thread(target=self._run, name="fake-telegram", daemon=True)
        self._thread.start()
        if not self._started.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        self._started.set()
        self._loop.run_forever()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=1 << 20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self._http = ClientSession(timeout=ClientTimeout(total=30))
        self._delivery = asyncio.ensure_future(self._deliver_webhooks())

    async def _shutdown(self) -> None:
        self._delivery.cancel()
        await self._http.close()
        await self._runner.cleanup()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in others:
            t.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    async def _params(self, request: web.Request) -> dict:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                body = await request.json()
                params.update(body if isinstance(body, dict) else {})
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        # form values are JSON-encoded when they are not plain strings (reply_markup, numbers)
        for k, v in list(params.items()):
            if isinstance(v, str) and k in ("reply_markup", "allowed_updates", "commands"):
                params[k] = json.loads(v)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        try:
            params = await self._params(request)
        except (ValueError, json.JSONDecodeError):
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: can't parse parameters"}, status=400)
        with self._lock:
            self.calls.append((method, params))
            self._lock.notify_all()
        try:
            result = await handler(params)
        except TelegramError as e:
            return web.json_response({"ok": False, "error_code": e.code, "description": e.description}, status=e.code)
        with self._lock:
            self._lock.notify_all()
        return web.json_response({"ok": True, "result": result})

    # ---------------------------------------------------------------- Bot API methods
    async def _m_getme(self, p):
        return BOT_USER

    async def _m_setmycommands(self, p):
        return True

    async def _m_deletewebhook(self, p):
        with self._lock:
            self.webhook = None
        return True

    async def _m_setwebhook(self, p):
        url = p.get("url") or ""
        if not url:
            return await self._m_deletewebhook(p)
        with self._lock:
            self.webhook = {"url": url, "secret_token": p.get("secret_token")}
        return True

    async def _m_getwebhookinfo(self, p):
        w = self.webhook or {}
        return {"url": w.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len([u for u in self.updates if u["update_id"] >= self.delivered_upto])}

    async def _m_getupdates(self, p):
        if self.webhook:
            raise TelegramError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        timeout = min(float(p.get("timeout") or 0), 50.0)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if offset:
                    self.delivered_upto = max(self.delivered_upto, offset)
                pending = [u for u in self.updates if u["update_id"] >= max(offset, self.delivered_upto)][:limit]
            if pending or time.monotonic() >= deadline:
                return pending
            await asyncio.sleep(0.02)

    def _chat(self, p) -> int:
        try:
            chat_id = int(p.get("chat_id"))
        except (TypeError, ValueError):
            raise TelegramError(400, "Bad Request: chat_id is empty")
        if chat_id not in self._next_message_id:
            raise TelegramError(400, "Bad Request: chat not found")
        return chat_id

    def _check_markup(self, markup):
        if markup is None:
            return
        for row in markup.get("inline_keyboard", []):
            for b in row:
                data = b.get("callback_data")
                if not b.get("text"):
                    raise TelegramError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")

    async def _m_sendmessage(self, p):
        chat_id = self._chat(p)
        text = p.get("text") or ""
        if not text.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if _utf16_len(text) > 4096:
            raise TelegramError(400, "Bad Request: message is too long")
        markup = p.get("reply_markup")
        self._check_markup(markup)
        with self._lock:
            msg = {"message_id": next(self._next_message_id[chat_id]), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private", "first_name": "用户"}, "from": BOT_USER, "text": text}
            if markup:
                msg["reply_markup"] = markup
            self.messages.append(msg)
        return msg

    async def _m_sendchataction(self, p):
        self._chat(p)
        if p.get("action") not in ("typing", "upload_photo", "record_video", "upload_video", "record_voice",
                                   "upload_voice", "upload_document", "choose_sticker", "find_location",
                                   "record_video_note", "upload_video_note"):
            raise TelegramError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _m_answercallbackquery(self, p):
        qid = str(p.get("callback_query_id") or "")
        with self._lock:
            if qid not in self.pending_callbacks:
                raise TelegramError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            self.pending_callbacks.discard(qid)
            self.callback_answers[qid] = p
        return True

    async def _m_editmessagereplymarkup(self, p):
        chat_id = self._chat(p)
        mid = int(p.get("message_id") or 0)
        markup = p.get("reply_markup")
        self._check_markup(markup)
        with self._lock:
            msg = next((m for m in self.messages if m["chat"]["id"] == chat_id and m["message_id"] == mid), None)
            if msg is None:
                raise TelegramError(400, "Bad Request: message to edit not found")
            if (msg.get("reply_markup") or None) == (markup or None):
                raise TelegramError(400, "Bad Request: message is not modified")
            if markup:
                msg["reply_markup"] = markup
            else:
                msg.pop("reply_markup", None)
            return msg

    async def _deliver_webhooks(self):
        """With a webhook set, POST each new update to it (as Telegram does), in order."""
        while True:
            await asyncio.sleep(0.02)
            with self._lock:
                hook = self.webhook
                pending = [u for u in self.updates if u["update_id"] >= self.delivered_upto] if hook else []
            for u in pending:
                headers = {}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = hook["secret_token"]
                try:
                    async with self._http.post(hook["url"], json=u, headers=headers) as r:
                        status = r.status
                except Exception:
                    status = 0
                with self._lock:
                    self.webhook_deliveries.append((u["update_id"], status))
                    if status == 200:
                        self.delivered_upto = u["update_id"] + 1
                    self._lock.notify_all()
                if status != 200:
                    await asyncio.sleep(0.5)  # Telegram retries later
                    break

    # ---------------------------------------------------------------- the user's side
    def _user(self, chat_id: int) -> dict:
        return {"id": chat_id, "is_bot": False, "first_name": f"用户{chat_id}", "language_code": "zh-hans"}

    def _queue(self, update: dict) -> int:
        with self._lock:
            update["update_id"] = next(self._update_ids)
            self.updates.append(update)
            self._lock.notify_all()
            return update["update_id"]

    def _user_message(self, chat_id: int, **content) -> int:
        with self._lock:
            self._next_message_id.setdefault(chat_id, itertools.count(1))
            mid = next(self._next_message_id[chat_id])
        msg = {"message_id": mid, "date": int(time.time()), "from": self._user(chat_id),
               "chat": {"id": chat_id, "type": "private", "first_name": f"用户{chat_id}"}, **content}
        return self._queue({"message": msg})

    def user_sends(self, chat_id: int, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        return self._user_message(chat_id, **content)

    def user_edits(self, chat_id: int, message_id: int, text: str) -> int:
        """The user edits a message they sent: an `edited_message` update."""
        with self._lock:
            original = next(u["message"] for u in self.updates
                            if u.get("message", {}).get("message_id") == message_id and u["message"]["chat"]["id"] == chat_id)
        return self._queue({"edited_message": {**original, "text": text, "edit_date": int(time.time())}})

    def user_sends_sticker(self, chat_id: int) -> int:
        return self._user_message(chat_id, sticker={"file_id": "CAACAgIAAxk", "file_unique_id": "AgAD1", "type": "regular",
                                                    "width": 512, "height": 512, "is_animated": False, "is_video": False,
                                                    "emoji": "😀"})

    def user_sends_photo(self, chat_id: int, caption: str | None = None) -> int:
        extra = {"caption": caption} if caption else {}
        return self._user_message(chat_id, photo=[{"file_id": "AgACAgIAAxk", "file_unique_id": "AQAD2", "width": 90,
                                                   "height": 90, "file_size": 1200}], **extra)

    def user_sends_voice(self, chat_id: int) -> int:
        return self._user_message(chat_id, voice={"file_id": "AwACAgIAAxk", "file_unique_id": "AgAD3", "duration": 3,
                                                  "mime_type": "audio/ogg"})

    def user_sends_document(self, chat_id: int) -> int:
        return self._user_message(chat_id, document={"file_id": "BQACAgIAAxk", "file_unique_id": "AgAD4",
                                                     "file_name": "申报书.pdf", "mime_type": "application/pdf"})

    def user_presses(self, chat_id: int, message_id: int, callback_data: str) -> str:
        with self._lock:
            msg = next(m for m in self.messages if m["chat"]["id"] == chat_id and m["message_id"] == message_id)
            qid = str(4000000000 + next(self._callback_ids))
            self.pending_callbacks.add(qid)
        self._queue({"callback_query": {"id": qid, "from": self._user(chat_id), "message": dict(msg),
                                        "chat_instance": f"ci{chat_id}", "data": callback_data}})
        return qid

    def press(self, message: dict, title: str) -> str:
        """Press the inline button titled `title` on a message the bot sent."""
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for b in row:
                if b["text"] == title:
                    return self.user_presses(message["chat"]["id"], message["message_id"], b["callback_data"])
        raise KeyError(f"no button {title!r} on message {message['message_id']}")

    # ---------------------------------------------------------------- watching
    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the fake Bot API waited in vain")
                self._lock.wait(min(left, 0.2))

    def sent_to(self, chat_id: int) -> list[dict]:
        with self._lock:
            return [m for m in self.messages if m["chat"]["id"] == chat_id]

    def calls_of(self, method: str, chat_id: int | None = None) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == method
                    and (chat_id is None or str(p.get("chat_id")) == str(chat_id))]

    def reply_to(self, chat_id: int, after: int, settle: float = 0.4, timeout: float = 60.0) -> list[dict]:
        """The bot's messages to `chat_id` after the first `after` ones, once it has sent at
        least one and then nothing for `settle` seconds."""
        self.wait_for(lambda: len(self.sent_to(chat_id)) > after, timeout)
        n = -1
        while n != len(self.sent_to(chat_id)):
            n = len(self.sent_to(chat_id))
            time.sleep(settle)
        return self.sent_to(chat_id)[after:]
