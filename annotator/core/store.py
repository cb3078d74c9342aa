"""The one object that owns a project's connection and its transactions.

The connection runs in autocommit mode (``isolation_level=None``): nothing is
ever left pending between statements. Every write goes through
:meth:`Store.transaction`, which opens ``BEGIN IMMEDIATE`` (the write lock is
taken at the start, so a transaction never fails half-way for want of it) and
commits before it returns; so whatever a caller shows as saved is on disk.
The parts of a project (labels, layers, documents, spans) each receive the
store; none of them owns the connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import ReadOnlyProject
from annotator.core.reading import connect_for_reading
from annotator.core.records import Change

if TYPE_CHECKING:
    import sqlite_utils


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection with our settings: autocommit, no code from the file, FULL sync."""
    if read_only:
        # Leaves no -wal/-shm behind when nobody else has the project open.
        conn = connect_for_reading(path, check_same_thread=False)
        conn.isolation_level = None
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    # Never run code a file brings: no functions in its schema, triggers or views.
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # FULL: a commit is on disk before the edit is reported saved, even on power loss.
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class Store:
    """A project's connection, its one transaction helper, and who hears of changes."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self._listeners: list[Callable[[Change], None]] = []
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite_utils on this connection, made when first used (it is slow to import,
        and opening a project needs only plain SQL)."""
        if self._db is None:
            self._db = sqlite_utils_database(self.conn)
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed on leaving (rolled back on an error).

        Nested use joins the outer transaction through a savepoint, so a part may
        call another part's writer inside its own transaction.
        """
        self.writable()
        conn = self.conn
        if conn.in_transaction:
            conn.execute("SAVEPOINT nested")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK TO nested")
                    conn.execute("RELEASE nested")
                raise
            conn.execute("RELEASE nested")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def writable(self) -> None:
        if self.read_only:
            raise ReadOnlyProject(f"{self.path} is open read-only; nothing was changed")

    def data_version(self) -> int:
        """Changes when another connection commits: caches compare it to follow the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # --- listening ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)


def sqlite_utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)
