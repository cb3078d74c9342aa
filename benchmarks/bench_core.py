"""Figures 4 (export), 5 (import) and 7 (search): the core against bare SQLite and orjson.

Full size: 100,000 documents with 1,000,000 spans (10% nested). Import and
export run in fresh interpreters, ours and the baseline in turn, so peak
memory is each one's own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import orjson
import synth
from common import (
    Row,
    Settings,
    fmt_seconds,
    interleave,
    median,
    run_worker,
    timed,
    worker_main,
)

SCRIPT = Path(__file__).resolve()
FULL_DOCUMENTS = 100_000
QUICK_DOCUMENTS = 300


# --- workers (each in its own interpreter) ------------------------------------------


def import_ours(jsonl: str, project: str) -> dict[str, Any]:
    """What ``annotator add`` does: create, then read and store every line in one transaction."""
    from annotator.core import Project
    from annotator.core.importing import jsonl_documents

    start = time.perf_counter()  # after the imports: start-up is figure 6
    with Project.create(project, annotator="bench") as created:
        report = created.add_documents(jsonl_documents(Path(jsonl)))
    return {
        "seconds": time.perf_counter() - start,
        "documents": report.added,
        "spans": report.spans,
    }


def import_base(jsonl: str, project: str) -> dict[str, Any]:
    """The same rows through sqlite_utils ``insert_all``, one transaction, the same schema."""
    import sqlite_utils

    from annotator.core import Project

    Project.create(project, annotator="bench").close()  # the same tables and indexes, empty
    start = time.perf_counter()
    conn = sqlite3.connect(project)
    conn.execute("PRAGMA synchronous = FULL")
    db = sqlite_utils.Database(conn)
    labels = {name: id_ for id_, name in conn.execute("SELECT id, name FROM labels")}
    stamp = "2024-01-01T00:00:00+00:00"
    with conn:
        layer = conn.execute(
            "INSERT INTO layers (name, created) VALUES ('bench', ?)", (stamp,)
        ).lastrowid
    documents = spans = 0
    with db.atomic(), open(jsonl, "rb") as handle:
        batch: list[dict[str, Any]] = []
        span_rows: list[dict[str, Any]] = []

        def flush() -> None:
            db["documents"].insert_all(batch, batch_size=1000)
            db["spans"].insert_all(span_rows, batch_size=1000)
            batch.clear()
            span_rows.clear()

        for line in handle:
            record = orjson.loads(line)
            documents += 1
            text = record["text"]
            batch.append(
                {
                    "id": documents,
                    "name": record["name"],
                    "text": text,
                    "meta": orjson.dumps(record["meta"]).decode(),
                    "hash": hashlib.sha256(text.encode()).hexdigest(),
                    "position": documents - 1,
                    "created": stamp,
                    "updated": stamp,
                }
            )
            for span in record["spans"]:
                spans += 1
                span_rows.append(
                    {
                        "document_id": documents,
                        "layer_id": layer,
                        "start": span["start"],
                        "end": span["end"],
                        "label_id": labels[span["label"]],
                        "text": text[span["start"] : span["end"]],
                        "note": "",
                        "created": stamp,
                        "updated": stamp,
                    }
                )
            if len(batch) >= 1000:
                flush()
        flush()
    conn.close()
    return {"seconds": time.perf_counter() - start, "documents": documents, "spans": spans}


def export_ours(project: str, output: str) -> dict[str, Any]:
    """What ``annotator export`` does: open read-only, stream every document to a file."""
    from annotator.core import Project
    from annotator.core.exporting import export_jsonl

    start = time.perf_counter()  # after the imports: start-up is figure 6
    with Project.open(project, read_only=True) as opened:
        count = export_jsonl(opened, output)
    return {"seconds": time.perf_counter() - start, "documents": count}


def export_base(project: str, output: str) -> dict[str, Any]:
    """A bare loop: the same rows read with sqlite3, the same records written with orjson."""
    start = time.perf_counter()
    conn = sqlite3.connect(f"{Path(project).resolve().as_uri()}?mode=ro", uri=True)
    documents = conn.execute(
        "SELECT id, name, text, meta, coalesce((SELECT status FROM document_status"
        " WHERE document_id = d.id AND layer_id = 1), 'todo'), position FROM documents d"
        " ORDER BY position"
    )
    spans = conn.cursor().execute(
        'SELECT s.id, s.start, s."end", l.name, s.text, y.name, s.note, d.position'
        " FROM documents d JOIN spans s ON s.document_id = d.id JOIN labels l ON l.id = s.label_id"
        " JOIN layers y ON y.id = s.layer_id"
        ' ORDER BY d.position, s.start, s."end" DESC, l.position'
    )
    relations = conn.cursor().execute(
        "SELECT r.head_id, r.child_id, r.label, d.position FROM relations r"
        " JOIN spans s ON s.id = r.head_id JOIN documents d ON d.id = s.document_id"
        " ORDER BY d.position, r.id"
    )
    count = 0
    span = spans.fetchone()
    relation = relations.fetchone()
    with open(output, "wb") as handle:
        for id_, name, text, meta, status, position in documents:
            doc_spans = []
            while span is not None and span[7] == position:
                doc_spans.append(
                    {
                        "id": span[0],
                        "start": span[1],
                        "end": span[2],
                        "label": span[3],
                        "text": span[4],
                        "annotator": span[5],
                        "note": span[6],
                    }
                )
                span = spans.fetchone()
            doc_relations = []
            while relation is not None and relation[3] == position:
                doc_relations.append(
                    {"head": relation[0], "child": relation[1], "label": relation[2]}
                )
                relation = relations.fetchone()
            record = {
                "id": id_,
                "name": name,
                "text": text,
                "meta": orjson.loads(meta),
                "status": status,
                "spans": doc_spans,
                "relations": doc_relations,
            }
            handle.write(orjson.dumps(record))
            handle.write(b"\n")
            count += 1
    conn.close()
    return {"seconds": time.perf_counter() - start, "documents": count}


# --- the figures ---------------------------------------------------------------------


def make_data(settings: Settings) -> tuple[Path, int, int]:
    """The project's JSONL (generated once per run, seeded): (path, documents, spans)."""
    documents = settings.size(FULL_DOCUMENTS, QUICK_DOCUMENTS)
    path = settings.workdir / f"news-{documents}-{settings.seed}.jsonl"
    marker = path.with_suffix(".spans")
    if not (path.exists() and marker.exists()):
        settings.log(f"writing {documents} synthetic documents")
        spans = synth.write_jsonl(path, settings.seed, documents)
        marker.write_text(str(spans))
    return path, documents, int(marker.read_text())


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal", "-lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def figure_import(settings: Settings, jsonl: Path, documents: int, spans: int) -> tuple[Row, Path]:
    ours_path = settings.workdir / "ours.annotator"
    base_path = settings.workdir / "base.annotator"

    def ours() -> dict[str, Any]:
        settings.log("import: ours")
        return run_worker(SCRIPT, "import_ours", jsonl, _fresh(ours_path))

    def base() -> dict[str, Any]:
        settings.log("import: baseline")
        return run_worker(SCRIPT, "import_base", jsonl, _fresh(base_path))

    ours_runs, base_runs = interleave(settings.repeats, ours, base)
    assert all(r["documents"] == documents and r["spans"] == spans for r in ours_runs), ours_runs
    ours_rate = documents / median([r["seconds"] for r in ours_runs])
    base_rate = documents / median([r["seconds"] for r in base_runs])
    ratio = ours_rate / base_rate
    row = Row(
        f"5. Import {documents:,} docs / {spans:,} spans (JSONL)",
        f"{ours_rate:,.0f} docs/s",
        f"{base_rate:,.0f} docs/s",
        ratio,
        "≥ 0.5×",
        ratio >= 0.5,
        [
            f"import: ours {fmt_seconds(median([r['seconds'] for r in ours_runs]))}, "
            f"insert_all {fmt_seconds(median([r['seconds'] for r in base_runs]))}; "
            f"peak RSS ours {median([r['rss_mb'] for r in ours_runs]):.0f} MB"
        ],
    )
    _fresh(base_path)
    return row, ours_path


