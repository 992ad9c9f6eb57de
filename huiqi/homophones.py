"""Slips of the pinyin input method: a word typed as another word that sounds the same.

Owners type with a pinyin IME, so their typos are mostly homophones of what they meant:
林清 for 临清, 清海 for 青海, 归上 for 规上, 孵话器 for 孵化器, 专例 for 专利, 实用新行 for 实用新型.
`Homophones.correct` puts the vocabulary's word back in place of such a window, one
character for one, so every offset into the text holds (entities keep pointing at what the
user typed).

A window is read as a vocabulary word when
- every character sounds like the word's character there (the toneless syllables of their
  readings meet); for a two-character word, with the same tone too (可笑 kě xiào is not
  科小 kē xiǎo, 搞起 gǎo qǐ is not 高企 gāo qǐ);
- it differs in one character (two in words of four or more);
- it is not itself a word the vocabulary has, and no common word of the language covers it
  (新行 stays 新行; 高起点 is not 高企 + 点). Common words are jieba's dictionary words seen at
  least `REAL_WORD_FREQ` times that some window would otherwise be corrected in.

The readings (from pypinyin) and the common words (from jieba's dictionary) are computed by
`python -m huiqi.generate` into homophones.json beside this file, so neither is needed to
run: the table holds only characters that sound like some character of the vocabulary.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

TABLE = Path(__file__).with_name("homophones.json")
REAL_WORD_FREQ = 5
FORMAT = 2  # layout of homophones.json
_CJK = re.compile(r"[\u4e00-\u9fff]{2,8}")


def correctable(words) -> dict[str, object]:
    """The vocabulary words slips are corrected to (Chinese characters only, 2 to 8 of them),
    each with what it means: a mapping word → meaning, or words that mean themselves."""
    pairs = words.items() if isinstance(words, dict) else ((w, w) for w in words)
    return {w: m for w, m in sorted(pairs, key=lambda p: p[0]) if _CJK.fullmatch(w)}


class Homophones:
    def __init__(self, words, table: dict | None):
        """`words`: the vocabulary (a mapping word → meaning, or an iterable of words). A window
        that sounds like several words is corrected only when they all mean the same
        (专例: 专利 and the listed slip 专力, both the patent topic)."""
        self.meaning = correctable(words)
        self.words = set(self.meaning)
        if not table or table.get("format") != FORMAT:
            table = {}  # none yet, or of another layout: no corrections until regenerated
        # a character's everyday reading (rare readings of polyphones, 厂 yán or 研 xíng, would
        # make slips of ordinary text); a vocabulary word's own, read as a word (银行 yín háng)
        self.reading: dict[str, str] = dict(table.get("readings") or {})
        self.word_readings: dict[str, list[str]] = {
            w: (table.get("words") or {}).get(w) or [self.reading.get(c, "") for c in w] for w in self.words}
        self.real_words = frozenset(table.get("real_words") or ())
        self.index: dict[tuple, list[str]] = {}
        for w, rs in self.word_readings.items():
            if all(rs):
                self.index.setdefault(tuple(r.rstrip("012345") for r in rs), []).append(w)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    @classmethod
    def load(cls, words: Iterable[str], path: Path = TABLE) -> "Homophones":
        table = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        return cls(words, table)

    def _match(self, window: str) -> str | None:
        """The vocabulary word `window` is a slip for, or None (none, or words meaning different things)."""
        if window in self.words:
            return None
        rs = [self.reading.get(c) for c in window]
        if not all(rs):
            return None
        found = {}
        for w in self.index.get(tuple(r.rstrip("012345") for r in rs), ()):
            diff = [i for i in range(len(w)) if w[i] != window[i]]
            if not diff or len(diff) > (1 if len(w) <= 3 else 2):
                continue
            if len(w) == 2 and self.word_readings[w][diff[0]] != rs[diff[0]]:
                continue  # two characters: the slip must sound the same, tone and all
            found[w] = len(diff)
        if not found:
            return None
        fewest = min(found.values())
        best = sorted(w for w, d in found.items() if d == fewest)
        return best[0] if len({repr(self.meaning[w]) for w in best}) == 1 else None

    def _covered_by_real_word(self, t: str, s: int, e: int) -> bool:
        for a in range(max(0, e - 5), s + 1):
            for b in range(e, min(len(t), a + 5) + 1):
                if t[a:b] in self.real_words:
                    return True
        return False

    def correct(self, t: str) -> str:
        """`t` with every slip for a vocabulary word replaced by that word (same length)."""
        if not self.reading or not t:
            return t
        out = list(t)
        done = [False] * len(t)
        for L in self.lengths:
            for s in range(len(t) - L + 1):
                if any(done[s:s + L]):
                    continue
                window = t[s:s + L]
                if window[0] not in self.reading:
                    continue
                w = self._match(window)
                if w is None or self._covered_by_real_word(t, s, s + L):
                    continue
                out[s:s + L] = w
                for i in range(s, s + L):
                    done[i] = True
        return "".join(out)


# -- generating the table (python -m huiqi.generate) ----------------------------------------------
def build_table(words: Iterable[str], jieba_dict: Path | None = None) -> dict:
    """Readings of every common character that sounds like a vocabulary character, and the
    common words some window of which would be corrected (pypinyin and jieba's dictionary)."""
    from pypinyin import Style, pinyin

    def read(s: str) -> list[str]:
        out = [r[0] for r in pinyin(s, style=Style.TONE3, neutral_tone_with_five=True)]
        return [r if r[-1:].isdigit() else "" for r in out]  # "" for what has no reading

    vocab = list(correctable(words))
    word_readings = {w: read(w) for w in vocab}
    syllables = {r.rstrip("012345") for rs in word_readings.values() for r in rs if r}
    in_vocab = {c for w in vocab for c in w}
    table: dict[str, str] = {}
    for code in range(0x4E00, 0xA000):
        c = chr(code)
        try:
            c.encode("gb2312")  # the 6,763 characters of everyday text
        except UnicodeEncodeError:
            if c not in in_vocab:
                continue
        r = read(c)[0]
        if r and r.rstrip("012345") in syllables:
            table[c] = r
    # a word's reading differs from its characters' everyday ones only for polyphones (银行)
    words_own = {w: rs for w, rs in word_readings.items() if rs != [table.get(c, "") for c in w] and all(rs)}
    draft = Homophones(vocab, {"format": FORMAT, "readings": table, "words": words_own})
    if jieba_dict is None:
        import jieba
        jieba_dict = Path(jieba.__file__).with_name("dict.txt")
    real = set()
    for line in jieba_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) < REAL_WORD_FREQ:
            continue
        word = parts[0]
        if not (2 <= len(word) <= 5) or word in draft.words or not _CJK.fullmatch(word):
            continue
        if draft.correct(word) != word:
            real.add(word)
    return {"about": "GENERATED by `python -m huiqi.generate` (huiqi/homophones.py) — do not edit by hand",
            "format": FORMAT,
            "readings": dict(sorted(table.items())), "words": dict(sorted(words_own.items())),
            "real_words": sorted(real)}
