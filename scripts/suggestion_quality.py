"""Precision and recall of the suggestion sources, as the table in docs/suggestions.md.

    python scripts/suggestion_quality.py                 # news gold + 1,000 synthetic articles
    python scripts/suggestion_quality.py --synthetic 200 --lexicon my-hedges.txt

The news gold is tests/data/gold/*.jsonl (labelled by hand, checked by
scripts/check_gold.py); the synthetic corpus is benchmarks/synth.py's, with
every mention labelled.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from annotator.core.suggest.evaluate import Report, evaluate, table  # noqa: E402
from annotator.core.suggest.hedges import HedgeLexicon  # noqa: E402
from annotator.core.suggest.model import SpanTuple  # noqa: E402

GOLD = ROOT / "tests" / "data" / "gold"

Document = tuple[str, Sequence[SpanTuple]]


def _document(record: dict) -> Document:  # type: ignore[type-arg]
    return record["text"], [(s["start"], s["end"], s["label"]) for s in record["spans"]]


def news_documents(folder: Path = GOLD) -> Iterator[Document]:
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                yield _document(orjson.loads(line))


def synthetic_documents(count: int, seed: int = 20240912) -> Iterator[Document]:
    return (_document(record) for record in synth.gold_records(seed, count))


def measure(synthetic: int = 1000, lexicon: HedgeLexicon | None = None) -> Report:
    report = evaluate("news", news_documents(), lexicon=lexicon)
    return evaluate("synthetic", synthetic_documents(synthetic), report, lexicon=lexicon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--synthetic", type=int, default=1000, help="synthetic articles (default 1000)"
    )
    parser.add_argument(
        "--lexicon", type=Path, help="a hedge lexicon other than resources/hedges.txt"
    )
    args = parser.parse_args(argv)
    lexicon = HedgeLexicon.load(args.lexicon) if args.lexicon else None
    print(table(measure(args.synthetic, lexicon)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
