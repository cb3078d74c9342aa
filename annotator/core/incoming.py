"""What comes in on import: a document on its way in (:class:`NewDocument`, what
importers produce) and what an import did (:class:`ImportReport`).

A module of its own so that opening a project, which never imports, does not
make these two classes at every start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    """What an import did: documents added or matched to ones already there (by
    their text), spans and relations added or already there."""

    added: int = 0
    matched: int = 0
    spans: int = 0
    spans_existing: int = 0
    relations: int = 0
    relations_existing: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_relation_types: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    @property
    def skipped_duplicates(self) -> int:
        """Documents whose text was in the project already (their spans were added)."""
        return self.matched


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document on its way in: what importers produce."""

    text: str
    name: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "todo"
    spans: Sequence[dict[str, Any]] = ()  # {"id"?, "start", "end", "label", "annotator"?, ...}
    relations: Sequence[dict[str, Any]] = ()  # {"head", "child", "label"} by span "id"
    source: str = ""  # "file, line N", for messages
    # Status by layer where the source says it per layer (overrides ``status``).
    statuses: dict[str, str] = field(default_factory=dict)
