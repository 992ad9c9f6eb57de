"""Writing amounts the way the documents do: 10万元, 1.2亿元, 5000元."""
from __future__ import annotations

from fractions import Fraction


def _trim(x: Fraction | int, places: int = 4) -> str:
    q = Fraction(x)
    s = f"{float(round(q, places)):.{places}f}".rstrip("0").rstrip(".")
    return s


def yuan(amount: int | Fraction | None) -> str:
    """100000 -> 10万元; 5000 -> 5000元; 120000000 -> 1.2亿元; 12345 -> 1.2345万元."""
    if amount is None:
        return "金额未定"
    a = Fraction(amount)
    if a >= 100_000_000 and (a % 1_000_000 == 0):
        return f"{_trim(a / 100_000_000)}亿元"
    if a >= 10_000:
        return f"{_trim(a / 10_000)}万元"
    return f"{_trim(a)}元"


def yuan_range(sure: int, upper: int | None) -> str:
    """A total that is sure up to `sure` and may reach `upper` (None: some part has no upper figure)."""
    if upper == sure:
        return yuan(sure)
    return f"确定可得{yuan(sure)}，" + (f"最多{yuan(upper)}" if upper is not None else "部分金额尚无上限数字")


def percent(rate: Fraction) -> str:
    """Fraction('1.5') (meaning 1.5%) -> '1.5%'."""
    return f"{_trim(rate)}%"


def round_yuan(x: Fraction) -> int:
    """Round to whole yuan, half up (amounts are never negative)."""
    return int((x * 2 + 1) // 2)
