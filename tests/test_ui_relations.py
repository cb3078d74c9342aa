"""Relations in the window, driven from the keyboard as a person would: select a
QUOTE, press r, move to the speaker, Enter. Then drawn (pixels), undone, redone,
reopened and exported through the command line in real processes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from ui_helpers import find_in_view, open_window, point_of

from annotator.core.relation_types import NEWS_SCHEME, relation_type

SAID_BY_COLOUR = NEWS_SCHEME[0].colour
QUOTE_1 = (
    "\"North Korea's Kim Jong Un is believed to have arrived in Russia early this"
    ' morning via a private train."'
)
QUOTE_2 = '"in the coming days."'
# (quote, its speaker): who said each quote of the sample article.
ATTRIBUTION = [(QUOTE_1, "Ministry of National Defence"), (QUOTE_2, "Kremlin")]
ALT = Qt.KeyboardModifier.AltModifier


def sample_window(qtbot, sample_project):
    path = sample_project.path
    sample_project.close()
    return open_window(qtbot, path)


def tag(qtbot, window, words: str, key: str, occurrence: int = 0) -> None:
    find_in_view(window, words, occurrence)
    qtbot.keyClick(window.view, key)


def message(window) -> str:
    return window.statusBar().currentMessage()


def tag_the_sample(qtbot, window) -> None:
    """Quotes, their speakers, and people in and near them (the chooser's distractors)."""
    tag(qtbot, window, QUOTE_1, "q")
    tag(qtbot, window, "Kim Jong Un", "p", 1)  # inside the first quote: nearest to it
    tag(qtbot, window, "Ministry of National Defence", "p")
    tag(qtbot, window, QUOTE_2, "q")
    tag(qtbot, window, "Kremlin", "p")
    tag(qtbot, window, "Dmitry Peskov", "p")


def link_by_keyboard(qtbot, window, quote: str, speaker: str) -> None:
    """Select the quote with Tab, press r, Tab until the speaker is offered, Enter."""
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    find_in_view(window, quote[:12])
    qtbot.keyClick(view, Qt.Key.Key_Left)  # the cursor at the quote's start, nothing selected
    for _ in range(20):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        span = view.selected_span()
        if span is not None and view.text[span.start : span.end] == quote:
            break
    else:
        raise AssertionError(f"Tab never reached {quote!r}")
    qtbot.keyClick(view, "r")
    for _ in range(10):
        if f"“{speaker}”" in message(window):
            break
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    else:
        raise AssertionError(f"the chooser never offered {speaker!r}: {message(window)}")
    qtbot.keyClick(view, Qt.Key.Key_Return)


def links(window) -> set[tuple[str, str, str]]:
    """The stored relations of the open document: (head text, type, child text)."""
    project = window.project
    return {
        (project.span(r.head).text, r.label, project.span(r.child).text)
        for r in project.relations(window.document_id)
    }


EXPECTED = {(quote, "said-by", speaker) for quote, speaker in ATTRIBUTION}


def arc_pixels(window, head_words: str, child_words: str) -> int:
    """Pixels of said-by's colour in the band from the line above the upper span to
    the lower span's line, between the two spans: where the arc runs."""
    view = window.view
    view.viewport().repaint()
    image: QImage = view.viewport().grab().toImage()
    text = view.text
    places = []
    for words in (head_words, child_words):
        start = text.index(words)
        places.append(point_of(view, view.view_map.to_view(start)))
        places.append(point_of(view, view.view_map.to_view(start + len(words) - 1)))
    line = view.fontMetrics().height()
    top = min(p.y() for p in places) - 2 * line
    bottom = max(p.y() for p in places)
    area = QRect(QPoint(0, top), QPoint(image.width() - 1, bottom)).intersected(image.rect())
    target = QColor(SAID_BY_COLOUR)
    count = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - target.red()) < 30
                and abs(pixel.green() - target.green()) < 30
                and abs(pixel.blue() - target.blue()) < 30
            ):
                count += 1
    return count


def annotator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 0, result.stderr
    return result


