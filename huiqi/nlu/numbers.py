"""Numbers as users say them: normalisation, Chinese numerals, units, bounds (不到5%, 过亿).

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

_UNIT = {"千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "万": 10_000, "w": 10_000,
         "亿": 100_000_000, "千": 1_000, "k": 1_000, "百": 100}


_CN_NUM = "零〇一二两三四五六七八九十百千"


_NUM = re.compile(
    r"(?P<num>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?)"
    r"\s*(?P<approx>来|多|余)?\s*(?:个多?(?=亿))?(?P<unit>千万|百万|十万|万|亿|w(?![a-z])|k(?![a-z])|千)?"
    r"\s*(?P<tail>元|块钱|块|%多|%|个多百分点|个百分点|个多点|个点|多个|个|件|项(?!目))?")
# ("80万 项目落地见效了": 项目 is the next words, not a count of 项)


# qualifiers that make a figure a bound: 不到5%, 超过300万, 5%以上, 2000万以下 (docs/profile.md)
_BOUND_BEFORE = [("lt", re.compile(r"(不到|没到|没有到|还没到|快到|快要到|将近|不足|不够|(?<!不)低于|(?<!不)少于|(?<!不)小于|未达到|没达到|没有达到|达不到|不满|未满|"
                                   r"接近|差一点|差点|还差)\s*$")),
                 ("ge", re.compile(r"(不低于|不少于|不小于|至少|起码|最少也有|最少|最低|(?<!没)(?<!未)(?<!有)达到了?)\s*$")),
                 ("le", re.compile(r"((?<!不)不超过|没超过|未超过|没有超过|没高于|没有高于|没过|不高于|不多于|最多|顶多|至多)\s*$")),
                 ("gt", re.compile(r"((?<![不没未有])超过|(?<![不没有])高于|(?<!不)多于|(?<!不)大于|突破|(?<![没不])过了|(?<![没不])超了|超出)\s*$"))]


_BOUND_AFTER = [("ge", re.compile(r"^\s*(以上|及以上|往上|出头)")), ("le", re.compile(r"^\s*(以下|及以下|以内)")),
                ("lt", re.compile(r"^\s*(还不到|不到|都不到|没到|还没到)(?!\s*(一个|个)?[\d零〇一二两三四五六七八九十百千万亿])"))]
# ("8000万 不到一个亿": the 不到 is the next figure's)


# 产值过亿, 上千万 (more than); 没过亿, 不上千万 (not more than)
# "实用新型没有", "一件也没" are none; "没统计", "没有到5件", "没查" are not ("产值没统计" is unknown)
_DENIED_AFTER = re.compile(r"(一个|一件|一项|一分钱)?(也|都|还)?(没有|没|无|为零|是零|为0|是0)"
                           r"(?!\s*(统计|算|数|查|问|确定|核|记|填|想|弄|搞|了解|关注|印象|注意|看|报|登记|到|够|达|超))"
                           r"(?![^，,。；;]{0,3}(到|够|达|超))")


_OVER_UNIT = re.compile(r"(?P<neg>没有|还没|没|不|未)?(过|上|破|超过|超)(?P<unit>亿|千万)(?![\d零〇一二两三四五六七八九十])")


def _bounded(v, bound: str | None):
    if bound is None:
        return v
    if bound == "ge+1":  # "四个多点": 4 ≤ x < 5
        return {"ge": v, "lt": v + 1}
    return {bound: v}


def _bound(t: str, start: int, end: int) -> str | None:
    before = t[max(0, start - 5):start]
    for bound, rx in _BOUND_BEFORE:
        if rx.search(before):
            return bound
    for bound, rx in _BOUND_AFTER:
        if rx.match(t[end:end + 4]):
            return bound
    return None


# the rest of a compound amount after 万/亿: 三万[五], 1亿[2千万], 3万[5千]元; not "300万5个专利"
_REST = re.compile(r"(?P<num>\d+|[一二两三四五六七八九][零〇一二两三四五六七八九十百千]*)(?P<unit>千万|百万|十万|万|千|百)?"
                   r"(?P<tail>元|块钱|块)?(?![\d.%个件项年月点万亿])")


_PCT_WORD = re.compile(r"百分之(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十点]+)")


# numbers that are not quantities: years, ranks, ordinals, "500强", "一下"
_NOT_NUM_AFTER = re.compile(r"^(年|月|日|号|强|级|岁|次|届|期|批|名|人|位|家|楼|类|下|些|直|起|样|般|定|致|切|律|旦|边|并|同|点儿|会儿|部分|方面)")


# 大写 numerals (叁佰万元整) and spoken 俩/仨 read as the everyday ones; one character for one
_NUMERAL_FORMS = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟俩仨", "一二三四五六七八九十百千两三")


def normalize(text: str) -> str:
    """Full-width → half-width, lower case, 大写 numerals → 小写; one character in, one out, so
    offsets hold."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        lo = n.lower()
        out.append(lo if len(lo) == 1 else ch)
    return "".join(out).translate(_NUMERAL_FORMS)


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


