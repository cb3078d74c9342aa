"""The attribution table and quotes per speaker, through the command line in real
processes, read back with the csv module and checked against the source text."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE

from annotator.core import Project

HEADER = [
    "document",
    "date",
    "annotator",
    "quote_start",
    "quote_end",
    "quote",
    "speaker",
    "speaker_start",
    "hedges",
]
# Accents, an emoji before the spans (code points, not UTF-16 units), a comma and a
# line break inside a quote, a quote Excel would take for a formula.
SECOND = (
    'Dmitry Peskov 🇷🇺 said: "Les négociations, elles avancent.\nRien n\'est décidé." '
    'Zoë Müller reportedly added: "Nobody knows." Peskov and Müller agreed that '
    "-1% growth is no crisis."
)


def annotator(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert (result.returncode == 0) is ok, result.stderr
    assert "Traceback" not in result.stderr
    return result


def _span(project: Project, document_id: int, text: str, words: str, label: str) -> int:
    start = text.index(words)
    return project.add_span(document_id, start, start + len(words), label).id


def _read(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def make_study(tmp_path: Path) -> tuple[Path, str, str]:
    """The sample article and a second one, labelled and linked as a person would."""
    path = tmp_path / "study.annotator"
    annotator("new", path)
    annotator("add", path, SAMPLE)
    second_file = tmp_path / "peskov.txt"
    second_file.write_text(SECOND, encoding="utf-8")
    annotator("add", path, second_file)
    source = SAMPLE.read_text(encoding="utf-8")
    first = source[source.index("The South Korean") :]
    with Project.open(path) as project:
        one, two = (document.id for document in project.documents())
        assert project.document(one).text == first
        statement = first[first.index('"North Korea') : first.index('train."') + 7]
        quote = _span(project, one, first, statement, "QUOTE")
        _span(project, one, first, "is believed to", "HEDGE")
        _span(project, one, first, '"in the coming days."', "QUOTE")  # no speaker
        kim = _span(project, one, first, "Kim Jong Un", "PERSON")
        project.add_relation(quote, kim, "said-by")  # the quote's subject, for the test
        peskov = _span(project, two, SECOND, "Dmitry Peskov", "PERSON")
        muller = _span(project, two, SECOND, "Zoë Müller", "PERSON")
        words = SECOND[SECOND.index('"Les') : SECOND.index('cidé."') + 6]
        talks = _span(project, two, SECOND, words, "QUOTE")
        project.add_relation(talks, peskov, "said-by")
        nobody = _span(project, two, SECOND, '"Nobody knows."', "QUOTE")
        project.add_relation(nobody, muller, "said-by")
        project.add_relation(nobody, peskov, "said-by")  # two speakers, in text order
        reportedly = _span(project, two, SECOND, "reportedly", "HEDGE")
        project.add_relation(reportedly, nobody, "hedges")
        crisis = _span(project, two, SECOND, "-1% growth is no crisis", "QUOTE")
        # Backwards, as a file from another tool may bring it (the window refuses it):
        # counted, left out.
        project.span_store.add_relation(muller, crisis, "said-by")
    with Project.open(path, annotator="bob") as project:  # another annotator's hedge
        _span(project, two, SECOND, "Rien n'est décidé", "HEDGE")
    return path, first, SECOND


def test_attribution_table_from_the_command_line(tmp_path: Path) -> None:
    path, first, second = make_study(tmp_path)
    out = tmp_path / "quotes.csv"
    result = annotator("export", path, "--format", "attribution", "-o", out)
    assert "1 said-by relation not from a QUOTE left out" in result.stderr
    assert "Wrote 2 documents" in result.stderr
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8 by default
    rows = _read(out)
    assert rows[0] == HEADER
    table = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    texts = {"kim-train-to-russia": first, "peskov": second}
    assert [row["document"] for row in table] == [
        "kim-train-to-russia",
        "kim-train-to-russia",
        "peskov",
        "peskov",
        "peskov",
    ]
    for row in table:
        text = texts[row["document"]]
        assert text[int(row["quote_start"]) : int(row["quote_end"])] == row["quote"]
        assert row["annotator"] == "tester"
        if row["speaker_start"]:
            first_speaker = row["speaker"].split("; ")[0]
            start = int(row["speaker_start"])
            assert text[start : start + len(first_speaker)] == first_speaker
    statement, coming, talks, nobody, crisis = table
    assert statement["date"] == "2023-09-12" and talks["date"] == ""
    assert statement["quote"].startswith('"North Korea') and statement["quote"].endswith('train."')
    assert (statement["speaker"], statement["hedges"]) == ("Kim Jong Un", "is believed to")
    assert int(statement["speaker_start"]) == first.index("Kim Jong Un")
    assert (coming["speaker"], coming["speaker_start"], coming["hedges"]) == ("", "", "")
    assert talks["quote"] == '"Les négociations, elles avancent.\nRien n\'est décidé."'
    assert int(talks["quote_start"]) == second.index('"Les')  # the flag is two code points
    # Inside the quote, but bob's: not a hedge of tester's quote.
    assert (talks["speaker"], talks["hedges"]) == ("Dmitry Peskov", "")
    assert (nobody["speaker"], nobody["hedges"]) == ("Dmitry Peskov; Zoë Müller", "reportedly")
    assert int(nobody["speaker_start"]) == 0
    assert (crisis["quote"], crisis["speaker"]) == ("-1% growth is no crisis", "")


def test_excel_gets_a_byte_order_mark_and_no_formulas(tmp_path: Path) -> None:
    path, _, _ = make_study(tmp_path)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    annotator("export", path, "-o", plain)  # .csv: the attribution table, by extension
    annotator("export", path, "--format", "attribution", "--excel", "-o", excel)
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    plain_rows, excel_rows = _read(plain), _read(excel, "utf-8-sig")
    assert excel_rows[0] == HEADER
    changed = [
        (a, b)
        for row_a, row_b in zip(plain_rows, excel_rows, strict=True)
        for a, b in zip(row_a, row_b, strict=True)
        if a != b
    ]
    assert changed == [("-1% growth is no crisis", "'-1% growth is no crisis")]
    refused = annotator("export", path, "-o", tmp_path / "x.jsonl", "--excel", ok=False)
    assert "--excel does not apply to the jsonl format" in refused.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_quotes_per_speaker(tmp_path: Path) -> None:
    path, _, _ = make_study(tmp_path)
    out = annotator("stats", path, "--by", "speaker").stdout
    assert out.splitlines() == [
        "5 quotes by speaker (a quote said by two people counts for each)",
        "  Dmitry Peskov       2",
        "  Kim Jong Un         1",
        "  Zoë Müller          1",
        "  (no speaker)        2",
    ]


def test_a_project_without_quotes_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "orgs.annotator"
    annotator("new", path, "--labels", "PERSON,ORG")
    out = tmp_path / "quotes.csv"
    result = annotator("export", path, "--format", "attribution", "-o", out, ok=False)
    message = [line for line in result.stderr.splitlines() if line.strip()]
    assert message[-1].endswith(
        "the project has no QUOTE label, and the attribution table has one row per QUOTE span"
    )
    assert not out.exists()
    assert list(tmp_path.glob(".quotes.csv*")) == []
    result = annotator("stats", path, "--by", "speaker", ok=False)
    assert "has no QUOTE label" in result.stderr
