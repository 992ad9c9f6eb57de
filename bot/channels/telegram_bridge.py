"""Telegram bridge: a separate process that connects a Telegram bot to the assistant's REST
channel, with python-telegram-bot's `Application`.

    TELEGRAM_BOT_TOKEN=… make telegram        # or: .venv/bin/python -m bot.channels.telegram_bridge

Environment (secrets only from here or from the file TELEGRAM_BOT_TOKEN_FILE, default
var/telegram_token, which git ignores):
  TELEGRAM_BOT_TOKEN        the token from @BotFather (required)
  TELEGRAM_API_BASE_URL     Bot API base, default https://api.telegram.org/bot (the fake:
                            http://127.0.0.1:8081/bot)
  HUIQI_URL                 the assistant, default http://127.0.0.1:${HUIQI_PORT:-5005}
  TELEGRAM_ASSISTANT_TIMEOUT seconds to wait for the assistant (default 30), then apologise
  TELEGRAM_WEBHOOK_URL      set → webhook mode: Telegram POSTs updates to this https URL
  TELEGRAM_WEBHOOK_SECRET   the secret token Telegram sends back (default: a random one per start)
  TELEGRAM_WEBHOOK_LISTEN   where the webhook server listens, default 127.0.0.1:8443 (put a
                            TLS reverse proxy in front)
Without TELEGRAM_WEBHOOK_URL it long-polls getUpdates.

One conversation per chat: the sender id is "tg:<chat_id>". Each message is forwarded with
metadata {"huiqi_structured": true} (docs/answers.md); plain text and buttons are rendered,
buttons as inline keyboards whose callback data is a short id mapped back to the payload.
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import logging
import os
import secrets
import sys
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlparse

import httpx
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes,
                          MessageHandler, filters)

from bot.channels import replies
from bot.channels.ratelimit import RateLimiter
from bot.channels.replies import Message, split_text, utf16_len

log = logging.getLogger("huiqi.telegram")

TELEGRAM_LIMIT = 4096
COMMANDS = {"start": "/greet", "help": "/ask_capabilities", "restart": "/restart"}  # → the assistant's intents
COMMAND_MENU = [("start", "开始"), ("help", "我能做什么"), ("restart", "清空信息，重新开始")]
UNKNOWN_COMMAND = "没有这个命令。可以用：/start 开始，/help 我能做什么，/restart 重新开始；或者直接用文字提问。"
EDITED = "修改后的消息我收不到，请把修改后的内容重新发一次。"
CHOOSE = "请选择："


class ButtonStore:
    """Short callback ids ↔ (chat, title, payload). Telegram caps callback data at 64 bytes and
    payloads such as '/inform{"region": "linqing"}' or Chinese titles exceed it. Ids carry a
    random prefix per bridge start, so a button from before a restart is reported as expired
    rather than mapped to the wrong payload."""

    def __init__(self, capacity: int = 50_000):
        self.capacity = capacity
        self.epoch = secrets.token_hex(3)
        self._ids = itertools.count(1)
        self._map: OrderedDict[str, tuple[int, str, str]] = OrderedDict()

    def add(self, chat_id: int, title: str, payload: str) -> str:
        key = f"{self.epoch}.{next(self._ids):x}"
        self._map[key] = (chat_id, title, payload)
        while len(self._map) > self.capacity:
            self._map.popitem(last=False)
        return key

    def get(self, chat_id: int, key: str) -> tuple[str, str] | None:
        item = self._map.get(key or "")
        if item is None or item[0] != chat_id:
            return None
        return item[1], item[2]


class TelegramBridge:
    def __init__(self, assistant_url: str, timeout: float = 30.0, limiter: RateLimiter | None = None):
        self.url = assistant_url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self.limiter = limiter or RateLimiter()
        self.buttons = ButtonStore()
        self._turns: dict[int, list] = {}  # chat → [lock, users of it]
        self._http: httpx.AsyncClient | None = None

    # ------------------------------------------------------------ the assistant
    async def start(self, app: Application | None = None) -> None:
        self._http = httpx.AsyncClient(timeout=self.timeout, trust_env=False)
        if app is not None:
            try:
                await app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMAND_MENU])
            except TelegramError as e:  # the menu is a nicety
                log.warning("could not set the command menu: %s", e)

    async def stop(self, app: Application | None = None) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def ask(self, chat_id: int, message: str) -> list[Message]:
        """The assistant's answer as messages to send, or a short apology: never nothing."""
        body = {"sender": f"tg:{chat_id}", "message": message, "metadata": {"huiqi_structured": True}}
        try:
            r = await self._http.post(self.url, json=body)
            r.raise_for_status()
            turn = replies.collect(r.json())
        except httpx.TimeoutException:
            log.warning("the assistant did not answer within %ss", self.timeout)
            return [Message(replies.TIMEOUT)]
        except (httpx.HTTPError, ValueError) as e:
            log.warning("the assistant failed: %s", type(e).__name__)
            return [Message(replies.ERROR)]
        if not turn:  # Rasa answers [] when an action failed
            log.warning("the assistant answered nothing (an action failed?)")
            return [Message(replies.ERROR)]
        return turn.messages

    # ------------------------------------------------------------ sending
    def keyboard(self, chat_id: int, buttons: list[dict]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        return InlineKeyboardMarkup([[InlineKeyboardButton(b["title"][:60], callback_data=self.buttons.add(chat_id, b["title"], b["payload"]))]
                                     for b in buttons])

    async def send(self, bot, chat_id: int, messages: list[Message]) -> None:
        for m in messages:
            chunks = split_text(m.text, TELEGRAM_LIMIT, utf16_len) if m.text else [CHOOSE]
            for i, chunk in enumerate(chunks):
                markup = self.keyboard(chat_id, m.buttons) if i == len(chunks) - 1 else None
                await bot.send_message(chat_id, chunk, reply_markup=markup)

    async def _typing(self, bot, chat_id: int) -> None:
        """'typing…' until cancelled; Telegram shows it for 5 s, so it is renewed every 4 s."""
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                with contextlib.suppress(TelegramError):
                    await bot.send_chat_action(chat_id, ChatAction.TYPING)
                await asyncio.sleep(4)

    @contextlib.asynccontextmanager
    async def _turn(self, chat_id: int):
        """One turn at a time per chat, in order; other chats are not held up."""
        entry = self._turns.setdefault(chat_id, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._turns.pop(chat_id, None)

    async def converse(self, bot, chat_id: int, message: str) -> None:
        async with self._turn(chat_id):
            typing = asyncio.create_task(self._typing(bot, chat_id))
            try:
                answer = await self.ask(chat_id, message)
            finally:
                typing.cancel()
            await self.send(bot, chat_id, answer)

    async def _allowed(self, bot, chat_id: int) -> bool:
        verdict = self.limiter.check(str(chat_id))
        if verdict == "warn":
            await bot.send_message(chat_id, replies.RATE_LIMITED)
        return verdict == "ok"

    # ------------------------------------------------------------ handlers
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id, text = update.effective_chat.id, (update.effective_message.text or "").strip()
        if not await self._allowed(context.bot, chat_id):
            return
        if not text:
            await context.bot.send_message(chat_id, replies.EMPTY)
        elif refusal := replies.too_long(text):
            await context.bot.send_message(chat_id, refusal)
        else:
            await self.converse(context.bot, chat_id, text)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        if not await self._allowed(context.bot, chat_id):
            return
        command = (update.effective_message.text or "").split()[0][1:].split("@")[0].lower()
        if command in COMMANDS:
            await self.converse(context.bot, chat_id, COMMANDS[command])
        else:
            await context.bot.send_message(chat_id, UNKNOWN_COMMAND)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, photos, voice, files, locations, …: a polite text."""
        chat_id = update.effective_chat.id
        if await self._allowed(context.bot, chat_id):
            await context.bot.send_message(chat_id, replies.UNSUPPORTED)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        if await self._allowed(context.bot, chat_id):
            await context.bot.send_message(chat_id, EDITED)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat_id = query.message.chat.id if query.message else query.from_user.id
        found = self.buttons.get(chat_id, query.data)
        verdict = self.limiter.check(str(chat_id))
        if found is None or verdict != "ok":
            # every press is answered, or the user's client shows a spinner
            await query.answer(replies.BUTTON_EXPIRED if found is None else replies.RATE_LIMITED)
            return
        title, payload = found
        await query.answer(title[:190])
        if query.message is not None:  # a keyboard is pressed once: the choice is made
            with contextlib.suppress(TelegramError):
                await query.edit_message_reply_markup(reply_markup=None)
        await self.converse(context.bot, chat_id, payload)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("handling an update failed: %s", type(context.error).__name__, exc_info=context.error)
        chat = getattr(update, "effective_chat", None)
        if chat is not None:
            with contextlib.suppress(Exception):
                await context.bot.send_message(chat.id, replies.ERROR)

    def install(self, app: Application) -> None:
        new = filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(new & filters.COMMAND, self.on_command))
        app.add_handler(MessageHandler(new & filters.TEXT, self.on_text))
        app.add_handler(MessageHandler(new, self.on_other))
        app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, self.on_edited))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_error_handler(self.on_error)


# ---------------------------------------------------------------------- process
class Redact(logging.Formatter):
    """Secrets never reach the logs, whatever a library logs: httpx logs request URLs, and the
    Bot API's URLs contain the token; python-telegram-bot's InvalidToken quotes it. Applied to
    the whole formatted record, tracebacks included."""

    def __init__(self, *secret_values: str, fmt: str | None = None):
        super().__init__(fmt)
        self.secrets = [s for s in secret_values if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for s in self.secrets:
            text = text.replace(s, "***")
        return text


def read_token() -> str:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        path = Path(os.environ.get("TELEGRAM_BOT_TOKEN_FILE", "var/telegram_token"))
        if path.is_file():
            token = path.read_text(encoding="utf-8").strip()
    return token


def build_application(token: str, bridge: TelegramBridge, base_url: str | None = None) -> Application:
    builder = ApplicationBuilder().token(token).concurrent_updates(True)
    if base_url:
        builder = builder.base_url(base_url)
    builder = builder.post_init(bridge.start).post_shutdown(bridge.stop)
    app = builder.build()
    bridge.install(app)
    return app


async def run_webhook(app: Application, bridge: TelegramBridge, url: str, secret: str, listen: str) -> None:
    """Serve Telegram's webhook POSTs (aiohttp; no extra dependency), checking the secret token."""
    from aiohttp import web

    host, _, port = listen.rpartition(":")
    path = urlparse(url).path or "/"

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(await request.json(), app.bot)
        except Exception:
            return web.Response(status=400, text="bad update")
        await app.update_queue.put(update)
        return web.Response(text="ok")

    server = web.Application(client_max_size=1 << 20)
    server.router.add_post(path, receive)
    runner = web.AppRunner(server, access_log=None)
    async with app:
        await bridge.start(app)
        await app.bot.set_webhook(url, secret_token=secret, allowed_updates=["message", "edited_message", "callback_query"])
        await app.start()
        await runner.setup()
        await web.TCPSite(runner, host or "127.0.0.1", int(port)).start()
        log.info("webhook mode: listening on %s%s", listen, path)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            await app.stop()
            await bridge.stop(app)


def main() -> int:
    token = read_token()
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
    handler = logging.StreamHandler()
    handler.setFormatter(Redact(token, secret, fmt="%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set (nor var/telegram_token): get one from @BotFather, see README.",
              file=sys.stderr)
        return 2
    port = os.environ.get("HUIQI_PORT", "5005")
    bridge = TelegramBridge(os.environ.get("HUIQI_URL") or f"http://127.0.0.1:{port}",
                            timeout=float(os.environ.get("TELEGRAM_ASSISTANT_TIMEOUT", "30")))
    app = build_application(token, bridge, os.environ.get("TELEGRAM_API_BASE_URL") or None)
    webhook = os.environ.get("TELEGRAM_WEBHOOK_URL")
    try:
        if webhook:
            asyncio.run(run_webhook(app, bridge, webhook, secret, os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443")))
        else:
            log.info("polling for updates; the assistant is %s", bridge.url)
            app.run_polling(allowed_updates=["message", "edited_message", "callback_query"])
    except InvalidToken:  # its message quotes the token: not printed
        print("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather (/token or /revoke).", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
