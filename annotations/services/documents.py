"""Bringing texts in as documents and cutting them into claims."""

from __future__ import annotations

import html
import logging
import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..extraction import TextDecodeError, decode_text, guess_format, to_plain_text
from ..fetch_config import fetch_config_from_settings, pdf_limits_from_settings
from ..fetching.client import fetch
from ..fetching.errors import FetchError
from ..fetching.page import extract_page
from ..fetching.pdf import PdfPage, UnreadablePdf, is_pdf, read_pdf
from ..models import AuthorType, Document, Project, Role
from .captures import capture_store
from .claims import claims_extract
from .errors import ValidationError
from .liveness import labels_of_gone_nodes, left_by_dead_process, node_of
from .permissions import role_require
from .queueing import message_send_after_commit, messages_lost, messages_send_after_commit
from .urls import url_clean

logger = logging.getLogger(__name__)


@transaction.atomic
def document_create(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    title: str,
    text: str,
    origin: str = Document.Origin.PASTED,
    source_format: str = Document.Format.TEXT,
    language: str = "",
    links: list[dict] | None = None,
    source_url: str = "",
    filename: str = "",
    author: str = "",
    process: bool | None = None,
) -> Document:
    """Store a document's plain text and cut it into claims.

    Short texts are cut at once so the caller gets claims back; long ones are cut by a
    worker after the transaction commits (``process`` forces either way).
    """
    role_require(actor, project, Role.REVIEWER)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("A document needs a title.")})
    if not text.strip():
        raise ValidationError({"text": _("The document has no text.")})
    if len(text) > settings.DOCUMENT_MAX_CHARS:
        raise ValidationError(
            {
                "text": _(
                    "The text has %(size)s characters; the limit is %(limit)s. "
                    "Split it into several documents."
                )
                % {"size": len(text), "limit": settings.DOCUMENT_MAX_CHARS}
            }
        )
    document = Document.objects.create(
        project=project,
        title=title[:500],
        text=text,
        language=language,
        origin=origin,
        source_format=source_format,
        links=links or [],
        source_url=source_url,
        filename=filename,
        author=author,
        created_by=actor,
    )
    if process is None:
        process = len(text) <= settings.DOCUMENT_SYNC_MAX_CHARS
    if process:
        document_process(document_id=document.pk)
        document.refresh_from_db()
    else:
        message_send_after_commit("process_document", Document, document.pk)
    return document


def _mark_processing(document: Document, worker: str) -> None:
    document.status = Document.Status.PROCESSING
    document.processing_started_at = timezone.now()
    document.processing_worker = worker
    document.save(update_fields=["status", "processing_started_at", "processing_worker"])


