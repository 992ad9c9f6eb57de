"""The NLU's cost grows about linearly with a message's length (no absolute times: ratios of
CPU time measured in one process, the best of a few runs, with a generous bound)."""
import re
import time

import pytest

from huiqi.nlu import extractor
from huiqi.nlu.extraction import _denied_suffixes
from huiqi.nlu.cues import _DENIED_LATER


def _read(x, text):
    """Everything the assistant reads from one message, caches emptied first."""
    for cache in (x._extracted, x._cleaned, x._quantities, x._fuzzy._found, x._fuzzy_kw._found,
                  x._fuzzy_topics._found):
        cache.clear()
    for intent in (None, "inform", "ask_eligibility", "ask_award"):
        x.interpret(text, intent)
    x.signals(text), x.quantities(text), x.regions_in(text), x.topics_in(text)


def _cost(x, text, runs=3):
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        _read(x, text)
        best = min(best, time.process_time() - t0)
    return best


@pytest.mark.parametrize("unit", [
    "高企",  # one clause naming the certification again and again (was quadratic: the tier cues)
    "高企科小",
    "专利2件，",  # many figures, each paired with a keyword (was quadratic: every keyword per figure)
    "专利专利2件3件",
    "我们是临清的轴承企业，高企首次认定，科小连续入库，发明专利2件，营收3000万，研发投入200万。",
    "规上和",  # a value followed by 和…: was exponential (_DENIED_LATER backtracking)
])
def test_eight_times_the_text_costs_far_less_than_sixty_four_times(unit):
    x = extractor()
    short, long = (unit * (250 // len(unit) + 1))[:250], (unit * (2000 // len(unit) + 1))[:2000]
    _cost(x, short, runs=1)  # warm up: compiled expressions, caches of the machinery
    ratio = _cost(x, long) / max(_cost(x, short), 1e-3)
    assert ratio < 20, f"8× the text cost {ratio:.1f}× the time (quadratic would be about 64×)"


def test_one_slip_windows_are_found_once_per_text():
    x = extractor()
    text = "我们是临清的轴承企业，规模一上，高新技木企业，发明专例2件，营收3000万。" * 4
    calls = []
    for matcher in (x._fuzzy, x._fuzzy_kw, x._fuzzy_topics):
        matcher._found.clear()
        original = matcher._find
        matcher._find = lambda t, original=original: calls.append(t) or original(t)
    try:
        _read(x, text)
    finally:
        for matcher in (x._fuzzy, x._fuzzy_kw, x._fuzzy_topics):
            del matcher._find
    assert len(calls) <= 3 and len(set(calls)) == 1


@pytest.mark.parametrize("text", ["", "没有", "也没有", "、专精特新都不是", " 和 单项冠军 也 没评上过 的呢 ", "和高企",
                                  "、abcdefghi没有", "、abcdefgh没有", "和和没有", "都不是吧。", "没有x", "，没有",
                                  "、专精特新、小巨人都没认定过了", "与 科小 从来不算哈  "])
def test_the_denial_reading_is_the_expression(text):
    got = _denied_suffixes(text)
    assert got == [bool(_DENIED_LATER.match(text[p:])) for p in range(len(text) + 1)]


@pytest.mark.parametrize("unit", ["，", " ", "，,。 "])
def test_a_run_of_commas_or_spaces_costs_about_its_length(unit):
    # the bare-answer patterns put several such runs side by side: backtracking tried every way
    # of sharing them (200 spaces took a second, 500 minutes)
    x = extractor()
    short, long = unit * (250 // len(unit)), unit * (2000 // len(unit))
    _cost(x, short, runs=1)
    ratio = _cost(x, long) / max(_cost(x, short), 1e-3)
    assert ratio < 20, f"8× the text cost {ratio:.1f}× the time"


@pytest.mark.parametrize("text", ["B", "不对，是C", "  不对 ，， 刚才说错了，应该是 b 类以上吧。 ", "省级的", "不对，是省级平台！",
                                  "企业", "我们是个人", "，，，，", "    ", "sorry， 是 国家级 ", "想起来了，是A", "，，x，，"])
def test_the_bare_answer_patterns_read_as_before(text):
    from huiqi.nlu.cues import _BARE, _BARE_SOURCE
    from huiqi.nlu.extraction import _BARE_GRADE, _BARE_GRADE_SOURCE, _BARE_LEVEL, _BARE_LEVEL_SOURCE
    for new, source, group in ((_BARE, _BARE_SOURCE, "v"), (_BARE_GRADE, _BARE_GRADE_SOURCE, "g"),
                               (_BARE_LEVEL, _BARE_LEVEL_SOURCE, "level")):
        old, got = re.fullmatch(source, text), new.fullmatch(text)
        assert bool(old) == bool(got)
        if old:
            assert old.span(group) == got.span(group)
