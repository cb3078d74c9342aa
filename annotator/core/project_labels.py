"""A project's labels: listed, added, renamed, recoloured, re-keyed, described."""

from __future__ import annotations

import sqlite3
from typing import Any

from annotator.core.errors import LabelError, SpanError
from annotator.core.labels import (
    PALETTE,
    check_colour,
    check_hotkey,
    check_label_name,
)
from annotator.core.model import (
    Label,
)
from annotator.core.project_base import ProjectBase
from annotator.core.records import (
    Change,
)


class LabelStore(ProjectBase):
    """Labels, kept in memory by name and id: every span names one."""

    def _reload_labels(self) -> None:
        rows = self.conn.execute(
            "SELECT id, name, colour, hotkey, description, position FROM labels ORDER BY position"
        ).fetchall()
        labels = [Label(*row) for row in rows]
        self._labels_by_name = {label.name: label for label in labels}
        self._labels_by_id = {label.id: label for label in labels}

    @property
    def labels(self) -> list[Label]:
        """In order: the first nine get the digit hotkeys 1-9."""
        return list(self._labels_by_name.values())

    def label(self, name: str) -> Label:
        try:
            return self._labels_by_name[name]
        except KeyError:
            raise SpanError(f"unknown label {name!r}") from None

    def _insert_labels(self, labels: list[dict[str, Any]]) -> list[Label]:
        self._writable()
        added = []
        with self.db.atomic():
            for spec in labels:
                added.append(self._insert_label(**spec))
        self._reload_labels()
        self._emit(Change("labels"))
        return [self._labels_by_id[label_id] for label_id in added]

    def _insert_label(
        self,
        name: str,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> int:
        name = check_label_name(name)
        taken_hotkeys = {
            row[0]
            for row in self.conn.execute("SELECT hotkey FROM labels WHERE hotkey IS NOT NULL")
        }
        count = self.conn.execute("SELECT count(*) FROM labels").fetchone()[0]
        if self.conn.execute("SELECT 1 FROM labels WHERE name = ?", (name,)).fetchone():
            raise LabelError(f"label {name} exists already")
        if colour is None:
            used = {row[0] for row in self.conn.execute("SELECT colour FROM labels")}
            colour = next((c for c in PALETTE if c not in used), PALETTE[count % len(PALETTE)])
        hotkey = check_hotkey(hotkey)
        if hotkey is None:
            hotkey = next(
                (
                    c.lower()
                    for c in name
                    if c.isascii() and c.isalpha() and c.lower() not in taken_hotkeys
                ),
                None,
            )
        elif hotkey in taken_hotkeys:
            raise LabelError(f"hotkey {hotkey!r} is taken by another label")
        cursor = self.conn.execute(
            "INSERT INTO labels (name, colour, hotkey, description, position)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, check_colour(colour), hotkey, description or "", count),
        )
        return int(cursor.lastrowid)

    def add_label(
        self, name: str, colour: str | None = None, hotkey: str | None = None, description: str = ""
    ) -> Label:
        """A new label; colour and hotkey are picked when not given."""
        return self._insert_labels(
            [{"name": name, "colour": colour, "hotkey": hotkey, "description": description}]
        )[0]

    def _update_label(self, name: str, /, **values: Any) -> Label:
        self._writable()
        label = self.label(name)
        sets = ", ".join(f"{key} = ?" for key in values)
        try:
            with self.db.atomic():
                self.conn.execute(
                    f"UPDATE labels SET {sets} WHERE id = ?", (*values.values(), label.id)
                )
        except sqlite3.IntegrityError as exc:
            raise LabelError(f"cannot change label {name}: {exc}") from None
        self._reload_labels()
        self._emit(Change("labels"))
        return self._labels_by_id[label.id]

    def rename_label(self, old: str, new: str) -> Label:
        """Rename a label; its spans carry the new name (they refer to it by id)."""
        return self._update_label(old, name=check_label_name(new))

    def recolour_label(self, name: str, colour: str) -> Label:
        return self._update_label(name, colour=check_colour(colour))

    def set_label_hotkey(self, name: str, hotkey: str | None) -> Label:
        return self._update_label(name, hotkey=check_hotkey(hotkey))

    def describe_label(self, name: str, description: str) -> Label:
        return self._update_label(name, description=description)
