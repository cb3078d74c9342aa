"""Render the statistics window (Document › Statistics) to a PNG.

A throwaway project holds the sample article and the three hand-labelled news
articles of tests/data/gold/, labelled by three people over a week. Runs
offscreen in a temporary data folder; nothing of the user's is touched.

    python scripts/statistics_screenshot.py [docs/statistics.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(path: Path) -> None:
    from dataclasses import replace

    from annotator.core import Project
    from annotator.core.importing import expand_paths, read_documents

    with Project.create(path, annotator="maria") as project:
        project.add_documents(read_documents(expand_paths([ROOT / "projects"])))
        gold = list(read_documents([ROOT / "tests" / "data" / "gold" / "news.jsonl"]))
        project.add_documents(
            replace(d, spans=(), relations=(), status="todo", statuses={}) for d in gold
        )
        records = {d.name: {"spans": list(d.spans)} for d in gold}
        ids = project.document_ids()
        plan = {"maria": ids[:3], "olga": ids[1:], "chen": ids[2:]}
        day = {"maria": 24, "olga": 26, "chen": 27}
        for person, documents in plan.items():
            project.annotator = person
            for n, document_id in enumerate(documents):
                document = project.document(document_id)
                spans = records.get(document.name, {}).get("spans", [])
                keep = [s for i, s in enumerate(spans) if (i + len(person)) % 5]  # people differ
                if keep:
                    project.add_labelled(
                        document_id,
                        [(s["start"], s["end"], s["label"]) for s in keep],
                        description="screenshot",
                    )
                project.set_status(document_id, "done")
                when = f"2026-11-{day[person] + n:02d}T10:00:00+00:00"
                project.conn.execute(
                    "UPDATE document_status SET updated = ? WHERE document_id = ?"
                    " AND layer_id = (SELECT id FROM layers WHERE name = ?)",
                    (when, document_id, person),
                )
        project.conn.commit()


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "statistics.png"
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(Path(home) / "config")
        os.environ["ANNOTATOR_DATA_DIR"] = str(Path(home) / "data")
        project = Path(home) / "week.annotator"
        build(project)
        from annotator.app import application, create_window

        app = application()
        window = create_window(project)
        window.show()
        window.tools.open_statistics()
        statistics = window.tools.statistics
        statistics.resize(1200, 800)
        app.processEvents()
        if not statistics.grab().save(str(output)):
            print(f"cannot write {output}", file=sys.stderr)
            return 1
        window.close()
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
