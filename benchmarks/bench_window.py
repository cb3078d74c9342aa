"""Figures 1 (open a long article), 2 (one edit), 3 (big project), 6 (start-up) and
11 (one tag with propagation as you tag).

Everything Qt runs in fresh interpreters on the offscreen platform. "Painted"
means the event queue is drained and the article's viewport has been painted
(``repaint``), the same for ours and for the bare ``QPlainTextEdit``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import synth
from common import (
    Row,
    Settings,
    fmt_seconds,
    interleave,
    median,
    peak_rss_mb,
    run_worker,
    worker_env,
    worker_main,
)

SCRIPT = Path(__file__).resolve()
OPEN_RUNS = 9  # opens are cheap: more of them give a steadier median
STARTUP_RUNS = 21  # launches vary with the machine: the median of many (11 moved by ±0.1×)
SAMPLE_TEXT = SCRIPT.parents[1] / "projects" / "kim-train-to-russia.txt"
WIDTH, HEIGHT = 1280, 800


# --- workers -----------------------------------------------------------------------


def _painted(app: Any, widget: Any) -> None:
    app.processEvents()
    widget.repaint()


def _settled(app: Any, window: Any) -> None:
    """Until what waits for the article's first paint is done (the rest of the other
    layers and of the relations), as it is by the time a person does anything."""
    while not window.settled:
        window.view.viewport().repaint()
        app.processEvents()


def _free_word(text: str, taken: set[tuple[int, int]], rng: random.Random) -> tuple[int, int]:
    """A word of ``text`` that no span in ``taken`` covers yet, somewhere in the
    article; it is added to ``taken``."""
    while True:
        start = rng.randrange(0, len(text) - 20)
        while start < len(text) and not text[start].isalpha():
            start += 1
        end = start
        while end < len(text) and text[end].isalpha():
            end += 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if end > start and not any(s < end and start < e for s, e in taken):
            taken.add((start, end))
            return start, end


def _bare_editor(app: Any) -> Any:
    from PySide6.QtWidgets import QPlainTextEdit

    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    editor.resize(WIDTH, HEIGHT)
    editor.show()
    app.processEvents()
    return editor


def open_and_edit(
    project: str, repeats: str, open_repeats: str, edits_wanted: str = "yes"
) -> dict[str, Any]:
    """Figures 1, 8 and 2 in one window: open the long article with three layers and
    with five (in turn with the bare editor), then edit it."""
    from annotator.app import application, create_window

    app = application()
    window = create_window(project)
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    ids = {window.project.document(i).name: i for i in window.project.document_ids()}
    editor = _bare_editor(app)
    long_text = window.project.document_text(ids["long-10000"])
    view = window.view
    runs = int(repeats)
    opens_wanted = int(open_repeats)
    store = window.project
    assert store is not None
    # Other people's layers shown as a person shows them: ticked in View › Layers. The
    # 3-layer article has spans in olga's and maria's, the 5-layer one in gold's too
    # (and in a suggestion layer, which the window shows on its own).
    for layer in window.layer_toggles.others():
        window.layer_toggles.set_shown(layer, True)
    # CPU time of this process too: on a shared machine it varies less than the clock.
    cpu_times: dict[str, list[float]] = {"long-10000": [], "base": [], "long-5-layers": []}
    rest: list[float] = []  # the other layers below the first screen, read after the paint

    def ours_open(name: str) -> float:
        """Open ``name`` in the window until painted."""
        window.open_document(ids["short"])
        _painted(app, view.viewport())
        start, cpu = time.perf_counter(), time.process_time()
        window.open_document(ids[name])
        _painted(app, view.viewport())
        cpu_times[name].append(time.process_time() - cpu)
        seconds = time.perf_counter() - start
        after = time.perf_counter()
        while not view.others.is_complete:
            app.processEvents()
        if name == "long-10000":
            rest.append(time.perf_counter() - after)
        return seconds

    def base_open() -> float:
        editor.setPlainText("")
        _painted(app, editor.viewport())
        start, cpu = time.perf_counter(), time.process_time()
        editor.setPlainText(long_text)
        _painted(app, editor.viewport())
        cpu_times["base"].append(time.process_time() - cpu)
        return time.perf_counter() - start

    three, bases, five = interleave(
        opens_wanted,
        lambda: ours_open("long-10000"),
        base_open,
        lambda: ours_open("long-5-layers"),
    )
    # Each other layer shown holds the article's spans again: two of them, or three.
    layers_shown = 2 if window.document_id == ids["long-10000"] else 3
    assert len(window.view.others) == layers_shown * len(window.view.index), (
        window.view.others.names(),
        len(window.view.others),
    )
    opened = {
        "open": three,
        "open_base": bases,
        "open_5": five,
        "open_cpu": cpu_times["long-10000"],
        "open_base_cpu": cpu_times["base"],
        "open_5_cpu": cpu_times["long-5-layers"],
        "open_rest": rest,
    }
    if edits_wanted == "no":
        window.close()
        return opened

    # The edit alone, as before suggestions: figure 11 times propagation as you tag.
    window.suggestions.propagate_as_you_tag = False
    # And as figure 2 has always been measured: one's own layer only.
    for layer in window.layer_toggles.others():
        window.layer_toggles.set_shown(layer, False)
    person = [window.project.annotator]

    def edits(name: str) -> dict[str, list[float]]:
        window.open_document(ids[name])
        _painted(app, view.viewport())
        _settled(app, window)
        text = window.project.document_text(ids[name])
        taken = {(s.start, s.end) for s in window.project.spans(ids[name], person)}
        rng = random.Random(7)
        times: dict[str, list[float]] = {"add": [], "relabel": [], "delete": [], "undo": []}

        def timed(kind: str, action: Any) -> None:
            start = time.perf_counter()
            action()
            _painted(app, view.viewport())
            times[kind].append(time.perf_counter() - start)

        for _ in range(runs * 4):
            start, end = _free_word(text, taken, rng)
            window.select_range(start, end)
            view.ensureCursorVisible()
            _painted(app, view.viewport())
            before = len(window.project.spans(ids[name], person))
            timed("add", lambda: window.apply_label("HEDGE"))
            timed("relabel", lambda: window.apply_label("PLACE"))
            timed("delete", window.delete_selected_span)
            timed("undo", window.undo)
            if len(window.project.spans(ids[name], person)) != before + 1:
                message = window.statusBar().currentMessage()
                raise AssertionError(f"the edit at {start}-{end} did not land: {message}")
        return times

    many = edits("long-10000")
    few = edits("long-100")
    window.close()
    return {**opened, "edits_10000": many, "edits_100": few}


def open_and_link(project: str, repeats: str, open_repeats: str) -> dict[str, Any]:
    """Figures 1 and 2 with relations shown: the long article with 2,000 relations
    opened (in turn with the bare editor) and edited, and relations made in it."""
    from annotator.app import application, create_window

    app = application()
    window = create_window(project)
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    ids = {window.project.document(i).name: i for i in window.project.document_ids()}
    editor = _bare_editor(app)
    long_text = window.project.document_text(ids["long-relations"])
    view = window.view
    runs = int(repeats)

    rest: list[float] = []  # the relations below the first screen, read after the paint

    def ours_open() -> float:
        window.open_document(ids["short"])
        _painted(app, view.viewport())
        start = time.perf_counter()
        window.open_document(ids["long-relations"])
        _painted(app, view.viewport())
        seconds = time.perf_counter() - start
        after = time.perf_counter()
        while not window.relations.is_complete:
            app.processEvents()
        rest.append(time.perf_counter() - after)
        return seconds

    def base_open() -> float:
        editor.setPlainText("")
        _painted(app, editor.viewport())
        start = time.perf_counter()
        editor.setPlainText(long_text)
        _painted(app, editor.viewport())
        return time.perf_counter() - start

    opens, bases = interleave(int(open_repeats), ours_open, base_open)
    # The edit alone, as figure 2 times it: figure 13 times propagation as you tag.
    window.suggestions.propagate_as_you_tag = False

    def timed(times: list[float], action: Any) -> None:
        start = time.perf_counter()
        action()
        _painted(app, view.viewport())
        times.append(time.perf_counter() - start)

    def edits(name: str) -> list[float]:
        """Tag a word no span covers, relabel, delete, undo: as figure 2."""
        window.open_document(ids[name])
        _painted(app, view.viewport())
        _settled(app, window)
        text = window.project.document_text(ids[name])
        taken = {(s.start, s.end) for s in window.project.spans(ids[name])}
        rng = random.Random(7)
        times: list[float] = []
        for _ in range(runs * 4):
            start, end = _free_word(text, taken, rng)
            window.select_range(start, end)
            view.ensureCursorVisible()
            _painted(app, view.viewport())
            timed(times, lambda: window.apply_label("HEDGE"))
            timed(times, lambda: window.apply_label("PLACE"))
            timed(times, window.delete_selected_span)
            timed(times, window.undo)
        return times

    many, few = edits("long-relations"), edits("long-100")

    # Making a relation: a QUOTE not yet linked, said-by the PERSON nearest it.
    window.open_document(ids["long-relations"])
    _painted(app, view.viewport())
    _settled(app, window)
    if not view.relation_layer.relations:
        raise AssertionError("the long article's relations are not shown")
    linked = {r.head for r in view.relation_layer.relations}
    quotes = [s for s in view.spans.values() if s.label == "QUOTE" and s.id not in linked]
    people = sorted((s.start, s.id) for s in view.spans.values() if s.label == "PERSON")
    rng = random.Random(11)
    links: list[float] = []
    choose: list[float] = []
    for quote in rng.sample(quotes, min(len(quotes), runs * 4)):
        person = min(people, key=lambda p: abs(p[0] - quote.start))[1]
        view.set_selected_span(quote.id, scroll=True)
        _painted(app, view.viewport())
        before = len(view.relation_layer.relations)
        timed(choose, window.relations.start_link)  # r: the numbered candidates shown
        window.relations.cancel(quiet=True)
        timed(links, lambda q=quote.id, p=person: window.relations.link(q, p, "said-by"))
        if len(view.relation_layer.relations) != before + 1:
            raise AssertionError(f"the link did not land: {window.statusBar().currentMessage()}")
    window.close()
    return {
        "open": opens,
        "open_base": bases,
        "edits": many,
        "edits_100": few,
        "link": links,
        "choose": choose,
        "open_rest": rest,
    }


def tag_and_propagate(project: str, repeats: str) -> dict[str, Any]:
    """Figure 11: tag one word of the long article as PERSON, painted, with the window
    proposing its other occurrences (propagation as you tag) and, in turn, without."""
    import annotator.ui.suggestions as part_module
    from annotator.app import application, create_window

    app = application()
    window = create_window(project)
    window.resize(WIDTH, HEIGHT)
    window.show()
    app.processEvents()
    ids = {window.project.document(i).name: i for i in window.project.document_ids()}
    view = window.view
    window.open_document(ids["long-10000"])
    _painted(app, view.viewport())
    _settled(app, window)
    text = window.project.document_text(ids["long-10000"])
    taken = [(s.start, s.end) for s in window.project.spans(ids["long-10000"])]
    covered = set()
    for start, end in taken:
        covered.update(range(start, end))
    # Capitalised words no span covers, each tagged once (a second tag of the same
    # word proposes nothing new).
    words: dict[str, tuple[int, int]] = {}
    for match in re.finditer(r"\b[A-Z][a-z]{3,}\b", text):
        if match.start() not in covered and match.group() not in words:
            words[match.group()] = match.span()
    rng = random.Random(11)
    chosen = rng.sample(sorted(words), min(len(words), int(repeats) * 16))
    inner: list[float] = []
    found: list[int] = []
    real = part_module.propagate_tag

    def counted(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        new = real(*args, **kwargs)
        inner.append(time.perf_counter() - start)
        found.append(len(new))
        return new

    part_module.propagate_tag = counted  # type: ignore[assignment]

    def tag(document: str, start: int, end: int, propagate: bool) -> float:
        """One tag, painted; then undone and its suggestions dropped (not timed)."""
        window.suggestions.propagate_as_you_tag = propagate
        window.select_range(start, end)
        view.ensureCursorVisible()
        _painted(app, view.viewport())
        began = time.perf_counter()
        window.apply_label("PERSON")
        _painted(app, view.viewport())
        took = time.perf_counter() - began
        window.undo()
        window.project.fill_suggestions(ids[document], "propagate", [], replace=True)
        window.suggestions.reload()
        _painted(app, view.viewport())
        return took

    on: list[float] = []
    off: list[float] = []
    for n, word in enumerate(chosen):
        propagate = n % 2 == 0
        (on if propagate else off).append(tag("long-10000", *words[word], propagate))
    long_inner, long_found = inner[:], found[:]
    del inner[:], found[:]
    window.open_document(ids["sample"])
    _painted(app, view.viewport())
    _settled(app, window)
    kim = window.project.document_text(ids["sample"]).index("Kim Jong Un")
    sample_on, sample_off = interleave(
        int(repeats) * 8,
        lambda: tag("sample", kim, kim + len("Kim Jong Un"), True),
        lambda: tag("sample", kim, kim + len("Kim Jong Un"), False),
    )
    window.close()
    return {
        "on": on,
        "off": off,
        "propagate": long_inner,
        "found": long_found,
        "sample_on": sample_on,
        "sample_off": sample_off,
        "sample_propagate": inner,
        "sample_found": found,
    }


def ready(project: str) -> dict[str, Any]:
    """Figure 3: the window on ``project`` until its first paint."""
    from annotator.app import application, create_window

    start = time.perf_counter()
    app = application()
    window = create_window(project)
    window.resize(WIDTH, HEIGHT)
    window.show()
    _painted(app, window.view.viewport())
    seconds = time.perf_counter() - start
    rss = peak_rss_mb()
    documents = len(window.project.document_ids())
    window.close()
    return {"seconds": seconds, "rss_mb": rss, "documents": documents}


def startup_ours(project: str) -> dict[str, Any]:
    """Figure 6: ``annotator PROJECT`` in a fresh interpreter, from nothing to the first
    paint: what the command runs (``annotator.launch``), at the bare editor's size."""
    from annotator.launch import show_window

    window = show_window(project, size=(WIDTH, HEIGHT))
    from PySide6.QtWidgets import QApplication

    _painted(QApplication.instance(), window.view.viewport())
    return {"painted_at": time.time(), "rss_mb": peak_rss_mb()}


