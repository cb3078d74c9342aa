"""One writer at a time: an advisory lock on a file beside the project.

``study.annotator`` is locked through ``study.annotator-lock``. The lock is an
OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows), so the
operating system drops it the moment the holding process ends, however it
ends: a crash never leaves a project locked. The file also records who holds
it (pid, host, since when), only so that the refusal can say so.

Readers never take the lock: exporting or viewing a project read-only works
while it is open for editing elsewhere.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.core.errors import ProjectLocked

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(project_path: str | Path) -> Path:
    """``study.annotator`` -> ``study.annotator-lock`` (other names get ``.annotator-lock``)."""
    path = Path(project_path)
    if path.suffix == ".annotator":
        return path.with_name(path.name + "-lock")
    return path.with_name(path.name + ".annotator-lock")


def read_holder(project_path: str | Path) -> dict[str, Any] | None:
    """What the lock file says about its holder (may be stale), or None."""
    try:
        raw = lock_path(project_path).read_bytes()
        info = json.loads(raw.decode("utf-8") or "null")
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_locked(project_path: str | Path) -> bool:
    """Whether a live process holds the project open for editing right now."""
    try:
        with ProjectLock.acquire(project_path):
            return False
    except ProjectLocked:
        return True


class ProjectLock:
    """Held while a project is open for editing; :meth:`release` (or ``with``) drops it."""

    def __init__(self, project_path: Path, path: Path, fd: int) -> None:
        self.project_path = project_path
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, project_path: str | Path) -> ProjectLock:
        """Take the lock or raise :class:`ProjectLocked` naming who holds it."""
        project_path = Path(project_path)
        path = lock_path(project_path)
        for _ in range(20):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                # A folder we cannot write to: nobody can edit there, so nobody
                # needs the lock; SQLite itself will refuse writes.
                if exc.errno in (13, 30):  # EACCES, EROFS
                    return cls(project_path, path, -1)
                raise
            if not _try_lock(fd):
                os.close(fd)
                raise ProjectLocked(project_path, _locked_reason(project_path))
            # The holder before us may have removed the file between our open and
            # our lock; a lock on a removed file protects nothing, so start again.
            if _same_file(fd, path):
                _write_holder(fd)
                return cls(project_path, path, fd)
            _unlock(fd)
            os.close(fd)
        raise ProjectLocked(project_path, "its lock file keeps changing; try again")

    def release(self) -> None:
        """Drop the lock and remove the lock file (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None or fd < 0:
            return
        try:
            # Remove while still holding the lock, so no one can take a lock on
            # the file we are about to let go of and believe it protects them.
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> ProjectLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None and fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _hostname() -> str:
    """This machine's name, as socket.gethostname() gives it, without importing
    socket (a hundredth of a second at every start) where os.uname() has it."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # pragma: no cover - Windows

    return socket.gethostname()  # pragma: no cover - Windows


def _write_holder(fd: int) -> None:
    info = {
        "pid": os.getpid(),
        "host": _hostname(),
        "since": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = json.dumps(info).encode()
    if sys.platform == "win32":  # pragma: no cover - byte 0 is the locked byte
        return
    # Written over the old holder's words, then cut after ours. Not truncated to
    # nothing first: on ext4 a file truncated to zero and written again is flushed
    # to disk on close (auto_da_alloc), which cost 100 ms at a start after a crash.
    os.pwrite(fd, data, 0)
    if os.fstat(fd).st_size > len(data):
        os.ftruncate(fd, len(data))


def _locked_reason(project_path: Path) -> str:
    info = read_holder(project_path) or {}
    who = ""
    if info.get("pid"):
        who = f" by process {info['pid']}"
        if info.get("host") and info["host"] != _hostname():
            who += f" on {info['host']}"
        if info.get("since"):
            who += f" since {info['since']}"
    return (
        f"is open for editing elsewhere{who}. Close it there first, "
        "or open it read-only to look at it."
    )