_CN_MULT = {"十": 10, "百": 100, "千": 1000}


def _cn_integer(s: str) -> int | None:
    """一千二百 → 1200, 十五 → 15, 三零零 → 300 (digit by digit when no 十/百/千)."""
    if not s:
        return None
    if not any(ch in _CN_MULT for ch in s):
        return int("".join(str(_CN_DIGIT[ch]) for ch in s)) if all(ch in _CN_DIGIT for ch in s) else None
    total = digit = 0
    last_mult, after_mult = 0, False
    for ch in s:
        if ch in _CN_DIGIT:
            digit, after_mult = _CN_DIGIT[ch], after_mult and ch not in "零〇"
        elif ch in _CN_MULT:
            total += (digit or 1) * _CN_MULT[ch]  # 十五: an implicit 一
            digit, last_mult, after_mult = 0, _CN_MULT[ch], True
        else:
            return None
    if after_mult and digit and last_mult >= 100:
        return total + digit * last_mult // 10  # 一千二 = 1200, 两百五 = 250 (spoken short forms)
    return total + digit


def _with_unit(t: str, m: re.Match, v: float) -> tuple[float, int, str | None]:
    """A _NUM match's number with its unit applied and the rest of a compound amount read
    (三万五, 1亿2千万, 3万5千元): (value, end, tail)."""
    unit, tail, end = m.group("unit"), m.group("tail"), m.end()
    if unit:
        v *= _UNIT[unit]
        if unit in ("亿", "万", "w") and not tail and not m.group("approx"):
            rest_m = _REST.match(t, end)
            if rest_m:
                r = parse_number(rest_m.group("num"))
                if rest_m.group("unit"):
                    sub = _UNIT[rest_m.group("unit")]
                elif re.search("[十百千]", rest_m.group("num")):
                    sub = 1  # 三万五千: 五千 is a whole number already
                else:
                    sub = _UNIT[unit] / 10  # 三万五: the next place down
                if r is not None and r * sub < _UNIT[unit]:
                    v, end, tail = v + r * sub, rest_m.end(), rest_m.group("tail")
    return v, end, tail


def money_in(text: str) -> int | None:
    """The first sum of money a text names ("高企奖励100万是真的吗" → 1000000; "一百万", "10w",
    "0.57万" → 5700), or None."""
    t = normalize(text or "")
    for m in _NUM.finditer(t):
        if not (m.group("unit") or m.group("tail") in ("元", "块钱", "块")):
            continue
        v = parse_number(m.group("num"))
        if v is not None:
            return int(round(_with_unit(t, m, v)[0]))
    return None


def parse_number(num: str) -> float | None:
    """"3,000", "5.5", "三百", "两千", "四点五" → a number; None for anything else.
    Units (万, 亿) are matched and applied by the caller."""
    num = num.replace(",", "")
    try:
        return float(num)
    except ValueError:
        pass
    whole, _, frac = num.partition("点")
    n = _cn_integer(whole)
    if n is None or (frac and not all(ch in _CN_DIGIT for ch in frac)):
        return None
    return float(f"{n}.{''.join(str(_CN_DIGIT[ch]) for ch in frac)}") if frac else float(n)



__all__ = [n for n in dir() if not n.startswith('__') and n not in ('annotations',)]
