"""`make loadtest`: many simulated owners holding whole conversations at once through the REST
channel, against the embedded default and the scaled-out setup, side by side.

    .venv/bin/python -m bot.loadtest [--quick] [--only embedded|scaled]
    .venv/bin/python -m bot.loadtest --against REV [--rounds N] [--seconds S]   (saturation beside REV)

Each owner tells a Linqing bearing company's facts one message at a time (TURNS), with its own
research ratio, then asks for the answer and checks it: every reply addressed to itself, every
reply non-empty, the final answer judged with every fact it gave and its own ratio (another
owner's ratio there = crossed; a fact missing, or no answer = lost turn). The answer is asked
for with `metadata: {"huiqi_structured": true}` and the facts read from its structured form
(docs/answers.md `facts`: the tracker's slots), not from the wording of its text. Then it starts
a new conversation.

Phases, each bounded in time and in messages:
  paced      OWNERS owners pausing 3-8 s between messages (a realistic load)
  saturation SAT_OWNERS owners sending without pause (the most messages a second the setup holds)
  long       during a paced phase, one owner sends 100,000 characters every 2 s: it must be
             refused within 1 s and nobody else slowed (the paced p95 is reported with it)

Setups: `embedded` (one Rasa process, SQLite, what `make run` starts) and `scaled` (PostgreSQL,
Redis, 2 replicas with their action servers behind nginx: bot.cluster). Everything on 127.0.0.1,
free ports, throwaway data; every process started here is stopped on the way out. Prints a table
and saves bench-results/loadtest.json. The machine is shared: note the load beside the figures.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
TURNS = ["我们是临清的企业", "是轴承企业", "规上", "今年第一次认定高企", "科小没入库", None, "就这些，先看结果"]
# the facts TURNS say, as rules/facts.yml names them (the research ratio, None above, is each owner's own)
KEPT = {"region": "linqing", "is_bearing_enterprise": True, "above_scale": True, "high_tech_status": "first",
        "tech_sme_status": "none"}
LONG = "高企" * 50_000


def ratio_of(n: int) -> str:
    """A research ratio of its own for owner conversation n (unique among 900 at a time)."""
    return f"{1 + (n % 900) / 10:g}"


class Stats:
    def __init__(self):
        self.lat: list[float] = []
        self.errors: list[str] = []
        self.crossed = self.lost = self.conversations = self.messages = 0
        self.long_lat: list[float] = []
        self.long_bad = 0
        self.t0 = self.t1 = 0.0

    def summary(self) -> dict:
        q = statistics.quantiles(self.lat, n=100) if len(self.lat) >= 2 else [float("nan")] * 99
        dur = max(self.t1 - self.t0, 1e-9)
        out = {"messages": self.messages, "seconds": round(dur, 1), "msg_per_s": round(self.messages / dur, 1),
               "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
               "errors": len(self.errors), "crossed": self.crossed, "lost": self.lost,
               "conversations_checked": self.conversations, "first_errors": self.errors[:5]}
        if self.long_lat:
            out.update(long_messages=len(self.long_lat), long_max_ms=round(max(self.long_lat) * 1000, 1),
                       long_not_refused=self.long_bad)
        return out


async def post(session, url: str, sender: str, message: str, timeout: float = 30.0, structured: bool = False):
    import aiohttp
    payload = {"sender": sender, "message": message}
    if structured:  # the answer's structured form too (docs/answers.md)
        payload["metadata"] = {"huiqi_structured": True}
    async with session.post(url, json=payload,
                            timeout=aiohttp.ClientTimeout(total=timeout)) as r:
        body = await r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}: {body[:120]!r}")
        return json.loads(body)


async def owner(k: int, url: str, stats: Stats, stop_at: float, budget: list, pause: tuple[float, float],
                rng: random.Random, run_id: str, counter: list):
    import aiohttp
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < stop_at and budget[0] > 0:
            n = counter[0]
            counter[0] += 1
            sender, ratio = f"{run_id}-{k}-{n}", ratio_of(n)
            final = None
            for i, turn in enumerate(TURNS):
                if time.monotonic() >= stop_at or budget[0] <= 0:
                    return
                budget[0] -= 1
                text = turn if turn is not None else f"研发占比{ratio}%"
                last = i == len(TURNS) - 1
                t0 = time.perf_counter()
                try:
                    replies = await post(session, url, sender, text, structured=last)
                except Exception as e:  # noqa: BLE001 - counted and reported
                    stats.errors.append(f"{sender}: {type(e).__name__} {e}"[:200])
                    break
                stats.lat.append(time.perf_counter() - t0)
                stats.messages += 1
                if not replies or not any(r.get("text") for r in replies):
                    stats.lost += 1
                if any(r.get("recipient_id") != sender for r in replies):
                    stats.crossed += 1
                if last:
                    final = replies
                if pause[1] > 0:
                    await asyncio.sleep(rng.uniform(*pause))
            else:
                stats.conversations += 1
                lost, crossed = check_answer(final, ratio)
                stats.lost += lost
                stats.crossed += crossed


def answer_facts(replies) -> dict | None:
    """The facts of the turn's structured answer (kind `answer`), or None when it is not an answer."""
    objs = [r["custom"] for r in replies or [] if isinstance(r.get("custom"), dict) and "huiqi_answer" in r["custom"]]
    if not objs or objs[-1].get("kind") != "answer":
        return None
    facts = objs[-1].get("facts")
    return facts if isinstance(facts, dict) else {}


