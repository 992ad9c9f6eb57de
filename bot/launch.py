"""Starts the real assistant (action server + Rasa server, as `make run` does) on free
127.0.0.1 ports with a throwaway tracker store: for the channel demos (`make telegram-demo`,
`make wechat-demo`) and the conversation runner (`bot.converse`)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.serve import write_endpoints

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reachable(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
        return True
    except (urllib.error.URLError, OSError):
        return False


class LocalAssistant:
    def __init__(self, credentials: Path | None = None, env: dict | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="huiqi-demo-"))
        self.action_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.credentials = credentials or ROOT / "credentials.yml"
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}
        self.procs: list[subprocess.Popen] = []

    def _spawn(self, args, log):
        p = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=open(self.dir / log, "ab"),
                             stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(p)
        return p

    def _wait(self, proc, url, what, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode}; logs in {self.dir}")
            if reachable(url):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{what} not up after {timeout}s; logs in {self.dir}")

    def start(self) -> "LocalAssistant":
        subprocess.run([str(ROOT / "scripts" / "train-if-needed")], cwd=ROOT, check=True, env=self.env)
        write_endpoints(self.dir / "endpoints.yml", self.action_port, self.dir / "tracker.db")
        # bot.actions_server: rasa-sdk bound to 127.0.0.1 (`rasa run actions` binds every interface)
        actions = self._spawn([str(BIN / "python"), "-m", "bot.actions_server", "--port", str(self.action_port),
                               "--actions", "actions"], "actions.log")
        self._wait(actions, f"http://127.0.0.1:{self.action_port}/health", "the action server")
        server = self._spawn([str(BIN / "python"), "-m", "bot.serve", "run", "--model", str(ROOT / "models" / "huiqi.tar.gz"),
                              "--endpoints", str(self.dir / "endpoints.yml"), "--credentials", str(self.credentials),
                              "--interface", "127.0.0.1", "--port", str(self.port)], "rasa.log")
        self._wait(server, self.url + "/", "the Rasa server")
        return self

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, 15)
                    p.wait(timeout=20)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    os.killpg(p.pid, 9)
        self.procs.clear()
