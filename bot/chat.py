"""Talk to the running assistant from a terminal, through Rasa's REST channel.

    .venv/bin/python -m bot.chat [--url http://127.0.0.1:5005] [--sender me]

Buttons are shown numbered; type the number to press one. Ctrl-D or /quit leaves.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid


def send(url: str, sender: str, message: str, timeout: float = 30) -> list[dict]:
    req = urllib.request.Request(f"{url}/webhooks/rest/webhook",
                                 data=json.dumps({"sender": sender, "message": message}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        replies = json.loads(r.read().decode("utf-8"))
    if not replies:  # Rasa's REST channel answers [] when an action failed
        raise RuntimeError("the assistant sent no reply (an action may have failed; see the server log)")
    return replies


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:5005")
    ap.add_argument("--sender", default=f"terminal-{uuid.uuid4().hex[:8]}")
    a = ap.parse_args(argv)
    buttons: list[dict] = []
    print("惠企政策助手（输入 /quit 退出）")
    while True:
        try:
            text = input("你> ").strip()
        except EOFError:
            print()
            return 0
        if text in ("/quit", "/exit"):
            return 0
        if not text:
            continue
        if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = send(a.url, a.sender, text)
        except (urllib.error.URLError, RuntimeError, TimeoutError) as e:
            print(f"[连接问题] {e}", file=sys.stderr)
            continue
        buttons = []
        for r in replies:
            if r.get("text"):
                print("助手>", r["text"])
            for b in r.get("buttons") or []:
                buttons.append(b)
                print(f"   [{len(buttons)}] {b['title']}")


if __name__ == "__main__":
    sys.exit(main())
