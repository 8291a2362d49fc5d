""""Checked before?" at 1 k claims and at 1 M claims: the top 10 matches of a claim, and
matching a new 100-claim document against the archive.

Run from the repository root, with two databases seeded by ``seed_archive``:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_matching_small \\
        .venv/bin/python manage.py seed_archive --project small --claims 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_matching_bench \\
        .venv/bin/python manage.py seed_archive --project archive --claims 1000000
    .venv/bin/python bench/bench_matching.py \\
        --small postgres://postgres@127.0.0.1:5432/factcheck_matching_small:small \\
        --large postgres://postgres@127.0.0.1:5432/factcheck_matching_bench:archive

Each side is measured in a process of its own, one after the other. The queries are
claims of the archive itself, reworded as a reader would find them elsewhere (figures
in other notation, words in another order), asked through the API route
``GET /api/v1/projects/{slug}/similar/?text=…`` and, for a claim of the archive,
``GET /api/v1/claims/{id}/similar/``: warmed twice, then the median of ``--requests``
rounds over all queries. Matching a document is ``claims_match_document`` on a new
100-claim document, the work a worker does after a split (median of three). The target:
the large archive's top 10 within twice the small one's time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_row import print_results_row  # noqa: E402

TARGET = 2.0
QUERIES = 20
DOCUMENT_CLAIMS = 100


def reworded(text: str) -> str:
    """The claim as another outlet might write it: "… на 37% в 2011 году" becomes "В 2011
    году … на 37 процентов", "… by 37% in 2011" becomes "In 2011, … by 37 percent"."""
    russian = re.match(r"(.+?) на (\d+)% в (\d+) году\.$", text)
    if russian:
        return f"В {russian[3]} году {russian[1]} на {russian[2]} процентов."
    english = re.match(r"(.+?) by (\d+)% in (\d+)\.$", text)
    if english:
        return f"In {english[3]}, {english[1]} by {english[2]} percent."
    return text


def measure(database_url: str, slug: str, requests: int) -> dict:
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
    from django.db import connection, transaction
    from django.test import Client

    from annotations.models import Claim, ClaimMatch, Document, Project
    from annotations.services.matching import claims_match_document

    editor = get_user_model().objects.get(username=f"{slug}-editor")
    client = Client()
    client.force_login(editor)
    project = Project.objects.get(slug=slug)
    claims = Claim.objects.alive().filter(document__project=project)
    count = claims.count()
    step = max(1, count // QUERIES)
    picked = [claims.order_by("pk")[i * step] for i in range(QUERIES)]
    routes = [
        (f"/api/v1/projects/{slug}/similar/", {"text": reworded(claim.text)}) for claim in picked
    ] + [(f"/api/v1/claims/{claim.pk}/similar/", {}) for claim in picked]
    found_first = 0
    for index, (url, params) in enumerate(routes):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        results = response.json()["results"]
        # The archive may hold the same sentence twice: the text is what must come first.
        if index < len(picked) and results and results[0]["text"] == picked[index].text:
            found_first += 1
        client.get(url, params)
    rounds = []
    for _ in range(requests):
        times = []
        for url, params in routes:
            started = time.perf_counter()
            client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
        rounds.append(statistics.median(times))

    # A new document of 100 claims from the archive's own sentences, reworded.
    sentences = [reworded(claim.text) for claim in claims.order_by("-pk")[:DOCUMENT_CLAIMS]]
    document_times = []
    for attempt in range(3):
        with transaction.atomic():
            text = " ".join(sentences)
            document = Document.objects.create(
                project=project,
                title=f"Matching bench {attempt}",
                text=text,
                language="ru",
                status=Document.Status.READY,
            )
            start = 0
            for position, sentence in enumerate(sentences):
                Claim.objects.create(
                    document=document,
                    position=position,
                    start=start,
                    end=start + len(sentence),
                    text=sentence,
                )
                start += len(sentence) + 1
        started = time.perf_counter()
        kept = claims_match_document(document_id=document.pk)
        document_times.append((time.perf_counter() - started) * 1000)
        ClaimMatch.objects.filter(claim__document=document).delete()
        document.delete()
    return {
        "claims": count,
        "vendor": connection.vendor,
        "top10_ms": statistics.median(rounds),
        "reworded_found_first": f"{found_first}/{len(picked)}",
        "document_ms": statistics.median(document_times),
        "document_matches_kept": kept,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", help="DATABASE_URL:PROJECT of the 1 k-claim archive")
    parser.add_argument("--large", help="DATABASE_URL:PROJECT of the 1 M-claim archive")
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        url, slug = args.measure.rsplit(":", 1)
        print(json.dumps(measure(url, slug, args.requests)))
        return
    sides = {}
    for side in ("small", "large"):
        command = [sys.executable, __file__, "--measure", getattr(args, side)]
        command += ["--requests", str(args.requests)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        sides[side] = json.loads(output.strip().splitlines()[-1])
    small, large = sides["small"], sides["large"]
    ratio = large["top10_ms"] / small["top10_ms"]
    print(
        f"{small['vendor']}: {small['claims']:,} vs {large['claims']:,} claims; "
        f"median of {args.requests} rounds of {2 * QUERIES} requests"
    )
    print(
        f"top 10 matches   {small['top10_ms']:8.1f} ms {large['top10_ms']:8.1f} ms "
        f"ratio {ratio:.2f} (target ≤ {TARGET})"
    )
    print(
        f"reworded claim found first: {small['reworded_found_first']} / "
        f"{large['reworded_found_first']}"
    )
    print(
        f"matching a {DOCUMENT_CLAIMS}-claim document: {small['document_ms'] / 1000:.2f} s / "
        f"{large['document_ms'] / 1000:.2f} s"
    )
    print_results_row(
        benchmark="matching speed",
        what=f"top 10 similar claims at {large['claims']:,} against {small['claims']:,} claims",
        target=f"≤ {TARGET:g}×",
        today=(
            f"{ratio:.2f}×; a {DOCUMENT_CLAIMS}-claim document matched in "
            f"{large['document_ms'] / 1000:.1f} s ({small['vendor']})"
        ),
        met=ratio <= TARGET,
        history="matching",
    )
    sys.exit(0 if ratio <= TARGET else 1)


if __name__ == "__main__":
    main()
