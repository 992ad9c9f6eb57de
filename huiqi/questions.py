"""Answers to questions asked without a company profile: about an award or topic ("高企有什么
奖励"), a department ("专利奖励找谁"), whether a document is still in force ("轴承政策还有效
吗"), a term ("就高不重复是啥意思").

Built from the rule tables, rules/topics.yml and rules/glossary.yml: every figure and
department comes from a table entry, the best match is shown with its sentence, and each
document is introduced with its status on the day asked (draft, trial, expired). Entries of a
topic are ranked by the words of the question (BM25 over character pairs of an entry's title
and quotes), so "科技副总补贴多少" finds the 科技副总 award among the 技术合同 entries.
Channel- and Rasa-independent: actions/ calls `Questions.answer`.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from .answers import contact_text, entry_expiry, lead_department, measure_label, short_label, status_line
from .errors import ProfileError
from .money import yuan
from .nlu import (CLAIM_WORDS, COMPARING_CUE, CONTACT_WORDS, DEFINITION_WORDS, PROCEDURE_WORDS, STACKING_CUE,
                  VALIDITY_CUE, clean, money_in, normalize, unrelayed)
from .report import quote_text
from .tables import SUPPORT, Catalogue, Document, Entry

NOT_COVERED = ("这个问题不在本助手收录的三份科技政策文件范围内（临清市科技创新若干措施征求意见稿、青海省科技创新若干政策措施、"
               "临清市轴承产业科技创新行动计划），我不能给出答复，以免误导。建议向所在地的相关主管部门咨询。")
NO_CONTACT = "文件中没有写明电话、地址、网址和申报截止时间；请通过上述部门的官方渠道咨询，申报时间以部门通知为准。"
INVITE = "想知道贵单位能拿多少，可以说“帮我看看我们能拿什么补贴”。"
PER_DOCUMENT, IN_ALL = 3, 5
# BM25 score above which a question "out of scope" is in fact about an entry (measured on questions
# testers asked: those the documents answer scored 15.8-36.9, those they do not 0-7.6)
COVERED_SCORE = 14.0

# what kind of question it is: the cue words live with the NLU's (huiqi/nlu/cues.py)
from .nlu.cues import (USE_POLICY_CUE, ISSUER_CUE, Q_RECOGNITION, Q_ADOPTION, Q_DEFINITION, Q_DEADLINE, Q_PAYOUT, Q_DEFINITION_ONLY, Q_STILL_VALID, Q_CONTACT, Q_NON_CASH, Q_CLAIM, Q_CAP, Q_ELIGIBLE_Q, Q_PROCEDURE, Q_ONLINE, Q_CRITERIA, Q_MONEY_WORDS, Q_GENERIC, Q_ON_TOP, Q_LIAOCHENG, Q_PLACES, Q_STOP)  # noqa: E402


class Said(str):
    """An answer's text, with what kind of answer it is ("award": what the documents say
    about an award or topic, which the dialogue narrows by the facts known) and the entries it
    is about, where a follow-up ("国家级的呢", "加起来多少") is about them."""

    def __new__(cls, text: str, kind: str, entries: tuple = ()):
        obj = super().__new__(cls, text)
        obj.kind, obj.entries = kind, tuple(entries)
        return obj


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    words: tuple[str, ...]
    text: str
    quotes: tuple[tuple[str, str], ...]  # (document id, sentence)
    general: str | None


def load_glossary(rules_dir: Path) -> list[Term]:
    raw = yaml.safe_load((rules_dir / "glossary.yml").read_text(encoding="utf-8"))
    return [Term(tid, t["label"], tuple(t["words"]), t["text"],
                 tuple((q["document"], q["quote"]) for q in t.get("quotes") or ()), t.get("general"))
            for tid, t in raw["terms"].items()]


def _pairs(text: str) -> list[str]:
    t = re.sub(r"[\s，,。.！!？?、：:；;“”\"'（）()《》〈〉\[\]【】…]+", "|", normalize(text))
    out = []
    for chunk in t.split("|"):
        out += [chunk[i:i + 2] for i in range(len(chunk) - 1)]
    return out


class _Index:
    """BM25 over character pairs of each entry's title (counted twice) and quotes."""

    def __init__(self, entries: list[Entry], k1: float = 1.2, b: float = 0.6):
        self.entries, self.k1, self.b = entries, k1, b
        self.docs = [Counter(_pairs(e.title) * 2 + _pairs(quote_text(e.quote))) for e in entries]
        self.lens = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lens) / max(1, len(self.lens))
        df = Counter(p for d in self.docs for p in d)
        n = len(self.docs)
        self.idf = {p: math.log(1 + (n - c + 0.5) / (c + 0.5)) for p, c in df.items()}

    def scores(self, query: str) -> dict[str, float]:
        q = {p for p in _pairs(query) if not (p[0] in Q_STOP and p[1] in Q_STOP)}
        out = {}
        for e, d, L in zip(self.entries, self.docs, self.lens):
            s = 0.0
            for p in q:
                tf = d.get(p)
                if tf:
                    s += self.idf[p] * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * L / self.avg))
            out[e.id] = s
        return out


