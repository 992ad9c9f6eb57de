"""The one fact vocabulary (rules/facts.yml): names, labels, types, questions, phrasings.

A fact absent from a profile is *unknown*; `UNKNOWN` (the string "unknown" in JSON) says
the same explicitly. Nothing is ever defaulted to false or zero.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from . import yamlio

from . import PROFILE_FORMAT_VERSION, PROFILE_FORMAT_VERSIONS
from .errors import Problem, ProfileError, TableError

UNKNOWN = "unknown"
TYPES = ("enum", "bool", "money", "count", "percent", "number")
QUANTITY_TYPES = ("money", "count", "percent", "number")


# -- partly known values ------------------------------------------------------------------
# "研发占比不到5%" or "亩产不是D类" do not give the value, but may decide a condition
# (≥5%: no; C类以上: yes). Conditions use them (huiqi.logic); amounts never do: a partly
# known quantity is unknown to an amount rule, which then asks for the figure.
@dataclass(frozen=True)
class OneOf:
    """An enum value known to be one of `values` (JSON: {"one_of": [...]})."""
    values: frozenset

    def as_json(self) -> dict:
        return {"one_of": sorted(self.values)}


@dataclass(frozen=True)
class Range:
    """A quantity known only by bounds (JSON: {"lt": 5}, {"ge": 2, "lt": 5}, …)."""
    lo: float | None = None
    lo_open: bool = False  # True: > lo, False: >= lo
    hi: float | None = None
    hi_open: bool = False  # True: < hi, False: <= hi

    def as_json(self) -> dict:
        out = {}
        if self.lo is not None:
            out["gt" if self.lo_open else "ge"] = self.lo
        if self.hi is not None:
            out["lt" if self.hi_open else "le"] = self.hi
        return out


_RANGE_KEYS = {"gt", "ge", "lt", "le"}


def exact_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts whose value is known exactly (what amount rules compute with)."""
    return {k: v for k, v in facts.items() if not isinstance(v, (OneOf, Range))}


def to_json(v: Any) -> Any:
    return v.as_json() if isinstance(v, (OneOf, Range)) else v
_FACT_KEYS = {"label", "type", "values", "unit", "question", "ask", "synonyms", "help", "changeable", "implied_by",
              "answers", "related", "partial", "derived", "same_sum_as"}


