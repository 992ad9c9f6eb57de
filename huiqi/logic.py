"""Conditions over company facts, evaluated in three (four) values.

TRUE / FALSE as usual; UNKNOWN when a fact that would decide is not known; UNSETTLED when
the fact is known but the document's text does not decide for that value (the verdict is
then "need information", naming the department that can settle it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .errors import Problem
from .vocabulary import QUANTITY_TYPES, Fact, OneOf, Range, Vocabulary

FALSE, TRUE, UNKNOWN, UNSETTLED = 0, 1, 2, 3
_MISSING = object()
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "ge": lambda a, b: a >= b, "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b, "lt": lambda a, b: a < b,
}
_CMP_WORDS = {"ge": "不低于", "gt": "超过", "le": "不超过", "lt": "低于"}


def _all_ge(r, b): return r.lo is not None and r.lo >= b
def _all_gt(r, b): return r.lo is not None and (r.lo > b or (r.lo == b and r.lo_open))
def _all_le(r, b): return r.hi is not None and r.hi <= b
def _all_lt(r, b): return r.hi is not None and (r.hi < b or (r.hi == b and r.hi_open))


# op → (every value in the range satisfies it, every value fails it)
_RANGE_DECIDES = {"ge": (_all_ge, _all_lt), "gt": (_all_gt, _all_le),
                  "le": (_all_le, _all_gt), "lt": (_all_lt, _all_ge)}


@dataclass(frozen=True)
class Finding:
    """One leaf condition that failed, is unknown, or is unsettled by the text."""
    kind: str  # "failed" | "missing" | "unsettled"
    fact: str
    text: str  # the condition in Chinese
    quote: str | None
    actual: Any = None  # the company's value, for failed/unsettled
    note: str | None = None
    ask: str | None = None


class Cond:
    __slots__ = ()

    def ev(self, facts: dict) -> int:
        raise NotImplementedError

    def why(self, facts: dict, out: list[Finding]) -> None:
        """Append the findings that make this condition not TRUE."""
        raise NotImplementedError

    def facts(self) -> set[str]:
        raise NotImplementedError


class Leaf(Cond):
    __slots__ = ("fact", "op", "value", "quote", "label", "unsettled", "note", "ask", "_test", "_fact")

    def __init__(self, fact: Fact, op: str, value: Any, quote, label, unsettled, note, ask):
        self._fact = fact
        self.fact, self.op, self.value = fact.id, op, value
        self.quote, self.label, self.note, self.ask = quote, label, note, ask
        self.unsettled = frozenset(unsettled or ())
        if op in _CMP:
            f, b = _CMP[op], value
            self._test = lambda a: f(a, b)
        elif op == "in":
            s = frozenset(value)
            self._test = s.__contains__
        else:  # "is" / "eq"
            self._test = value.__eq__

    def ev(self, facts: dict) -> int:
        v = facts.get(self.fact, _MISSING)
        if v is _MISSING:
            return UNKNOWN
        if isinstance(v, (OneOf, Range)):
            return self._ev_partial(v)
        if self.unsettled and v in self.unsettled:
            return UNSETTLED
        return TRUE if self._test(v) else FALSE

    def _ev_partial(self, v) -> int:
        """A partly known value decides the leaf when every value it allows does the same."""
        if isinstance(v, OneOf):
            outcomes = {UNSETTLED if x in self.unsettled else (TRUE if self._test(x) else FALSE) for x in v.values}
            return outcomes.pop() if len(outcomes) == 1 else UNKNOWN
        if self.op not in _CMP:
            return UNKNOWN
        holds, fails = _RANGE_DECIDES[self.op]
        return TRUE if holds(v, self.value) else FALSE if fails(v, self.value) else UNKNOWN

    def text(self) -> str:
        if self.label:
            return self.label
        f = self._fact
        if self.op == "is":
            return f"{f.label}：{'是' if self.value else '否'}"
        if self.op in ("in", "eq"):
            vals = self.value if self.op == "in" else [self.value]
            return f"{f.label}：" + "或".join(f.title(v) for v in vals)
        return f"{f.label}{_CMP_WORDS[self.op]}{f.title(self.value)}"

    def why(self, facts: dict, out: list[Finding]) -> None:
        s = self.ev(facts)
        if s == TRUE:
            return
        kind = {FALSE: "failed", UNKNOWN: "missing", UNSETTLED: "unsettled"}[s]
        out.append(Finding(kind, self.fact, self.text(), self.quote, facts.get(self.fact),
                           self.note if s == UNSETTLED else None, self.ask if s == UNSETTLED else None))

    def facts(self) -> set[str]:
        return {self.fact}


class All(Cond):
    __slots__ = ("children", "quote")

    def __init__(self, children: list[Cond], quote=None):
        self.children, self.quote = tuple(children), quote

    def ev(self, facts: dict) -> int:
        worst = TRUE
        for c in self.children:
            s = c.ev(facts)
            if s == FALSE:
                return FALSE
            if s == UNKNOWN:
                worst = UNKNOWN
            elif s == UNSETTLED and worst == TRUE:
                worst = UNSETTLED
        return worst

    def why(self, facts: dict, out: list[Finding]) -> None:
        if self.ev(facts) == TRUE:
            return
        failed = [c for c in self.children if c.ev(facts) == FALSE]
        for c in failed or self.children:
            c.why(facts, out)

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.children))


class Any_(Cond):
    __slots__ = ("children", "quote")

    def __init__(self, children: list[Cond], quote=None):
        self.children, self.quote = tuple(children), quote

    def ev(self, facts: dict) -> int:
        best = FALSE
        for c in self.children:
            s = c.ev(facts)
            if s == TRUE:
                return TRUE
            if s == UNKNOWN:
                best = UNKNOWN
            elif s == UNSETTLED and best == FALSE:
                best = UNSETTLED
        return best

    def why(self, facts: dict, out: list[Finding]) -> None:
        if self.ev(facts) == TRUE:  # "规上 or 科小": 规上 holds, 科小 does not matter
            return
        # None is TRUE. If some are undecided, only those matter; otherwise all failed.
        undecided = [c for c in self.children if c.ev(facts) != FALSE]
        for c in undecided or self.children:
            c.why(facts, out)

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.children))


class Not(Cond):
    __slots__ = ("child", "quote", "label")

    def __init__(self, child: Cond, quote=None, label=None):
        self.child, self.quote, self.label = child, quote, label

    def ev(self, facts: dict) -> int:
        s = self.child.ev(facts)
        return TRUE if s == FALSE else FALSE if s == TRUE else s

    def why(self, facts: dict, out: list[Finding]) -> None:
        s = self.ev(facts)
        if s == FALSE:
            names = sorted(self.child.facts())
            out.append(Finding("failed", names[0], self.label or "不满足排除条件", self.quote,
                               facts.get(names[0])))
        else:
            self.child.why(facts, out)

    def facts(self) -> set[str]:
        return self.child.facts()


class Always(Cond):
    """No condition beyond region and beneficiary."""
    __slots__ = ()

    def ev(self, facts: dict) -> int:
        return TRUE

    def why(self, facts: dict, out: list[Finding]) -> None:
        return None

    def facts(self) -> set[str]:
        return set()


ALWAYS = Always()
_LEAF_OPS = ("is", "eq", "in", "ge", "gt", "le", "lt")
_LEAF_KEYS = {"fact", "quote", "label", "unsettled", "note", "ask", *_LEAF_OPS}


def compile_condition(spec: Any, vocab: Vocabulary, where: str, problems: list[Problem],
                      named: dict[str, Cond] | None = None, check_quote=None) -> Cond:
    """Build a condition from its YAML form, appending every problem found."""
    named = named or {}
    if not isinstance(spec, dict):
        problems.append(Problem(where, "a condition must be a mapping"))
        return ALWAYS
    quote = spec.get("quote")
    if quote is not None and check_quote:
        check_quote(quote, f"{where}:quote")
    for k in ("all", "any"):
        if k in spec:
            extra = set(spec) - {k, "quote", "label"}
            if extra:
                problems.append(Problem(where, f"unexpected keys beside {k}: {', '.join(sorted(extra))}"))
            items = spec[k]
            if not isinstance(items, list) or not items:
                problems.append(Problem(f"{where}:{k}", "must be a non-empty list"))
                return ALWAYS
            kids = [compile_condition(c, vocab, f"{where}:{k}[{i}]", problems, named, check_quote)
                    for i, c in enumerate(items)]
            return All(kids, quote) if k == "all" else Any_(kids, quote)
    if "not" in spec:
        return Not(compile_condition(spec["not"], vocab, f"{where}:not", problems, named, check_quote),
                   quote, spec.get("label"))
    if "ref" in spec:
        ref = spec["ref"]
        if ref not in named:
            problems.append(Problem(f"{where}:ref", f"no condition set named {ref!r} in this document"))
            return ALWAYS
        return named[ref]
    # a leaf
    extra = set(spec) - _LEAF_KEYS
    if extra:
        problems.append(Problem(where, f"unknown keys: {', '.join(sorted(extra))}"))
    fid = spec.get("fact")
    if fid not in vocab:
        problems.append(Problem(f"{where}:fact", f"unknown fact {fid!r} (facts are defined in rules/facts.yml)"))
        return ALWAYS
    fact = vocab[fid]
    ops = [o for o in _LEAF_OPS if o in spec]
    if len(ops) != 1:
        problems.append(Problem(where, f"a leaf needs exactly one of {', '.join(_LEAF_OPS)}"))
        return ALWAYS
    op, value = ops[0], spec[ops[0]]
    p = f"{where}:{op}"
    if fact.type == "bool":
        if op != "is" or not isinstance(value, bool):
            problems.append(Problem(p, f"{fid} is a bool: use `is: true` or `is: false`"))
            return ALWAYS
    elif fact.type == "enum":
        if op not in ("in", "eq"):
            problems.append(Problem(p, f"{fid} is an enum: use `in:` or `eq:`"))
            return ALWAYS
        vals = value if op == "in" else [value]
        if not isinstance(vals, list) or not vals:
            problems.append(Problem(p, "`in:` takes a non-empty list"))
            return ALWAYS
        bad = [v for v in vals if str(v) not in fact.values]
        if bad:
            problems.append(Problem(p, f"not values of {fid}: {bad}; allowed: {list(fact.values)}"))
            return ALWAYS
        value = [str(v) for v in vals] if op == "in" else str(value)
    elif fact.type in QUANTITY_TYPES:
        if op not in _CMP or isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(p, f"{fid} is a {fact.type}: compare with ge/gt/le/lt and a number"))
            return ALWAYS
        if value < 0:
            problems.append(Problem(p, f"negative threshold {value}"))
        if fact.type == "percent" and value > 100:
            problems.append(Problem(p, f"a percentage over 100: {value}"))
    unsettled = spec.get("unsettled")
    if unsettled is not None:
        if fact.type != "enum" or not isinstance(unsettled, list) or any(str(u) not in fact.values for u in unsettled):
            problems.append(Problem(f"{where}:unsettled", f"must list values of the enum {fid}"))
            unsettled = None
        elif not spec.get("note"):
            problems.append(Problem(f"{where}:note", "an `unsettled` leaf needs a note saying what the text leaves open"))
        else:
            unsettled = [str(u) for u in unsettled]
    return Leaf(fact, op, value, quote, spec.get("label"), unsettled, spec.get("note"), spec.get("ask"))
