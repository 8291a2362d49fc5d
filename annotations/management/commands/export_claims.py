"""``manage.py export_claims --document ID | --project SLUG
--format native|claimreview|webannotation|csv|jsonl [--delimiter comma|semicolon]
[--with-captures] [-o FILE] [--user USERNAME]``.

Writes the export to standard output, or to FILE (replaced only once the export is
complete). Run by an operator, it sees every project; ``--user`` limits it to what that
user may read. Warnings (e.g. a ClaimReview claim longer than search engines show) go to
stderr. ``--with-captures`` writes the ZIP that the project export with captures gives in
the API (the native JSON and the archived WARC files with their SHA-256); captures missing
from the storage are listed on stderr. Exit status 2, with one line on stderr, for an
unknown document, project or user, or options that do not go together.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from annotations import selectors
from annotations.exports import DELIMITER_NAMES, FORMATS, export_stream, export_warnings
from annotations.models import Document, Project
from annotations.services.capture_export import captures_export

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = _(
        "Export a document's or a project's claims as native JSON, ClaimReview, "
        "Web Annotation, CSV or JSON Lines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--document", type=int, help=_("Id of the document to export."))
        which.add_argument("--project", help=_("Slug of the project whose documents to export."))
        parser.add_argument("--format", choices=FORMATS)
        parser.add_argument("-o", "--output", help=_("File to write (default: standard output)."))
        parser.add_argument(
            "--user", help=_("Export only what this user may see (default: everything).")
        )
        parser.add_argument(
            "--language", help=_("Language of the labels (default: the project's).")
        )
        parser.add_argument(
            "--base-url",
            default="",
            help=_("Address of the site, e.g. https://factcheck.example, for review URLs."),
        )
        parser.add_argument(
            "--delimiter",
            choices=DELIMITER_NAMES,
            help=_(
                "CSV cell separator (default: semicolon for a language that writes a decimal "
                "comma, such as Russian; else comma)."
            ),
        )
        parser.add_argument(
            "--snapshot-text",
            action="store_true",
            help=_("Include the extracted text of each source snapshot (native format)."),
        )
        parser.add_argument(
            "--with-captures",
            action="store_true",
            help=_(
                "Write a ZIP file: the native export and the archived captures (WARC) of "
                "the sources and articles, with their SHA-256."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["with_captures"]:
            self._check_captures_options(options)
            documents = self._documents(options)
            self._export_with_captures(documents, options)
            return
        documents = self._documents(options)
        fmt = options["format"] or "native"
        for warning in export_warnings(documents=documents, fmt=fmt, base_url=options["base_url"]):
            self.stderr.write(_("Warning: %(message)s") % {"message": warning.message})
        chunks = export_stream(
            documents=documents,
            fmt=fmt,
            language=options["language"],
            base_url=options["base_url"],
            snapshot_text=options["snapshot_text"],
            delimiter=DELIMITER_NAMES.get(options["delimiter"] or ""),
        )
        if options["output"]:
            self._write_file(Path(options["output"]), lambda output: _write_text(output, chunks))
        else:
            self._write_stdout(chunks)

    def _check_captures_options(self, options: dict[str, Any]) -> None:
        # Checked before anything is read or written: the ZIP holds the native format only.
        if options["format"] not in (None, "native"):
            self._fail(
                _("--with-captures writes the native format, not %(format)s.")
                % {"format": options["format"]}
            )
        if options["delimiter"]:
            self._fail(_("--delimiter is for CSV; --with-captures writes the native format."))
        # A ZIP file is no use on a terminal; on a pipe it is.
        if not options["output"] and (
            self.stdout.isatty() or getattr(self.stdout, "buffer", None) is None
        ):
            self._fail(_("--with-captures writes a ZIP file: give -o FILE or redirect the output."))

    def _export_with_captures(self, documents: QuerySet[Document], options: dict[str, Any]) -> None:
        summary = None

        def write(output: IO[bytes]) -> None:
            nonlocal summary
            summary = captures_export(
                out=output,
                documents=documents,
                base_url=options["base_url"],
                language=options["language"],
                snapshot_text=options["snapshot_text"],
            )

        if options["output"]:
            self._write_file(Path(options["output"]), write)
        else:
            binary = self.stdout.buffer
            write(binary)
            binary.flush()
        assert summary is not None
        for path in summary.missing:
            self.stderr.write(
                _("Warning: the capture %(path)s is missing from the storage.") % {"path": path}
            )
        for path in summary.mismatched:
            self.stderr.write(
                _("Warning: the capture %(path)s does not match the SHA-256 recorded for it.")
                % {"path": path}
            )

    def _documents(self, options: dict[str, Any]) -> QuerySet[Document]:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                self._fail(_("There is no user “%(user)s”.") % {"user": options["user"]})
        if options["document"] is not None:
            pk = options["document"]
            if user is not None:
                try:
                    selectors.document_get(user, pk)
                except Http404:
                    self._fail(_("There is no document %(id)s.") % {"id": pk})
                return selectors.documents_for(user).filter(pk=pk)
            if not Document.objects.filter(pk=pk).exists():
                self._fail(_("There is no document %(id)s.") % {"id": pk})
            return Document.objects.filter(pk=pk)
        slug = options["project"]
        if user is not None:
            try:
                project = selectors.project_get(user, slug)
            except Http404:
                self._fail(_("There is no project “%(slug)s”.") % {"slug": slug})
            return selectors.documents_for(user).filter(project=project)
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            self._fail(_("There is no project “%(slug)s”.") % {"slug": slug})
        return Document.objects.filter(project=project)

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=EXIT_BAD_INPUT)

    def _write_stdout(self, chunks: Any) -> None:
        # Bytes where possible, so that the output is UTF-8 whatever the locale says.
        binary = getattr(self.stdout, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk.encode("utf-8"))
            else:
                self.stdout.write(chunk, ending="")
        if binary is not None:
            binary.flush()

    def _write_file(self, path: Path, write: Callable[[IO[bytes]], None]) -> None:
        # Into a temporary file next to the target, renamed at the end: a failed export
        # never leaves half a file where a complete one is expected.
        directory = path.resolve().parent
        if not directory.is_dir():
            self._fail(_("Cannot write %(path)s: no such directory.") % {"path": path})
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".export-", suffix=".part")
        try:
            # mkstemp makes the file private; the export gets the usual permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            with os.fdopen(handle, "wb") as output:
                write(output)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _write_text(output: IO[bytes], chunks: Iterable[str]) -> None:
    for chunk in chunks:
        output.write(chunk.encode("utf-8"))