class Questions:
    def __init__(self, cat: Catalogue, topics: dict[str, dict], glossary: list[Term]):
        self.cat, self.topics, self.glossary = cat, topics, glossary
        self.answerable = list(cat.entries)  # government-internal measures too: "容错机制是啥"
        self.index = _Index(self.answerable)

    @functools.cached_property
    def engine(self):
        from .engine import Engine
        return Engine(self.cat)

    # -- dispatch --------------------------------------------------------------------------
    def answer(self, intent: str | None, text: str, topic_ids: list[str], region: str | None = None,
               place: str | None = None, as_of: dt.date | None = None, cleaned: bool = False,
               home: str | None = None) -> str:
        """One message for a question (see `_answer`), with the status of every document it
        names and does not already say is a draft or expired ("临清轴承行动计划这样规定…")."""
        as_of = as_of or dt.date.today()
        said = self._answer(intent, text, topic_ids, region, place, as_of, cleaned, home)
        line = self.untold_status(said, as_of)
        if not line:
            return said
        if not isinstance(said, Said):
            return f"{said}\n{line}"
        return Said(f"{said}\n{line}", said.kind, said.entries)

    def caps(self, entries: list[Entry], as_of: dt.date) -> str:
        """"有封顶没" after an answer: each award's own ceiling as the text sets it, and the caps on
        a document's total that cover them (临清轴承: 不超过…新增税收形成的地方财力)."""
        from .report import quote_text
        lines = []
        for e in (x for x in entries if x.pays_money):
            ceiling = e.amount.compute({}).ceiling
            text = amount_text(e)
            lines.append(f"· {e.title}：" + (text if ceiling or "最高" in text else f"{text}；原文没有写单项上限"))
        covered = {e.id for e in entries}
        for d in {e.document.id: e.document for e in entries}.values():
            for c in d.total_caps:
                if c.applies_to & covered:
                    lines.append(f"合计上限（{re.sub(r'（[^（）]*）$', '', d.short)}）：" + "".join(
                        f"“{quote_text(q)}”" for _, _, q in sorted(c.cases, key=lambda x: x[1])))
        if not lines:
            return "文件中没有写明这项的上限，请向牵头部门确认。"
        return "\n".join(["上限（据文件原文）："] + lines)

    def issuers(self, region: str | None, as_of: dt.date) -> str:
        """Who issued each document (of `region`, else all), on what date, and its status."""
        docs = [d for d in self.cat.documents.values() if region not in ("linqing", "qinghai") or d.region == region]
        lines = []
        for d in docs:
            lines.append(f"《{d.short}》：发文单位{d.issuer}，文件日期{d.date:%Y年%m月%d日}；{status_line(d, as_of)}。")
            lines += [f"  注意：{n.text}" for n in d.caveats if n.kind == "date_conflict"]
        return "\n".join(lines)

    def untold_status(self, text: str, as_of: dt.date) -> str | None:
        """"注意：《临清轴承行动计划》…现已过期" for the documents `text` names by their short name
        whose status (draft, expired, not yet in force) it does not say."""
        from .focus import doc_status
        words = {"draft": "征求意见稿", "expired": "过期", "not_yet": "生效"}
        untold = [d for d in self.cat.documents.values() if re.sub(r"（[^（）]*）$", "", d.short) in text
                  and words.get(doc_status(d, as_of), "") and words[doc_status(d, as_of)] not in text]
        if not untold:
            return None
        return "注意：" + "；".join(f"《{d.short}》{status_line(d, as_of)}" for d in untold) + "。"

    def _answer(self, intent: str | None, text: str, topic_ids: list[str], region: str | None = None,
                place: str | None = None, as_of: dt.date | None = None, cleaned: bool = False,
                home: str | None = None) -> str:
        """One message for a question. `topic_ids`: the topics it names (most specific last);
        `region`: the region it names, or the asker's; `place`: how the asker named it.
        `cleaned`: `text` is the question as the NLU read it (huiqi_signals["question"]:
        huiqi.nlu.clean's text), not to be cleaned again. `home`: the asker's region, when known
        ("那青海的政策我们能用不" from a Linqing company)."""
        as_of = as_of or dt.date.today()
        t = text if cleaned else clean(text)
        places = regions_named(t)
        if home and places and USE_POLICY_CUE.search(t) and {r for r, _ in places} != {home}:
            return self.cross_region([(home, self.cat.vocab["region"].title(home))], t, as_of)
        if ISSUER_CUE.search(t):  # "青海那个政策是谁发的": the documents' issuers, as they sign
            return self.issuers(places[0][0] if len(places) == 1 else region, as_of)
        if len({r for r, _ in places}) > 1:
            if COMPARING_CUE.search(t) and topic_ids:  # "高企奖励临清和青海哪个多": both, side by side
                return self.award(t, topic_ids, None, None, as_of)
            return self.cross_region(places, t, as_of)
        if STACKING_CUE.search(t):
            return self.stacking(t, topic_ids, region, as_of)
        if "聊城" in t and Q_ON_TOP.search(t) and not self._reckoned_from_liaocheng(t, topic_ids):
            # "聊城给了奖励，临清还给吗": the awards on top of 聊城's
            said = self.on_top_of_liaocheng(topic_ids, as_of)
            if said is not None:
                return said
        if region is None and Q_LIAOCHENG.search(t) and "临清" not in t:
            # "聊城的高企奖": only Linqing, a county-level city of 聊城, is covered
            return ("本助手只收录了聊城市下辖的临清市（县级市）和青海省的文件，聊城市本级和其他县区的政策不在其中。以下是临清的规定：\n"
                    + self.answer(intent, text.replace("聊城", "临清"), topic_ids, "linqing", None, as_of, cleaned))
        term = self.term_in(t)
        if term and Q_RECOGNITION.search(t):  # "规上企业按什么标准认定": what the term means, in the text's words
            return self.definition(term) + "\n三份文件没有写明它的认定或评定办法，以主管部门的规定为准。"
        if undocumented_asked(t):
            # "申报截止时间是什么时候？要交哪些材料？": the documents do not say; who to ask
            return self.undocumented(t, topic_ids, region, as_of)
        if VALIDITY_CUE.search(t) and not Q_CONTACT.search(unrelayed(t).replace("找谁", "")) and not (
                term and Q_DEFINITION.search(t)):
            final = bool(Q_ADOPTION.search(t))
            return self.validity(topic_ids, region, as_of, final=final,
                                 deadline=not final and ("截止" in t or "申报时间" in t or "什么时候" in t))
        if term and (Q_DEFINITION.search(t) or (term.id == "difang_caili" and Q_CAP.search(t))):
            return self.definition(term)
        if Q_ELIGIBLE_Q.search(t) or Q_CLAIM.search(t):  # "亩产效益D类能拿奖励吗": what that one fact rules out
            checked = self.condition_check(t, as_of, bool(topic_ids))
            if checked:
                return checked
        if Q_NON_CASH.search(t):
            return self.non_cash(region, t, as_of)
        contact = bool(Q_CONTACT.search(unrelayed(t)))
        if intent == "ask_department" or contact or Q_PROCEDURE.search(t):
            return self.department(t, topic_ids, region, place, as_of, contact=contact)
        if term and not topic_ids:
            return self.definition(term)
        return Said(self.award(t, topic_ids, region, place, as_of), "award")

    def condition_check(self, t: str, as_of: dt.date, topics: bool = False) -> str | None:
        """"亩产效益D类能拿奖励吗", "研发占比4%能申请吗": which awards that one fact rules out; with
        `topics` (the question names an award), None unless the fact rules some out."""
        from .engine import NOT_ELIGIBLE
        from .nlu import extractor
        facts = {e.entity: e.value for e in extractor().extract(t, "inform")
                 if e.entity in self.cat.vocab.facts and e.entity not in ("region", "entity_type")}
        if len(facts) != 1:
            return None
        fid, raw = next(iter(facts.items()))
        vocab = self.cat.vocab
        try:
            value = vocab.coerce(fid, raw)
        except ProfileError:
            return None  # a value the vocabulary does not take: the general answer instead
        m = self.engine.match({fid: value}, as_of)
        failed = [r for r in m.results if r.verdict == NOT_ELIGIBLE and r.entry.pays_money
                  and any(f.fact == fid and f.kind == "failed" for f in r.findings)]
        label = f"{vocab[fid].label}为“{vocab[fid].title(value)}”"
        if not failed:
            if topics:  # "听说临清轴承企业评上高企奖100万": the award's own answer says more
                return None
            uses = [r for r in m.results if r.entry.pays_money and fid in r.entry.condition.facts()
                    and r.entry.support != "governance"]
            if not uses:
                return None
            then = [f for r in uses for f in r.missing if f not in ("region", "entity_type", fid)]
            more = "，还要看：" + "、".join(short_label(vocab[f]) for f in dict.fromkeys(then)) if then else ""
            doc = uses[0].entry.document
            return (f"{label}不会使这些奖补被排除（共{len(uses)}项，如《{doc.short}》的“{uses[0].entry.title}”，"
                    f"{status_line(doc, as_of)}）{more}。" + INVITE)
        lines = [f"{label}时，下列奖补的条件不满足："]
        by_doc: dict[str, list] = {}
        for r in failed:
            by_doc.setdefault(r.entry.document.id, []).append(r)
        for doc_id, rs in by_doc.items():
            doc = self.cat.documents[doc_id]
            why = next(f for f in rs[0].findings if f.fact == fid and f.kind == "failed")
            names = "、".join(r.entry.title for r in rs[:3]) + (f"等{len(rs)}项" if len(rs) > 3 else "")
            lines.append(f"【{doc.short}】{status_line(doc, as_of)}：{names}（条件：{why.text}）")
            if why.quote:
                lines.append(f"  原文：“{_short(quote_text(why.quote))}”")
        lines.append("其他不以此为条件的奖补不受影响。" + INVITE)
        return "\n".join(lines)

    def stacking(self, t: str, topic_ids: list[str], region: str | None, as_of: dt.date) -> str:
        """"高企和小巨人能一起拿吗": the awards named, and what the texts say about taking several."""
        lines = []
        named = [tid for tid in topic_ids if not (self.topics.get(tid) or {}).get("documents")]
        docs_seen: dict[str, int] = {}
        shown = []
        for _, e in (self.ranked(t, named, region) if named else []):  # the awards named: up to 2 per document
            if e.pays_money and docs_seen.get(e.document.id, 0) < 2 and len(shown) < 4:
                docs_seen[e.document.id] = docs_seen.get(e.document.id, 0) + 1
                shown.append(e)
                lines.append(f"· {e.title}：{amount_text(e)}（{re.sub(r'（.*?）', '', e.document.short)}·{measure_label(e)}）")
        if shown:
            lines.append(f"  原文：“{_short(quote_text(shown[0].quote), 80)}”")
        for term_id in ("jiugao_buchongfu", "bu_chongfu_zhichi"):
            term = next((x for x in self.glossary if x.id == term_id), None)
            if term and (not docs_seen or any(d in docs_seen for d, _ in term.quotes)):
                lines.append(f"关于能否同时享受：“{term.label}”——{term.text}")
        lines.append("“再奖励”“在……基础上”等写法表示在另一项奖励之外另给；其他情况原文没有写明能否同时享受，请向牵头部门确认。")
        return Said("\n".join(lines), "awards_named", tuple(e.id for e in shown))

    def covered(self, text: str, region: str | None = None, as_of: dt.date | None = None,
                cleaned: bool = False) -> str | None:
        """For a question the classifier thought out of scope: the answer, if some entry's
        sentence matches it closely ("离岗创业社保怎么办" is in 青海 (十七)); None otherwise."""
        t = text if cleaned else clean(text)
        scores = self.index.scores(Q_GENERIC.sub(" ", Q_PLACES.sub(" ", t)))
        if max(scores.values(), default=0) < COVERED_SCORE:
            return None
        return self.award(t, [], region, None, as_of or dt.date.today())

    def term_in(self, t: str) -> Term | None:
        best = None
        for term in self.glossary:
            for w in term.words:
                if w in t and (best is None or len(w) > best[0]):
                    best = (len(w), term)
        return best[1] if best else None

    # -- entries for a question ------------------------------------------------------------
    def entries_for(self, topic_ids: Iterable[str]) -> list[Entry]:
        out: dict[str, Entry] = {}
        for tid in topic_ids:
            topic = self.topics.get(tid) or {}
            docs = set(topic.get("documents") or ())
            for e in self.answerable:
                if tid in e.topics or (e.document.id in docs and e.pays_money):
                    out.setdefault(e.id, e)
        return list(out.values())

    def ranked(self, t: str, topic_ids: list[str], region: str | None) -> list[tuple[float, Entry]]:
        """Entries of the topics (or, with none, of everything), best first: how well their
        title and sentence match the question, money awards before services."""
        query = Q_PLACES.sub(" ", t)  # "临清的高企奖励": the place only filters
        if not topic_ids:
            query = Q_GENERIC.sub(" ", query)  # "有啥政策" names nothing to look for
        scores = self.index.scores(query)
        pool = self.entries_for(topic_ids) if topic_ids else self.answerable
        if region in ("linqing", "qinghai"):
            pool = [e for e in pool if e.document.region == region]
        if not topic_ids:  # a question naming no topic: only real matches
            pool = [e for e in pool if scores[e.id] >= 3.0]
        money = bool(Q_MONEY_WORDS.search(t))  # asking about money: awards first, then services
        ranked = sorted(((scores[e.id] + (1.5 if e.pays_money else 0.0), e) for e in pool),
                        key=lambda x: (-(money and x[1].pays_money), -x[0]))
        return ranked

    def _pick(self, ranked: list[tuple[float, Entry]]) -> list[tuple[Document, list[Entry]]]:
        if not ranked:
            return []
        top = max(s for s, _ in ranked)
        by_doc: dict[str, list[Entry]] = {}
        shown = 0
        for s, e in ranked:
            if shown >= IN_ALL or (s < top * 0.35 and shown):
                break
            group = by_doc.setdefault(e.document.id, [])
            if len(group) < PER_DOCUMENT:
                group.append(e)
                shown += 1
        return [(self.cat.documents[d], es) for d, es in by_doc.items()]

    # -- kinds of answer -----------------------------------------------------------------------
    def award(self, t: str, topic_ids: list[str], region: str | None, place: str | None,
              as_of: dt.date) -> str:
        label = "、".join(self.topics[tid]["label"] for tid in topic_ids if tid in self.topics) or None
        if region == "elsewhere":
            return self.elsewhere(place, label)
        if topic_ids and not self.entries_for(topic_ids):
            return f"关于“{label}”，" + NOT_COVERED
        for tid in topic_ids:
            docs = (self.topics.get(tid) or {}).get("documents")
            if docs and len(topic_ids) == 1:
                return self.overview(self.cat.documents[docs[0]], label, as_of)
        ranked = self.ranked(t, topic_ids, region)
        if not ranked:
            if topic_ids:
                where = {"linqing": "临清市", "qinghai": "青海省"}.get(region or "", "")
                return f"{where}的文件中没有关于“{label}”的规定。" + ("可以问问另一地的政策。" if where else "")
            return ("您想了解哪方面的政策？例如：高新技术企业、科技型中小企业、研发费用加计扣除、专利、"
                    "创新平台、孵化器、人才、技术合同、首台套保险、创新券。")
        picked = self._pick(ranked)
        lines = [f"关于“{label}”，文件中的规定：" if label else "文件中相关的规定："]
        claim = money_in(t) if Q_CLAIM.search(t) else None
        if claim is not None and not any(_mentions(e, claim) for _, es in picked for e in es):
            if any(_mentions(e, claim) for e in self.answerable):
                lines.insert(0, f"以下规定中没有{yuan(claim)}这个数额（文件的其他规定中有，可以问得更具体些）。")
            else:
                lines.insert(0, f"文件中没有{yuan(claim)}这个数额，以下是原文的规定。")
        first = True
        for doc, es in picked:
            lines.append(f"【{doc.short}】{status_line(doc, as_of)}")
            same_contact = len({contact_text(e) for e in es}) == 1
            for e in es:
                lines += self._entry_lines(e, as_of, with_quote=first, contact=not same_contact)
                first = False
            if same_contact:
                lines.append(f"  {contact_text(es[0])}")
        rest = len(ranked) - sum(len(es) for _, es in picked)
        if rest > 0:
            lines.append(f"另有{rest}项相关规定，可以问得更具体些（如某一项奖励的名称）。")
        if region is None and topic_ids and len({d.region for d, _ in picked}) > 1:
            lines.append("临清和青海的政策各自只适用于本地单位。")
        lines.append(INVITE)
        return "\n".join(lines)

    def rules_of(self, doc: Document, as_of: dt.date, caps: bool) -> str:
        """Who a document's awards are for and what they require ("什么企业能拿 要满足啥条件"), or
        how it caps one company's total ("上限是按什么定的"), in its own words; the awards one
        word away."""
        es = [e for e in self.answerable if e.document is doc and e.pays_money]
        lines = [f"《{doc.short}》（{status_line(doc, as_of)}）："] + ([] if caps else _conditions_lines(es))
        if caps and not doc.total_caps:
            lines.append("文件没有规定一家单位奖励合计的上限；各项奖励的最高额见各条。")
        lines += _caps_and_stacking_lines(doc, es)
        lines.append(f"奖励共{len(es)}项，说“详细”查看各项金额。")
        return "\n".join(lines)

    def overview(self, doc: Document, label: str, as_of: dt.date) -> str:
        """A whole document's money awards, one line each, with who qualifies and the caps."""
        es = [e for e in self.answerable if e.document is doc and e.pays_money]
        lines = [f"关于“{label}”（《{doc.short}》，{status_line(doc, as_of)}）："] + _conditions_lines(es)
        lines.append("奖励标准：")
        lines += [f"· {e.title}：{amount_text(e)}（{measure_label(e)}）" for e in es]
        lines += _caps_and_stacking_lines(doc, es)
        leads = Counter(e.departments.text() for e in es)
        if leads:
            lines.append(f"联系：{leads.most_common(1)[0][0]}")
        lines.append(INVITE)
        return "\n".join(lines)

    def _entry_lines(self, e: Entry, as_of: dt.date, with_quote: bool, contact: bool = True) -> list[str]:
        amount = amount_text(e) if e.pays_money else SUPPORT[e.support]
        lines = [f"· {e.title}：{amount}（{measure_label(e)}）"]
        own = entry_expiry(e, as_of)
        if own:
            lines.append(f"  {own}")
        if e.beneficiary_note and e.pays_money:
            lines.append(f"  适用：{_short(e.beneficiary_note, 60)}")
        if with_quote:
            lines.append(f"  原文：“{_short(quote_text(e.quote))}”")
        if contact:
            lines.append(f"  {contact_text(e)}")
        return lines

    def department(self, t: str, topic_ids: list[str], region: str | None, place: str | None,
                   as_of: dt.date, contact: bool = False) -> str:
        if Q_PROCEDURE.search(t):  # "申报需要什么材料": not in the documents; who to ask is
            return self._department(t, topic_ids, region, place, as_of, contact=not topic_ids).replace(
                NO_CONTACT, "文件中没有写明申报材料和办理流程，请以上述部门的申报通知为准。" + NO_CONTACT)
        return self._department(t, topic_ids, region, place, as_of, contact)

    def _department(self, t: str, topic_ids: list[str], region: str | None, place: str | None,
                    as_of: dt.date, contact: bool = False) -> str:
        label = "、".join(self.topics[tid]["label"] for tid in topic_ids if tid in self.topics) or None
        if region == "elsewhere":
            return self.elsewhere(place, label)
        ranked = self.ranked(t, topic_ids, region) if (topic_ids or not contact) else []
        if topic_ids and not self.entries_for(topic_ids):
            return f"关于“{label}”，" + NOT_COVERED
        if not ranked:
            if contact:  # "科技局电话多少": the lead departments, and plainly that no number is given
                lines = ["各文件的主要牵头部门："]
                for d in self.cat.documents.values():
                    leads = Counter(e.departments.lead[0] for e in self.answerable
                                    if e.document is d and e.departments.lead and e.pays_money)
                    if leads:
                        lines.append(f"· 《{d.short}》：{leads.most_common(1)[0][0]}等（各项奖励的部门不同，可以问“某项奖励找哪个部门”）")
                return "\n".join(lines + [NO_CONTACT])
            return "您想问哪项政策由哪个部门负责？例如“高企奖励找哪个部门”。"
        lines = [f"“{label}”相关政策的负责部门（以文件原文为准）：" if label else "相关政策的负责部门（以文件原文为准）："]
        how_much = re.search(r"多少|怎么算|如何计算|比例|标准", t)
        for doc, es in self._pick(ranked):
            lines.append(f"【{doc.short}】{status_line(doc, as_of)}")
            for e in es:
                amount = f"：{amount_text(e)}" if how_much and e.pays_money else ""
                lines.append(f"· {e.title}{amount}（{measure_label(e)}）— {contact_text(e)}")
        lines.append(NO_CONTACT)
        return "\n".join(lines)

    def documents_named(self, t: str, region: str | None) -> list:
        """The documents a phrase names ("临清2021年科技局那个措施", "青海那个"): of the region it
        names, the one whose year or words it says, where one does; all of that region otherwise."""
        docs = [d for d in self.cat.documents.values() if region in (None, d.region)]

        def score(d) -> int:
            words = re.sub(r"（.*?）", "", d.short + d.title + d.issuer.replace("科学技术", "科技"))
            return (3 if str(d.date.year) in t else 0) + sum(1 for i in range(len(t) - 1) if t[i:i + 2] in words)
        best = max((score(d) for d in docs), default=0)
        top = [d for d in docs if score(d) == best]
        return top if best > 0 and len(top) == 1 else (docs if region else [])

    def validity(self, topic_ids: list[str], region: str | None, as_of: dt.date, deadline: bool = False,
                 final: bool = False, entries: list[Entry] | None = None, documents: list | None = None) -> str:
        """Whether the documents are in force on `as_of`: `documents`, or those of the topics asked,
        of `region`, or of `entries` (the awards the conversation is about: "这俩文件现在还作数吗")."""
        docs = list(documents or self.cat.documents.values())
        named = entries if entries else self.entries_for(topic_ids) if topic_ids else []
        if named:
            wanted = {e.document.id for e in named}
            docs = [d for d in docs if d.id in wanted] or docs
        if region in ("linqing", "qinghai"):
            docs = [d for d in docs if d.region == region] or docs
        lines = [f"截至{as_of:%Y年%m月%d日}："]
        for d in docs:
            lines.append(f"· 《{d.short}》（{d.issuer}，{d.date:%Y年%m月%d日}）：{status_line(d, as_of)}")
            lines += [f"  注意：{n.text}" for n in d.caveats if n.kind == "date_conflict"]
            for e in named:
                own = entry_expiry(e, as_of) if e.document is d else None
                if own:
                    lines.append(f"  其中“{e.title}”{own}")
        if deadline:
            lines.append("文件中没有写明申报截止日期，申报时间以主管部门每年的通知为准。")
        if final:  # "征求意见稿啥时候正式出台": a draft does not say when it will be adopted
            for d in docs:
                if d.status == "draft":
                    lines.append(f"《{d.short}》没有写明何时正式出台，请向发文单位{d.issuer}确认。")
        leads = "、".join(dict.fromkeys(lead_department(e for e in self.answerable if e.document is d and e.pays_money)
                                        for d in docs))
        lines.append(f"是否延续或有新政策，请向文件的牵头部门（{leads}）确认。")
        return "\n".join(lines)

    def undocumented_note(self, t: str, entries, as_of: dt.date | None = None) -> str | None:
        """"申报要准备哪些材料" asked with an award the answer is about: one line saying the
        documents do not give it, and whose notice to follow (the entries' lead departments)."""
        if not undocumented_asked(t):
            return None
        asked = _when_asked(t) + _how_asked(t)
        leads = "、".join(dict.fromkeys(e.departments.lead[0] for e in entries if e.departments.lead))
        line = f"文件中没有写明{'、'.join(asked)}，" + (f"请以{leads}的申报通知为准。" if leads else "以主管部门的申报通知为准。")
        return "\n".join([line] + (payout_lines(entries, as_of) if "发放时间" in asked else []))

    def undocumented(self, t: str, topic_ids: list[str], region: str | None, as_of: dt.date,
                     entries: list[Entry] | None = None) -> str:
        """Deadlines, materials, procedures: the documents do not give them. Says so, and names
        the departments of the awards asked about from the tables (`entries`: the awards the
        conversation is about, for a follow-up that names none: "这钱什么时候到账")."""
        asked = _when_asked(t) + _how_asked(t)
        if Q_CONTACT.search(unrelayed(t)):
            asked.append("电话和地址")
        ranked = [(0.0, e) for e in entries] if entries else self.ranked(t, topic_ids, region) if topic_ids else []
        es = [e for _, e in ranked if e.pays_money][:3] or [e for _, e in ranked][:3]
        lines = [f"文件中没有写明{'、'.join(asked)}，" + ("请向发文部门确认。" if "征求意见的截止日期" in asked
                                                     else "以主管部门的申报通知为准。")]
        if "发放时间" in asked:  # what a document does say of paying out (临清轴承: 每年年底…第三方…)
            lines += payout_lines([e for _, e in ranked] or [
                e for e in self.answerable if region is not None and e.document.region == region], as_of)
        if es:
            lines.append("可以咨询（部门据文件原文）：")
            for e in es:
                lead = "、".join(e.departments.lead) or lead_department([e])
                from .focus import doc_tag
                tag = doc_tag(e.document, as_of)
                what = f"{amount_text(e)[:30]}；" if e.pays_money else ""
                lines.append(f"· {e.title}（{re.sub(r'（.*?）', '', e.document.short)}{'，' + tag if tag else ''}）：{what}{lead}")
        else:
            from .focus import doc_tag
            docs = [d for d in self.cat.documents.values() if d.region == region and doc_tag(d, as_of)]
            for d in docs:  # "征求意见稿的意见征求截止到哪天": what the document is, at least
                lines.append(f"《{d.short}》{status_line(d, as_of)}。")
            lines.append("可以说明是哪项奖励（如“高企奖励找哪个部门”），我告诉您文件写明的负责部门。")
        return "\n".join(lines)

    def definition(self, term: Term) -> str:
        lines = [f"“{term.label}”：{term.text}"]
        if term.general:
            lines.append(f"（说明：{term.general}）")
        for doc_id, q in term.quotes[:2]:
            lines.append(f"原文（{self.cat.documents[doc_id].short}）：“{q}”")
        return "\n".join(lines)

    def non_cash(self, region: str | None, t: str, as_of: dt.date) -> str:
        docs = [d for d in self.cat.documents.values() if region not in ("linqing", "qinghai") or d.region == region]
        named = [d for d in docs if re.sub(r"（.*?）", "", d.short) in t]  # "临清科技创新若干措施有哪些非资金支持"
        docs = named or docs
        lines = []
        for d in docs:
            es = [e for e in self.answerable if e.document is d and not e.pays_money]
            if not es:
                continue
            lines.append(f"【{d.short}】{status_line(d, as_of)} 非资金支持{len(es)}项，例如：")
            lines += [f"· {e.title}（{SUPPORT[e.support]}，{measure_label(e)}）" for e in es[:6]]
        lines.append("想了解某一项，可以直接问它的名称。")
        return "\n".join(lines)

    def _reckoned_from_liaocheng(self, t: str, topic_ids: list[str]) -> bool:
        """"…成了国家工程研究中心 聊城奖了1000万 临清给多少": a 聊城 sum said, and the award the question
        names best is reckoned from 聊城's figure (第4条: 按聊城市财政…金额的50%), so its own answer works
        it out (1000万 × 50% = 500万) rather than a list of the awards on top of 聊城's."""
        if not money_in(t):
            return False
        ranked = self.ranked(t, topic_ids, "linqing")
        money = [e for _, e in ranked if e.pays_money]
        vocab = self.cat.vocab
        return bool(money) and any("聊城" in vocab[f].label for f in money[0].amount.facts() if f in vocab.facts)

    def on_top_of_liaocheng(self, topic_ids: list[str], as_of: dt.date) -> str | None:
        """The Linqing awards the texts give 在聊城市……的基础上 (on top of 聊城市's); None where the
        award asked about is itself reckoned from 聊城's figure ("聊城贴息给了8万 临清再给多少":
        按聊城市级财政贴息支持额度的50%), which the award's own answer works out."""
        es = [e for e in (self.entries_for(topic_ids) if topic_ids else self.answerable)
              if e.higher_level and "聊城" in str(e.higher_level.get("body", ""))]
        if not es:
            asked = [e for e in (self.entries_for(topic_ids) if topic_ids else self.answerable)
                     if e.document.region == "linqing" and e.pays_money]
            if topic_ids and any("聊城" in self.cat.vocab[f].label for e in asked for f in e.amount.facts()
                                 if f in self.cat.vocab.facts):
                return None
            return f"文件中没有写明这项奖励与聊城市奖励的关系，请向{lead_department(asked)}确认。"
        lines = ["临清的文件中写明“在聊城市……的基础上”另给的奖补："]
        for doc_id in dict.fromkeys(e.document.id for e in es):
            doc = self.cat.documents[doc_id]
            lines.append(f"【{doc.short}】{status_line(doc, as_of)}")
            for e in (x for x in es if x.document.id == doc_id):
                hl = e.higher_level
                base = f"（聊城市财政{yuan(hl['amount'])}）" if hl.get("amount") else ""
                lines.append(f"· {e.title}：临清{amount_text(e)}{base}（{measure_label(e)}）")
            lines.append(f"  原文：“{_short(es[0].higher_level.get('quote') or quote_text(es[0].quote))}”")
        lines.append("两级奖励是否都能拿到、怎样申报，以文件原文和部门通知为准；其他奖补文件没有写与聊城市奖励的关系。")
        return Said("\n".join(lines), "liaocheng", tuple(e.id for e in es))

    def elsewhere(self, place: str | None, label: str | None) -> str:
        where = place or "其他地区"
        what = f"{where}的{label}政策" if label else f"{where}的政策"
        if where.rstrip("市省") in ("聊城", "山东"):
            return (f"本助手只收录了聊城市下辖的临清市（县级市）和青海省的文件，{where}其他地方的政策不在其中。"
                    f"如贵单位在临清，可以说“临清的{label or '奖励'}”；{what}请咨询当地的科技局。")
        return (f"本助手收录的三份文件只适用于山东省临清市和青海省的单位，不涉及{where}。"
                f"{what}请咨询当地的科技局或工业和信息化部门。")

    def cross_region(self, places: list[tuple[str, str]], t: str = "", as_of: dt.date | None = None) -> str:
        """"青海的企业能享受临清的政策吗": each document is for its own region's units."""
        regions = {"linqing": "临清市", "qinghai": "青海省"}
        lines = ["各文件只适用于本地的单位："]
        for d in self.cat.documents.values():
            lines.append(f"· 《{d.short}》：只适用于{regions.get(d.region, d.region)}的单位")
        first = places[0]
        reaching = [e for e in self.cat.entries if e.reach and e.document.region != first[0]]
        if first[0] in regions:
            lines.append(f"所以{first[1]}的单位只能享受{regions[first[0]]}的文件中的奖补，"
                         f"{'除下面的例外，' if reaching else ''}不能享受另一地的政策。")
        else:
            lines.append(f"{first[1]}的单位不适用这几份文件。")
        scores = self.index.scores(Q_PLACES.sub(" ", t)) if t else {}
        asked = max(reaching, key=lambda e: scores.get(e.id, 0.0), default=None)
        ranks = set(re.findall(r"\d+强", quote_text(asked.quote))) if asked is not None else set()
        if asked is not None and scores.get(asked.id, 0.0) >= ASKED_SCORE and asked.pays_money \
                and (not ranks or any(r in t for r in ranks)):  # (a 500强 measure: only for who says 500强)
            # "北京的500强企业在青海设研发机构有什么奖励": the measure addressed to them, first
            lead = asked.departments.lead[0] if asked.departments.lead else lead_department([asked])
            others = [e.title for e in reaching if e is not asked]
            doc = asked.document
            figure = self._reckoned(asked, t)
            return "\n".join([f"这一项原文面向外地：{asked.title}：{figure or amount_text(asked)}（《{doc.short}》{measure_label(asked)}，"
                               f"{lead}；{status_line(doc, as_of or dt.date.today())}）",
                               asked.reach.text, "其余规定只适用于"
                               + "、".join(dict.fromkeys(regions.get(d.region, d.region) for d in self.cat.documents.values()))
                               + "本地的单位。"] + ([f"其他面向外地的：{'；'.join(others)}。"] if others else [])
                              + ["如有异地设立分支机构等特殊情况，请向当地科技主管部门确认。"])
        if reaching:  # 青海（四）（五）（九）: addressed to units and people from outside too
            lines.append("例外（原文面向外地）：" + "；".join(f"{e.title}：{e.reach.text.rstrip('。')}" for e in reaching) + "。")
        lines.append(f"文件中没有{'其他' if reaching else ''}跨地区享受的规定；如有异地设立分支机构等特殊情况，请向当地科技主管部门确认。")
        return "\n".join(lines)


    def _reckoned(self, e: Entry, t: str) -> str:
        """An award's amount worked out from the one sum the question says ("技术交易额2400万" →
        "…2400万元：1000万元 × 1.5% + 1400万元 × 1% = 29万元"), where it is computed from one sum;
        "" otherwise."""
        from .focus import bases_said
        from .nlu import extractor
        vocab = self.cat.vocab
        said = {x.entity: x.value for x in extractor().extract(t, "inform") if x.entity in vocab.facts}
        a = e.amount.compute({**said, **bases_said(vocab, [e], [], said)})
        return f"{a.text}（{a.computation}）" if a.computation else ""


