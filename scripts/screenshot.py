"""Render the window on the sample article, with nested spans of every label, to a PNG.

Runs offscreen in a throwaway data folder; nothing of the user's is touched.

    python scripts/screenshot.py [docs/screenshot.png]
    python scripts/screenshot.py docs/find.png --find "Kim Jong Un"   # the find bar open
    python scripts/screenshot.py docs/dark.png --dark --layers   # dark, with a colleague's layer
    python scripts/screenshot.py docs/tags.png --tags   # label names on the spans
    python scripts/screenshot.py docs/compare.png --compare   # two coders, compare mode
    python scripts/screenshot.py docs/suggestions.png --suggest   # suggestions to answer
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if TYPE_CHECKING:
    from annotator.core.project import Project

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
    ("PERSON", "Ministry of National Defence", 0),
    ("QUOTE", '"in the coming days."', 0),
    ("PERSON", "Kremlin", 0),
    ("PERSON", "Dmitry Peskov", 0),
]

RELATIONS = [
    # (head words, its occurrence, type, child words, its occurrence)
    ('"North Korea', 0, "said-by", "Ministry of National Defence", 0),
    ("is believed to", 0, "hedges", '"North Korea', 0),
    ("Kim Jong Un", 0, "located-in", "Russia", 0),
    ("Choe Sun Hui", 0, "located-in", "Pyongyang", 0),
    ('"in the coming days."', 0, "said-by", "Kremlin", 0),
]


# A colleague's spans, shown dimmed beside one's own with --layers.
OTHER_LAYER = "olga"
OTHER_SPANS = [
    ("PERSON", "Kim Jong Un", 0),
    ("PLACE", "Russia", 0),
    ("PLACE", "Primorsky region", 0),
    ("PLACE", "North Korea", 1),
    ("PERSON", "Ria Novosti", 0),
    ("HEDGE", "has indicated that", 0),
]


# Where olga (coder B) differs from maria (coder A, who tags SPANS): one of each kind.
OLGA_DIFFERS = {
    ("PERSON", "Vladimir Putin", 0): ("PERSON", "Putin", 0),  # boundary
    ("HEDGE", "has indicated", 0): ("QUOTE", "has indicated", 0),  # label
    ("HEDGE", "presumably", 0): None,  # only A
}
OLGA_ADDS = [("PLACE", "North Korea", 0)]  # only B


# With --suggest: a person has tagged these three, and the project's sources ran.
SEEDS = [("PERSON", "Kim Jong Un", 0), ("PLACE", "Russia", 0), ("PERSON", "Vladimir Putin", 0)]


def find(text: str, words: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(words, at + 1)
    return at


def main() -> int:
    args = sys.argv[1:]
    query = None
    tags = "--tags" in args
    if tags:
        args.remove("--tags")
    compare = "--compare" in args
    if compare:
        args.remove("--compare")
    suggest = "--suggest" in args
    if suggest:
        args.remove("--suggest")
    if "--find" in args:
        at = args.index("--find")
        query = args[at + 1]
        del args[at : at + 2]
    dark = "--dark" in args
    layers = "--layers" in args
    args = [arg for arg in args if arg not in ("--dark", "--layers")]
    output = Path(args[0]) if args else ROOT / "docs" / "screenshot.png"
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_DATA_DIR"] = str(Path(home) / "data")
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(Path(home) / "config")
        os.environ.setdefault("ANNOTATOR_NAME", "researcher")
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QTextCursor
        from PySide6.QtWidgets import QApplication

        from annotator.app import create_window
        from annotator.core.incoming import NewDocument

        window = create_window(None)
        project = window.project
        assert project is not None and window.document_id is not None
        text = window.view.text
        if compare:
            two_coders(project, window.document_id, text)
        else:
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
        if layers:
            for label, words, occurrence in OTHER_SPANS:
                start = find(text, words, occurrence)
                project.add_span(
                    window.document_id, start, start + len(words), label, annotator=OTHER_LAYER
                )
            window.layer_toggles.set_shown(OTHER_LAYER, True)
        if dark:
            window.theme.choose("dark")
        window.resize(1400, 850)
        if compare:
            window.show()
            window.compare.start("maria", "olga")
            window.compare.copy_agreed()
            window.compare.go_to(0)
            window.compare.take("A")  # and on to the next open disagreement
            window.view.moveCursor(QTextCursor.MoveOperation.Start)
            window.compare.go_to(window.compare.current or 0)
        else:
            spans = window.view.spans.values()

            def span_at(words: str, occurrence: int) -> int:
                start = find(text, words, occurrence)
                return min((s for s in spans if s.start == start), key=lambda s: -s.end).id

            for head, head_n, kind, child, child_n in RELATIONS:
                window.relations.link(span_at(head, head_n), span_at(child, child_n), kind)
            quote = next(s for s in window.view.spans.values() if s.label == "QUOTE")
            hedge = next(
                s
                for s in window.view.spans.values()
                if window.view.text[s.start : s.end] == "is believed to"
            )
            project.set_note(hedge.id, "Ministry's own wording")
            window.view.moveCursor(QTextCursor.MoveOperation.Start)
            window.view.set_selected_span(quote.id)  # its relations drawn strong
            window.relations.set_show_tags(tags)
            window.show()
        _settle(window)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # old label buttons
        if not compare:
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


def _settle(window: Any) -> None:
    """Until the window is as a person sees it: painted, its later parts made, and what
    its first screen did not need (other layers, every relation) read."""
    import time

    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if window.settled:
            break
        window.view.viewport().repaint()
    for _ in range(3):
        QApplication.processEvents()


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
    _settle(window)
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


def two_coders(project: Project, document_id: int, text: str) -> None:
    """maria tags SPANS; olga tags them too, but for one disagreement of each kind."""
    for coder in ("maria", "olga"):
        marks = list(SPANS)
        if coder == "olga":
            marks = [OLGA_DIFFERS.get(m, m) for m in marks if OLGA_DIFFERS.get(m, m)] + OLGA_ADDS
        for mark in marks:
            assert mark is not None
            label, words, occurrence = mark
            start = find(text, words, occurrence)
            project.add_span(document_id, start, start + len(words), label, annotator=coder)
        project.set_status(document_id, "done", coder)


if __name__ == "__main__":
    raise SystemExit(main())