def figure_export(settings: Settings, project: Path, documents: int, spans: int) -> list[Row]:
    ours_out = settings.workdir / "ours-export.jsonl"
    base_out = settings.workdir / "base-export.jsonl"

    def ours() -> dict[str, Any]:
        settings.log("export: ours")
        return run_worker(SCRIPT, "export_ours", project, ours_out)

    def base() -> dict[str, Any]:
        settings.log("export: baseline")
        return run_worker(SCRIPT, "export_base", project, base_out)

    ours_runs, base_runs = interleave(settings.repeats, ours, base)
    same = ours_out.read_bytes() == base_out.read_bytes() if settings.quick else None
    if same is False:
        raise AssertionError("export and the bare loop wrote different bytes")
    megabytes = ours_out.stat().st_size / 1e6
    ours_time = median([r["seconds"] for r in ours_runs])
    base_time = median([r["seconds"] for r in base_runs])
    ratio = base_time / ours_time  # throughput ratio
    rss = max(r["rss_mb"] for r in ours_runs)
    base_rss = max(r["rss_mb"] for r in base_runs)
    rows = [
        Row(
            f"4. Export {documents:,} docs / {spans:,} spans to JSONL",
            f"{documents / ours_time:,.0f} docs/s ({megabytes / ours_time:.0f} MB/s)",
            f"{documents / base_time:,.0f} docs/s ({megabytes / base_time:.0f} MB/s)",
            ratio,
            "≥ 0.5×",
            ratio >= 0.5,
            [
                f"export: ours {fmt_seconds(ours_time)}, bare loop {fmt_seconds(base_time)}, "
                f"{megabytes:.0f} MB written"
            ],
        ),
        Row(
            "4. Export peak RSS",
            f"{rss:.0f} MB",
            f"{base_rss:.0f} MB",
            rss / base_rss,
            "< 200 MB",
            rss < 200,
        ),
    ]
    rows.append(_json_vs_orjson(settings, project))
    for path in (ours_out, base_out):
        path.unlink(missing_ok=True)
    return rows


