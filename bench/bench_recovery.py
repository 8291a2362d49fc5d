"""How long queued work takes to finish after the faults the background work must survive.

Run from the repository root:

    .venv/bin/python bench/bench_recovery.py [--sources 6]

Makes a throwaway SQLite database in a temporary directory, a Redis server of its own
(``redis-server`` without persistence, on a free port), a local page server on
127.0.0.1, and a Celery worker with beat embedded, all with the production defaults
(sweep interval and grace, slot leases, time limits) unless noted. Then, each in turn:

- outage: Redis is stopped, a long document, a URL document and ``--sources`` sources
  are saved (the requests' path: the send fails), Redis is started again; measured from
  Redis answering to the last of them finished;
- restart: the same work is queued while Redis is up, Redis restarts without its data;
  measured from Redis answering again to the last finished;
- killed worker, one slot per host, a fetch held by the page server, ``--sources`` more
  sources on the same host saved after the kill: (1) the worker is killed with SIGKILL
  (parent and pool child at once) and started again under its name, measured from its
  start; (2) only its pool process is killed, measured from the kill; (3) it is killed
  and never comes back while a worker of another name runs, measured from the kill.

The figures are wall-clock seconds on this machine; they are mostly waiting (sweep
interval, grace, time limits), not computing.
"""

from __future__ import annotations

import argparse
import os
import signal
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
    b"<html><head><title>Statement</title></head><body><article>"
    b"<p>Both sides signed a memorandum on grain deliveries in Astana.</p>"
    b"<p>Trade between the two countries grew by 5.3% in 2023.</p></article></body></html>"
)


class Pages:
    """Serves PAGE on every path; while ``hold`` is set, the first request waits."""

    def __init__(self) -> None:
        self.hold = threading.Event()
        self.held = threading.Event()
        self.release = threading.Event()
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if pages.hold.is_set() and not pages.held.is_set():
                    pages.held.set()
                    pages.release.wait(600)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