def document_process(*, document_id: int, worker: str = "") -> Document:
    """Cut the document into claims. Safe to run twice: a ready document is left alone.
    ``worker``: the label of the worker process doing it (``liveness.worker_label``)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status == Document.Status.READY:
            return document
        _mark_processing(document, worker)
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            language = claims_extract(document=document)
            document.language = document.language or language
            document.status = Document.Status.READY
            document.status_message = ""
            document.status_code = ""
            document.status_params = {}
            # Set with the ready state, so that the page that sees it ready also knows
            # its marks are on their way.
            document.matching_queued_at = timezone.now()
            document.save(
                update_fields=[
                    "status",
                    "status_message",
                    "status_code",
                    "status_params",
                    "language",
                    "matching_queued_at",
                ]
            )
            transaction.on_commit(lambda: _queue_matching(document_id))
    except Exception as exc:
        logger.exception("Cutting document %s into claims failed", document_id)
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.FAILED,
            status_message=str(exc)[:2000],
            status_code="processing_failed",
            status_params={},
        )
        raise
    return document


def _queue_matching(document_id: int) -> None:
    """Match the new claims against the archive in the background ("checked before?").
    A broker that is down costs the marks on the document page, not the document."""
    from ..tasks import match_document

    try:
        match_document.delay(document_id)
    except Exception:
        logger.warning("Could not queue matching of document %s", document_id, exc_info=True)
        Document.objects.filter(pk=document_id).update(matching_queued_at=None)


def document_create_from_markup(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    title: str,
    content: str,
    source_format: str = Document.Format.TEXT,
    origin: str = Document.Origin.PASTED,
    filename: str = "",
    language: str = "",
    author: str = "",
    process: bool | None = None,
) -> Document:
    """Store text, Markdown or HTML as plain text; its links become candidate sources."""
    if source_format not in Document.Format.values:
        raise ValidationError({"format": _("Format must be text, markdown or html.")})
    plain = to_plain_text(content, source_format)
    return document_create(
        project=project,
        actor=actor,
        title=title,
        text=plain.text,
        origin=origin,
        source_format=source_format,
        links=plain.links,
        filename=filename,
        language=language,
        author=author,
        process=process,
    )


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$", re.MULTILINE)
_SETEXT_HEADING = re.compile(r"^(?P<text>[^\n]*\S[^\n]*)\n[ \t]*(?:=+|-+)[ \t]*$", re.MULTILINE)
_HTML_HEADING = re.compile(r"<(?P<tag>title|h1)\b[^>]*>(?P<text>.*?)</(?P=tag)\s*>", re.I | re.S)


def heading_of(content: str, source_format: str) -> str:
    """The title a file gives itself: a Markdown file's first heading, an HTML file's
    <title> or first <h1>; empty for plain text or when there is none."""
    if source_format == Document.Format.MARKDOWN:
        matches = (_MARKDOWN_HEADING.search(content), _SETEXT_HEADING.search(content))
        found = [match for match in matches if match]
        if not found:
            return ""
        text = min(found, key=lambda m: m.start()).group("text")
        # Inline markup of the heading (emphasis, code, links) is not part of the title.
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        return " ".join(text.replace("*", "").replace("`", "").split())[:500]
    if source_format == Document.Format.HTML:
        match = _HTML_HEADING.search(content)
        if match:
            text = html.unescape(re.sub(r"<[^>]+>", "", match.group("text")))
            return " ".join(text.split())[:500]
    return ""


def document_create_from_upload(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    data: bytes,
    filename: str,
    title: str = "",
    encoding: str | None = None,
    language: str = "",
    process: bool | None = None,
) -> Document:
    """Store an uploaded .txt, .md, .html or .pdf file."""
    if len(data) > settings.DOCUMENT_MAX_CHARS * 4:
        raise ValidationError({"file": _("The file is too large.")})
    if is_pdf(data) or filename.lower().endswith(".pdf"):
        try:
            pdf = read_pdf(data, pdf_limits_from_settings())
        except UnreadablePdf as error:
            raise ValidationError({"file": pdf_failure_message(error)}) from error
        return document_create(
            project=project,
            actor=actor,
            title=title or pdf.title or filename.rsplit("/", 1)[-1] or _("Uploaded file"),
            text=pdf.text,
            origin=Document.Origin.FILE,
            source_format=Document.Format.PDF,
            filename=filename[:255],
            language=language,
            author=pdf.author or "",
            process=process,
        )
    try:
        content = decode_text(data, encoding)
    except TextDecodeError as error:
        raise ValidationError({"file": _file_decode_message(error)}) from error
    source_format = guess_format(filename, content)
    return document_create_from_markup(
        project=project,
        actor=actor,
        title=title
        or heading_of(content, source_format)
        or filename.rsplit("/", 1)[-1]
        or _("Uploaded file"),
        content=content,
        source_format=source_format,
        origin=Document.Origin.FILE,
        filename=filename[:255],
        language=language,
        process=process,
    )


def pdf_failure_message(error: UnreadablePdf) -> str:
    """Why a PDF cannot be read, in the reader's language."""
    messages = {
        "pdf_encrypted": _("The PDF is encrypted: it cannot be read without its password."),
        "pdf_no_text": _(
            "The PDF has no text layer (it may be a scan); recognise its text (OCR) first."
        ),
        "pdf_too_many_pages": _("The PDF has more pages than allowed."),
        "pdf_too_long": _("The PDF's text is longer than the document limit."),
        "pdf_too_complex": _("The PDF's objects are nested too deeply to read."),
        "pdf_memory": _("Reading the PDF needed more memory or time than allowed."),
        "pdf_timeout": _("Reading the PDF took longer than allowed."),
    }
    return messages.get(error.code, _("The file is not a readable PDF."))


