"""bot.tracker_store.EmbeddedTrackerStore stores exactly what Rasa's SQLTrackerStore stores,
and gives back exactly what it would read back, with or without its in-memory copy."""
import asyncio
import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import EmbeddedTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, inform]
slots:
  region: {type: any, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: hi}]
""")


def turn(tracker, text, region=None, t=0.0):
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=t))
    if region:
        tracker.update(SlotSet("region", region, timestamp=t + 0.1))
    tracker.update(BotUttered("ok", timestamp=t + 0.2))
    tracker.update(ActionExecuted("action_listen", timestamp=t + 0.3))


async def conversation(store):
    """Two turns, a session restart, a turn; reading the tracker back before each turn."""
    tracker = DialogueStateTracker.from_events("u1", [SessionStarted(timestamp=1.0),
                                                      ActionExecuted("action_listen", timestamp=1.1)],
                                               DOMAIN.slots)
    await store.save(tracker)
    seen = []
    for t, (text, region) in enumerate([("临清", "linqing"), ("规上", None)], start=2):
        tracker = await store.retrieve("u1")
        seen.append(tracker.current_state())
        turn(tracker, text, region, t=float(t))
        await store.save(tracker)
        await store.save(tracker)  # Rasa saves twice in some turns: nothing is stored twice
    tracker = await store.retrieve("u1")
    tracker.update(SessionStarted(timestamp=10.0))
    tracker.update(SlotSet("region", "linqing", timestamp=10.1))
    turn(tracker, "你好", t=11.0)
    await store.save(tracker)
    tracker = await store.retrieve("u1")
    seen.append(tracker.current_state())
    return seen


def rows(db):
    with sqlite3.connect(db) as c:
        return c.execute("select sender_id, type_name, timestamp, intent_name, action_name, data "
                         "from events order by id").fetchall()


def strip_ids(state):
    state = dict(state)
    state.pop("latest_event_time", None)
    return state


def test_same_rows_and_same_trackers_as_rasas_sql_store(tmp_path):
    ours = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasa = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    seen_ours = asyncio.run(conversation(ours))
    seen_rasa = asyncio.run(conversation(rasa))
    assert rows(tmp_path / "ours.db") == rows(tmp_path / "rasa.db")
    assert len(rows(tmp_path / "ours.db")) == 2 + 4 + 3 + (2 + 3)  # each event once
    assert [strip_ids(s) for s in seen_ours] == [strip_ids(s) for s in seen_rasa]
    assert seen_ours[-1]["slots"]["region"] == "linqing"
    # a new process (no memory) reads the same conversation from the file
    fresh = asyncio.run(EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db")).retrieve("u1"))
    assert strip_ids(fresh.current_state()) == strip_ids(seen_ours[-1])


def test_a_second_read_before_a_save_comes_from_the_database(tmp_path):
    store = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))

    async def run():
        tracker = DialogueStateTracker.from_events("u2", [SessionStarted(timestamp=1.0)], DOMAIN.slots)
        await store.save(tracker)
        first = await store.retrieve("u2")
        turn(first, "临清", "linqing", t=2.0)  # changed but never saved (a failed turn)
        second = await store.retrieve("u2")
        return second

    second = asyncio.run(run())
    assert second.get_slot("region") is None and len(second.events) == 1


def test_the_file_is_in_write_ahead_log_mode(tmp_path):
    store = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "w.db"))
    asyncio.run(store.save(DialogueStateTracker.from_events("u3", [SessionStarted(timestamp=1.0)], DOMAIN.slots)))
    with sqlite3.connect(tmp_path / "w.db") as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def real_start(store):
    """As Rasa starts a session: ActionExecuted(action_session_start) is added before the
    SessionStarted it runs, but stamped after it. Then: a read, a second read with no save in
    between (a failed turn), a turn, a save, a read."""
    tracker = DialogueStateTracker.from_events("u4", [ActionExecuted("action_session_start", timestamp=2.0),
                                                      SessionStarted(timestamp=1.0),
                                                      ActionExecuted("action_listen", timestamp=2.1)], DOMAIN.slots)
    await store.save(tracker)
    first = await store.retrieve("u4")
    tracker = await store.retrieve("u4")
    turn(tracker, "临清", "linqing", t=3.0)
    await store.save(tracker)
    last = await store.retrieve("u4")
    return [e.as_dict() for e in first.events], [e.as_dict() for e in last.events]


def test_a_session_started_as_rasa_starts_it(tmp_path):
    ours = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasa = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    read_ours = asyncio.run(real_start(ours))
    read_rasa = asyncio.run(real_start(rasa))
    assert read_ours == read_rasa
    assert read_ours[0][0]["name"] == "action_session_start"  # read back, from memory as from the file
    assert rows(tmp_path / "ours.db") == rows(tmp_path / "rasa.db")
    assert len(rows(tmp_path / "ours.db")) == 3 + 4  # nothing stored twice


def test_the_copy_in_memory_is_the_rows_of_the_latest_session(tmp_path):
    ours = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))

    async def run():
        await conversation(ours)
        tracker = await ours.retrieve("u1")  # (the last read took it out of memory)
        turn(tracker, "规上", t=12.0)
        await ours.save(tracker)
        await ours.save(tracker)

    asyncio.run(run())
    stored = [r[5] for r in rows(tmp_path / "ours.db") if r[2] >= 10.0]  # the session started at 10.0
    assert ours._latest["u1"] == stored and ours._stored["u1"] == len(stored) == 2 + 3 + 3


def test_the_tracker_just_saved_is_the_next_read_unless_it_changed_since(tmp_path):
    store = EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "l.db"))

    async def run():
        tracker = DialogueStateTracker.from_events("u5", [SessionStarted(timestamp=1.0)], DOMAIN.slots)
        turn(tracker, "临清", "linqing", t=2.0)
        await store.save(tracker)
        again = await store.retrieve("u5")
        fresh = await EmbeddedTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "l.db")).retrieve("u5")
        same = again is tracker and strip_ids(again.current_state()) == strip_ids(fresh.current_state())
        # saved in the middle of a turn (Rasa does at a session start), which then failed: the
        # object changed after its save and was never saved again
        turn(again, "规上", t=3.0)
        await store.save(again)
        turn(again, "中型", "qinghai", t=4.0)
        after = await store.retrieve("u5")
        return same, after, again

    same, after, changed = asyncio.run(run())
    assert same
    assert after is not changed and after.get_slot("region") == "linqing" and len(after.events) == 1 + 4 + 3
