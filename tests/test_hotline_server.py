"""The hotline console's fact edits through a real Rasa server and action server
(bot/channels/hotline.py POST /webhooks/hotline/fact)."""
import json
import urllib.request

import pytest

from bot.channels import hotline

pytestmark = pytest.mark.server


def _post(assistant, path, body):
    req = urllib.request.Request(f"{assistant.url}/webhooks/hotline/{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {hotline.token()}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read().decode("utf-8"))


def _texts(d):
    return "\n".join(r.get("text") or "" for r in d["replies"])


@pytest.mark.parametrize("fid, value, label", [
    ("incubator_level", "national", "国家级"),
    ("liaocheng_rd_project_funding", 1000000, "100万元"),
])
def test_editing_a_fact_not_asked_keeps_it_without_an_apology(assistant, fid, value, label):
    # Issue 7 point 4: a fact given instead of the one asked is kept, the question stays.
    sender = f"call-edit-{fid}"
    first = _post(assistant, "webhook", {"sender": sender, "message": "临清的轴承企业，规上，中型企业"})
    asking = first["state"]["asking"]
    assert asking and asking["fact"] != fid
    d = _post(assistant, "fact", {"sender": sender, "fact": fid, "value": value})
    text = _texts(d)
    assert "没能从这句话里识别出答案" not in text and "没能从这句话里读出" not in text and "跳过" not in text
    assert "已记下" in text and label in text
    assert any(f["id"] == fid for f in d["state"]["facts"])
    # the question asked stays (or a newly decided award brings the first answer now), never skipped
    assert (d["state"]["asking"] or {}).get("fact", asking["fact"]) == asking["fact"]
    assert not next(r for r in d["state"]["unknown"] if r["id"] == asking["fact"])["skipped"]
    # a second edit (the other fact) still does not cost the question asked
    other, v2 = ("liaocheng_rd_project_funding", 2000000) if fid == "incubator_level" else ("incubator_level", "provincial")
    d = _post(assistant, "fact", {"sender": sender, "fact": other, "value": v2})
    text = _texts(d)
    assert "没能从这句话里识别出答案" not in text and "跳过" not in text
    assert (d["state"]["asking"] or {}).get("fact", asking["fact"]) == asking["fact"]
    assert not next(r for r in d["state"]["unknown"] if r["id"] == asking["fact"])["skipped"]
