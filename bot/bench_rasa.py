"""`make bench` (Rasa part): our configuration against Rasa's default, side by side, same data,
same run.

    .venv/bin/python -m bot.bench_rasa [--messages 200]

  A.  ours      config.yml, served by `python -m bot.serve run` (what `make run` starts)
  A0. ours      the same model served by plain `rasa run`: what bot.serve's fixes buy
  B.  default   the pipeline and policies `rasa init` writes (DIETClassifier + TEDPolicy …),
                adapted only as Chinese needs (bench-results/config_default.yml says how),
                served by plain `rasa run`.

For each, trained then served before the next: training time (`rasa train`, wall seconds, empty
cache), cold start (server process start → first non-empty REST reply to 你好), REST latency
for one user (p50/p95 over --messages texts from tests/nlu_dev/dev.yml, a fresh conversation every
10 messages), held-out NLU scores (bot.nlu_eval.evaluate, predictions from that server's
/model/parse, which are also timed), and peak memory (VmHWM of the Rasa server process).
The whole Rasa part is bounded by TOTAL_BUDGET (B's 100-epoch training takes most of it).

Everything runs on 127.0.0.1 with free ports, a throwaway SQLite tracker store and the project's
action server; every process started here is stopped on the way out, errors included. The
machine is shared and noisy: compare the columns (and the ratios), not the absolute figures
across runs. Prints a table and saves bench-results/rasa.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from bot.serve import write_endpoints
from bot.launch import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "bench-results"
HELDOUT = ROOT / "tests" / "nlu_heldout" / "heldout_v5.yml"
DEV = ROOT / "tests" / "nlu_dev" / "dev.yml"
SEED = 42
TOTAL_BUDGET = 11.6 * 60  # seconds for the whole Rasa part; steps get what is left of it
SERVE_RESERVE = 75.0      # kept back from training B for serving and scoring it (~60 s measured)

GOALS = {"cold_start_s": 5.0, "p95_ms": 50.0, "train_s": 60.0}

# Rasa's default as `rasa init` writes it (rasa/cli/initial_project/config.yml, 3.6.21: the
# commented-out defaults), adapted only as Chinese needs. Written to bench-results/.
DEFAULT_CONFIG = """\
# Rasa's default configuration as `rasa init` (3.6.21) writes it, for the benchmark only
# (bot/bench_rasa.py). Changes from the rasa init template, all needed for Chinese or for a
# fair, repeatable comparison:
#   - language: zh, and JiebaTokenizer with our dictionary instead of WhitespaceTokenizer
#     (whitespace tokenisation makes one token of a whole Chinese sentence);
#   - RegexFeaturizer use_word_boundaries: false (\\b never matches between Chinese characters,
#     so the lookup tables would match nothing);
#   - random_seed: 42 on DIETClassifier, ResponseSelector and TEDPolicy;
#   - epochs as rasa init writes them (100).
# Our FactEntityExtractor is deliberately NOT here: entities come from DIET alone, and our
# training data has no entity annotations (facts are extracted by rule), so DIET finds none.
# RulePolicy is kept (it is in the default) so the eligibility form works.
recipe: default.v1
assistant_id: huiqi_default_bench
language: zh

pipeline:
  - name: JiebaTokenizer
    dictionary_path: data/jieba
  - name: RegexFeaturizer
    use_word_boundaries: false
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
    random_seed: 42
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
    random_seed: 42
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1

policies:
  - name: MemoizationPolicy
  - name: TEDPolicy
    max_history: 5
    epochs: 100
    random_seed: 42
  - name: RulePolicy
