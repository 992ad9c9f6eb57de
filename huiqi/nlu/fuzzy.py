"""One-slip matching (a character mistyped or a look-alike) and a small bounded cache.

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

_NUMERAL_CHARS = set("零〇一二两三四五六七八九十百千万亿几半0123456789")


# characters typed for one another (shape or sound), for slips in a word's last character
_LOOKALIKE = {"术": "木朮", "企": "起器启", "券": "卷劵", "计": "记", "利": "力", "人": "入", "业": "也",
              "器": "企", "台": "抬", "同": "通", "上": "尚", "下": "夏", "库": "裤"}


class _OneSlip:
    """Finds the windows of a text that are one character away from a known word (a typo:
    "规模一上", "高新技木企业"), without comparing every word with every window: each word is
    filed under its forms with one character masked. A slip in the last character counts only
    as a look-alike (术/木): Chinese words end in their head noun ("大学科技处" is no "大学科技园")."""

    def __init__(self, items):  # (word, payload)
        self.by_len: dict[int, dict[str, list]] = {}
        # a window one character from a word of its length either starts with the word's first
        # character or ends with the word's all but first: windows with neither are skipped
        self._firsts: dict[int, set] = {}
        self._tails: dict[int, set] = {}
        for w, payload in items:
            masks = self.by_len.setdefault(len(w), {})
            for i in range(len(w)):
                masks.setdefault(w[:i] + "\0" + w[i + 1:], []).append((w, payload))
            self._firsts.setdefault(len(w), set()).add(w[:1])
            self._tails.setdefault(len(w), set()).add(w[1:])
        self._found: dict[str, tuple] = {}

    def find(self, t: str) -> tuple:
        """(start, end, [(word, payload), …]) for each window one character from some word.
        Computed once per text (a message is read by several rules and several times while
        it is routed), in time linear in the text's length."""
        return _remember(self._found, t, lambda: tuple(self._find(t)))

    def _find(self, t: str):
        for L, masks in self.by_len.items():
            firsts, tails = self._firsts[L], self._tails[L]
            for s in range(len(t) - L + 1):
                if t[s] not in firsts and t[s + 1:s + L] not in tails:
                    continue
                w = t[s:s + L]
                hits = [(word, p) for i in range(L) for word, p in masks.get(w[:i] + "\0" + w[i + 1:], ())
                        if word != w and (i < L - 1 or w[-1] in _LOOKALIKE.get(word[-1], ""))
                        and w[i] not in _NUMERAL_CHARS and word[i] not in _NUMERAL_CHARS]
                if hits:
                    yield s, s + L, hits


def _remember(cache: dict, key, compute, size: int = 256):
    """`cache[key]`, computed on first use; the oldest entries go beyond `size`."""
    got = cache.get(key)
    if got is None:
        got = cache[key] = compute()
        if len(cache) > size:
            cache.pop(next(iter(cache)))
    return got



__all__ = [n for n in dir() if not n.startswith('__') and n not in ('annotations',)]
