"""``manage.py check_source URL [--quote TEXT] [--claim TEXT] --format json``.

Exit status: 0 when the page was fetched (whether or not the quote was found), 3 when
the address was refused, 1 for any other failure. The report is printed either way.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from annotations.fetch_config import (
    fetch_config_from_settings,
    pdf_limits_from_settings,
    quote_min_score_from_settings,
)
from annotations.fetching.check import BLOCKED, FAILED, CheckReport, check_source

EXIT_BLOCKED = 3
EXIT_FAILED = 1


class Command(BaseCommand):
    help = _("Fetch a source safely, then find the quoted statement or suggest passages.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help=_("Address of the source (http or https)."))
        parser.add_argument("--quote", help=_("Statement to find on the page."))
        parser.add_argument("--claim", help=_("Claim to suggest supporting passages for."))
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options) -> None:
        report = check_source(
            options["url"],
            quote=options["quote"],
            claim=options["claim"],
            config=fetch_config_from_settings(),
            min_score=quote_min_score_from_settings(),
            pdf_limits=pdf_limits_from_settings(),
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_as_text(report))
        if report.status == BLOCKED:
            raise CommandError(
                _("Refused to fetch %(url)s: %(reason)s")
                % {"url": report.url, "reason": report.error},
                returncode=EXIT_BLOCKED,
            )
        if report.status == FAILED:
            raise CommandError(
                _("Could not fetch %(url)s: %(reason)s")
                % {"url": report.url, "reason": report.error},
                returncode=EXIT_FAILED,
            )


def _as_text(report: CheckReport) -> str:
    lines = [_("Status: %(status)s") % {"status": report.status}]
    if report.final_url:
        lines.append(
            _("Page: %(url)s (HTTP %(code)s)")
            % {"url": report.final_url, "code": report.http_status}
        )
    if report.title:
        lines.append(_("Title: %(title)s") % {"title": report.title})
    if report.quote is not None:
        lines.append(
            _("Quote found (%(method)s, score %(score)s) at %(start)s–%(end)s: %(passage)s")
            % {
                "method": report.quote.method,
                "score": report.quote.score,
                "start": report.quote.start,
                "end": report.quote.end,
                "passage": report.quote.passage,
            }
        )
        if report.quote_page:
            lines.append(_("On page %(page)s of the PDF.") % {"page": report.quote_page})
    elif report.quote_given and report.error is None:
        lines.append(_("Quote not found."))
    for suggestion in report.suggestions:
        lines.append(_("Suggested passage: %(text)s") % {"text": suggestion.text})
    if report.error:
        lines.append(_("Error: %(error)s") % {"error": report.error})
    return "\n".join(lines)
