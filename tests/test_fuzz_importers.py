"""Fuzzing the importers: any bytes in, documents or a clear InputError out.

Nothing else may escape (no KeyError, TypeError, UnicodeError, RecursionError),
and whatever a reader accepts must store cleanly or be refused whole. Each test
prints how many inputs it tried; ANNOTATOR_FUZZ_EXAMPLES (default 300) sets it.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import AnnotatorError, InputError, Project
from annotator.core.importing import parse_jsonl_record, read_documents, split_header

EXAMPLES = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

HEADERS = st.sampled_from(
    [
        "date 2023-09-12 ",
        "date: 12.09.2023\n",
        "title: Kim goes by train\n",
        "title ",
        "source: Yonhap\n",
        "url https://example.org/a ",
        "url: nope ",
        "author: A. Berg\r\n",
        "DATE 2023-09-12T10:00Z ",
        "date ",
        "\ufeff",
        "\n",
        " \t",
        "title:\n",
        "Date 1/2/2023 ",
    ]
)
BODIES = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
HEADED = st.tuples(st.lists(HEADERS, max_size=6).map("".join), BODIES).map("".join)

LABELS = st.one_of(st.sampled_from(["PERSON", "PLACE", "QUOTE", "HEDGE"]), st.text(max_size=12))
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
SPAN = st.fixed_dictionaries(
    {
        "start": st.one_of(st.integers(-3, 60), JSON_SCALARS),
        "end": st.one_of(st.integers(-3, 60), JSON_SCALARS),
        "label": st.one_of(LABELS, JSON_SCALARS),
    },
    optional={
        "text": st.one_of(st.text(max_size=10), JSON_SCALARS),
        "id": JSON_SCALARS,
        "note": st.one_of(st.text(max_size=10), JSON_SCALARS),
    },
)
RECORD = st.fixed_dictionaries(
    {
        "text": st.one_of(
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=60), JSON_SCALARS
        )
    },
    optional={
        "spans": st.one_of(st.lists(SPAN, max_size=4), JSON_SCALARS),
        "meta": st.one_of(
            st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=3), JSON_SCALARS
        ),
        "status": st.one_of(st.sampled_from(["todo", "done", "skipped"]), JSON_SCALARS),
        "name": JSON_SCALARS,
        "relations": st.one_of(
            st.lists(
                st.fixed_dictionaries(
                    {"head": JSON_SCALARS, "child": JSON_SCALARS}, optional={"label": JSON_SCALARS}
                ),
                max_size=2,
            ),
            JSON_SCALARS,
        ),
    },
)


@st.composite
def plausible_records(draw: st.DrawFn) -> dict[str, object]:
    """Records that mostly parse: real offsets into the text, odd labels and notes."""
    text = draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
    spans = []
    for i in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        span: dict[str, object] = {"id": i, "start": start, "end": end, "label": draw(LABELS)}
        if draw(st.booleans()):
            span["text"] = text[start:end]
        if draw(st.booleans()):
            span["note"] = draw(st.text(max_size=10))
        spans.append(span)
    relations = [
        {"head": draw(st.integers(0, 4)), "child": draw(st.integers(0, 4)), "label": "rel"}
        for _ in range(draw(st.integers(0, 2)))
    ]
    return {
        "text": text,
        "spans": spans,
        "relations": relations,
        "meta": draw(st.dictionaries(st.text(max_size=5), JSON_SCALARS, max_size=3)),
    }


def _line(record: object) -> bytes:
    """As JSON with \\u escapes: lone surrogates and 70-bit integers get through."""
    return json.dumps(record).encode()


def test_fuzz_split_header(capsys: pytest.CaptureFixture[str]) -> None:
    tried = []

    @FUZZ
    @given(HEADED)
    def check(text: str) -> None:
        tried.append(1)
        meta, body = split_header(text)
        assert text.endswith(body)  # the body is the rest of the file, exactly
        assert set(meta) <= {"date", "title", "source", "url", "author"}
        assert all(isinstance(v, str) and v for v in meta.values())
        if not meta:
            assert body == text
        prefix = text[: len(text) - len(body)]
        assert all(value in prefix for value in meta.values())

    check()
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\nfuzz split_header: {len(tried)} texts")


def test_fuzz_jsonl_records_parse_or_refuse_then_store_or_refuse_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tried, parsed, stored = [], [], []
    folder = tmp_path

    @FUZZ
    @given(st.one_of(plausible_records().map(_line), RECORD.map(_line), st.binary(max_size=200)))
    def check(line: bytes) -> None:
        tried.append(1)
        try:
            document = parse_jsonl_record(Path("in.jsonl"), 7, line)
        except InputError as exc:
            assert "in.jsonl, line 7: " in str(exc)
            return
        parsed.append(1)
        assert isinstance(document.text, str) and document.text
        for span in document.spans:
            assert 0 <= span["start"] < span["end"] <= len(document.text)
        path = folder / f"p{len(tried)}.annotator"
        with Project.create(path) as project:
            try:
                report = project.add_documents([document])
            except AnnotatorError as exc:
                assert str(exc)
                assert project.count_documents() == 0  # refused whole
                return
            stored.append(1)
            assert report.added == 1
            (doc_id,) = project.document_ids()
            assert project.document_text(doc_id) == document.text
        path.unlink()

    check()
    with capsys.disabled():  # the figures belong in the CI log
        print(
            f"\nfuzz JSONL records: {len(tried)} lines, {len(parsed)} parsed,"
            f" {len(stored)} stored in a real project"
        )


def test_fuzz_read_documents_any_bytes_any_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tried, read = [], []
    folder = tmp_path

    @FUZZ
    @given(
        st.one_of(
            st.binary(max_size=300),
            HEADED.map(lambda t: t.encode("utf-8")),
            st.lists(RECORD.map(_line), max_size=3).map(b"\n".join),
        ),
        st.sampled_from([".txt", ".md", ".jsonl", ".ndjson", "", ".csv", ".TXT"]),
    )
    def check(data: bytes, suffix: str) -> None:
        tried.append(1)
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        try:
            documents = list(read_documents([path]))
        except InputError as exc:
            assert str(path) in str(exc)
            return
        read.append(1)
        for document in documents:
            assert isinstance(document.text, str)
            assert "\x00" not in document.text

    check()
    with capsys.disabled():  # the figures belong in the CI log
        print(f"\nfuzz read_documents: {len(tried)} files, {len(read)} read without refusal")
