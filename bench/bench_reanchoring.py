"""Re-anchoring claims onto an edited article: accuracy and speed on a built edit set.

The documents are the extraction corpus (``tests/data/extraction``, Russian and English,
with their gold claims). Each document is edited several times, each time by a few edits
drawn with a fixed seed, and every edit knows where each claim should end up:

- a paragraph inserted (the claims after it move),
- two paragraphs swapped,
- a claim deleted (it must be called removed, or left unanchored),
- a claim reworded (a number or a word changed, a word added: it must be found, edited),
- a claim's typography changed (quotes, dashes, spaces: found, edited),
- a claim rewritten into an unrelated sentence (it must not be attached: removed or
  unanchored).

A claim counts as right when it lands exactly on its expected span (kept or edited), or
is not attached when it should not be. "Misplaced" counts the worst error: a claim
attached to a wrong passage. The baseline is the quote alone (exact search of the
claim's old words, nearest to its old position), as annotators without context do.

    .venv/bin/python bench/bench_reanchoring.py [--rounds 6] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row  # noqa: E402

from annotations.anchoring import reanchor  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "extraction"
FILLER = {
    "en": (
        "Editor's note: this story has been updated with further details. "
        "An earlier version was published in the morning edition."
    ),
    "ru": (
        "Примечание редакции: материал дополнен новыми подробностями. "
        "Первая версия была опубликована утром."
    ),
}
UNRELATED = {
    "en": "The weather in the capital stayed mild and dry for most of the week.",
    "ru": "Погода в столице большую часть недели оставалась тёплой и сухой.",
}


@dataclass
class Case:
    old: str
    new: str
    spans: list[tuple[int, int]]
    # Per claim: (start, end) where it must land, or None where it must not be attached.
    expected: list[tuple[int, int] | None]
    kinds: list[str]


def load_corpus() -> list[tuple[str, str, list[tuple[int, int]]]]:
    documents = []
    for gold_path in sorted(CORPUS.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (CORPUS / gold["document"]).read_text(encoding="utf-8")
        spans = sorted((claim["start"], claim["end"]) for claim in gold["claims"])
        language = "ru" if gold_path.name.startswith("ru") else "en"
        documents.append((language, text, spans))
    return documents


class Editor:
    """Applies edits to a text while keeping where each claim should be."""

    def __init__(self, text: str, spans: list[tuple[int, int]], rng: random.Random) -> None:
        self.text = text
        self.rng = rng
        self.where: list[tuple[int, int] | None] = list(spans)
        self.kinds = ["kept"] * len(spans)

    def replace(self, start: int, end: int, new: str, claim: int | None = None) -> None:
        """Replace ``text[start:end]``; claims after it move, ``claim`` takes the edit."""
        delta = len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        for index, span in enumerate(self.where):
            if span is None or index == claim:
                continue
            if span[0] >= end:
                self.where[index] = (span[0] + delta, span[1] + delta)
            elif span[1] > start:
                raise ValueError("edit overlaps another claim")

    def live(self) -> list[int]:
        return [
            i for i, span in enumerate(self.where) if span is not None and self.kinds[i] == "kept"
        ]

    def insert_paragraph(self, language: str) -> None:
        breaks = [m.end() for m in re.finditer(r"\n\n", self.text)] or [0]
        at = self.rng.choice(breaks)
        self.replace(at, at, FILLER[language] + "\n\n")

    def swap_paragraphs(self) -> None:
        blocks = [
            (m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", self.text)
        ]
        if len(blocks) < 3:
            return
        i = self.rng.randrange(len(blocks) - 1)
        (a1, a2), (b1, b2) = blocks[i], blocks[i + 1]
        if self.text[a2:b1] != "\n\n":
            return
        inside_a = [k for k, s in enumerate(self.where) if s and a1 <= s[0] and s[1] <= a2]
        inside_b = [k for k, s in enumerate(self.where) if s and b1 <= s[0] and s[1] <= b2]
        crossing = [
            k for k, s in enumerate(self.where)
            if s and s[0] < b2 and s[1] > a1 and k not in inside_a + inside_b
        ]  # fmt: skip
        if crossing:
            return
        first, second = self.text[a1:a2], self.text[b1:b2]
        self.text = self.text[:a1] + second + "\n\n" + first + self.text[b2:]
        # The first block now starts after the second and its blank line, and back.
        for k in inside_a:
            s = self.where[k]
            self.where[k] = (s[0] + (b2 - a2), s[1] + (b2 - a2))
        for k in inside_b:
            s = self.where[k]
            self.where[k] = (s[0] - (b1 - a1), s[1] - (b1 - a1))

    def delete_claim(self) -> None:
        index = self._pick()
        if index is None:
            return
        start, end = self.where[index]
        if self.text[end : end + 1] == " ":
            end += 1
        self.replace(start, end, "", claim=index)
        self.where[index], self.kinds[index] = None, "deleted"

    def rewrite_claim(self, language: str) -> None:
        index = self._pick()
        if index is None:
            return
        start, end = self.where[index]
        self.replace(start, end, UNRELATED[language], claim=index)
        self.where[index], self.kinds[index] = None, "rewritten"

    def reword_claim(self) -> None:
        index = self._pick(lambda text: len(re.findall(r"\w+", text)) >= 6)
        if index is None:
            return
        start, end = self.where[index]
        words = list(re.finditer(r"\w+", self.text[start:end]))
        numbers = [w for w in words if w.group().isdigit()]
        choice = self.rng.random()
        if numbers and choice < 0.4:
            word = self.rng.choice(numbers)
            new = str(int(word.group()) + self.rng.randint(1, 9))
        elif choice < 0.75:
            word = self.rng.choice(words[1:])
            other = self.rng.choice(words)
            new = other.group() if other.group() != word.group() else word.group() + "s"
        else:
            word = self.rng.choice(words[1:])
            new = ("reportedly " if self.text.isascii() else "якобы ") + word.group()
        self.replace(start + word.start(), start + word.end(), new, claim=index)
        self.where[index] = (start, end + len(new) - len(word.group()))
        self.kinds[index] = "reworded"

    def retype_claim(self) -> None:
        index = self._pick(lambda text: " " in text)
        if index is None:
            return
        start, end = self.where[index]
        old = self.text[start:end]
        new = old.replace('"', "«", 1).replace(" - ", " — ").replace(" ", "  ", 1)
        if new == old:
            return
        self.replace(start, end, new, claim=index)
        self.where[index] = (start, start + len(new))
        self.kinds[index] = "retyped"

    def _pick(self, fits=lambda text: True) -> int | None:
        choices = [i for i in self.live() if fits(self.text[self.where[i][0] : self.where[i][1]])]
        return self.rng.choice(choices) if choices else None


OPERATIONS = (
    "insert_paragraph",
    "swap_paragraphs",
    "delete_claim",
    "reword_claim",
    "retype_claim",
    "rewrite_claim",
)


def build_cases(rounds: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for language, text, spans in load_corpus():
        for _round in range(rounds):
            editor = Editor(text, spans, rng)
            for _edit in range(rng.randint(2, 5)):
                operation = rng.choice(OPERATIONS)
                try:
                    if operation in ("insert_paragraph", "rewrite_claim"):
                        getattr(editor, operation)(language)
                    else:
                        getattr(editor, operation)()
                except ValueError:
                    continue
            cases.append(Case(text, editor.text, spans, editor.where, editor.kinds))
    return cases


def quote_only(old: str, new: str, spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """The baseline: each claim's old words, found exactly, nearest to the old position."""
    found = []
    for start, end in spans:
        quote = old[start:end]
        hits = []
        at = new.find(quote)
        while at != -1:
            hits.append(at)
            at = new.find(quote, at + 1)
        if not hits:
            found.append(None)
            continue
        at = min(hits, key=lambda hit: abs(hit - start))
        found.append((at, at + len(quote)))
    return found


