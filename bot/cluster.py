"""The scaled-out assistant on one machine: PostgreSQL, Redis, N Rasa servers (replicas), each
with its own action server, and nginx in front of them on one address.

    python -m bot.cluster --replicas 2 --port 5005     # `make run-scaled`; Ctrl-C stops it all

Everything listens on 127.0.0.1. The replicas run exactly what `make run` runs (bot.serve,
bot.actions_server) with endpoints-scaled.yml instead of endpoints.yml: configuration only.
Tests and the load test use the Cluster class (on free ports, in a temporary directory).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot import services
from bot.launch import free_port  # noqa: F401 (tests import it from here too)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def up(url: str, timeout: float = 1.0) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout)
        return True
    except OSError:
        return False


def stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    """Stop a process this module started (its own session) and wait for it."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


NGINX_CONF = """\
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  client_max_body_size 2m;
  client_body_buffer_size 2m;  # bodies stay in memory (workers may not write the temp folders)
  upstream rasa {{
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://rasa;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # a replica that is down or dies mid-request: the message goes to another one (a message
      # processed twice is harmless here: the same facts set again)
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


class Cluster:
    def __init__(self, workdir: Path, replicas: int = 2, port: int | None = None,
                 store_env: dict | None = None, model: Path | None = None):
        self.workdir = Path(workdir).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.n = replicas
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.model = model or ROOT / "models" / "huiqi.tar.gz"
        self.store_env = store_env or {}
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", **self.store_env}
        self.action_ports = [free_port() for _ in range(replicas)]
        self.rasa_ports = [free_port() for _ in range(replicas)]
        self.actions: list[subprocess.Popen | None] = [None] * replicas
        self.rasa: list[subprocess.Popen | None] = [None] * replicas
        self.nginx: subprocess.Popen | None = None

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[i]}"

    def _spawn(self, args, log, env=None):
        return subprocess.Popen(args, cwd=ROOT, env=env or self.env, stdout=open(self.workdir / log, "ab"),
                                stderr=subprocess.STDOUT, start_new_session=True)

    def _wait(self, proc, url, what, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with {proc.returncode}; logs in {self.workdir}")
            if up(url):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{what} not up after {timeout}s; logs in {self.workdir}")

    def start_actions(self, i: int) -> None:
        self.actions[i] = self._spawn([str(BIN / "python"), "-m", "bot.actions_server", "--port",
                                       str(self.action_ports[i]), "--actions", "actions"], f"actions-{i}.log")

    def start_rasa(self, i: int, wait: bool = True) -> None:
        env = {**self.env, "HUIQI_ACTIONS_ADDR": f"127.0.0.1:{self.action_ports[i]}"}
        self.rasa[i] = self._spawn([str(BIN / "python"), "-m", "bot.serve", "run", "--model", str(self.model),
                                    "--endpoints", str(ROOT / "endpoints-scaled.yml"),
                                    "--credentials", str(ROOT / "credentials.yml"),
                                    "--interface", "127.0.0.1", "--port", str(self.rasa_ports[i]), "--quiet"],
                                   f"rasa-{i}.log", env)
        if wait:
            self._wait(self.rasa[i], self.replica_url(i) + "/", f"Rasa replica {i}")

    def kill_rasa(self, i: int, sig: int = signal.SIGKILL) -> None:
        stop(self.rasa[i], sig)

    def start_nginx(self) -> None:
        d = self.workdir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (d / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in self.rasa_ports)
        conf = d / "nginx.conf"
        conf.write_text(NGINX_CONF.format(d=d, servers=servers, port=self.port), encoding="utf-8")
        exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = self._spawn([exe, "-p", str(d), "-c", str(conf), "-g", "daemon off;"], "nginx.log")
        self._wait(self.nginx, self.url + "/", "nginx")

    def start(self) -> "Cluster":
        for i in range(self.n):
            self.start_actions(i)
        for i in range(self.n):
            self._wait(self.actions[i], f"http://127.0.0.1:{self.action_ports[i]}/health", f"action server {i}")
        for i in range(self.n):  # one at a time: they create the tables on first start
            self.start_rasa(i)
        self.start_nginx()
        return self

    def stop(self) -> None:
        stop(self.nginx)
        for p in self.rasa + self.actions:
            stop(p)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replicas", type=int, default=int(os.environ.get("HUIQI_REPLICAS", "2")))
    p.add_argument("--port", type=int, default=int(os.environ.get("HUIQI_PORT", "5005")))
    a = p.parse_args(argv)
    try:
        env = {**services.start_postgres(), **services.start_redis()}
    except services.ServiceError as e:
        print(f"bot.cluster: {e}", file=sys.stderr)
        return 1
    c = Cluster(ROOT / "var" / "cluster", a.replicas, a.port, env)
    try:
        c.start()
        print(f"huiqi on {c.url} (nginx) → {a.replicas} Rasa replicas {c.rasa_ports}, action servers "
              f"{c.action_ports}; PostgreSQL 127.0.0.1:{env['HUIQI_PG_PORT']}, Redis 127.0.0.1:{env['HUIQI_REDIS_PORT']}. "
              "Ctrl-C stops the replicas (`make services-stop` stops the databases).", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        c.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
