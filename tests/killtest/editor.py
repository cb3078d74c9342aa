"""Edits a project through the window, as a researcher would, until it is killed.

Run as ``python editor.py PROJECT SEED``. Before each edit it prints what the
edit will do (``will``); after the window's call has returned, that is after
the edit is committed, it prints ``done``. The killing test holds the project
to every ``done``: each must be in the file after the kill.

Spans are named by (document, start, end, label), which the project keeps unique.
"""

from __future__ import annotations

import json
import os
import random
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.app import create_window
from annotator.core.offsets import snap_selection


def say(**message: object) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(path: str, seed: int) -> int:
    rng = random.Random(seed)
    window = create_window(path)
    project = window.project
    if project is None or project.read_only:
        say(error="project not open for editing")
        return 2
    labels = [label.name for label in project.labels]
    documents = project.document_ids()
    texts = {d: project.document_text(d) for d in documents}
    undo: list[tuple[str, list[object]]] = []  # mirrors the window's history
    say(ready=True, pid=os.getpid())
    while True:
        roll = rng.random()
        if roll < 0.2 and undo:
            kind, key = undo[-1]
            effect = "-" if kind == "+" else "+"
            say(will=[effect, *key])
            window.undo()
            undo.pop()
            say(done=True)
            continue
        document = rng.choice(documents)
        if window.document_id != document:
            window.open_document(document)
        spans = project.spans(document, [project.annotator])  # not the suggestions
        if roll < 0.4 and spans:
            span = rng.choice(spans)
            key = [document, span.start, span.end, span.label]
            cursor = window.view.textCursor()
            cursor.clearSelection()
            window.view.setTextCursor(cursor)
            window.view.set_selected_span(span.id)
            say(will=["-", *key])
            window.delete_selected_span()
            undo.append(("-", key))
            say(done=True)
            continue
        text = texts[document]
        a = rng.randrange(len(text))
        b = min(len(text), a + rng.randint(1, 40))
        start, end = snap_selection(text, a, b, words=window.edits.snap_words)
        label = rng.choice(labels)
        taken = {(s.start, s.end, s.label) for s in spans}
        if start == end or (start, end, label) in taken:
            continue
        key = [document, start, end, label]
        window.select_range(a, b)
        say(will=["+", *key])
        window.apply_label(label)
        undo.append(("+", key))
        say(done=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
