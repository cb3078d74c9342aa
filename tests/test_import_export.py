"""Documents in and out: headers, exact text, all-or-nothing imports, lossless round trips."""

from __future__ import annotations

import errno
from pathlib import Path

import orjson
import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_offsets import texts

from annotator.core import InputError, Project
from annotator.core.errors import OutputError
from annotator.core.exporting import export_jsonl
from annotator.core.importing import expand_paths, read_documents, split_header
from annotator.core.relation_types import relation_type


def test_sample_article_header_becomes_metadata() -> None:
    [document] = list(read_documents([SAMPLE]))
    assert document.meta["date"] == "2023-09-12"
    assert document.text.startswith("The South Korean defence ministry")
    assert document.name == "kim-train-to-russia"


@pytest.mark.parametrize(
    ("raw", "meta", "body"),
    [
        (
            "title: Kim goes to Russia\nsource: AP\nBody text.",
            {"title": "Kim goes to Russia", "source": "AP"},
            "Body text.",
        ),
        (
            "url https://example.org/a\r\nauthor: Jo Lee\r\nBody.",
            {"url": "https://example.org/a", "author": "Jo Lee"},
            "Body.",
        ),
        ("Date: 2023-09-12T08:00Z\n\nBody.", {"date": "2023-09-12T08:00Z"}, "Body."),
        ("The date was set. Body.", {}, "The date was set. Body."),
        ("title of the piece is long\nBody.", {}, "title of the piece is long\nBody."),
        # The rule in README "Headers": free-text fields with or without a colon...
        ("title Kim goes to Russia\n\nBody.", {"title": "Kim goes to Russia"}, "Body."),
        ("TITLE: Kim goes to Russia\nBody.", {"title": "Kim goes to Russia"}, "Body."),
        ("title Kim\nsource AP\nBody.", {"title": "Kim", "source": "AP"}, "Body."),
        ("author Jo Lee\n\nBody.", {"author": "Jo Lee"}, "Body."),
        # ...a single colon-less line followed by prose is prose...
        ("Source code is open.\nMore.", {}, "Source code is open.\nMore."),
        ("title Kim goes to Russia\nBody.", {}, "title Kim goes to Russia\nBody."),
        ("date 2023-09-12\nBody.", {}, "date 2023-09-12\nBody."),
        # ...date and url take one word, and the article may go on after it.
        (" date 2023-09-12 The South Korean", {"date": "2023-09-12"}, "The South Korean"),
        ("date: 12.09.2023 Seoul.", {"date": "12.09.2023"}, "Seoul."),
        ("Date night was fun.\n", {}, "Date night was fun.\n"),
        ("url www.example.org\n\nBody.", {}, "url www.example.org\n\nBody."),
        (
            "date 2023-09-12\ntitle Kim\nurl https://x.org/a More.",
            {"date": "2023-09-12", "title": "Kim", "url": "https://x.org/a"},
            "More.",
        ),
        ("title: A\ntitle: B\nBody.", {"title": "A"}, "title: B\nBody."),
    ],
)
def test_header_fields(raw: str, meta: dict[str, str], body: str) -> None:
    assert split_header(raw) == (meta, body)


def test_text_is_kept_exactly_except_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    body = "Kim\u00a0Jong Un\tarrived.\r\nIn Russia.\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    [document] = list(read_documents([path]))
    assert document.text == body


