"""The core: plain Python, no Qt. Everything a script or the command line can do."""

from typing import TYPE_CHECKING, Any

from annotator.core.errors import (
    AnnotatorError,
    InputError,
    ProjectError,
    ProjectLocked,
    ReadOnlyProject,
    SpanError,
)
from annotator.core.model import Document, DocumentSummary, Label, Relation, Span, SpanExtent
from annotator.core.offsets import ViewMap, snap_selection, widen_to_characters
from annotator.core.project import Change, Project

if TYPE_CHECKING:
    from annotator.core.incoming import ImportReport, NewDocument

__all__ = [
    "AnnotatorError",
    "Change",
    "Document",
    "DocumentSummary",
    "ImportReport",
    "InputError",
    "Label",
    "NewDocument",
    "Project",
    "ProjectError",
    "ProjectLocked",
    "ReadOnlyProject",
    "Relation",
    "Span",
    "SpanError",
    "SpanExtent",
    "ViewMap",
    "snap_selection",
    "widen_to_characters",
]


def __getattr__(name: str) -> Any:
    """What comes in on import is made when first asked for, not at every start."""
    if name in ("ImportReport", "NewDocument"):
        from annotator.core import incoming

        return getattr(incoming, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
