"""Check the gold files of tests/data/gold/: every span's offsets give its text.

    python scripts/check_gold.py [FILE.jsonl ...]

Prints one line per problem (file, line, span) and exits 1 if there is any;
otherwise the counts per label. Run it after editing a gold file by hand.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import orjson

GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "gold"
LABELS = ("PERSON", "PLACE", "QUOTE", "HEDGE")


def problems(path: Path, counts: Counter[str]) -> list[str]:
    found: list[str] = []
    for number, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        record = orjson.loads(line)
        text = record["text"]
        for span in record["spans"]:
            start, end, label = span["start"], span["end"], span["label"]
            where = f"{path}, line {number}, span {span.get('id', '?')}"
            if not 0 <= start < end <= len(text):
                found.append(f"{where}: [{start}, {end}) is outside the text")
            elif text[start:end] != span["text"]:
                found.append(
                    f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {span['text']!r}"
                )
            elif text[start:end] != text[start:end].strip():
                found.append(f"{where}: {span['text']!r} starts or ends with white space")
            if label not in LABELS:
                found.append(f"{where}: unknown label {label!r}")
            counts[label] += 1
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(GOLD.glob("*.jsonl"))
    counts: Counter[str] = Counter()
    found = [problem for path in paths for problem in problems(path, counts)]
    for problem in found:
        print(problem)
    if not found:
        print(", ".join(f"{label} {counts[label]}" for label in LABELS), "- every offset checks")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