@dataclass(frozen=True)
class Fact:
    id: str
    label: str
    type: str
    question: str
    values: Mapping[str, str] = field(default_factory=dict)  # enum: value -> Chinese title
    unit: str | None = None
    ask: int | None = None  # order in which the assistant's form asks; None = never asked
    synonyms: Any = None
    help: str | None = None
    changeable: bool = True  # can a company change it (used for "what would unlock more")
    implied_by: Mapping[str, tuple] = field(default_factory=dict)  # bool: fact -> values that make it true
    # how a bare answer to this fact's question says a value (read only as an answer to it):
    # value ("true"/"false" for bool) -> phrases ("没有发生过，都符合要求" to the 绿色门槛 question)
    answers: Mapping[str, tuple] = field(default_factory=dict)
    # facts users say instead of this one, and what to tell them (a size answer to the 规上
    # question): other fact -> note
    related: Mapping[str, str] = field(default_factory=dict)
    # phrases that answer this fact's question only in part ("是高新技术企业" to the question
    # which year's certification), and what to tell them before asking again
    partial: tuple = ()
    partial_note: str | None = None
    # what other facts say about this one (rules/facts.yml `derived`): {"from": fact, "ge"|"lt": n}
    # or {"ratio": [numerator, denominator]}
    derived: Mapping[str, Any] = field(default_factory=dict)
    # money facts that one figure said may be ("聊城给了80万": 聊城's project funding is also the 上级资助
    # of a 聊城市级 project): an award reckoned from either is worked out from it
    same_sum_as: tuple = ()

    def derive(self, facts: Mapping[str, Any]) -> Any:
        """This fact's value from others known exactly (None when they do not give it)."""
        d = self.derived
        if not d:
            return None
        if "ratio" in d:
            num, den = (facts.get(f) for f in d["ratio"])
            if isinstance(num, (int, float)) and isinstance(den, (int, float)) and not isinstance(num, bool) and den > 0:
                return round(num * 100 / den, 2)
            return None
        v = facts.get(d.get("from"))
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return None
        if "ge" in d:
            return v >= d["ge"]
        if "lt" in d:
            return v < d["lt"]
        return None

    def title(self, value: Any) -> str:
        """The Chinese wording of a value of this fact."""
        if isinstance(value, OneOf):
            names = [self.title(v) for v in self.values if v in value.values]
            return names[0] if len(names) == 1 else "、".join(names[:-1]) + "或" + names[-1]
        if isinstance(value, Range):
            lo = None if value.lo is None else self.title(value.lo)
            hi = None if value.hi is None else self.title(value.hi)
            if lo and hi:
                return f"{lo}至{hi}之间"
            if hi:
                return f"低于{hi}" if value.hi_open else f"不超过{hi}"
            return f"超过{lo}" if value.lo_open else f"{lo}及以上"
        if self.type == "enum":
            return self.values.get(value, str(value))
        if self.type == "bool":
            return "是" if value else "否"
        if self.type == "money":
            from .money import yuan
            return yuan(value)
        if self.type == "percent":
            return f"{_num(value)}%"
        return f"{_num(value)}{self.unit or ''}"

    def choices(self) -> list[tuple[str, str]]:
        """(value, title) pairs for buttons; empty for quantities."""
        if self.type == "enum":
            return list(self.values.items())
        if self.type == "bool":
            return [("true", "是"), ("false", "否")]
        return []


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


