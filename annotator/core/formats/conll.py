"""CoNLL-2003 with IOB2 tags (export only), and the same tags as Hugging Face
token-classification JSON lines.

CoNLL: one token a line in CoNLL-2003's four columns, ``TOKEN -X- _ TAG`` (no
part-of-speech or chunk tags: ``-X-`` and ``_`` hold their places), a blank line
between sentences, ``-DOCSTART- -X- -X- O`` before each document. Tokens and
sentences come from :mod:`.tokens`.

One tag per token cannot hold everything a project can; what does not fit is
counted in the report, never dropped unseen:

- of nested or overlapping spans the outer (first, longest) one is kept;
- a span that cuts a token is widened to the whole token;
- a span running across a sentence end is split there (the new sentence starts
  with ``B-``);
- relations are left out.

``layer`` (``"PERSON,PLACE"``) chooses which labels go in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.formats.tokens import Aligner, Token, sentences, tokenize
from annotator.core.project import Project

DOCSTART = "-DOCSTART- -X- -X- O"
NESTED = "nested or overlapping spans left out of CoNLL"
WIDENED = "spans not on token boundaries widened to whole tokens"
SPLIT = "spans across a sentence end split in two"


def parse_layer(layer: str | Sequence[str] | None) -> list[str] | None:
    """``"PERSON,PLACE"`` -> ["PERSON", "PLACE"]; None or empty: every label."""
    if layer is None:
        return None
    names = layer.split(",") if isinstance(layer, str) else list(layer)
    names = [name.strip() for name in names if name.strip()]
    return names or None


def _tag_label(label: str) -> str:
    return re.sub(r"\s+", "_", label)


def tagged_sentences(
    document: Any, spans: Sequence[Any], report: WriteReport
) -> Iterator[list[tuple[Token, str]]]:
    """The document's sentences as (token, IOB2 tag) pairs."""
    tokens = tokenize(document.text)
    aligner = Aligner(tokens)
    tags = ["O"] * len(tokens)
    kept = 0
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        first, last, exact = aligner(span.start, span.end)
        inside = [i for i in range(first, last + 1) if not tokens[i].is_space]
        if not inside:
            continue
        if any(tags[i] != "O" for i in inside):
            report.lose(NESTED)
            continue
        if not exact:
            report.lose(WIDENED)
        label = _tag_label(span.label)
        if label != span.label:
            report.lose(f"label {span.label!r} written as {label!r} (no spaces in a tag)")
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
        kept += 1
    report.spans += kept
    index = {token.start: i for i, token in enumerate(tokens)}
    for sentence in sentences(tokens):
        pairs = [(token, tags[index[token.start]]) for token in sentence]
        if pairs and pairs[0][1].startswith("I-"):
            report.lose(SPLIT)
            pairs[0] = (pairs[0][0], "B-" + pairs[0][1][2:])
        yield pairs


def _layered(
    project: Project,
    status: str | None,
    labels: Sequence[str] | None,
    layer: Any,
    report: WriteReport,
    layers: Sequence[str] | None = None,
) -> Iterator[tuple[Any, list[Any]]]:
    chosen = parse_layer(layer)
    if chosen is not None:
        known = {label.name for label in project.labels}
        unknown = [name for name in chosen if name not in known]
        if unknown:
            raise ValueError(
                f"--layer names labels the project does not have: {', '.join(unknown)}"
            )
        labels = [name for name in chosen if labels is None or name in labels]
    for document, spans, relations in project.iter_annotated(
        status=status, labels=labels, layers=layers
    ):
        if relations:
            report.lose("relations left out (tags cannot hold them)", len(relations))
        report.documents += 1
        yield document, spans


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    layer: str | Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    report = WriteReport()
    with atomic_output(output, "w") as stream:
        for document, spans in _layered(project, status, labels, layer, report, layers):
            stream.write(DOCSTART + "\n\n")
            for sentence in tagged_sentences(document, spans, report):
                for token, tag in sentence:
                    stream.write(f"{token.text} -X- _ {tag}\n")
                stream.write("\n")
    return report


def write_hf(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    layer: str | Sequence[str] | None = None,
    **_options: object,
) -> WriteReport:
    """One sentence a line: {"id", "document", "tokens", "ner_tags"} (tags as strings),
    which ``datasets.load_dataset("json", ...)`` reads for token classification."""
    report = WriteReport()
    with atomic_output(output) as stream:
        for document, spans in _layered(project, status, labels, layer, report, layers):
            for n, sentence in enumerate(tagged_sentences(document, spans, report)):
                record = {
                    "id": f"{document.id}-{n}",
                    "document": document.name,
                    "tokens": [token.text for token, _ in sentence],
                    "ner_tags": [tag for _, tag in sentence],
                }
                stream.write(orjson.dumps(record))
                stream.write(b"\n")
    return report


_LOSES = (
    "metadata, status, notes, annotators, relations; of nested spans all but the outermost; "
    "spans that cut a token are widened"
)
FORMAT = register(
    Format(
        name="conll",
        title="CoNLL-2003 (IOB2)",
        extensions=(".conll", ".iob", ".bio"),
        write=write,
        keeps="text as tokens, sentences, one label per token (IOB2)",
        loses=_LOSES,
        options=("layer",),
    )
)
HF_FORMAT = register(
    Format(
        name="hf-tokens",
        title="Hugging Face token classification (JSON lines)",
        extensions=(".jsonl",),
        write=write_hf,
        keeps="text as tokens, one sentence a line, one label per token (IOB2 strings)",
        loses=_LOSES,
        options=("layer",),
    )
)
