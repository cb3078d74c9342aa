"""Opening, reopening, refusing, settings and the file commands of the window."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import find_in_view, make_project, open_window, run_python, stored

import annotator
from annotator.core import Project
from annotator.ui import dialogs


def test_first_run_opens_the_sample_made_in_the_data_folder(qtbot):
    from annotator.app import create_window

    repo_projects = Path(annotator.__file__).resolve().parents[1] / "projects"
    before = sorted(p.name for p in repo_projects.iterdir())
    window = create_window(None)
    qtbot.addWidget(window)
    data = Path(os.environ["ANNOTATOR_DATA_DIR"])
    assert window.project is not None
    assert window.project.path.parent == data
    assert "Kim Jong Un" in window.view.toPlainText()
    assert window.title_label.text() == "kim-train-to-russia"
    assert "2023-09-12" in window.meta_label.text()
    assert sorted(p.name for p in repo_projects.iterdir()) == before


def test_closing_and_reopening_keeps_spans_document_layout_and_zoom(qtbot, project_path):
    make_project(project_path, "First about Putin.", "Second about Kim Jong Un.")
    window = open_window(qtbot, project_path)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    find_in_view(window, "Kim Jong Un")
    qtbot.keyClick(window.view, "p")
    qtbot.keyClick(window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    point_size = window.view.font().pointSizeF()
    window.resize(760, 640)  # the offscreen screen is 800x800: geometry is kept inside it
    window.splitter.setSizes([150, 400, 200])
    sizes = window.splitter.sizes()
    window.close()
    assert window.project is None

    from annotator.app import create_window

    again = create_window(None)  # no argument: the last project
    qtbot.addWidget(again)
    with qtbot.waitExposed(again):
        again.show()
    assert again.project.path.resolve() == project_path.resolve()
    assert again.view.toPlainText() == "Second about Kim Jong Un."
    assert stored(again) == [("PERSON", "Kim Jong Un", 13, 24)]
    assert again.view.font().pointSizeF() == point_size
    assert again.splitter.sizes() == sizes
    assert again.size() == window.size()
    ini = Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "annotator.ini"
    assert "settings_version=2" in ini.read_text()


def test_ctrl_s_only_says_everything_is_saved(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, "Text."))
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "All changes are saved"


def test_help_overlay_opens_with_f1_and_question_mark_and_closes(qtbot, project_path):
    window = open_window(qtbot, make_project(project_path, "Text."))
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    qtbot.keyClick(window.help_overlay, Qt.Key.Key_Escape)
    assert not window.help_overlay.isVisible()
    assert window.view.hasFocus()
    qtbot.keyClick(window.view, "?")
    assert window.help_overlay.isVisible()


def test_a_project_open_elsewhere_is_offered_read_only(qtbot, project_path, monkeypatch):
    make_project(project_path, "Text about Putin.")
    offered: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_open_read_only", lambda parent, msg: offered.append(msg) or True
    )
    with Project.open(project_path) as elsewhere:  # another writer holds the lock
        window = open_window(qtbot, project_path)
        assert offered and str(project_path) in offered[0]
        assert window.project.read_only
        assert "(read-only)" in window.windowTitle()
        assert not window.label_bar.isEnabled()
        find_in_view(window, "Putin")
        qtbot.keyClick(window.view, "p")
        assert "read-only" in window.statusBar().currentMessage()
        assert elsewhere.spans(elsewhere.document_ids()[0]) == []


def test_declining_read_only_leaves_the_window_empty_but_usable(qtbot, project_path, monkeypatch):
    make_project(project_path, "Text.")
    monkeypatch.setattr(dialogs, "ask_open_read_only", lambda parent, msg: False)
    with Project.open(project_path):
        window = open_window(qtbot, project_path)
        assert window.project is None
        assert window.label_bar.buttons == {}
        window.apply_label("PERSON")  # nothing to tag: a message, no crash
        assert "Open a project" in window.statusBar().currentMessage()


def test_a_file_that_is_not_a_project_gets_a_message_and_the_window_stays_usable(
    qtbot, tmp_path, monkeypatch
):
    bad = tmp_path / "notes.annotator"
    bad.write_text("just some notes, not a project")
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: shown.append(msg))
    window = open_window(qtbot, bad)
    assert shown and "notes.annotator" in shown[0]
    assert window.project is None
    good = make_project(tmp_path / "good.annotator", "Fine text.")
    assert window.open_project(good)
    assert window.view.toPlainText() == "Fine text."


def test_a_missing_project_is_created_after_asking(qtbot, tmp_path, monkeypatch):
    asked: list[Path] = []
    monkeypatch.setattr(dialogs, "ask_create", lambda parent, path: asked.append(path) or True)
    path = tmp_path / "fresh.annotator"
    window = open_window(qtbot, path)
    assert asked == [path]
    assert path.exists() and window.project is not None
    assert [label.name for label in window.project.labels][:4] == [
        "PERSON",
        "PLACE",
        "QUOTE",
        "HEDGE",
    ]


def test_import_and_export_dialogs_round_trip_jsonl(qtbot, project_path, tmp_path):
    from annotator.ui import menus

    window = open_window(qtbot, make_project(project_path, "Putin spoke in Moscow."))
    find_in_view(window, "Putin")
    qtbot.keyClick(window.view, "p")
    source = tmp_path / "more.jsonl"
    source.write_bytes(orjson.dumps({"text": "Kim Jong Un waved.", "name": "wave"}) + b"\n")

    importer = dialogs.ImportDialog(window)
    importer.format.setCurrentIndex(importer.format.findData("jsonl"))
    importer.path.edit.setText(str(source))
    QTimer.singleShot(0, importer.accept)
    menus.import_documents(window, importer)
    assert window.documents.model.rowCount() == 2
    assert (
        "more.jsonl: Added 1 document, 0 spans and 0 relations."
        in window.statusBar().currentMessage()
    )

    out = tmp_path / "out.jsonl"
    exporter = dialogs.ExportDialog([label.name for label in window.project.labels], window)
    exporter.format.setCurrentIndex(exporter.format.findData("jsonl"))
    exporter.path.edit.setText(str(out))
    exporter.labels["PLACE"].setChecked(False)
    QTimer.singleShot(0, exporter.accept)
    menus.export_project(window, exporter)
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [d["name"] for d in lines] == ["doc1", "wave"]
    assert lines[0]["spans"][0]["text"] == "Putin"
    assert QApplication.overrideCursor() is None  # the wait cursor is put back


def test_the_command_runs_the_window_and_returns_an_exit_code(project_path):
    """``annotator PROJECT.annotator`` as the console script runs it, in a fresh
    interpreter (ending the event loop here would end every later dialog's): the
    window opens without the command line's parser, and closing it exits with 0."""
    make_project(project_path, "Text.")
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from annotator.app import application\n"
        "from annotator.launch import main\n"
        "app = application()\n"
        "QTimer.singleShot(300, app.closeAllWindows)\n"
        f"sys.argv = ['annotator', {str(project_path)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print('annotator.cli' in sys.modules, exit.code)\n"
    )
    done = run_python(script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "0"]
    ini = Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "annotator.ini"
    assert str(project_path.resolve()) in ini.read_text()


