"""Bringing texts in as documents and cutting them into claims."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Document, Project, Role
from .claims import claims_replace_from_extraction
from .errors import ValidationError
from .permissions import require_role

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
    require_role(actor, project, Role.REVIEWER)
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
        from ..tasks import process_document

        transaction.on_commit(lambda: process_document.delay(document.pk))
    return document


def document_process(*, document_id: int) -> Document:
    """Cut the document into claims. Safe to run twice: a ready document is left alone."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status == Document.Status.READY:
            return document
        document.status = Document.Status.PROCESSING
        document.save(update_fields=["status"])
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().get(pk=document_id)
            language = claims_replace_from_extraction(document=document)
            document.language = document.language or language
            document.status = Document.Status.READY
            document.status_message = ""
            document.save(update_fields=["status", "status_message", "language"])
    except Exception as exc:
        logger.exception("Cutting document %s into claims failed", document_id)
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.FAILED, status_message=str(exc)[:2000]
        )
        raise
    return document
