"""The action server (bot.actions_server) listens on loopback unless told otherwise, and can be
limited to named client addresses. Checked with real sockets against the real server."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, _stop, free_port

pytestmark = pytest.mark.server


def non_loopback_addresses() -> list[str]:
    """This machine's IPv4 addresses outside 127.0.0.0/8."""
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if "." in a and not a.startswith("127.")]


def start(tmp_path: Path, port: int, *args: str, env: dict | None = None) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "bot.actions_server", "--port", str(port), "--actions", "actions", *args],
                            cwd=ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", **(env or {})},
                            stdout=open(tmp_path / f"actions-{port}.log", "ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    return proc


def listening(port: int) -> list[str]:
    """Local addresses a socket listens on for `port` (from `ss`)."""
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
    return [line.split()[3].rsplit(":", 1)[0] for line in out.splitlines() if line.strip()]


def wait_listening(proc, port: int, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"action server exited with {proc.returncode}"
        found = listening(port)
        if found:
            return found
        time.sleep(0.3)
    raise TimeoutError("action server did not listen")


def connects(host: str, port: int, source: str | None = None) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        if source:
            s.bind((source, 0))
        try:
            s.connect((host, port))
            return True
        except OSError:
            return False


def health(host: str, port: int, source: str | None = None) -> int:
    """HTTP status of GET /health, sent from `source` (an address of this machine)."""
    with socket.create_connection((host, port), timeout=5, source_address=(source, 0) if source else None) as s:
        s.sendall(f"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        return int(s.recv(64).split()[1])


def test_default_is_loopback_only(tmp_path):
    port = free_port()
    proc = start(tmp_path, port)
    try:
        assert wait_listening(proc, port) == ["127.0.0.1"]
        assert connects("127.0.0.1", port)
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).status == 200
        for addr in non_loopback_addresses():  # the machine's own network address: refused
            assert not connects(addr, port), addr
    finally:
        _stop(proc)


def test_configured_address_and_allowed_clients(tmp_path):
    """HUIQI_ACTIONS_HOST moves it (127.0.0.2 here, standing for a private address); with
    HUIQI_ACTIONS_ALLOW only the named clients are answered."""
    port = free_port()
    proc = start(tmp_path, port, env={"HUIQI_ACTIONS_HOST": "127.0.0.2", "HUIQI_ACTIONS_ALLOW": "127.0.0.3"})
    try:
        assert wait_listening(proc, port) == ["127.0.0.2"]
        assert not connects("127.0.0.1", port)
        assert health("127.0.0.2", port, source="127.0.0.3") == 200
        assert health("127.0.0.2", port, source="127.0.0.4") == 403
    finally:
        _stop(proc)


def test_bad_address_is_refused_at_once(tmp_path):
    r = subprocess.run([sys.executable, "-m", "bot.actions_server", "--interface", "localhost", "--port", str(free_port())],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "localhost" in r.stderr


def test_every_interface_only_with_an_allow_list(tmp_path):
    """0.0.0.0 without HUIQI_ACTIONS_ALLOW would let anyone who reaches the machine call the
    actions with a tracker of their making: refused at once, with the reason."""
    env = {k: v for k, v in os.environ.items() if k != "HUIQI_ACTIONS_ALLOW"}
    r = subprocess.run([sys.executable, "-m", "bot.actions_server", "--interface", "0.0.0.0", "--port", str(free_port())],
                       cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode != 0 and "HUIQI_ACTIONS_ALLOW" in r.stderr
