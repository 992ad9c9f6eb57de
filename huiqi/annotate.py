"""The annotated document: the source text, sentence by sentence, with the rule-table entries
that encode each sentence beside it (conditions as a tree, amount and how sure it is, open
interpretations, departments), so a reviewer reads the document and the table in one pass.

`huiqi annotate [DOCUMENT_ID] [-o DIR]` and `make docs` write docs/annotated/<id>.html.
An entry sits beside the sentence where its quote ends (its first quote where it has several);
every word any table entry quotes is highlighted in the text.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterable

from .report import condition_tree, quote_text
from .tables import SUPPORT, STATUSES, Catalogue, Document, Entry
from .vocabulary import Vocabulary

_SENTENCE_END = re.compile(r"(?<=[。；;])")


def _quotes(q: Any) -> list[str]:
    if q is None:
        return []
    return [q] if isinstance(q, str) else [x for x in q if isinstance(x, str)]


def _cond_quotes(c) -> Iterable[str]:
    from .logic import All, Any_, Leaf, Not
    yield from _quotes(getattr(c, "quote", None))
    if isinstance(c, (All, Any_)):
        for k in c.children:
            yield from _cond_quotes(k)
    elif isinstance(c, Not):
        yield from _cond_quotes(c.child)
    elif isinstance(c, Leaf):
        return


def entry_quotes(e: Entry) -> list[str]:
    """Every verbatim piece of the source an entry encodes."""
    out = _quotes(e.quote) + list(_cond_quotes(e.condition)) + _quotes(e.amount.quote) \
        + _quotes(e.departments.quote)
    for n in e.notes:
        out += _quotes(n.quote)
    if e.reach is not None:
        out += _quotes(e.reach.quote)
    if e.sure_if is not None:
        out += _quotes(e.sure_if.quote) + list(_cond_quotes(e.sure_if.when))
    if e.higher_level:
        out += _quotes(e.higher_level.get("quote"))
    return out


def segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, starts a paragraph) for each sentence of the text, blank lines dropped."""
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        if not body.strip():
            continue
        first = True
        i = start
        for part in _SENTENCE_END.split(body):
            if not part:
                continue
            if not first and part[0] in "(（":  # “(责任单位:…)” after a sentence belongs to that sentence
                close = _closing(part)
                if close is not None:
                    s0, _, p0 = out[-1]
                    out[-1] = (s0, i + close + 1, p0)
                    i, part = i + close + 1, part[close + 1:]
                    if not part:
                        continue
            out.append((i, i + len(part), first))
            first = False
            i += len(part)
    return out


def _closing(part: str) -> int | None:
    """Where the bracket that opens `part` closes."""
    depth = 0
    for k, ch in enumerate(part):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth == 0:
                return k
    return None


def _anchor(text: str, segs: list[tuple[int, int, bool]], q: str) -> int | None:
    """The sentence where the quote's first occurrence ends."""
    at = text.find(q)
    if at < 0:
        return None
    end = at + len(q) - 1
    for i, (s, e, _) in enumerate(segs):
        if s <= end < e:
            return i
    return None


def _marked(text: str, start: int, end: int, mask: bytearray) -> str:
    out, i = [], start
    while i < end:
        j = i
        on = mask[i]
        while j < end and mask[j] == on:
            j += 1
        chunk = html.escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if on else chunk)
        i = j
    return "".join(out)


def _tree_html(lines: list[str]) -> str:
    if not lines:
        return "<p class=none>除地区和对象外，原文未规定其他条件</p>"
    return "<pre class=tree>" + html.escape("\n".join(lines)) + "</pre>"


