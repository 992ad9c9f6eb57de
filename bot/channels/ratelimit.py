"""A per-user token bucket, for the chat channels: a flood from one user is answered once with
a polite notice and then dropped until the bucket refills; other users are untouched."""
from __future__ import annotations

import time
from collections import OrderedDict


class RateLimiter:
    def __init__(self, burst: int = 10, per_second: float = 1.0, max_users: int = 100_000,
                 clock=time.monotonic):
        self.burst, self.rate, self.max_users, self.clock = burst, per_second, max_users, clock
        self._users: OrderedDict[str, list] = OrderedDict()  # user → [tokens, last time, warned]

    def check(self, user: str) -> str:
        """'ok' (go on), 'warn' (over the limit: tell the user once) or 'drop' (over, told)."""
        now = self.clock()
        state = self._users.pop(user, None) or [float(self.burst), now, False]
        tokens = min(self.burst, state[0] + (now - state[1]) * self.rate)
        self._users[user] = state = [tokens, now, state[2]]
        while len(self._users) > self.max_users:
            self._users.popitem(last=False)
        if tokens >= 1:
            state[0], state[2] = tokens - 1, False
            return "ok"
        if state[2]:
            return "drop"
        state[2] = True
        return "warn"
