"""A scripted study: hand out, three coders label, merge, agree, adjudicate, export gold.

The command line runs as a real process, as a team would run it; each coder's
labelling is a script on their own file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson

from annotator.core import NewDocument, Project
from annotator.core.adjudication import compare, copy_agreed, take
from annotator.core.layers import GOLD

TEXT = "Article {n}: Kim met Putin in Moscow."


def annotator(*args: str | Path, env_name: str = "lead") -> str:
    env = {**os.environ, "ANNOTATOR_NAME": env_name}
    done = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    return done.stdout


def _find(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def _label(path: Path, coder: str) -> None:
    """Each coder's habits: maria is the reference; olga calls Putin a place; chen
    takes "Kim met" for the person and leaves Moscow out."""
    with Project.open(path, annotator=coder) as project:
        for document_id in project.document_ids():
            text = project.document_text(document_id)
            if coder == "chen":
                project.add_span(document_id, *_find(text, "Kim met"), "PERSON")
            else:
                project.add_span(document_id, *_find(text, "Kim"), "PERSON")
            if coder != "chen":
                project.add_span(document_id, *_find(text, "Moscow"), "PLACE")
            project.add_span(
                document_id, *_find(text, "Putin"), "PLACE" if coder == "olga" else "PERSON"
            )
            project.set_status(document_id, "done")


def test_a_scripted_study(tmp_path: Path) -> None:
    source = tmp_path / "study.annotator"
    with Project.create(source, annotator="lead") as project:
        project.add_documents(
            NewDocument(text=TEXT.format(n=n), name=f"article-{n}") for n in range(5)
        )
    team = tmp_path / "team"
    out = annotator("handout", source, "--to", "maria,olga,chen", "--overlap", "0.4", "-o", team)
    assert "2 documents go to every coder" in out
    for coder in ("maria", "olga", "chen"):
        _label(team / f"{coder}.annotator", coder)

    merged = tmp_path / "merged.annotator"
    annotator("merge", *(team / f"{c}.annotator" for c in ("maria", "olga", "chen")), "-o", merged)

    figures = orjson.loads(annotator("agree", merged, "--json"))
    assert figures["annotators"] == ["chen", "maria", "olga"]
    assert figures["documents"] == 2  # the shared ones: the rest has one coder each
    pairs = {(p["a"], p["b"]): p for p in figures["pairs"]}
    maria_olga = pairs[("maria", "olga")]
    assert maria_olga["documents"] == 2
    # Each shared document: Kim and Moscow alike, Putin PERSON against PLACE.
    assert round(maria_olga["exact"]["f1"], 3) == round(2 / 3, 3)
    assert round(maria_olga["overlap"]["f1"], 3) == round(2 / 3, 3)
    chen_maria = pairs[("chen", "maria")]
    # Chen (A) has "Kim met" and Putin, maria (B) Kim, Putin and Moscow. "Kim met"
    # overlaps "Kim": a match only when overlap counts.
    assert chen_maria["exact"]["recall"] == 0.5 and chen_maria["overlap"]["recall"] == 1.0
    assert round(chen_maria["exact"]["precision"], 3) == round(1 / 3, 3)
    table = annotator("agree", merged, "--report", tmp_path / "agreement.html")
    assert "maria" in table and (tmp_path / "agreement.html").read_text().startswith("<!")

    with Project.open(merged, annotator="lead") as project:
        shared = [i for i in project.document_ids() if len(project.statuses(i)) == 3]
        assert len(shared) == 2
        for document_id in shared:
            copied = copy_agreed(project, document_id, "maria", "olga")
            assert [s.text for s in copied] == ["Kim", "Moscow"]
            (disagreement,) = compare(project, document_id, "maria", "olga").disagreements
            assert disagreement.kind == "label" and disagreement.a is not None
            take(project, disagreement.a)
            project.set_status(document_id, "done", GOLD)
        project.undo()  # the last take: Putin goes back out of gold
        project.redo()

    gold = tmp_path / "gold.jsonl"
    annotator("export", merged, "-o", gold, "--annotator", "gold", "--status", "done")
    records = [orjson.loads(line) for line in gold.read_bytes().splitlines()]
    assert len(records) == 2
    for record in records:
        assert record["status"] == "done"
        assert [(s["text"], s["label"], s["annotator"]) for s in record["spans"]] == [
            ("Kim", "PERSON", "gold"),
            ("Putin", "PERSON", "gold"),
            ("Moscow", "PLACE", "gold"),
        ]
