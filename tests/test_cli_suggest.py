"""``annotator suggest`` through the command line: what a researcher types and reads."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE
from test_cli import run
from test_suggest_spacy import pipeline_dir  # noqa: F401 (a fixture)

from annotator.core import Project

OTHER = "Kim Jong Un spoke. Russian officials met him; Russia's envoy did not."
UNRELATED = "Floods in Valencia closed the port."


def _study(tmp_path: Path) -> Path:
    """The sample article, tagged once each "Kim Jong Un" and "Russia" by maria, with
    two more documents: one holding those words, one not."""
    path = tmp_path / "study.annotator"
    run("new", path)
    run("add", path, SAMPLE)
    with Project.open(path, annotator="maria") as project:
        (document_id,) = project.document_ids()
        text = project.document_text(document_id)
        for words, label in (("Kim Jong Un", "PERSON"), ("Russia", "PLACE")):
            start = text.index(words)
            project.add_span(document_id, start, start + len(words), label)
        project.add_document(OTHER, name="other")
        project.add_document(UNRELATED, name="unrelated")
    return path


def _whole_words(text: str, words: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(words)}(?!\w)", text))


def _counts(output: str) -> dict[tuple[str, str], int]:
    found = re.findall(r"^\s+(\S+)\s+(\S+)\s+(\d+)$", output, re.MULTILINE)
    return {(source, label): int(n) for source, label, n in found}


def _pending(path: Path) -> list[tuple[str, str, str]]:
    with Project.open(path, read_only=True, annotator="maria") as project:
        return [
            (project.document(d).name, s.annotator, s.text)
            for d in project.document_ids()
            for s in project.suggestions(d)
        ]


def test_propagate_quotes_and_hedges_over_the_project(tmp_path: Path) -> None:
    path = _study(tmp_path)
    text = SAMPLE.read_text(encoding="utf-8")
    out = run("suggest", path)
    counts = _counts(out)
    # Propagation: every other whole-word occurrence in the sample, and each in the
    # other document ("Russia's" yes, "Russian" no); the unrelated one is never read.
    assert counts[("propagate", "PERSON")] == _whole_words(text, "Kim Jong Un") - 1 + 1
    assert counts[("propagate", "PLACE")] == _whole_words(text, "Russia") - 1 + 1
    assert counts[("quotes", "QUOTE")] == 2
    assert counts[("hedges", "HEDGE")] >= 3
    assert "3 documents read" in out
    pending = _pending(path)
    assert ("other", "suggest:propagate", "Russia") in pending
    assert not any(name == "unrelated" for name, _, _ in pending)
    # Run again: nothing new, nothing doubled.
    assert "0 new suggestions" in run("suggest", path)
    assert _pending(path) == pending
    stats = run("stats", path)
    assert "2 spans" in stats and f"{len(pending)} suggestions" in stats


def test_propagation_alone_reads_only_documents_the_index_names(tmp_path: Path) -> None:
    path = _study(tmp_path)
    out = run("suggest", path, "--source", "propagate")
    assert "2 documents read" in out  # the sample and "other", never "unrelated"
    assert set(_counts(out)) == {("propagate", "PERSON"), ("propagate", "PLACE")}


def test_status_and_replace(tmp_path: Path) -> None:
    path = _study(tmp_path)
    with Project.open(path, annotator="maria") as project:
        project.set_status(project.document_ids()[0], "done")
    out = run(
        "suggest", path, "--source", "quotes,propagate", "--status", "todo", "--annotator", "maria"
    )
    assert ("quotes", "QUOTE") not in _counts(out)  # the sample, which holds them, is done
    assert "2 documents read" in out  # "other" and "unrelated"
    run("suggest", path, "--source", "quotes")
    assert sum(layer == "suggest:quotes" for _, layer, _ in _pending(path)) == 2
    # --replace drops earlier suggestions that a source no longer makes.
    with Project.open(path, annotator="maria") as project:
        sample = project.document_ids()[0]
        project.fill_suggestions(sample, "quotes", [(0, 3, "QUOTE")])
    assert sum(layer == "suggest:quotes" for _, layer, _ in _pending(path)) == 3
    run("suggest", path, "--source", "quotes", "--replace")
    assert sum(layer == "suggest:quotes" for _, layer, _ in _pending(path)) == 2


def test_a_project_keeps_its_own_hedge_lexicon(tmp_path: Path) -> None:
    path = _study(tmp_path)
    lexicon = tmp_path / "my-hedges.txt"
    lexicon.write_text("# trains only\ntrain{s}\n", encoding="utf-8")
    out = run("suggest", path, "--source", "hedges", "--lexicon", lexicon)
    assert "Kept the hedge lexicon my-hedges.txt (2 entries)" in out
    text = SAMPLE.read_text(encoding="utf-8")
    expected = _whole_words(text, "train") + _whole_words(text, "trains")
    assert _counts(out) == {("hedges", "HEDGE"): expected}
    lexicon.unlink()  # the project has its copy
    out = run("suggest", path, "--source", "hedges", "--replace")
    assert _counts(out) == {("hedges", "HEDGE"): expected}
    assert {t for _, layer, t in _pending(path) if layer == "suggest:hedges"} == {"train"}


def test_bad_input_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    path = _study(tmp_path)
    bad = tmp_path / "bad-hedges.txt"
    bad.write_text("presumably\nbelieve{s\n", encoding="utf-8")
    out = run("suggest", path, "--lexicon", bad, ok=False)
    assert out.strip() == f"Error: {bad}, line 2: unbalanced braces in 'believe{{s'"
    out = run("suggest", path, "--source", "propagate,spacy:xx_no_such_model", ok=False)
    assert out.count("\n") == 1 and "no spaCy pipeline 'xx_no_such_model'" in out
    assert run("suggest", path, "--source", "quotes,nonsense", ok=False).startswith(
        "Error: unknown source 'nonsense'"
    )
    # A good lexicon given in a run that fails is not kept either.
    good = tmp_path / "good.txt"
    good.write_text("train\n", encoding="utf-8")
    run("suggest", path, "--lexicon", good, "--source", "hedges,spacy:xx_no_such_model", ok=False)
    assert _pending(path) == []
    out = run("suggest", path, "--source", "hedges")
    assert ("suggest:hedges", "presumably") in {(layer, t) for _, layer, t in _pending(path)}


def test_without_spacy_one_line_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _study(tmp_path)
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy now fails
    out = run("suggest", path, "--source", "spacy:en_core_web_sm", ok=False)
    assert out == (
        "Error: the spacy source needs spaCy, which is not installed:"
        " pip install 'annotator[spacy]'\n"
    )


def test_a_spacy_pipeline_with_the_projects_mapping(
    tmp_path: Path,
    pipeline_dir: Path,  # noqa: F811
) -> None:
    path = tmp_path / "p.annotator"
    run("new", path)
    with Project.open(path) as project:
        project.add_document("Olga Petrov travelled to Kraków via Khasan station, Reuters said.")
    out = run("suggest", path, "--source", f"spacy:{pipeline_dir}", "--spacy-map", "PERSON=PERSON")
    assert _counts(out) == {("spacy:news_ner", "PERSON"): 1}
    # Kept: the next run maps the same way, without being told.
    out = run("suggest", path, "--source", f"spacy:{pipeline_dir}", "--replace")
    assert _counts(out) == {("spacy:news_ner", "PERSON"): 1}
    assert run("suggest", path, "--spacy-map", "GPE=TOWN", ok=False).startswith(
        "Error: no label 'TOWN' in this project"
    )


def _suggest_process(path: Path, stderr: int) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "ANNOTATOR_NAME": "maria"}
    return subprocess.run(
        [sys.executable, "-m", "annotator", "suggest", str(path)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=env,
        timeout=120,
        check=True,
    )


def test_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    path = _study(tmp_path)
    piped = _suggest_process(path, subprocess.PIPE)
    assert piped.stderr == b""
    run("suggest", path, "--replace")  # the same work again, for the terminal
    primary, secondary = pty.openpty()
    try:
        _suggest_process(path, secondary)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert b"Suggesting" in seen and b"3/3" in seen