#: a measure addressed to outsiders is what a cross-region question asks about from this score
#: (huiqi.questions._Index: about a title's words named)
ASKED_SCORE = 8.0


# -- shared wording -----------------------------------------------------------------------------
def regions_named(t: str) -> list[tuple[str, str]]:
    from .nlu import extractor
    return extractor().regions_in(t)


def amount_text(e: Entry) -> str:
    """What an award pays, before any company fact is known, without the rule's own wording
    ("按高新技术企业认定情况（本年度）分档：今年首次认定10万元、…" → "今年首次认定10万元、…")."""
    return re.sub(r"按[^：，]{2,40}分档：", "", e.amount.compute({}).text)


def _conditions_lines(es: list[Entry]) -> list[str]:
    """Who a document's awards are for and what they require, in its words (its first award's
    condition set: the bearing plan's 奖励对象和条件 cover all its awards)."""
    conditions = _condition_quotes(es[0].condition) if es else None
    return ["适用对象与条件（原文）：" + "".join(conditions)] if conditions else []


def _caps_and_stacking_lines(doc: Document, es: list[Entry]) -> list[str]:
    """A document's caps on one company's total and its 就高不重复, in its words."""
    lines = ["合计上限（原文）：" + "".join(quote_text(q) for _, _, q in cap.cases if q) for cap in doc.total_caps]
    g = next((g for g in doc.stacking if g.rule == "highest_only"), None)
    if g is not None:
        lines.append("同一企业同一年度符合多项补助条件的，按“就高不重复”原则补助（哪些奖励算作多项，原文未写明，"
                     f"请向{g.ask or lead_department(es)}确认）。")
    return lines


