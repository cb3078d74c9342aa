"""What every part of a project shares: its connection, history and listeners."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import ReadOnlyProject
from annotator.core.history import History, Step
from annotator.core.lock import ProjectLock
from annotator.core.model import (
    Label,
)
from annotator.core.records import (
    Change,
    default_annotator,
)

if TYPE_CHECKING:
    import sqlite_utils


class ProjectBase:
    """The state :class:`annotator.core.project.Project` is made of; its parts
    (labels, documents, spans) are written against it."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        annotator: str | None = None,
    ) -> None:
        self.path = path
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        self.read_only = read_only
        self.annotator = annotator or default_annotator()
        self.history = History()
        self._listeners: list[Callable[[Change], None]] = []
        self._labels_by_name: dict[str, Label] = {}
        self._labels_by_id: dict[int, Label] = {}
        self._text_cache: dict[int, str] = {}
        self._id_order: tuple[Any, bool] | None = None  # see _in_id_order
        self._lock: ProjectLock | None = None  # held while open for editing
        self._verified = False  # checked on open (or created by us): may be sealed on close
        self._reload_labels()  # see LabelStore

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite_utils on this connection, made when first used: opening a project
        and showing it need only plain SQL, so a window can paint before the import."""
        if self._db is None:
            self._db = sqlite_utils_database(self.conn)
        return self._db

    # --- listening ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``listener`` after every committed change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyProject(f"{self.path} is open read-only; nothing was changed")

    # --- undo -----------------------------------------------------------------------

    def undo(self) -> Step | None:
        """Revert the last edit (its own transaction); returns it, or None."""
        self._writable()
        step = self.history.pop_undo()
        if step is None:
            return None
        step.revert()
        self.history.did_undo()
        return step

    def redo(self) -> Step | None:
        self._writable()
        step = self.history.pop_redo()
        if step is None:
            return None
        step.apply()
        self.history.did_redo()
        return step


def sqlite_utils_database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)