def startup_base(text_path: str) -> dict[str, Any]:
    """The bare program: a QPlainTextEdit showing the same text."""
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    editor = _bare_editor(app)
    editor.setPlainText(Path(text_path).read_text(encoding="utf-8"))
    _painted(app, editor.viewport())
    return {"painted_at": time.time(), "rss_mb": peak_rss_mb()}


# --- set-up ----------------------------------------------------------------------------


def _window_env(settings: Settings) -> dict[str, str]:
    home = settings.workdir / "home"
    return {
        "ANNOTATOR_CONFIG_DIR": str(home / "config"),
        "ANNOTATOR_DATA_DIR": str(home / "data"),
        "ANNOTATOR_NAME": "bench",
    }


# The layers of the long article besides the current annotator's ("bench").
OTHER_LAYERS = ("olga", "maria", "gold", "suggest:model")


def make_long_project(settings: Settings) -> Path:
    """The long article twice (10,000 spans in three layers, and every 100th span of
    one layer), once more with 10,000 spans in each of five layers, and a short one."""
    from annotator.core import NewDocument, Project

    chars = settings.size(1_000_000, 50_000)
    spans = settings.size(10_000, 500)
    path = settings.workdir / f"long-{chars}-{spans}-layers.annotator"
    if path.exists():
        return path
    settings.log(f"making the long article ({chars:,} characters, {spans:,} spans)")
    text, all_spans = synth.long_article(settings.seed, chars, spans)

    def in_layers(layers: tuple[str, ...]) -> list[dict[str, Any]]:
        # Other people's layers hold the same extents: annotators mostly agree.
        return [*all_spans, *({**s, "annotator": a} for a in layers for s in all_spans)]

    with Project.create(path, annotator="bench") as project:
        project.add_documents(
            [
                NewDocument(text=text, name="long-10000", spans=in_layers(OTHER_LAYERS[:2])),
                NewDocument(
                    text=text + "\n", name="long-100", spans=all_spans[:: max(1, spans // 100)]
                ),
                NewDocument(
                    text=text + "\n\n", name="long-5-layers", spans=in_layers(OTHER_LAYERS)
                ),
                NewDocument(text="A short note about Maria Okafor.", name="short"),
            ]
        )
    return path


def make_relations_project(settings: Settings) -> Path:
    """The long article with 2,000 relations (each of 2,000 QUOTEs said-by the PERSON
    nearest it), the long article with every 100th span, and a short one."""
    from annotator.core import NewDocument, Project

    chars = settings.size(1_000_000, 50_000)
    spans = settings.size(10_000, 500)
    wanted = settings.size(2_000, 100)
    path = settings.workdir / f"long-relations-{chars}-{spans}-{wanted}.annotator"
    if path.exists():
        return path
    settings.log(f"making the long article with {wanted:,} relations")
    text, all_spans = synth.long_article(settings.seed, chars, spans)
    all_spans = [dict(span, id=n) for n, span in enumerate(all_spans)]
    people = sorted((s["start"], s["id"]) for s in all_spans if s["label"] == "PERSON")
    quotes = [s for s in all_spans if s["label"] == "QUOTE"][:wanted]
    relations = [
        {
            "head": quote["id"],
            "child": min(people, key=lambda p: abs(p[0] - quote["start"]))[1],
            "label": "said-by",
        }
        for quote in quotes
    ]
    with Project.create(path, annotator="bench") as project:
        project.add_documents(
            [
                NewDocument(text=text, name="long-relations", spans=all_spans, relations=relations),
                NewDocument(
                    text=text + "\n", name="long-100", spans=all_spans[:: max(1, spans // 100)]
                ),
                NewDocument(text="A short note about Maria Okafor.", name="short"),
            ]
        )
    return path


def make_small_project(settings: Settings, jsonl: Path) -> Path:
    """Ten documents of the big project's JSONL."""
    from annotator.core import Project
    from annotator.core.importing import jsonl_documents

    path = settings.workdir / "ten.annotator"
    if not path.exists():
        with Project.create(path, annotator="bench") as project:
            documents = jsonl_documents(jsonl)
            project.add_documents(next(documents) for _ in range(10))
    return path


def make_sample_project(settings: Settings) -> Path:
    from annotator.core import Project
    from annotator.core.importing import read_documents

    path = settings.workdir / "sample.annotator"
    if not path.exists():
        with Project.create(path, annotator="bench") as project:
            project.add_documents(read_documents([SAMPLE_TEXT]))
    return path


# --- the figures -------------------------------------------------------------------------


def figures_open_and_edit(settings: Settings, *, edits: bool = True) -> list[Row]:
    project = make_long_project(settings)
    settings.log("open and edit the long article")
    result = run_worker(
        SCRIPT,
        "open_and_edit",
        project,
        settings.repeats,
        settings.at_least(OPEN_RUNS),
        "yes" if edits else "no",
        env=_window_env(settings),
    )
    base = median(result["open_base"])
    chars = settings.size(1_000_000, 50_000)
    spans = settings.size(10_000, 500)
    rows = []
    for key, figure in (
        ("open", f"1. Open a {chars / 1e6:g} MB article, {spans:,} spans in each of 3 layers"),
        ("open_5", f"11. Open a {chars / 1e6:g} MB article, {spans:,} spans in each of 5 layers"),
    ):
        ours = median(result[key])
        ratio = ours / base
        rows.append(
            Row(
                figure + ", painted",
                fmt_seconds(ours),
                fmt_seconds(base) + " (setPlainText)",
                ratio,
                "≤ 2×",
                ratio <= 2,
            )
        )
    cpu_base = median(result["open_base_cpu"])
    rows[0].notes.append(
        "open, CPU time of the process (medians): 3 layers "
        f"{fmt_seconds(median(result['open_cpu']))} "
        f"({median(result['open_cpu']) / cpu_base:.2f}×), 5 layers "
        f"{fmt_seconds(median(result['open_5_cpu']))} "
        f"({median(result['open_5_cpu']) / cpu_base:.2f}×), setPlainText {fmt_seconds(cpu_base)}"
    )
    rows[0].notes.append(
        f"open, {len(result['open'])} runs each: 3 layers "
        + ", ".join(fmt_seconds(t) for t in sorted(result["open"]))
        + "; setPlainText "
        + ", ".join(fmt_seconds(t) for t in sorted(result["open_base"]))
        + "; 5 layers "
        + ", ".join(fmt_seconds(t) for t in sorted(result["open_5"]))
    )
    rows[0].notes.append(
        "open, 3 layers: the other layers' spans below the first screen are read once it is "
        f"painted, in {fmt_seconds(median(result['open_rest']))} more (median)"
    )
    if not edits:
        return rows
    many = [t for times in result["edits_10000"].values() for t in times]
    few = [t for times in result["edits_100"].values() for t in times]
    edit, edit_few = median(many), median(few)
    detail = ", ".join(
        f"{kind} {fmt_seconds(median(times))}" for kind, times in result["edits_10000"].items()
    )
    rows.append(
        Row(
            f"2. One edit, {spans:,} spans (vs 100 spans)",
            fmt_seconds(edit),
            fmt_seconds(edit_few) + " (100 spans)",
            edit / edit_few,
            "≤ 16 ms; ≤ 1.5×",
            edit <= 0.016 and edit / edit_few <= 1.5,
            [f"one edit with {spans:,} spans, medians: {detail}"],
        )
    )
    return rows


def figures_relations(settings: Settings) -> list[Row]:
    """Figures 1 and 2 again with 2,000 relations drawn, and making a relation."""
    project = make_relations_project(settings)
    settings.log("open, edit and link the long article with relations")
    result = run_worker(
        SCRIPT,
        "open_and_link",
        project,
        settings.repeats,
        settings.at_least(OPEN_RUNS),
        env=_window_env(settings),
    )
    ours, base = median(result["open"]), median(result["open_base"])
    chars = settings.size(1_000_000, 50_000)
    spans = settings.size(10_000, 500)
    relations = settings.size(2_000, 100)
    edit, edit_few = median(result["edits"]), median(result["edits_100"])
    link, choose = median(result["link"]), median(result["choose"])
    return [
        Row(
            f"1. Open a {chars / 1e6:g} MB article, {spans:,} spans, {relations:,} relations shown",
            fmt_seconds(ours),
            fmt_seconds(base) + " (setPlainText)",
            ours / base,
            "≤ 2×",
            ours / base <= 2,
            [
                "open with relations: those below the first screen are read once it is "
                f"painted, in {fmt_seconds(median(result['open_rest']))} more (median); "
                f"{len(result['open'])} opens: "
                + ", ".join(fmt_seconds(t) for t in sorted(result["open"]))
            ],
        ),
        Row(
            f"2. One edit, {spans:,} spans, {relations:,} relations shown (vs 100 spans)",
            fmt_seconds(edit),
            fmt_seconds(edit_few) + " (100 spans)",
            edit / edit_few,
            "≤ 16 ms; ≤ 1.5×",
            edit <= 0.016 and edit / edit_few <= 1.5,
        ),
        Row(
            f"2. Make a relation, {spans:,} spans, {relations:,} relations",
            fmt_seconds(link),
            fmt_seconds(edit_few) + " (an edit, 100 spans)",
            link / edit_few,
            "≤ 16 ms",
            link <= 0.016,
            [f"r (the chooser's numbered candidates shown): {fmt_seconds(choose)}"],
        ),
    ]


def figure_big_project(settings: Settings, big: Path, jsonl: Path, documents: int) -> Row:
    small = make_small_project(settings, jsonl)
    env = _window_env(settings)

    def ours() -> dict[str, Any]:
        settings.log("window on the big project")
        return run_worker(SCRIPT, "ready", big, env=env)

    def base() -> dict[str, Any]:
        settings.log("window on ten documents")
        return run_worker(SCRIPT, "ready", small, env=env)

    big_runs, small_runs = interleave(settings.at_least(3), ours, base)
    assert big_runs[0]["documents"] == documents, big_runs[0]
    big_time, small_time = (
        median([r["seconds"] for r in big_runs]),
        median([r["seconds"] for r in small_runs]),
    )
    big_rss = median([r["rss_mb"] for r in big_runs])
    small_rss = median([r["rss_mb"] for r in small_runs])
    ratio = big_time / small_time
    return Row(
        f"3. Window ready, {documents:,} docs (vs 10)",
        f"{fmt_seconds(big_time)}, {big_rss:.0f} MB",
        f"{fmt_seconds(small_time)}, {small_rss:.0f} MB",
        ratio,
        "≤ 1.5×; RSS flat",
        ratio <= 1.5 and big_rss <= small_rss * 1.25,
        [
            f"window ready: peak RSS {big_rss:.0f} MB with {documents:,} docs, "
            f"{small_rss:.0f} MB with 10"
        ],
    )


def _launch(settings: Settings, *args: str) -> float:
    """Seconds from launching a fresh interpreter to its first paint."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=worker_env(_window_env(settings)),
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up worker failed:\n{done.stderr[-4000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)["painted_at"] - start


def figure_startup(settings: Settings) -> Row:
    sample = make_sample_project(settings)
    _launch(settings, "startup_ours", str(sample))  # warm the file cache for both
    _launch(settings, "startup_base", str(SAMPLE_TEXT))
    ours_runs, base_runs = interleave(
        settings.at_least(STARTUP_RUNS),
        lambda: _launch(settings, "startup_ours", str(sample)),
        lambda: _launch(settings, "startup_base", str(SAMPLE_TEXT)),
    )
    ours, base = median(ours_runs), median(base_runs)
    ratio = ours / base
    return Row(
        "6. Start-up to first paint, sample project",
        fmt_seconds(ours),
        fmt_seconds(base) + " (bare PySide6)",
        ratio,
        "≤ 1.5×",
        ratio <= 1.5,
    )


def run_open(settings: Settings) -> list[Row]:
    """Figures 1 and 8 alone (``run.py --only open``)."""
    return figures_open_and_edit(settings, edits=False)


def run(settings: Settings) -> list[Row]:
    rows = figures_open_and_edit(settings)
    rows.extend(figures_relations(settings))
    big = settings.shared.get("project")
    if big is not None:
        rows.append(
            figure_big_project(
                settings, big, settings.shared["jsonl"], settings.shared["documents"]
            )
        )
    rows.append(figure_startup(settings))
    rows.append(figure_tag_and_propagate(settings))
    rows.append(settings.shared.pop("figure 11 sample"))
    return rows


def figure_tag_and_propagate(settings: Settings) -> Row:
    """Figure 11: propagation as you tag within the 16 ms of an edit."""
    project = settings.workdir / "long-propagate.annotator"
    shutil.copyfile(make_long_project(settings), project)  # no suggestions from a past run
    from annotator.core import Project
    from annotator.core.importing import read_documents

    with Project.open(project, annotator="bench") as opened:
        opened.add_documents(read_documents([SAMPLE_TEXT]))
        opened.conn.execute("UPDATE documents SET name = 'sample' WHERE name LIKE 'kim-%'")
    settings.log("tag with propagation as you tag")
    result = run_worker(
        SCRIPT, "tag_and_propagate", project, settings.repeats, env=_window_env(settings)
    )
    project.unlink()
    on, off = median(result["on"]), median(result["off"])
    worst = max(result["on"])
    spans = settings.size(10_000, 500)
    inner = result["propagate"]
    sample_on, sample_off = median(result["sample_on"]), median(result["sample_off"])
    sample_inner = median(result["sample_propagate"])
    sample = Row(
        '13. Tag "Kim Jong Un" on the sample article, proposing its other occurrences',
        fmt_seconds(sample_on),
        fmt_seconds(sample_off) + " (propagation off)",
        sample_on / sample_off,
        "≤ 16 ms",
        sample_on <= 0.016,
        [
            f"the propagation alone: median {fmt_seconds(sample_inner)},"
            f" {max(result['sample_found'])} suggestions"
        ],
    )
    settings.shared["figure 11 sample"] = sample
    return Row(
        f"13. Tag a name with propagation as you tag, {spans:,} spans",
        fmt_seconds(on),
        fmt_seconds(off) + " (propagation off)",
        on / off,
        "≤ 16 ms",
        on <= 0.016,
        [
            f"medians of {len(result['on'])} names tagged with propagation, {len(result['off'])}"
            f" without; slowest with: {fmt_seconds(worst)}; the propagation alone (find,"
            f" store, read back): median {fmt_seconds(median(inner))}, slowest"
            f" {fmt_seconds(max(inner))}; {max(result['found'])} suggestions at most,"
            f" {median([float(x) for x in result['found']]):.0f} the median"
        ],
    )


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    worker_main(
        {
            "open_and_edit": open_and_edit,
            "open_and_link": open_and_link,
            "tag_and_propagate": tag_and_propagate,
            "ready": ready,
            "startup_ours": startup_ours,
            "startup_base": startup_base,
        }
    )
