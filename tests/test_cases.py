"""Worked examples as data (tests/cases/*.yml; format in tests/cases/README.md): a profile in,
verdicts and amounts out, checked against the public verdict JSON (docs/verdicts.md)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from huiqi.engine import Engine, result_json
from huiqi.tables import load_catalogue

CASES = Path(__file__).resolve().parent / "cases"
TODAY = dt.date(2026, 12, 4)
ENTRY_KEYS = {"verdict": ("verdict",), "status": ("status",), "promise": ("promise",),
              "exact": ("amount", "exact"), "min": ("amount", "min"), "max": ("amount", "max"),
              "certainty": ("amount", "certainty"), "amount_missing_facts": ("amount", "missing_facts"),
              "missing_facts": ("missing_facts",), "stacking": ("stacking", "status")}
DOC_KEYS = {"status", "sure_total", "upper_total", "uncapped_total", "alternative_total", "if_in_force", "applies"}
TOTAL_KEYS = {"sure_total", "upper_total"}
CASE_KEYS = {"name", "as_of", "facts", "entries", "documents", "totals"}


def _load() -> list[tuple[str, dict]]:
    out = []
    for f in sorted(CASES.glob("*.yml")):
        for i, case in enumerate(yaml.safe_load(f.read_text(encoding="utf-8"))["cases"]):
            out.append((f"{f.stem}[{i}] {case.get('name', '')}", case))
    return out


ALL = _load()


@pytest.fixture(scope="module")
def engine():
    return Engine(load_catalogue())


def _get(obj, path):
    for k in path:
        if obj is None:
            return None
        obj = obj[k]
    return obj


@pytest.mark.parametrize("name, case", ALL, ids=[n for n, _ in ALL])
def test_case(engine, name, case):
    assert not set(case) - CASE_KEYS, f"unknown keys {set(case) - CASE_KEYS}"
    assert case.get("entries") or case.get("documents") or case.get("totals"), "a case must expect something"
    vocab = engine.vocab
    facts = vocab.profile_from_json({"version": "1.1", "facts": case["facts"]})
    as_of = case.get("as_of", TODAY)
    out = result_json(engine.match(facts, as_of), vocab)
    entries = {e["id"]: e for e in out["entries"]}
    for eid, want in (case.get("entries") or {}).items():
        assert eid in entries, f"no entry {eid}"
        assert not set(want) - set(ENTRY_KEYS), f"{eid}: unknown keys {set(want) - set(ENTRY_KEYS)}"
        for k, v in want.items():
            got = _get(entries[eid], ENTRY_KEYS[k])
            if k in ("missing_facts", "amount_missing_facts"):
                assert got is not None and set(v) <= set(got) and (k == "amount_missing_facts" or set(got) == set(v)), \
                    f"{eid}.{k}: {got} (expected {v})"
            else:
                assert got == v, f"{eid}.{k}: {got!r} (expected {v!r})"
    docs = {d["id"]: d for d in out["documents"]}
    for did, want in (case.get("documents") or {}).items():
        assert not set(want) - DOC_KEYS, f"{did}: unknown keys {set(want) - DOC_KEYS}"
        if "applies" in want:
            assert (did in docs) == want["applies"], f"{did} applies: {did in docs}"
            if not want["applies"]:
                continue
        assert did in docs, f"document {did} does not apply"
        for k, v in want.items():
            if k == "applies":
                continue
            if k == "if_in_force":
                for kk, vv in v.items():
                    assert docs[did]["if_in_force"][kk] == vv, f"{did}.if_in_force.{kk}: {docs[did]['if_in_force'][kk]!r}"
            else:
                assert docs[did][k] == v, f"{did}.{k}: {docs[did][k]!r} (expected {v!r})"
    for status, want in (case.get("totals") or {}).items():
        got = out["totals"].get(status)
        if want is None:
            assert got is None, f"totals.{status}: {got}"
            continue
        assert got is not None, f"no totals for {status}"
        assert not set(want) - TOTAL_KEYS
        for k, v in want.items():
            assert got[k] == v, f"totals.{status}.{k}: {got[k]!r} (expected {v!r})"


def test_cases_cover_each_document_and_status():
    """The data set is not empty and speaks of every document and every status."""
    ids = {eid for _, c in ALL for eid in (c.get("entries") or {})}
    assert {i.split(".")[0] for i in ids} == {"linqing_2021_measures", "linqing_2022_bearing", "qinghai_2020_measures"}
    statuses = {w.get("status") for _, c in ALL for w in (c.get("entries") or {}).values()}
    assert {"in_force", "draft", "expired", "not_yet"} <= statuses
    assert len(ALL) >= 20
