"""spaCy's binary training format (``.spacy``, a DocBin), export only.

Needs spaCy (``pip install annotator[spacy]``); it is imported only when
writing, so everything else works without it. Each document becomes a ``Doc``
built from our tokens (:mod:`.tokens`), so ``spacy train`` reads the file as
it is: every span goes into ``doc.spans["sc"]`` (for the span categorizer) and
the non-overlapping ones, longest first, into ``doc.ents`` (for the entity
recognizer). ``user_data`` keeps the document's id, name and status.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.formats.tokens import tokenize
from annotator.core.project import Project

SPANS_KEY = "sc"


def make_doc(vocab: Any, document: Any, spans: Sequence[Any], report: WriteReport) -> Any:
    """A spaCy Doc of one document with its spans."""
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    tokens = tokenize(document.text)
    doc = Doc(vocab, words=[t.text for t in tokens], spaces=[t.ws for t in tokens])
    found: list[Any] = []
    for span in spans:
        item = doc.char_span(span.start, span.end, label=span.label, alignment_mode="strict")
        if item is None:
            report.lose("spans not on token boundaries widened to whole tokens")
            item = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
        if item is not None:  # "expand" always finds tokens in a non-empty extent
            found.append(item)
    doc.spans[SPANS_KEY] = found
    ents = filter_spans(found)
    if len(ents) < len(found):
        report.lose(
            "nested or overlapping spans kept in doc.spans only, not doc.ents",
            len(found) - len(ents),
        )
    doc.ents = ents
    doc.user_data["annotator"] = {
        "id": document.id,
        "name": document.name,
        "status": document.status,
    }
    report.spans += len(found)
    return doc


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise AnnotatorError(
            "writing .spacy files needs spaCy: pip install 'annotator[spacy]'"
        ) from None
    report = WriteReport()
    vocab = spacy.blank("xx").vocab
    docs = DocBin(store_user_data=True)
    for document, spans, relations in project.iter_annotated(
        status=status, labels=labels, layers=layers
    ):
        docs.add(make_doc(vocab, document, spans, report))
        if relations:
            report.lose("relations left out of .spacy", len(relations))
        report.documents += 1
    with atomic_output(output) as stream:
        stream.write(docs.to_bytes())
    return report


FORMAT = register(
    Format(
        name="spacy",
        title="spaCy training data (.spacy)",
        extensions=(".spacy",),
        write=write,
        keeps="text, tokens, every span (doc.spans['sc']), non-overlapping spans as doc.ents",
        loses="relations, notes, annotators, metadata (id, name and status stay in user_data)",
    )
)
