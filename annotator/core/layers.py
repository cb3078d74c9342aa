"""Layers: whose spans these are.

Every span and relation belongs to one layer: a person's (their annotator
name), ``gold`` (the adjudicated result), or a suggestion layer
``suggest:SOURCE`` (a model, a rule). Two people's identical spans are two
rows; each person's status of a document is their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.errors import SpanError
from annotator.core.records import now
from annotator.core.store import Store

GOLD = "gold"
SUGGESTION_PREFIX = "suggest:"


def is_suggestion(name: str) -> bool:
    return name.startswith(SUGGESTION_PREFIX)


def is_human(name: str) -> bool:
    """A person's layer or gold: what an export carries by default."""
    return not is_suggestion(name)


def suggestion_layer(source: str) -> str:
    return f"{SUGGESTION_PREFIX}{source}"


def check_layer_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise SpanError("a layer needs a name (the annotator's name, gold or suggest:SOURCE)")
    if cleaned == SUGGESTION_PREFIX:
        raise SpanError("a suggestion layer is named suggest:SOURCE, with a source")
    return cleaned


class Layers:
    """Layer names and ids, kept in memory and read again when the file changes."""

    def __init__(self, store: Store, current: str) -> None:
        self.store = store
        self.current = check_layer_name(current)
        self._by_name: dict[str, int] = {}
        self._version = -1
        self.reload()

    def reload(self) -> None:
        rows = self.store.conn.execute("SELECT name, id FROM layers ORDER BY id").fetchall()
        self._by_name = dict(rows)
        self._version = self.store.data_version()

    def fresh(self) -> None:
        if self.store.data_version() != self._version:
            self.reload()

    def names(self) -> list[str]:
        """Every layer, in the order they were made."""
        self.fresh()
        return list(self._by_name)

    def human(self) -> list[str]:
        return [name for name in self.names() if is_human(name)]

    def find(self, name: str) -> int | None:
        """The layer's id, or None where it has no row yet (nothing made in it)."""
        layer_id = self._by_name.get(name)
        if layer_id is None:
            self.reload()
            layer_id = self._by_name.get(name)
        return layer_id

    def name_of(self, layer_id: int) -> str:
        for name, known in self._by_name.items():
            if known == layer_id:
                return name
        self.reload()
        for name, known in self._by_name.items():
            if known == layer_id:
                return name
        raise SpanError(f"no layer with id {layer_id}")

    def ensure(self, name: str) -> int:
        """The layer's id, made (inside the caller's transaction) where missing."""
        name = check_layer_name(name)
        layer_id = self._by_name.get(name)
        if layer_id is not None:
            return layer_id
        conn = self.store.conn
        row = conn.execute("SELECT id FROM layers WHERE name = ?", (name,)).fetchone()
        if row is None:
            with self.store.transaction():
                cursor = conn.execute(
                    "INSERT INTO layers (name, created) VALUES (?, ?)", (name, now())
                )
            layer_id = int(cursor.lastrowid or 0)
        else:
            layer_id = int(row[0])
        self._by_name[name] = layer_id
        return layer_id

    def ids(self, names: Iterable[str]) -> list[int]:
        """Ids of the named layers that exist (a layer with nothing in it has none)."""
        found = (self.find(name) for name in names)
        return [layer_id for layer_id in found if layer_id is not None]

    def forget(self, name: str) -> None:
        """Drop a layer id made inside a transaction that was rolled back."""
        self._by_name.pop(name, None)
