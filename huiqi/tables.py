"""Loading and validating the rule tables (docs/rule-tables.md).

`load_catalogue()` either returns the whole catalogue or raises TableError listing every
problem as file:entry:field. A broken table never loads, not even in part.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlio

from .amounts import Rule, compile_amount
from .errors import Problem, TableError
from .logic import ALWAYS, Cond, compile_condition
from .vocabulary import Vocabulary, load_vocabulary

STATUSES = {"draft": "征求意见稿", "trial": "试行", "in_force": "正式施行"}
SUPPORT = {
    "cash": "资金奖补", "voucher": "创新券", "tax": "税收优惠", "recommendation": "推荐申报",
    "priority": "优先支持", "green_channel": "绿色通道", "title": "职称与人才评价", "service": "服务与政策支持",
    "governance": "体制机制（政府内部）", "finance": "金融支持",
}
MONEY_SUPPORT = ("cash", "voucher")
CAVEAT_KINDS = ("draft", "trial", "date_conflict", "ambiguous", "expired_parts")
NOTE_KINDS = ("ambiguous", "selective", "context", "silent")
TOPICS = (
    "high_tech", "tech_sme", "rd_expense", "patent", "platform", "rd_institution", "project", "tech_transfer",
    "incubator", "talent", "finance", "insurance", "standard", "voucher", "tax", "listing", "region_park", "soe",
    "governance", "quality", "tech_upgrade", "training",
)
_DOC_KEYS = {"id", "title", "short", "issuer", "number", "date", "status", "region", "source", "validity",
             "caveats", "measures", "condition_sets", "total_caps", "stacking"}
_ENTRY_KEYS = {"id", "measure", "title", "topics", "quote", "beneficiary", "beneficiary_note", "support",
               "conditions", "amount", "higher_level", "departments", "stacking", "validity", "notes", "reach",
               "sure_if", "plan"}
#: Supports that are work plans, priorities or services: said as such, never ticked as an award.
SERVICE_PRIORITY = ("service", "priority", "recommendation", "green_channel")


_RULES = Path(__file__).resolve().parent.parent / "rules"  # (resolved once: every NLU reading asks)


def default_rules_dir() -> Path:
    env = os.environ.get("HUIQI_RULES")
    return Path(env) if env else _RULES


@dataclass(frozen=True)
class Validity:
    start: dt.date | None
    end: dt.date | None
    quote: Any = None
    note: str | None = None


@dataclass(frozen=True)
class Note:
    kind: str
    text: str
    quote: Any = None
    ask: str | None = None


@dataclass(frozen=True)
class Departments:
    lead: tuple[str, ...]
    co: tuple[str, ...]
    quote: Any
    inferred: bool = False  # the measure names no department: these are inferred from other sentences

    def text(self) -> str:
        s = "牵头：" + "、".join(self.lead)
        if self.co:
            s += "；配合：" + "、".join(self.co)
        if self.inferred:
            s += "（本条原文未写明责任部门，系按文件其他规定推定）"
        return s


@dataclass
class TotalCap:
    id: str
    base: str
    applies_to: frozenset[str]
    cases: list[tuple[Cond, int, Any]]
    quote: Any


@dataclass
class StackingGroup:
    id: str
    rule: str  # highest_only | no_double
    members: frozenset[str] | None  # None = every entry of the document
    quote: Any
    note: str | None = None
    ask: str | None = None
    beneficiary: frozenset[str] | None = None  # whom it binds ("同一企业": enterprise); None = anyone

    def binds(self, entry: "Entry", entity_type: str | None) -> bool:
        """The group covers this entry, for this kind of applicant."""
        if self.members is not None and entry.id not in self.members:
            return False
        if self.beneficiary is None:
            return True
        return bool(entry.beneficiary & self.beneficiary) and (entity_type is None or entity_type in self.beneficiary)


@dataclass
class Document:
    id: str
    title: str
    short: str
    issuer: str
    number: str | None
    date: dt.date
    status: str
    region: str
    source: Path
    text: str
    validity: Validity
    caveats: list[Note]
    measures: list[tuple[str, str]]
    total_caps: list[TotalCap] = field(default_factory=list)
    stacking: list[StackingGroup] = field(default_factory=list)
    condition_sets: dict[str, Cond] = field(default_factory=dict)  # named conditions shared by entries

    @property
    def status_zh(self) -> str:
        return STATUSES[self.status]

    def citation(self) -> str:
        s = f"《{self.title}》"
        if self.number:
            s += f"（{self.number}）"
        return s


@dataclass(frozen=True)
class SureIf:
    """The amount is as computed only when `when` holds; unknown: it depends on that fact;
    false: the text leaves it open (`text` says how) and the amount is only an upper figure."""
    when: Cond
    text: str
    quote: Any = None


@dataclass
class Entry:
    id: str
    document: Document
    measure: str
    title: str
    topics: tuple[str, ...]
    quote: Any
    beneficiary: frozenset[str]
    beneficiary_note: str | None
    support: str
    condition: Cond
    amount: Rule
    departments: Departments
    higher_level: dict | None
    stacking: tuple[str, ...]
    validity: Validity
    notes: list[Note]
    reach: Note | None = None  # the entry also addresses units outside the document's region (省外, 国内外)
    sure_if: SureIf | None = None
    plan: bool = False  # a task of the government's work plan (重点任务): said as such, whatever its support

    @property
    def service_priority(self) -> bool:
        """A work plan, priority or service: no entitlement to tick."""
        return self.plan or self.support in SERVICE_PRIORITY

    @property
    def pays_money(self) -> bool:
        return self.support in MONEY_SUPPORT and self.amount.kind != "none"

    def quotes(self) -> list[str]:
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


@dataclass
class Catalogue:
    vocab: Vocabulary
    documents: dict[str, Document]
    entries: list[Entry]

    def __post_init__(self):
        self.by_id = {e.id: e for e in self.entries}

    def entry(self, entry_id: str) -> Entry:
        return self.by_id[entry_id]

    def find(self, text: str) -> list[Entry]:
        """Entries whose id starts with, or whose title contains, `text`."""
        if text in self.by_id:
            return [self.by_id[text]]
        return [e for e in self.entries if e.id.startswith(text) or text in e.title]


class _Ctx:
    """Collects problems while one table file is read."""

    def __init__(self, fname: str, vocab: Vocabulary):
        self.fname, self.vocab = fname, vocab
        self.problems: list[Problem] = []
        self.text = ""

    def err(self, where: str, msg: str) -> None:
        self.problems.append(Problem(f"{self.fname}:{where}", msg))

    def quote(self, q: Any, where: str) -> None:
        qs = [q] if isinstance(q, str) else q
        if not isinstance(qs, list) or not qs or not all(isinstance(x, str) and x for x in qs):
            self.err(where, "a quote is a non-empty string or list of strings")
            return
        if not self.text:
            return
        for i, x in enumerate(qs):
            if x not in self.text:
                self.err(where if len(qs) == 1 else f"{where}[{i}]",
                         f"not found verbatim in the source text: {x[:40]!r}{'…' if len(x) > 40 else ''}")

    def entry_ids(self, value: Any, ids: set[str], where: str, alternative: str) -> frozenset[str]:
        """A non-empty list of this table's entry ids (stacking members, a cap's entries)."""
        if not isinstance(value, list) or not value:
            self.err(where, f"{alternative} or a list of entry ids")
            return frozenset()
        bad = [m for m in value if m not in ids]
        if bad:
            self.err(where, f"not entries of this table: {bad}")
        return frozenset(value)

    def cond(self, spec: Any, where: str, named: dict[str, Cond]) -> Cond:
        probs: list[Problem] = []
        c = compile_condition(spec, self.vocab, where, probs, named, self.quote)
        for p in probs:
            self.err(p.where, p.message)
        return c

    def date(self, v: Any, where: str, allow_none=False) -> dt.date | None:
        if v is None and allow_none:
            return None
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return v
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                pass
        self.err(where, f"not a valid date (YYYY-MM-DD): {v!r}")
        return None

    def validity(self, spec: Any, where: str) -> Validity:
        if not isinstance(spec, dict):
            self.err(where, "validity must be a mapping with from, to, quote")
            return Validity(None, None)
        extra = set(spec) - {"from", "to", "quote", "note"}
        if extra:
            self.err(where, f"unknown keys: {', '.join(sorted(extra))}")
        start = self.date(spec.get("from"), f"{where}:from", allow_none=True)
        end = self.date(spec.get("to"), f"{where}:to", allow_none=True)
        if start and end and start > end:
            self.err(f"{where}:to", f"ends ({end}) before it starts ({start})")
        if spec.get("quote") is not None:
            self.quote(spec["quote"], f"{where}:quote")
        elif start or end:
            self.err(f"{where}:quote", "dates need the sentence that gives them")
        return Validity(start, end, spec.get("quote"), spec.get("note"))

    def notes(self, raw: Any, where: str, kinds: tuple[str, ...]) -> list[Note]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.err(where, "must be a list")
            return []
        out = []
        for i, n in enumerate(raw):
            w = f"{where}[{i}]"
            if not isinstance(n, dict) or not isinstance(n.get("text"), str):
                self.err(w, "needs kind and text")
                continue
            extra = set(n) - {"kind", "text", "quote", "ask"}
            if extra:
                self.err(w, f"unknown keys: {', '.join(sorted(extra))}")
            if n.get("kind") not in kinds:
                self.err(f"{w}:kind", f"must be one of {', '.join(kinds)}")
            if n.get("quote") is not None:
                self.quote(n["quote"], f"{w}:quote")
            out.append(Note(n.get("kind"), n["text"], n.get("quote"), n.get("ask")))
        return out


def _plan(ctx: "_Ctx", v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        ctx.err(f"{where}:plan", "true or false")
        return False
    return v


def _load_document(path: Path, vocab: Vocabulary, sources: Path) -> tuple[Document | None, list[Entry], list[Problem]]:
    ctx = _Ctx(path.name, vocab)
    try:
        raw = yamlio.load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else "?"
        return None, [], [Problem(f"{path.name}:{line}", f"not valid YAML: {getattr(e, 'problem', e)}")]
    if not isinstance(raw, dict) or not isinstance(raw.get("document"), dict) or not isinstance(raw.get("entries"), list):
        return None, [], [Problem(path.name, "a table is a mapping with `document` (a mapping) and `entries` (a list)")]
    d = raw["document"]
    for k in set(d) - _DOC_KEYS:
        ctx.err(f"document:{k}", "unknown field")
    for k in ("id", "title", "short", "issuer", "source"):
        if not isinstance(d.get(k), str) or not d.get(k):
            ctx.err(f"document:{k}", "required text")
    doc_id = str(d.get("id", path.stem))
    src = sources / str(d.get("source", ""))
    try:
        ctx.text = src.read_text(encoding="utf-8") if d.get("source") else ""
    except FileNotFoundError:
        ctx.err("document:source", f"source text {src.name} not found in rules/sources/")
    if d.get("status") not in STATUSES:
        ctx.err("document:status", f"must be one of {', '.join(STATUSES)}")
    region_fact = vocab["region"] if "region" in vocab else None
    if region_fact is None or d.get("region") not in region_fact.values:
        ctx.err("document:region", "must be a value of the fact `region`")
    date = ctx.date(d.get("date"), "document:date")
    validity = ctx.validity(d.get("validity"), "document:validity")
    caveats = ctx.notes(d.get("caveats"), "document:caveats", CAVEAT_KINDS)
    measures: list[tuple[str, str]] = []
    if not isinstance(d.get("measures"), list) or not d["measures"]:
        ctx.err("document:measures", "must list every numbered measure")
    else:
        for i, m in enumerate(d["measures"]):
            if not isinstance(m, dict) or not m.get("no") or not m.get("title"):
                ctx.err(f"document:measures[{i}]", "needs no and title")
                continue
            measures.append((str(m["no"]), str(m["title"])))
        nos = [m[0] for m in measures]
        dups = {n for n in nos if nos.count(n) > 1}
        if dups:
            ctx.err("document:measures", f"repeated numbers: {sorted(dups)}")
    named: dict[str, Cond] = {}
    for name, spec in (d.get("condition_sets") or {}).items():
        named[name] = ctx.cond(spec, f"document:condition_sets:{name}", named)
    doc = Document(
        id=doc_id, title=str(d.get("title", "")), short=str(d.get("short", "")), issuer=str(d.get("issuer", "")),
        number=d.get("number"), date=date or dt.date.min, status=d.get("status", "in_force"),
        region=str(d.get("region")), source=src, text=ctx.text, validity=validity, caveats=caveats,
        measures=measures, condition_sets=named,
    )

    # entries
    entries: list[Entry] = []
    seen: set[str] = set()
    measure_nos = {m[0] for m in measures}
    for i, e in enumerate(raw["entries"]):
        if not isinstance(e, dict):
            ctx.err(f"entries[{i}]", "an entry must be a mapping")
            continue
        eid = e.get("id")
        w = str(eid) if isinstance(eid, str) and eid else f"entries[{i}]"
        if not isinstance(eid, str) or not eid.startswith(doc_id + "."):
            ctx.err(f"{w}:id", f"must start with {doc_id}.")
        if eid in seen:
            ctx.err(f"{w}:id", "repeated id")
        seen.add(eid)
        for k in set(e) - _ENTRY_KEYS:
            ctx.err(f"{w}:{k}", "unknown field")
        if e.get("measure") not in measure_nos:
            ctx.err(f"{w}:measure", f"{e.get('measure')!r} is not one of document.measures")
        if not isinstance(e.get("title"), str) or not e.get("title"):
            ctx.err(f"{w}:title", "required text")
        if "quote" not in e:
            ctx.err(f"{w}:quote", "required: the verbatim sentence(s) this entry encodes")
        else:
            ctx.quote(e["quote"], f"{w}:quote")
        ben = e.get("beneficiary")
        et = vocab["entity_type"].values if "entity_type" in vocab else {}
        if not isinstance(ben, list) or not ben or any(b not in et for b in ben):
            ctx.err(f"{w}:beneficiary", f"a non-empty list of: {', '.join(et)}")
            ben = []
        if e.get("support") not in SUPPORT:
            ctx.err(f"{w}:support", f"must be one of {', '.join(SUPPORT)}")
        topics = e.get("topics") or []
        if not isinstance(topics, list) or any(t not in TOPICS for t in topics):
            ctx.err(f"{w}:topics", f"each must be one of {', '.join(TOPICS)}")
            topics = []
        cond = ctx.cond(e["conditions"], f"{w}:conditions", named) if "conditions" in e else ALWAYS
        probs: list[Problem] = []
        amount = compile_amount(e.get("amount"), vocab, f"{w}:amount", probs)
        for p in probs:
            ctx.err(p.where, p.message)
        if e.get("support") in MONEY_SUPPORT and amount.kind == "none" and not probs:
            ctx.err(f"{w}:amount", "a cash or voucher entry needs an amount kind other than none")
        if e.get("support") not in MONEY_SUPPORT and e.get("support") in SUPPORT and amount.kind not in ("none",) \
                and e.get("support") != "finance":
            ctx.err(f"{w}:amount", f"support {e.get('support')} pays no money: use kind none")
        dep = e.get("departments")
        if not isinstance(dep, dict) or not isinstance(dep.get("lead"), list) or not dep["lead"] \
                or not all(isinstance(x, str) and x for x in dep["lead"]):
            ctx.err(f"{w}:departments", "needs lead (a non-empty list of names), co (a list) and quote")
            departments = Departments((), (), None)
        else:
            co = dep.get("co") or []
            if not isinstance(co, list):
                ctx.err(f"{w}:departments:co", "must be a list")
                co = []
            if "quote" not in dep:
                ctx.err(f"{w}:departments:quote", "required: the words that name the departments")
            else:
                ctx.quote(dep["quote"], f"{w}:departments:quote")
                qtext = "".join(dep["quote"]) if isinstance(dep["quote"], list) else str(dep["quote"])
                for name in list(dep["lead"]) + list(co):
                    if name not in qtext:
                        ctx.err(f"{w}:departments", f"{name!r} is not named in the departments quote")
            extra = set(dep) - {"lead", "co", "quote", "inferred"}
            if extra:
                ctx.err(f"{w}:departments", f"unknown keys: {', '.join(sorted(extra))}")
            inferred = dep.get("inferred", False)
            if not isinstance(inferred, bool):
                ctx.err(f"{w}:departments:inferred", "true or false")
                inferred = False
            departments = Departments(tuple(dep["lead"]), tuple(co), dep.get("quote"), inferred)
        hl = e.get("higher_level")
        if hl is not None:
            if not isinstance(hl, dict) or not hl.get("body") or "quote" not in hl:
                ctx.err(f"{w}:higher_level", "needs body, amount and quote")
            else:
                ctx.quote(hl["quote"], f"{w}:higher_level:quote")
                if "amount" in hl and (isinstance(hl["amount"], bool) or not isinstance(hl["amount"], int) or hl["amount"] < 0):
                    ctx.err(f"{w}:higher_level:amount", "whole yuan, not negative")
        stacking = e.get("stacking") or []
        if not isinstance(stacking, list):
            ctx.err(f"{w}:stacking", "must be a list of stacking group ids")
            stacking = []
        val = ctx.validity(e["validity"], f"{w}:validity") if "validity" in e else validity
        notes = ctx.notes(e.get("notes"), f"{w}:notes", NOTE_KINDS)
        if amount.quote is not None:
            ctx.quote(amount.quote, f"{w}:amount:quote")
        if e.get("support") in MONEY_SUPPORT and any(n.kind == "selective" for n in notes) \
                and amount.certainty_kind() != "selective":
            ctx.err(f"{w}:amount", "a `selective` note (择优, 绩效, 评定) makes the amount selective: "
                                   "add `selective: true` (or use case_by_case)")
        reach = None
        if "reach" in e:
            rr = e["reach"]
            if not isinstance(rr, dict) or not isinstance(rr.get("text"), str) or "quote" not in rr \
                    or set(rr) - {"text", "quote"}:
                ctx.err(f"{w}:reach", "needs text (whom outside the region it addresses) and quote")
            else:
                ctx.quote(rr["quote"], f"{w}:reach:quote")
                reach = Note("reach", rr["text"], rr["quote"])
        sure_if = None
        if "sure_if" in e:
            si = e["sure_if"]
            if not isinstance(si, dict) or "when" not in si or not isinstance(si.get("text"), str) \
                    or set(si) - {"when", "text", "quote"}:
                ctx.err(f"{w}:sure_if", "needs when (a condition) and text (what the text leaves open otherwise)")
            else:
                if si.get("quote") is not None:
                    ctx.quote(si["quote"], f"{w}:sure_if:quote")
                sure_if = SureIf(ctx.cond(si["when"], f"{w}:sure_if:when", named), si["text"], si.get("quote"))
        entries.append(Entry(
            id=str(eid), document=doc, measure=str(e.get("measure")), title=str(e.get("title", "")),
            topics=tuple(topics), quote=e.get("quote", ""), beneficiary=frozenset(ben),
            beneficiary_note=e.get("beneficiary_note"), support=e.get("support", "service"), condition=cond,
            amount=amount, departments=departments, higher_level=hl, stacking=tuple(stacking), validity=val,
            notes=notes, reach=reach, sure_if=sure_if, plan=_plan(ctx, e.get("plan", False), w),
        ))
    ids = {e.id for e in entries}
    covered = {e.measure for e in entries}
    for no, _ in measures:
        if no not in covered:
            ctx.err(f"document:measures:{no}", "this measure has no entry")

    # stacking groups and total caps refer to entries
    for i, g in enumerate(d.get("stacking") or []):
        w = f"document:stacking[{i}]"
        if not isinstance(g, dict) or not g.get("id"):
            ctx.err(w, "needs id, rule, members, quote")
            continue
        if g.get("rule") not in ("highest_only", "no_double"):
            ctx.err(f"{w}:rule", "must be highest_only or no_double")
        members = g.get("members")
        mem = None if members == "all" else ctx.entry_ids(members, ids, f"{w}:members", "`all`")
        if "quote" not in g:
            ctx.err(f"{w}:quote", "required")
        else:
            ctx.quote(g["quote"], f"{w}:quote")
        ben = g.get("beneficiary")
        et = vocab["entity_type"].values if "entity_type" in vocab else {}
        if ben is not None and (not isinstance(ben, list) or not ben or any(b not in et for b in ben)):
            ctx.err(f"{w}:beneficiary", f"a non-empty list of: {', '.join(et)}")
            ben = None
        doc.stacking.append(StackingGroup(g["id"], g.get("rule", "no_double"), mem, g.get("quote"), g.get("note"),
                                          g.get("ask"), frozenset(ben) if ben else None))
    group_ids = {g.id for g in doc.stacking}
    for e in entries:
        for gid in e.stacking:
            if gid not in group_ids:
                ctx.err(f"{e.id}:stacking", f"no stacking group {gid!r} in this document")
    for i, c in enumerate(d.get("total_caps") or []):
        w = f"document:total_caps[{i}]"
        if not isinstance(c, dict) or not c.get("id"):
            ctx.err(w, "needs id, base, applies_to, cases, quote")
            continue
        base = c.get("base")
        if base not in vocab or vocab[base].type != "money":
            ctx.err(f"{w}:base", f"must be a money fact, got {base!r}")
        at = c.get("applies_to")
        applies = (frozenset(e.id for e in entries if e.pays_money) if at == "all_cash"
                   else ctx.entry_ids(at, ids, f"{w}:applies_to", "`all_cash`"))
        cases = []
        for j, case in enumerate(c.get("cases") or []):
            cw = f"{w}:cases[{j}]"
            if not isinstance(case, dict) or "when" not in case or "share" not in case:
                ctx.err(cw, "needs when, share, quote")
                continue
            share = case["share"]
            if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 100:
                ctx.err(f"{cw}:share", f"a percentage from 0 (exclusive) to 100, got {share!r}")
                continue
            if "quote" in case:
                ctx.quote(case["quote"], f"{cw}:quote")
            else:
                ctx.err(f"{cw}:quote", "required")
            cases.append((ctx.cond(case["when"], f"{cw}:when", named), share, case.get("quote")))
        if not cases:
            ctx.err(f"{w}:cases", "at least one case")
        if "quote" in c:
            ctx.quote(c["quote"], f"{w}:quote")
        doc.total_caps.append(TotalCap(c["id"], base, applies, cases, c.get("quote")))
    return doc, entries, ctx.problems


def load_catalogue(rules_dir: Path | None = None) -> Catalogue:
    rules_dir = Path(rules_dir) if rules_dir else default_rules_dir()
    vocab = load_vocabulary(rules_dir / "facts.yml")
    files = sorted((rules_dir / "documents").glob("*.yml"))
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(str(rules_dir / "documents"), "no rule tables found"))
    documents: dict[str, Document] = {}
    entries: list[Entry] = []
    for f in files:
        doc, ents, probs = _load_document(f, vocab, rules_dir / "sources")
        problems.extend(probs)
        if doc is not None:
            if doc.id in documents:
                problems.append(Problem(f"{f.name}:document:id", f"repeated document id {doc.id}"))
            documents[doc.id] = doc
            entries.extend(ents)
    if problems:
        raise TableError(problems)
    return Catalogue(vocab, documents, entries)
