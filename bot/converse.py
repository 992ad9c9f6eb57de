"""Plays a conversation set (huiqi conversations 1.0) through the REST channel of a really
running assistant and reports how the conversations went.

    python -m bot.converse tests/conversations/dev_v1.yml            # starts its own servers
    python -m bot.converse SET.yml --url http://127.0.0.1:5005       # a server already running
    python -m bot.converse SET.yml --json results/conversations.json # where the report goes

Every message is sent with `metadata: {"huiqi_structured": true}`, so the replies carry the
structured answer (docs/answers.md): the runner reads the question asked (`question.fact`), the
focus and the facts known from it. What it reports:

- conversations right: every turn's and the final expectations met (goal >= 95%);
- single_award conversations with the figure in the first reply: the first turn's expectations
  met and a sum of money in it (goal: always);
- questions asked per conversation (median, max);
- first reply length in characters (p50, p95): all bot texts of the first turn;
- a question repeated unchanged: the same fact asked with the same text in two consecutive
  turns, the second turn answering nothing else (goal: never);
- a question whose fact decides nothing in focus: judged independently with the engine: the
  fact is neither missing from an entry in focus (or, for `all`, from any money entry) nor
  needed for its amount, given the facts the reply says are known (goal: never).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AS_OF = "2026-12-04"
MONEY = re.compile(r"\d+(\.\d+)?(万|亿)?元|\d+(\.\d+)?%")

_WIDE = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}


def normalise(text: str) -> str:
    """Full-width digits and letters to half-width, all whitespace removed ("，" kept)."""
    return re.sub(r"\s+", "", text.translate(_WIDE))


def check(expect: dict | None, text: str) -> list[str]:
    """The expectations a text fails (empty: all met)."""
    if not expect:
        return []
    t = normalise(text)
    fails = [f"missing {s!r}" for s in expect.get("contains") or () if normalise(s) not in t]
    for group in expect.get("contains_any") or ():
        if not any(normalise(s) in t for s in group):
            fails.append(f"none of {group!r}")
    fails += [f"unwanted {s!r}" for s in expect.get("not_contains") or () if normalise(s) in t]
    return fails


# -- talking to the assistant --------------------------------------------------------------------
def say(url: str, sender: str, message: str, structured: bool = True) -> list[dict]:
    body = {"sender": sender, "message": message}
    if structured:
        body["metadata"] = {"huiqi_structured": True}
    req = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read().decode("utf-8"))


# -- playing and judging ---------------------------------------------------------------------------
@dataclass
class Turn:
    user: str
    texts: list[str]
    answer: dict | None  # the structured answer of the turn (the last one, where several)
    fails: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def question(self) -> dict | None:
        return (self.answer or {}).get("question")


@dataclass
class Played:
    id: str
    kind: str
    turns: list[Turn] = field(default_factory=list)
    final_fails: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    undeciding: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.final_fails and not any(t.fails for t in self.turns)

    @property
    def questions(self) -> int:
        return sum(1 for t in self.turns if t.question)


class Judge:
    """Whether a question's fact decides something in the focus, by the engine itself."""

    def __init__(self):
        from huiqi.dialogue import implied_facts
        from huiqi.engine import ELIGIBLE, NEED_INFO, Engine
        from huiqi.tables import load_catalogue
        self.engine = Engine(load_catalogue())
        self.implied, self.ELIGIBLE, self.NEED_INFO = implied_facts, ELIGIBLE, NEED_INFO

    def decides(self, fact: str, focus: dict | None, known: dict, as_of: dt.date) -> bool:
        from huiqi.dialogue import profile_from_slots
        facts = profile_from_slots(self.engine.vocab, known)
        facts = {**facts, **self.implied(self.engine, facts)}
        facts.pop(fact, None)  # what the fact decides, before it is answered
        wanted = set((focus or {}).get("entries") or ())
        entries = [e for e in self.engine.cat.entries if e.pays_money and (not wanted or e.id in wanted)]
        if (focus or {}).get("kind") == "all" or not wanted:
            entries = [e for e in self.engine.cat.entries if e.pays_money]
        for e in entries:
            r = self.engine.judge(e, facts, as_of)
            if r.verdict == self.NEED_INFO and fact in r.missing:
                return True
            if r.verdict in (self.ELIGIBLE, self.NEED_INFO) and r.amount is not None and fact in r.amount.missing:
                return True
        if (focus or {}).get("kind") == "all":
            for dr in self.engine.match(facts, as_of).documents:
                if any(fact in c.missing for c in dr.caps if c.applied):
                    return True
        return False


