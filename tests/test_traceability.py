"""Traceability: the tables quote the documents verbatim and cover every numbered measure.

The numbered measures are found in the source texts here, independently of the tables.
"""
import re
from pathlib import Path

import pytest

from huiqi.tables import default_rules_dir, load_catalogue

RULES = default_rules_dir()
SEEDS = RULES.parent.parent / "shared" / "seeds"
SOURCES = {
    "linqing_2021_measures": "000_b782e47d04e38625.txt",
    "qinghai_2020_measures": "003_21ce93176fba6499.txt",
    "linqing_2022_bearing": "004_7158a9fc19be7a02.txt",
}
CN = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    return "十" + (CN[n - 11] if n > 10 else "")


def measures_in_text(doc_id: str, text: str) -> list[str]:
    if doc_id == "linqing_2021_measures":
        return [m for m in re.findall(r"^\s*(\d{1,2})\.", text, re.M)]
    if doc_id == "qinghai_2020_measures":
        return [f"({m})" for m in re.findall(r"^\(([一二三四五六七八九十]+)\)", text, re.M)]
    # the bearing plan: key tasks under 二、重点任务, reward standards under （三）奖励标准
    tasks = text[text.index("二、重点任务"):text.index("三、奖励政策")]
    rewards = text[text.index("（三）奖励标准"):text.index("（四）资金来源")]
    return ([f"重点任务{n}" for n in re.findall(r"^\s*(\d{1,2})\.", tasks, re.M)]
            + [f"奖励标准{n}" for n in re.findall(r"^\s*(\d{1,2})\.", rewards, re.M)])


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_three_documents(cat):
    assert set(cat.documents) == set(SOURCES)


@pytest.mark.parametrize("doc_id, expected", [
    ("linqing_2021_measures", 18), ("qinghai_2020_measures", 18), ("linqing_2022_bearing", 16 + 11)])
def test_every_numbered_measure_has_an_entry(cat, doc_id, expected):
    doc = cat.documents[doc_id]
    found = measures_in_text(doc_id, doc.text)
    assert len(found) == expected and len(set(found)) == expected, found
    assert [no for no, _ in doc.measures] == found  # the table lists them in the text's order
    covered = {e.measure for e in cat.entries if e.document is doc}
    assert set(found) <= covered, sorted(set(found) - covered)


def all_quotes(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "quote" and v is not None:
                yield from ([v] if isinstance(v, str) else v)
            else:
                yield from all_quotes(v)
    elif isinstance(obj, list):
        for x in obj:
            yield from all_quotes(x)


@pytest.mark.parametrize("doc_id", list(SOURCES))
def test_every_quote_occurs_verbatim(doc_id):
    """Independent of the loader: read the YAML and search every `quote` in the text."""
    from huiqi import yamlio
    raw = yamlio.load((RULES / "documents" / f"{doc_id}.yml").read_text(encoding="utf-8"))
    text = (RULES / "sources" / raw["document"]["source"]).read_text(encoding="utf-8")
    quotes = list(all_quotes(raw))
    assert len(quotes) >= len(raw["entries"])
    missing = [q for q in quotes if q not in text]
    assert not missing, missing[:5]


# SHA-256 of the bureau files as delivered in shared/seeds/ (recorded so that the check runs in
# a checkout without shared/ beside it, as in CI)
SEED_SHA256 = {
    "000_b782e47d04e38625.txt": "5d31dbbb2e16b0cbe879795264719105a92fb0bf9d5b2d7534169089d6e1bc84",
    "003_21ce93176fba6499.txt": "38e9658dca17c61da013ff73afaf9216a37ec7f54f7e144da22df76fb168266e",
    "004_7158a9fc19be7a02.txt": "14fd7d21bf055b0aab6a66cfba7898d05272e67628d81f94c455c755203b18da",
}


@pytest.mark.parametrize("doc_id, seed", list(SOURCES.items()))
def test_sources_are_the_bureau_files_unchanged(doc_id, seed):
    import hashlib
    ours = (RULES / "sources" / f"{doc_id}.txt").read_bytes()
    assert hashlib.sha256(ours).hexdigest() == SEED_SHA256[seed]
    if SEEDS.exists():  # and, where shared/seeds is beside the checkout, byte for byte
        assert ours == (SEEDS / seed).read_bytes()


def test_every_entry_names_a_lead_department_from_its_text(cat):
    for e in cat.entries:
        assert e.departments.lead, e.id
        q = "".join(e.departments.quote) if isinstance(e.departments.quote, list) else e.departments.quote
        assert all(d in q for d in e.departments.lead + e.departments.co), e.id


def test_entry_ids_unique_and_documents_consistent(cat):
    ids = [e.id for e in cat.entries]
    assert len(ids) == len(set(ids))
    for e in cat.entries:
        assert e.id.startswith(e.document.id + ".")
        assert e.document.region in ("linqing", "qinghai")


def test_document_facts(cat):
    """Header facts stated in the documents (and in shared/seeds/README.md)."""
    lq = cat.documents["linqing_2021_measures"]
    assert (lq.status, lq.issuer, str(lq.date)) == ("draft", "临清市科学技术局", "2021-06-10")
    qh = cat.documents["qinghai_2020_measures"]
    assert (qh.status, str(qh.date), qh.region) == ("in_force", "2020-06-23", "qinghai")
    br = cat.documents["linqing_2022_bearing"]
    assert (br.status, br.number, str(br.date)) == ("trial", "临政字〔2022〕37号", "2022-10-15")
    # 本实施意见自印发之日起执行，试行期一年: 2022-10-15 … 2023-10-14
    assert (str(br.validity.start), str(br.validity.end)) == ("2022-10-15", "2023-10-14")
    assert any(c.kind == "date_conflict" for c in br.caveats)


def test_amount_wording_says_nothing_the_quote_does_not(cat):
    """What `huiqi show` prints as the amount may not add 一次性, 每年, 一事一议, 不超过/不低于 a rate, nor drop
    择优, where the entry's own quote does not say so (read from the quotes, not from the tables' amounts)."""
    for e in cat.entries:
        if not e.pays_money:
            continue
        q = "".join(e.quotes())
        shown = e.amount.compute({}).text
        if "一次性" in shown:
            assert "一次性" in q, (e.id, shown)
        if "每年" in shown:
            assert "每年" in q or "年度" in q, (e.id, shown)
        if "一事一议" in shown:
            assert "一事一议" in q, (e.id, shown)
        for w in ("不超过", "不低于"):
            if f"的{w}" in shown:
                assert w in q, (e.id, shown)
        assert ("择优" in q) == shown.startswith("择优"), (e.id, shown)
