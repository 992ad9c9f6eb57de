"""Scale-out and faults, against real servers: PostgreSQL and Redis (started here on free
127.0.0.1 ports, data in a temporary directory), two Rasa replicas with their action servers
(endpoints-scaled.yml) and nginx in front. The short version of what `make loadtest` does
at length."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot import services
from bot.cluster import Cluster, free_port, stop
from tests.conftest import ROOT
from tests.answer_support import assert_facts, final_answer, say_structured

pytestmark = pytest.mark.server

# An owner of a Linqing bearing company telling its facts one message at a time, and the facts
# the final answer must then be judged with (rules/facts.yml ids and values, one per turn).
TURNS = ["我们是临清的企业", "是轴承企业", "规上", "今年第一次认定高企", "科小没入库", "研发占比6%"]
KEPT = {"region": "linqing", "is_bearing_enterprise": True, "above_scale": True, "high_tech_status": "first",
        "tech_sme_status": "none", "rd_ratio": 6}
ANSWER_NOW = "就这些，先看结果"


def say(url: str, sender: str, message: str, timeout: float = 30) -> str:
    req = urllib.request.Request(url + "/webhooks/rest/webhook", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"sender": sender, "message": message}).encode("utf-8"))
    with urllib.request.urlopen(req, timeout=timeout) as r:
        replies = json.loads(r.read().decode("utf-8"))
    assert replies, f"no reply to {message!r}"
    return "\n".join(x.get("text") or "" for x in replies)


def answer_keeps_everything(url: str, sender: str) -> None:
    """Asks for the answer (structured, docs/answers.md): it must come, judged with every fact said."""
    assert_facts(final_answer(say_structured(url, sender, ANSWER_NOW, timeout=30))["facts"], KEPT)


@pytest.fixture(scope="module")
def stores():
    # not under pytest's temporary folder: it is private to root, and PostgreSQL runs as `postgres`
    d = Path(tempfile.mkdtemp(prefix="huiqi-services-"))
    d.chmod(0o755)
    pg, red = free_port(), free_port()
    try:
        env = {**services.start_postgres(d, pg), **services.start_redis(d, red)}
        yield env
    finally:
        services.stop_redis(d)
        services.stop_postgres(d)
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(stores, trained_model, tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("cluster"), 2, None, stores, trained_model)
    try:
        yield c.start()
    finally:
        c.stop()


def test_turns_sent_alternately_to_two_replicas_keep_every_fact(cluster):
    s = "alternate-1"
    for i, m in enumerate(TURNS):
        say(cluster.replica_url(i % 2), s, m)
    answer_keeps_everything(cluster.replica_url(len(TURNS) % 2), s)


def test_replica_killed_while_owners_talk(cluster):
    """Owners talk through nginx; replica 0 is killed (SIGKILL) after the second turn. Every
    owner finishes on the other replica with every fact kept, and no one gets an error."""
    owners, errors, answers = [f"kill-{i}" for i in range(6)], [], {}
    second_turn = threading.Barrier(len(owners) + 1)

    def talk(s):
        try:
            for j, m in enumerate(TURNS):
                say(cluster.url, s, m)
                if j == 1:
                    second_turn.wait(timeout=60)
                    time.sleep(0.2)
            answers[s] = say_structured(cluster.url, s, ANSWER_NOW, timeout=30)
        except Exception as e:  # noqa: BLE001 - every failure is reported below
            errors.append((s, repr(e)))
            second_turn.abort()

    threads = [threading.Thread(target=talk, args=(s,)) for s in owners]
    for t in threads:
        t.start()
    second_turn.wait(timeout=60)
    cluster.kill_rasa(0)
    for t in threads:
        t.join(timeout=120)
    try:
        assert not errors, errors
        assert set(answers) == set(owners)
        for s in owners:
            assert_facts(final_answer(answers[s])["facts"], KEPT)
    finally:
        cluster.start_rasa(0)


def test_all_replicas_restarted_nothing_lost(cluster):
    s = "restart-1"
    for m in TURNS[:3]:
        say(cluster.url, s, m)
    for i in range(cluster.n):
        cluster.kill_rasa(i, signal.SIGTERM)
    for i in range(cluster.n):
        cluster.start_rasa(i)
    for m in TURNS[3:]:
        say(cluster.url, s, m)
    answer_keeps_everything(cluster.url, s)


def test_action_server_dies_mid_conversation(cluster):
    """The user gets an apology (not an empty reply) and carries on once it is back."""
    s, url = "actions-down-1", cluster.replica_url(0)
    for m in TURNS[:3]:
        say(url, s, m)
    stop(cluster.actions[0], signal.SIGKILL)
    text = say(url, s, TURNS[3])
    assert "抱歉" in text and "再发" in text
    cluster.start_actions(0)
    cluster._wait(cluster.actions[0], f"http://127.0.0.1:{cluster.action_ports[0]}/health", "action server 0")
    for m in TURNS[3:]:
        say(url, s, m)
    answer_keeps_everything(url, s)


# -- refusing to start ---------------------------------------------------------------------
def serve(env: dict, endpoints: str = "endpoints-scaled.yml", timeout: float = 60) -> tuple[int, str, float]:
    port = free_port()
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "bot.serve", "run", "--model", str(ROOT / "models" / "huiqi.tar.gz"),
                        "--endpoints", str(ROOT / endpoints), "--credentials", str(ROOT / "credentials.yml"),
                        "--interface", "127.0.0.1", "--port", str(port)],
                       cwd=ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "HUIQI_ACTIONS_ADDR": "127.0.0.1:1", **env},
                       capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stderr, time.monotonic() - t0


def test_postgres_unreachable_at_start_is_a_clear_error(stores):
    closed = free_port()
    code, err, took = serve({**stores, "HUIQI_PG_PORT": str(closed)})
    assert code != 0 and took < 20
    assert "tracker store" in err and f"127.0.0.1:{closed}" in err and "make services" in err


def test_redis_unreachable_at_start_is_a_clear_error(stores):
    closed = free_port()
    code, err, took = serve({**stores, "HUIQI_REDIS_PORT": str(closed)})
    assert code != 0 and took < 20
    assert "lock store" in err and f"127.0.0.1:{closed}" in err


def test_wrong_database_password_is_a_clear_error(stores):
    code, err, took = serve({**stores, "HUIQI_PG_PASSWORD": "wrong"})
    assert code != 0 and took < 20 and "tracker store" in err and "password" in err


def test_broken_rule_tables_refuse_to_start(tmp_path, stores):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    table = next((rules / "documents").glob("*.yml"))
    text = table.read_text(encoding="utf-8")
    assert "fact: high_tech_status" in text or "fact: " in text
    table.write_text(text.replace("fact: ", "fact: no_such_", 1), encoding="utf-8")
    code, err, took = serve({**stores, "HUIQI_RULES": str(rules)})
    assert code != 0 and "huiqi check" in err and table.name in err and "unknown fact" in err
    r = subprocess.run([sys.executable, "-m", "bot.actions_server", "--port", str(free_port()), "--actions", "actions"],
                       cwd=ROOT, env={**os.environ, "HUIQI_RULES": str(rules)}, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "huiqi check" in r.stderr and table.name in r.stderr


def test_a_second_process_on_the_embedded_store_is_refused(assistant):
    """The embedded store keeps conversations in one process's memory: a second Rasa process on
    its database file would silently lose turns, so it refuses to start."""
    code, err, took = serve({}, endpoints=str(assistant.endpoints))
    assert code != 0 and "another Rasa process" in err and "endpoints-scaled.yml" in err


# -- a short load (`make loadtest` runs the long one) -------------------------------------------
def check_short_load(url: str) -> None:
    """Owners holding whole conversations at once, each checking its own answers, while one
    sends 100,000 characters every 2 s. Correctness only: speed is `make loadtest`'s business."""
    from bot.loadtest import run_phase
    r = run_phase(url, owners=12, seconds=12, max_messages=400, pause=(0.1, 0.4), with_long=True)
    assert r["conversations_checked"] >= 5, r
    assert (r["errors"], r["crossed"], r["lost"], r["long_not_refused"]) == (0, 0, 0, 0), r


def test_short_load_scaled_out(cluster):
    check_short_load(cluster.url)


def test_short_load_embedded(assistant):
    check_short_load(assistant.url)
