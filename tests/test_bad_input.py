"""Bad tables and bad profiles: a clear error naming the place, and nothing half-loaded."""
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from huiqi.errors import ProfileError, TableError
from huiqi.tables import default_rules_dir, load_catalogue
from huiqi.vocabulary import load_vocabulary

RULES = default_rules_dir()

GOOD_TABLE = """\
version: "1.0"
document:
  id: toy
  title: 临清市支持轴承产业科技创新三年（2022-2024年）行动计划实施意见（试行）
  short: 玩具表
  issuer: 临清市人民政府
  number: null
  date: 2022-10-15
  status: trial
  region: linqing
  source: linqing_2022_bearing.txt
  validity: {from: 2022-10-15, to: 2023-10-14, quote: 本实施意见自印发之日起执行，试行期一年。}
  measures:
    - {no: "奖励标准2", title: 高新技术企业奖励}
entries:
  - id: toy.r2.high_tech
    measure: "奖励标准2"
    title: 高新技术企业认定奖励
    quote: 对首次通过认定高新技术企业的，一次性奖励10万元。
    beneficiary: [enterprise]
    support: cash
    conditions: {fact: high_tech_status, eq: first}
    amount: {kind: fixed, value: 100000, per: one_time}
    departments: {lead: [市科技局], co: [], quote: 市科技局牵头抓好政策落实}
"""


