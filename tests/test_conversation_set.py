"""The development conversation set (tests/conversations/dev_v1.yml) played through the REST
channel of a really running assistant by bot.converse, with the goals of issue 7 as thresholds."""
import json
from pathlib import Path

import pytest
import yaml

from bot.converse import Judge, play, report, summary

pytestmark = pytest.mark.server
SET = Path(__file__).parent / "conversations" / "dev_v1.yml"


def test_the_set_is_well_formed():
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["conversations"]]
    assert data["version"] == "1.0" and len(ids) == len(set(ids)) >= 25
    for c in data["conversations"]:
        assert c["kind"] in ("single_award", "topic", "everything", "undocumented", "other_region", "mixed")
        assert c["persona"] in ("owner_chat", "hotline", "site_visitor") and c["turns"]


def test_dev_set_through_a_running_server(assistant, tmp_path):
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    judge = Judge()
    played = [play(assistant.url, c, judge, "devset") for c in data["conversations"]]
    r = report(played, str(SET))
    (tmp_path / "report.json").write_text(json.dumps(r, ensure_ascii=False, indent=2), encoding="utf-8")
    print(summary(r))
    assert r["right_share"] >= 0.95, summary(r)
    assert r["single_award_figure_first"] == r["single_award"], summary(r)  # the figure in the first reply, always
    assert r["repeated_questions"] == 0 and r["undeciding_questions"] == 0, summary(r)
    assert r["first_reply_chars_p50"] <= 300 and r["first_reply_chars_p95"] <= 400, summary(r)
    assert r["questions_max"] <= 8, summary(r)
