"""Garbage-collector settings for the two servers (the Rasa server and the action server).

Measured with py-spy at saturation (docs/loadtest.md), 9 % of the Rasa process's time went into
Python's cyclic garbage collector: a turn allocates many short-lived objects (trackers, events,
JSON), and every full collection walks the whole heap, most of it the modules and the model
loaded at start, which never become garbage. `freeze_after_start(app)` moves everything alive
once the server is up (the model loaded) into the collector's permanent generation
(`gc.freeze()`), so later collections walk only what turns allocate. Nothing is collected less:
objects created later are collected as before; what is frozen was alive anyway.
"""
from __future__ import annotations

import gc


def freeze_heap() -> None:
    gc.collect()
    gc.freeze()


def freeze_after_start(app) -> None:
    """Freeze the heap once `app` (a Sanic app) has started: after the listeners that run
    before it (Rasa loads the model in one) have run."""

    async def _freeze(_app, _loop) -> None:
        freeze_heap()

    app.register_listener(_freeze, "after_server_start")
