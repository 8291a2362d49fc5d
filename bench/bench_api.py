"""The claim list endpoint against a bare DRF ModelSerializer list of the same rows.

Run from the repository root:

    .venv/bin/python bench/bench_api.py [--claims 1000] [--requests 20] [--database-url URL]

Builds a throwaway SQLite database (or uses the scratch database ``--database-url``
names, e.g. an empty PostgreSQL database) with one document of ``--claims`` claims, each
with a source (and its snapshot) and a verdict, then times in the same process:

- baseline: a plain ``ListAPIView`` with ``ModelSerializer(fields="__all__")`` over the
  same Claim rows (no related data, no pagination, no permissions);
- ours: ``GET /api/v1/claims/?document=ID&page_size=N`` with token auth, scoping,
  sources with their latest snapshot, verdicts with blind-review rules, final verdict.

Both are timed in alternating rounds of ``--requests`` requests, ``--rounds`` times, so
that other load on the machine slows both alike; the figures are the medians.

Targets: at most 10 queries per page, and at least 50 % of the baseline's requests/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="factcheck-bench-")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-secret-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        FACTCHECK_DATA_DIR=scratch,
        DATABASE_URL=args.database_url or f"sqlite:///{scratch}/bench.sqlite3",
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import path
    from django.utils import timezone
    from rest_framework import generics, permissions, serializers
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from annotations.models import Claim, Document, Snapshot, Source, Verdict
    from annotations.services.projects import project_create

    # Unique names, in case the scratch database already holds an earlier run.
    name = f"bench-{time.time_ns()}"
    user = get_user_model().objects.create_user(name, password="bench-password-1")
    token = Token.objects.create(user=user)
    project = project_create(name=name, slug=name, created_by=user)
    sentence = "Exports grew by 5% in 2023, the ministry said. "
    text = sentence * args.claims
    document = Document.objects.create(project=project, title="Bench", text=text, status="ready")
    step = len(sentence)
    claims = Claim.objects.bulk_create(
        Claim(
            document=document,
            position=i,
            start=i * step,
            end=i * step + step - 1,
            text=sentence.strip(),
            kind="fact",
            checkworthiness=0.8,
            reasons=["date: in 2023", "quantity: 5%"],
        )
        for i in range(args.claims)
    )
    sources = Source.objects.bulk_create(
        Source(claim=claim, url="https://example.org/report", quote="exports grew")
        for claim in claims
    )
    Snapshot.objects.bulk_create(
        Snapshot(
            source=source,
            fetch_number=1,
            final_url=source.url,
            http_status=200,
            content_type="text/html",
            sha256="0" * 64,
            fetched_at=timezone.now(),
            quote_found=True,
            quote_passage="Exports grew",
        )
        for source in sources
    )
    rating = project.rating_scale.ratings.get(value="true")
    Verdict.objects.bulk_create(
        Verdict(claim=claim, reviewer=user, rating=rating, rationale="Matches the data.")
        for claim in claims
    )

    class BareClaimSerializer(serializers.ModelSerializer):
        class Meta:
            model = Claim
            fields = "__all__"

    class BareList(generics.ListAPIView):
        serializer_class = BareClaimSerializer
        permission_classes = [permissions.IsAuthenticated]
        pagination_class = None

        def get_queryset(self):
            return Claim.objects.filter(document=document).order_by("position")

    import factcheck.urls

    factcheck.urls.urlpatterns.insert(0, path("bench/bare/", BareList.as_view()))
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    ours = f"/api/v1/claims/?document={document.pk}&page_size={args.claims}"

    def queries(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        executed: list[str] = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        return len(executed)

    def rate(url: str) -> float:
        started = time.perf_counter()
        for _ in range(args.requests):
            client.get(url)
        return args.requests / (time.perf_counter() - started)

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("client.get(ours)", globals(), locals(), "/tmp/api.prof")
        pstats.Stats("/tmp/api.prof").sort_stats("cumulative").print_stats(30)
        return
    bare_queries, ours_queries = queries("/bench/bare/"), queries(ours)
    bare_rates, ours_rates = [], []
    for _ in range(args.rounds):
        bare_rates.append(rate("/bench/bare/"))
        ours_rates.append(rate(ours))
    ratios = sorted(o / b for o, b in zip(ours_rates, bare_rates, strict=True))
    bare_rps, ours_rps = statistics.median(bare_rates), statistics.median(ours_rates)
    print(f"database            {connection.vendor}")
    print(f"claims per page     {args.claims} (each with a source, a snapshot and a verdict)")
    print(f"rounds              {args.rounds} x {args.requests} requests each, medians")
    print(f"bare ModelSerializer {bare_rps:8.2f} req/s  {bare_queries} queries")
    print(f"/api/v1/claims/      {ours_rps:8.2f} req/s  {ours_queries} queries")
    ratio = ours_rps / bare_rps
    print(
        f"ratio                {ratio:8.2f}  "
        f"(rounds {ratios[0]:.2f}-{ratios[-1]:.2f}; target >= 0.50, queries <= 10)"
    )
    print_results_row(
        benchmark="API claim list",
        what=f"a page of {args.claims:,} claims against a bare `ModelSerializer` list",
        target="≥ 0.50, ≤ 10 queries",
        today=(
            f"{ratio:.2f} (rounds {ratios[0]:.2f}–{ratios[-1]:.2f}), "
            f"{1000 / ours_rps:,.0f} ms a page, {ours_queries} queries, {connection.vendor}"
        ),
        met=ratio >= 0.5 and ours_queries <= 10,
        history="api",
    )


if __name__ == "__main__":
    main()
