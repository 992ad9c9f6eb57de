"""`make run`'s credentials: credentials.yml as it is when WECHAT_TOKEN is set, else without the
WeChat channel (scripts/run writes the result to var/credentials.yml and starts Rasa with it).

    python -m bot.channels.wechat_setup credentials.yml var/credentials.yml
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

WECHAT_CHANNEL = "bot.channels.wechat.WeChatInput"


def run_credentials(channels: dict, environ=os.environ) -> dict:
    if environ.get("WECHAT_TOKEN", "").strip():
        return dict(channels)
    return {k: v for k, v in channels.items() if k != WECHAT_CHANNEL}


def main(argv=None) -> int:
    src, dst = (argv or sys.argv[1:])[:2]
    channels = yaml.safe_load(Path(src).read_text(encoding="utf-8")) or {}
    out = run_credentials(channels)
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_text(yaml.safe_dump(out, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
