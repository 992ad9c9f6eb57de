"""Chat answers: concise Chinese messages built from the engine's verdicts.

Every figure, condition and department here comes from a rule-table entry; nothing else
is stated. Channel-independent (plain text); channels may split or format further.
"""
from __future__ import annotations

from typing import Any

from .engine import ELIGIBLE, NEED_INFO, NOT_ELIGIBLE, MatchResult
from .money import yuan
from .report import quote_text
from .tables import SUPPORT, Catalogue, Entry
from .vocabulary import Vocabulary


def measure_label(e: Entry) -> str:
    """第6条 (numbered), 措施（一） (Qinghai's （一）…（十八）), 奖励标准2 (named)."""
    if e.measure.isdigit():
        return f"第{e.measure}条"
    if e.measure.startswith("("):
        return "措施（" + e.measure.strip("()") + "）"
    return e.measure


def source_line(e: Entry) -> str:
    return f"依据：{e.document.short}{measure_label(e)}"


def contact_text(e: Entry) -> str:
    d = e.departments
    s = "联系：" + d.text()
    if getattr(d, "inferred", False):
        s += "（该条未写明负责部门，按文件的牵头部门列出）"
    return s


def profile_summary(facts: dict[str, Any], vocab: Vocabulary, implied: set[str] = frozenset()) -> str:
    """"所在地区：…；主体类型：企业（按所述情况推定）"; `implied`: facts inferred, not said."""
    return "；".join(f"{vocab[k].label}：{vocab[k].title(v)}" + ("（按所述情况推定）" if k in implied else "")
                    for k, v in facts.items())


def eligibility_messages(m: MatchResult, vocab: Vocabulary) -> list[str]:
    """One message per document that applies, then a closing message."""
    msgs: list[str] = []
    if not m.documents:
        region = m.facts.get("region")
        where = vocab["region"].title(region) if region else "贵单位所在地区"
        msgs.append(f"本助手收录的三份文件只适用于山东省临清市和青海省的单位，不适用于{where}。"
                    "建议向当地的科技局或工业和信息化部门咨询当地政策。")
        return msgs
    for dr in m.documents:
        d = dr.document
        rs = [r for r in m.results if r.entry.document is d]
        lines = [f"【{d.short}】"]
        seen = set()
        for r in rs:
            for c in r.caveats:
                if c.document_wide and c.text not in seen:
                    seen.add(c.text)
                    lines.append(f"⚠ {c.text}")
        ok = [r for r in rs if r.verdict == ELIGIBLE and r.entry.pays_money]
        need = [r for r in rs if r.verdict == NEED_INFO and r.entry.pays_money]
        no = [r for r in rs if r.verdict == NOT_ELIGIBLE and r.entry.pays_money]
        other = [r for r in rs if r.verdict == ELIGIBLE and not r.entry.pays_money and r.entry.support != "governance"]
        if ok:
            lines.append("✅ 符合条件：")
            for i, r in enumerate(ok, 1):
                e = r.entry
                lines.append(f"{i}. {e.title}{_amount_suffix(r) or ''}（{measure_label(e)}）")
                if r.amount.computation:
                    lines.append(f"   计算：{r.amount.computation}")
                if r.amount.missing:
                    lines.append("   精确金额还需：" + "、".join(vocab[f].label for f in r.amount.missing))
                if r.stacking_note:
                    lines.append(f"   {r.stacking_note}")
                for c in r.caveats:
                    if not c.document_wide and c.kind != "context" and c.text not in seen:
                        seen.add(c.text)
                        lines.append(f"   注意：{c.text}")
                lines.append(f"   {contact_text(e)}")
        if need:
            lines += _need_lines(need, vocab)
        if no:
            lines.append("❌ 不符合：")
            by_reason: dict[str, list[str]] = {}
            for r in no:
                failed = [f for f in r.findings if f.kind == "failed"]
                why = "；".join(dict.fromkeys(f.text for f in failed[:2]))
                by_reason.setdefault(why, []).append(r.entry.title)
            for why, titles in list(by_reason.items())[:LIST_LIMIT]:
                shown = "、".join(titles[:3]) + (f"等{len(titles)}项" if len(titles) > 3 else "")
                lines.append(f"· {shown} — 未满足：{why}")
        if other:
            lines.append(f"另有{len(other)}项非资金支持（如{other[0].entry.title}），可问我“{d.short}有哪些非资金支持”。")
        lines += total_lines(dr)
        for c in dr.caps:
            lines.append(f"上限：{c.text}")
        for n in dr.notes:
            lines.append(f"注意：{n.text}" + (f"（若各项可分别享受，合计{yuan(dr.alternative_total)}）" if dr.alternative_total else ""))
        if not (ok or need or no):
            lines.append("按目前信息，本文件中没有适用于贵单位的资金奖补。")
        msgs.append("\n".join(lines))
    tail = []
    if m.unlocks:
        tail.append("还可以争取：")
        grouped: dict[str, list[str]] = {}
        for u in m.unlocks:
            grouped.setdefault("，".join(f.text for f in u.findings), []).append(u.result.entry.title)
        for cond, titles in list(grouped.items())[:LIST_LIMIT]:
            shown = "、".join(f"“{t}”" for t in titles[:3]) + (f"等{len(titles)}项" if len(titles) > 3 else "")
            tail.append(f"· 若{cond}，可获{shown}")
    if m.next_facts:
        tail.append("告诉我这些可以判断更多：" + "、".join(vocab[f].label for f in m.next_facts[:5]))
    tail.append("以上依据文件原文判断，仅供参考，以主管部门审核为准。说“不对，……”可以更正信息。")
    msgs.append("\n".join(tail))
    return msgs