def check_answer(replies, ratio: str) -> tuple[int, int]:
    """(lost, crossed) for one conversation's final turn: lost when there is no answer or a fact
    said is missing from it (or has another value), crossed when it holds another owner's ratio."""
    facts = answer_facts(replies)
    if facts is None:
        return 1, 0
    lost = int(any(facts.get(k) != v for k, v in KEPT.items()))
    said = facts.get("rd_ratio")
    if said is None:
        return 1, 0
    if not isinstance(said, (int, float)) or abs(said - float(ratio)) > 1e-9:
        return lost, 1
    return lost, 0


async def long_sender(url: str, stats: Stats, stop_at: float):
    import aiohttp
    async with aiohttp.ClientSession() as session:
        i = 0
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                replies = await post(session, url, f"long-{i}", LONG, timeout=10)
                if "太长" not in "".join(r.get("text") or "" for r in replies):
                    stats.long_bad += 1
            except Exception:  # noqa: BLE001
                stats.long_bad += 1
            stats.long_lat.append(time.perf_counter() - t0)
            i += 1
            await asyncio.sleep(2)


def run_phase(url: str, owners: int, seconds: float, max_messages: int, pause: tuple[float, float],
              with_long: bool = False, seed: int = 42) -> dict:
    stats = Stats()
    rng = random.Random(seed)
    run_id = f"lt{int(time.time() * 1000) % 10**8}-{seed}"

    async def main():
        stop_at = time.monotonic() + seconds
        budget, counter = [max_messages], [0]
        stats.t0 = time.monotonic()
        tasks = []
        for k in range(owners):
            tasks.append(asyncio.create_task(owner(k, url + "/webhooks/rest/webhook", stats, stop_at, budget, pause,
                                                   random.Random(rng.random()), run_id, counter)))
            if pause[1] > 0:
                await asyncio.sleep(pause[1] / owners)  # owners arrive spread over one pause
        if with_long:
            tasks.append(asyncio.create_task(long_sender(url + "/webhooks/rest/webhook", stats, stop_at)))
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 90)
        stats.t1 = time.monotonic()

    asyncio.run(main())
    return stats.summary()


# -- the setups ------------------------------------------------------------------------------
class Embedded:
    name = "embedded (1 process, SQLite)"

    def __init__(self, workdir: Path):
        from tests.conftest import Assistant
        self.a = Assistant(workdir)

    def __enter__(self):
        self.a.start_actions()
        self.a.start_server()
        self.url = self.a.url
        return self

    def __exit__(self, *exc):
        self.a.stop()

    def pids(self):
        return [self.a.server.pid]


