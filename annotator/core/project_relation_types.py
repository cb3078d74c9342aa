"""A project's relation types, kept in its file: listed, added, renamed (its
relations follow), recoloured, given the labels allowed at each end, removed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import orjson

from annotator.core.labels import check_colour, check_hotkey
from annotator.core.records import Change
from annotator.core.relation_types import (
    RelationType,
    RelationTypeError,
    check_relation,
    find_type,
    relation_type,
)
from annotator.core.store import Store

FREE_COLOUR = "#404040"  # a type made for a relation label an import brought in


def insert_types(conn: sqlite3.Connection, types: Sequence[RelationType]) -> None:
    """Insert inside the caller's transaction (also used by the schema's upgrade)."""
    position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM relation_types").fetchone()[
        0
    ]
    for offset, rtype in enumerate(types):
        conn.execute(
            "INSERT INTO relation_types (name, colour, head_labels, child_labels, hotkey,"
            " description, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                rtype.name,
                rtype.colour,
                orjson.dumps(list(rtype.head_labels)).decode(),
                orjson.dumps(list(rtype.child_labels)).decode(),
                rtype.hotkey,
                rtype.description,
                position + offset,
            ),
        )


class RelationTypes:
    """The relation types of one project, read from its file when asked."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[RelationType]:
        rows = self.store.conn.execute(
            "SELECT name, colour, head_labels, child_labels, hotkey, description"
            " FROM relation_types ORDER BY position"
        ).fetchall()
        return [
            RelationType(
                name,
                colour,
                tuple(orjson.loads(head)),
                tuple(orjson.loads(child)),
                hotkey,
                description,
            )
            for name, colour, head, child, hotkey, description in rows
        ]

    def get(self, name: str) -> RelationType:
        return find_type(self.all(), name)

    def check(self, name: str, head_label: str, child_label: str) -> None:
        """Refuse a relation the project's types do not allow (a project with no
        types at all links freely)."""
        types = self.all()
        if types:
            check_relation(find_type(types, name), head_label, child_label)

    def ensure(self, name: str) -> bool:
        """Make a free type (any label to any label) for a relation label an import
        brings, inside the caller's transaction; whether one was made."""
        conn = self.store.conn
        if conn.execute("SELECT 1 FROM relation_types WHERE name = ?", (name,)).fetchone():
            return False
        # As the file names it (other tools allow spaces): the name a relation carries.
        insert_types(conn, [RelationType(name, FREE_COLOUR)])
        return True

    def add(self, rtype: RelationType) -> RelationType:
        if any(existing.name == rtype.name for existing in self.all()):
            raise RelationTypeError(f"relation type {rtype.name} exists already")
        try:
            with self.store.transaction() as conn:
                insert_types(conn, [rtype])
        except sqlite3.IntegrityError:
            raise RelationTypeError(
                f"key {rtype.hotkey!r} is taken by another relation type"
            ) from None
        self.store.emit(Change("labels"))
        return self.get(rtype.name)

    def _update(self, name: str, /, **values: Any) -> RelationType:
        self.get(name)  # refuses an unknown name, listing the known ones
        sets = ", ".join(f"{key} = ?" for key in values)
        try:
            with self.store.transaction() as conn:
                conn.execute(
                    f"UPDATE relation_types SET {sets} WHERE name = ?", (*values.values(), name)
                )
                if "name" in values:
                    conn.execute(
                        "UPDATE relations SET label = ? WHERE label = ?", (values["name"], name)
                    )
        except sqlite3.IntegrityError:
            what = "name" if "name" in values else "key"
            raise RelationTypeError(f"another relation type has that {what} already") from None
        self.store.emit(Change("labels"))
        return self.get(values.get("name", name))

    def rename(self, old: str, new: str) -> RelationType:
        """Rename a type; its relations carry the new name."""
        return self._update(old, name=relation_type(new, FREE_COLOUR).name)

    def recolour(self, name: str, colour: str) -> RelationType:
        return self._update(name, colour=check_colour(colour))

    def set_hotkey(self, name: str, hotkey: str | None) -> RelationType:
        return self._update(name, hotkey=check_hotkey(hotkey))

    def describe(self, name: str, description: str) -> RelationType:
        return self._update(name, description=" ".join(description.split()))

    def set_ends(self, name: str, head: Sequence[str], child: Sequence[str]) -> RelationType:
        """The labels allowed at the head and at the child (empty: any label)."""
        return self._update(
            name,
            head_labels=orjson.dumps(list(head)).decode(),
            child_labels=orjson.dumps(list(child)).decode(),
        )

    def label_renamed(self, old: str, new: str) -> None:
        """Types name labels: follow a label's new name (inside the caller's transaction)."""
        conn = self.store.conn
        for name, head, child in conn.execute(
            "SELECT name, head_labels, child_labels FROM relation_types"
        ).fetchall():
            heads = [new if x == old else x for x in orjson.loads(head)]
            childs = [new if x == old else x for x in orjson.loads(child)]
            conn.execute(
                "UPDATE relation_types SET head_labels = ?, child_labels = ? WHERE name = ?",
                (orjson.dumps(heads).decode(), orjson.dumps(childs).decode(), name),
            )

    def relation_count(self, name: str) -> int:
        """How many relations are of this type (what removing it would take)."""
        row = self.store.conn.execute(
            "SELECT count(*) FROM relations WHERE label = ?", (name,)
        ).fetchone()
        return int(row[0])

    def remove(self, name: str) -> int:
        """Remove a type and its relations; how many relations went with it."""
        self.get(name)
        with self.store.transaction() as conn:
            count = conn.execute("DELETE FROM relations WHERE label = ?", (name,)).rowcount
            conn.execute("DELETE FROM relation_types WHERE name = ?", (name,))
        self.store.emit(Change("labels"))
        return int(count)
