"""`huiqi`: match a profile, show or list entries, check the tables."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .engine import Engine, result_json
from .errors import HuiqiError, TableError
from .report import render, render_entry
from .tables import SUPPORT, default_rules_dir, load_catalogue
from .vocabulary import load_vocabulary


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="huiqi", description="惠企：科技政策奖补规则表与匹配引擎")
    p.add_argument("--rules", type=Path, help="rules folder (default: the project's rules/)")
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("match", help="match a company profile (JSON, docs/profile.md) against every entry")
    m.add_argument("profile", help="profile JSON file, or - for standard input")
    m.add_argument("--json", action="store_true", help="print the verdicts as JSON (docs/verdicts.md)")
    m.add_argument("--as-of", type=_date, help="the date to judge validity on (default: today)")
    m.add_argument("--verbose", action="store_true", help="quote and cite every entry, not only the eligible ones")
    s = sub.add_parser("show", help="show one entry (id, id prefix, or words of its title)")
    s.add_argument("entry")
    ls = sub.add_parser("list", help="list entries")
    ls.add_argument("--region", help="linqing | qinghai")
    ls.add_argument("--beneficiary", help="enterprise | university | research_institute | individual | government | financial_institution")
    ls.add_argument("--document", help="document id")
    ls.add_argument("--support", help=", ".join(SUPPORT))
    an = sub.add_parser("annotate", help="write the annotated documents (HTML: source text beside the entries that encode it)")
    an.add_argument("document", nargs="?", help="document id (default: every document)")
    an.add_argument("-o", "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "annotated",
                    help="output folder (default: docs/annotated/)")
    sub.add_parser("check", help="validate every table; non-zero exit with file:entry:field messages")
    sub.add_parser("schema", help="print the JSON Schema of the profile format")
    a = p.parse_args(argv)

    if a.cmd == "schema":  # needs only the fact vocabulary
        try:
            vocab = load_vocabulary((a.rules or default_rules_dir()) / "facts.yml")
        except TableError as e:
            for prob in e.problems:
                print(prob, file=sys.stderr)
            return 1
        print(json.dumps(vocab.json_schema(), ensure_ascii=False, indent=2))
        return 0
    try:
        cat = load_catalogue(a.rules)
    except TableError as e:
        for prob in e.problems:
            print(prob, file=sys.stderr)
        print(f"huiqi: {len(e.problems)} problem(s) in the rule tables; nothing loaded", file=sys.stderr)
        return 1

    if a.cmd == "check":
        n = {d: sum(1 for e in cat.entries if e.document.id == d) for d in cat.documents}
        for d, doc in cat.documents.items():
            print(f"{doc.source.name}: {len(doc.measures)} measures, {n[d]} entries — ok")
        print(f"{len(cat.vocab.facts)} facts, {len(cat.entries)} entries: ok")
        return 0
    if a.cmd == "annotate":
        from .annotate import write_all
        if a.document and a.document not in cat.documents:
            print(f"huiqi: no document {a.document!r}; documents: {', '.join(cat.documents)}", file=sys.stderr)
            return 2
        for path in write_all(cat, a.out, a.document):
            print(path)
        return 0
    if a.cmd == "show":
        found = cat.find(a.entry)
        if not found:
            print(f"huiqi: no entry matches {a.entry!r}; try `huiqi list`", file=sys.stderr)
            return 2
        print("\n\n".join(render_entry(e, cat.vocab) for e in found))
        return 0
    if a.cmd == "list":
        rows = [e for e in cat.entries
                if (not a.region or e.document.region == a.region)
                and (not a.beneficiary or a.beneficiary in e.beneficiary)
                and (not a.document or e.document.id == a.document)
                and (not a.support or e.support == a.support)]
        for e in rows:
            amt = e.amount.compute({}).text
            print(f"{e.id}\t{e.title}\t{SUPPORT[e.support]}\t{amt}")
        print(f"({len(rows)} entries)", file=sys.stderr)
        return 0
    # match
    try:
        text = sys.stdin.read() if a.profile == "-" else Path(a.profile).read_text(encoding="utf-8")
    except OSError as e:
        print(f"huiqi: cannot read {a.profile}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"huiqi: {a.profile}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}", file=sys.stderr)
        return 2
    try:
        facts = cat.vocab.profile_from_json(doc)
    except HuiqiError as e:
        for prob in e.problems:
            print(f"{a.profile}: {prob}", file=sys.stderr)
        return 2
    result = Engine(cat).match(facts, a.as_of)
    if a.json:
        print(json.dumps(result_json(result, cat.vocab), ensure_ascii=False, indent=2, default=str))
    else:
        print(render(result, cat.vocab, a.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
