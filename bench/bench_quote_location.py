"""How long locate_quote takes on a 1 MB page (target: 200 ms per call, worst case).

Run from the project root:

    .venv/bin/python bench/bench_quote_location.py

The page is built deterministically from the words of a Russian fixture article (and,
for the English page, a fixed vocabulary), with the quoted sentence placed at 80 %.
Baselines measured in the same process: ``str.find`` of the quote over the same page,
one pass of the normaliser, and rapidfuzz on a single window three times the quote's
length, i.e. the cost of scoring one candidate.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz import fuzz
from results_row import print_results_row

from annotations.fetching.quotes import locate_quote, normalize

PAGE_CHARS = 1_000_000
RUNS = 15
FIXTURE = Path(__file__).resolve().parent.parent / "annotations/fixtures/kz-ru-relations.ru.txt"
ENGLISH_TEXT = (
    "the government said minister economy inflation forecast budget region governor income "
    "spending population grew fell percent year thousand company market prices growth law "
    "court decision council report official statement week month agency data rate bank "
    "export import trade energy oil gas price industry sector policy reform election vote "
    "party leader city school hospital health police army border security talks agreement"
)
ENGLISH_WORDS = ENGLISH_TEXT.split()

RU_QUOTE = (
    "Глава ведомства Пётр Ёлкин подчеркнул, что «дефицит бюджета в 2025 году не превысит "
    "2,3 процента ВВП», — сообщает пресс-служба."
)
EN_QUOTE = (
    "The head of the agency, Peter Elkin, stressed that “the budget deficit in 2025 will "
    "not exceed 2.3 percent of GDP”, the press office reports."
)
CASES = {
    "ru": {
        "exact": RU_QUOTE,
        "normalized": (
            'глава ведомства Петр Елкин подчеркнул, что "дефицит бюджета в 2025 году не '
            'превысит 2,3 процента ВВП", - сообщает пресс-служба.'
        ),
        "fuzzy (1 word)": RU_QUOTE.replace("подчеркнул", "отметил"),
        "fuzzy (2 words + typography)": (
            'Глава ведомства Петр Елкин заявил, что "дефицит бюджета в 2025 году не превысит '
            '2,5 процента ВВП" - сообщает пресс-служба.'
        ),
        "not found (unrelated words)": (
            "Мэр города объявил о строительстве новой ветки метро к аэропорту до конца "
            "следующего десятилетия."
        ),
        "not found (the page's own words)": None,
    },
    # Every space a no-break space and every sentence on its own line: the most
    # characters the normaliser has to rewrite.
    "ru-nbsp": {
        "exact": RU_QUOTE.replace(" ", "\u00a0"),
        "normalized": RU_QUOTE,
        "fuzzy (1 word)": RU_QUOTE.replace("подчеркнул", "отметил"),
        "not found (the page's own words)": None,
    },
    "en": {
        "exact": EN_QUOTE,
        "normalized": EN_QUOTE.replace("“", '"').replace("”", '"').upper(),
        "fuzzy (1 word)": EN_QUOTE.replace("stressed", "noted"),
        "not found (unrelated words)": (
            "The mayor announced a new metro line to the airport by the end of next decade."
        ),
        "not found (the page's own words)": None,
    },
}


def build_page(words: list[str], quote: str, seed: int) -> str:
    rng = random.Random(seed)
    sentences: list[str] = []
    size = 0
    while size < PAGE_CHARS:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 25)))
        sentence = sentence[0].upper() + sentence[1:] + ". "
        sentences.append(sentence)
        size += len(sentence)
    page = "".join(sentences)[:PAGE_CHARS]
    cut = page.index(". ", int(len(page) * 0.8)) + 2
    return page[:cut] + quote + " " + page[cut:]


def own_words_quote(words: list[str], seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(words) for _ in range(20)).capitalize() + "."


def timed(function, *args, **kwargs) -> tuple[float, float, object]:
    durations = []
    result = None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        durations.append(time.perf_counter() - started)
    return statistics.median(durations) * 1000, max(durations) * 1000, result


def main() -> None:
    ru_words = re.findall(r"\w+", FIXTURE.read_text(encoding="utf-8").lower())
    vocabularies = {"ru": ru_words, "ru-nbsp": ru_words, "en": ENGLISH_WORDS}
    quotes = {"ru": RU_QUOTE, "ru-nbsp": RU_QUOTE, "en": EN_QUOTE}
    print(f"Python {sys.version.split()[0]}, {RUNS} runs per case, times in ms")
    print(f"{'page':7} {'case':34} {'median':>8} {'max':>8} {'x find':>8}  result")
    worst = worst_median = 0.0
    for language, cases in CASES.items():
        page = build_page(vocabularies[language], quotes[language], seed=1)
        if language == "ru-nbsp":
            page = page.replace(" ", "\u00a0").replace(".\u00a0", ".\n")
        find_median, _max, _ = timed(page.find, "Z" + quotes[language])
        normalize_median, _max, _ = timed(normalize, page)
        window = page[len(page) // 2 : len(page) // 2 + 3 * len(quotes[language])]
        window_median, _max, _ = timed(fuzz.partial_ratio_alignment, quotes[language], window)
        print(
            f"{language:7} {'baseline: str.find (not found)':34} {find_median:8.2f}"
            f" {'':8} {1:8.0f}x"
        )
        print(f"{language:7} {'baseline: normalise the page':34} {normalize_median:8.2f}")
        print(f"{language:7} {'baseline: rapidfuzz, one window':34} {window_median:8.2f}")
        print(f"{language:7} {'page size (code points)':34} {len(page):8d}")
        for case, quote in cases.items():
            quote = quote or own_words_quote(vocabularies[language], seed=2)
            median, longest, match = timed(locate_quote, page, quote)
            worst = max(worst, longest)
            worst_median = max(worst_median, median)
            outcome = f"{match.method} {match.score}" if match else "None"
            print(
                f"{language:7} {case:34} {median:8.2f} {longest:8.2f}"
                f" {median / find_median:8.0f}x  {outcome}"
            )
    print(f"worst single call: {worst:.1f} ms (budget 200 ms)")
    print_results_row(
        benchmark="quote location",
        what="`locate_quote` on a 1 MB page, worst case",
        target="≤ 200 ms",
        today=f"{worst_median:.1f} ms median of the slowest case, {worst:.1f} ms its slowest call",
        met=worst <= 200,
        history="quote-location",
    )


if __name__ == "__main__":
    main()
