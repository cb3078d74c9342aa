"""Backups: consistent copies of a project, kept beside the user's data, rotated.

A backup is taken through SQLite's backup API, so it is a consistent snapshot
even while the project is being edited, and is written to a temporary name,
synced, then renamed: a crash never leaves a half backup that looks whole.

When: once when a project is opened (unless it is unchanged since the last
backup), then at most every 30 minutes while edits happen; none while nothing
changes. The window calls :meth:`Backups.maybe_backup` after each edit; it is
cheap when there is nothing to do.

Where: ``<data folder>/backups/<project name>-<id>/``, one folder per project
(the id tells apart projects of the same name in different folders). The data
folder is ``$ANNOTATOR_DATA_DIR`` when set, else the platform's: on Linux
``$XDG_DATA_HOME/annotator`` (``~/.local/share/annotator``), on macOS
``~/Library/Application Support/annotator``, on Windows
``%LOCALAPPDATA%\\annotator``.

Kept: the last 10; beyond those the newest of each day for a week, and the
newest of each week for five weeks. Older ones are deleted.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from annotator.core import schema
from annotator.core.check import foreign_objects, quick_check, schema_problems
from annotator.core.companions import remove_companions
from annotator.core.errors import ProjectError
from annotator.core.lock import ProjectLock
from annotator.core.paths import user_data_dir
from annotator.core.reading import connect_for_reading

SUFFIX = ".annotator"
STEP_PAGES = 1024  # a step of the backup API: 4 MiB of a project's 4 KiB pages
_STAMP_FORMAT = "%Y-%m-%dT%H-%M-%S.%fZ"
_NAME = re.compile(
    r"^(?P<stem>.*)-(?P<when>\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}Z)(?:-(?P<note>[a-z-]+))?"
    + re.escape(SUFFIX)
    + "$"
)


@dataclass(frozen=True, slots=True)
class BackupPolicy:
    """How often to back up and what to keep (see the module's docstring)."""

    interval_seconds: float = 30 * 60
    keep_last: int = 10
    daily_days: int = 7
    weekly_weeks: int = 5


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken: datetime  # UTC
    size: int
    note: str = ""  # "before-restore" for the copy kept by a restore

    def describe(self) -> str:
        local = self.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        note = f"  ({self.note.replace('-', ' ')})" if self.note else ""
        return f"{local}  {_size(self.size):>9}{note}"


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def _file_stamp(path: Path) -> list[int]:
    """Size, mtime and inode of the project, and its WAL's size: these change when
    the data may have. (The WAL file itself is made anew at each open.)"""
    try:
        st = os.stat(path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    except OSError:
        stamp = [-1, -1, -1]
    try:
        stamp.append(os.stat(str(path) + "-wal").st_size)
    except OSError:
        stamp.append(0)
    return stamp


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _read_only(path: Path) -> sqlite3.Connection:
    conn = connect_for_reading(path)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


class Backups:
    """The backups of one project: take, list, rotate, restore."""

    def __init__(
        self,
        project_path: str | Path,
        *,
        root: str | Path | None = None,
        policy: BackupPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.project_path = Path(project_path).absolute()
        resolved = self.project_path.resolve()
        ident = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:10]
        base = Path(root) if root is not None else user_data_dir() / "backups"
        self.folder = base / f"{_safe(resolved.stem)}-{ident}"
        self.policy = policy or BackupPolicy()
        self._clock = clock
        self._last_time: float | None = None
        self._last_changes: int | None = None
        self._worker: threading.Thread | None = None
        self._stop = threading.Event()

    # --- listing ----------------------------------------------------------------------

    def list(self) -> list[Backup]:
        """Every backup of this project, newest first."""
        found = []
        if not self.folder.is_dir():
            return []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match or not path.is_file():
                continue
            taken = datetime.strptime(match["when"], _STAMP_FORMAT).replace(tzinfo=UTC)
            found.append(Backup(path, taken, path.stat().st_size, match["note"] or ""))
        return sorted(found, key=lambda b: b.taken, reverse=True)

    def find(self, which: str) -> Path:
        """A backup by its number in :meth:`list` (1 = newest), ``latest``, or its path."""
        backups = self.list()
        if which in ("latest", "newest"):
            which = "1"
        if which.isdigit():
            index = int(which)
            if not 1 <= index <= len(backups):
                raise ProjectError(
                    self.project_path,
                    f"has no backup number {index} "
                    f"({len(backups)} backups; see `annotator backups`)",
                )
            return backups[index - 1].path
        path = Path(which)
        if not path.is_file():
            raise ProjectError(path, "is not a backup file (no such file)")
        return path

    # --- taking -----------------------------------------------------------------------

    def take(
        self,
        source: Any,
        *,
        note: str = "",
        when: datetime | None = None,
        stop: threading.Event | None = None,
    ) -> Path:
        """Copy ``source`` (a Project, an open connection or a project path) now.

        SQLite's backup API copies STEP_PAGES pages a step and lets go of the GIL
        while it copies, so a worker thread (:meth:`start_in_background`) leaves the
        window's thread free. ``stop``, once set, ends the copy at the next step
        (BackupCancelled); nothing is left of it.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        when = when or datetime.now(UTC)
        name = f"{_safe(self.project_path.stem)}-{when.strftime(_STAMP_FORMAT)}"
        final = self.folder / f"{name}{'-' + note if note else ''}{SUFFIX}"
        partial = self.folder / f".{final.name}.partial"
        conn = getattr(source, "conn", source)
        own = None
        if isinstance(conn, str | Path):
            own = conn = _read_only(Path(conn))
        try:
            partial.unlink(missing_ok=True)
            target = sqlite3.connect(partial)
            try:
                conn.backup(target, pages=STEP_PAGES, progress=_stopper(stop))
                # A backup stands alone: one file, no WAL beside it.
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            _fsync_file(partial)
            os.replace(partial, final)
            _fsync_dir(self.folder)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            if own is not None:
                own.close()
        self._write_state()
        self.rotate()
        return final

    def maybe_backup(self, project: Any) -> Path | None:
        """Back up now if it is time (:meth:`due`): call after opening and after every edit."""
        return self.take(project) if self.due(project) else None

    def due(self, project: Any) -> bool:
        """Whether a backup is due, counting it as taken from now on.

        The first call (on open) says yes unless the file is unchanged since the
        last backup; later calls only when edits happened and the interval has
        passed since the last backup.
        """
        changes = project.conn.total_changes
        now = self._clock()
        if self._last_time is None:
            self._last_time, self._last_changes = now, changes
            return self._read_state().get("stamp") != _file_stamp(self.project_path)
        if changes == self._last_changes or now - self._last_time < self.policy.interval_seconds:
            return False
        self._last_time, self._last_changes = now, changes
        return True

    def start_in_background(self, on_error: Callable[[BaseException], None]) -> None:
        """Back up the project file on a worker thread with its own connection, so
        that a large project's copy never freezes the window. One at a time: a
        backup asked for while one is running is left to the one running."""
        if self._worker is not None and self._worker.is_alive():
            return
        stop = self._stop = threading.Event()

        def work() -> None:
            try:
                self.take(self.project_path, stop=stop)
            except BackupCancelled:
                self._last_changes = None  # not backed up: note_closed must not say it was
            except (OSError, sqlite3.Error) as exc:
                self._last_changes = None
                on_error(exc)

        self._worker = threading.Thread(target=work, name="annotator-backup")
        self._worker.start()

    def wait(self, *, cancel: bool = False) -> None:
        """Until the background backup (if any) has ended; ``cancel`` stops it first
        (closing a project does: the next open takes the backup again)."""
        if cancel:
            self._stop.set()
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def note_closed(self, project: Any | None = None) -> None:
        """After closing: if nothing changed since the last backup, remember the file as
        backed up, so the next open takes no needless copy."""
        if self._last_changes is None:
            return
        if project is not None and project.conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):
                if project.conn.total_changes != self._last_changes:
                    return
        self._write_state()

    def _state_path(self) -> Path:
        return self.folder / "state.json"

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self._state_path().read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        state = {"project": str(self.project_path), "stamp": _file_stamp(self.project_path)}
        tmp = self._state_path().with_suffix(".tmp")
        tmp.write_text(json.dumps(state), "utf-8")
        os.replace(tmp, self._state_path())

    # --- rotating ---------------------------------------------------------------------

    def rotate(self, now: datetime | None = None) -> builtins.list[Path]:
        """Delete the backups the policy no longer keeps; returns what was deleted."""
        now = now or datetime.now(UTC)
        keep = keep_set(self.list(), now, self.policy)
        removed = []
        for backup in self.list():
            if backup.path not in keep:
                backup.path.unlink(missing_ok=True)
                removed.append(backup.path)
        return removed

    # --- restoring --------------------------------------------------------------------

    def restore(self, backup: str | Path) -> Path | None:
        """Put ``backup`` in place of the project; returns the copy kept of the project
        as it was (None when there was no project file).

        Refuses (ProjectLocked) while the project is open for editing anywhere,
        and (ProjectError) a backup that is not a sound project. The project
        file is replaced in one rename: it is never half restored.
        """
        backup = Path(backup)
        project = self.project_path
        refuse_restore_target(project)
        verify_backup(backup)
        before = None
        with ProjectLock.acquire(project):
            if project.exists():
                before = self._keep_current()
            staging = project.with_name(f".{project.name}.restoring")
            staging.unlink(missing_ok=True)
            try:
                source = _read_only(backup)
                target = sqlite3.connect(staging)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
                    source.close()
                _fsync_file(staging)
                # The project's WAL belongs to the old file: never let it be
                # replayed onto the restored one (its content is in `before`).
                remove_companions(project)
                os.replace(staging, project)
                _fsync_dir(project.parent)
            except BaseException:
                staging.unlink(missing_ok=True)
                raise
        self._last_time = self._last_changes = None
        return before

    def _keep_current(self) -> Path:
        try:
            return self.take(self.project_path, note="before-restore")
        except sqlite3.Error:
            # Too damaged to read: keep its bytes as they are.
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
            target = self.folder / f"{_safe(self.project_path.stem)}-{stamp}-damaged{SUFFIX}"
            for suffix in ("", "-wal"):
                source = Path(str(self.project_path) + suffix)
                if source.exists():
                    shutil.copyfile(source, str(target) + suffix)
            return target


class BackupCancelled(Exception):
    """A backup stopped before it was complete (its partial file is removed)."""


def _stopper(stop: threading.Event | None) -> Callable[[int, int, int], None] | None:
    """The backup API's progress callback: raising from it ends the copy."""
    if stop is None:
        return None

    def progress(_status: int, _remaining: int, _total: int) -> None:
        if stop.is_set():
            raise BackupCancelled

    return progress


def refuse_restore_target(project: Path) -> None:
    """A restore replaces only one of our projects, or makes a new ``.annotator`` file:
    never a text file, a device, or a name typed in the backup's place."""
    if not project.exists():
        if project.suffix != SUFFIX:
            raise ProjectError(
                project,
                f"does not exist, and a new project's name ends in {SUFFIX} "
                "(the order is: annotator restore PROJECT BACKUP)",
            )
        return
    if not project.is_file():
        raise ProjectError(project, "is not a project file; refusing to replace it")
    application_id, _ = schema.read_header(project)
    if application_id != schema.APPLICATION_ID:
        raise ProjectError(
            project, "is not an annotator project; refusing to replace it with a backup"
        )


def keep_set(backups: list[Backup], now: datetime, policy: BackupPolicy) -> set[Path]:
    """The backups the policy keeps: the last N, then one a day, then one a week."""
    newest_first = sorted(backups, key=lambda b: b.taken, reverse=True)
    keep = {b.path for b in newest_first[: policy.keep_last]}
    days: set[object] = set()
    weeks: set[object] = set()
    for backup in newest_first:
        age = now - backup.taken
        if age < timedelta(days=policy.daily_days):
            day = backup.taken.date()
            if day not in days:
                days.add(day)
                keep.add(backup.path)
        elif age < timedelta(weeks=policy.weekly_weeks):
            week = backup.taken.isocalendar()[:2]
            if week not in weeks:
                weeks.add(week)
                keep.add(backup.path)
    return keep


def verify_backup(path: Path) -> None:
    """Refuse (ProjectError) a file that is not a sound project to restore from."""
    if not path.is_file():
        raise ProjectError(path, "does not exist" if not path.exists() else "is not a file")
    version = schema.check_header(path)
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise ProjectError(path, f"cannot be read ({exc})") from exc
    try:
        problem = quick_check(conn)
        if problem:
            raise ProjectError(path, f"{problem}; choose another backup")
        foreign = foreign_objects(conn)
        if foreign:
            raise ProjectError(path, foreign[0])
        # A backup from before an upgrade is sound at its own schema; it is upgraded
        # when the restored project is next opened.
        shape = schema_problems(conn, version)
        if shape:
            raise ProjectError(path, f"is not a sound annotator project: {'; '.join(shape)}")
    except sqlite3.DatabaseError as exc:
        raise ProjectError(path, f"is damaged and cannot be read ({exc})") from exc
    finally:
        conn.close()


def _safe(stem: str) -> str:
    """A file-name-safe form of a project's name."""
    cleaned = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._")
    return cleaned[:60] or "project"