@transaction.atomic
def document_create_from_url(
    *, project: Project, actor: AbstractBaseUser | None, url: str, title: str = ""
) -> Document:
    """Make a document of a web page's main text; a worker fetches it after commit."""
    role_require(actor, project, Role.REVIEWER)
    url = url_clean(url)
    document = Document.objects.create(
        project=project,
        title=(title.strip() or url)[:500],
        origin=Document.Origin.URL,
        source_format=Document.Format.HTML,
        source_url=url,
        created_by=actor,
    )
    message_send_after_commit("import_document_url", Document, document.pk)
    return document


def document_fetch_url(*, document_id: int, worker: str = "") -> Document | None:
    """Fetch the page behind a URL document, store its main text and cut it into claims."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        # Its pool process may have been killed, and the parent sent the message back.
        taken_over = document.status == Document.Status.PROCESSING and left_by_dead_process(
            document.processing_worker, node=node_of(worker)
        )
        if (document.status != Document.Status.PENDING and not taken_over) or document.text:
            return None
        _mark_processing(document, worker)
    try:
        result = fetch(document.source_url, fetch_config_from_settings())
        page = extract_page(result, pdf_limits=pdf_limits_from_settings())
        if not page.text.strip():
            raise FetchError("The page has no readable text.", code="no_text")
        if len(page.text) > settings.DOCUMENT_MAX_CHARS:
            raise FetchError(
                "The page's text is longer than the document limit.", code="text_too_long"
            )
        capture = capture_store(
            result=result, captured_at=timezone.now(), name=f"documents/{document_id}/version-1"
        )
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            document.capture = capture.name
            document.capture_sha256 = capture.sha256
            document.text = page.text
            if isinstance(page, PdfPage):
                document.source_format = Document.Format.PDF
            document.author = document.author or (page.author or "")[:300]
            if document.title == document.source_url and page.title:
                document.title = page.title[:500]
            document.status = Document.Status.PENDING
            document.save()
    except Exception as error:
        known = isinstance(error, FetchError)
        if not known:
            # A bug or a refused write must not leave the document stuck in "processing".
            logger.exception("Making document %s from its URL failed", document_id)
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.FAILED,
            status_message=str(error)[:2000],
            status_code=error.code if known else "unexpected",
            status_params=error.params if known else {},
        )
        return None
    return document_process(document_id=document_id, worker=worker)


@transaction.atomic
def document_retry_import(*, document: Document, actor: AbstractBaseUser | None) -> Document:
    """Fetch a web page whose import failed once more (the page may be back, the address
    allowed now); a worker fetches it after the transaction commits."""
    role_require(actor, document.project, Role.REVIEWER)
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.origin != Document.Origin.URL or current.status != Document.Status.FAILED:
        raise ValidationError(_("Only a web page whose import failed can be fetched again."))
    current.status, current.status_message = Document.Status.PENDING, ""
    current.status_code, current.status_params, current.queued_at = "", {}, None
    current.save(
        update_fields=["status", "status_message", "status_code", "status_params", "queued_at"]
    )
    # The page came in and cutting it failed: cut it again; else fetch it again.
    task = "process_document" if current.text else "import_document_url"
    message_send_after_commit(task, Document, current.pk)
    return current


@transaction.atomic
def document_update_metadata(
    *,
    document: Document,
    actor: AbstractBaseUser | None,
    title: str,
    author: str = "",
    source_url: str = "",
    published_on: date | None = None,
    author_type: str = "",
) -> Document:
    """Correct what is known about a document (editor+); its text never changes.

    ``author_type`` (Person or Organization, empty to guess) types the author in the
    ClaimReview of its published claims."""
    role_require(actor, document.project, Role.EDITOR)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("A document needs a title.")})
    current = Document.objects.select_for_update().get(pk=document.pk)
    current.title = title[:500]
    current.author = author.strip()[:300]
    try:
        current.source_url = url_clean(source_url) if source_url.strip() else ""
    except ValidationError as error:
        raise ValidationError({"source_url": error.messages}) from error
    current.published_on = published_on
    if author_type not in ("", *AuthorType.values):
        raise ValidationError({"author_type": _("Choose a person or an organisation.")})
    current.author_type = author_type
    current._history_user = actor
    current.save(update_fields=["title", "author", "source_url", "published_on", "author_type"])
    return current


def documents_sweep_stuck(*, epoch: datetime | None = None) -> int:
    """Queue again documents whose message the broker never got or lost, and those whose
    worker died while cutting or fetching them. ``epoch``: since when the queue is whole."""
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        abandoned = list(
            Document.objects.select_for_update(skip_locked=True)
            .filter(status=Document.Status.PROCESSING, processing_started_at__lt=stale)
            .values_list("pk", flat=True)[:_SWEEP_BATCH]
        )
        # Back to pending, so that the task starts them again as new.
        Document.objects.filter(pk__in=abandoned).update(
            status=Document.Status.PENDING, queued_at=None
        )
    lost = Document.objects.filter(status=Document.Status.PENDING).filter(
        messages_lost(epoch=epoch, waiting_since="created_at")
    )
    resent = _send_work(set(lost.values_list("pk", flat=True)[:_SWEEP_BATCH]) | set(abandoned))
    return resent + documents_take_back_from_gone_workers()


def documents_take_back_from_worker(*, worker: str, started_at: datetime) -> int:
    """Start again the documents a worker was cutting or fetching when it was killed, as it
    starts anew under the same node name (see ``sources_take_back_from_worker``)."""
    if not worker:
        return 0
    return _take_back(
        Q(processing_worker__startswith=f"{worker}/", processing_started_at__lt=started_at)
    )


def documents_take_back_from_gone_workers() -> int:
    """Start again the documents of workers that stopped telling Redis they are alive."""
    processing = Document.objects.filter(status=Document.Status.PROCESSING)
    labels = labels_of_gone_nodes(
        processing, label="processing_worker", started="processing_started_at"
    )
    return _take_back(Q(processing_worker__in=labels)) if labels else 0


def _take_back(which: Q) -> int:
    with transaction.atomic():
        ids = list(
            Document.objects.select_for_update(skip_locked=True)
            .filter(which, status=Document.Status.PROCESSING)
            .values_list("pk", flat=True)[:_SWEEP_BATCH]
        )
        Document.objects.filter(pk__in=ids).update(
            status=Document.Status.PENDING, queued_at=None, processing_worker=""
        )
        return _send_work(set(ids))


def _send_work(ids: set[int]) -> int:
    """Queue each document's next step once the transaction commits: the page of a URL
    document not fetched yet, or the cut into claims."""
    imports = sorted(
        Document.objects.filter(pk__in=ids, origin=Document.Origin.URL, text="").values_list(
            "pk", flat=True
        )
    )
    cuts = sorted(ids - set(imports))
    messages_send_after_commit(
        [("import_document_url", Document, imports), ("process_document", Document, cuts)]
    )
    return len(imports) + len(cuts)


_SWEEP_BATCH = 1000


def _file_decode_message(error: TextDecodeError) -> str:
    """Why an uploaded file is not text, in the reader's language and with advice for
    someone uploading a file (the command line's own words speak of its options)."""
    if error.reason == "empty":
        return _("The file is empty.")
    if error.reason == "binary":
        return _(
            "The file looks like a binary file, not text: upload plain text, Markdown, HTML or PDF."
        )
    if error.reason == "utf-16":
        return _("The file is in the UTF-16 encoding: save it as UTF-8 and upload it again.")
    if error.reason == "cp1251":
        return _(
            "The file is not in UTF-8; it looks like Windows-1251 (Cyrillic) text: save it "
            "as UTF-8 and upload it again."
        )
    if error.reason == "unknown-encoding":
        return _("Unknown encoding %(encoding)s.") % {"encoding": error.encoding}
    if error.encoding:
        return _("The file is not valid %(encoding)s text.") % {"encoding": error.encoding}
    return _("The file is not valid UTF-8 text: save it as UTF-8 and upload it again.")
