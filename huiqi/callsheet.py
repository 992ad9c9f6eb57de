"""What the hotline console shows during a call, from the conversation's slots: the facts
collected (given or implied), the facts still unknown that decide an award, one compact card
per money award, and the plain-text call summary staff copy into their records.

Rasa-independent (bot/channels/hotline.py calls it with a tracker's slots). Every figure,
condition, department and citation comes from the rule tables through the engine; this
module adds only its own headings and labels.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from . import dialogue
from .answers import measure_label, short_label, status_line, total_lines
from .engine import ELIGIBLE, NEED_INFO, NOT_ELIGIBLE, STATUS_TAGS, Engine
from .report import finding_text, quote_text
from .vocabulary import to_json

VERDICT_ZH = {ELIGIBLE: "符合", NEED_INFO: "待确认", NOT_ELIGIBLE: "不符合"}
_ORDER = {ELIGIBLE: 0, NEED_INFO: 1, NOT_ELIGIBLE: 2}


def fact_row(fact, value: Any = None, implied: bool = False, skipped: bool = False) -> dict:
    row = {"id": fact.id, "label": short_label(fact), "type": fact.type, "unit": fact.unit,
           "choices": [{"value": v, "title": t} for v, t in fact.choices()]}
    if value is not None:
        row.update(value=to_json(value), title=fact.title(value), implied=implied)
    else:
        row.update(skipped=skipped)
    return row


def card(r, as_of: dt.date, vocab) -> dict:
    e, d = r.entry, r.entry.document
    # an award whose conditions hold under a text not in force on the day is no sure money
    stale = STATUS_TAGS.get(r.status) or None
    c = {"entry": e.id, "title": e.title, "verdict": r.verdict,
         "verdict_zh": VERDICT_ZH[r.verdict] + (f"·{stale}" if stale and r.verdict != NOT_ELIGIBLE else ""),
         "in_force": stale is None,
         "document": d.short, "document_title": d.title, "number": d.number, "measure": measure_label(e),
         "status": status_line(d, as_of), "departments": e.departments.text(),
         "lead": list(e.departments.lead), "quote": quote_text(e.quote), "amount": None, "why": []}
    if r.verdict in (ELIGIBLE, NEED_INFO) and r.amount is not None:
        c["amount"] = r.amount.computation or r.amount.text
        if r.amount.computation and r.amount.text and r.amount.text not in r.amount.computation:
            c["amount"] = f"{r.amount.text}（{r.amount.computation}）"
    else:
        c["amount"] = e.amount.compute({}).text  # the rule as the document words it
    if r.verdict == NOT_ELIGIBLE:
        c["why"] = [finding_text(f, vocab) for f in r.findings if f.kind == "failed"][:2]
    elif r.verdict == NEED_INFO:
        missing = [short_label(vocab[f]) for f in r.missing]
        c["why"] = (["需要：" + "、".join(missing)] if missing else []) + \
                   [finding_text(f, vocab) for f in r.findings if f.kind == "unsettled"][:1]
    if r.stacking_note:
        c["why"].append(r.stacking_note)
    return c


def _asked(fact) -> bool:
    return fact.ask is not None and fact.ask < dialogue.FORM_ASK_LIMIT


def call_state(engine: Engine, slots: dict[str, Any], as_of: dt.date) -> dict:
    """The console's view of a call from the conversation's slots."""
    vocab = engine.vocab
    given = dialogue.profile_from_slots(vocab, slots)
    implied = dialogue.implied_facts(engine, given)
    facts = {**given, **implied}
    skipped = [f for f in (slots.get("skipped_facts") or []) if f in vocab.facts and f not in facts]
    m = engine.match(facts, as_of)
    results = [r for r in m.results if r.entry.pays_money and r.verdict in _ORDER]
    results.sort(key=lambda r: (_ORDER[r.verdict],
                                -(r.amount.ranking if r.amount is not None else 0)))
    # still unknown: what the pending awards need, in the order the assistant asks
    wanted: list[str] = []
    for r in results:
        if r.verdict == NEED_INFO:
            wanted += [f for f in r.missing if f not in facts and f not in wanted]
        elif r.verdict == ELIGIBLE and r.amount is not None:
            wanted += [f for f in r.amount.missing if f not in facts and f not in wanted]
    for dr in m.documents:
        for cap in dr.caps:
            if cap.applied:
                wanted += [f for f in cap.missing if f not in facts and f not in wanted]
    wanted.sort(key=lambda f: (vocab[f].ask is None, vocab[f].ask or 0))
    totals = []
    for dr in m.documents:
        lines = total_lines(dr)
        if lines:
            totals.append({"document": dr.document.short, "text": lines[0]})
    caveats = []
    for dr in m.documents:
        caveats.append(f"《{dr.document.short}》：{status_line(dr.document, as_of)}")
    return {
        "as_of": as_of.isoformat(),
        "facts": [fact_row(vocab[f], v, implied=f in implied) for f, v in facts.items()],
        # the ones the assistant asks in a call first (rules/facts.yml `ask`), then the rest
        "unknown": [{**fact_row(vocab[f], skipped=f in skipped), "main": _asked(vocab[f])} for f in wanted],
        "cards": [card(r, as_of, vocab) for r in results],
        "totals": totals,
        "documents": caveats,
    }


def summary(state: dict, transcript_start: str | None = None) -> str:
    """The plain-text record of the call: facts, awards with amounts and citations, departments,
    what is still unknown."""
    out = [f"惠企政策热线 通话记录（按{dt.date.fromisoformat(state['as_of']):%Y年%m月%d日}的文件状态判断）"]
    if transcript_start:
        out.append(f"来电时间：{transcript_start}")
    out.append("")
    out.append("一、企业情况")
    if state["facts"]:
        for f in state["facts"]:
            out.append(f"- {f['label']}：{f['title']}" + ("（按所述情况推定）" if f.get("implied") else ""))
    else:
        out.append("- （尚未了解）")
    out.append("")
    out.append("二、奖补结果")
    if not state["cards"]:
        out.append("- （按已知情况，没有可判断的资金奖补）")
    for c in state["cards"]:
        line = f"- 【{c['verdict_zh']}】{c['title']}"
        if c["amount"]:
            line += f"：{c['amount']}"
        out.append(line)
        for w in c["why"]:
            out.append(f"  {w}")
        out.append(f"  依据：《{c['document_title']}》" + (f"（{c['number']}）" if c["number"] else "")
                   + f"{c['measure']}：“{c['quote']}”")
        out.append(f"  {c['status']}；部门：{c['departments']}")
    for t in state["totals"]:
        out.append(f"- {t['document']}{t['text']}")
    out.append("")
    out.append("三、涉及部门")
    leads: list[str] = []
    for c in state["cards"]:
        if c["verdict"] != NOT_ELIGIBLE:
            leads += [d for d in c["lead"] if d not in leads]
    out.append("- " + ("、".join(leads) if leads else "（无）"))
    out.append("")
    out.append("四、尚不清楚")
    main = [f for f in state["unknown"] if f.get("main")]
    rest = [f for f in state["unknown"] if not f.get("main")]
    for f in main:
        out.append(f"- {f['label']}" + ("（来电人不清楚）" if f.get("skipped") else ""))
    if rest:
        out.append("- 其他可能相关：" + "、".join(f["label"] + ("（来电人不清楚）" if f.get("skipped") else "") for f in rest))
    if not state["unknown"]:
        out.append("- （无）")
    if state["documents"]:
        out.append("")
        out.append("五、文件状态")
        out += [f"- {d}" for d in state["documents"]]
    return "\n".join(out) + "\n"