"""


class BenchError(RuntimeError):
    pass


class Budget:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self, cap: float, reserve: float = 0.0) -> float:
        """Seconds a step may take: at most `cap`, keeping `reserve` for the steps after it."""
        left = self.end - time.monotonic() - reserve
        if left < 5:
            raise BenchError("the benchmark's time budget is spent")
        return min(cap, left)


def base_env(**extra: str) -> dict:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONHASHSEED": "0"}
    env.update(extra)
    return env


class Procs:
    """Every process this benchmark starts, each in its own session so it is stopped with
    its children."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def spawn(self, args: list[str], log: Path, env: dict) -> subprocess.Popen:
        p = subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                             stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p

    @staticmethod
    def stop(p: subprocess.Popen | None) -> None:
        if p is None or p.poll() is not None:
            return
        try:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=10)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for p in reversed(self.procs):
            try:
                self.stop(p)
            except Exception as e:  # keep stopping the others
                print(f"could not stop pid {p.pid}: {e}", file=sys.stderr)


def tail(log: Path, n: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return ""


def post(url: str, sender: str, text: str, timeout: float) -> list:
    req = urllib.request.Request(url, data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode("utf-8"))


def get_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a process, plus that of its descendants if any (Sanic with one worker has none)."""
    def hwm(p: int) -> int:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def children(p: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return out

    total, todo, seen = 0, [pid], set()
    while todo and len(seen) < 64:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += hwm(p)
        todo += children(p)
    return round(total / 1024, 1) if total else None


def progress(log: Path) -> str:
    """The last tqdm progress line of a training log ("Epochs:  85%| … 85/100 …"), if any."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n")
    except OSError:
        return ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("Epochs:")]
    return lines[-1][:60] if lines else ""


def train(procs: Procs, name: str, config: Path, work: Path, budget: Budget,
          reserve: float) -> tuple[float, Path]:
    """`rasa train` with an empty cache of its own (the project's .rasa/cache would make a
    retrain nearly free, and is left alone)."""
    out = work / "models"
    log = work / f"train-{name}.log"
    env = base_env(RASA_CACHE_DIRECTORY=str(work / f"cache-{name}"))
    args = [str(BIN / "rasa"), "train", "--config", str(config), "--domain", "domain.yml", "--data", "data",
            "--out", str(out), "--fixed-model-name", name]
    limit = budget.left(900, reserve)
    start = time.perf_counter()
    p = procs.spawn(args, log, env)
    try:
        rc = p.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        procs.stop(p)
        raise BenchError(f"training {name} did not finish within the {limit:.0f} s left of the time budget "
                         f"(last progress: {progress(log) or 'none'}); log {log}")
    seconds = time.perf_counter() - start
    model = out / f"{name}.tar.gz"
    if rc != 0 or not model.exists():
        raise BenchError(f"training {name} failed (exit {rc}); log {log}:\n{tail(log)}")
    return seconds, model


def start_actions(procs: Procs, work: Path, budget: Budget) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log = work / "actions.log"
    p = procs.spawn([str(BIN / "rasa"), "run", "actions", "--port", str(port), "--actions", "actions", "--quiet"],
                    log, base_env())
    deadline = time.monotonic() + budget.left(120)
    while time.monotonic() < deadline:
        if p.poll() is not None:
            raise BenchError(f"the action server exited ({p.returncode}); log {log}:\n{tail(log)}")
        if get_ok(f"http://127.0.0.1:{port}/health"):
            return p, port
        time.sleep(0.2)
    raise BenchError(f"the action server was not up in time; log {log}:\n{tail(log)}")


