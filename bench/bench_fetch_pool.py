"""Fetching many sources with a worker pool against the ideal N x latency / concurrency.

Run from the repository root (PostgreSQL and Redis running, as in production mode):

    .venv/bin/python bench/bench_fetch_pool.py [--sources 200] [--latency 0.1] \
        [--concurrency 16] [--database-url postgres://postgres@127.0.0.1:5432/factcheck_bench]

A local HTTP server answers every page after ``--latency`` seconds, on ten loopback
addresses (127.0.0.1 ... 127.0.0.10) so that the per-host politeness limit does not cap
the pool. A real Celery worker (``--pool``, ``--concurrency``) consumes from Redis and
writes to the database. The figure is the wall time from queueing the fetches until every
source has its snapshot, against the ideal ``sources x latency / concurrency``; the
target is at most 1.5x.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row  # noqa: E402

PAGE = (
    "<html><head><title>Report</title></head><body><article><h1>Trade report</h1>"
    + "<p>Exports grew by 5% in 2023, the ministry said in its annual report.</p>" * 20
    + "</article></body></html>"
).encode()


def serve(latency: float, host: str, port: int = 0) -> ThreadingHTTPServer:
    class Slow(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/factcheck_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="factcheck-bench-")
    env = {
        **os.environ,
        "DEBUG": "true",
        "FACTCHECK_DATA_DIR": scratch,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from annotations.models import Claim, Document, FetchState, Source
    from annotations.services.projects import project_create
    from annotations.services.sources import source_fetch_enqueue
    from factcheck.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    # One server per loopback address, all on the same port.
    servers = [serve(args.latency, "127.0.0.1")]
    port = servers[0].server_address[1]
    servers += [serve(args.latency, f"127.0.0.{n}", port) for n in range(2, 11)]
    project = project_create(name="Bench", slug=f"fetch-{int(time.time())}", created_by=None)
    text = "Exports grew by 5% in 2023, the ministry said."
    document = Document.objects.create(project=project, title="Bench", text=text, status="ready")
    claim = Claim.objects.create(
        document=document, position=0, start=0, end=len(text), text=text, kind="fact"
    )

    def make_sources(count: int, tag: str) -> list[int]:
        sources = Source.objects.bulk_create(
            Source(
                claim=claim,
                url=f"http://127.0.0.{1 + n % 10}:{port}/{tag}/{n}",
                quote="Exports grew by 5% in 2023",
            )
            for n in range(count)
        )
        return [source.pk for source in sources]

    def wait(ids: list[int]) -> None:
        while Source.objects.filter(
            pk__in=ids, fetch_state__in=[FetchState.PENDING, FetchState.FETCHING]
        ).exists():
            time.sleep(0.02)

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", args.pool,
         "--concurrency", str(args.concurrency), "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        warm = make_sources(args.concurrency, "warm")
        with transaction.atomic():
            for pk in warm:
                source_fetch_enqueue(pk)
        wait(warm)

        ids = make_sources(args.sources, "run")
        started = time.perf_counter()
        with transaction.atomic():
            for pk in ids:
                source_fetch_enqueue(pk)
        wait(ids)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
        for server in servers:
            server.shutdown()
    states = dict(
        Source.objects.filter(pk__in=ids)
        .values_list("fetch_state")
        .annotate(n=django.db.models.Count("id"))
    )
    ideal = args.sources * args.latency / args.concurrency
    print(f"database            {connection.vendor}")
    print(f"sources             {args.sources} on 10 hosts, {args.latency * 1000:.0f} ms each")
    print(f"worker              {args.pool} pool, concurrency {args.concurrency}")
    print(f"states              {states}")
    print(f"wall time           {elapsed:8.2f} s")
    print(f"ideal               {ideal:8.2f} s  (sources x latency / concurrency)")
    print(f"ratio               {elapsed / ideal:8.2f}x  (target <= 1.5x)")
    print_results_row(
        benchmark="fetch pool",
        what=(
            f"{args.sources} sources at {args.latency * 1000:.0f} ms latency against "
            "N × latency / concurrency"
        ),
        target="≤ 1.5×",
        today=f"{elapsed / ideal:.2f}× at concurrency {args.concurrency} ({args.pool} pool)",
        met=elapsed / ideal <= 1.5,
        history="fetching",
    )


if __name__ == "__main__":
    main()