def score(cases: list[Case], results: list[list[tuple[int, int] | None]]) -> dict:
    tally: dict[str, list[int]] = {}
    right = wrong_place = missed = 0
    for case, result in zip(cases, results, strict=True):
        for expected, got, kind in zip(case.expected, result, case.kinds, strict=True):
            ok = got == expected
            tally.setdefault(kind, [0, 0])
            tally[kind][0] += ok
            tally[kind][1] += 1
            right += ok
            if got is not None and got != expected:
                wrong_place += 1
            if got is None and expected is not None:
                missed += 1
    total = sum(len(case.spans) for case in cases)
    return {
        "claims": total,
        "right": right / total,
        "misplaced": wrong_place,
        "missed": missed,
        "by_kind": {kind: f"{ok}/{n}" for kind, (ok, n) in sorted(tally.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    cases = build_cases(options.rounds, options.seed)
    edited = sum(case.old != case.new for case in cases)
    print(f"{len(cases)} edited versions ({edited} differ), seed {options.seed}")

    timings: dict[str, list[float]] = {"quote only": [], "re-anchoring": []}
    outputs = {}
    for _ in range(options.repeat):
        started = time.perf_counter()
        outputs["quote only"] = [quote_only(c.old, c.new, c.spans) for c in cases]
        timings["quote only"].append(time.perf_counter() - started)
        started = time.perf_counter()
        anchors = [reanchor(c.old, c.new, c.spans) for c in cases]
        timings["re-anchoring"].append(time.perf_counter() - started)
        outputs["re-anchoring"] = [
            [(a.start, a.end) if a.anchored else None for a in result] for result in anchors
        ]
    baseline = statistics.median(timings["quote only"])
    claims = sum(len(case.spans) for case in cases)
    columns = ("right", "misplaced", "missed", "ms/claim", "x quote")
    print(f"{'method':<14}", *(f"{name:>9}" for name in columns))
    for name, result in outputs.items():
        figures = score(cases, result)
        seconds = statistics.median(timings[name])
        print(
            f"{name:<14} {figures['right']:>9.2%} {figures['misplaced']:>9} "
            f"{figures['missed']:>9} {1000 * seconds / claims:>9.3f} {seconds / baseline:>8.1f}x"
        )
        print(f"  by edit: {figures['by_kind']}")
    figures = score(cases, outputs["re-anchoring"])
    seconds = statistics.median(timings["re-anchoring"])
    print_results_row(
        benchmark="re-anchoring",
        what=f"claims placed on an edited article ({claims:,} claims, seed {options.seed})",
        target="no claim silently misplaced",
        today=(
            f"{figures['right']:.2%} right, {figures['misplaced']} misplaced, "
            f"{figures['missed']} left for a reviewer; {1000 * seconds / claims:.2f} ms a claim"
        ),
        met=figures["misplaced"] == 0,
        history="evidence",
    )


if __name__ == "__main__":
    main()
