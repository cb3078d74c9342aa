"""Figure 8: exact-match span F1 between coders against a bare Python loop.

Full size: 10,000 documents × 3 coders × 10 spans each (maria has the synthetic
spans; olga and chen each move or relabel about a fifth of them), every pair
compared. Ours is ``span_agreement`` (per pair, over all labels and per label,
missing data and filters handled); the baseline is the shortest loop that gives
the same micro F1 from the same tuples, with sets. Both take the documents in
memory: reading the layers from a project is the store's part of ``agree``.
The whole report (both modes, kappa and alpha on tokens) is timed once, as a note.
"""

from __future__ import annotations

import random
import time

import synth
from common import Row, Settings, fmt_seconds, interleave, median, timed

from annotator.core.agreement import CodedDocument, SpanTuple, agreement, span_agreement

CODERS = ("maria", "olga", "chen")


def _vary(rng: random.Random, text: str, spans: list[SpanTuple]) -> list[SpanTuple]:
    """Another coder's reading: most spans kept, some with a boundary moved or relabelled."""
    labels = ("PERSON", "PLACE", "QUOTE", "HEDGE")
    result = []
    for start, end, label in spans:
        roll = rng.random()
        if roll < 0.1 and end - start > 1:
            start += 1
        elif roll < 0.2:
            label = rng.choice([other for other in labels if other != label])
        result.append((start, end, label))
    return result


def make_documents(seed: int, documents: int) -> list[CodedDocument]:
    rng = random.Random(seed + 1)
    result = []
    for record in synth.records(seed, documents):
        text = record["text"]
        spans = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        layers = {"maria": spans, "olga": _vary(rng, text, spans), "chen": _vary(rng, text, spans)}
        result.append(CodedDocument(record["name"], text, layers))
    return result


def bare_exact_f1(documents: list[CodedDocument]) -> dict[tuple[str, str], float]:
    """Micro exact-match F1 per pair, as short as it gets."""
    result = {}
    for n, a in enumerate(CODERS):
        for b in CODERS[n + 1 :]:
            matched = total = 0
            for document in documents:
                spans_a, spans_b = document.spans[a], document.spans[b]
                if spans_a is None or spans_b is None:
                    continue
                set_a, set_b = set(spans_a), set(spans_b)
                matched += len(set_a & set_b)
                total += len(set_a) + len(set_b)
            result[(a, b)] = 2 * matched / total
    return result


def figure_agree(settings: Settings) -> Row:
    count = settings.size(10_000, 200)
    settings.log(f"agreement: making {count:,} documents × {len(CODERS)} coders")
    documents = make_documents(settings.seed, count)
    spans = sum(len(s or ()) for d in documents for s in d.spans.values())
    expected = bare_exact_f1(documents)
    got = {(p.a, p.b): p.total.f1 for p in span_agreement(documents, annotators=CODERS)}
    if got != expected:
        raise AssertionError(f"span_agreement {got} differs from the bare loop {expected}")

    ours_runs, base_runs = interleave(
        settings.at_least(5),
        lambda: timed(lambda: span_agreement(documents, annotators=CODERS)),
        lambda: timed(lambda: bare_exact_f1(documents)),
    )
    ours_time, base_time = median(ours_runs), median(base_runs)
    ratio = base_time / ours_time  # throughput: ours as a share of the bare loop's
    start = time.perf_counter()
    full = agreement(documents, annotators=CODERS)
    full_time = time.perf_counter() - start
    return Row(
        f"8. Agreement, exact F1: {count:,} docs × {len(CODERS)} coders ({spans:,} spans)",
        f"{count / ours_time:,.0f} docs/s ({fmt_seconds(ours_time)})",
        f"{count / base_time:,.0f} docs/s ({fmt_seconds(base_time)}, bare loop)",
        ratio,
        "≥ 0.5×",
        ratio >= 0.5,
        [
            f"Figure 8: the whole agreement report (exact and overlap F1, kappa, alpha on "
            f"{full.tokens:,} tokens) took {fmt_seconds(full_time)} once "
            f"({count / full_time:,.0f} docs/s); tokenizing the texts is its largest part."
        ],
    )


def make_project(settings: Settings, documents: list[CodedDocument]) -> str:
    """The same coders' layers in a project file, each coder done with each document."""
    from annotator.core import NewDocument, Project

    path = settings.workdir / f"agree-{len(documents)}.annotator"
    if path.exists():
        return str(path)
    with Project.create(path, annotator="lead") as project:
        project.add_documents(
            NewDocument(
                text=d.text,
                name=d.name,
                spans=[
                    {"start": start, "end": end, "label": label, "annotator": coder}
                    for coder, spans in d.spans.items()
                    for start, end, label in spans or ()
                ],
                statuses=dict.fromkeys(CODERS, "done"),
            )
            for d in documents
        )
    return str(path)


def ours_from_project(path: str) -> dict[tuple[str, str], float | None]:
    """What ``annotator agree`` does for exact F1: read the coders' finished layers,
    then score every pair."""
    from annotator.core import Project
    from annotator.core.team import coded_documents

    with Project.open(path, read_only=True, verify=False) as project:
        documents = coded_documents(project, list(CODERS))
    return {(p.a, p.b): p.total.f1 for p in span_agreement(documents, annotators=CODERS)}


def bare_from_sqlite(path: str) -> dict[tuple[str, str], float]:
    """A bare loop: the same spans read with sqlite3, exact-match F1 with sets."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    by_document: dict[int, dict[str, set[tuple[int, int, int]]]] = {}
    for document_id, coder, start, end, label in conn.execute(
        'SELECT s.document_id, y.name, s.start, s."end", s.label_id FROM spans s'
        " JOIN layers y ON y.id = s.layer_id"
    ):
        by_document.setdefault(document_id, {}).setdefault(coder, set()).add((start, end, label))
    conn.close()
    result = {}
    for n, a in enumerate(CODERS):
        for b in CODERS[n + 1 :]:
            matched = total = 0
            for layers in by_document.values():
                set_a, set_b = layers.get(a, set()), layers.get(b, set())
                matched += len(set_a & set_b)
                total += len(set_a) + len(set_b)
            result[(a, b)] = 2 * matched / total
    return result


def figure_agree_from_project(settings: Settings) -> Row:
    count = settings.size(10_000, 200)
    documents = make_documents(settings.seed, count)
    settings.log(f"agreement: a project of {count:,} documents × {len(CODERS)} coders")
    path = make_project(settings, documents)
    got, expected = ours_from_project(path), bare_from_sqlite(path)
    if {k: round(v or 0, 9) for k, v in got.items()} != {
        k: round(v, 9) for k, v in expected.items()
    }:
        raise AssertionError(f"agree's F1 {got} differs from the bare loop's {expected}")
    ours_runs, base_runs = interleave(
        settings.at_least(3),
        lambda: timed(lambda: ours_from_project(path)),
        lambda: timed(lambda: bare_from_sqlite(path)),
    )
    ours_time, base_time = median(ours_runs), median(base_runs)
    ratio = base_time / ours_time
    return Row(
        "8. The same, read from a project (`agree`'s path) vs sqlite3 and a bare loop",
        f"{count / ours_time:,.0f} docs/s ({fmt_seconds(ours_time)})",
        f"{count / base_time:,.0f} docs/s ({fmt_seconds(base_time)}, sqlite3 + bare loop)",
        ratio,
        "≥ 0.5×",
        ratio >= 0.5,
    )


def run(settings: Settings) -> list[Row]:
    return [figure_agree(settings), figure_agree_from_project(settings)]
