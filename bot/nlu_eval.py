"""Evaluate a trained model on a held-out set (tests/nlu_heldout/heldout.yml format):
intent accuracy, and entity precision/recall/F1 over (entity, normalised value) pairs —
what the dialogue uses, so "300万" must come out as rd_deduction_amount = 3000000.

    python -m bot.nlu_eval MODEL.tar.gz tests/nlu_heldout/heldout.yml [--out results/x.json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def load_set(path: Path) -> list[dict]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{"text": str(e["text"]), "intent": e["intent"], "entities": dict(e.get("entities") or {})}
            for e in raw["examples"]]


def norm(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, dict):  # a partly known value: {"lt": 5}
        return tuple(sorted((k, norm(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(sorted(norm(x) for x in v))
    if isinstance(v, (int, float)):
        return round(float(v), 4)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("true", "false"):
            return s == "true"
        try:
            return round(float(s), 4)
        except ValueError:
            return s
    return v


def score(examples: list[dict], predictions: list[dict]) -> dict:
    ok = 0
    tp = fp = fn = 0
    per_intent: dict[str, Counter] = {}
    errors = []
    for ex, p in zip(examples, predictions):
        c = per_intent.setdefault(ex["intent"], Counter())
        c["n"] += 1
        if p["intent"] == ex["intent"]:
            ok += 1
            c["ok"] += 1
        gold = {(k, norm(v)) for k, v in ex["entities"].items()}
        pred = {(k, norm(v)) for k, v in p["entities"].items()}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if p["intent"] != ex["intent"] or gold != pred:
            errors.append({"text": ex["text"], "intent": ex["intent"], "predicted_intent": p["intent"],
                           "missing": sorted(map(str, gold - pred)), "extra": sorted(map(str, pred - gold))})
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "examples": len(examples), "intent_accuracy": round(ok / len(examples), 4),
        "entity_precision": round(precision, 4), "entity_recall": round(recall, 4), "entity_f1": round(f1, 4),
        "fallbacks": sum(1 for p in predictions if p["intent"] == "nlu_fallback"),
        "per_intent_accuracy": {k: round(v["ok"] / v["n"], 3) for k, v in sorted(per_intent.items())},
        "errors": errors,
    }


async def predict(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent
    agent = Agent.load(str(model))
    out = []
    for t in texts:
        parsed = await agent.parse_message(t)
        out.append({"intent": (parsed.get("intent") or {}).get("name"),
                    "entities": {e["entity"]: e["value"] for e in parsed.get("entities", [])}})
    return out


def training_texts(data_dir: Path = Path("data/nlu")) -> set[str]:
    """Every intent example in the Rasa training data, whitespace-normalised."""
    out: set[str] = set()
    for f in sorted(Path(data_dir).glob("*.yml")):
        for block in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in block:
                out |= {" ".join(line[2:].split()) for line in block["examples"].splitlines() if line.startswith("- ")}
    return out


def evaluate(model: Path, heldout: Path, exclude: set[str] | None = None) -> dict:
    """Scores the examples of `heldout` whose text is not in `exclude` (the training texts:
    a short answer like "300万" written by two authors is not evidence of generalisation)."""
    examples = load_set(heldout)
    unseen = [e for e in examples if " ".join(e["text"].split()) not in (exclude or set())]
    preds = asyncio.run(predict(model, [e["text"] for e in unseen]))
    r = score(unseen, preds)
    r["model"], r["set"] = str(model), str(heldout)
    r["excluded_as_seen_in_training"] = len(examples) - len(unseen)
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("heldout", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--errors", type=int, default=0, help="print this many misclassified examples")
    a = ap.parse_args(argv)
    r = evaluate(a.model, a.heldout, training_texts())
    print(f"{a.heldout}: {r['examples']} examples, intent accuracy {r['intent_accuracy']:.3f}, "
          f"entity F1 {r['entity_f1']:.3f} (P {r['entity_precision']:.3f}, R {r['entity_recall']:.3f}), "
          f"{r['fallbacks']} fallbacks; {r['excluded_as_seen_in_training']} excluded as seen in training")
    for e in r["errors"][:a.errors]:
        print("  ", json.dumps(e, ensure_ascii=False))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(r, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
