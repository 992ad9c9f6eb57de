"""The engine: a company profile + a date → one verdict for every entry of the catalogue.

Verdicts (docs/verdicts.md):
  eligible          every condition holds (the amount may still need a fact to be exact)
  not_eligible      a condition fails: which one, with its quote
  need_information  nothing fails yet, but facts are unknown (or the text leaves the case open)
  not_applicable    not for this company: another region, or aimed at someone else
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import VERDICT_FORMAT_VERSION
from .amounts import Amount
from .logic import FALSE, TRUE, Finding
from .vocabulary import exact_facts, to_json
from .money import yuan
from .tables import Catalogue, Document, Entry, SUPPORT, StackingGroup, TotalCap

ELIGIBLE, NOT_ELIGIBLE, NEED_INFO, NOT_APPLICABLE = "eligible", "not_eligible", "need_information", "not_applicable"
VERDICTS = (ELIGIBLE, NOT_ELIGIBLE, NEED_INFO, NOT_APPLICABLE)

# Whether the text is in force on the date asked (docs/verdicts.md, `status`).
IN_FORCE, DRAFT, EXPIRED, NOT_YET = "in_force", "draft", "expired", "not_yet"
STATUSES = (IN_FORCE, DRAFT, EXPIRED, NOT_YET)
STATUS_WORDS = {IN_FORCE: "现行有效", DRAFT: "征求意见稿，尚未施行", EXPIRED: "已过有效期（试行期已结束）",
                NOT_YET: "尚未生效"}
#: The status in a word, beside an award or a total ("" for a text in force).
STATUS_TAGS = {IN_FORCE: "", DRAFT: "征求意见稿", EXPIRED: "已过期", NOT_YET: "尚未生效"}
#: How each status's money is totalled: only money in force is sure.
TOTAL_LABELS = {IN_FORCE: "现行有效文件", DRAFT: "若征求意见稿按此文本施行", EXPIRED: "按已过期的试行文件（仅供参考）",
                NOT_YET: "待文件生效后"}


def status_of(entry_or_doc, as_of: dt.date) -> str:
    """in_force | draft | expired | not_yet, for an entry (its own validity where it has one)
    or a document, on `as_of`."""
    doc = getattr(entry_or_doc, "document", entry_or_doc)
    if doc.status == "draft":
        return DRAFT
    v = entry_or_doc.validity
    if v.end and as_of > v.end:
        return EXPIRED
    if v.start and as_of < v.start:
        return NOT_YET
    return IN_FORCE


@dataclass(frozen=True)
class Caveat:
    kind: str  # draft | trial | expired | not_yet_valid | no_end_date | date_conflict | ambiguous | selective | silent | context | no_double | stacking
    text: str
    ask: str | None = None
    quote: Any = None
    document_wide: bool = False  # true of the document's status and validity, said once per document

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "ask": self.ask, "quote": self.quote,
                "document_wide": self.document_wide}


class EntryResult:
    """One entry's verdict. The verdict is decided when matching; what explains it (findings,
    amount and its computation, caveats) is worked out when first read, then kept."""
    __slots__ = ("entry", "verdict", "_engine", "_facts", "_as_of", "_findings", "_amount", "_caveats",
                 "_match", "_stacking", "_stacking_note", "_status")

    def __init__(self, entry: Entry, verdict: str, engine: "Engine | None" = None, facts: dict | None = None,
                 as_of: dt.date | None = None, findings: list[Finding] | None = None):
        # Lazy fields stay unset until first read (slots raise AttributeError): matching builds
        # one of these per entry per profile, so the constructor does as little as it can.
        self.entry, self.verdict = entry, verdict
        self._engine, self._facts, self._as_of = engine, facts, as_of
        if findings is not None:
            self._findings = findings

    @property
    def findings(self) -> list[Finding]:
        try:
            return self._findings
        except AttributeError:
            self._findings = self._engine.explain(self.entry, self._facts) if self.verdict != ELIGIBLE else []
            return self._findings

    @property
    def status(self) -> str | None:
        """Whether the entry's text is in force on the date asked (in_force | draft | expired |
        not_yet); None for a shared not-applicable result (see MatchResult.status_of)."""
        try:
            return self._status
        except AttributeError:
            self._status = status_of(self.entry, self._as_of) if self._as_of is not None else None
            return self._status

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE

    @property
    def amount(self) -> Amount | None:
        """Not worked out for entries the company is not eligible for or that are not for it.
        An undecided award (need information) carries only what it could be, never an exact sum."""
        try:
            return self._amount
        except AttributeError:
            a = None
            if self.verdict in (ELIGIBLE, NEED_INFO):
                known = exact_facts(self._facts)  # "不到100万" computes nothing
                a = self.entry.amount.compute(known)
                si = self.entry.sure_if
                if si is not None and a.is_money and a.certainty != "selective":
                    a = _sure_if(a, si, self._facts, self._engine.vocab)
                if a.is_money and a.certainty == "depends" and a.reason is None and a.missing:
                    from dataclasses import replace
                    a = replace(a, reason="金额还取决于：" + "、".join(self._engine.vocab[f].label for f in a.missing))
                if self.verdict == NEED_INFO and a.is_money:
                    labels = "、".join(self._engine.vocab[f].label for f in self.missing[:3])
                    a = a.possible("尚未确定是否符合条件" + (f"（还需：{labels}）" if labels else "（原文未明确，须向主管部门确认）"))
            self._amount = a
            return self._amount

    @property
    def caveats(self) -> list[Caveat]:
        try:
            return self._caveats
        except AttributeError:
            self._caveats = [] if self.verdict == NOT_APPLICABLE else self._engine.caveats(self.entry, self._as_of)
            return self._caveats

    @property
    def stacking(self) -> str | None:  # None | "kept" | "either" (might be the highest) | "dropped"
        match = getattr(self, "_match", None)
        if match is not None:
            match.documents  # 就高不重复 is resolved with the document totals
        return getattr(self, "_stacking", None)

    @stacking.setter
    def stacking(self, value: str | None) -> None:
        self._stacking = value

    @property
    def stacking_note(self) -> str | None:
        self.stacking
        return getattr(self, "_stacking_note", None)

    @stacking_note.setter
    def stacking_note(self, value: str | None) -> None:
        self._stacking_note = value

    @property
    def missing(self) -> list[str]:
        out = [f.fact for f in self.findings if f.kind == "missing"]
        return list(dict.fromkeys(out))

    @property
    def counts(self) -> bool:
        """Eligible, pays money (a voucher is not cash), and not dropped by 就高不重复."""
        return (self.verdict == ELIGIBLE and self.entry.pays_money and self.entry.support != "voucher"
                and self.stacking != "dropped")

    @property
    def promise(self) -> str:
        """What kind of promise the entry makes: award (money, tax, title…), service_priority
        (a work plan, priority or service: never ticked as an entitlement), internal (government)."""
        if self.entry.support == "governance":
            return "internal"
        return "service_priority" if self.entry.service_priority else "award"


def _sure_if(a: Amount, si, facts: dict, vocab) -> Amount:
    """An amount that is as computed only when a fact the text names holds (费率不高于3%)."""
    from dataclasses import replace
    state = si.when.ev(facts)
    if state == TRUE:
        return a
    if state == FALSE:
        return replace(a, exact=None, low=None, high=a.ceiling, certainty_given="ceiling", reason=si.text,
                       text=a.text if a.exact is None else f"最高{a.text}")
    known = exact_facts(facts)  # a partly known rate ("不到5%") may leave it open too
    open_facts = tuple(f for f in sorted(si.when.facts()) if f not in known)
    labels = "、".join(vocab[f].label for f in open_facts)
    return replace(a, exact=None, low=None, high=a.ceiling, missing=tuple(dict.fromkeys(a.missing + open_facts)),
                   certainty_given="depends", reason=f"金额还取决于：{labels}" if labels else si.text,
                   text=a.text if a.exact is None else f"最高{a.text}")


@dataclass
class CapResult:
    cap: TotalCap
    shares: list[int]  # possible shares (one when the facts decide it)
    base: int | None
    limit: int | None  # in yuan, when share and base are known
    text: str
    # The cap as a range when the share is not decided yet: the smallest and the largest
    # limit the known base allows (both None while the base itself is unknown: the limit
    # may then be anything from 0 up).
    limit_min: int | None = None
    limit_max: int | None = None
    missing: list[str] = field(default_factory=list)  # facts that would decide the share or the base
    open_conditions: list[str] = field(default_factory=list)  # the undecided conditions, in Chinese
    applied: bool = False  # the cap limits the document's totals (it covers every award counted)
    quotes: list = field(default_factory=list)  # the sentences of the shares still possible


@dataclass
class Reading:
    """The document's total under one reading of 就高不重复, after any cap on the total."""
    id: str  # highest_only | each_paid
    label: str
    sure_total: int
    upper_total: int | None
    uncapped_sure_total: int
    uncapped_upper_total: int | None

    def to_json(self) -> dict:
        return {"reading": self.id, "label": self.label, "sure_total": self.sure_total,
                "upper_total": self.upper_total, "uncapped_sure_total": self.uncapped_sure_total,
                "uncapped_upper_total": self.uncapped_upper_total}


