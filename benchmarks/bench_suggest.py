"""Figures 8 and 9: the suggestion sources against bare regular expressions.

8. ``propagate``, ``quotes`` and ``hedges`` over every document of the
   synthetic project (100,000 articles at full size), against a bare loop of
   one compiled ``re`` alternation of the same phrases over the same texts. The
   seeds are the spans of the first 1% of the documents (what people have
   tagged); those documents' spans also count as covering. Texts are read into
   memory before the clock starts, in both, and each runs in its own
   interpreter so that its peak memory is its own.

   Two baselines: the alternation as anyone would write it,
   ``"|".join(map(re.escape, phrases))`` (longest first; run once, as it takes
   minutes), and the same phrases factored into a prefix trie, as ours are
   compiled, with no word boundaries, no quote rule and no objects made.

9. One new span's other occurrences in the 1 MB article with 10,000 spans
   (``propagate_one``, "as you tag"), slowest of 20 names, against a bare
   ``finditer`` of the escaped name.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import orjson
import synth
from bench_core import make_data
from common import Row, Settings, fmt_seconds, interleave, median, run_worker, worker_main

SCRIPT = Path(__file__).resolve()
LABELLED_SHARE = 0.01  # the share of documents people have tagged: their spans are the seeds


def _load(jsonl: str) -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """Every text; the spans of the first 1% of documents (the rest have none)."""
    with open(jsonl, "rb") as handle:
        count = sum(1 for _ in handle)
    labelled = max(1, int(count * LABELLED_SHARE))
    texts: list[str] = []
    spans: list[list[tuple[int, int, str]]] = []
    with open(jsonl, "rb") as handle:
        for n, line in enumerate(handle):
            record = orjson.loads(line)
            texts.append(record["text"])
            if n < labelled:
                spans.append([(s["start"], s["end"], s["label"]) for s in record["spans"]])
    return texts, spans


def _seeds(texts: list[str], spans: list[list[tuple[int, int, str]]]) -> set[tuple[str, str]]:
    return {
        (text[s:e], label) for text, doc in zip(texts, spans, strict=False) for s, e, label in doc
    }


# --- workers (each in its own interpreter) ------------------------------------------


def suggest_ours(jsonl: str) -> dict[str, Any]:
    """What ``annotator suggest --source propagate,quotes,hedges`` computes per document."""
    from annotator.core.suggest.hedges import default_lexicon
    from annotator.core.suggest.propagate import Propagator
    from annotator.core.suggest.quotes import suggest_quotes

    texts, spans = _load(jsonl)
    start = time.perf_counter()
    propagator = Propagator(_seeds(texts, spans))
    lexicon = default_lexicon()
    found = 0
    empty: list[tuple[int, int, str]] = []
    for n, text in enumerate(texts):
        doc_spans = spans[n] if n < len(spans) else empty
        found += len(propagator.run(text, doc_spans))
        found += len(suggest_quotes(text))
        found += len(lexicon.run(text))
    return {"seconds": time.perf_counter() - start, "documents": len(texts), "found": found}


def suggest_base(jsonl: str, kind: str) -> dict[str, Any]:
    """A bare loop: one compiled alternation of the seeds' texts and the lexicon's entries."""
    from annotator.core.suggest.hedges import default_lexicon
    from annotator.core.suggest.wordtrie import phrase_pattern

    texts, spans = _load(jsonl)
    start = time.perf_counter()
    phrases = sorted({p for p, _ in _seeds(texts, spans)} | set(default_lexicon().entries))
    if kind == "trie":
        pattern = phrase_pattern(phrases, whole_words=False)
        assert pattern is not None
    else:
        pattern = re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))
    found = 0
    for text in texts:
        for _ in pattern.finditer(text):
            found += 1
    return {"seconds": time.perf_counter() - start, "documents": len(texts), "found": found}


# --- the figures ---------------------------------------------------------------------


def figure_project(settings: Settings) -> list[Row]:
    jsonl, documents, _spans = make_data(settings)

    def ours() -> dict[str, Any]:
        settings.log("suggest: ours")
        return run_worker(SCRIPT, "suggest_ours", jsonl)

    def naive() -> dict[str, Any]:
        settings.log("suggest: one alternation")
        return run_worker(SCRIPT, "suggest_base", jsonl, "naive")

    def trie() -> dict[str, Any]:
        settings.log("suggest: one alternation, as a trie")
        return run_worker(SCRIPT, "suggest_base", jsonl, "trie")

    ours_runs, trie_runs = interleave(settings.repeats, ours, trie)
    # The plain alternation takes minutes at full size (it tries every phrase at
    # every capital letter): one run of it is enough to read its ratio.
    naive_runs = [naive()]
    rate = documents / median([r["seconds"] for r in ours_runs])
    naive_rate = documents / median([r["seconds"] for r in naive_runs])
    trie_rate = documents / median([r["seconds"] for r in trie_runs])
    rss = max(r["rss_mb"] for r in ours_runs)
    base_rss = max(r["rss_mb"] for r in naive_runs + trie_runs)
    note = (
        f"Figure 8: ours proposes {ours_runs[0]['found']:,} suggestions; the bare alternation "
        f"counts {trie_runs[0]['found']:,} matches (no word boundaries, no quotes)."
    )
    return [
        Row(
            f"9. Suggest (propagate, quotes, hedges), {documents:,} docs",
            f"{rate:,.0f} docs/s",
            f"{naive_rate:,.0f} docs/s (one `re` alternation)",
            rate / naive_rate,
            "≥ 0.5×",
            rate / naive_rate >= 0.5,
            [note],
        ),
        Row(
            "9. Suggest, against the alternation factored as a trie",
            f"{rate:,.0f} docs/s",
            f"{trie_rate:,.0f} docs/s (trie alternation)",
            rate / trie_rate,
            "(stricter: ≥ 0.5×)",
            rate / trie_rate >= 0.5,
        ),
        Row(
            "9. Suggest peak RSS",
            f"{rss:.0f} MB",
            f"{base_rss:.0f} MB",
            rss / base_rss,
            "< 300 MB",
            rss < 300,
        ),
    ]


def figure_as_you_tag(settings: Settings) -> Row:
    from annotator.core.suggest.propagate import propagate_one

    chars = settings.size(1_000_000, 100_000)
    count = settings.size(10_000, 1_000)
    text, spans = synth.long_article(settings.seed, chars, count)
    tuples = [(s["start"], s["end"], s["label"]) for s in spans]
    people = [t for t in tuples if t[2] == "PERSON"][:20]
    ours_times: list[float] = []
    base_times: list[float] = []
    found = 0
    for span in people:
        phrase = text[span[0] : span[1]]

        def ours(span: tuple[int, int, str] = span) -> float:
            start = time.perf_counter()
            nonlocal found
            found = max(found, len(propagate_one(text, span, tuples)))
            return time.perf_counter() - start

        def base(phrase: str = phrase) -> float:
            start = time.perf_counter()
            list(re.compile(re.escape(phrase)).finditer(text))
            return time.perf_counter() - start

        runs = interleave(settings.at_least(5), ours, base)
        ours_times.append(median(runs[0]))
        base_times.append(median(runs[1]))
    slowest, base_slowest = max(ours_times), max(base_times)
    return Row(
        f"10. One new span's occurrences, {chars / 1e6:g} MB article, {count:,} spans",
        f"{fmt_seconds(slowest)} (slowest of {len(people)} names; up to {found} found)",
        f"{fmt_seconds(base_slowest)} (bare finditer)",
        slowest / base_slowest,
        "≤ 16 ms",
        slowest <= 0.016,
    )


def run(settings: Settings) -> list[Row]:
    return [*figure_project(settings), figure_as_you_tag(settings)]


if __name__ == "__main__":
    worker_main({"suggest_ours": suggest_ours, "suggest_base": suggest_base})