def play(url: str, conv: dict, judge: Judge | None, run_id: str) -> Played:
    sender = f"{run_id}-{conv['id']}"
    p = Played(conv["id"], conv.get("kind", "mixed"))
    as_of = dt.date.fromisoformat(str(conv.get("as_of") or DEFAULT_AS_OF))
    for turn in conv["turns"]:
        replies = say(url, sender, turn["user"])
        texts = [r["text"] for r in replies if r.get("text")]
        customs = [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and "huiqi_answer" in r["custom"]]
        answer = customs[-1] if customs else None
        t = Turn(turn["user"], texts, answer, check(turn.get("expect"), "\n".join(texts)))
        if not texts:
            t.fails.append("no reply")
        if p.turns and t.question and p.turns[-1].question:
            prev = p.turns[-1]
            same = t.question.get("fact") == prev.question.get("fact") and t.text == prev.text
            if same and t.answer.get("kind") == "question":
                p.repeated.append(f"turn {len(p.turns) + 1}: {t.question.get('fact')}")
        if judge and t.question and t.question.get("fact"):
            if not judge.decides(t.question["fact"], t.answer.get("focus"), t.answer.get("facts") or {}, as_of):
                p.undeciding.append(f"turn {len(p.turns) + 1}: {t.question['fact']}")
        p.turns.append(t)
    p.final_fails = check(conv.get("final"), "\n".join(t.text for t in p.turns))
    return p


def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (k - lo), 1)


def report(played: list[Played], source: str) -> dict:
    singles = [p for p in played if p.kind == "single_award"]
    firsts = [len(p.turns[0].text) for p in played if p.turns]
    questions = [p.questions for p in played]
    single_ok = [p for p in singles if p.turns and not p.turns[0].fails and MONEY.search(p.turns[0].text)]
    return {
        "set": source,
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "conversations": len(played),
        "right": sum(p.right for p in played),
        "right_share": round(sum(p.right for p in played) / max(1, len(played)), 3),
        "single_award": len(singles),
        "single_award_figure_first": len(single_ok),
        "questions_median": statistics.median(questions) if questions else 0,
        "questions_max": max(questions, default=0),
        "first_reply_chars_p50": _pct(firsts, 0.5),
        "first_reply_chars_p95": _pct(firsts, 0.95),
        "repeated_questions": sum(len(p.repeated) for p in played),
        "undeciding_questions": sum(len(p.undeciding) for p in played),
        "failures": [{"id": p.id, "turns": [{"turn": i + 1, "user": t.user, "fails": t.fails, "reply": t.text[:400]}
                                            for i, t in enumerate(p.turns) if t.fails],
                      "final": p.final_fails, "repeated": p.repeated, "undeciding": p.undeciding}
                     for p in played if not p.right or p.repeated or p.undeciding],
        "per_conversation": [{"id": p.id, "kind": p.kind, "right": p.right, "questions": p.questions,
                              "first_reply_chars": len(p.turns[0].text) if p.turns else 0} for p in played],
    }


def transcript(p: Played) -> str:
    out = [f"== {p.id} ({p.kind})"]
    for t in p.turns:
        q = f"  [asks {t.question.get('fact')}]" if t.question else ""
        out += [f"U: {t.user}", f"B[{len(t.text)}]: {t.text}{q}"] + [f"  ✗ {f}" for f in t.fails]
    return "\n".join(out)


def run(path: Path, url: str | None = None, judge: bool = True, show: set[str] = frozenset()) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    convs = data["conversations"]
    servers = None
    if url is None:
        as_of = {str(c.get("as_of") or DEFAULT_AS_OF) for c in convs}
        if len(as_of) > 1:
            raise SystemExit("conversations with different as_of dates: run them against separate servers")
        from bot.launch import LocalAssistant  # as the demos start it: the action server on loopback
        servers = LocalAssistant(env={"HUIQI_AS_OF": as_of.pop()}).start()
        url = servers.url
    try:
        j = Judge() if judge else None
        run_id = f"conv{int(time.time())}"
        played = [play(url, c, j, run_id) for c in convs if not show or c["id"] in show or "all" in show]
        for p in played:
            if show:
                print(transcript(p))
    finally:
        if servers:
            servers.stop()
    return report(played, str(path))


def summary(r: dict) -> str:
    return "\n".join([
        f"set: {r['set']}",
        f"conversations right: {r['right']}/{r['conversations']} ({r['right_share']:.1%}; goal >= 95%)",
        f"single-award figure in the first reply: {r['single_award_figure_first']}/{r['single_award']} (goal: all)",
        f"questions per conversation: median {r['questions_median']}, max {r['questions_max']}",
        f"first reply length: p50 {r['first_reply_chars_p50']} chars, p95 {r['first_reply_chars_p95']} chars",
        f"questions repeated unchanged: {r['repeated_questions']} (goal: 0)",
        f"questions deciding nothing in focus: {r['undeciding_questions']} (goal: 0)",
    ] + [f"  FAIL {f['id']}: " + "; ".join(
        [f"turn {t['turn']} ({t['user']}): {', '.join(t['fails'])}" for t in f["turns"]]
        + ([f"final: {', '.join(f['final'])}"] if f["final"] else []) + f["repeated"] + f["undeciding"])
        for f in r["failures"]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("set", type=Path)
    ap.add_argument("--url", help="a running assistant (default: start one on free ports)")
    ap.add_argument("--json", type=Path, help="where to save the report (default: results/conversations-<set>.json)")
    ap.add_argument("--show", action="append", default=[], help="play only this conversation (or 'all') and print it")
    args = ap.parse_args(argv)
    r = run(args.set, args.url, show=set(args.show))
    out = args.json or ROOT / "results" / f"conversations-{args.set.stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(summary(r))
    print(f"report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
