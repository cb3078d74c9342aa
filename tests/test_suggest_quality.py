"""How good the sources are, on the hand-labelled news gold and the synthetic corpus:
the floors docs/suggestions.md reports, and the scoring checked against NLTK's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from nltk.metrics.scores import precision, recall

from annotator.core.suggest.evaluate import Report, score, seeds_of
from annotator.core.suggest.hedges import default_lexicon
from annotator.core.suggest.propagate import propagate
from annotator.core.suggest.quotes import suggest_quotes

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "gold" / "news.jsonl"
_PATH = list(sys.path)
sys.path.insert(0, str(ROOT / "scripts"))
import suggestion_quality  # noqa: E402

sys.path[:] = _PATH  # the script adds benchmarks/ for synth: take it back out


def _news() -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in GOLD.read_bytes().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def report() -> Report:
    return suggestion_quality.measure(synthetic=300)


def test_every_gold_offset_gives_its_text() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_gold.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout
    assert "every offset checks" in done.stdout
    records = _news()
    assert len(records) == 3
    assert all(any(ord(ch) > 127 for ch in r["text"]) for r in records)


def test_check_gold_names_a_wrong_offset(tmp_path: Path) -> None:
    record = _news()[0]
    record["spans"][2]["start"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(orjson.dumps(record) + b"\n")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_gold.py"), str(bad)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert f"{bad}, line 1, span 3: text[" in done.stdout


def test_quote_recall_is_whole_on_every_kind_of_mark(report: Report) -> None:
    for corpus in ("news", "synthetic"):
        assert report.get(corpus, "quotes", "QUOTE").recall == 1.0
    assert report.get("synthetic", "quotes", "QUOTE").precision == 1.0
    assert report.get("news", "quotes", "QUOTE").precision >= 0.9  # type: ignore[operator]
    # Each kind of mark in the news gold is there and found.
    found_kinds = set()
    for record in _news():
        text = record["text"]
        found = {(s.start, s.end) for s in suggest_quotes(text)}
        for span in record["spans"]:
            if span["label"] == "QUOTE":
                assert (span["start"], span["end"]) in found, span["text"]
                found_kinds.add(span["text"][0])
    assert found_kinds == {'"', "“", "«", "„"}


def test_propagate_floors(report: Report) -> None:
    for label in ("PERSON", "PLACE"):
        assert report.get("news", "propagate", label).recall == 1.0
        assert report.get("news", "propagate", label).precision >= 0.85  # type: ignore[operator]
        assert report.get("synthetic", "propagate", label).recall == 1.0
        assert report.get("synthetic", "propagate", label).precision == 1.0
        assert report.get("synthetic", "propagate", label).gold >= 100


def test_hedge_floors(report: Report) -> None:
    news = report.get("news", "hedges", "HEDGE")
    assert news.recall >= 0.8 and news.precision >= 0.9  # type: ignore[operator]
    assert news.lenient_recall >= 0.9  # type: ignore[operator]
    synthetic = report.get("synthetic", "hedges", "HEDGE")
    assert synthetic.recall == 1.0 and synthetic.precision == 1.0


def test_scores_agree_with_nltk() -> None:
    """Precision and recall over the news gold, per source, computed by NLTK from sets."""
    lexicon = default_lexicon()
    gold_sets: dict[str, set[tuple[int, int, int, str]]] = {"quotes": set(), "hedges": set()}
    predicted_sets: dict[str, set[tuple[int, int, int, str]]] = {"quotes": set(), "hedges": set()}
    gold_sets["propagate"], predicted_sets["propagate"] = set(), set()
    ours: dict[str, list[int]] = {name: [0, 0, 0] for name in gold_sets}
    for n, record in enumerate(_news()):
        text = record["text"]
        gold = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        seeds = seeds_of(text, gold)
        runs = {
            "quotes": ([g for g in gold if g[2] == "QUOTE"], suggest_quotes(text)),
            "hedges": ([g for g in gold if g[2] == "HEDGE"], lexicon.run(text)),
            "propagate": ([g for g in gold if g not in seeds], propagate(text, seeds)),
        }
        for name, (expected, suggested) in runs.items():
            predicted = [(s.start, s.end, s.label) for s in suggested]
            gold_sets[name].update((n, *g) for g in expected)
            predicted_sets[name].update((n, *p) for p in predicted)
            for counts in score(expected, predicted).values():
                ours[name][0] += counts.tp
                ours[name][1] += counts.predicted
                ours[name][2] += counts.gold
    for name, (tp, predicted_count, gold_count) in ours.items():
        assert tp / predicted_count == pytest.approx(
            precision(gold_sets[name], predicted_sets[name])
        )
        assert tp / gold_count == pytest.approx(recall(gold_sets[name], predicted_sets[name]))
    assert ours["hedges"][0] < ours["hedges"][2]  # the check is not vacuous: some are missed