def serve(procs: Procs, name: str, model: Path, action_port: int, texts: list[str], heldout: Path,
          work: Path, budget: Budget, run_id: str, launcher: str = "rasa") -> dict:
    """Cold start, REST latency for one user, held-out scores (with NLU parse timings) and peak
    memory of one server: `rasa run`, or with launcher="bot.serve" the same arguments through
    `python -m bot.serve run` (what `make run` starts)."""
    d = work / f"serve-{name}"
    d.mkdir()
    endpoints = d / "endpoints.yml"
    write_endpoints(endpoints, action_port, d / "tracker.db")
    port = free_port()
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    log = d / "rasa.log"
    head = [str(BIN / "python"), "-m", "bot.serve", "run"] if launcher == "bot.serve" else [str(BIN / "rasa"), "run"]
    args = head + ["--model", str(model), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1", "--port", str(port),
            "--enable-api", "--quiet"]  # HTTP API (on 127.0.0.1) only for /model/parse: scoring
    start = time.perf_counter()
    server = procs.spawn(args, log, base_env())
    try:
        # Cold start: process start until the first non-empty reply to 你好.
        cold = None
        tries = empty = 0
        deadline = time.monotonic() + budget.left(240)
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise BenchError(f"rasa run ({name}) exited ({server.returncode}); log {log}:\n{tail(log)}")
            tries += 1
            try:
                replies = post(url, f"{run_id}-{name}-cold-{tries}", "你好", timeout=30)
                if replies:
                    cold = time.perf_counter() - start
                    break
                empty += 1
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.05)
        if cold is None:
            raise BenchError(f"rasa run ({name}) gave no reply to 你好 in time; log {log}:\n{tail(log)}")

        # Latency: one user at a time, a fresh conversation every 10 messages.
        lat, empties, failures = [], 0, 0
        for i, text in enumerate(texts):
            budget.left(60)
            sender = f"{run_id}-{name}-user-{i // 10}"
            t0 = time.perf_counter()
            try:
                replies = post(url, sender, text, timeout=30)
            except (urllib.error.URLError, OSError, ValueError):
                failures += 1
                continue
            lat.append((time.perf_counter() - t0) * 1000)
            if not replies:  # Rasa answers [] when an action failed
                empties += 1
        if not lat:
            raise BenchError(f"rasa run ({name}) answered none of the latency messages; log {log}:\n{tail(log)}")
        q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99

        # Held-out scores, and NLU-only timings (no tracker, no policies, no actions) on the way.
        parse_ms: list[float] = []
        scores = nlu_scores(port, model, heldout, parse_ms, budget)
        pq = statistics.quantiles(parse_ms, n=100, method="inclusive") if len(parse_ms) > 1 else parse_ms * 99
        rss = peak_rss_mb(server.pid)
        return {
            "cold_start_s": round(cold, 2), "cold_start_empty_replies": empty,
            "messages": len(texts), "answered": len(lat), "empty_replies": empties, "failed_requests": failures,
            "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "mean_ms": round(statistics.fmean(lat), 1),
            "max_ms": round(max(lat), 1), "peak_rss_mb": rss,
            "nlu_parse_p50_ms": round(pq[49], 1), "nlu_parse_p95_ms": round(pq[94], 1),
            **scores,
        }
    finally:
        procs.stop(server)


def nlu_scores(port: int, model: Path, heldout: Path, parse_ms: list[float], budget: Budget) -> dict:
    """bot.nlu_eval.evaluate(model, heldout), as its command line calls it, with its predictions
    taken from the running server: POST /model/parse runs the same Agent.parse_message that
    nlu_eval.predict runs after loading the model itself, so loading a second copy (half a
    minute for the default) is saved. Each parse is timed into `parse_ms`."""
    from bot import nlu_eval

    async def predict(_model: Path, texts: list[str]) -> list[dict]:
        out = []
        for text in texts:
            budget.left(60)
            req = urllib.request.Request(f"http://127.0.0.1:{port}/model/parse",
                                         data=json.dumps({"text": text}).encode("utf-8"),
                                         headers={"Content-Type": "application/json"})
            t0 = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as resp:
                parsed = json.loads(resp.read().decode("utf-8"))
            parse_ms.append((time.perf_counter() - t0) * 1000)
            out.append({"intent": (parsed.get("intent") or {}).get("name"),
                        "entities": {e["entity"]: e["value"] for e in parsed.get("entities", [])}})
        return out

    kwargs = {}
    if "exclude" in inspect.signature(nlu_eval.evaluate).parameters and hasattr(nlu_eval, "training_texts"):
        kwargs["exclude"] = nlu_eval.training_texts()  # as `python -m bot.nlu_eval` does
    original = nlu_eval.predict
    nlu_eval.predict = predict
    try:
        r = nlu_eval.evaluate(model, heldout, **kwargs)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        raise BenchError(f"scoring through the server failed: {e!r}")
    finally:
        nlu_eval.predict = original
    return {"intent_accuracy": r["intent_accuracy"], "entity_precision": r["entity_precision"],
            "entity_recall": r["entity_recall"], "entity_f1": r["entity_f1"], "fallbacks": r["fallbacks"],
            "examples": r["examples"], "misclassified": len(r["errors"]),
            "excluded_as_seen_in_training": r.get("excluded_as_seen_in_training", 0)}


def rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def git_state() -> dict:
    """The commit measured, and the files changed since (the figures belong to that tree)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.rstrip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return {"commit": git("rev-parse", "--short", "HEAD").strip(),
            "changed": [line[3:] for line in git("status", "--porcelain").splitlines()]}


def latency_texts(n: int) -> list[str]:
    texts = [str(e["text"]) for e in yaml.safe_load(DEV.read_text(encoding="utf-8"))["examples"]]
    rnd = random.Random(SEED)
    out: list[str] = []
    while len(out) < n:
        batch = texts[:]
        rnd.shuffle(batch)
        out += batch
    return out[:n]


def ratio(a, b) -> str:
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b == 0:
        return "—"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.3f}×"


def fmt(v, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:g}{unit}"
    return f"{v}{unit}"


def table(res: dict) -> list[str]:
    a, a0, b = res["configs"]["A"], res["configs"].get("A0", {}), res["configs"]["B"]
    rows = [
        ("training (s)", "train_s", "≤ 60", lambda v: v <= GOALS["train_s"], True),
        ("cold start (s)", "cold_start_s", "≤ 5", lambda v: v <= GOALS["cold_start_s"], True),
        ("latency p50 (ms)", "p50_ms", "", None, True),
        ("latency p95 (ms)", "p95_ms", "≤ 50", lambda v: v <= GOALS["p95_ms"], True),
        ("  NLU parse p50 (ms)", "nlu_parse_p50_ms", "", None, True),
        ("  NLU parse p95 (ms)", "nlu_parse_p95_ms", "", None, True),
        ("peak memory (MB)", "peak_rss_mb", "", None, True),
        ("model size (MB)", "model_mb", "", None, True),
        ("intent accuracy", "intent_accuracy", "A ≥ B", "vsB", False),
        ("entity F1", "entity_f1", "A ≥ B", "vsB", False),
        ("nlu_fallback answers", "fallbacks", "", None, None),
    ]
    head = (f"{'':22}{'A ours':>12}{'A0 plain':>12}{'B default':>12}{'A/B':>9}{'A/A0':>9}  "
            f"{'goal':<7} {'A':<5} {'B':<5}")
    lines = [head, "-" * len(head)]
    for label, key, goal, test, show_ratio in rows:
        va, va0, vb = a.get(key), a0.get(key), b.get(key)
        ok_a = ok_b = ""
        if callable(test):
            ok_a = ("ok" if test(va) else "MISS") if isinstance(va, (int, float)) else "—"
            ok_b = ("ok" if test(vb) else "MISS") if isinstance(vb, (int, float)) else "—"
        elif test == "vsB" and isinstance(va, (int, float)) and isinstance(vb, (int, float)):
            ok_a = "ok" if va >= vb else "MISS"
        rat = ratio(va, vb) if show_ratio is not None else "—"
        rat0 = ratio(va, va0) if show_ratio is not None else "—"
        lines.append(f"{label:22}{fmt(va):>12}{fmt(va0):>12}{fmt(vb):>12}{rat:>9}{rat0:>9}  {goal:<7} {ok_a:<5} {ok_b:<5}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=200, help="REST messages per configuration (default 200)")
    ap.add_argument("--heldout", type=Path, default=HELDOUT,
                    help=f"held-out set (default {HELDOUT.relative_to(ROOT)}; {DEV.relative_to(ROOT)} if it is missing)")
    a = ap.parse_args(argv)
    n_messages = max(1, min(a.messages, 2000))

    # `make` stops us with SIGTERM/SIGINT: turn both into exceptions so the finally runs.
    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)

    os.chdir(ROOT)
    OUT.mkdir(exist_ok=True)
    default_cfg = OUT / "config_default.yml"
    default_cfg.write_text(DEFAULT_CONFIG, encoding="utf-8")
    # A: ours as `make run` serves it; A0: the same model through plain `rasa run` (what
    # bot.serve buys); B: rasa init's default through plain `rasa run`.
    configs = {"A": ("ours", ROOT / "config.yml", "bot.serve"), "A0": ("ours, plain rasa run", None, "rasa"),
               "B": ("default", default_cfg, "rasa")}

    heldout, heldout_note = a.heldout.resolve(), "held-out set"
    if not heldout.exists():
        heldout_note = (f"{rel(heldout)} does not exist yet: scored on {DEV.relative_to(ROOT)}, "
                        "the development set our pipeline was tuned on (not held out; favours A)")
        heldout = DEV

    budget = Budget(TOTAL_BUDGET)
    started = time.perf_counter()
    run_id = f"bench-{int(time.time())}-{os.getpid()}"
    texts = latency_texts(n_messages)
    work = Path(tempfile.mkdtemp(prefix="huiqi-bench-rasa-"))
    procs = Procs()
    res: dict = {
        "what": "Rasa: ours (A, config.yml) vs rasa init's default (B, bench-results/config_default.yml), "
                "same data, same run",
        "date": dt.datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
        "cpus": os.cpu_count(), "loadavg_start": list(os.getloadavg()),
        "git": git_state(),
        "heldout_set": rel(heldout), "heldout_note": heldout_note,
        "latency_messages": n_messages, "latency_source": str(DEV.relative_to(ROOT)),
        "goals": {**GOALS, "heldout": "A's intent accuracy and entity F1 no worse than B's"},
        "notes": [
            "B has no FactEntityExtractor: its entities come from DIETClassifier, and the training data "
            "has no entity annotations, so B extracts no entities (entity F1 0) and its form cannot fill "
            "slots from entities. That is the honest comparison of the default.",
            "Training: `rasa train` in a subprocess with an empty Rasa cache of its own (RASA_CACHE_DIRECTORY).",
            "Cold start: from starting `rasa run` to the first non-empty REST reply to 你好 (includes "
            "Python/TensorFlow import and model loading).",
            "Latency: wall time of one POST /webhooks/rest/webhook from this process, one user at a time, "
            "custom actions included (project action server), a fresh conversation every 10 messages.",
            "Held-out scores: bot.nlu_eval.evaluate(model, set, exclude=training texts), as "
            "`python -m bot.nlu_eval` calls it, with predictions from POST /model/parse on the same server "
            "after the latency run (the same Agent.parse_message nlu_eval would run on its own copy).",
            "NLU parse: the wall time of those /model/parse calls (NLU only: no tracker, no dialogue "
            "policies, no actions).",
            "Peak memory: VmHWM of the rasa run process at the end of the run (after scoring).",
            "Order: actions up; A trained, served, scored; then B trained, served, scored. B's training may "
            "use the whole time budget except 75 s kept for serving it.",
        ],
        "configs": {},
        "errors": [],
    }
    ok = True
    try:
        # One configuration after the other, each trained then served, so that the long
        # training of B gets whatever the budget has left once A is measured.
        actions, action_port = start_actions(procs, work, budget)
        models: dict[str, Path] = {}
        for key, (label, cfg, launcher) in configs.items():
            r = res["configs"].setdefault(key, {"label": label, "launcher": launcher,
                                                "config": str(cfg.relative_to(ROOT)) if cfg else "config.yml (A's model)"})
            try:
                if cfg is None:
                    if "A" not in models:
                        raise BenchError("A's model was not trained: nothing to serve another way")
                    model = models["A"]  # the same trained model, served another way
                    r["model_mb"] = res["configs"]["A"].get("model_mb")
                else:
                    print(f"[{key}] training {label} ({r['config']}) …", flush=True)
                    secs, model = train(procs, key, cfg, work, budget, reserve=SERVE_RESERVE)
                    models[key] = model
                    r["train_s"] = round(secs, 1)
                    r["model_mb"] = round(model.stat().st_size / 1e6, 2)
                    print(f"[{key}] trained in {secs:.1f} s", flush=True)
                print(f"[{key}] serving with {launcher}: cold start, {n_messages} messages, scoring on "
                      f"{res['heldout_set']} …", flush=True)
                r.update(serve(procs, key, model, action_port, texts, heldout, work, budget, run_id, launcher))
                print(f"[{key}] cold start {r['cold_start_s']} s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                      f"peak {r['peak_rss_mb']} MB, {r['empty_replies']} empty replies; intent accuracy "
                      f"{r['intent_accuracy']}, entity F1 {r['entity_f1']}", flush=True)
            except BenchError as e:  # one configuration failing must not lose the other's figures
                ok = False
                res["errors"].append(f"{key}: {e}")
                print(f"[{key}] {e}", file=sys.stderr, flush=True)
        procs.stop(actions)
    except BenchError as e:
        ok = False
        res["errors"].append(str(e))
        print(e, file=sys.stderr)
    finally:
        procs.stop_all()

    res["loadavg_end"] = list(os.getloadavg())
    res["bench_seconds"] = round(time.perf_counter() - started, 1)

    a_cfg, b_cfg = res["configs"].get("A", {}), res["configs"].get("B", {})
    a0_cfg = res["configs"].get("A0", {})
    keys = ("train_s", "cold_start_s", "p50_ms", "p95_ms", "nlu_parse_p50_ms", "nlu_parse_p95_ms", "peak_rss_mb",
            "model_mb", "intent_accuracy", "entity_f1")

    def ratios(x: dict, y: dict) -> dict:
        return {k: round(x[k] / y[k], 4) for k in keys
                if isinstance(x.get(k), (int, float)) and isinstance(y.get(k), (int, float)) and y[k]}
    res["ratios_A_over_B"] = ratios(a_cfg, b_cfg)
    res["ratios_A_over_A0"] = ratios(a_cfg, a0_cfg)
    checks = {
        "train_s": a_cfg.get("train_s") is not None and a_cfg["train_s"] <= GOALS["train_s"],
        "cold_start_s": a_cfg.get("cold_start_s") is not None and a_cfg["cold_start_s"] <= GOALS["cold_start_s"],
        "p95_ms": a_cfg.get("p95_ms") is not None and a_cfg["p95_ms"] <= GOALS["p95_ms"],
        "heldout": all(a_cfg.get(k) is not None and b_cfg.get(k) is not None and a_cfg[k] >= b_cfg[k]
                       for k in ("intent_accuracy", "entity_f1")),
    }
    res["goals_met_by_A"] = checks

    print()
    print(f"Rasa: A = ours (config.yml, python -m bot.serve), A0 = the same model through plain rasa run, "
          f"B = rasa init default ({default_cfg.relative_to(ROOT)}); "
          f"{os.cpu_count()} CPUs, load {res['loadavg_start'][0]:.2f} → {res['loadavg_end'][0]:.2f}")
    if res["configs"].get("A") and res["configs"].get("B"):
        for line in table(res):
            print(line)
    print(f"held-out scores: {heldout_note}: {rel(heldout)}, {a_cfg.get('examples', '?')} examples scored "
          f"({a_cfg.get('excluded_as_seen_in_training', 0)} left out as seen in training)")
    print("latency: " + ", ".join(
        f"{k} {r.get('answered', 0)}/{n_messages} answered, {r.get('empty_replies', '?')} empty" for k, r in
        res["configs"].items()))
    print("note: B has no FactEntityExtractor; DIET has no entity annotations to learn from, so B finds no "
          "entities (the honest default).")
    print("goals met by A: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in checks.items()))
    for e in res["errors"]:
        print(f"error: {e.splitlines()[0]}", file=sys.stderr)
    (OUT / "rasa.json").write_text(json.dumps(res, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"saved {OUT / 'rasa.json'} in {res['bench_seconds']} s")

    if ok:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"logs kept in {work}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
