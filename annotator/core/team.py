"""A team of coders with project files alone: hand documents out, merge them back.

``handout`` writes one project per coder with their share of the documents;
a chosen fraction goes to everyone so that agreement can be measured. The
split is seeded, so the same command gives the same files. ``merge`` brings
the coders' files together, matching documents by their text and keeping each
file's layers; it refuses, naming layer and document, where two files hold
the same layer of the same document with different spans.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.agreement import CodedDocument
from annotator.core.companions import remove_companions
from annotator.core.errors import InputError, ProjectError
from annotator.core.incoming import NewDocument
from annotator.core.layers import GOLD, is_suggestion
from annotator.core.model import Document, Relation, Span
from annotator.core.project import Project
from annotator.core.records import text_hash

MANIFEST = "handout.json"


@dataclass
class Handout:
    """Who got which documents (by id in the source project)."""

    shared: list[int] = field(default_factory=list)
    by_coder: dict[str, list[int]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)


def split(document_ids: Sequence[int], coders: Sequence[str], overlap: float, seed: int) -> Handout:
    """The shared documents (``overlap`` of them, to the nearest whole document) go to
    every coder; the rest are dealt out in turn after a seeded shuffle."""
    if not coders:
        raise ValueError("name at least one coder")
    if len(set(coders)) != len(coders):
        raise ValueError("each coder is named once")
    if not 0 <= overlap <= 1:
        raise ValueError("the overlap is a fraction from 0 to 1 (0.2 for a fifth)")
    order = list(document_ids)
    random.Random(seed).shuffle(order)
    shared_count = int(len(order) * overlap + 0.5)  # to the nearest whole document
    plan = Handout(shared=sorted(order[:shared_count]))
    rest = order[shared_count:]
    for index, coder in enumerate(coders):
        own = rest[index :: len(coders)]
        plan.by_coder[coder] = sorted(plan.shared + own)
    return plan


def handout(
    source: Project,
    coders: Sequence[str],
    out_dir: Path,
    *,
    overlap: float = 0.2,
    seed: int = 0,
) -> Handout:
    """Write ``out_dir/CODER.annotator`` for each coder; the source is only read.

    Each file has the source's labels, relation types and guidelines, and its
    coder's documents (text, name, metadata) with any suggestions, but no
    person's spans: coders start clean.
    """
    plan = split(source.document_ids(), coders, overlap, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {coder: out_dir / f"{coder}.annotator" for coder in coders}
    taken = [str(path) for path in targets.values() if path.exists()]
    if taken:
        raise ProjectError(taken[0], "exists already: hand out into a new folder")
    labels = [
        {"name": x.name, "colour": x.colour, "hotkey": x.hotkey, "description": x.description}
        for x in source.labels
    ]
    suggestion_layers = [name for name in source.layers() if is_suggestion(name)]
    guidelines = source.guidelines
    try:
        for coder, path in targets.items():
            wanted = set(plan.by_coder[coder])
            with Project.create(
                path, labels, annotator=coder, relation_types=source.relation_types()
            ) as target:
                target.add_documents(_documents(source, wanted, suggestion_layers))
                if guidelines:
                    target.set_guidelines(guidelines)
            plan.files[coder] = path
    except BaseException:
        for path in plan.files.values():
            path.unlink(missing_ok=True)
        raise
    manifest = {
        "source": str(source.path),
        "seed": seed,
        "overlap": overlap,
        "shared": [source.document(i).hash for i in plan.shared],
        "coders": {c: [source.document(i).hash for i in ids] for c, ids in plan.by_coder.items()},
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return plan


def _documents(source: Project, wanted: set[int], layers: Sequence[str]) -> Iterator[NewDocument]:
    for document, spans, relations in source.iter_annotated(layers=layers or None):
        if document.id not in wanted:
            continue
        if not layers:
            spans, relations = [], []
        yield carried(document, spans, relations)


def carried(
    document: Document,
    spans: Sequence[Span],
    relations: Sequence[Relation],
    names: Mapping[str, str] | None = None,
    *,
    statuses: dict[str, str] | None = None,
    source: str = "",
) -> NewDocument:
    """A document with its spans and relations as another project takes it in, each
    span in its layer (renamed through ``names`` where given)."""
    return NewDocument(
        text=document.text,
        name=document.name,
        meta=document.meta,
        spans=[
            {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "annotator": names[s.annotator] if names else s.annotator,
                "note": s.note,
            }
            for s in spans
        ],
        relations=[{"head": r.head, "child": r.child, "label": r.label} for r in relations],
        statuses=statuses or {},
        source=source,
    )


# --- merging ---------------------------------------------------------------------------


@dataclass
class MergeReport:
    files: int = 0
    documents_added: int = 0
    documents_matched: int = 0
    spans: int = 0
    spans_existing: int = 0
    relations: int = 0
    layers: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # "file: layer" -> new name


def merge(inputs: Sequence[Path], output: Path, *, rename: bool = False) -> MergeReport:
    """Bring ``inputs`` into ``output`` (made from the first input's labels if new),
    all or nothing. The inputs are only read; merging a file again adds nothing."""
    if not inputs:
        raise ValueError("name the project files to merge")
    resolved = {Path(p).resolve() for p in inputs}
    if output.exists() and output.resolve() in resolved:
        raise ProjectError(output, "is one of the inputs: merge into another file")
    readers = [Project.open(path, read_only=True) for path in inputs]
    report = MergeReport(files=len(readers))
    try:
        _same_labels(readers)
        created = not output.exists()
        if created:
            first = readers[0]
            labels = [
                {
                    "name": x.name,
                    "colour": x.colour,
                    "hotkey": x.hotkey,
                    "description": x.description,
                }
                for x in first.labels
            ]
            target = Project.create(output, labels)
        else:
            target = Project.open(output)
        try:
            _same_labels([target, *readers])
            documents = _merged_documents(target, readers, rename, report)
            result = target.add_documents(documents)
        except BaseException:
            target.close()
            if created:
                remove_companions(output, with_file=True)
            raise
        target.close()
    finally:
        for reader in readers:
            reader.close()
    report.documents_added = result.added
    report.documents_matched = result.matched
    report.spans, report.spans_existing = result.spans, result.spans_existing
    report.relations = result.relations
    report.layers = result.layers
    return report


def _same_labels(projects: Sequence[Project]) -> None:
    first = projects[0]
    names = [label.name for label in first.labels]
    for other in projects[1:]:
        theirs = [label.name for label in other.labels]
        if set(theirs) != set(names):
            only_first = sorted(set(names) - set(theirs))
            only_other = sorted(set(theirs) - set(names))
            parts = []
            if only_first:
                parts.append(f"{first.path.name} has {', '.join(only_first)}")
            if only_other:
                parts.append(f"{other.path.name} has {', '.join(only_other)}")
            raise InputError(
                other.path,
                f"its labels differ from {first.path.name}'s ({'; '.join(parts)}): make them"
                " the same with `annotator labels` first",
            )


def _merged_documents(
    target: Project, readers: Sequence[Project], rename: bool, report: MergeReport
) -> Iterator[NewDocument]:
    """Every input document with all its layers, checked against what is there."""
    # Each layer's spans seen so far, by a digest of them: 30,000 sets of spans
    # kept whole would hold 100 MB.
    seen: dict[tuple[str, str], tuple[bytes, str]] = {}
    # Only documents the target held before can clash with it: a new target costs no lookups.
    before = {row[0] for row in target.conn.execute("SELECT hash FROM documents")}
    for reader in readers:
        for document, spans, relations in reader.iter_annotated(layers=reader.layers() or None):
            statuses = document.statuses  # every layer's, as all layers are read
            by_layer: dict[str, set[tuple[int, int, str]]] = {}
            for span in spans:
                by_layer.setdefault(span.annotator, set()).add((span.start, span.end, span.label))
            for layer in statuses:
                by_layer.setdefault(layer, set())
            names: dict[str, str] = {}
            digest = text_hash(document.text)
            for layer, extents in by_layer.items():
                theirs = frozenset(extents)
                existing = _existing(target, digest, layer) if digest in before else None
                earlier = seen.get((digest, layer))
                clash = (existing is not None and existing != theirs) or (
                    earlier is not None and earlier[0] != _digest(theirs)
                )
                if clash and not rename:
                    other = earlier[1] if earlier is not None else target.path.name
                    raise InputError(
                        reader.path,
                        f"annotator {layer!r} has other spans in document {document.name!r}"
                        f" than in {other}: merge with --rename to keep both",
                    )
                name = f"{layer}@{reader.path.stem}" if clash else layer
                if clash:
                    report.renamed[f"{reader.path.name}: {layer}"] = name
                names[layer] = name
                seen[(digest, name)] = (_digest(theirs), reader.path.name)
            yield carried(
                document,
                spans,
                relations,
                names,
                statuses={names[layer]: status for layer, status in statuses.items()},
                source=f"{reader.path}, document {document.name!r}",
            )


def _digest(extents: frozenset[tuple[int, int, str]]) -> bytes:
    """The same for the same spans, in whatever order they came."""
    return hashlib.blake2b(repr(sorted(extents)).encode(), digest_size=16).digest()


def _existing(target: Project, digest: str, layer: str) -> frozenset[tuple[int, int, str]] | None:
    """The spans ``layer`` has in the target's document of that text, or None where it
    has no such document or that layer has neither spans nor a status there."""
    row = target.conn.execute("SELECT id FROM documents WHERE hash = ?", (digest,)).fetchone()
    if row is None:
        return None
    document_id = int(row[0])
    spans = target.spans(document_id, [layer])
    if not spans and layer not in target.statuses(document_id):
        return None
    return frozenset((s.start, s.end, s.label) for s in spans)


# --- agreement -------------------------------------------------------------------------


def coded_documents(
    project: Project, coders: Sequence[str] | None = None, status: str = "done"
) -> list[CodedDocument]:
    """Each document as the coders left it, for :func:`annotator.core.agreement.agreement`.

    ``status="done"``: a coder's spans count where the coder marked the document
    done, and are missing data elsewhere. ``"all"``: wherever the coder has spans
    or a status. Coders default to every person's layer but gold.
    """
    if status not in ("done", "all"):
        raise ValueError("--status is done or all")
    chosen = list(coders) if coders else [name for name in project.human_layers() if name != GOLD]
    known = project.layers()
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ValueError(
            f"no annotator {unknown[0]!r} in this project; it has {', '.join(known) or 'none'}"
        )
    layer_ids = project.layer_store.ids(chosen)
    if not layer_ids:
        return []
    names = {project.layer_store.find(name): name for name in chosen}
    labels = {label.id: label.name for label in project.labels}
    marks = ",".join(str(int(i)) for i in layer_ids)
    conn = project.conn
    # Two cursors side by side in document id order, as SQLite's unique index on
    # spans (document, layer, start, end, label) gives them: no sort, no record per
    # span (10,000 documents of three coders are 300,000 spans).
    spans = conn.cursor().execute(
        'SELECT document_id, layer_id, start, "end", label_id FROM spans'
        f" WHERE layer_id IN ({marks}) ORDER BY document_id"
    )
    statuses_of: dict[int, dict[str, str]] = {}
    for document_id, layer_id, state in conn.execute(
        f"SELECT document_id, layer_id, status FROM document_status WHERE layer_id IN ({marks})"
    ):
        statuses_of.setdefault(document_id, {})[names[layer_id]] = state
    documents = []
    pending = next(spans, None)
    for document_id, name, text in conn.execute("SELECT id, name, text FROM documents ORDER BY id"):
        by_coder: dict[str, list[tuple[int, int, str]]] = {}
        while pending is not None and pending[0] <= document_id:
            if pending[0] == document_id:
                by_coder.setdefault(names[pending[1]], []).append(
                    (pending[2], pending[3], labels[pending[4]])
                )
            pending = next(spans, None)
        statuses = statuses_of.get(document_id, {})
        coded: dict[str, list[tuple[int, int, str]] | None] = {}
        for coder in chosen:
            finished = statuses.get(coder) == "done"
            present = coder in by_coder or coder in statuses
            if finished or (status == "all" and present):
                coded[coder] = by_coder.get(coder, [])
            else:
                coded[coder] = None
        documents.append(CodedDocument(name, text, coded))
    return documents
