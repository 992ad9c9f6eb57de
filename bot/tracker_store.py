"""The embedded tracker store: Rasa's SQLTrackerStore on SQLite, for one Rasa process.

Every event is written to SQLite exactly as SQLTrackerStore writes it (same table, same rows),
so conversations survive a restart and `rasa` tools read the file as usual. What changes:
the events of a conversation's latest session are also kept in memory after each save (the
JSON text of their rows, parsed again on each read), so the next message of that conversation
does not read them back from the database, and saving
appends the new events without first counting the stored ones, in one statement, on a
connection kept open to a SQLite file in write-ahead-log mode (see __init__).

Only for a single Rasa process owning the database file (`make run`, the tests): a second process
on the same file refuses to start (a lock file beside it), and a non-SQLite dialect is refused.
With several processes or replicas, use endpoints-scaled.yml: Rasa's own SQLTrackerStore on
PostgreSQL and a Redis lock store.
The tracker object a save was given is itself what the next read of that conversation returns
(it is what parsing the rows would build: reading it back was ~9 % of a turn at saturation),
unless it changed after that save. A conversation read from memory is taken out of it until it
is saved again, so a second read before that goes back to the database, and the save after a read from the database counts
the stored events as SQLTrackerStore does; a failed save forgets the conversation here.
"""
from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from typing import Any, Optional, Text

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker


def _wal(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def latest_session(events) -> list:
    """The events SQLTrackerStore.retrieve reads back for a conversation: those stamped no earlier
    than its latest SessionStarted, in order (so action_session_start, stamped just after the
    SessionStarted it runs before, is one of them); all of them if no session was started."""
    events = list(events)
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return events
    since = max(starts)
    return [e for e in events if e.timestamp >= since]


def latest_session_rows(events: list, rows: list) -> list:
    """Of `rows` (one for each of `events`), those of the events latest_session keeps."""
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return rows
    since = max(starts)
    return [r for e, r in zip(events, rows) if e.timestamp >= since]


#: database file → the open lock file this process holds for it
_HELD: dict[str, Any] = {}


class SharedStoreError(RuntimeError):
    pass


def hold_exclusively(db_file: str) -> None:
    """Take `db_file`.lock for this process, or fail at once if another process has it: two
    processes on one embedded store would each answer from its own memory copy and lose turns."""
    import fcntl
    import os
    path = os.path.realpath(db_file)
    if path in _HELD:
        return
    f = open(path + ".lock", "a+")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        f.close()
        raise SharedStoreError(
            f"{db_file} is already used by another Rasa process. The embedded tracker store "
            "(bot.tracker_store.EmbeddedTrackerStore) serves one process only; to run several, use "
            "endpoints-scaled.yml (Rasa's SQL store on PostgreSQL with a Redis lock store; README, "
            "'Scaling out').")
    _HELD[path] = f


class EmbeddedTrackerStore(SQLTrackerStore):
    #: conversations kept in memory (least recently saved are dropped first)
    MAX_CONVERSATIONS = 5000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name != "sqlite":
            raise SharedStoreError(
                "bot.tracker_store.EmbeddedTrackerStore keeps conversations in this process's memory and "
                "is for one process on SQLite; for a shared database use `type: SQL` (endpoints-scaled.yml).")
        if self.engine.url.database:
            hold_exclusively(self.engine.url.database)
        if self.engine.dialect.name == "sqlite":
            # One connection kept open (SQLAlchemy 1.4 opens a new one per session for a SQLite
            # file: ~1.5 ms a save), the file in write-ahead-log mode and synced at checkpoints.
            # A crash of the process loses nothing committed; a power cut can lose the last turns.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _wal)
            self.sessionmaker = sessionmaker(bind=self.engine)
        # sender → the events of its latest session as stored (the JSON text of each row's
        # `data`); taken out on read
        self._latest: OrderedDict[str, list[str]] = OrderedDict()
        # sender → how many events of its latest session are stored (what save() would count)
        self._stored: OrderedDict[str, int] = OrderedDict()
        # sender → the stored events its tracker was built from at the last read from memory,
        # until the save that follows it
        self._read: dict[str, list[str]] = {}
        # sender → the tracker object just saved and how many events it had then: handed to the
        # next read as it is (its events are those rows, so it is what parsing them would build),
        # unless it changed after the save (a turn that failed after a save in its middle)
        self._live: OrderedDict[str, tuple[DialogueStateTracker, int, Any]] = OrderedDict()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        rows = self._latest.pop(sender_id, None)
        live, count, domain = self._live.pop(sender_id, (None, -1, None))
        if rows is None or not self.domain:
            # read from the database: its count decides what the next save adds
            self._stored.pop(sender_id, None)
            self._read.pop(sender_id, None)
            return await super().retrieve(sender_id)
        self._read[sender_id] = rows
        if not rows:
            return None  # as SQLTrackerStore.retrieve answers for a conversation with no events
        if live is not None and len(live.events) == count == len(rows) and domain is self.domain:
            # (a new model's domain since: its slots, as a parse would build them)
            return live  # (taken out: one holder at a time, as a freshly parsed tracker would be)
        # parsed as the database's rows are: nothing shared with another tracker
        return DialogueStateTracker.from_dict(sender_id, [json.loads(r) for r in rows], self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        kept = self._latest.pop(sender, None)  # (a save right after a save: what that one stored)
        stored = self._stored.pop(sender, None)
        read = self._read.pop(sender, kept)
        self._live.pop(sender, None)
        if stored is None:  # not known here: the database says what is stored
            await super().save(tracker)
            rows = None
        else:
            await self.stream_events(tracker)
            added = self._insert(tracker, itertools.islice(tracker.events, stored, None))
            # the rows stored now: those the tracker was read from, then those just added
            rows = read + added if read is not None and len(read) == stored else None
        events = list(tracker.events)
        if rows is None or len(rows) != len(events):
            rows = [json.dumps(e.as_dict()) for e in events]  # as the database hands them back
        rows = latest_session_rows(events, rows)
        self._latest[sender] = rows
        self._stored[sender] = len(rows)
        if len(rows) == len(events):  # (a tracker holding an earlier session too is not what a read builds)
            self._live[sender] = (tracker, len(events), self.domain)
        for kept in (self._latest, self._stored, self._live):
            while len(kept) > self.MAX_CONVERSATIONS:
                kept.popitem(last=False)

    def _insert(self, tracker: DialogueStateTracker, events) -> list[str]:
        """The rows SQLTrackerStore.save adds for `events` (its loop, as one executemany and
        without the count of stored events); returns their `data`."""
        from rasa.shared.nlu.constants import INTENT_NAME_KEY

        rows = []
        for event in events:
            data = event.as_dict()
            rows.append({"sender_id": tracker.sender_id, "type_name": event.type_name,
                         "timestamp": data.get("timestamp"),
                         "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                         "action_name": data.get("name"), "data": json.dumps(data)})
        if rows:
            with self.session_scope() as session:
                session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
        return [r["data"] for r in rows]
