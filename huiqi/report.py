"""A readable Chinese report of a match, grouped by document."""
from __future__ import annotations

from .engine import STATUS_TAGS as ENGINE_STATUS_TAGS
from .engine import (DRAFT, ELIGIBLE, EXPIRED, IN_FORCE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE, NOT_YET,
                     STATUS_WORDS, EntryResult, MatchResult)
from .logic import Finding
from .amounts import CERTAINTIES
from .money import yuan, yuan_range
from .tables import SUPPORT, Entry
from .vocabulary import Vocabulary


def quote_text(q) -> str:
    return "……".join(q) if isinstance(q, list) else str(q)


def finding_text(f: Finding, vocab: Vocabulary) -> str:
    fact = vocab[f.fact]
    if f.kind == "missing":
        return f"需要：{fact.label}"
    if f.kind == "unsettled":
        s = f"{fact.label}为“{fact.title(f.actual)}”时原文未明确：{f.note or ''}"
        return s + (f"（请向{f.ask}确认）" if f.ask else "")
    s = f"未满足：{f.text}"
    if f.actual is not None and fact.type != "bool":
        s += f"（贵单位：{fact.title(f.actual)}）"
    if f.quote:
        s += f"　原文：“{quote_text(f.quote)}”"
    return s


def citation(e: Entry) -> str:
    d = e.document
    from .answers import measure_label
    return f"{d.short} {measure_label(e)}：“{quote_text(e.quote)}”"


def profile_lines(facts: dict, vocab: Vocabulary) -> list[str]:
    return [f"  {vocab[k].label}：{vocab[k].title(v)}" for k, v in facts.items()]


def render(m: MatchResult, vocab: Vocabulary, verbose: bool = False) -> str:
    out: list[str] = [f"惠企政策匹配结果（按{m.as_of:%Y年%m月%d日}计）", ""]
    out.append("已知情况：")
    out += profile_lines(m.facts, vocab) or ["  （尚无）"]
    out.append("")
    if not m.documents:
        out.append("本助手收录的三份文件（临清市两份、青海省一份）都不适用于贵单位所在地区。"
                   "请咨询所在地的科技局或工业和信息化部门了解当地政策。")
    for dr in m.documents:
        d = dr.document
        rs = [r for r in m.results if r.entry.document is d]
        head = f"【{d.title}】{d.issuer}"
        if d.number:
            head += f" {d.number}"
        out.append(head + f" {d.date:%Y年%m月%d日}（{d.status_zh}）")
        shown = set()
        for r in rs:  # document-level caveats once, at the top
            for c in r.caveats:
                if c.document_wide and c.text not in shown:
                    shown.add(c.text)
                    out.append(f"  ⚠ {c.text}")
        out.append(f"  时效：{_status_head(dr, m)}")
        groups = [(ELIGIBLE, "award", ELIGIBLE_TITLES[dr.status]),
                  (ELIGIBLE, "service_priority", "ℹ 相关工作安排与优先支持（不是确定待遇，具体以责任部门安排为准）"),
                  (NEED_INFO, None, "？ 还需信息才能判断"), (NOT_ELIGIBLE, None, "✘ 不符合条件")]
        for verdict, promise, title in groups:
            items = [r for r in rs if r.verdict == verdict and (verbose or r.entry.support != "governance")
                     and (promise is None or r.promise == promise
                          or (promise == "service_priority" and r.promise == "internal"))]
            items.sort(key=lambda r: not r.entry.pays_money)  # money first; stable otherwise
            if not items:
                continue
            out.append(f"  {title}（{len(items)}项）")
            for r in items:
                out += _entry_lines(r, vocab, shown, verbose or verdict == ELIGIBLE, dr.status)
        na = [r for r in rs if r.verdict == NOT_APPLICABLE]
        other_region = [r for r in na if r.findings and r.findings[0].fact == "region"]
        na = [r for r in na if r not in other_region]
        if na:
            whom = sorted({"、".join(sorted(vocab['entity_type'].title(b) for b in r.entry.beneficiary)) for r in na})
            out.append(f"  · 另有{len(na)}项面向其他主体（{'；'.join(whom)}），不适用于贵单位。")
        if other_region:
            out.append(f"  · 另有{len(other_region)}项只适用于{vocab['region'].title(d.region)}的单位。")
        out += _totals(dr)
        out.append("")
    out += overall_lines(m)
    if m.unlocks:
        out.append("还可以争取：")
        for u in m.unlocks:
            conds = "，".join(f.text for f in u.findings)
            out.append(f"  · 若{conds}，可获“{u.result.entry.title}”（{u.result.entry.amount.compute(m.facts).text}）")
        out.append("")
    if m.next_facts:
        out.append("补充以下信息可以判断更多奖励：" + "、".join(vocab[f].label for f in m.next_facts[:8]))
    out.append("说明：以上依据文件原文自动判断，仅供参考；最终以主管部门审核为准。")
    return "\n".join(out)


