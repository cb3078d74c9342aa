"""A project's labels: listed, added, renamed, recoloured, re-keyed, described.

Labels are few and every span names one, so they are kept in memory by name
and id. The copy follows the file: it is read again after our own writes, and
when another connection (the writer, seen from a read-only window) has
committed since (``PRAGMA data_version``), or a name or id is not found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from annotator.core.errors import LabelError, SpanError
from annotator.core.labels import (
    PALETTE,
    check_colour,
    check_hotkey,
    check_label_name,
)
from annotator.core.model import Label
from annotator.core.records import Change
from annotator.core.store import Store

# Keys the window keeps for itself (relations, suggestions): no label may take them.
RESERVED_HOTKEYS = frozenset("raxn")


class Labels:
    """A project's labels, in order: the first nine answer to the digits 1-9."""

    def __init__(self, store: Store, renamed: Callable[[str, str], None] | None = None) -> None:
        """``renamed(old, new)`` runs inside a rename's transaction, for what else names
        labels (relation types): the rename and its followers commit as one."""
        self.store = store
        self.renamed = renamed
        self._by_name: dict[str, Label] = {}
        self._by_id: dict[int, Label] = {}
        self._version = -1
        self.reload()

    def reload(self) -> None:
        rows = self.store.conn.execute(
            "SELECT id, name, colour, hotkey, description, position FROM labels ORDER BY position"
        ).fetchall()
        labels = [Label(*row) for row in rows]
        self._by_name = {label.name: label for label in labels}
        self._by_id = {label.id: label for label in labels}
        self._version = self.store.data_version()

    def fresh(self) -> None:
        """Read the labels again if another connection has changed the file since."""
        if self.store.data_version() != self._version:
            self.reload()

    def all(self) -> list[Label]:
        self.fresh()
        return list(self._by_name.values())

    def get(self, name: str) -> Label:
        label = self._by_name.get(name)
        if label is None:
            self.reload()
            label = self._by_name.get(name)
            if label is None:
                raise SpanError(f"unknown label {name!r}")
        return label

    def by_id(self, label_id: int) -> Label:
        label = self._by_id.get(label_id)
        if label is None:
            self.reload()
            label = self._by_id.get(label_id)
            if label is None:
                raise SpanError(f"no label with id {label_id}")
        return label

    def names_by_id(self) -> dict[int, str]:
        return {label_id: label.name for label_id, label in self._by_id.items()}

    def positions_by_id(self) -> dict[int, int]:
        return {label_id: label.position for label_id, label in self._by_id.items()}

    def insert_many(self, labels: list[dict[str, Any]]) -> list[Label]:
        added = []
        with self.store.transaction():
            for spec in labels:
                added.append(self.insert(**spec))
        self.reload()
        self.store.emit(Change("labels"))
        return [self._by_id[label_id] for label_id in added]

    def insert(
        self,
        name: str,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> int:
        """Insert inside the caller's transaction; the caller reloads."""
        conn = self.store.conn
        name = check_label_name(name)
        taken_hotkeys = {
            row[0] for row in conn.execute("SELECT hotkey FROM labels WHERE hotkey IS NOT NULL")
        }
        count = conn.execute("SELECT count(*) FROM labels").fetchone()[0]
        if conn.execute("SELECT 1 FROM labels WHERE name = ?", (name,)).fetchone():
            raise LabelError(f"label {name} exists already")
        if colour is None:
            used = {row[0] for row in conn.execute("SELECT colour FROM labels")}
            colour = next((c for c in PALETTE if c not in used), PALETTE[count % len(PALETTE)])
        hotkey = check_hotkey(hotkey)
        if hotkey is None:
            hotkey = next(
                (
                    c.lower()
                    for c in name
                    if c.isascii()
                    and c.isalpha()
                    and c.lower() not in taken_hotkeys
                    and c.lower() not in RESERVED_HOTKEYS
                ),
                None,
            )
        elif hotkey in taken_hotkeys:
            raise LabelError(f"hotkey {hotkey!r} is taken by another label")
        elif hotkey in RESERVED_HOTKEYS:
            raise LabelError(
                f"hotkey {hotkey!r} is kept for the window (r links spans; a, x and n"
                " accept, reject and move between suggestions); choose another"
            )
        cursor = conn.execute(
            "INSERT INTO labels (name, colour, hotkey, description, position)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, check_colour(colour), hotkey, description or "", count),
        )
        return int(cursor.lastrowid or 0)

    def add(
        self, name: str, colour: str | None = None, hotkey: str | None = None, description: str = ""
    ) -> Label:
        """A new label; colour and hotkey are picked when not given."""
        return self.insert_many(
            [{"name": name, "colour": colour, "hotkey": hotkey, "description": description}]
        )[0]

    def _update(self, name: str, /, **values: Any) -> Label:
        label = self.get(name)
        sets = ", ".join(f"{key} = ?" for key in values)
        try:
            with self.store.transaction() as conn:
                conn.execute(f"UPDATE labels SET {sets} WHERE id = ?", (*values.values(), label.id))
                if "name" in values and self.renamed is not None:
                    self.renamed(name, values["name"])
        except sqlite3.IntegrityError:
            if "name" in values:
                raise LabelError(
                    f"cannot rename {name} to {values['name']}: there is already a label"
                    f" {values['name']}"
                ) from None
            if "hotkey" in values:
                raise LabelError(f"hotkey {values['hotkey']!r} is taken by another label") from None
            raise
        self.reload()
        self.store.emit(Change("labels"))
        return self._by_id[label.id]

    def rename(self, old: str, new: str) -> Label:
        """Rename a label; its spans carry the new name (they refer to it by id)."""
        return self._update(old, name=check_label_name(new))

    def recolour(self, name: str, colour: str) -> Label:
        return self._update(name, colour=check_colour(colour))

    def set_hotkey(self, name: str, hotkey: str | None) -> Label:
        hotkey = check_hotkey(hotkey)
        if hotkey is not None and hotkey in RESERVED_HOTKEYS:
            raise LabelError(
                f"hotkey {hotkey!r} is kept for the window (r links spans; a, x and n"
                " accept, reject and move between suggestions); choose another"
            )
        return self._update(name, hotkey=hotkey)

    def describe(self, name: str, description: str) -> Label:
        return self._update(name, description=description)

    def span_count(self, name: str) -> int:
        """How many spans (of every layer, suggestions too) carry the label."""
        label = self.get(name)
        row = self.store.conn.execute(
            "SELECT count(*) FROM spans WHERE label_id = ?", (label.id,)
        ).fetchone()
        return int(row[0])

    def remove(self, name: str) -> int:
        """Remove a label with its spans (their relations go too) and the rejected
        suggestions that named it; how many spans went. The caller backs up first."""
        label = self.get(name)
        with self.store.transaction() as conn:
            count = conn.execute("DELETE FROM spans WHERE label_id = ?", (label.id,)).rowcount
            conn.execute("DELETE FROM rejections WHERE label_id = ?", (label.id,))
            conn.execute("DELETE FROM labels WHERE id = ?", (label.id,))
            conn.execute(
                "UPDATE labels SET position = position - 1 WHERE position > ?", (label.position,)
            )
        self.reload()
        self.store.emit(Change("labels"))
        return int(count)

    def reorder(self, names: list[str]) -> list[Label]:
        """Put the labels in this order (every label named once): the digits follow it."""
        current = [label.name for label in self.all()]
        if sorted(names) != sorted(current) or len(set(names)) != len(names):
            raise LabelError("a new order must name every label once: " + ", ".join(current))
        with self.store.transaction() as conn:
            for position, name in enumerate(names):
                conn.execute("UPDATE labels SET position = ? WHERE name = ?", (position, name))
        self.reload()
        self.store.emit(Change("labels"))
        return self.all()

    def move(self, name: str, position: int) -> list[Label]:
        """Move one label to ``position`` (1 is first), the others keeping their order."""
        names = [label.name for label in self.all()]
        self.get(name)
        if not 1 <= position <= len(names):
            raise LabelError(f"no position {position}: there are {len(names)} labels")
        names.remove(name)
        names.insert(position - 1, name)
        return self.reorder(names)