def _json_vs_orjson(settings: Settings, project: Path) -> Row:
    """Evidence for orjson: both encoders on the same export records."""
    from annotator.core import Project
    from annotator.core.exporting import document_record

    with Project.open(project, read_only=True) as opened:
        records = []
        for document, spans, relations in opened.iter_annotated():
            records.append(document_record(document, spans, relations))
            if len(records) >= settings.size(20_000, 200):
                break
    size = sum(len(orjson.dumps(r)) for r in records) / 1e6

    def with_json() -> None:
        for record in records:
            json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()

    def with_orjson() -> None:
        for record in records:
            orjson.dumps(record)

    fast, slow = interleave(
        settings.at_least(3), lambda: timed(with_orjson), lambda: timed(with_json)
    )
    fast_rate, slow_rate = size / median(fast), size / median(slow)
    return Row(
        f"4. Encoding {len(records):,} records: orjson vs json",
        f"{fast_rate:,.0f} MB/s",
        f"{slow_rate:,.0f} MB/s",
        fast_rate / slow_rate,
        "(evidence)",
        None,
    )


def figure_search(settings: Settings, project: Path, documents: int) -> Row:
    from annotator.core import Project

    names = synth.common_names()
    opened = Project.open(project, read_only=True)
    conn = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    found: dict[str, int] = {}

    def ours() -> float:
        start = time.perf_counter()
        for name in names:
            found[name] = len(opened.search(name))
        return time.perf_counter() - start

    def base() -> float:
        start = time.perf_counter()
        for name in names:
            conn.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", (f'"{name}"',)
            ).fetchall()
        return time.perf_counter() - start

    ours(), base()  # warm the page cache for both
    expected = {
        name: len(
            conn.execute(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", (f'"{name}"',)
            ).fetchall()
        )
        for name in names
    }
    ours_runs, base_runs = interleave(settings.at_least(7), ours, base)
    assert found == expected, (found, expected)
    opened.close()
    conn.close()
    ours_time, base_time = median(ours_runs), median(base_runs)
    ratio = ours_time / base_time
    return Row(
        f"7. Search {len(names)} names in {documents:,} docs ({sum(found.values()):,} hits)",
        fmt_seconds(ours_time),
        fmt_seconds(base_time),
        ratio,
        "≤ 1.5×",
        ratio <= 1.5,
    )


def run(settings: Settings) -> list[Row]:
    jsonl, documents, spans = make_data(settings)
    import_row, project = figure_import(settings, jsonl, documents, spans)
    settings.shared.update(project=project, jsonl=jsonl, documents=documents)
    rows = [import_row]
    rows.extend(figure_export(settings, project, documents, spans))
    rows.append(figure_search(settings, project, documents))
    # Figures 4, 5, 7 in that order.
    return [rows[1], rows[2], rows[3], rows[0], rows[4]]


if __name__ == "__main__":
    worker_main(
        {
            "import_ours": import_ours,
            "import_base": import_base,
            "export_ours": export_ours,
            "export_base": export_base,
        }
    )