def test_new_project_and_open_recent_from_the_file_menu(qtbot, tmp_path, monkeypatch):
    from annotator.ui import menus

    first = make_project(tmp_path / "first.annotator", "First text.")
    window = open_window(qtbot, first)
    fresh = tmp_path / "fresh.annotator"
    monkeypatch.setattr(dialogs, "ask_new_path", lambda parent: fresh)
    shown: list[object] = []
    window.projectChanged.connect(shown.append)
    menus.new_project(window)
    assert shown == [window.project]
    assert window.project.path == fresh and window.document_id is None
    assert "no documents yet" in window.view.placeholderText()
    window.menus.recent_menu.aboutToShow.emit()
    entries = [
        a
        for a in window.menus.recent_menu.actions()
        if a.text().replace("&&", "&") == str(first.resolve())
    ]
    assert entries
    entries[0].trigger()
    assert window.project.path.resolve() == first.resolve()
    assert window.view.toPlainText() == "First text."


def test_importing_a_folder_of_text_files_and_a_bad_file(
    qtbot, project_path, tmp_path, monkeypatch
):
    from annotator.ui import menus

    window = open_window(qtbot, make_project(project_path, "Already here."))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("title: One\nPutin arrived.", encoding="utf-8")
    (folder / "two.md").write_text("Kim left.", encoding="utf-8")
    importer = dialogs.ImportDialog(window)
    assert importer.format.currentData() is None  # detect from the name
    importer.path.edit.setText(str(folder))
    QTimer.singleShot(0, importer.accept)
    menus.import_documents(window, importer)
    model = window.documents.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["doc1", "One", "two"]

    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "fine"}\n{not json\n')
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, msg: shown.append(msg))
    importer = dialogs.ImportDialog(window)
    importer.path.edit.setText(str(bad))
    QTimer.singleShot(0, importer.accept)
    menus.import_documents(window, importer)
    assert shown and "bad.jsonl" in shown[0] and "line 2" in shown[0]
    assert window.project.count_documents() == 3  # all or nothing
    assert QApplication.overrideCursor() is None


def test_settings_of_version_1_keep_each_projects_place(qtbot, project_path):
    """Version 1 named a project's settings by the SHA-1 of its path; version 2 by a
    checksum. Moving to 2 keeps what was remembered for the projects it knows."""
    import hashlib

    from PySide6.QtCore import QSettings

    from annotator.ui.settings import project_key, settings

    make_project(project_path, "First text.", "Second text.")
    resolved = str(project_path.resolve())
    digest = hashlib.sha1(resolved.encode()).hexdigest()[:16]
    ini = Path(os.environ["ANNOTATOR_CONFIG_DIR"]) / "annotator.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    old = QSettings(str(ini), QSettings.Format.IniFormat)
    old.setValue("settings_version", 1)
    old.setValue("recent_projects", [resolved])
    old.setValue("last_project", resolved)
    old.setValue(f"last_document/{digest}", 2)
    old.setValue(f"shown_layers/{digest}", ["olga"])
    old.sync()
    del old

    store = settings()
    assert store.value(project_key(project_path, "last_document")) in (2, "2")
    assert store.value(project_key(project_path, "shown_layers")) in (["olga"], "olga")
    assert store.value(f"last_document/{digest}") is None
    store.sync()
    window = open_window(qtbot, None)
    assert window.project.path.resolve() == project_path.resolve()
    assert window.view.toPlainText() == "Second text."
