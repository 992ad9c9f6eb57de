"""bot.loadtest's own answer check (no server): it must tell a good final answer from a lost turn
and from another owner's answer, or the load tests (tests/test_scale.py, `make loadtest`) could
report 0 lost / 0 crossed whatever happened."""
from bot.loadtest import KEPT, TURNS, check_answer, ratio_of
from huiqi.tables import default_rules_dir
from huiqi.vocabulary import load_vocabulary

VOCAB = load_vocabulary(default_rules_dir() / "facts.yml")


def turn(kind: str, facts: dict, sender: str = "o-1") -> list[dict]:
    """A turn as Rasa's REST channel returns it with huiqi_structured (docs/answers.md)."""
    return [{"recipient_id": sender, "text": "……"},
            {"recipient_id": sender, "custom": {"huiqi_answer": "1.0", "kind": kind, "text": "……", "facts": facts}}]


def all_said(ratio: str) -> dict:
    return {**KEPT, "entity_type": "enterprise", "rd_ratio": float(ratio)}


def test_kept_names_the_facts_the_turns_say_in_the_vocabulary():
    assert set(KEPT) | {"rd_ratio"} <= set(VOCAB.facts)
    for fid, value in KEPT.items():  # each value is one the vocabulary defines
        f = VOCAB[fid]
        assert (value in f.values) if f.type == "enum" else isinstance(value, bool)
    assert TURNS[-1] == "就这些，先看结果" and None in TURNS  # the answer asked for last; the ratio said on the way


def test_a_complete_answer_is_neither_lost_nor_crossed():
    assert check_answer(turn("answer", all_said("6.3")), "6.3") == (0, 0)
    assert check_answer(turn("answer", {**all_said("6"), "rd_ratio": 6}), "6") == (0, 0)


def test_no_answer_is_lost():
    assert check_answer(None, "6.3") == (1, 0)
    assert check_answer([{"recipient_id": "o-1", "text": "按目前信息，……"}], "6.3") == (1, 0)  # no structured form
    assert check_answer(turn("question", all_said("6.3")), "6.3") == (1, 0)  # still asking


def test_a_missing_or_changed_fact_is_lost():
    for fid in KEPT:
        facts = all_said("6.3")
        del facts[fid]
        assert check_answer(turn("answer", facts), "6.3") == (1, 0), fid
    assert check_answer(turn("answer", {**all_said("6.3"), "tech_sme_status": "first"}), "6.3") == (1, 0)
    facts = all_said("6.3")
    del facts["rd_ratio"]
    assert check_answer(turn("answer", facts), "6.3") == (1, 0)


def test_another_owners_ratio_is_crossed():
    assert ratio_of(1) != ratio_of(2)
    assert check_answer(turn("answer", all_said(ratio_of(2))), ratio_of(1)) == (0, 1)
