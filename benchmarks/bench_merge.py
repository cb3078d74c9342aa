"""Figure 12: merging three coders' project files, against importing the same records.

Full size: 3 coders × 10,000 documents × 10 spans each (maria has the synthetic
spans; olga and chen each move or relabel about a fifth of them, as in figure
8), every document marked done by its coder. Ours is ``annotator merge`` of the
three coders' project files into a new project (documents matched by their
text's hash, each coder's layer and status kept); the baseline is the import
figure's path, ``annotator add`` of the same three coders' records as JSONL
(each span naming its coder) into a new project. Both run in fresh
interpreters, in turn; throughput counts the documents read (30,000 at full size).
"""

from __future__ import annotations

import random
import time
from itertools import chain
from pathlib import Path
from typing import Any

import orjson
import synth
from common import Row, Settings, fmt_seconds, interleave, median, run_worker, worker_main

SCRIPT = Path(__file__).resolve()
CODERS = ("maria", "olga", "chen")
LABELS = ("PERSON", "PLACE", "QUOTE", "HEDGE")


# --- workers (each in its own interpreter) ------------------------------------------


def merge_ours(output: str, *inputs: str) -> dict[str, Any]:
    """What ``annotator merge A B C -o OUT`` does."""
    from annotator.core.team import merge

    start = time.perf_counter()  # after the imports: start-up is figure 6
    report = merge([Path(p) for p in inputs], Path(output))
    return {
        "seconds": time.perf_counter() - start,
        "documents": report.documents_added,
        "spans": report.spans,
    }


def import_base(output: str, *jsonls: str) -> dict[str, Any]:
    """What ``annotator add OUT A.jsonl B.jsonl C.jsonl`` does: create, then read and
    store every line in one transaction."""
    from annotator.core import Project
    from annotator.core.importing import jsonl_documents

    start = time.perf_counter()
    with Project.create(output, annotator="bench") as created:
        records = chain.from_iterable(jsonl_documents(Path(p)) for p in jsonls)
        report = created.add_documents(records)
    return {
        "seconds": time.perf_counter() - start,
        "documents": report.added,
        "spans": report.spans,
    }


# --- the figure ----------------------------------------------------------------------


def _vary(rng: random.Random, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Another coder's reading: most spans kept, some with a boundary moved or relabelled."""
    result = []
    for span in spans:
        start, end, label = span["start"], span["end"], span["label"]
        roll = rng.random()
        if roll < 0.1 and end - start > 1:
            start += 1
        elif roll < 0.2:
            label = rng.choice([other for other in LABELS if other != label])
        result.append({"start": start, "end": end, "label": label})
    return result


def make_files(settings: Settings, documents: int) -> tuple[list[Path], list[Path], int]:
    """Each coder's records as JSONL and as a project file: (jsonl, projects, spans)."""
    from annotator.core import Project
    from annotator.core.importing import jsonl_documents

    rng = random.Random(settings.seed + 11)
    folder = settings.workdir / f"merge-{documents}-{settings.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    jsonls = [folder / f"{coder}.jsonl" for coder in CODERS]
    projects = [folder / f"{coder}.annotator" for coder in CODERS]
    handles = [open(path, "wb") for path in jsonls]  # noqa: SIM115 - three at once
    spans = 0
    try:
        for record in synth.records(settings.seed, documents):
            for coder, handle in zip(CODERS, handles, strict=True):
                marks = record["spans"] if coder == "maria" else _vary(rng, record["spans"])
                text = record["text"]
                coded = [
                    {**{k: m[k] for k in ("start", "end", "label")}, "annotator": coder}
                    for m in marks
                    if m["end"] > m["start"] and text[m["start"] : m["end"]].strip()
                ]
                spans += len(coded)
                line = {
                    "name": record["name"],
                    "text": text,
                    "meta": record["meta"],
                    "statuses": {coder: "done"},
                    "spans": coded,
                }
                handle.write(orjson.dumps(line) + b"\n")
    finally:
        for handle in handles:
            handle.close()
    for jsonl, project in zip(jsonls, projects, strict=True):
        for suffix in ("", "-wal", "-shm", "-lock"):
            Path(f"{project}{suffix}").unlink(missing_ok=True)
        with Project.create(project, annotator=jsonl.stem) as created:
            created.add_documents(jsonl_documents(jsonl))
    return jsonls, projects, spans


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal", "-lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return path


def figure_merge(settings: Settings) -> Row:
    documents = settings.size(10_000, 100)
    settings.log(f"merge: writing {len(CODERS)} coders × {documents:,} documents")
    jsonls, projects, spans = make_files(settings, documents)
    merged = settings.workdir / "merged.annotator"
    imported = settings.workdir / "imported.annotator"

    def ours() -> dict[str, Any]:
        settings.log("merge: ours")
        return run_worker(SCRIPT, "merge_ours", _fresh(merged), *projects)

    def base() -> dict[str, Any]:
        settings.log("merge: import baseline")
        return run_worker(SCRIPT, "import_base", _fresh(imported), *jsonls)

    ours_runs, base_runs = interleave(settings.repeats, ours, base)
    for runs in (ours_runs, base_runs):
        assert all(r["documents"] == documents and r["spans"] == spans for r in runs), runs
    read = documents * len(CODERS)
    ours_time = median([r["seconds"] for r in ours_runs])
    base_time = median([r["seconds"] for r in base_runs])
    ratio = base_time / ours_time  # throughput: ours as a share of the import's
    _fresh(merged)
    _fresh(imported)
    return Row(
        f"12. Merge {len(CODERS)} × {documents:,} docs ({spans:,} spans) into one project",
        f"{read / ours_time:,.0f} docs/s ({fmt_seconds(ours_time)})",
        f"{read / base_time:,.0f} docs/s ({fmt_seconds(base_time)}, import of the same records)",
        ratio,
        "≥ 0.5×",
        ratio >= 0.5,
        [
            f"Figure 12: peak RSS merge {median([r['rss_mb'] for r in ours_runs]):.0f} MB, "
            f"import {median([r['rss_mb'] for r in base_runs]):.0f} MB"
        ],
    )


def run(settings: Settings) -> list[Row]:
    return [figure_merge(settings)]


if __name__ == "__main__":
    worker_main({"merge_ours": merge_ours, "import_base": import_base})