ELIGIBLE_TITLES = {
    IN_FORCE: "✔ 符合条件",
    DRAFT: "○ 符合征求意见稿所列条件（文件尚未施行，不计入确定可得）",
    EXPIRED: "○ 符合原文条件，但文件已过有效期（试行期已结束，不计入确定可得）",
    NOT_YET: "○ 符合原文条件，但文件尚未生效（不计入确定可得）",
}
STATUS_TAGS = {k: f"［{v}］" if v else "" for k, v in ENGINE_STATUS_TAGS.items()}


def _status_head(dr, m: MatchResult) -> str:
    from .answers import status_line
    words = status_line(dr.document, m.as_of)
    if dr.counted:
        return words
    return f"{words}——本文件的金额不计入确定可得，只在下面“若……”的合计中列出"


def overall_lines(m: MatchResult) -> list[str]:
    """The money of every document, by whether its text is in force on the date: only the
    first line is sure."""
    t = m.totals
    if not t or not any(x.sure_total or x.upper_total for x in t.values()):
        return []
    out = ["合计（按文件时效分开）："]
    now = t.get(IN_FORCE)
    if now is None:
        out.append("  现行有效文件确定可得：无（没有现行有效的文件适用）")
    else:
        said = yuan_range(now.sure_total, now.upper_total)
        out.append(("  现行有效文件：" if said.startswith("确定可得") else "  现行有效文件确定可得：") + said)
    if DRAFT in t:
        out.append(f"  若征求意见稿按此文本施行：{yuan_range(t[DRAFT].sure_total, t[DRAFT].upper_total)}（尚未施行，不计入）")
    if EXPIRED in t:
        out.append(f"  按已过期的试行文件（试行期内才有）：{yuan_range(t[EXPIRED].sure_total, t[EXPIRED].upper_total)}（已过期，不计入）")
    if NOT_YET in t:
        out.append(f"  待文件生效后：{yuan_range(t[NOT_YET].sure_total, t[NOT_YET].upper_total)}（尚未生效，不计入）")
    out.append("")
    return out


def _entry_lines(r: EntryResult, vocab: Vocabulary, shown: set, full: bool, doc_status: str = IN_FORCE) -> list[str]:
    e = r.entry
    amount = r.amount.text if r.amount and r.amount.is_money else SUPPORT[e.support]
    from .answers import measure_label
    tag = STATUS_TAGS.get(r.status or IN_FORCE, "") if r.status != doc_status else ""
    lines = [f"    · {tag}{e.title}（{measure_label(e)}）— {amount}"]
    if r.amount and r.amount.is_money and not r.amount.sure and r.verdict == ELIGIBLE:
        lines.append(f"      金额：{r.amount.certainty_text}，不计入确定可得")
    if r.verdict == ELIGIBLE and r.amount and r.amount.computation:
        lines.append(f"      计算：{r.amount.computation}")
    if r.amount and r.amount.missing and r.verdict == ELIGIBLE:
        lines.append("      精确金额还需：" + "、".join(vocab[f].label for f in r.amount.missing))
    for f in r.findings:
        lines.append(f"      {finding_text(f, vocab)}")
    if r.stacking_note:
        lines.append(f"      {r.stacking_note}")
    if full:
        lines.append(f"      依据：{citation(e)}")
        lines.append(f"      联系：{e.departments.text()}")
        if e.higher_level:
            hl = e.higher_level
            amt = f"{yuan(hl['amount'])}" if hl.get("amount") is not None else ""
            lines.append(f"      背景：{hl['body']}另有支持{('（' + amt + '）') if amt else ''}，不在本表计算之内")
        for c in r.caveats:
            if c.text in shown or c.document_wide:
                continue
            ask = f"（可向{c.ask}确认）" if c.ask and c.ask not in c.text else ""
            lines.append(f"      注意：{c.text}{ask}")
    return lines


def _totals(dr) -> list[str]:
    out = []
    from .answers import total_lines
    out += ["  " + line for line in total_lines(dr)]
    for c in dr.caps:
        out.append(f"  上限：{c.text}")
    for n in dr.notes:
        out.append(f"  注意：{n.text}")
    if dr.stacking:
        for rd in dr.stacking.readings.values():
            out.append(f"  按“{rd.label}”理解：{yuan_range(rd.sure_total, rd.upper_total)}")
    return out


