"""Undo history kept with the edits, in the core, so every front end shares it.

Each step knows how to apply and revert itself against the store; the
project runs each in its own transaction. The window only shows the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Step(NamedTuple):
    description: str  # "add PERSON 'Putin'": shown as "Undo add PERSON 'Putin'"
    document_id: int | None
    apply: Callable[[], object]
    revert: Callable[[], object]


class History:
    """A linear undo/redo history; a new step after undos drops the redo branch."""

    def __init__(self, limit: int = 1000) -> None:
        self._done: list[Step] = []
        self._undone: list[Step] = []
        self.limit = limit

    def push(self, step: Step) -> None:
        self._done.append(step)
        if len(self._done) > self.limit:
            del self._done[0]
        self._undone.clear()

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def size(self) -> int:
        """How many steps can be undone: a mark for :meth:`combine`."""
        return len(self._done)

    def combine(self, since: int, description: str) -> None:
        """Fold the steps pushed after ``size`` was ``since`` into one step, undone
        and redone together (an adjudication choice that removes and adds spans)."""
        steps = self._done[since:]
        if len(steps) < 2:
            return
        del self._done[since:]

        def apply() -> None:
            for step in steps:
                step.apply()

        def revert() -> None:
            for step in reversed(steps):
                step.revert()

        self._done.append(Step(description, steps[-1].document_id, apply, revert))

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].description if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].description if self._undone else ""

    def pop_undo(self) -> Step | None:
        """The step to revert; the caller reverts it and then calls ``did_undo``."""
        return self._done[-1] if self._done else None

    def did_undo(self) -> None:
        self._undone.append(self._done.pop())

    def pop_redo(self) -> Step | None:
        return self._undone[-1] if self._undone else None

    def did_redo(self) -> None:
        self._done.append(self._undone.pop())
