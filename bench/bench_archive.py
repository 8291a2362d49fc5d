"""Every page, API list route and admin changelist at 1 k claims and at 1 M claims.

Run from the repository root, with two databases seeded by ``seed_archive``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_archive_small \\
        .venv/bin/python manage.py seed_archive --project small --claims 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_archive_bench \\
        .venv/bin/python manage.py seed_archive --project archive --claims 1000000
    .venv/bin/python bench/bench_archive.py \\
        --small postgres://postgres@127.0.0.1:5432/factcheck_archive_small:small \\
        --large postgres://postgres@127.0.0.1:5432/factcheck_archive_bench:archive

Each side is measured in a process of its own, one after the other, so that they do not
share the machine. Every route is requested ``--warmups`` times, then once more counting
its queries, then ``--requests`` times; the figure is the median (``--warmups 0
--requests 1`` for a slow version). On a machine shared with other work, ``--rounds 3``
measures the two sides in turn three times and takes each route's median over the
rounds, so that a burst of load on one side does not make a ratio. The ratio of the large
archive's time to the small one's is the target: at most 2. Beside each time, the part
of it spent in the database (PostgreSQL; the median over the timed requests): what grows
with the archive shows there, what a fuller page costs to render does not. ``--explain
FILE`` writes the plan of each route's slowest query on the large archive (PostgreSQL);
``--only trash,history`` measures only the routes whose names hold one of those words.
For SQLite give two database files, ``sqlite:////path/small.sqlite3:small``.

A small archive whose pages are full where the large one's are (``seed_archive --claims
2700 --trash-every 20``: 100 documents, 135 trashed claims) tells a page that grew slower
from a page that shows more rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row, results_row  # noqa: E402

# The ratio each database's pages must stay within: PostgreSQL, the production database,
# 2× on every route; SQLite, the embedded default for a small newsroom, 3× on the
# reviewer's pages (run it with --only for those).
TARGETS = {"postgresql": 2.0, "sqlite": 3.0}


def _routes(slug: str) -> list[tuple[str, str, str, dict]]:
    """(name, user, url, headers) of every route measured, ids picked from the archive."""
    from annotations.models import Claim, Document

    documents = Document.objects.filter(project__slug=slug)
    count = documents.count()
    middle = documents.order_by("pk").values_list("pk", flat=True)[count // 2]
    claim = Claim.objects.alive().filter(document_id=middle).order_by("position").first()
    claims = Claim.objects.alive().filter(document__project__slug=slug).count()
    middle_page = f"page={max(1, claims // 100 // 2)}"
    try:
        from annotations.api.pagination import KeysetPagination
    except ImportError:  # a version without cursors: the same depth by page number
        pass
    else:
        middle_page = "cursor=" + KeysetPagination._encode([middle, 0])
    history = Claim.history.filter(id=claim.pk).order_by("history_date").first()
    since = history.history_date.isoformat() if history else ""
    ui_headers: dict = {}
    htmx = {"HTTP_HX_REQUEST": "true"}
    return [
        ("document list", "editor", f"/p/{slug}/", ui_headers),
        ("document list, search", "editor", f"/p/{slug}/?q=Казахстане", ui_headers),
        ("document page", "editor", f"/documents/{middle}/", ui_headers),
        ("claim panel (with history)", "editor", f"/claims/{claim.pk}/", htmx),
        ("my queue (a fifth assigned)", "reviewer1", "/queue/", ui_headers),
        ("my queue, search", "reviewer1", "/queue/?q=пенсиям", ui_headers),
        ("trash", "editor", f"/p/{slug}/trash/", ui_headers),
        ("API documents", "editor", f"/api/v1/documents/?project={slug}", ui_headers),
        (
            "API documents, search",
            "editor",
            f"/api/v1/documents/?project={slug}&q=Казахстане",
            ui_headers,
        ),
        ("API claims, page 1", "editor", f"/api/v1/claims/?project={slug}", ui_headers),
        (
            "API claims, middle page",
            "editor",
            f"/api/v1/claims/?project={slug}&{middle_page}",
            ui_headers,
        ),
        ("API claims, search", "editor", f"/api/v1/claims/?project={slug}&q=пенсии", ui_headers),
        ("API trash", "editor", f"/api/v1/trash/?project={slug}", ui_headers),
        ("API trash, claims", "editor", f"/api/v1/trash/claims/?project={slug}", ui_headers),
        ("API history", "editor", f"/api/v1/history/?project={slug}", ui_headers),
        (
            "API history, one claim",
            "reviewer1",
            f"/api/v1/history/?project={slug}&claim={claim.pk}",
            ui_headers,
        ),
        (
            "API history, since",
            "reviewer1",
            f"/api/v1/history/?{urlencode({'project': slug, 'since': since})}",
            ui_headers,
        ),
        ("API sources", "editor", f"/api/v1/sources/?project={slug}", ui_headers),
        ("API verdicts", "reviewer1", f"/api/v1/verdicts/?project={slug}", ui_headers),
        ("admin claims", "admin", "/admin/annotations/claim/", ui_headers),
        ("admin documents", "admin", "/admin/annotations/document/", ui_headers),
        ("admin sources", "admin", "/admin/annotations/source/", ui_headers),
        ("admin verdicts", "admin", "/admin/annotations/verdict/", ui_headers),
    ]


def _plans(client, url: str, headers: dict, connection) -> str:
    """The plan of the slowest query of one request (PostgreSQL, EXPLAIN ANALYZE)."""
    executed: list[tuple[float, str, object]] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append((time.perf_counter() - began, sql, params))

    with connection.execute_wrapper(timed):
        client.get(url, **headers)
    seconds, sql, params = max(executed, key=lambda item: item[0])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- {seconds * 1000:.1f} ms: {sql[:300]}\n{plan}"


def measure(
    database_url: str,
    slug: str,
    requests: int,
    warmups: int = 1,
    explain: bool = False,
    only: list[str] | None = None,
) -> dict:
    os.environ.update(
        DEBUG="false",
        SECRET_KEY="bench-secret-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="false",
        STATIC_MANIFEST="false",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from annotations.models import Claim

    User = get_user_model()
    admin, _made = User.objects.get_or_create(
        username=f"{slug}-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    users = {
        "editor": User.objects.get(username=f"{slug}-editor"),
        "reviewer1": User.objects.get(username=f"{slug}-reviewer1"),
        "admin": admin,
    }
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    results = {
        "claims": Claim.objects.filter(document__project__slug=slug).count(),
        "vendor": connection.vendor,
        "routes": {},
    }
    for name, who, url, headers in _routes(slug):
        if only and not any(part in name for part in only):
            continue
        client = clients[who]
        response = client.get(url, **headers)
        if response.status_code != 200:  # a route this version does not have
            results["routes"][name] = {"ms": None, "queries": None, "status": response.status_code}
            continue
        for _ in range(warmups):
            client.get(url, **headers)
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url, **headers)
        times, database = [], []
        for _ in range(requests):
            spent = [0.0]

            def timed(execute, sql, params, many, context, spent=spent):
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent[0] += time.perf_counter() - began

            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                response = client.get(url, **headers)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - started) * 1000)
            database.append(spent[0] * 1000)
        results["routes"][name] = {
            "ms": statistics.median(times),
            "db_ms": statistics.median(database),
            "queries": len(executed),
        }
        if explain and connection.vendor == "postgresql":
            results["routes"][name]["plan"] = _plans(client, url, headers, connection)
    return results


def _over_rounds(runs: list[dict]) -> dict:
    """One side's figures over rounds: each route's median time, its first plan."""
    merged = dict(runs[0], routes={})
    for name, first in runs[0]["routes"].items():
        merged["routes"][name] = dict(first)
        if first["ms"] is not None:
            for key in ("ms", "db_ms"):
                merged["routes"][name][key] = statistics.median(
                    run["routes"][name][key] for run in runs
                )
    return merged


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", help="DATABASE_URL:PROJECT of the 1 k-claim archive")
    parser.add_argument("--large", help="DATABASE_URL:PROJECT of the 1 M-claim archive")
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument(
        "--warmups", type=int, default=1, help="requests before counting and timing (+1)"
    )
    parser.add_argument(
        "--explain", metavar="FILE", help="write the plan of each route's slowest query"
    )
    parser.add_argument(
        "--only", help="comma-separated parts of route names: measure only those routes"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure both sides this many times in turn; each route's median over them",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    only = [part.strip() for part in args.only.split(",")] if args.only else None
    if args.measure:
        url, slug = args.measure.rsplit(":", 1)
        figures = measure(
            url, slug, args.requests, args.warmups, explain=bool(args.explain), only=only
        )
        print(json.dumps(figures))
        return
    runs: dict[str, list[dict]] = {"small": [], "large": []}
    for run in range(args.rounds):
        for side in ("small", "large"):
            command = [sys.executable, __file__, "--measure", getattr(args, side)]
            command += ["--requests", str(args.requests), "--warmups", str(args.warmups)]
            if args.only:
                command += ["--only", args.only]
            if args.explain and side == "large" and run == 0:
                command += ["--explain", args.explain]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            runs[side].append(json.loads(output.strip().splitlines()[-1]))
    small, large = (_over_rounds(runs[side]) for side in ("small", "large"))
    target = TARGETS.get(small["vendor"], 2.0)
    rounds = f", median of {args.rounds} rounds taken in turn" if args.rounds > 1 else ""
    print(
        f"{small['vendor']}: {small['claims']:,} vs {large['claims']:,} claims, "
        f"median of {args.requests} warm requests{rounds}"
    )
    header = (
        f"{'route':34} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9} "
        f"{'db ms small/large':>18}"
    )
    print(header)
    print("-" * len(header))
    failed = []
    ratios: dict[str, float] = {}
    for name, figures in small["routes"].items():
        other = large["routes"][name]
        if figures["ms"] is None or other["ms"] is None:
            print(f"{name:34} {'-':>9} {'-':>9} {'-':>6} (status {figures.get('status')})")
            continue
        ratio = ratios[name] = other["ms"] / figures["ms"]
        # SQLite computes rows as they are fetched, after the timed execute: not shown.
        database = (
            f"{figures['db_ms']:8.1f}/{other['db_ms']:<8.1f}"
            if small["vendor"] == "postgresql"
            else f"{'-':>8} {'':8}"
        )
        mark = "" if ratio <= target else "  over"
        if mark:
            failed.append(name)
        print(
            f"{name:34} {figures['ms']:9.1f} {other['ms']:9.1f} {ratio:6.2f} "
            f"{figures['queries']:>4}/{other['queries']:<4} {database}{mark}"
        )
    print(f"over {target:g}x: {', '.join(failed) if failed else 'none'}")
    if args.explain:
        with open(args.explain, "w") as out:
            for name, figures in large["routes"].items():
                out.write(f"## {name}\n{figures.get('plan', '')}\n\n")
        scans = [
            name
            for name, figures in large["routes"].items()
            if "Seq Scan on annotations_claim " in figures.get("plan", "")
        ]
        print(f"sequential scans of claims: {', '.join(scans) if scans else 'none'}")
    searches = {name: ratio for name, ratio in ratios.items() if "search" in name}
    others = {name: ratio for name, ratio in ratios.items() if name not in searches}
    over = [f"{name} {ratio:.1f}×" for name, ratio in others.items() if ratio > target]
    scale = f"{large['claims']:,} against {small['claims']:,} claims"
    only = f" ({args.only} only)" if args.only else ""
    print_results_row(
        benchmark="archive pages and lists" + only,
        what=f"every page, API list and admin changelist at {scale} ({small['vendor']})",
        target=f"≤ {target:g}×",
        today=(
            f"{len(others) - len(over)} of {len(others)} routes ≤ {target:g}×"
            + (f"; {', '.join(over)}" if over else "")
        ),
        met=not over,
        history="archive",
    )
    if searches:  # not with --only naming other routes
        print(
            results_row(
                benchmark="search",
                what=f"the same search at {scale}",
                target=f"≤ {target:g}×",
                today=", ".join(f"{name} {ratio:.2f}×" for name, ratio in searches.items()),
                met=all(ratio <= target for ratio in searches.values()),
                history="archive",
            )
        )


if __name__ == "__main__":
    main()