def condition_tree(c, depth: int = 0, named: dict | None = None) -> list[str]:
    """A condition as the tree it is: 全部满足 (all), 满足其一 (any), 不属于 (not), each leaf with
    the words of the text it encodes. Empty for no condition. `named` (id of a condition → its
    name): shared condition sets said by name instead of in full."""
    from .logic import All, Always, Any_, Leaf, Not
    pad = "  " * depth
    if named and id(c) in named:
        return [f"{pad}· 共用条件 {named[id(c)]}（全文见该条件原文旁）"]

    def said(q) -> str:
        return f"　原文：“{quote_text(q)}”" if q else ""

    if isinstance(c, Always):
        return []
    if isinstance(c, Leaf):
        line = f"{pad}· {c.text()}{said(c.quote)}"
        if c.unsettled:
            line += f"（{c.note}" + (f"，请向{c.ask}确认" if c.ask else "") + "）"
        return [line]
    if isinstance(c, Not):
        what = f"（{c.label}）" if c.label else ""
        return [f"{pad}· 不属于下列情形{what}：{said(c.quote).strip('　')}".rstrip("：")] + condition_tree(c.child, depth + 1, named)
    if isinstance(c, (All, Any_)):
        kids = [line for k in c.children for line in condition_tree(k, depth + 1, named)]
        if isinstance(c, All) and depth == 0 and not c.quote:
            return [line[2:] for line in kids]  # the entry's own list: no extra level
        head = "全部满足" if isinstance(c, All) else "满足其一"
        return [f"{pad}· {head}：{said(c.quote).strip('　')}".rstrip("：")] + kids
    return [f"{pad}· {c!r}"]


def render_entry(e: Entry, vocab: Vocabulary) -> str:
    d = e.document
    lines = [f"{e.title}（{e.id}）",
             f"文件：{d.citation()}，{d.issuer}，{d.date:%Y年%m月%d日}，{d.status_zh}",
             f"条目：{e.measure}",  # as the document numbers it
             f"原文：“{quote_text(e.quote)}”",
             "对象：" + "、".join(vocab['entity_type'].title(b) for b in sorted(e.beneficiary))
             + (f"（{e.beneficiary_note}）" if e.beneficiary_note else "")
             + f"；地区：{vocab['region'].title(d.region)}",
             f"支持方式：{SUPPORT[e.support]}",
             f"金额：{e.amount.compute({}).text}"]
    a = e.amount.compute({})
    if a.is_money:
        cert = e.amount.certainty_kind() or ("ceiling" if a.high is not None and not a.low and not a.missing
                                              else a.certainty if not a.missing else "")
        if cert:
            lines.append(f"确定程度：{a.reason or CERTAINTIES[cert]}")
    if e.amount.quote:
        lines.append(f"金额原文：“{quote_text(e.amount.quote)}”")
    if e.sure_if is not None:
        lines.append(f"金额成立的前提：{'；'.join(t.lstrip('· ') for t in condition_tree(e.sure_if.when))}"
                     f"（否则：{e.sure_if.text}）")
    tree = condition_tree(e.condition)
    if tree:
        lines.append("条件：")
        lines += ["  " + t for t in tree]
    else:
        lines.append("条件：除地区和对象外，原文未规定其他条件")
    if e.reach is not None:
        lines.append(f"省外/区外：{e.reach.text}（原文：“{quote_text(e.reach.quote)}”）")
    for g in d.stacking if e.pays_money else ():
        if g.members is None or e.id in g.members:
            whom = ("（只约束" + "、".join(vocab['entity_type'].title(b) for b in sorted(g.beneficiary)) + "）"
                    if g.beneficiary else "")
            rule = "就高不重复" if g.rule == "highest_only" else "不重复支持"
            if g.beneficiary is None or e.beneficiary & g.beneficiary:
                lines.append(f"叠加：{rule}{whom}（原文：“{quote_text(g.quote)}”）")
    lines.append(f"部门：{e.departments.text()}（原文：{quote_text(e.departments.quote)}）")
    v = e.validity
    if v.start or v.end:
        lines.append(f"有效期：{v.start or '未写明'} 至 {v.end or '未写明'}")
    for n in e.notes:
        lines.append(f"注意：{n.text}" + (f"（可向{n.ask}确认）" if n.ask else ""))
    return "\n".join(lines)