class Scaled:
    def __init__(self, workdir: Path, replicas: int = 2):
        self.workdir, self.replicas = workdir, replicas
        self.name = f"scaled ({replicas} replicas, PostgreSQL, Redis, nginx)"

    def __enter__(self):
        from bot import services
        from bot.cluster import Cluster, free_port
        self.d = Path(tempfile.mkdtemp(prefix="huiqi-services-"))
        self.d.chmod(0o755)
        env = {**services.start_postgres(self.d, free_port()), **services.start_redis(self.d, free_port())}
        self.c = Cluster(self.workdir / "cluster", self.replicas, None, env)
        try:
            self.c.start()
        except BaseException:
            self.__exit__()
            raise
        self.url = self.c.url
        return self

    def __exit__(self, *exc):
        from bot import services
        self.c.stop()
        services.stop_redis(self.d)
        services.stop_postgres(self.d)
        shutil.rmtree(self.d, ignore_errors=True)

    def pids(self):
        return [p.pid for p in self.c.rasa if p]


PLANS = {
    "full": {"paced": dict(owners=100, seconds=120, max_messages=5000, pause=(3.0, 8.0), with_long=True),
             "saturation": dict(owners=24, seconds=45, max_messages=20000, pause=(0.0, 0.0))},
    "quick": {"paced": dict(owners=20, seconds=20, max_messages=600, pause=(0.3, 0.8), with_long=True),
              "saturation": dict(owners=8, seconds=10, max_messages=3000, pause=(0.0, 0.0))},
}


def machine() -> dict:
    cpu = "?"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "load_before": os.getloadavg()[0]}


# -- saturation beside an earlier version (the goal is a ratio to the code the issue measured) ----
#: started in a child process for each version: that version's own servers (its tests/conftest.py
#: Assistant, as `make run` starts them), this version's owners (run_phase, loaded by path)
_ONE_SATURATION = """
import json, os, sys, tempfile, importlib.util
from pathlib import Path
tree, here, seconds, owners = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
os.environ["PYTHONPATH"] = tree  # its servers import its own code (the venv's install is this tree's)
sys.path.insert(0, tree)
spec = importlib.util.spec_from_file_location("huiqi_loadtest_owners", Path(here) / "bot" / "loadtest.py")
lt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lt)
from tests.conftest import Assistant
a = Assistant(Path(tempfile.mkdtemp(prefix="huiqi-against-")))
try:
    a.start_actions()
    a.start_server()
    lt.run_phase(a.url, owners=8, seconds=4, max_messages=3000, pause=(0.0, 0.0))  # warm-up
    print(json.dumps(lt.run_phase(a.url, owners=owners, seconds=seconds, max_messages=50000, pause=(0.0, 0.0))))
finally:
    a.stop()
"""