LIST_LIMIT = 4


def total_lines(dr) -> list[str]:
    """The document's total, said the same way in chat and in the CLI report."""
    if not (dr.sure_total or dr.upper_total):
        return []
    capped = f"（已按上限计，未计上限时为{yuan(dr.uncapped_total)}）" if dr.uncapped_total > dr.sure_total else ""
    if dr.uncertain:
        up = f"，最多约{yuan(dr.upper_total)}" if dr.upper_total is not None else "，部分金额尚无上限数字"
        return [f"合计：确定可得{yuan(dr.sure_total)}{up}{capped}"]
    return [f"合计：{yuan(dr.sure_total)}{capped}"]


def _amount_suffix(r) -> str:
    t = r.amount.text if r.amount else ""
    return "" if not t or t in r.entry.title else f"（{t}）"


def _need_lines(need, vocab: Vocabulary) -> list[str]:
    """Pending awards: facts every one of them lacks are said once; the closest to a
    decision (fewest facts missing) are listed first, at most LIST_LIMIT of them."""
    def missing(r):
        return [f.fact for f in r.findings if f.kind == "missing"]
    common = set(missing(need[0])).intersection(*(set(missing(r)) for r in need[1:])) if need else set()
    lines = [f"❓ 还需信息（{len(need)}项）："]
    if common and len(need) > 1:
        lines.append("以下各项都还需要：" + "、".join(vocab[f].label for f in sorted(common, key=lambda f: vocab[f].ask or 999)))
    ranked = sorted(need, key=lambda r: (len(missing(r)), -(r.amount.ranking if r.amount else 0)))
    for r in ranked[:LIST_LIMIT]:
        reasons = [vocab[f].label for f in missing(r) if f not in common]
        reasons += [f"原文未明确（{f.note}）" + (f"，请向{f.ask}确认" if f.ask else "")
                    for f in r.findings if f.kind == "unsettled"]
        tail = f" — 需要：{'；'.join(dict.fromkeys(reasons))}" if reasons else ""
        lines.append(f"· {r.entry.title}{_amount_suffix(r)}{tail}")
    if len(need) > LIST_LIMIT:
        rest = sorted({r.entry.title for r in ranked[LIST_LIMIT:]})
        lines.append(f"· 另有{len(need) - LIST_LIMIT}项（如{rest[0]}）需要更具体的信息，可以直接问我该项政策")
    return lines
