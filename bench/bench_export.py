"""How fast the exports are, and whether their memory stays flat.

Run from the project root:

    .venv/bin/python bench/bench_export.py [--database-url URL]

Targets: the largest export (10,000 claims, each with a source, a snapshot and a
published final verdict) takes about a second at most in every format, and the peak
memory of an export does not grow from 1,000 to 10,000 claims. The ratios to
``json.dumps`` of the same data as plain dicts (for CSV: the ``csv`` module writing the
same rows) say how much of that is reading the database rather than writing the text.

The script makes a throwaway SQLite database in a temporary directory (it never touches
``data/`` or ``DATABASE_URL``), or uses the scratch database ``--database-url`` names
(e.g. an empty PostgreSQL database), migrates it and fills two projects: one with 1,000
claims, one with 10,000, in documents of 100 claims (on PostgreSQL followed by
``VACUUM ANALYZE``, as autovacuum would do). Two baselines per format, built in
the same run from the export's own output parsed back, so that they hold exactly what
the export writes (the script checks that writing them gives the export's text: byte for
byte for CSV, as parsed data for JSON, since the export leaves out the spaces after
separators that ``json.dumps`` writes):

- "text": every value as it appears in the output, dates and times already text (for
  CSV: every cell a string);
- "typed": the same values in the types the database hands over, dates and times as
  ``datetime`` (written by ``json.dumps(default=...)``), CSV ids, offsets and scores as
  numbers.

Neither baseline reads the database, the export does: the ratio is the whole cost of
the export over the bare cost of encoding. Times are medians of several runs, measured
without tracemalloc; the peaks are measured separately, with tracemalloc. Runs with
``DEBUG`` off, as in production (no query log).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_DATA = tempfile.TemporaryDirectory(prefix="factcheck-bench-export-")
os.environ["FACTCHECK_DATA_DIR"] = _DATA.name
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
os.environ.pop("DATABASE_URL", None)
if __name__ == "__main__":
    _parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    _parser.add_argument("--database-url", default="", help="a scratch database (default: SQLite)")
    if database_url := _parser.parse_args().database_url:
        os.environ["DATABASE_URL"] = database_url
os.environ.pop("REDIS_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"

import django  # noqa: E402

django.setup()

from datetime import UTC, datetime  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from results_row import print_results_row  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

from annotations.exports import export_stream, rows  # noqa: E402
from annotations.models import (  # noqa: E402
    Claim,
    ClaimStatus,
    Document,
    Project,
    Rating,
    Snapshot,
    Source,
    Verdict,
)
from annotations.services.scales import scale_create_default  # noqa: E402

CLAIMS_PER_DOCUMENT = 100
RUNS = 5
FORMATS = ("native", "claimreview", "webannotation", "csv")
SENTENCE = "В {n} году экспорт компании вырос на {p}% и достиг {m} млрд рублей, сообщил министр. "


def fill(slug: str, claims: int, reviewer) -> Project:
    project = Project.objects.create(name=slug, slug=slug, organization_name="Bench")
    scale_create_default(project=project)
    ratings = list(Rating.objects.filter(scale=project.rating_scale).order_by("position"))
    moment = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    for first in range(0, claims, CLAIMS_PER_DOCUMENT):
        sentences = [
            SENTENCE.format(n=1990 + i % 35, p=i % 17, m=first + i)
            for i in range(CLAIMS_PER_DOCUMENT)
        ]
        text = "".join(sentences)
        document = Document.objects.create(
            project=project,
            title=f"Статья {first // CLAIMS_PER_DOCUMENT}",
            text=text,
            language="ru",
            author="Министерство",
            source_url=f"https://news.example/{slug}/{first}",
            status=Document.Status.READY,
        )
        batch = []
        offset = 0
        for position, sentence in enumerate(sentences):
            end = offset + len(sentence) - 1
            batch.append(
                Claim(
                    document=document,
                    position=position,
                    start=offset,
                    end=end,
                    text=text[offset:end],
                    kind="fact",
                    extracted_kind="fact",
                    checkworthiness=0.8,
                    reasons=["number", "named entity: министр"],
                    entities=[{"start": 0, "end": 3, "text": "год", "type": "ORG"}],
                    status=ClaimStatus.PUBLISHED,
                    published_at=moment,
                )
            )
            offset += len(sentence)
        made = bulk_create_with_history(batch, Claim, default_user=reviewer)
        made = list(document.claims.order_by("position"))
        sources = bulk_create_with_history(
            [
                Source(
                    claim=claim,
                    url=f"https://stat.example/{claim.pk}",
                    title="Статистика",
                    quote=claim.text[:40],
                    fetch_state="quote_found",
                    fetch_count=1,
                    added_by=reviewer,
                )
                for claim in made
            ],
            Source,
            default_user=reviewer,
        )
        sources = list(Source.objects.filter(claim__document=document).order_by("claim__position"))
        Snapshot.objects.bulk_create(
            Snapshot(
                source=source,
                fetch_number=1,
                final_url=source.url,
                http_status=200,
                content_type="text/html",
                sha256="0" * 64,
                size=5000,
                fetched_at=moment,
                title="Статистика",
                quote_found=True,
                quote_method="exact",
                quote_score=100.0,
                quote_start=10,
                quote_end=50,
                quote_passage=claim.text[:40],
                context_before="…",
                context_after="…",
            )
            for source, claim in zip(sources, made, strict=True)
        )
        bulk_create_with_history(
            [
                Verdict(
                    claim=claim,
                    reviewer=reviewer,
                    rating=ratings[claim.position % 6],
                    rationale=f"Данные статистики расходятся с заявлением ({claim.position}).",
                )
                for claim in made
            ],
            Verdict,
            default_user=reviewer,
        )
        verdicts = {v.claim_id: v for v in Verdict.objects.filter(claim__document=document)}
        through = Verdict.sources.through
        through.objects.bulk_create(
            through(verdict_id=verdicts[source.claim_id].pk, source_id=source.pk)
            for source in sources
        )
        for claim in made:
            claim.final_verdict = verdicts[claim.pk]
        Claim.objects.bulk_update(made, ["final_verdict"])
    return project


def consume(project: Project, fmt: str) -> int:
    size = 0
    for chunk in export_stream(documents=Document.objects.filter(project=project), fmt=fmt):
        size += len(chunk)
    return size


MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00")
# CSV columns that hold numbers (COLUMNS of annotations.exports.tabular).
CSV_INTEGERS = {"document_id", "claim_id", "start", "end", "rating_numeric_value"}
CSV_FLOATS = {"checkworthiness"}


def typed(value: object) -> object:
    """The parsed JSON with every date and time back to a ``datetime``."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, str) and MOMENT.fullmatch(value):
        return datetime.fromisoformat(value)
    return value


