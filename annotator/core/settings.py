"""Texts a project carries with it: its coding guidelines, its hedge lexicon, and
settings such as the spaCy label mapping. Kept in the project file, so that a
handout or a copy takes them along."""

from __future__ import annotations

from annotator.core.records import now
from annotator.core.store import Store

GUIDELINES = "guidelines"


class ProjectSettings:
    """Named texts of one project."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str, default: str = "") -> str:
        row = self.store.conn.execute(
            "SELECT value FROM project_settings WHERE key = ?", (key,)
        ).fetchone()
        return str(row[0]) if row else default

    def set(self, key: str, value: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO project_settings (key, value, updated) VALUES (?, ?, ?)",
                (key, value, now()),
            )

    def remove(self, key: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM project_settings WHERE key = ?", (key,))