def test_folders_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("One.")
    (tmp_path / "a" / "b" / "two.md").write_text("# Two")
    (tmp_path / "a" / "b" / "skip.png").write_bytes(b"\x89PNG")
    assert [p.name for p in expand_paths([tmp_path / "a"])] == ["two.md", "one.txt"]


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("latin1.txt", "Caf\u00e9\nna\u00efve".encode("latin-1"), "not UTF-8", 1),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file", None),
        ("bad.jsonl", b'{"text": "fine"}\n{"text": "broken"\n', "not valid JSON", 2),
        (
            "span.jsonl",
            b'{"text": "Kim", "spans": [{"start": 0, "end": 9, "label": "PERSON"}]}\n',
            "does not fit",
            1,
        ),
        (
            "mismatch.jsonl",
            b'{"text": "Kim", "spans": [{"start": 0, "end": 3, "label": "P", "text": "Jon"}]}\n',
            "says",
            1,
        ),
        ("notobj.jsonl", b'["Kim"]\n', "JSON object", 1),
        ("surrogate.jsonl", b'{"text": "bad \\ud800 half"}\n', "not valid JSON", 1),
    ],
)
def test_a_bad_file_imports_nothing_and_names_file_and_line(
    project: Project, tmp_path: Path, name: str, content: bytes, message: str, line: int | None
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good article that comes first.")
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        project.add_documents(read_documents([good, bad]))
    assert caught.value.path == bad
    assert caught.value.line == line
    assert project.count_documents() == 0


def _annotated_project(path: Path, texts_: list[str]) -> Project:
    project = Project.create(path)
    for i, text in enumerate(texts_):
        document = project.add_document(text, name=f"doc {i}", meta={"i": i})
        if document is None:
            continue
        # A span over the first and the last non-space character runs, nested in a span over all.
        stripped = text.strip()
        if stripped:
            start = text.index(stripped)
            outer = project.add_span(document.id, start, start + len(stripped), "QUOTE")
            project.add_span(document.id, start, start + 1, "PERSON")
            inner = project.add_span(
                document.id, start + len(stripped) - 1, start + len(stripped), "HEDGE", note="n"
            )
            if not any(t.name == "contains" for t in project.relation_types()):
                project.add_relation_type(relation_type("contains", "#404040"))
            project.add_relation(outer.id, inner.id, "contains")
        if i % 2:
            project.set_status(document.id, "done")
    return project


def _lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _without_ids(records: list[dict]) -> list[dict]:
    """Ids are the project's own; relations are compared by the spans they link."""
    plain = []
    for record in records:
        index = {span["id"]: i for i, span in enumerate(record["spans"])}
        plain.append(
            {
                **{k: v for k, v in record.items() if k != "id"},
                "spans": [{k: v for k, v in s.items() if k != "id"} for s in record["spans"]],
                "relations": [
                    (index[r["head"]], index[r["child"]], r["label"]) for r in record["relations"]
                ],
            }
        )
    return plain


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(texts, min_size=1, max_size=5, unique=True))
def test_export_import_export_gives_the_same_data(
    tmp_path_factory: pytest.TempPathFactory, texts_: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    with _annotated_project(folder / "a.annotator", texts_) as first:
        export_jsonl(first, folder / "a.jsonl")
    with Project.create(folder / "b.annotator") as second:
        second.add_documents(read_documents([folder / "a.jsonl"]))
        export_jsonl(second, folder / "b.jsonl")
    exported, again = _lines(folder / "a.jsonl"), _lines(folder / "b.jsonl")
    assert _without_ids(exported) == _without_ids(again)
    assert len(exported) == len(texts_)


def test_export_filters_and_exact_offsets(tmp_path: Path) -> None:
    with _annotated_project(
        tmp_path / "p.annotator", ["Kim 😀 went.", "Putin 👍🏽 waited.\r\n"]
    ) as project:
        export_jsonl(project, tmp_path / "done.jsonl", status="done")
        export_jsonl(project, tmp_path / "person.jsonl", labels=["PERSON"])
    [done] = _lines(tmp_path / "done.jsonl")
    assert done["status"] == "done"
    assert done["text"] == "Putin 👍🏽 waited.\r\n"
    assert [s["label"] for s in done["spans"]] == ["QUOTE", "PERSON", "HEDGE"]
    assert done["relations"][0]["label"] == "contains"
    person = _lines(tmp_path / "person.jsonl")
    assert [[s["label"] for s in r["spans"]] for r in person] == [["PERSON"], ["PERSON"]]
    assert all(r["relations"] == [] for r in person)


def test_a_failed_export_leaves_no_half_file(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        project.add_document(f"Article {i}.")
    target = tmp_path / "out.jsonl"
    target.write_text("previous export\n")
    calls = {"n": 0}
    original = orjson.dumps

    def failing_dumps(obj: object) -> bytes:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(obj)

    monkeypatch.setattr("annotator.core.exporting.orjson.dumps", failing_dumps)
    with pytest.raises(OutputError, match="cannot be written: the disk is full"):
        export_jsonl(project, target)
    assert target.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_export_streams_without_holding_the_project(project: Project, tmp_path: Path) -> None:
    """Two cursors walk documents and spans together: spans land on their own documents."""
    for i in range(600):
        document = project.add_document(f"Document {i} mentions Kim.")
        assert document is not None
        if i % 3 == 0:
            project.add_span(document.id, 0, 8, "PERSON")
    export_jsonl(project, tmp_path / "all.jsonl")
    records = _lines(tmp_path / "all.jsonl")
    assert len(records) == 600
    assert [bool(r["spans"]) for r in records] == [i % 3 == 0 for i in range(600)]