def _entry_card(e: Entry, vocab: Vocabulary) -> str:
    a = e.amount.compute({})
    kind = e.amount.certainty_kind() or ""
    sure = ""
    if a.is_money:
        from .amounts import CERTAINTIES
        cert = kind or ("ceiling" if a.high is not None and not a.low and not a.missing else
                        a.certainty if not a.missing else "")
        if cert:
            sure = f" <span class=cert>（{html.escape(a.reason or CERTAINTIES[cert])}）</span>"
    whom = "、".join(vocab["entity_type"].title(b) for b in sorted(e.beneficiary))
    if e.beneficiary_note:
        whom += f"（{e.beneficiary_note}）"
    promise = ("service" if e.service_priority else "internal" if e.support == "governance" else "award")
    rows = [
        f"<div class='entry {promise}' id='{html.escape(e.id)}'>",
        f"<h3>{html.escape(e.title)} <code>{html.escape(e.id)}</code></h3>",
        f"<p><b>对象</b> {html.escape(whom)}；<b>支持方式</b> {SUPPORT[e.support]}"
        + ("（工作安排或优先支持，不是确定待遇）" if e.service_priority else "") + "</p>",
        f"<p><b>金额</b> {html.escape(a.text)}{sure}</p>",
    ]
    if e.amount.quote:
        rows.append(f"<p><b>金额原文</b> “{html.escape(quote_text(e.amount.quote))}”</p>")
    if e.sure_if is not None:
        rows.append(f"<p><b>金额成立的前提</b></p>{_tree_html(condition_tree(e.sure_if.when))}"
                    f"<p class=open><b>否则</b> {html.escape(e.sure_if.text)}</p>")
    named = {id(c): n for n, c in e.document.condition_sets.items()}
    rows.append(f"<p><b>条件</b></p>{_tree_html(condition_tree(e.condition, 0, named))}")
    if e.reach is not None:
        rows.append(f"<p><b>区外对象</b> {html.escape(e.reach.text)}</p>")
    for g in e.document.stacking if e.pays_money else ():
        if (g.members is None or e.id in g.members) and (g.beneficiary is None or e.beneficiary & g.beneficiary):
            rule = "就高不重复" if g.rule == "highest_only" else "不重复支持"
            whom_g = ("，只约束" + "、".join(vocab["entity_type"].title(b) for b in sorted(g.beneficiary))
                      if g.beneficiary else "")
            rows.append(f"<p><b>叠加</b> {rule}（{html.escape(g.id)}{whom_g}）</p>")
    rows.append(f"<p><b>部门</b> {html.escape(e.departments.text())}</p>")
    v = e.validity
    if v is not e.document.validity:
        rows.append(f"<p><b>本条有效期</b> {v.start or '未写明'} 至 {v.end or '未写明'}</p>")
    for n in e.notes:
        cls = "open" if n.kind in ("ambiguous", "silent", "selective") else "note"
        label = {"ambiguous": "待解释", "silent": "原文未规定", "selective": "择优/评定", "context": "说明"}.get(n.kind, n.kind)
        ask = f"（可向{html.escape(n.ask)}确认）" if n.ask else ""
        rows.append(f"<p class={cls}><b>{label}</b> {html.escape(n.text)}{ask}</p>")
    rows.append("</div>")
    return "\n".join(rows)


def _doc_cards(doc: Document) -> list[tuple[list[str], str]]:
    """Document-wide items (validity, caveats, shared conditions, caps, stacking) with their quotes."""
    out = []
    v = doc.validity
    if v.quote:
        out.append((_quotes(v.quote), f"<div class='entry doc'><h3>有效期</h3><p>{v.start or '未写明'} 至 "
                                      f"{v.end or '未写明'}</p>" + (f"<p class=note>{html.escape(v.note)}</p>" if v.note else "")
                    + "</div>"))
    for c in doc.caveats:
        out.append((_quotes(c.quote), f"<div class='entry doc'><h3>文件说明（{html.escape(c.kind)}）</h3>"
                                      f"<p class=open>{html.escape(c.text)}</p></div>"))
    for name, cond in doc.condition_sets.items():
        out.append((_quotes(getattr(cond, "quote", None)),
                    f"<div class='entry doc'><h3>共用条件 <code>{html.escape(name)}</code></h3>"
                    f"<p>引用此条件（ref: {html.escape(name)}）的条目都须满足：</p>{_tree_html(condition_tree(cond))}</div>"))
    for g in doc.stacking:
        rule = "就高不重复：同时符合的只取最高一项" if g.rule == "highest_only" else "不重复支持"
        whom = ("；只约束：" + "、".join(sorted(g.beneficiary))) if g.beneficiary else ""
        mem = "本文件所有奖励" if g.members is None else "、".join(sorted(g.members))
        out.append((_quotes(g.quote), f"<div class='entry doc'><h3>叠加规则 <code>{html.escape(g.id)}</code></h3>"
                                      f"<p>{rule}（{html.escape(mem)}{whom}）</p>"
                    + (f"<p class=open><b>待解释</b> {html.escape(g.note)}</p>" if g.note else "") + "</div>"))
    for cap in doc.total_caps:
        cases = "".join(f"<li>{share}%：{html.escape(quote_text(q))}</li>" for _, share, q in cap.cases)
        out.append((_quotes(cap.quote) or [q for _, _, q in cap.cases if isinstance(q, str)],
                    f"<div class='entry doc'><h3>奖励合计上限 <code>{html.escape(cap.id)}</code></h3>"
                    f"<p>基数：{html.escape(cap.base)}；按第一个成立的情形取比例：</p><ol>{cases}</ol></div>"))
    return out


CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0 auto;max-width:1400px;padding:1em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;width:100%} td{vertical-align:top;padding:.4em .6em;border-top:1px solid #eee}
tr.para td{border-top:2px solid #999} td.src{width:45%;line-height:1.7} td.src mark{background:#fff3a8}
td.src .n{color:#999;font-size:.75em;margin-right:.4em} .entry{border:1px solid #ccd;border-radius:6px;padding:.3em .7em;margin:.3em 0;background:#f8f9fc}
.entry.service{background:#f4f9f4;border-color:#bdb} .entry.internal{background:#f5f5f5;border-color:#ccc} .entry.doc{background:#fdf6ec;border-color:#dcb}
.entry h3{font-size:1em;margin:.3em 0} code{font-size:.8em;color:#667} .entry p{margin:.25em 0} pre.tree{white-space:pre-wrap;margin:.2em 0;font:inherit;font-size:.92em}
p.open{color:#8a3b00} p.note{color:#555} .cert{color:#8a3b00} .legend{font-size:.9em;color:#555}
"""


def annotate(doc: Document, cat: Catalogue) -> str:
    text = doc.text
    segs = segments(text)
    vocab = cat.vocab
    entries = [e for e in cat.entries if e.document is doc]
    mask = bytearray(len(text))
    beside: dict[int, list[str]] = {}
    unplaced: list[str] = []

    def mark(q: str) -> None:
        at = text.find(q)
        while at >= 0:
            mask[at:at + len(q)] = b"\x01" * len(q)
            at = text.find(q, at + 1)

    for quotes, card in _doc_cards(doc):
        for q in quotes:
            mark(q)
        i = _anchor(text, segs, quotes[0]) if quotes else None
        (beside.setdefault(i, []) if i is not None else unplaced).append(card)
    for e in entries:
        for q in entry_quotes(e):
            mark(q)
        qs = _quotes(e.quote)
        i = _anchor(text, segs, qs[0]) if qs else None
        card = _entry_card(e, vocab)
        (beside.setdefault(i, []) if i is not None else unplaced).append(card)

    rows = []
    for i, (s, t, para) in enumerate(segs):
        cards = "\n".join(beside.get(i, []))
        rows.append(f"<tr class='{'para' if para else 'cont'}' id='s{i}'><td class=src><span class=n>{i + 1}</span>"
                    f"{_marked(text, s, t, mask)}</td><td>{cards}</td></tr>")
    head = (f"<h1>{html.escape(doc.title)}</h1><p>{html.escape(doc.issuer)}"
            + (f" {html.escape(doc.number)}" if doc.number else "")
            + f"，{doc.date:%Y年%m月%d日}，{STATUSES[doc.status]}；原文：rules/sources/{html.escape(doc.source.name)}；"
            f"规则表：rules/documents/{html.escape(doc.id)}.yml；共{len(entries)}条。</p>"
            "<p class=legend>左栏为原文（逐句，粗线为段落开始；黄色为规则表引用的原文），右栏为编码该句的规则表条目："
            "对象、支持方式、金额及其确定程度、条件树（全部满足／满足其一／不属于，每项附原文）、叠加规则、部门，"
            "以及原文未明确、需向主管部门确认之处。蓝色为资金或其他待遇，绿色为工作安排或优先支持（不是确定待遇），"
            "灰色为政府内部机制，米色为全文适用的规定。本文件由 <code>huiqi annotate</code> 生成，请勿手改。</p>")
    tail = "" if not unplaced else "<h2>未能定位到原文的条目</h2>" + "\n".join(unplaced)
    return (f"<!DOCTYPE html>\n<html lang=zh-CN><head><meta charset=utf-8><title>{html.escape(doc.short)}（对照注释）</title>"
            f"<style>{CSS}</style></head><body>{head}<table>{''.join(rows)}</table>{tail}</body></html>\n")


def write_all(cat: Catalogue, out_dir: Path, only: str | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in cat.documents.values():
        if only and doc.id != only:
            continue
        p = out_dir / f"{doc.id}.html"
        p.write_text(annotate(doc, cat), encoding="utf-8")
        written.append(p)
    return written