def against(rev: str, rounds: int, seconds: float, owners: int = 24) -> dict:
    """Saturation of this working tree and of git revision `rev`, in alternating rounds on the same
    machine (a shared machine drifts: only side-by-side figures compare). `rev` is checked out in a
    temporary worktree sharing this checkout's .venv, and its model trained there if needed."""
    tree = Path(tempfile.mkdtemp(prefix="huiqi-rev-"))
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(tree), rev], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        (tree / ".venv").symlink_to(ROOT / ".venv")
        env = {**os.environ, "PYTHONPATH": str(tree)}
        print(f"== training {rev}'s model in {tree} (when needed)", flush=True)
        t = subprocess.run([str(tree / "scripts" / "train-if-needed")], cwd=tree, env=env, capture_output=True, text=True)
        if t.returncode != 0:
            raise RuntimeError(f"training {rev}: {t.stderr[-1500:]}")
        if rev == "HEAD":
            raise SystemExit("--against HEAD compares this tree with itself: name an earlier revision")
        runs: dict[str, list[dict]] = {rev: [], "HEAD": []}
        for i in range(rounds):
            for name, where in ((rev, tree), ("HEAD", ROOT)):
                r = subprocess.run([sys.executable, "-c", _ONE_SATURATION, str(where), str(ROOT), str(seconds), str(owners)],
                                   cwd=where, capture_output=True, text=True, timeout=seconds + 400)
                if r.returncode != 0:
                    raise RuntimeError(f"{name}: {r.stderr[-1500:]}")
                runs[name].append(json.loads(r.stdout.strip().splitlines()[-1]))
                print(f"   round {i + 1} {name}: {runs[name][-1]['msg_per_s']} msg/s, "
                      f"p50 {runs[name][-1]['p50_ms']} ms, errors {runs[name][-1]['errors']}", flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(tree, ignore_errors=True)
    med = {k: round(statistics.median(r["msg_per_s"] for r in v), 1) for k, v in runs.items()}
    pairs = [h["msg_per_s"] / b["msg_per_s"] for h, b in zip(runs["HEAD"], runs[rev]) if b["msg_per_s"]]
    return {"machine": machine(), "rev": rev, "owners": owners, "seconds": seconds, "runs": runs,
            "median_msg_per_s": med, "ratio_of_medians": round(med["HEAD"] / med[rev], 2) if med[rev] else None,
            "ratio_per_round": [round(x, 2) for x in pairs]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a short run (~2 min)")
    p.add_argument("--only", choices=["embedded", "scaled"])
    p.add_argument("--against", metavar="REV", help="saturation of the embedded setup beside git revision REV, "
                                                    "in alternating rounds (the ratio is the figure)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=30.0)
    a = p.parse_args(argv)
    if a.against:
        res = against(a.against, a.rounds, a.seconds)
        OUT.mkdir(exist_ok=True)
        (OUT / "loadtest-against.json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"saturation, {res['owners']} owners without pauses, {a.rounds} alternating rounds of {a.seconds:g} s:")
        print(f"  {a.against}: median {res['median_msg_per_s'][a.against]} msg/s; HEAD (this tree): median "
              f"{res['median_msg_per_s']['HEAD']} msg/s; ratio {res['ratio_of_medians']} "
              f"(per round {res['ratio_per_round']})")
        bad = any(r["errors"] for r in res["runs"]["HEAD"])
        return 1 if bad else 0
    plan = PLANS["quick" if a.quick else "full"]
    results = {"machine": machine(), "plan": "quick" if a.quick else "full", "setups": {}}
    work = Path(tempfile.mkdtemp(prefix="huiqi-loadtest-"))
    setups = [("embedded", lambda: Embedded(work / "embedded")), ("scaled", lambda: Scaled(work / "scaled"))]
    try:
        for key, make in setups:
            if a.only and key != a.only:
                continue
            (work / key).mkdir(parents=True, exist_ok=True)
            with make() as s:
                print(f"== {s.name} on {s.url}", flush=True)
                r = {}
                for phase, kw in plan.items():
                    r[phase] = run_phase(s.url, **kw)
                    print(f"   {phase}: {json.dumps(r[phase], ensure_ascii=False)}", flush=True)
                results["setups"][key] = {"name": s.name, **r}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    OUT.mkdir(exist_ok=True)
    (OUT / "loadtest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(results))
    bad = any(ph["errors"] or ph["crossed"] or ph["lost"] for s in results["setups"].values()
              for ph in (s["paced"], s["saturation"]))
    return 1 if bad else 0


def table(results: dict) -> str:
    rows = ["| setup | phase | owners | msg/s | p50 ms | p95 ms | p99 ms | errors | crossed | lost | long msg max ms |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    plan = PLANS[results["plan"]]
    for s in results["setups"].values():
        for phase in ("paced", "saturation"):
            r = s[phase]
            rows.append(f"| {s['name']} | {phase} | {plan[phase]['owners']} | {r['msg_per_s']} | {r['p50_ms']} | "
                        f"{r['p95_ms']} | {r['p99_ms']} | {r['errors']} | {r['crossed']} | {r['lost']} | "
                        f"{r.get('long_max_ms', '')} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
