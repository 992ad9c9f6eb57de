"""Private PostgreSQL and Redis servers for the scale-out setup, on 127.0.0.1, data under var/.

    python -m bot.services start     # `make services`; prints the settings to export
    python -m bot.services stop
    python -m bot.services status

Debian's packages (scripts/install-services) provide the programs; their system services are
not used. PostgreSQL listens on 127.0.0.1:$HUIQI_PG_PORT (55432), Redis on
127.0.0.1:$HUIQI_REDIS_PORT (56379), both with a password generated on first start and kept
in var/services/secret (mode 600); no Unix sockets. Run as root, PostgreSQL runs as the
`postgres` user (it refuses root), owning its data directory.

`settings()` gives the environment variables endpoints-scaled.yml reads (HUIQI_PG_*,
HUIQI_REDIS_*); tests call start_postgres / start_redis on free ports in a temporary directory.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "services"
PG_PORT = int(os.environ.get("HUIQI_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("HUIQI_REDIS_PORT", "56379"))
PG_USER = PG_DB = "huiqi"


class ServiceError(RuntimeError):
    pass


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise ServiceError(f"{name} not found: install PostgreSQL (scripts/install-services, or apt-get install postgresql)")


def _as_pg_user() -> list[str]:
    """Command prefix running PostgreSQL's programs as a user it accepts."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceError("running as root, but there is no `postgres` user to run PostgreSQL as")
    return ["runuser", "-u", "postgres", "--"]


def secret(d: Path) -> str:
    """The services' password (generated on first use, kept in d/secret, mode 600)."""
    f = d / "secret"
    if not f.exists():
        d.mkdir(parents=True, exist_ok=True)
        f.write_text(secrets.token_hex(24), encoding="utf-8")  # hex: never read as an option or YAML syntax
        f.chmod(0o600)
    return f.read_text(encoding="utf-8").strip()


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    with socket.socket() as s:
        s.settimeout(timeout)
        return s.connect_ex((host, port)) == 0


def _wait(check, what: str, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    raise ServiceError(f"{what} did not come up within {timeout:.0f} s\n{tail}")


def start_postgres(d: Path = DEFAULT_DIR, port: int = PG_PORT) -> dict:
    """Initialise (once) and start PostgreSQL with its data in d/pg; returns its settings."""
    d = Path(d).resolve()
    password = secret(d)
    data, log = d / "pg", d / "pg.log"
    prefix = _as_pg_user()
    if prefix and subprocess.run(prefix + ["test", "-x", str(d)], capture_output=True).returncode != 0:
        raise ServiceError(f"the postgres user cannot reach {d}: every folder above it must be "
                           "searchable by others (chmod o+x), or choose another folder")
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        pwfile = d / "pg.pw"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if prefix:
            shutil.chown(data, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        pwfile.chmod(0o600)
        try:
            subprocess.run(prefix + [_pg_bin("initdb"), "-D", str(data), "-U", PG_USER, "--pwfile", str(pwfile),
                                     "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8"],
                           check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as e:
            raise ServiceError(f"initdb failed: {e.stderr.strip()}")
        finally:
            pwfile.unlink(missing_ok=True)
    if not port_open(port):
        log.touch()
        if prefix:
            shutil.chown(log, "postgres", "postgres")
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=200"
        r = subprocess.run(prefix + [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise ServiceError(f"PostgreSQL did not start: {r.stderr.strip() or r.stdout.strip()}\n"
                               f"{log.read_text(errors='replace')[-2000:]}")
    settings = {"HUIQI_PG_HOST": "127.0.0.1", "HUIQI_PG_PORT": str(port), "HUIQI_PG_PASSWORD": password}
    _create_database(settings)
    return settings


def _create_database(s: dict) -> None:
    import psycopg2
    conn = psycopg2.connect(host=s["HUIQI_PG_HOST"], port=int(s["HUIQI_PG_PORT"]), user=PG_USER,
                            password=s["HUIQI_PG_PASSWORD"], dbname="postgres", connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as c:
            c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,))
            if c.fetchone() is None:
                c.execute(f"CREATE DATABASE {PG_DB}")
    finally:
        conn.close()


def stop_postgres(d: Path = DEFAULT_DIR) -> None:
    data = Path(d).resolve() / "pg"
    if (data / "postmaster.pid").exists():
        subprocess.run(_as_pg_user() + [_pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, text=True)


def start_redis(d: Path = DEFAULT_DIR, port: int = REDIS_PORT) -> dict:
    d = Path(d).resolve()
    password = secret(d)
    data, log = d / "redis", d / "redis.log"
    data.mkdir(parents=True, exist_ok=True)
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(exe):
        raise ServiceError("redis-server not found: install Redis (scripts/install-services, or apt-get install redis-server)")
    if not port_open(port):
        conf = d / "redis.conf"
        conf.write_text("\n".join([
            "bind 127.0.0.1", f"port {port}", "daemonize yes",
            f"pidfile {d / 'redis.pid'}", f"logfile {log}", f"dir {data}", f"requirepass {password}",
            "save \"\"", "appendonly no", "protected-mode yes"]) + "\n", encoding="utf-8")
        conf.chmod(0o600)
        r = subprocess.run([exe, str(conf)], capture_output=True, text=True)
        if r.returncode != 0:
            raise ServiceError(f"Redis did not start: {r.stderr.strip() or r.stdout.strip()}")
        _wait(lambda: port_open(port), "Redis", 20, log)
    return {"HUIQI_REDIS_HOST": "127.0.0.1", "HUIQI_REDIS_PORT": str(port), "HUIQI_REDIS_PASSWORD": password}


def stop_redis(d: Path = DEFAULT_DIR) -> None:
    pidfile = Path(d).resolve() / "redis.pid"
    if pidfile.exists():
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 15)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (ValueError, ProcessLookupError):
            pass
        pidfile.unlink(missing_ok=True)


def settings(d: Path = DEFAULT_DIR, pg_port: int = PG_PORT, redis_port: int = REDIS_PORT) -> dict:
    """The environment endpoints-scaled.yml reads, for services started with these arguments."""
    password = secret(Path(d).resolve())
    return {"HUIQI_PG_HOST": "127.0.0.1", "HUIQI_PG_PORT": str(pg_port), "HUIQI_PG_PASSWORD": password,
            "HUIQI_REDIS_HOST": "127.0.0.1", "HUIQI_REDIS_PORT": str(redis_port), "HUIQI_REDIS_PASSWORD": password}


def main(argv: list[str] | None = None) -> int:
    cmd = (argv if argv is not None else sys.argv[1:] or ["status"])[0]
    try:
        if cmd == "start":
            start_postgres()
            start_redis()
            print(f"PostgreSQL on 127.0.0.1:{PG_PORT}, Redis on 127.0.0.1:{REDIS_PORT} (data in {DEFAULT_DIR})")
            return 0
        if cmd == "stop":
            stop_redis()
            stop_postgres()
            return 0
        if cmd == "status":
            for name, port in (("PostgreSQL", PG_PORT), ("Redis", REDIS_PORT)):
                print(f"{name} 127.0.0.1:{port}: {'up' if port_open(port) else 'down'}")
            return 0
        if cmd == "env":  # for scripts: `eval "$(python -m bot.services env)"`
            for k, v in settings().items():
                print(f"export {k}={v}")
            return 0
    except ServiceError as e:
        print(f"bot.services: {e}", file=sys.stderr)
        return 1
    print("usage: python -m bot.services start|stop|status|env", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
