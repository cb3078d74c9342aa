"""The benchmarks keep working: their quick run completes and prints every figure.

No time is asserted here: CI machines vary. The figures themselves are in
docs/performance.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


@pytest.mark.slow
def test_quick_run_prints_every_figure(tmp_path: Path) -> None:
    rows_file = tmp_path / "rows.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--json", str(rows_file)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "| Figure" in done.stdout
    rows = json.loads(rows_file.read_text())
    figures = {row["figure"].split(".")[0] for row in rows}
    assert figures == {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"}
    for row in rows:
        assert row["ours"] and row["baseline"] and row["target"]


def test_synthetic_data_is_seeded_and_its_spans_fit() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import synth
    finally:
        sys.path.remove(str(BENCHMARKS))
    first = list(synth.records(3, 20))
    assert first == list(synth.records(3, 20))
    for record in first:
        assert len(record["spans"]) == 10
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    text, spans = synth.long_article(5, 20_000, 200)
    assert len(text) >= 20_000 and len(spans) == 200
    nested = [
        inner
        for inner in spans
        if any(
            o is not inner and o["start"] <= inner["start"] and inner["end"] <= o["end"]
            for o in spans
        )
    ]
    assert len(nested) >= 10


def test_search_gives_list_order_with_or_without_the_id_order_shortcut(project) -> None:
    """Search reads ids straight from the index while list order is id order, and
    sorts by position once it is not."""
    for n in range(6):
        project.add_document(f"Article {n}: Maria Okafor met officials in Lagos ({n}).")
    ids = project.document_ids()
    assert project.search("Maria Okafor") == ids
    # Reverse the list order, as another program writing the file could.
    with project.db.atomic():
        project.conn.execute("UPDATE documents SET position = -position")
    assert project.search("Maria Okafor") == list(reversed(ids)) == project.document_ids()
    assert project.search("Lagos", limit=2) == list(reversed(ids))[:2]
