"""`make bench` (engine part): profiles matched per second against the whole catalogue.

Prints the figures and saves them to bench-results/engine.json. Not a test: the machine is
shared and noisy, so the figures are for comparing side by side in one run.
"""
from __future__ import annotations

import datetime as dt
import json
import platform
import random
import time
from pathlib import Path

from .engine import Engine
from .tables import load_catalogue
from .vocabulary import Vocabulary


def random_profiles(vocab: Vocabulary, n: int, seed: int = 7) -> list[dict]:
    """Profiles with a random half of the facts known, values drawn from each fact's type."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        p = {}
        for f in vocab:
            if rnd.random() < 0.5:
                continue
            if f.type == "enum":
                p[f.id] = rnd.choice(list(f.values))
            elif f.type == "bool":
                p[f.id] = rnd.random() < 0.5
            elif f.type == "percent":
                p[f.id] = round(rnd.uniform(0, 12), 1)
            elif f.type == "count":
                p[f.id] = rnd.randint(0, 12)
            elif f.type == "money":
                p[f.id] = rnd.randint(0, 30_000_000)
            else:
                p[f.id] = rnd.randint(0, 10)
        out.append(p)
    return out


def run(seconds: float = 3.0) -> dict:
    cat = load_catalogue()
    eng = Engine(cat)
    today = dt.date.today()
    profiles = random_profiles(cat.vocab, 2000)
    for p in profiles[:50]:  # warm the caveat cache as a running server would be
        eng.match(p, today)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for p in profiles:
            eng.match(p, today)
        done += len(profiles)
    elapsed = time.perf_counter() - start
    # The same profiles to a complete answer: totals, explanations, JSON (docs/verdicts.md).
    from .engine import result_json
    full_n, full_start = 0, time.perf_counter()
    while time.perf_counter() - full_start < seconds / 2:
        for p in profiles[:200]:
            json.dumps(result_json(eng.match(p, today), cat.vocab), ensure_ascii=False, default=str)
        full_n += 200
    full_elapsed = time.perf_counter() - full_start
    return {
        "full_answers_per_second": round(full_n / full_elapsed),
        "what": "engine.match: one profile against the whole catalogue (every entry's verdict), single process; "
                "profiles have a random half of the facts known",
        "entries": len(cat.entries), "profiles": done, "seconds": round(elapsed, 3),
        "profiles_per_second": round(done / elapsed), "goal_per_second": 10_000,
        "python": platform.python_version(), "date": today.isoformat(),
    }


def main() -> None:
    r = run()
    print(f"engine: {r['profiles_per_second']:,} profiles/s against {r['entries']} entries "
          f"({r['profiles']:,} profiles in {r['seconds']} s; goal ≥ {r['goal_per_second']:,}/s)")
    print(f"engine: {r['full_answers_per_second']:,} complete answers/s (verdicts + amounts, computations, "
          f"caveats, totals, serialised to JSON)")
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "engine.json").write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"saved {out / 'engine.json'}")


if __name__ == "__main__":
    main()
