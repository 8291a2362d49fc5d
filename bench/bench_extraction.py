"""Claim extraction throughput against raw razdel sentence splitting, on ~1 MB of Russian.

Run from the repository root:

    .venv/bin/python bench/bench_extraction.py [--size 1000000] [--repeat 3] [--language en]

The text alternates copies of the demo article and of the Russian documents of the
extraction test corpus, with small variations (numbers and paragraph order change from
copy to copy), until it reaches ``--size`` characters. With ``--language en`` it is made
of the English documents of the corpus instead, and the splitter alone is sentencex
called line by line, as the extraction calls it. Times are the best of
``--repeat`` runs; models are loaded before timing starts and their load time is
reported on its own. The ratio to razdel is printed twice: by wall-clock time and by
the process's CPU time, which other load on the machine disturbs less.
"""

import argparse
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from razdel import sentenize  # noqa: E402
from results_row import print_results_row  # noqa: E402
from sentencex import segment  # noqa: E402

from annotations.extraction import extract_claims  # noqa: E402

# The splitter alone each language is measured against: its name for the ratio, its
# label, and a call that splits the whole text as the extraction has it split.
SPLITTERS = {
    "ru": ("razdel", "razdel.sentenize", lambda text: list(sentenize(text))),
    "en": (
        "sentencex",
        "sentencex, line by line",
        lambda text: [list(segment("en", line)) for line in text.splitlines()],
    ),
}


def build_text(size: int, seed: int = 7, language: str = "ru") -> str:
    """Alternate copies of the demo article and of each Russian corpus document, or
    copies of each English corpus document.

    Every copy changes its numbers and shuffles its paragraphs, so that no two copies
    are byte-identical; in Russian roughly half of the characters come from the demo
    article.
    """
    corpus = sorted((ROOT / "tests" / "data" / "extraction").glob(f"{language}-*.txt"))
    fixtures = ROOT / "annotations" / "fixtures"
    demo = [fixtures / "kz-ru-relations.ru.txt"] if language == "ru" else []
    documents = [path.read_text(encoding="utf-8").split("\n") for path in [*demo, *corpus]]
    generator = random.Random(seed)
    pieces: list[str] = []
    length = 0
    turn = 0
    while length < size:
        if demo:
            # Demo, corpus document, demo, next corpus document, ...
            index = 0 if turn % 2 == 0 else 1 + (turn // 2) % len(corpus)
        else:
            index = turn % len(documents)
        paragraphs = documents[index]
        turn += 1
        paragraphs = [paragraph for paragraph in paragraphs if paragraph.strip()]
        generator.shuffle(paragraphs)
        for paragraph in paragraphs:
            varied = re.sub(
                r"\d+", lambda m: str(int(m.group()) + generator.randint(0, 9)), paragraph
            )
            pieces.append(varied)
            length += len(varied) + 1
    return "\n".join(pieces)[:size]


def best_of(repeat: int, action, clock=time.perf_counter) -> float:
    timings = []
    for _ in range(repeat):
        started = clock()
        action()
        timings.append(clock() - started)
    return min(timings)


def peak_memory_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--language", choices=sorted(SPLITTERS), default="ru")
    args = parser.parse_args()

    text = build_text(args.size, language=args.language)
    name, label, split = SPLITTERS[args.language]
    print(
        f"text: {len(text):,} characters of {'Russian' if args.language == 'ru' else 'English'}, "
        f"{text.count(chr(10)) + 1:,} paragraphs"
    )

    started = time.perf_counter()
    extract_claims("Москва подписала договор в 2020 году.", entities=True)
    print(f"model load (pymorphy2 + natasha NER): {time.perf_counter() - started:.2f} s")
    print(f"peak memory after load: {peak_memory_mb():.0f} MB")

    razdel_seconds = best_of(args.repeat, lambda: split(text))
    razdel_rate = len(text) / razdel_seconds
    print(f"{label + ':':<38}{razdel_rate:>12,.0f} chars/s")

    claims: list = []
    plain_seconds = best_of(
        args.repeat, lambda: claims.__setitem__(slice(None), extract_claims(text, entities=False))
    )
    plain_rate = len(text) / plain_seconds
    print(
        f"extract_claims(entities=False):       {plain_rate:>12,.0f} chars/s "
        f"({len(claims):,} claims)"
    )
    print(f"{'ratio to ' + name + ':':<38}{plain_rate / razdel_rate:>12.2f}")
    # On a shared machine other processes steal wall-clock time unevenly; the process's
    # own CPU time is the steadier comparison.
    razdel_cpu = best_of(args.repeat, lambda: split(text), time.process_time)
    plain_cpu = best_of(
        args.repeat, lambda: extract_claims(text, entities=False), time.process_time
    )
    print(f"{'ratio to ' + name + ', CPU time:':<38}{razdel_cpu / plain_cpu:>12.2f}")
    print(f"peak memory after entities=False: {peak_memory_mb():.0f} MB")

    full_seconds = best_of(
        1, lambda: claims.__setitem__(slice(None), extract_claims(text, entities=True))
    )
    entity_count = sum(len(claim.entities) for claim in claims)
    print(
        f"extract_claims(entities=True):        {len(text) / full_seconds:>12,.0f} chars/s "
        f"({len(claims):,} claims, {entity_count:,} entities)"
    )
    print(f"peak memory (whole process): {peak_memory_mb():.0f} MB")
    print_results_row(
        benchmark="extraction, import path",
        what=f"`extract_claims` with entities, {len(text):,} characters ({args.language})",
        target="report",
        today=(
            f"{len(text) / full_seconds:,.0f} chars/s (wall clock, one run), "
            f"{peak_memory_mb():.0f} MB; without entities "
            f"{razdel_cpu / plain_cpu:.2f} of {name} by CPU time"
        ),
        met=None,
        history="extraction",
    )


if __name__ == "__main__":
    main()
