"""Routing helpers outside FactExtractor.route: what a question is about (everything vs one award).

Part of huiqi.nlu (split from one module by concern; huiqi/nlu/__init__.py re-exports every name)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..homophones import Homophones, correctable
from ..vocabulary import Vocabulary
from .cues import *  # noqa: F401,F403
from .cues import __all__ as _cues_all
from .fuzzy import *  # noqa: F401,F403
from .fuzzy import __all__ as _fuzzy_all
from .numbers import *  # noqa: F401,F403
from .numbers import __all__ as _numbers_all
from .extraction import *  # noqa: F401,F403
from .extraction import __all__ as _extraction_all

# "我们能拿什么", "想问问能拿什么补贴", "一共能拿多少": everything the company might get
EVERYTHING_CUE = re.compile(r"(能|可以|可|能够|能不能|可不可以)(拿|领|申请|申报|享受|得到|获得)(到)?(些)?(什么|啥|哪些|哪几)"
                            r"|(有|有没有)哪些(补贴|奖励|补助|奖补|政策|好处)|(啥|什么|哪些)(都)?(能|可以)(拿|申请|享受|领)"
                            r"|(一共|总共|合计|加起来|全部|总计)(能|可以)?(拿|得|领|有)?多少|能拿多少(钱|补贴|奖励)?(总共|一共)")


_HOW_MUCH_FOR_US = re.compile(r"(能|可以)(拿|得|领|申请)(到)?多少")


_NAMED_FOR_ITSELF = re.compile(r"的?(奖|补|政策|支持|方面|这块|有|能|可以|给)")


def asks_everything(text: str) -> bool:
    """The question is about everything the company might get, not one award: "能拿什么",
    "一共能拿多少"; or "能拿多少" with facts said, where the awards' names appear only inside
    those facts ("我们是临清的轴承企业，规上，今年第一次认定高企，能拿多少奖励"). An award or topic
    named for itself ("科技型中小企业有哪些政策支持", "高企奖励能拿多少") makes it about that."""
    ex = extractor()
    t = ex.clean(text)
    cue = bool(EVERYTHING_CUE.search(t))
    if not cue and not _HOW_MUCH_FOR_US.search(t):
        return False
    facts = [e for e in ex.extract(text, "inform") if e.entity in ex.vocab.facts and e.entity not in ("region", "entity_type")]
    if not cue and len(facts) < 2:
        return False
    spans = [(e.start, e.end) for e in facts]
    for w, _ in ex.topic_words:
        for m in re.finditer(re.escape(w), t):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            if any(b == m.start() for _, b in spans) and not _NAMED_FOR_ITSELF.match(t, m.end()):
                continue  # "尚未入库科技型中小企业": the fact's object, not an award asked about
            return False  # an award named for itself
    return True



__all__ = [n for n in dir() if not n.startswith('__') and n not in ('annotations',)]
