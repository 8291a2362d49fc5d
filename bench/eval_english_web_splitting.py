"""Sentence boundaries inside lines of English web text: precision and recall.

Run from the repository root:

    .venv/bin/python bench/eval_english_web_splitting.py

``tests/data/splitting/en-web-heldout.txt`` holds lines of forum posts, reviews and
messages written for this measure, with `` || `` where a sentence ends inside a line
(a line break always ends one, so only the boundaries inside lines are counted).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row  # noqa: E402

from annotations.extraction.segmentation import split_segments  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "splitting" / "en-web-heldout.txt"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else HELDOUT
    gold: set[int] = set()
    lines: list[str] = []
    offset = 0
    for marked in path.read_text(encoding="utf-8").splitlines():
        parts = marked.split(" || ")
        position = offset
        for index, part in enumerate(parts):
            if index:
                gold.add(position)
            position += len(part) + 1
        line = " ".join(parts)
        lines.append(line)
        offset += len(line) + 1
    text = "\n".join(lines)
    line_starts = {text.index(line) for line in lines}
    found = {segment.start for segment in split_segments(text, "en")} - line_starts
    right = len(found & gold)
    print(
        f"boundaries inside lines: gold {len(gold)}, found {len(found)}, right {right}; "
        f"recall {right / len(gold):.2f}, precision {right / max(1, len(found)):.2f}"
    )
    for missed in sorted(gold - found):
        print("missed:", repr(text[max(0, missed - 30) : missed + 20]))
    for wrong in sorted(found - gold):
        print("wrong: ", repr(text[max(0, wrong - 30) : wrong + 20]))
    print_results_row(
        benchmark="English web splitting",
        what="sentence boundaries inside lines of unpunctuated web text",
        target="report",
        today=(
            f"recall {right / len(gold):.2f}, precision {right / max(1, len(found)):.2f} "
            f"({right} of {len(gold)})"
        ),
        met=None,
        history="[docs/extraction-quality.md](../docs/extraction-quality.md)",
    )


if __name__ == "__main__":
    main()
