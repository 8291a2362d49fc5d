"""Storing the claims of a 1 MB document against extracting them, in the same run.

Run from the repository root:

    .venv/bin/python bench/bench_store_claims.py [--size 1000000] [--database-url URL]

The target is: storing (bulk insert with history rows and the database trigger that
checks every claim against its document text) takes at most 3x the extraction time.
Both extraction modes are timed: without entities, and with them (as imports run).
The database is a throwaway SQLite file unless ``--database-url`` names another (e.g. a
scratch PostgreSQL database).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from results_row import print_results_row  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ.update(DEBUG="false", SECRET_KEY="bench", FACTCHECK_DATA_DIR=scratch)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from bench_extraction import build_text

    from annotations.extraction import extract_claims
    from annotations.models import Claim, Document
    from annotations.services.claims import claims_extract
    from annotations.services.projects import project_create

    text = build_text(args.size)
    extract_claims(text[:2000], entities=False)  # load models before timing

    started = time.perf_counter()
    extracted = extract_claims(text, entities=False)
    extraction = time.perf_counter() - started
    started = time.perf_counter()
    extract_claims(text, entities=True)
    extraction_full = time.perf_counter() - started

    project = project_create(name="Bench", slug=f"bench-{int(time.time())}", created_by=None)
    document = Document.objects.create(project=project, title="1 MB", text=text, language="ru")

    # The service extracts and stores; take the extraction time off to get storing alone.
    import annotations.services.claims as claims_module

    claims_module.extract_claims = lambda text, **kwargs: extracted
    started = time.perf_counter()
    claims_extract(document=document)
    storing = time.perf_counter() - started
    stored = Claim.objects.filter(document=document).count()

    print(f"database            {connection.vendor}")
    print(f"text                {len(text):,} characters, {len(extracted):,} claims")
    print(f"extraction          {extraction:8.2f} s  (entities off)")
    print(f"extraction          {extraction_full:8.2f} s  (entities on, as documents are imported)")
    print(f"storing             {storing:8.2f} s  ({stored:,} rows + history, trigger on)")
    print(f"ratio to extraction {storing / extraction:8.2f}x  entities off (target <= 3x)")
    print(f"ratio to extraction {storing / extraction_full:8.2f}x  entities on (target <= 3x)")
    print_results_row(
        benchmark="storing claims",
        what=f"a {len(text) / 1e6:.0f} MB document's claims against extracting them",
        target="≤ 3×",
        today=(
            f"{storing / extraction_full:.2f}× {connection.vendor} "
            f"({storing / extraction:.2f}× of extraction without entities)"
        ),
        met=storing / extraction <= 3,
        history="storage",
    )


if __name__ == "__main__":
    main()
