"""Render the window on the sample article, with nested spans of every label, to a PNG.

Runs offscreen in a throwaway data folder; nothing of the user's is touched.

    python scripts/screenshot.py [docs/screenshot.png]
    python scripts/screenshot.py docs/find.png --find "Kim Jong Un"   # the find bar open
    python scripts/screenshot.py docs/suggestions.png --suggest   # suggestions to answer
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SPANS = [
    # (label, the words, which occurrence)
    ("PERSON", "Kim Jong Un", 0),
    ("PLACE", "Russia", 0),
    ("PERSON", "Vladimir Putin", 0),
    ("HEDGE", "has indicated", 0),
    (
        "QUOTE",
        "\"North Korea's Kim Jong Un is believed to have arrived in Russia early this"
        ' morning via a private train."',
        0,
    ),
    ("PERSON", "Kim Jong Un", 1),
    ("HEDGE", "is believed to", 0),
    ("PLACE", "Russia", 1),
    ("PLACE", "Primorsky region", 0),
    ("PLACE", "North Korea", 2),
    ("HEDGE", "presumably", 0),
    ("PERSON", "Choe Sun Hui", 0),
    ("PERSON", "Ri Pyong Chol", 0),
    ("PERSON", "Pak Jong Chon", 0),
    ("PLACE", "Pyongyang", 0),
]


def find(text: str, words: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(words, at + 1)
    return at


# With --suggest: a person has tagged these three, and the project's sources ran.
SEEDS = [("PERSON", "Kim Jong Un", 0), ("PLACE", "Russia", 0), ("PERSON", "Vladimir Putin", 0)]


def main() -> int:
    args = sys.argv[1:]
    query = None
    suggest = "--suggest" in args
    if suggest:
        args.remove("--suggest")
    if "--find" in args:
        at = args.index("--find")
        query = args[at + 1]
        del args[at : at + 2]
    output = Path(args[0]) if args else ROOT / "docs" / "screenshot.png"
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_DATA_DIR"] = str(Path(home) / "data")
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(Path(home) / "config")
        os.environ.setdefault("ANNOTATOR_NAME", "researcher")
        from PySide6.QtGui import QTextCursor
        from PySide6.QtWidgets import QApplication

        from annotator.app import create_window
        from annotator.core.project import NewDocument

        window = create_window(None)
        project = window.project
        assert project is not None and window.document_id is not None
        text = window.view.text
        # The nested-spans picture shows spans only; --suggest shows what is proposed.
        window.suggestions.propagate_as_you_tag = suggest
        for label, words, occurrence in SEEDS if suggest else SPANS:
            start = find(text, words, occurrence)
            window.select_range(start, start + len(words))
            window.apply_label(label)
        more = [
            NewDocument(text=f"Article {n}: placeholder text.", name=name, status=status)
            for n, (name, status) in enumerate(
                [
                    ("Seoul reacts to the summit", "done"),
                    ("Vostochny cosmodrome visit", "done"),
                    ("Arms talks: what we know", "todo"),
                    ("Sanctions and the railway", "todo"),
                    ("Pyongyang's state media", "skipped"),
                ]
            )
        ]
        project.add_documents(more)
        if suggest:
            return _suggestions_shot(window, output)
        quote = next(s for s in window.view.spans.values() if s.label == "QUOTE")
        window.view.set_selected_span(quote.id)
        hedge = next(
            s
            for s in window.view.spans.values()
            if window.view.text[s.start : s.end] == "is believed to"
        )
        project.set_note(hedge.id, "Ministry's own wording")
        window.view.moveCursor(QTextCursor.MoveOperation.Start)
        window.view.set_selected_span(hedge.id)
        window.resize(1400, 850)
        window.show()
        for _ in range(5):
            QApplication.processEvents()
        window.say("All changes are saved")
        if query is not None:
            window.show_find_bar()
            window.find_bar.field.setText(query)
            window.find_bar.step(1)
        QApplication.processEvents()
        output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(output))
        window.close()
    print(f"Wrote {output}")
    return 0


def _suggestions_shot(window: Any, output: Path) -> int:
    """The sample with its seeds tagged, propagation as you tag, quotes and hedges run
    over the project, and the cursor on the first suggestion after the seeds."""
    from PySide6.QtWidgets import QApplication

    from annotator.core.suggest.run import SuggestRun

    project = window.project
    run = SuggestRun(project, ["quotes", "hedges"])
    run.fill(run.document_ids)
    window.suggestions.reload()
    window.resize(1400, 850)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    window.view.place_cursor(window.view.text.index("Putin") + 5)
    window.suggestions.move(1)
    window.view.verticalScrollBar().setValue(0)  # the seeds in sight, at the top
    for _ in range(5):
        QApplication.processEvents()
    window.say(
        "n: next suggestion · a / Enter: accept · x: reject · Shift+A: accept all of its kind"
    )
    QApplication.processEvents()
    output.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(output))
    window.close()
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
