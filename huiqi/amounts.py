"""Amount rules: how much an entry pays, computed from facts, with the computation in words.

Money is whole yuan (int); rates are percent as Fractions (Fraction(25) means 25%).
Where a fact the amount needs is unknown, the result is a bound (the cap) or a range, and
names the fact that would fix it — never a silent zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .errors import Problem
from .money import percent, round_yuan, yuan
from .vocabulary import Vocabulary

PER_WORDS = {"one_time": "一次性", "yearly": "每年", "per_item": "每件", "per_project": "每个项目", "once": ""}
#: How sure an amount is (docs/verdicts.md): only `fixed` (and the floor of `at_least`) is sure.
CERTAINTIES = {
    "fixed": "金额由原文和已知情况确定",
    "at_least": "原文规定不低于此数",
    "ceiling": "原文只规定最高额（最高、不超过），实际金额由主管部门核定",
    "selective": "择优或按绩效评定，并非符合条件即可获得",
    "depends": "金额还取决于尚不知道的情况",
    "unspecified": "原文未规定金额或标准",
    "none": "非资金支持",
}
KINDS = ("fixed", "by_fact", "per_unit", "percent", "brackets", "up_to", "at_least", "range", "case_by_case",
         "unspecified", "none")


@dataclass(frozen=True)
class Amount:
    kind: str
    exact: int | None = None  # the sum, where the facts fix it
    low: int | None = None    # otherwise a range: at least ...
    high: int | None = None   # ... at most (the cap), None = no figure
    text: str = ""            # "10万元", "最高100万元", "一事一议"
    computation: str | None = None  # "研发费用税前加计扣除数额 400万元 × 25% = 100万元"
    per: str | None = None
    years: int | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)  # facts that would fix the amount
    # How sure it is (CERTAINTIES); None: derived from the figures (exact → fixed, …).
    certainty_given: str | None = None
    reason: str | None = None  # why it is not sure, in Chinese (None: the certainty's usual words)
    quote: Any = None  # the words that give the amount, where the table quotes them apart from the entry

    @property
    def certainty(self) -> str:
        if self.certainty_given is not None:
            return self.certainty_given
        if self.kind == "none":
            return "none"
        if self.missing:
            return "depends"
        if self.exact is not None:
            return "fixed"
        if self.low:
            return "at_least"
        if self.high is not None:
            return "ceiling"
        return "unspecified"

    @property
    def certainty_text(self) -> str:
        return self.reason or CERTAINTIES[self.certainty]

    @property
    def answer_certainty(self) -> str | None:
        """The four values of an award card in huiqi-answer (docs/answers.md): a floor the text
        guarantees is `fixed` (its text says 不低于/以上), a text with no figure `depends`."""
        return {"at_least": "fixed", "unspecified": "depends", "none": None}.get(self.certainty, self.certainty)

    @property
    def sure(self) -> bool:
        """The amount (or, for `at_least`, its floor) is promised: it may go into a sure total."""
        return self.certainty in ("fixed", "at_least")

    @property
    def is_money(self) -> bool:
        return self.kind not in ("none",)

    @property
    def floor(self) -> int:
        """What is sure: the exact sum, else the lower bound (0 when there is none)."""
        return self.exact if self.exact is not None else (self.low or 0)

    @property
    def ceiling(self) -> int | None:
        """The most it can be; None when the text sets no upper figure."""
        return self.exact if self.exact is not None else self.high

    @property
    def ranking(self) -> int:
        """What this amount is worth for 就高不重复 comparisons: the sure sum, else the cap."""
        if self.exact is not None:
            return self.exact
        return self.high if self.high is not None else (self.low or 0)

    def to_json(self) -> dict:
        return {"kind": self.kind, "exact": self.exact, "min": self.low, "max": self.high, "text": self.text,
                "computation": self.computation, "per": self.per, "years": self.years,
                "missing_facts": list(self.missing), "certainty": self.certainty,
                "certainty_text": self.certainty_text, "quote": self.quote}

    def possible(self, why: str) -> "Amount":
        """The amount of an award not yet decided (need information): never an exact figure,
        only the most it can be (and no floor: it may be nothing)."""
        return replace(self, exact=None, low=None, high=self.ceiling, certainty_given="depends",
                       reason=why, text=self.text if self.exact is None else f"可能{self.text}")


def _per_text(per: str | None, years: int | None) -> str:
    w = PER_WORDS.get(per or "", "")
    if years:
        w = f"{w}（最长{years}年）"
    return w


class Rule:
    kind = ""
    per: str | None = None
    years: int | None = None
    quote: Any = None  # the amount's own words in the source, where the table gives them

    def compute(self, facts: dict) -> Amount:
        raise NotImplementedError

    def facts(self) -> set[str]:
        return set()

    def reckoned_from(self) -> set[str]:
        """The facts the amount is worked out from, not those that only cap it (青海（二）: 研发总投入,
        not 三年累计缴税总额)."""
        return self.facts()

    def certainty_kind(self) -> str:
        """"selective" for 择优 / 一事一议 amounts (whatever the facts), else "" (decided per computation)."""
        return ""

    def _a(self, **kw) -> Amount:
        kw.setdefault("per", self.per)
        return Amount(kind=self.kind, years=self.years, quote=self.quote, **kw)


class Fixed(Rule):
    kind = "fixed"

    def __init__(self, value: int):
        self.value = value

    def compute(self, facts):
        return self._a(exact=self.value, text=f"{_per_text(self.per, self.years)}{yuan(self.value)}")


class ByFact(Rule):
    kind = "by_fact"

    def __init__(self, vocab: Vocabulary, fact: str, values: dict[str, int], at_most: bool,
                 per_values: dict[str, str] | None = None):
        self.fact, self.values, self.at_most = fact, values, at_most
        self.per_values = per_values or {}  # a tier the text words differently ("一次性" for some only)
        self._f = vocab[fact]

    def compute(self, facts):
        v = facts.get(self.fact)
        pre = _per_text(self.per, self.years)
        if self.per_values:  # each tier worded as the text words it: 首次一次性10万元、…中断后再次认定3万元
            tiers = "、".join(f"{self._f.title(k)}{_per_text(self.per_values.get(k, self.per), self.years)}{yuan(a)}"
                              for k, a in self.values.items())
        else:
            tiers = "、".join(f"{self._f.title(k)}{yuan(a)}" for k, a in self.values.items())
        if v in self.values:
            a = self.values[v]
            per = self.per_values.get(v, self.per)
            pre = _per_text(per, self.years)
            comp = f"{self._f.label}为“{self._f.title(v)}” → {'最高' if self.at_most else ''}{yuan(a)}"
            if self.at_most:
                return self._a(high=a, text=f"{pre}最高{yuan(a)}", computation=comp, per=per)
            return self._a(exact=a, text=f"{pre}{yuan(a)}", computation=comp, per=per)
        if isinstance(v, str) and v in self._f.values and v != "none" and not v.startswith("no"):
            # "我们是微型企业" of 大型10万、中型5万、小型3万: the text gives this case no figure
            return self._a(text=f"原文只规定{tiers}，未规定{self._f.title(v)}的金额", certainty_given="unspecified",
                           reason=f"原文未规定{self._f.title(v)}的金额")
        lo, hi = min(self.values.values()), max(self.values.values())
        missing = (self.fact,) if v is None else ()
        return self._a(low=None if self.at_most else lo, high=hi, missing=missing,
                       text=f"{'' if self.per_values else pre}{'最高' if self.at_most else ''}按{self._f.label}分档：{tiers}")

    def facts(self):
        return {self.fact}


class PerUnit(Rule):
    kind = "per_unit"

    def __init__(self, vocab, fact: str, unit: int, cap: int | None):
        self.fact, self.unit, self.cap = fact, unit, cap
        self._f = vocab[fact]

    def compute(self, facts):
        n = facts.get(self.fact)
        cap_txt = f"，最高{yuan(self.cap)}" if self.cap is not None else ""
        if n is None:
            return self._a(high=self.cap, missing=(self.fact,),
                           text=f"每{self._f.unit or '件'}{yuan(self.unit)}{cap_txt}")
        raw = n * self.unit
        val = raw if self.cap is None else min(raw, self.cap)
        comp = f"{self._f.label} {n}{self._f.unit or ''} × {yuan(self.unit)} = {yuan(raw)}"
        if val != raw:
            comp += f"，超过上限，按{yuan(val)}计"
        return self._a(exact=val, text=yuan(val), computation=comp)

    def facts(self):
        return {self.fact}


class Percent(Rule):
    kind = "percent"

    def __init__(self, vocab, base: str, rate: Fraction, cap: int | None, cap_fact: str | None, bound: str):
        self.base, self.rate, self.cap, self.cap_fact, self.bound = base, rate, cap, cap_fact, bound
        self._b = vocab[base]
        self._c = vocab[cap_fact] if cap_fact else None

    def _caps_text(self) -> str:
        parts = []
        if self._c is not None:
            parts.append(f"不高于{self._c.label}")
        if self.cap is not None:
            parts.append(f"最高{yuan(self.cap)}")
        return "，" + "，".join(parts) if parts else ""

    def compute(self, facts):
        pre = _per_text(self.per, self.years)
        rate_w = {"exact": "", "at_most": "不超过", "at_least": "不低于"}[self.bound]
        b = facts.get(self.base)
        if b is None:
            high = self.cap
            return self._a(high=high, low=None, missing=(self.base,) + ((self.cap_fact,) if self._c and facts.get(self.cap_fact) is None else ()),
                           text=f"{pre}按{self._b.label}的{rate_w}{percent(self.rate)}计{self._caps_text()}")
        raw = round_yuan(Fraction(b) * self.rate / 100)
        comp = f"{self._b.label} {yuan(b)} × {percent(self.rate)} = {yuan(raw)}"
        val, limits = raw, []
        if self.cap is not None and self.cap < val:
            val = self.cap
            limits.append(f"超过上限{yuan(self.cap)}，按{yuan(self.cap)}计")
        missing: tuple[str, ...] = ()
        cap_fact_known = True
        if self._c is not None:
            cf = facts.get(self.cap_fact)
            if cf is None:
                cap_fact_known = False
                missing = (self.cap_fact,)
                limits.append(f"且不得高于{self._c.label}（未知）")
            elif cf < val:
                val = cf
                limits.append(f"不得高于{self._c.label}{yuan(cf)}，按{yuan(cf)}计")
        if limits:
            comp += "；" + "；".join(limits)
        if self.bound == "at_least":
            hi = self.cap
            if hi is not None and val >= hi and cap_fact_known:
                return self._a(exact=hi, missing=missing, computation=comp, text=f"{pre}{yuan(hi)}")
            return self._a(low=val, high=hi, missing=missing, computation=comp,
                           text=f"{pre}不低于{yuan(val)}" + (f"，最高{yuan(hi)}" if hi is not None else ""))
        if self.bound == "at_most" or not cap_fact_known:
            return self._a(high=val, missing=missing, computation=comp, text=f"{pre}最高{yuan(val)}")
        return self._a(exact=val, computation=comp, text=f"{pre}{yuan(val)}")

    def facts(self):
        return {self.base} | ({self.cap_fact} if self.cap_fact else set())

    def reckoned_from(self):
        return {self.base}


class Brackets(Rule):
    kind = "brackets"

    def __init__(self, vocab, base: str, brackets: list[tuple[int | None, Fraction]], cap: int | None):
        self.base, self.brackets, self.cap = base, brackets, cap
        self._b = vocab[base]

    def describe(self) -> str:
        parts, lower = [], 0
        for up_to, rate in self.brackets:
            if up_to is None:
                parts.append(f"{yuan(lower)}以上的部分{percent(rate)}")
            else:
                parts.append(f"{yuan(up_to)}（含）以内{percent(rate)}" if lower == 0 else
                             f"{yuan(lower)}至{yuan(up_to)}的部分{percent(rate)}")
                lower = up_to
        return "；".join(parts)

    def compute(self, facts):
        pre = _per_text(self.per, self.years)
        b = facts.get(self.base)
        cap_txt = f"，最高{yuan(self.cap)}" if self.cap is not None else ""
        if b is None:
            return self._a(high=self.cap, missing=(self.base,),
                           text=f"{pre}按{self._b.label}分段计：{self.describe()}{cap_txt}")
        lower, terms, total = 0, [], Fraction(0)
        for up_to, rate in self.brackets:
            top = b if up_to is None else min(b, up_to)
            if top <= lower:
                break
            part = Fraction(top - lower)
            total += part * rate / 100
            terms.append((part, rate))
            if up_to is None:
                break
            lower = up_to
        raw = round_yuan(total)
        comp = " + ".join(f"{yuan(p)} × {percent(r)}" for p, r in terms) or f"{yuan(0)}"
        comp = f"{self._b.label} {yuan(b)}：{comp} = {yuan(raw)}"
        val = raw
        if self.cap is not None and raw > self.cap:
            val = self.cap
            comp += f"，超过上限{yuan(self.cap)}，按{yuan(self.cap)}计"
        return self._a(exact=val, computation=comp, text=f"{pre}{yuan(val)}")

    def facts(self):
        return {self.base}


class UpTo(Rule):
    kind = "up_to"

    def __init__(self, maximum: int):
        self.max = maximum

    def compute(self, facts):
        return self._a(high=self.max, text=f"{_per_text(self.per, self.years)}最高{yuan(self.max)}")


class AtLeast(Rule):
    """“X以上”: at least X, no upper figure."""
    kind = "at_least"

    def __init__(self, minimum: int):
        self.min = minimum

    def compute(self, facts):
        return self._a(low=self.min, text=f"{_per_text(self.per, self.years)}{yuan(self.min)}以上")


class Range(Rule):
    kind = "range"

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi

    def compute(self, facts):
        return self._a(low=self.lo, high=self.hi,
                       text=f"{_per_text(self.per, self.years)}{yuan(self.lo)}至{yuan(self.hi)}")


class CaseByCase(Rule):
    kind = "case_by_case"

    def certainty_kind(self):
        return "selective"

    def compute(self, facts):
        return self._a(text="“一事一议”，具体金额无法事先承诺", certainty_given="selective",
                       reason="“一事一议”，具体金额无法事先承诺")


class Unspecified(Rule):
    """Money is promised, but the text states no standard or figure (and does not say 一事一议)."""
    kind = "unspecified"

    def compute(self, facts):
        return self._a(text="原文未规定金额或标准")


class Selective(Rule):
    """“择优”: only those selected receive the amount, so it is an upper figure, never sure."""

    def certainty_kind(self):
        return "selective"

    def __init__(self, inner: Rule, reason: str | None = None):
        self.inner = inner
        self.kind = inner.kind
        self.reason = reason

    def compute(self, facts):
        a = self.inner.compute(facts)
        high = a.exact if a.exact is not None else a.high
        comp = (f"{'择优给予' if self.reason is None else '经评定给予'}：{a.computation}" if a.computation else None)
        return Amount(kind=a.kind, exact=None, low=None, high=high, text=f"择优{a.text}" if self.reason is None else f"经评定给予，{a.text}", computation=comp,
                      per=a.per, years=a.years, missing=a.missing, certainty_given="selective",
                      reason=self.reason, quote=self.quote)

    def facts(self):
        return self.inner.facts()

    def reckoned_from(self):
        return self.inner.reckoned_from()


class NoMoney(Rule):
    kind = "none"

    def compute(self, facts):
        return self._a(text="非资金支持")


class Shares(NoMoney):
    """Who bears a loss, and how much: no money for the asker, but shares the text sets ("省风险
    补偿资金承担35%…临清风险补偿资金承担聊城市风险补偿资金的40%"), worked out on the loss where it is
    known. A share `of` another party's is also said as a share of the whole (35% × 40% = 14%)."""

    def __init__(self, vocab: Vocabulary, base: str | None, parts: list[dict]):
        self.vocab, self.base, self.parts = vocab, base, parts

    def facts(self):
        return {self.base} if self.base else set()

    def _whole(self, part: dict) -> Fraction:
        of = next((p for p in self.parts if p["who"] == part.get("of")), None)
        return part["rate"] * (self._whole(of) / 100 if of else 1)

    def compute(self, facts):
        loss = facts.get(self.base) if self.base else None
        loss = Fraction(loss) if isinstance(loss, (int, float)) and not isinstance(loss, bool) else None
        said = []
        for p in self.parts:
            whole = self._whole(p)
            inside = [q["who"] for q in self.parts if q.get("of") == p["who"]]
            head = f"{p['who']}{percent(p['rate'])}" if not p.get("of") else \
                f"{p['who']}承担{p['of']}的{percent(p['rate'])}，即损失的{percent(p['of_rate'])} × {percent(p['rate'])} = {percent(whole)}"
            if inside:  # whether the share of it another party bears is within it, the text does not say
                head += f"（是否含{'、'.join(inside)}承担的部分，原文未说明）"
            said.append(head + (f"：{yuan(round_yuan(loss * whole / 100))}" if loss is not None else ""))
        text = "；".join(said)
        if loss is not None:
            text = f"{self.vocab[self.base].label}{yuan(round_yuan(loss))}：" + text
        return self._a(text=text, computation=text if loss is not None else None)


def _money(v: Any, where: str, problems: list[Problem], name: str) -> int | None:
    if isinstance(v, bool) or not isinstance(v, int):
        problems.append(Problem(f"{where}:{name}", f"must be whole yuan (an integer), got {v!r}"))
        return None
    if v < 0:
        problems.append(Problem(f"{where}:{name}", f"negative amount {v}"))
        return None
    return v


def _rate(v: Any, where: str, problems: list[Problem]) -> Fraction | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        problems.append(Problem(where, f"a rate is a percent number (25 for 25%), got {v!r}"))
        return None
    if not 0 < v <= 100:
        problems.append(Problem(where, f"a rate must be more than 0 and at most 100 percent, got {v}"))
        return None
    return Fraction(str(v))


def _fact_of(vocab, spec, key, where, problems, types) -> str | None:
    fid = spec.get(key)
    if fid not in vocab:
        problems.append(Problem(f"{where}:{key}", f"unknown fact {fid!r}"))
        return None
    if vocab[fid].type not in types:
        problems.append(Problem(f"{where}:{key}", f"{fid} is a {vocab[fid].type}; needs {' or '.join(types)}"))
        return None
    return fid


_FIELDS = {
    "fixed": {"value"}, "by_fact": {"fact", "values", "bound", "per_values"}, "per_unit": {"fact", "unit", "cap"},
    "percent": {"base", "rate", "cap", "cap_fact", "bound"}, "brackets": {"base", "brackets", "cap"},
    "up_to": {"max"}, "at_least": {"min"}, "range": {"min", "max"}, "case_by_case": set(), "unspecified": set(),
    "none": {"shares", "base"},
}
_SELECTIVE_KINDS = ("fixed", "by_fact", "per_unit", "percent", "brackets", "up_to", "range")


def _shares(spec: dict, vocab: Vocabulary, where: str, problems: list[Problem]) -> Rule:
    """`shares: [{who: 省风险补偿资金, rate: 35}, …, {who: 临清风险补偿资金, of: 聊城市风险补偿资金, rate: 40}]`
    with an optional `base` (the loss, a money fact)."""
    base = _fact_of(vocab, spec, "base", where, problems, ("money",)) if spec.get("base") is not None else None
    parts, names = [], set()
    for i, p in enumerate(spec.get("shares") or []):
        w = f"{where}:shares:{i}"
        if not isinstance(p, dict) or not isinstance(p.get("who"), str) or set(p) - {"who", "rate", "of"}:
            problems.append(Problem(w, "a share is {who: party, rate: percent[, of: another party]}"))
            continue
        rate = _rate(p.get("rate"), f"{w}:rate", problems)
        if p.get("of") is not None and p["of"] not in names:
            problems.append(Problem(f"{w}:of", f"{p['of']!r} is not a party named before"))
            continue
        if rate is not None:
            names.add(p["who"])
            part = {"who": p["who"], "rate": rate}
            if p.get("of") is not None:
                part.update(of=p["of"], of_rate=next(q["rate"] for q in parts if q["who"] == p["of"]))
            parts.append(part)
    if not parts:
        problems.append(Problem(f"{where}:shares", "at least one share"))
    return Shares(vocab, base, parts)


def _no_shares_base(spec: dict, where: str, problems: list[Problem]) -> None:
    if spec.get("base") is not None and spec.get("shares") is None:
        problems.append(Problem(f"{where}:base", "a none amount takes a base only with its shares"))


def compile_amount(spec: Any, vocab: Vocabulary, where: str, problems: list[Problem]) -> Rule:
    if not isinstance(spec, dict):
        problems.append(Problem(where, "amount must be a mapping with a `kind`"))
        return NoMoney()
    kind = spec.get("kind")
    if kind not in KINDS:
        problems.append(Problem(f"{where}:kind", f"must be one of {', '.join(KINDS)}"))
        return NoMoney()
    n = len(problems)
    extra = set(spec) - _FIELDS[kind] - {"kind", "per", "years", "selective", "selective_reason", "quote"}
    for k in sorted(extra):
        problems.append(Problem(f"{where}:{k}", f"not a field of a {kind} amount"))
    rule: Rule
    if kind == "fixed":
        rule = Fixed(_money(spec.get("value"), where, problems, "value") or 0)
    elif kind == "by_fact":
        fid = _fact_of(vocab, spec, "fact", where, problems, ("enum",))
        values = spec.get("values")
        vals: dict[str, int] = {}
        if not isinstance(values, dict) or not values:
            problems.append(Problem(f"{where}:values", "needs a mapping of fact value -> yuan"))
        elif fid:
            for k, v in values.items():
                if str(k) not in vocab[fid].values:
                    problems.append(Problem(f"{where}:values:{k}", f"not a value of {fid}"))
                m = _money(v, f"{where}:values", problems, str(k))
                if m is not None:
                    vals[str(k)] = m
        bound = spec.get("bound", "exact")
        if bound not in ("exact", "at_most"):
            problems.append(Problem(f"{where}:bound", "by_fact takes bound exact or at_most"))
        per_values = spec.get("per_values") or {}
        if not isinstance(per_values, dict) or any(str(k) not in vals or v not in PER_WORDS for k, v in per_values.items()):
            problems.append(Problem(f"{where}:per_values", f"a mapping of tier -> one of {', '.join(PER_WORDS)}"))
            per_values = {}
        rule = ByFact(vocab, fid, vals, bound == "at_most", {str(k): v for k, v in per_values.items()}) \
            if fid and vals else NoMoney()
    elif kind == "per_unit":
        fid = _fact_of(vocab, spec, "fact", where, problems, ("count",))
        unit = _money(spec.get("unit"), where, problems, "unit")
        cap = _money(spec["cap"], where, problems, "cap") if "cap" in spec else None
        rule = PerUnit(vocab, fid, unit, cap) if fid and unit is not None else NoMoney()
    elif kind == "percent":
        fid = _fact_of(vocab, spec, "base", where, problems, ("money",))
        rate = _rate(spec.get("rate"), f"{where}:rate", problems)
        cap = _money(spec["cap"], where, problems, "cap") if "cap" in spec else None
        cap_fact = _fact_of(vocab, spec, "cap_fact", where, problems, ("money",)) if "cap_fact" in spec else None
        bound = spec.get("bound", "exact")
        if bound not in ("exact", "at_most", "at_least"):
            problems.append(Problem(f"{where}:bound", "must be exact, at_most or at_least"))
            bound = "exact"
        if bound == "at_least" and cap is None:
            problems.append(Problem(f"{where}:cap", "an at_least percentage needs a cap"))
        rule = Percent(vocab, fid, rate, cap, cap_fact, bound) if fid and rate else NoMoney()
    elif kind == "brackets":
        fid = _fact_of(vocab, spec, "base", where, problems, ("money",))
        raw = spec.get("brackets")
        br: list[tuple[int | None, Fraction]] = []
        if not isinstance(raw, list) or not raw:
            problems.append(Problem(f"{where}:brackets", "needs a list of {up_to, rate}, the last without up_to"))
        else:
            prev = 0
            for i, b in enumerate(raw):
                bw = f"{where}:brackets[{i}]"
                if not isinstance(b, dict):
                    problems.append(Problem(bw, "must be a mapping"))
                    continue
                r = _rate(b.get("rate"), f"{bw}:rate", problems)
                up = b.get("up_to")
                if up is None and i != len(raw) - 1:
                    problems.append(Problem(f"{bw}:up_to", "only the last bracket may be open-ended"))
                if up is not None:
                    up = _money(up, bw, problems, "up_to")
                    if up is not None and up <= prev:
                        problems.append(Problem(f"{bw}:up_to", "brackets must increase"))
                    prev = up or prev
                if r is not None:
                    br.append((up, r))
        cap = _money(spec["cap"], where, problems, "cap") if "cap" in spec else None
        rule = Brackets(vocab, fid, br, cap) if fid and br else NoMoney()
    elif kind == "up_to":
        rule = UpTo(_money(spec.get("max"), where, problems, "max") or 0)
    elif kind == "at_least":
        rule = AtLeast(_money(spec.get("min"), where, problems, "min") or 0)
    elif kind == "range":
        lo = _money(spec.get("min"), where, problems, "min")
        hi = _money(spec.get("max"), where, problems, "max")
        if lo is not None and hi is not None and lo > hi:
            problems.append(Problem(f"{where}:min", "min is above max"))
        rule = Range(lo or 0, hi or 0)
    elif kind == "case_by_case":
        rule = CaseByCase()
    elif kind == "unspecified":
        rule = Unspecified()
    elif spec.get("shares") is not None:
        rule = _shares(spec, vocab, where, problems)
    else:
        _no_shares_base(spec, where, problems)
        rule = NoMoney()
    per = spec.get("per")
    if kind == "none":
        if per is not None:
            problems.append(Problem(f"{where}:per", "a `none` amount has no `per`"))
    elif per not in PER_WORDS:
        problems.append(Problem(f"{where}:per", f"must be one of {', '.join(PER_WORDS)}"))
    years = spec.get("years")
    if years is not None and (isinstance(years, bool) or not isinstance(years, int) or years <= 0):
        problems.append(Problem(f"{where}:years", "must be a positive whole number"))
        years = None
    rule.per, rule.years = per, years
    selective = spec.get("selective", False)
    if not isinstance(selective, bool) or (selective and kind not in _SELECTIVE_KINDS):
        problems.append(Problem(f"{where}:selective", f"`selective: true` (择优) takes a {', '.join(_SELECTIVE_KINDS)} amount"))
    elif selective:
        reason = spec.get("selective_reason")
        if reason is not None and not isinstance(reason, str):
            problems.append(Problem(f"{where}:selective_reason", "the reason in Chinese words"))
            reason = None
        rule = Selective(rule, reason)
        rule.per, rule.years = per, years
    elif "selective_reason" in spec:
        problems.append(Problem(f"{where}:selective_reason", "only with `selective: true`"))
    if len(problems) > n:
        return NoMoney()
    rule.quote = spec.get("quote")  # checked verbatim by the table loader
    return rule