def make_rules(tmp_path: Path, table: str) -> Path:
    root = tmp_path / "rules"
    (root / "documents").mkdir(parents=True)
    shutil.copy(RULES / "facts.yml", root / "facts.yml")
    shutil.copytree(RULES / "sources", root / "sources")
    (root / "documents" / "toy.yml").write_text(table, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(TableError) as e:
        load_catalogue(root)
    return [str(p) for p in e.value.problems]


def test_the_toy_table_itself_loads(tmp_path):
    cat = load_catalogue(make_rules(tmp_path, GOOD_TABLE))
    assert [e.id for e in cat.entries] == ["toy.r2.high_tech"]
    assert cat.entries[0].departments.inferred is False


def test_departments_may_be_marked_inferred(tmp_path):
    """奖励标准 name no department; `inferred: true` says the table inferred them (市科技局牵头抓好政策落实)."""
    t = GOOD_TABLE.replace("quote: 市科技局牵头抓好政策落实}", "quote: 市科技局牵头抓好政策落实, inferred: true}")
    cat = load_catalogue(make_rules(tmp_path, t))
    assert cat.entries[0].departments.inferred is True


@pytest.mark.parametrize("old, new, place, words", [
    ("一次性奖励10万元。", "一次性奖励20万元。", "toy.yml:toy.r2.high_tech:quote", "not found verbatim"),
    ("fact: high_tech_status", "fact: high_tech", "toy.yml:toy.r2.high_tech:conditions:fact", "unknown fact"),
    ("eq: first", "eq: gold", "toy.yml:toy.r2.high_tech:conditions:eq", "not values"),
    ("value: 100000", "value: -100000", "toy.yml:toy.r2.high_tech:amount:value", "negative"),
    ("value: 100000", "value: \"10万\"", "toy.yml:toy.r2.high_tech:amount:value", "whole yuan"),
    ("to: 2023-10-14", "to: 2023-02-30", "toy.yml:document:validity:to", "not a valid date"),
    ("to: 2023-10-14", "to: 2021-10-14", "toy.yml:document:validity:to", "before it starts"),
    ("measure: \"奖励标准2\"", "measure: \"奖励标准9\"", "toy.yml:toy.r2.high_tech:measure", "not one of"),
    ("support: cash", "support: money", "toy.yml:toy.r2.high_tech:support", "must be one of"),
    ("beneficiary: [enterprise]", "beneficiary: [company]", "toy.yml:toy.r2.high_tech:beneficiary", "non-empty list"),
    ("lead: [市科技局]", "lead: [市发改局]", "toy.yml:toy.r2.high_tech:departments", "not named in the departments quote"),
    ("    title: 高新技术企业认定奖励\n", "    title: 高新技术企业认定奖励\n    amout: 5\n", "toy.yml:toy.r2.high_tech:amout", "unknown field"),
    ("status: trial", "status: final", "toy.yml:document:status", "must be one of"),
    ("region: linqing", "region: shandong", "toy.yml:document:region", "region"),
    ("quote: 市科技局牵头抓好政策落实}", "quote: 市科技局牵头抓好政策落实, inferred: yes}",
     "toy.yml:toy.r2.high_tech:departments:inferred", "true or false"),
    ("quote: 市科技局牵头抓好政策落实}", "quote: 市科技局牵头抓好政策落实, inferred_by: me}",
     "toy.yml:toy.r2.high_tech:departments", "unknown keys"),
])
def test_broken_table_names_the_place(tmp_path, old, new, place, words):
    assert old in GOOD_TABLE
    probs = problems_of(make_rules(tmp_path, GOOD_TABLE.replace(old, new)))
    assert any(p.startswith(place) and words in p for p in probs), probs


def test_rate_over_100_and_percent_condition_over_100(tmp_path):
    t = GOOD_TABLE.replace("amount: {kind: fixed, value: 100000, per: one_time}",
                           "amount: {kind: percent, base: rd_deduction_amount, rate: 250, per: yearly}")
    t = t.replace("conditions: {fact: high_tech_status, eq: first}", "conditions: {fact: rd_ratio, ge: 105}")
    probs = problems_of(make_rules(tmp_path, t))
    assert any(p.startswith("toy.yml:toy.r2.high_tech:amount:rate") for p in probs), probs
    assert any(p.startswith("toy.yml:toy.r2.high_tech:conditions:ge") and "over 100" in p for p in probs), probs


def test_malformed_yaml_names_the_line(tmp_path):
    probs = problems_of(make_rules(tmp_path, GOOD_TABLE.replace("  - id: toy.r2.high_tech", "  - id: [toy")))
    assert any(p.startswith("toy.yml:line ") and "not valid YAML" in p for p in probs), probs


def test_measure_without_entry_is_reported(tmp_path):
    t = GOOD_TABLE.replace('    - {no: "奖励标准2", title: 高新技术企业奖励}',
                           '    - {no: "奖励标准2", title: 高新技术企业奖励}\n    - {no: "奖励标准3", title: 平台}')
    probs = problems_of(make_rules(tmp_path, t))
    assert any("奖励标准3" in p and "no entry" in p for p in probs), probs


def test_one_broken_table_loads_nothing(tmp_path):
    """The real tables are fine, one more broken table is added: nothing at all is loaded."""
    root = make_rules(tmp_path, GOOD_TABLE.replace("value: 100000", "value: -1"))
    for f in (RULES / "documents").glob("*.yml"):
        shutil.copy(f, root / "documents" / f.name)
    with pytest.raises(TableError):
        load_catalogue(root)


def test_check_command_exit_code_and_messages(tmp_path):
    root = make_rules(tmp_path, GOOD_TABLE.replace("eq: first", "eq: gold"))
    r = subprocess.run([sys.executable, "-m", "huiqi.cli", "--rules", str(root), "check"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "toy.yml:toy.r2.high_tech:conditions:eq" in r.stderr and "nothing loaded" in r.stderr
    ok = subprocess.run([sys.executable, "-m", "huiqi.cli", "check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr


# -- profiles -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary(RULES / "facts.yml")


@pytest.mark.parametrize("facts, place, words", [
    ({"revenue_growth": 5}, "facts.revenue_growth", "unknown fact"),
    ({"rd_ratio": "5%"}, "facts.rd_ratio", "takes a number"),
    ({"rd_ratio": 120}, "facts.rd_ratio", "cannot exceed 100"),
    ({"rd_deduction_amount": -1}, "facts.rd_deduction_amount", "cannot be negative"),
    ({"above_scale": "yes"}, "facts.above_scale", "true, false"),
    ({"above_scale": 1}, "facts.above_scale", "true, false"),
    ({"region": "临清"}, "facts.region", "allowed: linqing"),
    ({"new_invention_patents": 2.5}, "facts.new_invention_patents", "whole number"),
    ({"new_invention_patents": True}, "facts.new_invention_patents", "takes a number"),
    ({"rd_ratio": float("nan")}, "facts.rd_ratio", "finite"),
])
def test_bad_profile_fact_named(vocab, facts, place, words):
    with pytest.raises(ProfileError) as e:
        vocab.profile(facts)
    assert any(p.where == place and words in p.message for p in e.value.problems), e.value.problems


def test_every_problem_reported_at_once(vocab):
    with pytest.raises(ProfileError) as e:
        vocab.profile({"rd_ratio": -3, "region": "mars", "x": 1})
    assert {p.where for p in e.value.problems} == {"facts.rd_ratio", "facts.region", "facts.x"}


def test_unknown_is_first_class(vocab):
    assert vocab.profile({"rd_ratio": "unknown", "above_scale": None, "region": "linqing"}) == {"region": "linqing"}


def test_profile_document_version(vocab):
    with pytest.raises(ProfileError) as e:
        vocab.profile_from_json({"facts": {}})
    assert e.value.problems[0].where == "version"


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "huiqi.cli", *args], capture_output=True, text=True, input=stdin)


def test_match_on_malformed_json_says_where(tmp_path):
    f = tmp_path / "p.json"
    f.write_text('{"version": "1.0", "facts": {"region": "linqing",}}', encoding="utf-8")
    r = run_cli("match", str(f))
    assert r.returncode == 2 and "p.json:1:" in r.stderr and "not valid JSON" in r.stderr
    assert r.stdout == ""


def test_match_on_wrong_type_says_which_fact():
    r = run_cli("match", "-", stdin=json.dumps({"version": "1.0", "facts": {"rd_ratio": 150}}))
    assert r.returncode == 2 and "facts.rd_ratio" in r.stderr and r.stdout == ""


def test_match_on_missing_file():
    r = run_cli("match", "/nonexistent/profile.json")
    assert r.returncode == 2 and "cannot read" in r.stderr


def test_bad_as_of_date():
    r = run_cli("match", "-", "--as-of", "2023-02-30", stdin="{}")
    assert r.returncode == 2 and "not a date" in r.stderr
