"""Connections that only read, and leave no ``-wal``/``-shm`` files behind them.

SQLite makes ``-wal`` and ``-shm`` beside a WAL project as soon as anyone reads it.
The last connection to close removes them, but only if it may write: a read-only
(``mode=ro``) connection leaves them there, so every ``annotator stats`` or ``check``
would leave two files beside the project. A read-write connection told to only read
(``query_only``) removes them when it closes last, while a window that has the
project open keeps them, as SQLite's own locking decides.

It is used only when there is no ``-wal`` already: nobody is editing the project
and no crash left work to recover, so closing has nothing to fold into the file and
a damaged or foreign file is left as it was found. Otherwise, and for a file or
folder we may not write, ``mode=ro``.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def connect_for_reading(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    path = Path(path)
    tidy = (
        not Path(f"{path}-wal").exists()
        and os.access(path, os.W_OK)
        and os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
    )
    if not tidy:
        return sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=check_same_thread
        )
    conn = sqlite3.connect(str(path), check_same_thread=check_same_thread)
    conn.execute("PRAGMA query_only = ON")
    return conn
