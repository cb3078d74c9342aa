"""``spacy:NAME``: an installed spaCy pipeline's entities, mapped onto our labels.

The pipeline is given by package name (``en_core_web_sm``) or by folder (one
``nlp.to_disk`` wrote). Nothing is ever downloaded: a name that is neither an
installed package nor a folder is refused with a line saying so. spaCy itself
is optional (``pip install 'annotator[spacy]'``) and imported only here.

Entity offsets are code points of ``doc.text``, which is our text, so spans
pass through unchanged.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.suggest.model import SuggestError, Suggestion

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy's entity label -> ours. A project may give its own.
DEFAULT_MAPPING: Mapping[str, str] = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
}
INSTALL_HINT = "pip install 'annotator[spacy]'"


def source_name(pipeline: str | Path) -> str:
    """``spacy:NAME``: the package name, or the folder's own name."""
    return f"spacy:{Path(pipeline).name if Path(pipeline).exists() else pipeline}"


def load_pipeline(pipeline: str | Path) -> Language:
    """The installed package or the folder ``pipeline`` as a spaCy Language, never downloaded."""
    try:
        import spacy
    except ImportError:
        raise SuggestError(
            f"the spacy source needs spaCy, which is not installed: {INSTALL_HINT}"
        ) from None
    path = Path(pipeline)
    if path.is_dir():
        if not (path / "config.cfg").is_file():
            raise SuggestError(f"{path}: not a spaCy pipeline folder (no config.cfg in it)")
        return spacy.load(path)
    name = str(pipeline)
    if not name.isidentifier() or importlib.util.find_spec(name) is None:
        raise SuggestError(
            f"no spaCy pipeline {name!r}: give an installed pipeline package "
            f"(pip install it yourself) or a folder written by nlp.to_disk"
        )
    return spacy.load(name)


class SpacySource:
    """Runs a pipeline and keeps the entities whose label the mapping knows."""

    def __init__(
        self,
        pipeline: str | Path,
        mapping: Mapping[str, str] | None = None,
        nlp: Language | None = None,
    ) -> None:
        self.nlp = nlp if nlp is not None else load_pipeline(pipeline)
        self.mapping = dict(DEFAULT_MAPPING if mapping is None else mapping)
        self.source = source_name(pipeline)

    def run(self, text: str) -> list[Suggestion]:
        return self._suggestions(self.nlp(text))

    def run_many(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[list[Suggestion]]:
        """One list per text, in order; spaCy batches them."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield self._suggestions(doc)

    def _suggestions(self, doc: Doc) -> list[Suggestion]:
        out: list[Suggestion] = []
        for ent in doc.ents:
            label = self.mapping.get(ent.label_)
            if label is not None:
                out.append(Suggestion(ent.start_char, ent.end_char, label, self.source))
        return out
