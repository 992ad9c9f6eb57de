"""Watch the Telegram bridge work without any account: `make telegram-demo`.

Starts the assistant (or uses HUIQI_URL), a fake Telegram Bot API on 127.0.0.1 and the bridge
process exactly as `make telegram` runs it (TELEGRAM_API_BASE_URL pointing at the fake), then
plays a user and prints the chat as the user would see it, with the Bot API calls in brackets.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from bot.launch import ROOT, LocalAssistant, reachable
from bot.channels.telegram_fake import FakeBotAPI

CHAT = 424242


def show(fake: FakeBotAPI, messages: list[dict], calls_before: int) -> None:
    with fake._lock:
        calls = [m for m, _ in fake.calls[calls_before:] if m not in ("getUpdates",)]
    if calls:
        print("        [Bot API: " + ", ".join(dict.fromkeys(calls)) + "]")
    for i, m in enumerate(messages):
        if i:
            print("       ├─ (next message)")
        for line in m["text"].splitlines() or [""]:
            print("  助手 │ " + line)
        buttons = [b["text"] for row in m.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
        if buttons:
            print("       │ " + "  ".join(f"[{b}]" for b in buttons))
    print()


def main() -> int:
    assistant = None
    url = os.environ.get("HUIQI_URL")
    if not (url and reachable(url + "/")):
        print("starting the assistant (action server + Rasa) on free ports …", flush=True)
        assistant = LocalAssistant().start()
        url = assistant.url
    fake = FakeBotAPI().start()
    log = tempfile.NamedTemporaryFile(prefix="telegram-bridge-", suffix=".log", delete=False)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url, "HUIQI_URL": url}
    bridge = subprocess.Popen([sys.executable, "-m", "bot.channels.telegram_bridge"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        fake.wait_for(lambda: fake.calls_of("getUpdates") or bridge.poll() is not None, 60)
        if bridge.poll() is not None:
            print(open(log.name, encoding="utf-8").read())
            return 1
        print(f"fake Bot API: {fake.base_url}<token>/…   bridge log: {log.name}\n")
        seen = 0
        last: list[dict] = []

        def turn(label: str, act) -> None:
            nonlocal seen, last
            with fake._lock:
                n = len(fake.calls)
            print(label)
            act()
            last = fake.reply_to(CHAT, seen)
            seen += len(last)
            show(fake, last, n)

        def press(title: str):
            return lambda: fake.press(last[-1], title)

        turn("  用户 │ /start", lambda: fake.user_sends(CHAT, "/start"))
        turn("  用户 │ 点按 [我们能拿什么补贴]", press("我们能拿什么补贴"))
        turn("  用户 │ 点按 [山东省聊城市临清市]", press("山东省聊城市临清市"))
        turn("  用户 │ 我们是轴承企业，规上，今年第一次认定高企", lambda: fake.user_sends(CHAT, "我们是轴承企业，规上，今年第一次认定高企"))
        turn("  用户 │ 就这些，先看结果", lambda: fake.user_sends(CHAT, "就这些，先看结果"))
        turn("  用户 │ （发了一张贴纸）", lambda: fake.user_sends_sticker(CHAT))
        turn("  用户 │ /frobnicate", lambda: fake.user_sends(CHAT, "/frobnicate"))
        turn("  用户 │ /restart", lambda: fake.user_sends(CHAT, "/restart"))
        turn("  用户 │ 高企有什么奖励", lambda: fake.user_sends(CHAT, "高企有什么奖励"))
        print(f"every button press answered: {not fake.pending_callbacks}; "
              f"longest callback_data: {max(len(b['callback_data'].encode()) for m in fake.messages for row in m.get('reply_markup', {}).get('inline_keyboard', []) for b in row)} bytes (limit 64)")
        return 0
    finally:
        bridge.terminate()
        bridge.wait(20)
        fake.stop()
        if assistant is not None:
            assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