def _condition_quotes(cond) -> list[str] | None:
    """The sentences of the first named condition set inside a condition (a list of quotes)."""
    q = getattr(cond, "quote", None)
    if isinstance(q, list) and len(q) > 1:
        return q
    for child in getattr(cond, "children", ()):
        found = _condition_quotes(child)
        if found:
            return found
    return None


def _short(s: str, n: int = 130) -> str:
    return s if len(s) <= n else s[:n] + "……"


def _mentions(e: Entry, amount: int) -> bool:
    return yuan(amount) in e.amount.compute({}).text or yuan(amount).replace("元", "") in quote_text(e.quote)


def undocumented_asked(t: str) -> bool:
    """Whether a question asks for what the documents do not give: when to apply or when money
    is paid, materials, procedure ("申报截止时间是什么时候？要交哪些材料？", "这钱什么时候到账")."""
    return bool((Q_DEADLINE.search(t) or (Q_PROCEDURE.search(t) and not Q_CONTACT.search(unrelayed(t))))
                and not Q_DEFINITION_ONLY.search(t) and not Q_STILL_VALID.search(t))


#: a note that says how and when an award is paid (rules/documents: a context note "兑付程序：…")
PAYOUT_NOTE = re.compile(r"^兑付程序：")


def payout_lines(entries, as_of: dt.date | None = None) -> list[str]:
    """What the documents of `entries` say of paying out, each sentence once, quoted, with the
    document's status ("已过期")."""
    from .focus import doc_tag
    seen, lines = set(), []
    for e in entries:
        for n in e.notes:
            if PAYOUT_NOTE.search(n.text) and n.text not in seen:
                seen.add(n.text)
                q = n.quote[0] if isinstance(n.quote, list) else n.quote
                tag = doc_tag(e.document, as_of or dt.date.today())
                lines.append(f"《{e.document.short}》{'（' + tag + '）' if tag else ''}只写了兑付程序：“{q}”")
    return lines


def _how_asked(t: str) -> list[str]:
    """How to apply, in the words of the answer: online, or materials and procedure."""
    if not Q_PROCEDURE.search(t):
        return []
    if Q_CRITERIA.search(t) and not Q_PROCEDURE.search(Q_CRITERIA.sub(" ", t)):
        return ["评定标准（怎样才算符合、如何打分）"]
    return ["是否网上申报、申报系统"] + (["申报材料和流程"] if Q_PROCEDURE.search(Q_ONLINE.sub(" ", t)) else [])  \
        if Q_ONLINE.search(t) else ["申报材料和流程"]


def _when_asked(t: str) -> list[str]:
    """The times a question asks for, in the words of the answer: paying out, applying."""
    deadline = "征求意见的截止日期" if "征求意见" in t and "截止" in t else "申报截止时间"  # (a draft's comment period)
    return (["发放时间"] if Q_PAYOUT.search(t) else []) + \
        ([deadline] if Q_DEADLINE.search(Q_PAYOUT.sub(" ", t)) else [])
