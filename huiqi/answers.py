"""Chat answers: concise Chinese messages built from the engine's verdicts.

Every figure, condition and department here comes from a rule-table entry; nothing else
is stated. Channel-independent (plain text); channels may split or format further.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from .engine import ELIGIBLE, NEED_INFO, NOT_ELIGIBLE, MatchResult
from .money import yuan, yuan_range
from .tables import Document, Entry
from .vocabulary import Vocabulary


def measure_label(e: Entry) -> str:
    """第6条 (numbered), 措施（一） (Qinghai's （一）…（十八）), 奖励标准2 (named)."""
    if e.measure.isdigit():
        return f"第{e.measure}条"
    if e.measure.startswith("("):
        return "措施（" + e.measure.strip("()") + "）"
    return e.measure


def lead_department(entries) -> str:
    """The department that leads most of these entries (as the tables name it), for "请向…确认"."""
    leads = Counter(e.departments.lead[0] for e in entries if e.departments.lead)
    return leads.most_common(1)[0][0] if leads else "牵头部门"


def contact_text(e: Entry) -> str:
    return "联系：" + e.departments.text()  # says so where the department is inferred


def short_label(fact) -> str:
    """A fact's label without its explanation in brackets ("是否符合“绿色门槛”（无较大…）" → …)."""
    return re.sub(r"（[^）]*）$", "", fact.label)


def fact_text(fact, value) -> str:
    """"是否规模以上企业：是" → "规模以上企业", "否" → "非规模以上企业" / "不符合“绿色门槛”";
    "研发投入占销售收入比例：6%" as is."""
    label = short_label(fact)
    if fact.type == "bool" and label.startswith("是否") and isinstance(value, bool):
        what = label[2:]
        if value:
            return what
        if what.startswith("有"):
            return "没" + what  # 没有获批的重大科技基础设施
        if re.match(r"[^，、]{1,3}过|经|新设立|首次", what):
            return "未" + what  # 未承担过…项目, 未经评估命名为…
        if re.match(r"柔性|掌握", what):
            return "不是" + what  # 不是柔性引进到临清的高层次人才
        if re.match(r"符合|承担|享受|在|由|今年|取得", what):
            return "不" + what
        if re.search(r"(企业|单位|机构|人才|项目|平台|学校|院所)$", what) and "了" not in what:
            return "非" + what  # 非规模以上企业
        return f"{label}：否"  # no short negation reads right (产值及利润增幅均超过26%…)
    return f"{label}：{fact.title(value)}"


def condition_text(text: str) -> str:
    """A condition as a sentence: "是否规模以上企业：是" → "规模以上企业"."""
    text = re.sub(r"是否([^：，；]+)（[^）]*）：是", r"\1", text)
    text = re.sub(r"是否([^：，；]+)：是", r"\1", text)
    return re.sub(r"是否([^：，；]+)：否", r"不是\1", text)


def profile_summary(facts: dict[str, Any], vocab: Vocabulary, implied: set[str] = frozenset()) -> str:
    """"临清市；企业（按所述情况推定）；规模以上企业；…"; `implied`: facts inferred, not said."""
    return "；".join(fact_text(vocab[k], v) + ("（按所述情况推定）" if k in implied else "") for k, v in facts.items())


def eligibility_messages(m: MatchResult, vocab: Vocabulary) -> list[str]:
    """A message per document that has money awards to report, then a closing message.
    Kept short for a phone: each award on a line or two, totals and caps in one line each."""
    msgs: list[str] = []
    if not m.documents:
        region = m.facts.get("region")
        where = vocab["region"].title(region) if region else "贵单位所在地区"
        msgs.append(f"本助手收录的三份文件只适用于山东省临清市和青海省的单位，不适用于{where}。"
                    "建议向当地的科技局或工业和信息化部门咨询当地政策。")
        return msgs
    quiet = []  # documents with nothing decided yet: one line each, at the end
    for dr in m.documents:
        d = dr.document
        rs = [r for r in m.results if r.entry.document is d]
        ok = sorted((r for r in rs if r.verdict == ELIGIBLE and r.entry.pays_money),
                    key=lambda r: -(r.amount.ranking if r.amount else 0))
        need = [r for r in rs if r.verdict == NEED_INFO and r.entry.pays_money]
        no = [r for r in rs if r.verdict == NOT_ELIGIBLE and r.entry.pays_money]
        if not ok and not no:
            if need:
                quiet.append(f"【{d.short}】{status_line(d, m.as_of)}。暂无确定可得的奖补，{len(need)}项还需信息，"
                             f"如{_need_brief(need[:2], vocab)}。")
            continue
        lines = [f"【{d.short}】{status_line(d, m.as_of)}"]
        seen: set[str] = set()
        for r in rs:
            for c in r.caveats:
                if c.document_wide and c.kind not in _SAID_BY_STATUS and c.text not in seen:
                    seen.add(c.text)
                    lines.append(f"⚠ {c.text}")
        if ok:
            lines.append(f"✅ 符合条件（{len(ok)}项）：" if dr.counted else
                         f"○ 符合原文条件（{len(ok)}项，{dr.status_text}，不计入确定可得）：")
            usual = Counter(contact_text(r.entry) for r in ok).most_common(1)[0][0]
            for i, r in enumerate(ok, 1):
                e = r.entry
                lines.append(f"{i}. {e.title}：{_how_much(r)}（{measure_label(e)}）")
                if not r.amount.sure:  # 最高 / 择优 / 绩效 / 一事一议 / a fact not yet known
                    lines.append(f"   金额未定：{r.amount.certainty_text}")
                if r.amount.missing:
                    lines.append("   精确金额还需：" + "、".join(short_label(vocab[f]) for f in r.amount.missing))
                for c in r.caveats:
                    if not c.document_wide and c.kind not in ("context", "stacking") and c.text not in seen:
                        seen.add(c.text)
                        lines.append(f"   注意：{c.text}")
                if contact_text(e) != usual:
                    lines.append(f"   {contact_text(e)}")
            lines.append(usual if len(ok) == 1 else usual.replace("联系：", "联系（以上各项）：", 1)
                         if all(contact_text(r.entry) == usual for r in ok) else usual.replace("联系：", "联系（其余各项）：", 1))
        lines += total_lines(dr)
        for c in dr.caps:
            lines.append(f"上限：{c.text}")
        if no:
            lines.append("❌ 不符合：" + "；".join(_no_brief(no, vocab)))
        if need:
            lines.append(f"❓ 还需信息（{len(need)}项），如：{_need_brief(_closest(need)[:3], vocab)}")
        msgs.append("\n".join(lines))
    if quiet:
        msgs.append("\n".join(quiet))
    if not msgs:
        msgs.append("按目前信息，这些文件中没有确定适用于贵单位的资金奖补。")
    tail = []
    if m.unlocks:
        grouped: dict[str, list[str]] = {}
        for u in m.unlocks:
            grouped.setdefault("，".join(f.text for f in u.findings), []).append(u.result.entry.title)
        tail.append("还可以争取：" + "；".join(f"若{condition_text(cond)}，可获“{titles[0]}”"
                                         + (f"等{len(titles)}项" if len(titles) > 1 else "")
                                         for cond, titles in list(grouped.items())[:2]))
    if m.next_facts:
        tail.append("告诉我这些可以判断更多：" + "、".join(short_label(vocab[f]) for f in m.next_facts[:3]))
    other = [r for r in m.results if r.verdict == ELIGIBLE and not r.entry.pays_money and r.entry.support != "governance"]
    if other and len(other) <= 2 and not msgs[0].startswith("【"):  # nothing else to say: name them
        tail.append("可以关注（非资金，不是确定待遇）：" + "；".join(
            f"{r.entry.title}（{r.entry.document.short} {measure_label(r.entry)}）" for r in other) + "。")
    elif other:
        name = re.sub(r"（.*?）", "", other[0].entry.document.short)
        tail.append(f"另有{len(other)}项非资金支持，可问我“{name}有哪些非资金支持”。")
    tail += _same_thing_twice(m)
    tail.append("以上依据文件原文判断，仅供参考，以主管部门审核为准。说“不对，……”可以更正信息。")
    msgs.append("\n".join(tail))
    return msgs


def _same_thing_twice(m: MatchResult) -> list[str]:
    """Two documents of one place paying for the same thing (a new platform in both Linqing
    texts): the texts do not say whether both are paid."""
    out = []
    by_region: dict[str, dict[str, dict]] = {}
    for r in m.results:
        if r.verdict == ELIGIBLE and r.entry.pays_money:
            for topic in r.entry.topics:
                by_region.setdefault(r.entry.document.region, {}).setdefault(topic, {}).setdefault(
                    r.entry.document.id, []).append(r.entry)
    for region, topics in by_region.items():
        both = [docs for docs in topics.values() if len(docs) > 1]
        if both:
            lead = lead_department(e for docs in both for es in docs.values() for e in es)
            out.append(f"注意：同一事项在本地两份文件中都有奖励，文件没有写明能否同时享受，请向{lead}确认。")
            break
    return out


_SAID_BY_STATUS = ("draft", "trial", "expired", "no_end_date")


def _how_much(r) -> str:
    """The computation without the fact's long name: "400万元 × 25% = 100万元", "今年首次认定 → 10万元"."""
    comp = r.amount.computation
    if not comp:
        return r.amount.text
    m = re.search(r"为“([^”]+)” → (.+)$", comp)
    if m:
        return f"{m.group(1)} → {m.group(2)}"
    m = re.search(r"[\d.]+(万|亿)?(元|件|个|%)?\s*×", comp)
    return comp[m.start():] if m else comp


def _closest(need):
    """Pending awards, the closest to a decision (fewest facts missing) and the biggest first."""
    return sorted(need, key=lambda r: (len(r.missing), -(r.amount.ranking if r.amount else 0)))


def _need_brief(rs, vocab: Vocabulary) -> str:
    parts = []
    for r in rs:
        facts = "、".join(short_label(vocab[f]) for f in r.missing[:2])
        unsettled = [f for f in r.findings if f.kind == "unsettled"]
        why = f"需要：{facts}" if facts else (f"原文未明确，请向{unsettled[0].ask}确认" if unsettled and unsettled[0].ask else "原文未明确")
        parts.append(f"{r.entry.title}（{why}）")
    return "、".join(parts)


def _no_brief(no, vocab: Vocabulary) -> list[str]:
    by_reason: dict[str, list[str]] = {}
    for r in no:
        failed = [f for f in r.findings if f.kind == "failed"]
        f = failed[0] if failed else None
        if f is None:
            why = "条件不符"
        elif f.actual is not None and f.fact in vocab and vocab[f.fact].type in ("enum", "bool") \
                and f.fact not in ("region", "entity_type"):
            why = fact_text(vocab[f.fact], f.actual)  # "今年未入库" says it better than the rule
        else:
            why = "未满足：" + f.text
        by_reason.setdefault(why, []).append(r.entry.title)
    out = []
    for why, titles in list(by_reason.items())[:3]:
        shown = "、".join(titles[:2]) + (f"等{len(titles)}项" if len(titles) > 2 else "")
        out.append(f"{shown}（{why}）")
    if len(by_reason) > 3:
        out.append(f"另有{sum(len(t) for t in list(by_reason.values())[3:])}项")
    return out


def status_line(doc: Document, as_of: dt.date) -> str:
    """What a document is on the day asked, in a few words."""
    v = doc.validity
    if doc.status == "draft":
        return "征求意见稿，未正式施行"
    if v.end and as_of > v.end:
        kind = "试行" if doc.status == "trial" else "有效期"
        return f"{kind}至{v.end:%Y年%m月%d日}，现已过期"
    if doc.status == "trial":
        return f"试行，至{v.end:%Y年%m月%d日}" if v.end else "试行"
    if v.start and not v.end:
        return f"{v.start:%Y年%m月%d日}起施行，未规定截止日期"
    return "正式施行"


def entry_expiry(e: Entry, as_of: dt.date) -> str | None:
    """An entry's own validity window, where it differs from its document's."""
    v = e.validity
    if v is e.document.validity or not v.end:
        return None
    span = f"执行期{v.start:%Y年%m月%d日}至{v.end:%Y年%m月%d日}" if v.start else f"执行至{v.end:%Y年%m月%d日}"
    return f"（{span}，{'现已过期' if as_of > v.end else '仍在执行期内'}）"


_IF_IN_FORCE = {"draft": "若征求意见稿按此文本施行", "expired": "若试行期未结束", "not_yet": "待文件生效后"}


def total_lines(dr) -> list[str]:
    """The document's total, said the same way in chat and in the CLI report: under both
    readings of 就高不重复 where the text leaves it open, and what a cap still leaves open.
    A document not in force on the date counts nothing: its total is said as "if in force"."""
    if getattr(dr, "if_in_force", dr) is not dr:
        lines = total_lines(dr.if_in_force)
        head = f"合计（{_IF_IN_FORCE.get(dr.status, '若文件有效')}，不计入确定可得）"
        return [line.replace("合计", head, 1) for line in lines]
    if not (dr.sure_total or dr.upper_total or dr.uncapped_total):
        return []
    open_base = any(c.applied and c.limit_min is None and c.base is None for c in dr.caps)
    st = dr.stacking
    other = st.readings.get("each_paid") if st is not None else None
    if open_base:  # the base of the cap (新增地方财力) is unknown: nothing is sure yet, only the uncapped sums
        strict = yuan_range(dr.uncapped_total, dr.uncapped_upper_total)
        lenient = yuan_range(other.uncapped_sure_total, other.uncapped_upper_total) if other else None
        tail = "；实际可得受下面的上限约束"
    else:
        capped = f"（已按上限计，未计上限时为{yuan(dr.uncapped_total)}）" if dr.uncapped_total > dr.sure_total else ""
        strict = yuan_range(dr.sure_total, dr.upper_total if dr.uncertain else dr.sure_total) + capped
        lenient = yuan_range(other.sure_total, other.upper_total) if other else None
        tail = ""
    what = "未计上限时" if open_base else ""
    if lenient is not None and lenient != strict:
        return [f"合计{('（' + what + '）') if what else ''}：按“就高不重复”只取最高一项时{strict}；若不同事项可分别享受，"
                f"{lenient}（原文未说明按哪种执行，请向{st.ask or '牵头部门'}确认）{tail}"]
    return [f"合计：{what}{strict}{tail}"]