class Redis:
    def __init__(self, directory: Path) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import socket

        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def start_worker(env: dict[str, str], log: Path, *, name: str = "") -> subprocess.Popen:
    named = ["--hostname", name] if name else []
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", "prefork",
         "--concurrency", "2", "--loglevel", "INFO", "--beat", "--schedule",
         str(log.with_suffix(".schedule")), "--without-gossip", "--without-mingle", *named],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL if kill else signal.SIGTERM)
        worker.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=6)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-recovery-"))
    redis = Redis(scratch)
    redis.start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        FACTCHECK_DATA_DIR=str(scratch / "data"),
        REDIS_URL=redis.url,
        SECRET_KEY="bench-recovery-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        DEBUG="false",
        FETCH_ALLOWED_NETWORKS="127.0.0.1/32",
        DOCUMENT_SYNC_MAX_CHARS="1000",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from annotations.models import Document, FetchState, Project, Role, Source
    from annotations.services import hostslots, queueing
    from annotations.services.documents import document_create, document_create_from_url
    from annotations.services.sources import source_attach
    from factcheck.celery import app
    from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory

    call_command("migrate", verbosity=0)
    project = Project.objects.create(name="Recovery", slug="recovery")
    reviewer = MembershipFactory(project=project, role=Role.REVIEWER).user
    claim = ClaimFactory(document=DocumentFactory(project=project))
    text = (ROOT / "annotations" / "fixtures" / "kz-ru-relations.ru.txt").read_text()
    pages = Pages()
    env = dict(os.environ)

    def forget_connections() -> None:
        # kombu keeps a pool per broker address; a closed one would stay in its registry.
        app._pool = None
        app.amqp._producer_pool = None
        for cached in (hostslots._client, hostslots._take_script, queueing._client):
            cached.cache_clear()
        queueing._broker_down_until = 0.0

    def save_work(tag: str) -> tuple[list[int], list[int]]:
        with transaction.atomic():
            long = document_create(project=project, actor=reviewer, title=tag, text=text)
            url = document_create_from_url(
                project=project, actor=reviewer, url=pages.url(f"/{tag}/article")
            )
            sources = [
                source_attach(claim=claim, actor=reviewer, url=pages.url(f"/{tag}/{n}"))
                for n in range(args.sources)
            ]
        return [long.pk, url.pk], [s.pk for s in sources]

    def done(documents: list[int], sources: list[int]) -> bool:
        finished = (Document.Status.READY, Document.Status.FAILED)
        waiting = (FetchState.PENDING, FetchState.FETCHING)
        return (
            all(
                status in finished
                for status in Document.objects.filter(pk__in=documents).values_list(
                    "status", flat=True
                )
            )
            and not Source.objects.filter(pk__in=sources, fetch_state__in=waiting).exists()
        )

    def wait(documents: list[int], sources: list[int], since: float) -> float:
        while not done(documents, sources):
            if time.monotonic() - since > 900:
                raise SystemExit("gave up after 15 minutes")
            time.sleep(0.2)
        return time.monotonic() - since

    results: list[tuple[str, float]] = []
    worker = start_worker(env, scratch / "worker.log")
    time.sleep(8)  # the worker and beat at work

    # Outage: the broker is down while the work is saved.
    redis.stop()
    forget_connections()
    work = save_work("outage")
    redis.start()
    results.append(("outage: Redis back → all finished", wait(*work, time.monotonic())))

    # Restart without persistence with the work queued.
    stop_worker(worker)
    forget_connections()
    work = save_work("restart")
    redis.stop()
    redis.start()
    started = time.monotonic()
    worker = start_worker(env, scratch / "worker.log")
    results.append(("restart without data: Redis back → all finished", wait(*work, started)))
    stop_worker(worker)

    # A worker dies mid-fetch, three ways. One slot per host, so that a slot the dead
    # fetch never gave back would hold up the host's other sources.
    killed_env = {**env, "FETCH_PER_HOST_CONCURRENCY": "1"}

    def hold_a_fetch(worker_log: Path, tag: str, **options) -> tuple[subprocess.Popen, int]:
        pages.held.clear()
        pages.release.clear()
        pages.hold.set()
        worker = start_worker(killed_env, worker_log, **options)
        forget_connections()
        with transaction.atomic():
            held = source_attach(claim=claim, actor=reviewer, url=pages.url(f"/held-{tag}"))
        pages.held.wait(120)
        while Source.objects.get(pk=held.pk).fetch_state != FetchState.FETCHING:
            time.sleep(0.05)
        return worker, held.pk

    def more_sources(tag: str) -> list[int]:
        with transaction.atomic():
            return [
                source_attach(claim=claim, actor=reviewer, url=pages.url(f"/{tag}/{n}")).pk
                for n in range(args.sources)
            ]

    def let_go() -> None:
        pages.hold.clear()
        pages.release.set()

    # The whole worker is killed (parent and pool at once); its supervisor starts it again.
    worker, held = hold_a_fetch(scratch / "killed.log", "restarted")
    stop_worker(worker, kill=True)
    let_go()
    others = more_sources("restarted")
    started = time.monotonic()
    worker = start_worker(killed_env, scratch / "killed.log")
    others_done = wait([], others, started)
    all_done = wait([], [held, *others], started)
    stop_worker(worker)
    results.append(("killed worker, restarted: restart → others on the host", others_done))
    results.append(("killed worker, restarted: restart → the killed fetch too", all_done))

    # Only the pool process is killed (what the out-of-memory killer does).
    worker, held = hold_a_fetch(scratch / "pool.log", "pool")
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
    for child in children.stdout.split():
        os.kill(int(child), signal.SIGKILL)
    started = time.monotonic()
    let_go()
    others = more_sources("pool")
    results.append(("pool process killed: kill → all finished", wait([], [held, *others], started)))
    stop_worker(worker)

    # The machine is lost: its worker never comes back; another one is running.
    lost, held = hold_a_fetch(scratch / "lost.log", "lost", name="lost@machine-a")
    survivor = start_worker(killed_env, scratch / "survivor.log", name="survivor@machine-b")
    time.sleep(5)  # the survivor at work
    stop_worker(lost, kill=True)
    started = time.monotonic()
    let_go()
    others = more_sources("lost")
    results.append(("machine lost: kill → all finished", wait([], [held, *others], started)))
    stop_worker(survivor)

    redis.stop()
    for name, seconds in results:
        print(f"{name}: {seconds:.1f} s")
    print_results_row(
        benchmark="recovery",
        what="all work final after a broker outage, a restart without data, a killed worker",
        target="≤ 60 s",
        today="; ".join(f"{name} {seconds:.1f} s" for name, seconds in results),
        met=all(seconds <= 60 for _name, seconds in results),
        history="workers",
    )


if __name__ == "__main__":
    main()