class Vocabulary:
    def __init__(self, facts: dict[str, Fact], version: str):
        self.facts = facts
        self.version = version

    def __contains__(self, fact_id: str) -> bool:
        return fact_id in self.facts

    def __getitem__(self, fact_id: str) -> Fact:
        return self.facts[fact_id]

    def __iter__(self):
        return iter(self.facts.values())

    def askable(self) -> list[Fact]:
        return sorted((f for f in self.facts.values() if f.ask is not None), key=lambda f: f.ask)

    # -- profiles ------------------------------------------------------------------
    def coerce(self, fact_id: str, raw: Any, where: str = "") -> Any:
        """Validate one value for a fact; returns the normalised value or UNKNOWN.

        Raises ProfileError naming `where` (e.g. "facts.rd_ratio") on a bad value."""
        place = where or fact_id
        fact = self.facts.get(fact_id)
        if fact is None:
            raise ProfileError([Problem(place, f"unknown fact {fact_id!r}; known facts are listed in docs/profile.md")])
        if raw is None or raw == UNKNOWN:
            return UNKNOWN
        t = fact.type
        if isinstance(raw, (OneOf, Range)):
            raw = raw.as_json()
        if isinstance(raw, Mapping):
            return self._coerce_partial(fact, raw, place)
        if t == "enum":
            if isinstance(raw, str) and raw in fact.values:
                return raw
            allowed = ", ".join(list(fact.values) + [UNKNOWN])
            raise ProfileError([Problem(place, f"{raw!r} is not a value of {fact_id} ({fact.label}); allowed: {allowed}")])
        if t == "bool":
            if isinstance(raw, bool):
                return raw
            raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) takes true, false or \"unknown\", not {raw!r}")])
        # quantities
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) takes a number, not {raw!r}")])
        if isinstance(raw, float) and not math.isfinite(raw):
            raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) must be a finite number")])
        if raw < 0:
            raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) cannot be negative: {raw}")])
        if t == "percent" and raw > 100:
            raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) is a percentage and cannot exceed 100: {raw}")])
        if t == "count":
            if isinstance(raw, float) and not raw.is_integer():
                raise ProfileError([Problem(place, f"{fact_id} ({fact.label}) is a count and must be a whole number: {raw}")])
            return int(raw)
        if t == "money":
            # Amounts are kept in whole yuan; fen are rounded half up.
            return int(math.floor(raw + 0.5)) if isinstance(raw, float) else raw
        return raw

    def _coerce_partial(self, fact: Fact, raw: Mapping, place: str) -> Any:
        """{"one_of": [...]} for an enum, {"lt"/"le"/"gt"/"ge": n} bounds for a quantity."""
        if fact.type == "enum":
            vals = raw.get("one_of")
            if set(raw) != {"one_of"} or not isinstance(vals, list) or not vals:
                raise ProfileError([Problem(place, f"a partly known {fact.id} is {{\"one_of\": [values]}}")])
            vals = {self.coerce(fact.id, v, place) for v in vals}
            if UNKNOWN in vals:
                raise ProfileError([Problem(place, f"\"unknown\" cannot be one of the values of {fact.id}")])
            return next(iter(vals)) if len(vals) == 1 else OneOf(frozenset(vals))
        if fact.type not in QUANTITY_TYPES or not raw or set(raw) - _RANGE_KEYS \
                or ("gt" in raw and "ge" in raw) or ("lt" in raw and "le" in raw):
            raise ProfileError([Problem(place, f"a partly known {fact.id} gives bounds: one of gt/ge and/or one of lt/le")])
        b = {k: self.coerce(fact.id, v, place) for k, v in raw.items()}
        if UNKNOWN in b.values():
            raise ProfileError([Problem(place, f"a bound of {fact.id} must be a number")])
        lo_key = "gt" if "gt" in b else "ge" if "ge" in b else None
        hi_key = "lt" if "lt" in b else "le" if "le" in b else None
        lo, hi = (b[lo_key] if lo_key else None), (b[hi_key] if hi_key else None)
        if lo is not None and hi is not None and (lo > hi or (lo == hi and (lo_key == "gt" or hi_key == "lt"))):
            raise ProfileError([Problem(place, f"empty range for {fact.id}: {dict(raw)}")])
        return Range(lo, lo_key == "gt", hi, hi_key == "lt")

    def profile(self, facts: Mapping[str, Any], where: str = "facts") -> dict[str, Any]:
        """Validate a mapping of facts; returns only the known ones. Collects every problem."""
        if not isinstance(facts, Mapping):
            raise ProfileError([Problem(where, "must be an object mapping fact names to values")])
        known: dict[str, Any] = {}
        problems: list[Problem] = []
        for key, raw in facts.items():
            try:
                value = self.coerce(key, raw, f"{where}.{key}")
            except ProfileError as e:
                problems.extend(e.problems)
                continue
            if value != UNKNOWN:
                known[key] = value
        if problems:
            raise ProfileError(problems)
        return known

    def profile_from_json(self, doc: Any) -> dict[str, Any]:
        """A profile document as published in docs/profile.md."""
        if not isinstance(doc, Mapping):
            raise ProfileError([Problem("(profile)", "a profile is a JSON object with \"version\" and \"facts\"")])
        problems = []
        extra = set(doc) - {"version", "facts", "name", "note"}
        if extra:
            problems.append(Problem("(profile)", f"unexpected keys: {', '.join(sorted(extra))}"))
        version = doc.get("version")
        if version not in PROFILE_FORMAT_VERSIONS:
            problems.append(Problem("version", "profile format version must be " + " or ".join(
                f'"{v}"' for v in PROFILE_FORMAT_VERSIONS) + f", got {version!r}"))
        if "facts" not in doc:
            problems.append(Problem("facts", "missing: the company facts go here"))
        if problems:
            raise ProfileError(problems)
        return self.profile(doc["facts"])

    def json_schema(self) -> dict:
        """JSON Schema (draft 2020-12) of the profile format, generated from the vocabulary."""
        props = {}
        for f in self.facts.values():
            desc = f.label + (f"（单位：{f.unit}）" if f.unit else "")
            if f.type == "enum":
                one = {"enum": list(f.values)}
                s: dict = {"anyOf": [one, {"const": UNKNOWN},
                                     {"type": "object", "additionalProperties": False, "required": ["one_of"],
                                      "properties": {"one_of": {"type": "array", "minItems": 1, "items": one}}}]}
                desc += "：" + "；".join(f"{k}={v}" for k, v in f.values.items())
            elif f.type == "bool":
                s = {"anyOf": [{"type": "boolean"}, {"const": UNKNOWN}]}
            else:
                num: dict = {"type": "integer" if f.type == "count" else "number", "minimum": 0}
                if f.type == "percent":
                    num["maximum"] = 100
                bounds = {"type": "object", "additionalProperties": False, "minProperties": 1,
                          "properties": {k: num for k in sorted(_RANGE_KEYS)},
                          "not": {"anyOf": [{"required": ["gt", "ge"]}, {"required": ["lt", "le"]}]}}
                s = {"anyOf": [num, {"const": UNKNOWN}, bounds]}
            s["description"] = desc
            props[f.id] = s
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://huiqi.example/schema/profile-{PROFILE_FORMAT_VERSION}.json",
            "title": "huiqi company profile",
            "description": "A company's facts for `huiqi match`. A fact that is absent, null or \"unknown\" is unknown.",
            "type": "object",
            "required": ["version", "facts"],
            "additionalProperties": False,
            "properties": {
                "version": {"enum": list(PROFILE_FORMAT_VERSIONS)},
                "name": {"type": "string", "description": "optional: who this profile describes"},
                "note": {"type": "string"},
                "facts": {"type": "object", "additionalProperties": False, "properties": props},
            },
        }


