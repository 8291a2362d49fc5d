"""The demo's own small web site, on the loopback address only: the page a demo source
cites, so that a worker finds its quote without the internet. ``make run`` starts it and
allows the loopback address to the fetcher for the demo alone (FETCH_ALLOWED_NETWORKS).

    python -m annotations.demo_pages          # port FACTCHECK_DEMO_PAGES_PORT, 8001 by default
"""

from __future__ import annotations

import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "demo-pages"
HOST = "127.0.0.1"


def port() -> int:
    return int(os.environ.get("FACTCHECK_DEMO_PAGES_PORT", "8001"))


def page_url(name: str) -> str:
    return f"http://{HOST}:{port()}/{name}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        """The demo's terminal shows the web server and the worker, not every page read."""


def main() -> None:
    handler = partial(_QuietHandler, directory=str(PAGES))
    with ThreadingHTTPServer((HOST, port()), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
