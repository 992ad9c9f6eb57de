"""The annotated documents (issue 8): a reviewer finds every entry beside the sentence it encodes."""
import html
import re

import pytest

from huiqi.annotate import annotate, segments
from huiqi.cli import main
from huiqi.tables import load_catalogue

from .conftest import ROOT


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def _rows(page: str) -> list[tuple[str, str]]:
    """(source sentence as text, the cards beside it) for each row of the page."""
    out = []
    for src, cards in re.findall(r"<td class=src>(.*?)</td><td>(.*?)</td></tr>", page, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span class=n>\d+</span>", "", src)))
        out.append((text, cards))
    return out


@pytest.mark.parametrize("doc_id", ["linqing_2021_measures", "linqing_2022_bearing", "qinghai_2020_measures"])
def test_every_entry_sits_beside_its_sentence(cat, doc_id):
    doc = cat.documents[doc_id]
    page = annotate(doc, cat)
    rows = _rows(page)
    # the left column is the whole source, in order, nothing added or lost but blank lines
    squash = lambda s: re.sub(r"\s", "", s)  # noqa: E731 (full-width indents and line ends aside)
    assert squash("".join(t for t, _ in rows)) == squash(doc.text)
    entries = [e for e in cat.entries if e.document is doc]
    for e in entries:
        where = [i for i, (_, cards) in enumerate(rows) if f"id='{e.id}'" in cards]
        assert len(where) == 1, e.id  # once, and in a row, not in the “unplaced” list
        first = e.quotes()[0]
        # the row ends the entry's quote: the sentences up to it hold the quote's first occurrence
        upto = "".join(t for t, _ in rows[:where[0] + 1])
        before = "".join(t for t, _ in rows[:where[0]])
        assert squash(first) in squash(upto) and squash(first) not in squash(before), e.id
    assert "未能定位到原文的条目" not in page


def test_the_cards_say_conditions_amounts_and_open_readings(cat):
    page = annotate(cat.documents["linqing_2022_bearing"], cat)
    card = page[page.index("id='linqing_2022_bearing.r2.high_tech'"):]
    card = card[:card.index("</div>")]
    assert "共用条件 bearing_reward" in card and "高新技术企业认定情况" in card
    assert "一次性10万元" in card and "叠加" in card and "只约束企业" in card
    # the shared conditions sit beside 奖励对象, the any: as a tree
    rows = _rows(page)
    i = next(i for i, (_, cards) in enumerate(rows) if "共用条件 <code>bearing_reward</code>" in cards)
    assert rows[i][0].startswith("全市轴承工业企业中规模以上企业及规模以下科技型中小企业")
    shared = html.unescape(rows[i][1])
    j = shared.index("满足其一")
    assert shared.index("是否规模以上企业：是", j) < shared.index("规模以下企业须为科技型中小企业", j)
    page = annotate(cat.documents["qinghai_2020_measures"], cat)
    card = page[page.index("id='qinghai_2020_measures.m10.national_zone_city'"):]
    card = card[:card.index("</div>")]
    assert "根据创新绩效情况给予" in card and "待解释" in card  # how sure, and what the text leaves open
    # every quoted word is marked in the source column
    assert "<mark>" in page and "省外高层次人才" in html.unescape(re.sub(r"<[^>]+>", "", page))


def test_segments_keep_the_text(cat):
    text = cat.documents["qinghai_2020_measures"].text
    segs = segments(text)
    assert all(text[s:e].strip() for s, e, _ in segs)
    assert sum(1 for *_, para in segs if para) == sum(1 for line in text.splitlines() if line.strip())


def test_published_pages_are_current(cat, tmp_path):
    """`make docs` output is committed (docs/annotated/): it must match the tables."""
    assert main(["annotate", "-o", str(tmp_path)]) == 0
    for p in sorted(tmp_path.glob("*.html")):
        committed = ROOT / "docs" / "annotated" / p.name
        assert committed.exists() and committed.read_text(encoding="utf-8") == p.read_text(encoding="utf-8"), \
            f"{committed} is stale: run `make docs`"
