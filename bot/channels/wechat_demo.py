"""Watch the WeChat channel work without any account: `make wechat-demo`.

Starts a fake WeChat API (access token, 客服消息) and the assistant with the wechat channel
configured as `make run` does it (WECHAT_* variables, made up for the demo), then plays
WeChat's servers: the URL check, a subscribe event and messages, signed and AES-encrypted
(安全模式) as WeChat sends them, and prints what the user would see.
"""
from __future__ import annotations

import base64
import os
import secrets
import sys
import time

from bot.launch import LocalAssistant
from bot.channels.wechat_fake import FakeWeChatAPI, WeChatServerSide

OPENID = "oDemoUser_" + secrets.token_hex(6)


def show(label: str, result) -> None:
    status, reply, took = result
    print(label)
    if isinstance(reply, dict):
        for line in reply["Content"].splitlines() or [""]:
            print("  公众号 │ " + line)
        print(f"         [HTTP {status}, passive reply in {took:.2f} s]")
    else:
        print(f"         [HTTP {status}: {reply!r} in {took:.2f} s]")
    print()


def main() -> int:
    token, app_id, app_secret = secrets.token_hex(8), "wx" + secrets.token_hex(8), secrets.token_hex(16)
    aes_key = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    api = FakeWeChatAPI(app_id, app_secret).start()
    env = {"WECHAT_TOKEN": token, "WECHAT_APP_ID": app_id, "WECHAT_APP_SECRET": app_secret, "WECHAT_AES_KEY": aes_key,
           "WECHAT_API_BASE_URL": api.base_url}
    print("starting the assistant with the wechat channel (action server + Rasa) on free ports …", flush=True)
    assistant = LocalAssistant(env=env).start()
    try:
        url = assistant.url + "/webhooks/wechat/webhook"
        wx = WeChatServerSide(url, token, app_id, aes_key, encrypted=True)
        print(f"channel: {url}   fake WeChat API: {api.base_url}   mode: 安全模式 (AES)\n")
        status, echo = wx.verify_url("5837261940")
        print(f"WeChat's URL check (signed GET, echostr=5837261940) → HTTP {status}, {echo!r}")
        print(f"the same with a wrong signature → HTTP {wx.verify_url('5837261940', token='forged')[0]}\n")

        show("  用户 │ （关注公众号）", wx.post(wx.event(OPENID, "subscribe")))
        show("  用户 │ 1", wx.post(wx.text(OPENID, "1")))
        show("  用户 │ 1", wx.post(wx.text(OPENID, "1")))
        show("  用户 │ 我们是轴承企业，规上，今年第一次认定高企", wx.post(wx.text(OPENID, "我们是轴承企业，规上，今年第一次认定高企")))
        body = wx.text(OPENID, "就这些，先看结果")
        show("  用户 │ 就这些，先看结果", wx.post(body))
        show("  （WeChat 重试同一条消息，同一 MsgId）", wx.post(body))
        show("  用户 │ （发了一张图片）", wx.post(wx.image(OPENID)))
        show("  （伪造签名的请求）", wx.post(wx.text(OPENID, "我们是青海的企业"), token="forged"))
        show("  用户 │ 临清轴承行动计划有哪些奖励", wx.post(wx.text(OPENID, "临清轴承行动计划有哪些奖励")))
        before = len(api.sent)  # the details of every award: too long for one passive reply
        show("  用户 │ 详细", wx.post(wx.text(OPENID, "详细")))
        deadline = time.monotonic() + 20
        while len(api.sent) == before and time.monotonic() < deadline:
            time.sleep(0.1)
        for m in api.sent[before:]:
            print("  （其余部分通过客服消息接口发送）")
            for line in m["text"]["content"].splitlines():
                print("  公众号 │ " + line)
        print(f"\naccess token requests to the fake API: {api.token_requests}")
        return 0
    finally:
        assistant.stop()
        api.stop()


if __name__ == "__main__":
    sys.exit(main())
