"""The engine's fast path agrees with its plain definition."""
import datetime as dt

from huiqi.bench import random_profiles
from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE, result_json


def test_match_agrees_with_judging_each_entry(eng):
    """match() inlines judge() and prebuilds other regions' results: same verdicts, same order."""
    day = dt.date(2026, 11, 23)
    for p in random_profiles(eng.cat.vocab, 400, seed=11):
        m = eng.match(p, day)
        assert [r.entry.id for r in m.results] == [e.id for e in eng.cat.entries]
        assert [r.verdict for r in m.results] == [eng.judge(e, p, day).verdict for e in eng.cat.entries]


def test_lazy_explanations_match_the_verdict(eng):
    day = dt.date(2026, 11, 23)
    for p in random_profiles(eng.cat.vocab, 150, seed=5):
        m = eng.match(p, day)
        for r in m.results:
            kinds = {f.kind for f in r.findings}
            if r.verdict == ELIGIBLE:
                assert not r.findings and r.amount is not None
            elif r.verdict == NOT_ELIGIBLE:
                assert "failed" in kinds and r.amount is None
            elif r.verdict == NEED_INFO:
                assert kinds and kinds <= {"missing", "unsettled"} and "failed" not in kinds
            else:
                assert r.verdict == NOT_APPLICABLE and r.findings[0].fact in ("region", "entity_type")
        result_json(m, eng.cat.vocab)  # the full explanation can always be produced