def load_vocabulary(path: Path) -> Vocabulary:
    where = path.name
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TableError([Problem(where, "file not found")])
    except yaml.YAMLError as e:
        raise TableError([Problem(where, f"not valid YAML: {e}")])
    if not isinstance(raw, dict) or not isinstance(raw.get("facts"), dict):
        raise TableError([Problem(where, "must be a mapping with a `facts` mapping")])
    problems: list[Problem] = []
    facts: dict[str, Fact] = {}
    for fid, spec in raw["facts"].items():
        p = f"{where}:{fid}"
        if not isinstance(spec, dict):
            problems.append(Problem(p, "must be a mapping"))
            continue
        for k in set(spec) - _FACT_KEYS:
            problems.append(Problem(f"{p}:{k}", "unknown field"))
        t = spec.get("type")
        if t not in TYPES:
            problems.append(Problem(f"{p}:type", f"must be one of {', '.join(TYPES)}"))
            continue
        for k in ("label", "question"):
            if not isinstance(spec.get(k), str) or not spec.get(k):
                problems.append(Problem(f"{p}:{k}", "required text"))
        values = spec.get("values") or {}
        if t == "enum":
            if not isinstance(values, dict) or not values:
                problems.append(Problem(f"{p}:values", "an enum needs values"))
                values = {}
            elif UNKNOWN in values:
                problems.append(Problem(f"{p}:values", f"{UNKNOWN!r} is reserved"))
            values = {str(k): str(v) for k, v in values.items()}
        elif values:
            problems.append(Problem(f"{p}:values", "only enums have values"))
        ask = spec.get("ask")
        if ask is not None and (not isinstance(ask, int) or isinstance(ask, bool)):
            problems.append(Problem(f"{p}:ask", "must be an integer"))
        syn = spec.get("synonyms")
        if t == "enum" and isinstance(syn, dict):
            for k in syn:
                if str(k) not in values:
                    problems.append(Problem(f"{p}:synonyms:{k}", "not a value of this fact"))
        if t == "bool" and isinstance(syn, dict):
            for k in syn:
                if str(k) not in ("true", "false"):
                    problems.append(Problem(f"{p}:synonyms:{k}", "bool synonyms are keyed \"true\" or \"false\""))
        implied = spec.get("implied_by") or {}
        if implied and (t != "bool" or not isinstance(implied, dict)
                        or not all(isinstance(v, list) and v for v in implied.values())):
            problems.append(Problem(f"{p}:implied_by", "a bool fact's implied_by maps facts to lists of their values"))
            implied = {}
        answers = spec.get("answers") or {}
        if answers and (not isinstance(answers, dict) or not all(isinstance(v, list) and v for v in answers.values())
                        or any(str(k) not in (values if t == "enum" else ("true", "false")) for k in answers)):
            problems.append(Problem(f"{p}:answers", "maps values of this fact (\"true\"/\"false\" for bool) to lists of phrases"))
            answers = {}
        related = spec.get("related") or {}
        if related and not (isinstance(related, dict) and all(isinstance(v, str) for v in related.values())):
            problems.append(Problem(f"{p}:related", "maps other facts to a note"))
            related = {}
        partial = spec.get("partial") or {}
        if partial and not (isinstance(partial, dict) and isinstance(partial.get("phrases"), list)
                            and isinstance(partial.get("note"), str)):
            problems.append(Problem(f"{p}:partial", "needs `phrases` (a list) and `note` (a text)"))
            partial = {}
        derived = spec.get("derived") or {}
        if derived and not (isinstance(derived, dict) and (
                (isinstance(derived.get("ratio"), list) and len(derived["ratio"]) == 2)
                or (isinstance(derived.get("from"), str) and any(isinstance(derived.get(k), (int, float)) for k in ("ge", "lt"))))):
            problems.append(Problem(f"{p}:derived", "{from: fact, ge|lt: number} or {ratio: [fact, fact]}"))
            derived = {}
        facts[fid] = Fact(
            id=fid, label=spec.get("label", ""), type=t, question=spec.get("question", ""),
            values=values, unit=spec.get("unit"), ask=ask, synonyms=syn, help=spec.get("help"),
            changeable=bool(spec.get("changeable", True)),
            implied_by={str(k): tuple(str(x) if not isinstance(x, bool) else x for x in v) for k, v in implied.items()},
            answers={str(k): tuple(str(x) for x in v) for k, v in answers.items()},
            related={str(k): v for k, v in related.items()},
            partial=tuple(str(x) for x in partial.get("phrases") or ()), partial_note=partial.get("note"),
            derived=derived, same_sum_as=tuple(str(x) for x in spec.get("same_sum_as") or ()),
        )
    for f in facts.values():  # derived names facts that exist
        for other in ([f.derived["from"]] if "from" in f.derived else list(f.derived.get("ratio") or ())):
            if other not in facts:
                problems.append(Problem(f"{where}:{f.id}:derived", f"unknown fact {other!r}"))
    for f in facts.values():  # same_sum_as names money facts, and only for a money fact
        for other in f.same_sum_as:
            if other not in facts or facts[other].type != "money" or f.type != "money":
                problems.append(Problem(f"{where}:{f.id}:same_sum_as", f"{other!r}: money facts only"))
    for f in facts.values():  # implied_by names facts and values that exist
        for other, vals in f.implied_by.items():
            g = facts.get(other)
            if g is None:
                problems.append(Problem(f"{where}:{f.id}:implied_by", f"unknown fact {other!r}"))
            elif g.type == "enum" and any(v not in g.values for v in vals):
                problems.append(Problem(f"{where}:{f.id}:implied_by:{other}", f"not values of {other}: {list(vals)}"))
    if problems:
        raise TableError(problems)
    return Vocabulary(facts, str(raw.get("version", "")))