@dataclass
class StackingResult:
    """A 就高不重复 group that applied (two or more eligible awards): the headline total follows
    `headline`; `readings` gives the totals under each way the text can be read."""
    group: StackingGroup
    members: list[str]  # entry ids
    headline: str
    readings: dict[str, Reading]
    note: str | None
    ask: str | None

    def to_json(self) -> dict:
        return {"group": self.group.id, "rule": self.group.rule, "members": self.members,
                "headline": self.headline, "readings": {k: r.to_json() for k, r in self.readings.items()},
                "note": self.note, "ask": self.ask, "quote": self.group.quote}


@dataclass
class DocumentResult:
    document: Document
    sure_total: int  # what is sure, after 就高不重复 (strict reading) and any cap on the total
    upper_total: int | None  # the most it can be (None: some amount has no upper figure and no cap bounds it)
    uncertain: bool  # sure_total and upper_total differ (or there is no upper figure)
    caps: list[CapResult]
    alternative_total: int | None  # for an ambiguous 就高不重复: the sure total under the lenient reading
    notes: list[Caveat]
    uncapped_total: int = 0  # sure_total before a cap on the enterprise's total was applied
    uncapped_upper_total: int | None = None  # upper_total before the cap
    alternative_upper_total: int | None = None  # the upper total under the lenient reading
    stacking: StackingResult | None = None
    status: str = IN_FORCE  # in_force | draft | expired | not_yet, on the date asked
    # What the document would give were it in force (the draft adopted, the expired trial still
    # running): itself for a document in force; the totals above count only money in force.
    if_in_force: "DocumentResult | None" = None

    def __post_init__(self):
        if self.if_in_force is None:
            self.if_in_force = self

    @property
    def counted(self) -> bool:
        """Its money counts as sure on the date asked."""
        return self.status == IN_FORCE

    @property
    def status_text(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass
class StatusTotal:
    """The documents of one status together: their sure total and the most they can give."""
    status: str
    label: str
    sure_total: int
    upper_total: int | None
    documents: list[str]

    def to_json(self) -> dict:
        return {"status": self.status, "label": self.label, "sure_total": self.sure_total,
                "upper_total": self.upper_total, "documents": self.documents}


@dataclass
class Unlock:
    result: EntryResult
    findings: list[Finding]


class MatchResult:
    """Every entry's verdict (decided at once); document totals, unlocks and the next facts to
    ask are worked out when first read."""

    def __init__(self, engine: "Engine", as_of: dt.date, facts: dict[str, Any], results: list[EntryResult]):
        self._engine, self.as_of, self.facts, self.results = engine, as_of, facts, results
        self._documents: list[DocumentResult] | None = None
        for r in results:
            if r.verdict == ELIGIBLE and r.entry.pays_money:
                r._match = self

    @property
    def documents(self) -> list[DocumentResult]:
        if self._documents is None:
            self._documents = []  # set first: reading stacking inside resolves to this match
            self._documents = self._engine.documents(self)
        return self._documents

    @functools.cached_property
    def totals(self) -> dict[str, "StatusTotal"]:
        """Money by whether its text is in force on the date: in_force (the only sure money),
        draft ("if the draft is adopted"), expired ("under the expired trial"), not_yet.
        Each sums the documents' totals as if in force (for in_force: as of the date)."""
        out: dict[str, StatusTotal] = {}
        for dr in self.documents:
            t = dr if dr.status == IN_FORCE else dr.if_in_force
            st = out.setdefault(dr.status, StatusTotal(dr.status, TOTAL_LABELS[dr.status], 0, 0, []))
            st.sure_total += t.sure_total
            st.upper_total = None if st.upper_total is None or t.upper_total is None else st.upper_total + t.upper_total
            st.documents.append(dr.document.id)
        return {k: out[k] for k in STATUSES if k in out}

    def status_of(self, r: EntryResult) -> str:
        return r.status or status_of(r.entry, self.as_of)

    @functools.cached_property
    def unlocks(self) -> list[Unlock]:
        return self._engine.unlocks(self.results)

    @functools.cached_property
    def next_facts(self) -> list[str]:
        return self._engine.next_facts(self.results, self.documents)


class Engine:
    def __init__(self, catalogue: Catalogue):
        self.cat = catalogue
        self.vocab = catalogue.vocab
        self._caveat_cache: dict[tuple[str, dt.date], list[Caveat]] = {}
        self._not_applicable: dict[tuple[str, str, str], EntryResult] = {}
        self._other_region: dict[tuple[str, str], list[EntryResult]] = {}
        self._by_document: list[tuple[Document, list[Entry]]] = []
        for e in catalogue.entries:  # keep catalogue order: consecutive entries of one document
            if not self._by_document or self._by_document[-1][0] is not e.document:
                self._by_document.append((e.document, []))
            self._by_document[-1][1].append(e)
        self._fact_order = {f.id: (f.ask if f.ask is not None else 10_000, i) for i, f in enumerate(self.vocab)}
        self._reaching: dict[str, list[tuple[int, Entry]]] = {}  # document → (index, entry) reaching outside
        for doc, entries in self._by_document:
            for i, e in enumerate(entries):
                if e.reach is not None:
                    self._reaching.setdefault(doc.id, []).append((i, e))

    @functools.cached_property
    def sole_beneficiary(self) -> dict[str, str]:
        """fact → the one kind of unit (entity_type) every entry using it is for, where there is one
        (a company that says it is 规上 is an enterprise)."""
        uses: dict[str, set[str]] = {}
        for e in self.cat.entries:
            for f in e.condition.facts() | e.amount.facts():
                if f not in ("region", "entity_type"):  # (九) 省外人才: a place says nothing of who
                    uses.setdefault(f, set()).update(e.beneficiary)
        return {f: next(iter(b)) for f, b in uses.items() if len(b) == 1}

    # -- caveats -----------------------------------------------------------------------------
    def caveats(self, entry: Entry, as_of: dt.date) -> list[Caveat]:
        key = (entry.id, as_of)
        got = self._caveat_cache.get(key)
        if got is not None:
            return got
        doc, out = entry.document, []
        if doc.status == "draft":
            out.append(Caveat("draft", f"《{doc.short}》是征求意见稿，尚未按此文本正式施行，实际政策以正式印发文件为准。",
                              document_wide=True))
        elif doc.status == "trial":
            out.append(Caveat("trial", f"《{doc.short}》为试行文件。", document_wide=True))
        v = entry.validity
        own = v is doc.validity  # the entry follows the document's validity, or has its own (e.g. 2019-2021 tax relief)
        lead = entry.departments.lead[0] if entry.departments.lead else None
        if v.end and as_of > v.end:
            what = "" if own else f"“{entry.title}”"
            out.append(Caveat("expired", f"按原文，{what}有效期截至{v.end:%Y年%m月%d日}；到{as_of:%Y年%m月%d日}已过期，是否延续或有新政策请向牵头部门确认。",
                              ask=lead, quote=v.quote, document_wide=own))
        elif v.start and as_of < v.start:
            out.append(Caveat("not_yet_valid", f"按原文自{v.start:%Y年%m月%d日}起执行，{as_of:%Y年%m月%d日}尚未生效。",
                              quote=v.quote, document_wide=own))
        elif doc.status == "in_force" and v.end is None:
            years = as_of.year - doc.date.year
            out.append(Caveat("no_end_date", f"原文未规定截止日期；文件发布于{doc.date:%Y年%m月%d日}（距今约{years}年），是否仍在执行请向牵头部门确认。",
                              ask=lead, quote=v.quote, document_wide=own))
        for c in doc.caveats:
            if c.kind not in ("draft", "trial"):
                out.append(Caveat(c.kind, c.text, c.ask, c.quote, document_wide=True))
        for n in entry.notes:
            out.append(Caveat(n.kind, n.text, n.ask, n.quote))
        if entry.reach is not None:
            out.append(Caveat("reach", entry.reach.text, None, entry.reach.quote))
        for g in doc.stacking:
            if g.rule == "no_double" and (g.members is None or entry.id in g.members):
                out.append(Caveat("no_double", g.note or "原文规定“不重复支持”：同一事项已获其他财政支持的，不再重复支持。", g.ask, g.quote))
        self._caveat_cache[key] = out
        return out

    # -- one entry ----------------------------------------------------------------------------
    def _not_for(self, entry: Entry, fact: str, value: str) -> EntryResult:
        """The (immutable) result for an entry whose region or beneficiary does not fit."""
        key = (entry.id, fact, value)
        r = self._not_applicable.get(key)
        if r is None:
            if fact == "region" and entry.reach is not None:  # 省外人才, 国内外高校: the way in, said
                f = Finding("failed", "region", f"{self.vocab['region'].title(entry.document.region)}以外的，"
                            f"须符合本项条件才适用：{entry.reach.text}", entry.reach.quote, value)
            elif fact == "region":
                f = Finding("failed", "region", f"仅适用于{self.vocab['region'].title(entry.document.region)}", None, value)
            else:
                whom = "、".join(self.vocab["entity_type"].title(b) for b in sorted(entry.beneficiary))
                f = Finding("failed", "entity_type", f"面向{whom}", None, value)
            r = self._not_applicable[key] = EntryResult(entry, NOT_APPLICABLE, findings=[f])
        return r

    def judge(self, entry: Entry, facts: dict[str, Any], as_of: dt.date) -> EntryResult:
        region = facts.get("region")
        etype = facts.get("entity_type")
        if region is not None and region != entry.document.region:
            if entry.reach is None or etype is None or etype not in entry.beneficiary \
                    or entry.condition.ev(facts) != TRUE:
                return self._not_for(entry, "region", region)
            return EntryResult(entry, ELIGIBLE, self, facts, as_of)
        if etype is not None and etype not in entry.beneficiary:
            return self._not_for(entry, "entity_type", etype)
        state = entry.condition.ev(facts)
        if state == FALSE:
            verdict = NOT_ELIGIBLE
        elif state == TRUE and region is not None and etype is not None:
            verdict = ELIGIBLE
        else:
            verdict = NEED_INFO
        return EntryResult(entry, verdict, self, facts, as_of)

    def explain(self, entry: Entry, facts: dict[str, Any]) -> list[Finding]:
        """Why an entry is not eligible (failed conditions) or not decided (missing facts)."""
        findings: list[Finding] = []
        entry.condition.why(facts, findings)
        if entry.condition.ev(facts) != FALSE:
            if facts.get("entity_type") is None:
                findings.insert(0, Finding("missing", "entity_type", self.vocab["entity_type"].label, None))
            if facts.get("region") is None:
                findings.insert(0, Finding("missing", "region", self.vocab["region"].label, None))
        return findings

    # -- the whole catalogue ----------------------------------------------------------------------
    def match(self, facts: dict[str, Any], as_of: dt.date | None = None) -> MatchResult:
        """Every entry's verdict, in catalogue order. The hot path of the engine: a document of
        another region is answered with its prebuilt results; the rest is `judge` inlined."""
        as_of = as_of or dt.date.today()
        facts = dict(facts)
        region, etype = facts.get("region"), facts.get("entity_type")
        results: list[EntryResult] = []
        for doc, entries in self._by_document:
            if region is not None and region != doc.region:
                prebuilt = self._other_region.get((doc.id, region))
                if prebuilt is None:
                    prebuilt = self._other_region[(doc.id, region)] = [self._not_for(e, "region", region) for e in entries]
                start = len(results)
                results += prebuilt
                # entries that also address units outside the region (省外人才, 国内外高校): said
                # only when they are surely for this company, else "not for you" as the others
                for i, e in self._reaching.get(doc.id, ()):
                    if etype is not None and etype in e.beneficiary and e.condition.ev(facts) == TRUE:
                        results[start + i] = EntryResult(e, ELIGIBLE, self, facts, as_of)
                continue
            for e in entries:
                if etype is not None and etype not in e.beneficiary:
                    results.append(self._not_for(e, "entity_type", etype))
                    continue
                state = e.condition.ev(facts)
                verdict = (NOT_ELIGIBLE if state == FALSE else
                           ELIGIBLE if state == TRUE and region is not None and etype is not None else NEED_INFO)
                results.append(EntryResult(e, verdict, self, facts, as_of))
        return MatchResult(self, as_of, facts, results)

    def documents(self, m: MatchResult) -> list[DocumentResult]:
        by_doc: dict[str, list[EntryResult]] = {}
        for r in m.results:
            by_doc.setdefault(r.entry.document.id, []).append(r)
        return [self._document(self.cat.documents[d], rs, m.facts, m.as_of) for d, rs in by_doc.items()
                if not all(r.verdict == NOT_APPLICABLE for r in rs)]

    def _document(self, doc: Document, rs: list[EntryResult], facts: dict, as_of: dt.date) -> DocumentResult:
        """The document's totals as of the date: only money from a text in force is counted.
        `if_in_force` holds what the document would give were it in force (the draft adopted,
        the expired trial still running); for a document in force it is the result itself."""
        # a voucher (创新券) is spent on services, not paid out: listed, never added to the cash total
        paying = [r for r in rs if r.verdict == ELIGIBLE and r.entry.pays_money and r.entry.support != "voucher"]
        status = status_of(doc, as_of)
        whole = self._totals(doc, rs, paying, facts, status, annotate=True)
        if status != IN_FORCE:
            now = self._totals(doc, rs, [], facts, status, annotate=False)
        elif any(r.status != IN_FORCE for r in paying):  # an entry with its own, past validity
            now = self._totals(doc, rs, [r for r in paying if r.status == IN_FORCE], facts, status, annotate=False)
        else:
            return whole
        now.if_in_force = whole
        now.notes = whole.notes
        now.caps = whole.caps  # the cap as the text sets it (its base is still asked: it decides the "if in force" total)
        return now

    def _totals(self, doc: Document, rs: list[EntryResult], paying: list[EntryResult], facts: dict, status: str,
                annotate: bool) -> DocumentResult:
        notes: list[Caveat] = []
        stacked: StackingResult | None = None
        groups: list[list[EntryResult]] = []
        etype = facts.get("entity_type")
        for g in doc.stacking:
            if g.rule != "highest_only":
                continue
            # "同一企业在同一年度内": a group binds only the applicants it names (an enterprise, not a talent)
            members = [r for r in paying if g.binds(r.entry, etype)]
            if len(members) < 2:
                continue
            groups.append(members)
            # Only the highest is paid. What is sure is the best floor; a member whose ceiling
            # is below that floor can never be the highest and is dropped.
            sure = max(r.amount.floor for r in members)
            best = max(members, key=lambda r: (r.amount.floor, r.amount.ceiling or 0))
            contenders = [r for r in members if r.amount.ceiling is None or r.amount.ceiling > sure or r is best]
            for r in members if annotate else ():
                if r is best:
                    r.stacking = "kept"
                    r.stacking_note = (f"按“就高不重复”保留此项（{r.amount.text}）" if len(contenders) == 1 else
                                       f"按“就高不重复”只取最高一项；目前确定可得本项（{r.amount.text}），"
                                       f"其他可能更高的项目待金额确定后比较")
                elif r in contenders:
                    r.stacking = "either"
                    r.stacking_note = f"按“就高不重复”只取最高一项：本项金额未定，若高于“{best.entry.title}”则取本项"
                else:
                    r.stacking = "dropped"
                    r.stacking_note = f"按“就高不重复”，与“{best.entry.title}”只取其高，本项不再另计"
            if g.note:
                notes.append(Caveat("stacking", g.note, g.ask, g.quote))
            if stacked is None:
                stacked = StackingResult(g, [r.entry.id for r in members], "highest_only", {}, g.note, g.ask)
        grouped = {id(r) for m in groups for r in m}
        counted = [r for r in paying if id(r) not in grouped]
        # 就高不重复, strict reading: a group counts once, at its best floor / highest ceiling.
        sure = sum(r.amount.floor for r in counted) + sum(max(r.amount.floor for r in m) for m in groups)
        ceilings = [r.amount.ceiling for r in counted] + [
            None if any(r.amount.ceiling is None for r in m if r.stacking != "dropped")
            else max(r.amount.ceiling for r in m if r.stacking != "dropped") for m in groups]
        upper = None if any(c is None for c in ceilings) else sum(ceilings)
        # The lenient reading: every award is paid.
        each_sure = sum(r.amount.floor for r in paying)
        each_upper = None if any(r.amount.ceiling is None for r in paying) else sum(r.amount.ceiling for r in paying)

        caps = [c for c in (self._cap(c, rs, facts) for c in doc.total_caps) if c is not None]
        capped = (sure, upper)
        each_capped = (each_sure, each_upper)
        for c in caps:  # 奖励资金额度不超过…: the firm receives at most the cap's limit
            c.applied = bool(paying) and all(r.entry.id in c.cap.applies_to for r in paying)
            if c.applied:
                capped = _apply_cap(c, *capped)
                each_capped = _apply_cap(c, *each_capped)
        if stacked is not None:
            stacked.readings = {
                "highest_only": Reading("highest_only", "同一企业同一年度只取所有奖励中最高的一项", capped[0], capped[1], sure, upper),
                "each_paid": Reading("each_paid", "不同事项的奖励分别享受（同一事项只按最高标准补助一次）",
                                     each_capped[0], each_capped[1], each_sure, each_upper),
            }
        sure_t, upper_t = capped
        return DocumentResult(
            doc, sure_t, upper_t, upper_t is None or upper_t != sure_t, caps,
            each_capped[0] if stacked is not None else None, notes, uncapped_total=sure,
            uncapped_upper_total=upper, alternative_upper_total=each_capped[1] if stacked is not None else None,
            stacking=stacked, status=status)

    def _cap(self, cap: TotalCap, rs: list[EntryResult], facts: dict) -> CapResult | None:
        if not any(r.counts and r.entry.id in cap.applies_to for r in rs):
            return None
        return self.cap_result(cap, facts)

    def cap_result(self, cap: TotalCap, facts: dict) -> CapResult:
        """A cap on a document's total, for these facts: the share that applies and the limit."""
        shares: list[int] = []
        quotes: list = []
        open_findings: list[Finding] = []
        for cond, share, q in cap.cases:  # the first case that holds decides; undecided ones stay possible
            s = cond.ev(facts)
            if s == FALSE:
                continue
            shares.append(share)
            quotes.append(q)
            if s == TRUE:
                break
            cond.why(facts, open_findings)
        base = exact_facts(facts).get(cap.base)  # "不到50万" gives no base to compute with
        label = self.vocab[cap.base].label
        missing = list(dict.fromkeys(f.fact for f in open_findings if f.kind in ("missing", "unsettled")))
        opened = list(dict.fromkeys(f.text for f in open_findings if f.kind in ("missing", "unsettled")))
        if base is None:
            missing.append(cap.base)
        if not shares:
            return CapResult(cap, [], base, None, f"合计受{label}比例上限约束，但按已知信息无法确定适用比例。",
                             missing=missing, open_conditions=opened, quotes=quotes)
        lo, hi = min(shares), max(shares)
        if base is None:
            share_txt = f"{lo}%" if lo == hi else "、".join(f"{s}%" for s in sorted(set(shares))) + "之一"
            return CapResult(cap, shares, None, None,
                             f"奖励合计不超过{label}的{share_txt}；还需提供{label}，在此之前无法确定可得金额"
                             + (f"（适用比例取决于：{'；'.join(opened)}）" if opened else ""),
                             missing=missing, open_conditions=opened, quotes=quotes)
        lmin, lmax = base * lo // 100, base * hi // 100
        if lo == hi:
            return CapResult(cap, shares, base, lmin,
                             f"奖励合计不超过{label}的{lo}%：{yuan(base)} × {lo}% = {yuan(lmin)}",
                             limit_min=lmin, limit_max=lmax, missing=missing, open_conditions=opened, quotes=quotes)
        share_txt = "或".join(f"{s}%" for s in sorted(set(shares)))
        return CapResult(cap, shares, base, None,
                         f"奖励合计不超过{label}（{yuan(base)}）的{share_txt}：按{lo}%计上限为{yuan(lmin)}，"
                         f"最多为{yuan(lmax)}（按{hi}%计）。适用比例取决于：{'；'.join(opened)}",
                         limit_min=lmin, limit_max=lmax, missing=missing, open_conditions=opened, quotes=quotes)

    def unlocks(self, results: list[EntryResult]) -> list[Unlock]:
        out = []
        for r in results:
            if r.verdict != NOT_ELIGIBLE or not r.entry.pays_money:
                continue
            fs = [f for f in r.findings if f.kind == "failed"]
            if fs and len(fs) <= 2 and all(self.vocab[f.fact].changeable for f in fs):
                out.append(Unlock(r, fs))
        return out

    def next_facts(self, results: Iterable[EntryResult], documents: Iterable[DocumentResult] = ()) -> list[str]:
        """Askable facts that would decide a money award, or the cap on a document's total, in
        the vocabulary's asking order."""
        wanted: dict[str, int] = {}
        for dr in documents:
            for c in dr.if_in_force.caps:  # the cap's base decides the totals if the text is in force
                if c.applied:
                    for f in c.missing:
                        wanted[f] = wanted.get(f, 0) + 1
        for r in results:
            if not r.entry.pays_money:
                continue
            if r.verdict == NEED_INFO:
                for f in r.missing:
                    wanted[f] = wanted.get(f, 0) + 1
            elif r.verdict == ELIGIBLE and r.amount is not None:
                for f in r.amount.missing:
                    wanted[f] = wanted.get(f, 0) + 1
        asked = [f for f in wanted if self.vocab[f].ask is not None]
        return sorted(asked, key=self._fact_order.__getitem__)


def _apply_cap(c: CapResult, sure: int, upper: int | None) -> tuple[int, int | None]:
    """A total limited by a cap on the enterprise's total: what is sure is limited by the smallest
    limit the facts allow (0 while the cap's base is unknown), the most by the largest."""
    if not c.shares:  # no case of the cap fits: the text gives no share to apply
        return sure, upper
    if c.limit_min is None:  # base unknown: the limit could be anything from 0
        return 0, upper
    sure = min(sure, c.limit_min)
    upper = c.limit_max if upper is None else min(upper, c.limit_max)
    return sure, upper


# -- JSON (docs/verdicts.md) ------------------------------------------------------------------
def finding_json(f: Finding, vocab) -> dict:
    actual = f.actual
    return {"kind": f.kind, "fact": f.fact, "label": vocab[f.fact].label, "condition": f.text,
            "quote": f.quote, "value": to_json(actual), "note": f.note, "ask": f.ask}


def result_json(m: MatchResult, vocab) -> dict:
    def entry(r: EntryResult) -> dict:
        e, d = r.entry, r.entry.document
        return {
            "id": e.id, "title": e.title, "document": d.id, "measure": e.measure,
            "verdict": r.verdict, "status": m.status_of(r), "promise": r.promise,
            "support": e.support, "support_zh": SUPPORT[e.support],
            "beneficiary": sorted(e.beneficiary),
            "reasons": [finding_json(f, vocab) for f in r.findings],
            "missing_facts": r.missing,
            "amount": r.amount.to_json() if r.amount else None,
            "stacking": {"status": r.stacking, "text": r.stacking_note} if r.stacking else None,
            "departments": {"lead": list(e.departments.lead), "co": list(e.departments.co), "quote": e.departments.quote,
                            "inferred": e.departments.inferred},
            "citation": {"document": d.title, "number": d.number, "issuer": d.issuer, "date": d.date.isoformat(),
                         "status": d.status, "measure": e.measure, "quote": e.quote},
            "caveats": [c.to_json() for c in r.caveats],
        }

    def totals(dr: DocumentResult) -> dict:
        return {
            "sure_total": dr.sure_total, "uncapped_total": dr.uncapped_total, "upper_total": dr.upper_total,
            "uncapped_upper_total": dr.uncapped_upper_total,
            "uncertain": dr.uncertain,
            "alternative_total": dr.alternative_total, "alternative_upper_total": dr.alternative_upper_total,
            "caps": [{"id": c.cap.id, "base_fact": c.cap.base, "shares": c.shares, "base": c.base,
                      "limit": c.limit, "limit_min": c.limit_min, "limit_max": c.limit_max,
                      "applied": c.applied, "missing_facts": c.missing, "open_conditions": c.open_conditions,
                      "text": c.text, "quote": c.quotes}
                     for c in dr.caps],
            "stacking": dr.stacking.to_json() if dr.stacking else None,
        }

    docs = []
    for dr in m.documents:
        d = dr.document
        docs.append({
            "id": d.id, "title": d.title, "status": dr.status, "status_text": dr.status_text,
            "document_status": d.status,
            **totals(dr),
            "if_in_force": {k: v for k, v in totals(dr.if_in_force).items()},
            "notes": [c.to_json() for c in dr.notes],
        })
    return {
        "format": "huiqi.verdicts", "version": VERDICT_FORMAT_VERSION, "as_of": m.as_of.isoformat(),
        "facts": {k: to_json(v) for k, v in m.facts.items()},
        "summary": {v: sum(1 for r in m.results if r.verdict == v) for v in VERDICTS},
        "totals": {k: t.to_json() for k, t in m.totals.items()},
        "documents": docs,
        "entries": [entry(r) for r in m.results],
        "unlocks": [{"id": u.result.entry.id, "title": u.result.entry.title,
                     "if": [finding_json(f, vocab) for f in u.findings],
                     "amount": u.result.entry.amount.compute(exact_facts(m.facts)).text} for u in m.unlocks],
        "next_facts": m.next_facts,
    }
