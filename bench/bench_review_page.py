"""How long a reviewer waits on a long document: a split done in place (the panel and the
text swapped by htmx) against the whole page loading again (what a split cost before),
and five presses of j against opening one claim's page. Chromium drives the demo server.

    FACTCHECK_DATA_DIR=/tmp/bench-ui DEBUG=true python manage.py migrate
    FACTCHECK_DATA_DIR=/tmp/bench-ui DEBUG=true python manage.py runserver 127.0.0.1:8766 &
    FACTCHECK_DATA_DIR=/tmp/bench-ui DEBUG=true python bench/bench_review_page.py \
        --base http://127.0.0.1:8766 --claims 810

Figures are ratios to the full page load measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402
from results_row import print_results_row  # noqa: E402

from annotations.models import Claim, Document, Membership, Role  # noqa: E402
from annotations.services.projects import project_create  # noqa: E402

SENTENCE = "In {n} the ministry said exports grew by {n}% — imports fell by 2%."


def long_document(claims: int) -> tuple[Document, str]:
    users = get_user_model()
    user, created = users.objects.get_or_create(username="bench")
    if created:
        user.set_password("bench-password")
        user.save()
    project = project_create(name=f"Bench {time.time_ns()}", created_by=None, language="en")
    Membership.objects.create(project=project, user=user, role=Role.EDITOR)
    sentences = [SENTENCE.format(n=n) for n in range(claims)]
    text = " ".join(sentences)
    document = Document.objects.create(
        project=project, title="Long", text=text, language="en", status=Document.Status.READY
    )
    rows, start = [], 0
    for position, sentence in enumerate(sentences):
        rows.append(
            Claim(
                document=document,
                position=position,
                start=start,
                end=start + len(sentence),
                text=sentence,
            )
        )
        start += len(sentence) + 1
    Claim.objects.bulk_create(rows)
    return document, "bench-password"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8766")
    parser.add_argument("--claims", type=int, default=810)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    document, password = long_document(args.claims)
    claims = list(document.claims.order_by("start"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        page.goto(args.base + "/login/")
        page.fill("#id_username", "bench")
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        reloads, splits, presses = [], [], []
        for run in range(args.runs):
            claim = claims[100 + run * 20]
            url = f"{args.base}/documents/{document.pk}/?claim={claim.pk}"
            began = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#claim-panel")
            page.wait_for_load_state("load")
            reloads.append(time.perf_counter() - began)

            page.click("#boundary > summary")
            page.fill("#split_at", str(claim.start + claim.text.index("—")))
            count = page.locator("#document-text .claim").count()
            began = time.perf_counter()
            page.click("form[hx-post$='/split/'] button[type=submit]")
            expect(page.locator("#document-text .claim")).to_have_count(count + 1)
            splits.append(time.perf_counter() - began)

            page.goto(url)
            page.wait_for_selector("#claim-panel")
            page.locator("body").click(position={"x": 5, "y": 5})
            ids = page.evaluate(
                "[...document.querySelectorAll('#document-text .claim')].map(a => a.dataset.claim)"
            )
            target = ids[ids.index(str(claim.pk)) + 5]
            began = time.perf_counter()
            for _ in range(5):
                page.keyboard.press("j")
            page.wait_for_selector(f"#claim-panel[data-claim='{target}']")
            presses.append(time.perf_counter() - began)
        browser.close()
    reload = statistics.median(reloads)
    print(f"{args.claims} claims, median of {args.runs}:")
    print(f"  page load (baseline)  {reload * 1000:7.0f} ms  1.00")
    ratios = {}
    for name, values in (("split in place", splits), ("j pressed 5 times", presses)):
        value = statistics.median(values)
        ratios[name] = value / reload
        print(f"  {name:<21} {value * 1000:7.0f} ms  {value / reload:.2f}")
    print_results_row(
        benchmark="review page",
        what=(
            f"a split and five presses of `j` against the page load, {args.claims} claims, Chromium"
        ),
        target="below 1.0",
        today=f"split {ratios['split in place']:.2f}, j×5 {ratios['j pressed 5 times']:.2f}",
        met=all(ratio < 1 for ratio in ratios.values()),
        history="ui",
    )


if __name__ == "__main__":
    main()
