"""Shared fixtures. `assistant` starts a real action server and a real Rasa server (REST
channel) on free 127.0.0.1 ports with a throwaway SQLite tracker store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.serve import write_endpoints
from bot.launch import free_port  # noqa: F401 (test modules import it from here)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _get(url: str, timeout: float = 1.0) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout)
        return True
    except (urllib.error.URLError, OSError):
        return False


class Assistant:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.action_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoints = workdir / "endpoints.yml"
        write_endpoints(self.endpoints, self.action_port, workdir / "tracker.db")  # as `make run`, other ports
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        self.actions: subprocess.Popen | None = None
        self.server: subprocess.Popen | None = None

    def _spawn(self, args, log):
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=open(self.workdir / log, "ab"),
                                stderr=subprocess.STDOUT, start_new_session=True)

    def _wait(self, proc, url, what, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode}; see {self.workdir}")
            if _get(url):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{what} not up after {timeout}s; see {self.workdir}")

    def start_actions(self):
        self.actions = self._spawn([str(BIN / "python"), "-m", "bot.actions_server", "--port", str(self.action_port),
                                    "--actions", "actions"], "actions.log")
        self._wait(self.actions, f"http://127.0.0.1:{self.action_port}/health", "action server")

    def start_server(self):
        self.server = self._spawn([str(BIN / "python"), "-m", "bot.serve", "run", "--model", str(ROOT / "models" / "huiqi.tar.gz"),
                                   "--endpoints", str(self.endpoints), "--credentials", str(ROOT / "credentials.yml"),
                                   "--interface", "127.0.0.1", "--port", str(self.port)], "rasa.log")
        self._wait(self.server, self.url + "/", "rasa server")

    def stop_server(self):
        _stop(self.server)
        self.server = None

    def stop(self):
        _stop(self.server)
        _stop(self.actions)

    def say(self, sender: str, text: str) -> list[dict]:
        req = urllib.request.Request(f"{self.url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            replies = json.loads(r.read().decode("utf-8"))
        # Rasa's REST channel answers [] (HTTP 200) when an action failed: that is an error.
        assert replies, f"no reply to {text!r} (an action failed?); logs in {self.workdir}"
        return replies

    def text(self, sender: str, message: str) -> str:
        return "\n".join(r.get("text") or "" for r in self.say(sender, message))


def _stop(proc):
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        os.killpg(proc.pid, 9)


@pytest.fixture(scope="module")
def eng():
    from huiqi.engine import Engine
    from huiqi.tables import load_catalogue
    return Engine(load_catalogue())


def res(m, entry_id):
    """One entry's result in a match."""
    return next(r for r in m.results if r.entry.id == entry_id)


def kinds(r):
    """The kinds of caveat an entry result carries."""
    return {c.kind for c in r.caveats}


@pytest.fixture(scope="session")
def trained_model() -> Path:
    subprocess.run([str(ROOT / "scripts" / "train-if-needed")], cwd=ROOT, check=True)
    return ROOT / "models" / "huiqi.tar.gz"


@pytest.fixture(scope="session")
def assistant(trained_model, tmp_path_factory):
    a = Assistant(tmp_path_factory.mktemp("assistant"))
    try:
        a.start_actions()
        a.start_server()
        yield a
    finally:
        a.stop()
