"""``manage.py split_claims PATH [--language ru|en|auto] [--no-entities] [--encoding ENC]
--format json|text``.

Prints the claims of a text file (``-`` reads standard input). Exit status 2, with one
line on stderr, when the input is empty, binary or not decodable.
"""

import json
import sys
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from annotations.extraction import (
    ExtractedClaim,
    TextDecodeError,
    decode_text,
    detect_language,
    extract_claims,
)

EXIT_BAD_INPUT = 2
CLAIM_FIELDS = (
    "start",
    "end",
    "text",
    "kind",
    "checkworthiness",
    "reasons",
    "entities",
    "dates",
    "quantities",
    "attribution",
)


class Command(BaseCommand):
    help = _("Split a text into claims with exact offsets, kinds and check-worthiness.")
    # Tests hand in a byte stream instead of the process's standard input.
    stealth_options = ("stdin",)
    # Splitting text needs neither the database nor the URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=_("Text file to read; - reads standard input."))
        parser.add_argument(
            "--language",
            choices=["ru", "en", "auto"],
            default="auto",
            help=_("Language of the text; auto decides paragraph by paragraph."),
        )
        parser.add_argument(
            "--no-entities",
            action="store_true",
            help=_("Skip named-entity recognition (faster)."),
        )
        parser.add_argument(
            "--encoding", help=_("Encoding of the input, e.g. cp1251 or utf-16 (default UTF-8).")
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data = self._read(options["path"], options.get("stdin"))
        try:
            text = decode_text(data, options["encoding"])
        except TextDecodeError as error:
            raise CommandError(_decode_message(error), returncode=EXIT_BAD_INPUT) from None

        language = None if options["language"] == "auto" else options["language"]
        claims = extract_claims(text, language=language, entities=not options["no_entities"])
        if options["format"] == "json":
            report = {
                "language": language or detect_language(text),
                "claims": [_claim_record(claim) for claim in claims],
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            for claim in claims:
                self.stdout.write(
                    f"{claim.start}-{claim.end}\t{claim.kind}\t"
                    f"{claim.checkworthiness:.2f}\t{claim.text}"
                )

    def _read(self, path: str, stdin: BinaryIO | None) -> bytes:
        if path == "-":
            return (stdin or sys.stdin.buffer).read()
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror},
                returncode=EXIT_BAD_INPUT,
            ) from None


def _claim_record(claim: ExtractedClaim) -> dict[str, Any]:
    record = claim.to_dict()
    return {name: record[name] for name in CLAIM_FIELDS}


def _decode_message(error: TextDecodeError) -> str:
    messages = {
        "empty": _("The input is empty."),
        "binary": _("The input looks like a binary file, not text."),
        "utf-16": _("The input looks like UTF-16 text; pass --encoding utf-16."),
        "cp1251": _(
            "The input is not UTF-8; it looks like Windows-1251 (Cyrillic) text: "
            "pass --encoding cp1251."
        ),
        "unknown-encoding": _("Unknown encoding %(encoding)s.") % {"encoding": error.encoding},
    }
    if error.reason == "undecodable" and error.encoding:
        return _("The input is not valid %(encoding)s; check --encoding.") % {
            "encoding": error.encoding
        }
    if error.reason == "undecodable":
        return _("The input is not valid UTF-8; pass --encoding with the file's encoding.")
    return messages.get(error.reason, str(error))