def isoformat(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def typed_table(table: list[list[str]]) -> list[list[object]]:
    header = table[0]
    kinds = [int if n in CSV_INTEGERS else float if n in CSV_FLOATS else str for n in header]
    return [header] + [
        [
            kind(cell) if cell and kind is not str else cell
            for kind, cell in zip(kinds, row, strict=True)
        ]
        for row in table[1:]
    ]


def equivalent(fmt: str, text: str) -> dict[str, tuple[object, object]]:
    """The export's content as plain Python data, as text and typed (see the module's
    docstring), each with the plain way to write it out: ``json.dumps`` for the JSON
    formats, the ``csv`` module for CSV. Both are checked to write the export's text."""
    if fmt != "csv":
        data = json.loads(text)
        baselines = {
            "text": (data, lambda data: json.dumps(data, ensure_ascii=False)),
            "typed": (
                typed(data),
                lambda data: json.dumps(data, ensure_ascii=False, default=isoformat),
            ),
        }
        # The export writes compact JSON, json.dumps puts spaces after separators:
        # the same data, compared as data.
        for name, (value, write) in baselines.items():
            assert json.loads(write(value)) == data, f"{fmt}: the {name} baseline differs"
        return baselines
    else:

        def write(data: list[list[object]]) -> str:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(data)
            return buffer.getvalue()

        table = list(csv.reader(io.StringIO(text[1:], newline="")))
        baselines = {"text": (table, write), "typed": (typed_table(table), write)}
        expected = text[1:]
    for name, (data, write) in baselines.items():
        assert write(data) == expected, f"{fmt}: the {name} baseline writes other text"
    return baselines


def median_seconds(function, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_bytes(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    call_command("migrate", verbosity=0)
    reviewer = get_user_model().objects.create_user(
        f"bench-{time.time_ns()}", password="bench-password-1"
    )
    started = time.perf_counter()
    # Unique names, in case the scratch database already holds an earlier run.
    run = time.time_ns()
    small = fill(f"small-{run}", 1_000, reviewer)
    large = fill(f"large-{run}", 10_000, reviewer)
    print(f"filled 11,000 claims in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        # Freshly filled tables have no statistics until autovacuum gets to them, as a
        # database in use has; without them the planner guesses one row per table. The
        # vacuum also does now what autovacuum would otherwise do during the timed runs
        # (it starts on tables that just took thousands of rows), and marks the rows
        # visible to all, as they are in a database in use.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"Python {sys.version.split()[0]}, {connection.display_name}, "
        f"chunk size {rows.CHUNK_SIZE}, {RUNS} runs"
    )

    baselines = {}
    for fmt in FORMATS:
        text = "".join(export_stream(documents=Document.objects.filter(project=large), fmt=fmt))
        baselines[fmt] = equivalent(fmt, text)
    dicts = baselines["native"]["text"][0]
    claim_count = sum(len(d["claims"]) for d in dicts["documents"])
    assert claim_count == 10_000, claim_count
    export_seconds: dict[str, float] = {}
    print("                 baseline (median ms)        export    ratio to baseline")
    print("format             text    typed          (median ms)      text    typed")
    for fmt in FORMATS:
        times = {
            name: median_seconds(lambda data=data, write=write: write(data))
            for name, (data, write) in baselines[fmt].items()
        }
        seconds = median_seconds(lambda fmt=fmt: consume(large, fmt))
        export_seconds[fmt] = seconds
        print(
            f"{fmt:<14} {times['text'] * 1000:8.1f} {times['typed'] * 1000:8.1f}"
            f"          {seconds * 1000:8.1f}    {seconds / times['text']:6.2f}x"
            f"  {seconds / times['typed']:6.2f}x"
        )

    # The target's own words are "json.dumps on equivalent dicts": for CSV, each row as a
    # dict of its column names. The csv module's baselines above are the stricter ones.
    csv_times = {}
    for name in ("text", "typed"):
        header, *body = baselines["csv"][name][0]
        as_dicts = [dict(zip(header, row, strict=True)) for row in body]
        csv_times[name] = median_seconds(
            lambda as_dicts=as_dicts: json.dumps(as_dicts, ensure_ascii=False)
        )
    print(
        f"{'csv as dicts':<14} {csv_times['text'] * 1000:8.1f} {csv_times['typed'] * 1000:8.1f}"
        f"          {export_seconds['csv'] * 1000:8.1f}    "
        f"{export_seconds['csv'] / csv_times['text']:6.2f}x"
        f"  {export_seconds['csv'] / csv_times['typed']:6.2f}x  (json.dumps of the rows as dicts)"
    )

    print("peak memory (tracemalloc):")
    dumps_peak = peak_bytes(lambda: json.dumps(dicts, ensure_ascii=False))
    print(f"  json.dumps of the native dicts, 10,000 claims: {dumps_peak / 2**20:7.1f} MiB")
    # Let the baseline data go before measuring the exports' own peaks.
    dicts = baselines = None
    growth = []
    for fmt in FORMATS:
        small_peak = peak_bytes(lambda fmt=fmt: consume(small, fmt))
        large_peak = peak_bytes(lambda fmt=fmt: consume(large, fmt))
        growth.append(large_peak / small_peak)
        print(
            f"  export {fmt:<14} 1,000: {small_peak / 2**20:6.2f} MiB   10,000: "
            f"{large_peak / 2**20:6.2f} MiB   ratio {large_peak / small_peak:4.2f}"
        )
    slowest = max(export_seconds.values())
    print_results_row(
        benchmark="exports",
        what="the largest export (10,000 claims), memory",
        target="about 1 s, flat memory",
        today=(
            ", ".join(f"{fmt} {seconds:.2f} s" for fmt, seconds in export_seconds.items())
            + f" ({connection.vendor}); memory ×{min(growth):.2f}–{max(growth):.2f}"
        ),
        # Memory is flat when ten times the claims take at most a tenth more.
        met=slowest <= 1.0 and max(growth) <= 1.1,
        history="exports",
    )


if __name__ == "__main__":
    main()