def test_each_quote_is_linked_to_its_speaker_from_the_keyboard(qtbot, sample_project, tmp_path):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    quote_head, speaker_1 = ATTRIBUTION[0]
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    # Spans' own edges come close to the arc's colour: what counts is what the link adds.
    unlinked = arc_pixels(window, quote_head, speaker_1)
    for quote, speaker in ATTRIBUTION:
        link_by_keyboard(qtbot, window, quote, speaker)
    assert links(window) == EXPECTED
    assert window.relations.panel.model.rowCount() == 2
    assert window.menus.edit_menu.actions()[0].text() == "Undo link QUOTE → PERSON 'Kremlin'"

    # Drawn: an arc in said-by's colour between the first quote and its speaker.
    qtbot.keyClick(window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    drawn = arc_pixels(window, quote_head, speaker_1)
    assert drawn > unlinked + 20

    # Undone and redone, with the keys.
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert links(window) == {(ATTRIBUTION[0][0], "said-by", ATTRIBUTION[0][1])}
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert links(window) == set()
    assert window.relations.panel.model.rowCount() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # no span selected, none outlined
    qtbot.keyClick(window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert arc_pixels(window, quote_head, speaker_1) == unlinked
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert links(window) == EXPECTED
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert arc_pixels(window, quote_head, speaker_1) == drawn

    # Survives a reopen.
    path = window.project.path
    window.close()
    again = open_window(qtbot, path)
    assert links(again) == EXPECTED
    assert again.relations.panel.model.rowCount() == 2
    again.close()

    # And every format that carries relations has them.
    out = tmp_path / "out"
    out.mkdir()
    annotator("export", path, "-o", out / "all.jsonl", "--format", "jsonl")
    record = json.loads((out / "all.jsonl").read_text(encoding="utf-8").splitlines()[0])
    by_id = {span["id"]: span["text"] for span in record["spans"]}
    assert {
        (by_id[r["head"]], r["label"], by_id[r["child"]]) for r in record["relations"]
    } == EXPECTED

    annotator("export", path, "-o", out / "brat", "--format", "brat")
    ann = next((out / "brat").rglob("*.ann")).read_text(encoding="utf-8")
    spans = {
        line.split("\t")[0]: line.split("\t")[2] for line in ann.splitlines() if line[0] == "T"
    }
    relations = set()
    for line in ann.splitlines():
        if line.startswith("R"):
            kind, arg1, arg2 = line.split("\t")[1].split()
            relations.add((spans[arg1.split(":")[1]], kind, spans[arg2.split(":")[1]]))
    assert relations == EXPECTED

    annotator("export", path, "-o", out / "ls.json", "--format", "label-studio")
    task = json.loads((out / "ls.json").read_text(encoding="utf-8"))[0]
    results = task["annotations"][0]["result"]
    regions = {r["id"]: r["value"]["text"] for r in results if r["type"] == "labels"}
    assert {
        (regions[r["from_id"]], r["labels"][0], regions[r["to_id"]])
        for r in results
        if r["type"] == "relation"
    } == EXPECTED

    annotator("export", path, "-o", out / "dr.jsonl", "--format", "doccano-relations")
    line = json.loads((out / "dr.jsonl").read_text(encoding="utf-8").splitlines()[0])
    text = line["text"]
    entities = {e["id"]: text[e["start_offset"] : e["end_offset"]] for e in line["entities"]}
    assert {
        (entities[r["from_id"]], r["type"], entities[r["to_id"]]) for r in line["relations"]
    } == EXPECTED

    annotator("export", path, "-o", out / "quotes.csv", "--format", "attribution")
    with (out / "quotes.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(row["quote"], row["speaker"]) for row in rows} == set(ATTRIBUTION)


def test_the_chooser_numbers_candidates_nearest_first_and_a_digit_picks(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    view = window.view
    find_in_view(window, QUOTE_1)
    qtbot.keyClick(view, "q")  # already tagged: selects the quote
    qtbot.keyClick(view, "r")
    chooser = window.relations.chooser
    assert chooser is not None
    offered = [
        view.text[view.spans[c.span_id].start : view.spans[c.span_id].end]
        for c in chooser.candidates
    ]
    # Inside the quote, then just before it, then further away; PLACEs are not offered.
    assert offered[:2] == ["Kim Jong Un", "Ministry of National Defence"]
    assert set(offered) == {
        "Kim Jong Un",
        "Ministry of National Defence",
        "Kremlin",
        "Dmitry Peskov",
    }
    assert "1 of 4" in message(window)
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert "4 of 4" in message(window)
    qtbot.keyClick(view, "p")  # a label key while choosing changes nothing
    assert view.selected_span().label == "QUOTE"
    qtbot.keyClick(view, "2")
    assert window.relations.chooser is None
    assert links(window) == {(QUOTE_1, "said-by", "Ministry of National Defence")}
    # Offered again, that link is not among the candidates; Esc cancels without a change.
    qtbot.keyClick(view, "r")
    assert window.relations.chooser is not None
    assert len(window.relations.chooser.candidates) == 3
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.relations.chooser is None
    assert message(window) == "Link cancelled"
    assert len(links(window)) == 1


def test_from_a_person_the_chooser_offers_quotes_and_places(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    tag(qtbot, window, "Russia", "l", 1)
    view = window.view
    tag(qtbot, window, "Kremlin", "p")  # selects it
    qtbot.keyClick(view, "r")
    chooser = window.relations.chooser
    assert chooser is not None
    labels = {view.spans[c.span_id].label for c in chooser.candidates}
    assert labels == {"QUOTE", "PLACE"}
    # The nearest QUOTE is the one the Kremlin said; linked from the person, the QUOTE is the head.
    while "QUOTE" not in message(window):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert links(window) == {(QUOTE_2, "said-by", "Kremlin")}


def test_where_two_types_fit_the_type_is_picked_by_its_key(qtbot, sample_project):
    sample_project.add_relation_type(
        relation_type("paraphrases", "#6A1B9A", ["QUOTE"], ["PERSON"], "k")
    )
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, QUOTE_2, "q")
    tag(qtbot, window, "Kremlin", "p")
    tag(qtbot, window, QUOTE_2, "q")  # select the quote again
    view = window.view
    qtbot.keyClick(view, "r")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert "said-by (s)" in message(window) and "paraphrases (k)" in message(window)
    assert links(window) == set()
    qtbot.keyClick(view, "k")
    assert links(window) == {(QUOTE_2, "paraphrases", "Kremlin")}


def test_relation_list_selects_and_delete_removes_undoably(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    for quote, speaker in ATTRIBUTION:
        link_by_keyboard(qtbot, window, quote, speaker)
    table = window.relations.panel.table
    model = window.relations.panel.model
    rows = {
        tuple(model.index(row, column).data() for column in range(3))
        for row in range(model.rowCount())
    }
    assert rows == {("said-by", " ".join(q.split()), s) for q, s in ATTRIBUTION}
    # F6 reaches the list; arrows select a row, which selects the relation in the article.
    for _ in range(3):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F6)
    assert window.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Up)
    chosen = window.relations.panel.current_relation()
    relation = next(r for r in window.project.relations(window.document_id) if r.id == chosen)
    assert window.view.chosen_relation == chosen
    assert window.view.selected_span_id == relation.head
    # A type's key retypes it: not allowed between a QUOTE and a PERSON, hedges is refused.
    qtbot.keyClick(table, "h")
    assert "Could not retype: hedges links a HEDGE to a QUOTE" in message(window)
    assert links(window) == EXPECTED
    window.project.add_relation_type(
        relation_type("paraphrases", "#6A1B9A", ["QUOTE"], ["PERSON"], "k")
    )
    qtbot.keyClick(table, "k")
    kinds = {r.label for r in window.project.relations(window.document_id)}
    assert kinds == {"said-by", "paraphrases"}
    assert window.menus.edit_menu.actions()[0].text().startswith("Undo retype QUOTE → PERSON")
    window.undo()
    assert links(window) == EXPECTED
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(links(window)) == 1
    assert model.rowCount() == 1
    assert window.menus.edit_menu.actions()[0].text().startswith("Undo delete relation")
    window.undo()
    assert links(window) == EXPECTED


def test_alt_drag_links_two_spans_and_deleting_a_span_drops_its_arc(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    view = window.view
    text = view.text
    quote_at = text.index(QUOTE_2) + 3
    person_at = text.index("Kremlin") + 2
    start = point_of(view, view.view_map.to_view(quote_at))
    end = point_of(view, view.view_map.to_view(person_at))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, ALT, start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, ALT, end)
    assert links(window) == {(QUOTE_2, "said-by", "Kremlin")}
    assert len(view.relation_layer.relations) == 1
    # The context menu offers "Link to…" as well.
    texts = [action.text() for action in window.context_menu().actions()]
    assert "Link to…\tR" in texts
    tag(qtbot, window, "Kremlin", "p")  # selects the person
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert links(window) == set()
    assert view.relation_layer.relations == []
    window.undo()
    assert links(window) == {(QUOTE_2, "said-by", "Kremlin")}
    assert len(view.relation_layer.relations) == 1


def test_label_tags_are_painted_when_turned_on(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag(qtbot, window, "Kim Jong Un", "p")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    view = window.view
    rect = view.span_rects(next(iter(view.spans)))[0].toRect()
    above = QRect(
        rect.left(), rect.top() - view.fontMetrics().height(), 40, view.fontMetrics().height()
    )
    person = QColor(view.colours["PERSON"])

    def person_pixels() -> int:
        view.viewport().repaint()
        image = view.viewport().grab().toImage()
        area = above.intersected(image.rect())
        return sum(
            1
            for x in range(area.left(), area.right() + 1)
            for y in range(area.top(), area.bottom() + 1)
            if image.pixelColor(x, y) == person
        )

    assert person_pixels() == 0
    qtbot.keyClick(
        view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.relations.tags_action.isChecked()
    assert person_pixels() > 30


def test_hovering_a_span_outlines_the_spans_at_the_other_ends(qtbot, sample_project):
    window = sample_window(qtbot, sample_project)
    tag_the_sample(qtbot, window)
    link_by_keyboard(qtbot, window, QUOTE_1, "Ministry of National Defence")
    view = window.view
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    text = view.text
    speaker = next(
        s for s in view.spans.values() if text[s.start : s.end] == "Ministry of National Defence"
    )
    outline = QColor(view.colours["PERSON"]).darker(170)
    box = view.span_rects(speaker.id)[0].toRect().adjusted(-3, -3, 3, 3)

    def outline_pixels() -> int:
        view.viewport().repaint()
        image = view.viewport().grab().toImage()
        area = box.intersected(image.rect())
        return sum(
            1
            for x in range(area.left(), area.right() + 1)
            for y in range(area.top(), area.bottom() + 1)
            if image.pixelColor(x, y).name() == outline.name()
        )

    before = outline_pixels()
    quote_at = point_of(view, view.view_map.to_view(text.index(QUOTE_1) + 45))
    qtbot.mouseMove(view.viewport(), quote_at)
    assert view.hovered_span_id == next(
        s.id for s in view.spans.values() if text[s.start : s.end] == QUOTE_1
    )
    assert outline_pixels() > before + 40
    # Away from every span: the outline goes.
    qtbot.mouseMove(view.viewport(), point_of(view, view.view_map.to_view(text.index("As per"))))
    assert view.hovered_span_id is None
    assert outline_pixels() == before


def test_a_long_article_draws_its_first_screens_relations_then_lists_them_all(qtbot, project_path):
    """Opening reads the relations with an end on the first screen (a quote up top
    said-by a speaker far down is one); the list gets them all once it is painted, and
    the store's prefix is exactly what a scan of every relation gives."""
    from annotator.core import Project

    paragraph = "Kim said “we will go” to reporters in Moscow on Tuesday.\n"
    text = paragraph * 300
    with Project.create(project_path) as project:
        document = project.add_document(text, name="long")
        assert document is not None
        doc = document.id
        links = []
        for k in range(0, len(text), len(paragraph)):
            quote = project.add_span(doc, k + 9, k + 20, "QUOTE")
            kim = project.add_span(doc, k, k + 3, "PERSON")
            links.append(project.add_relation(quote.id, kim.id, "said-by"))
        last_kim = project.find_span(
            doc, len(text) - len(paragraph), len(text) - len(paragraph) + 3, "PERSON"
        )
        first_quote = project.find_span(doc, 9, 20, "QUOTE")
        links.append(project.add_relation(first_quote.id, last_kim.id, "said-by"))
        every = project.relations(doc, [project.annotator])
        for before in (0, 30, 500, len(text) // 2, len(text)):
            starts = {s.id: s.start for s in project.spans(doc)}
            expected = [r for r in every if min(starts[r.head], starts[r.child]) < before]
            assert project.relations(doc, [project.annotator], touching_before=before) == expected
    window = open_window(qtbot, project_path)
    window.open_document(doc)  # as opened anew
    relations = window.relations
    assert not relations.is_complete
    drawn = {r.id for r in window.view.relation_layer.relations}
    assert links[-1].id in drawn  # up top to far down: its stub is on the first screen
    assert links[0].id in drawn and links[150].id not in drawn
    window.view.viewport().repaint()
    qtbot.waitUntil(lambda: relations.is_complete)
    assert relations.panel.model.rowCount() == len(links)
    assert {r.id for r in window.view.relation_layer.relations} == {r.id for r in links}
