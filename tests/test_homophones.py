"""Pinyin slips put right (huiqi.homophones): a word typed as its homophone reads as the word;
ordinary words that sound like vocabulary stay as they are."""
import pytest

from huiqi.homophones import Homophones
from huiqi.nlu import clean, extract

# a small table, readings as pypinyin gives them (TONE3)
TABLE = {"format": 2, "readings": {"临": "lin2", "林": "lin2", "清": "qing1", "青": "qing1", "海": "hai3",
                                   "可": "ke3", "科": "ke1", "小": "xiao3", "笑": "xiao4", "孵": "fu1",
                                   "化": "hua4", "话": "hua4", "器": "qi4"},
         "real_words": ["林清源"]}


def test_a_slip_keeps_every_offset():
    h = Homophones(["临清", "青海", "孵化器"], TABLE)
    assert h.correct("我们在林清") == "我们在临清"
    assert h.correct("孵话器有奖励吗") == "孵化器有奖励吗"
    assert len(h.correct("清海的林清孵话器")) == len("清海的林清孵话器")


def test_two_characters_need_the_same_tone():
    h = Homophones(["科小"], TABLE)
    assert h.correct("太可笑了") == "太可笑了"  # kě xiào is not kē xiǎo


def test_a_common_word_around_the_window_is_left_alone():
    assert Homophones(["临清"], TABLE).correct("林清源说") == "林清源说"


def test_a_window_that_could_be_two_things_is_neither():
    # 林清 is one slip from 临清 and one from 林青
    assert Homophones({"临清": "a place", "林青": "a name"}, TABLE).correct("林清") == "林清"
    assert Homophones({"临清": "a place", "林青": "a place"}, TABLE).correct("林清") in ("临清", "林青")
    assert Homophones(["临清"], TABLE).correct("麟清") == "麟清"  # 麟 has no reading in the table


def test_no_table_no_corrections():
    assert Homophones(["临清"], None).correct("林清") == "林清"
    assert Homophones(["临清"], {"readings": {"林": ["lin2"]}}).correct("林清") == "林清"  # another layout


# -- the project's vocabulary (huiqi/homophones.json) ------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("林清", {"region": "linqing"}), ("清海省的", {"region": "qinghai"}), ("归上", {"above_scale": True}),
    ("微形的", {"enterprise_size": "micro"}), ("轴成企业", {"is_bearing_enterprise": True}),
    ("实用新行6件", {"new_utility_patents": 6}), ("银航", {"entity_type": "financial_institution"}),
    ("亩产小益C类", {"mu_efficiency_grade": "C"}), ("规摸以上", {"above_scale": True}),
])
def test_slips_read_as_the_word(text, expected):
    assert extract(text, "inform") == expected


@pytest.mark.parametrize("text", ["太可笑了", "搞起来再说", "学校的高效率", "他是研究员", "大行其道"])
def test_ordinary_words_stay(text):
    assert clean(text) == text


def test_topics_through_slips():
    from huiqi.nlu import extractor
    assert extractor().topics_in("专例能奖多少") == ["patent"]
    assert extractor().topics_in("加计扣出怎么补") == ["rd_expense"]
