"""Checks made before a server starts, so it refuses to start with the reasons rather than
serving wrong answers or hanging:

- the rule tables pass `huiqi check` (bot.serve and bot.actions_server both load them);
- the tracker store and lock store an endpoints file names answer within a few seconds.
  Rasa's SQLTrackerStore retries a failed connection every 5 s for ever, and a Redis lock
  store that cannot be reached fails only on the first message; here either stops the start
  with one clear message naming the store, its address and what to do.
"""
from __future__ import annotations

import sys
from pathlib import Path

TIMEOUT = 3  # seconds per store


class PreflightError(RuntimeError):
    pass


def check_rules() -> None:
    from huiqi.errors import TableError
    from huiqi.tables import default_rules_dir, load_catalogue
    try:
        load_catalogue()
    except TableError as e:
        lines = "\n".join(f"  {p}" for p in e.problems)
        raise PreflightError(f"the rule tables in {default_rules_dir()} fail `huiqi check` "
                             f"({len(e.problems)} problem(s)); not starting:\n{lines}")


def _endpoints(path: str | Path) -> dict:
    from rasa.shared.utils.io import read_config_file  # expands ${ENV} as Rasa does
    try:
        return read_config_file(str(path)) or {}
    except Exception as e:  # a missing environment variable, bad YAML
        raise PreflightError(f"cannot read {path}: {e}")


def check_stores(endpoints_path: str | Path) -> None:
    cfg = _endpoints(endpoints_path)
    problems = []
    ts = cfg.get("tracker_store") or {}
    dialect = str(ts.get("dialect", "sqlite")).lower()
    if str(ts.get("type", "")).lower() == "sql" and not dialect.startswith("sqlite"):
        problems += _check_sql(ts, dialect)
    ls = cfg.get("lock_store") or {}
    if str(ls.get("type", "")).lower() == "redis":
        problems += _check_redis(ls)
    if problems:
        raise PreflightError(f"{endpoints_path}: " + "; ".join(problems) +
                             ". Start them (`make services`) or correct the settings; not starting.")


def _check_sql(ts: dict, dialect: str) -> list[str]:
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore
    host, port, db = ts.get("url"), ts.get("port"), ts.get("db", "rasa.db")
    url = SQLTrackerStore.get_db_url(dialect, host, int(port) if port else None, db,
                                     ts.get("username"), ts.get("password"), None, ts.get("query"))
    args = {"connect_timeout": TIMEOUT} if dialect.startswith("postgres") else {}
    engine = sa.create_engine(url, connect_args=args, pool_pre_ping=False)
    try:
        with engine.connect() as c:
            c.execute(sa.text("SELECT 1"))
    except Exception as e:
        reason = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(getattr(e, "orig", e)).strip() else type(e).__name__
        return [f"the tracker store ({dialect} at {host}:{port}, database {db}) cannot be reached: {reason}"]
    finally:
        engine.dispose()
    return []


def _check_redis(ls: dict) -> list[str]:
    import redis
    host, port = ls.get("url", "localhost"), int(ls.get("port", 6379))
    r = redis.StrictRedis(host=host, port=port, db=int(ls.get("db", 1)), username=ls.get("username"),
                          password=ls.get("password"), ssl=bool(ls.get("use_ssl", False)),
                          socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    try:
        r.ping()
    except Exception as e:
        return [f"the lock store (Redis at {host}:{port}) cannot be reached: {e}"]
    finally:
        r.close()
    return []


def endpoints_arg(argv: list[str]) -> str:
    """The --endpoints value of a `rasa run` command line (Rasa's default otherwise)."""
    for i, a in enumerate(argv):
        if a == "--endpoints" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--endpoints="):
            return a.split("=", 1)[1]
    return "endpoints.yml"


def run_or_exit(*checks) -> None:
    try:
        for check in checks:
            check()
    except PreflightError as e:
        print(f"huiqi: {e}", file=sys.stderr)
        sys.exit(3)
