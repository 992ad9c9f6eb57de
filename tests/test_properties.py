"""Property-based tests (hypothesis): the engine, the number parser and the fact extractor fed
random input. Whatever comes in, they answer or refuse cleanly, never crash, and numbers written
in figures or in Chinese numerals read back as the number written."""
import datetime as dt
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiqi.engine import ELIGIBLE, NEED_INFO, NOT_APPLICABLE, NOT_ELIGIBLE, Engine, result_json
from huiqi.errors import ProfileError
from huiqi.nlu import extractor, money_in, parse_number
from huiqi.report import render
from huiqi.tables import default_rules_dir, load_catalogue
from huiqi.vocabulary import UNKNOWN, load_vocabulary

VOCAB = load_vocabulary(default_rules_dir() / "facts.yml")
CATALOGUE = load_catalogue()
ENGINE = Engine(CATALOGUE)
EXTRACTOR = extractor()
FACTS = sorted(f.id for f in VOCAB)
VERDICTS = {ELIGIBLE, NOT_ELIGIBLE, NEED_INFO, NOT_APPLICABLE}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 ≤ n < 10000 in the usual written form: 十五, 一百零五, 一千零一十, 三千二百."""
    assert 0 < n < 10000
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and not out and d == 1) else _DIGITS[d]) + unit
            zero = False
        else:
            zero = bool(out)
    return out


def test_the_numeral_writer_itself():
    assert [chinese_numeral(n) for n in (5, 10, 15, 105, 1010, 1200, 3002)] == \
        ["五", "十", "十五", "一百零五", "一千零一十", "一千二百", "三千零二"]


# -- the number parser ----------------------------------------------------------------------
@SETTINGS
@given(st.text(max_size=40))
def test_parse_number_takes_any_text(s):
    v = parse_number(s)
    assert v is None or isinstance(v, float)


@SETTINGS
@given(st.integers(min_value=0, max_value=10**15))
def test_figures_read_back(n):
    assert parse_number(str(n)) == n and parse_number(f"{n:,}") == n


@SETTINGS
@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_read_back(n):
    assert parse_number(chinese_numeral(n)) == n


@SETTINGS
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["万元", "万", "万块钱"]))
def test_money_in_wan(n, unit):
    assert money_in(f"研发投入{n}{unit}") == n * 10_000


@SETTINGS
@given(st.text(max_size=60))
def test_money_in_takes_any_text(s):
    v = money_in(s)
    assert v is None or (isinstance(v, int) and v >= 0)


# -- the fact extractor -----------------------------------------------------------------------
WORDS = st.sampled_from(["临清", "青海", "西宁", "轴承", "规上", "高企", "首次", "认定", "研发", "占比", "加计扣除",
                         "万", "亿", "%", "不是", "没有", "不清楚", "，", "。", "第一次", "专精特新", "亩产", "B类"])
TEXTS = st.one_of(st.text(max_size=80), st.lists(st.one_of(WORDS, st.text(max_size=3)), max_size=25).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from([None, "inform", "ask_eligibility", "greet", "nlu_fallback"]))
def test_extractor_gives_only_values_the_engine_accepts(text, intent):
    """Whatever is typed: no exception, spans inside the text, and every fact value it reads
    passes the vocabulary's own validation (so the dialogue never stores a bad value)."""
    new_intent, found = EXTRACTOR.interpret(text, intent)
    assert new_intent is None or isinstance(new_intent, str)
    for e in found:
        assert 0 <= e.start <= e.end <= len(text)
        if e.entity in VOCAB.facts:
            VOCAB.coerce(e.entity, e.value)  # raises ProfileError on a value it should not give


# -- the engine --------------------------------------------------------------------------------
def fact_value(fact):
    if fact.type == "enum":
        return st.sampled_from(sorted(fact.values) + [UNKNOWN])
    if fact.type == "bool":
        return st.sampled_from([True, False, UNKNOWN])
    if fact.type == "percent":
        return st.floats(min_value=0, max_value=100, allow_nan=False)
    if fact.type == "count":
        return st.integers(min_value=0, max_value=10**6)
    return st.one_of(st.integers(min_value=0, max_value=10**18), st.floats(min_value=0, max_value=1e15))


VALID_PROFILES = st.fixed_dictionaries({}, optional={f.id: fact_value(f) for f in VOCAB})
JUNK = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID_PROFILES, st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_engine_judges_any_valid_profile(facts, as_of):
    profile = VOCAB.profile(facts)
    m = ENGINE.match(profile, as_of)
    assert [r.entry.id for r in m.results] == [e.id for e in CATALOGUE.entries]  # every entry judged
    for r in m.results:
        assert r.verdict in VERDICTS
    out = result_json(m, VOCAB)
    json.dumps(out, ensure_ascii=False, allow_nan=False)  # finite numbers only
    text = render(m, VOCAB)
    assert text and "nan" not in text and "inf" not in text and "e+" not in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.one_of(st.sampled_from(FACTS), st.text(max_size=8)), JUNK, max_size=6))
def test_any_junk_profile_is_refused_or_judged(facts):
    try:
        profile = VOCAB.profile(facts)
    except ProfileError as e:
        assert e.problems and all(p.where.startswith("facts") for p in e.problems)  # each problem names its fact
        return
    for r in ENGINE.match(profile).results:
        assert r.verdict in VERDICTS


@SETTINGS
@given(st.sampled_from([f for f in VOCAB if f.type in ("money", "count", "percent", "number")]),
       st.one_of(st.integers(max_value=-1), st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
                 st.just(math.inf), st.just(math.nan)))
def test_negative_or_infinite_quantities_are_refused(fact, v):
    try:
        VOCAB.profile({fact.id: v})
    except ProfileError as e:
        assert e.problems[0].where == f"facts.{fact.id}"
    else:
        raise AssertionError(f"{fact.id}={v} accepted")
