"""Celery tasks: thin wrappers that receive ids, re-read state and call services."""

from __future__ import annotations

from celery import shared_task

from .models import Document
from .services.documents import document_process


@shared_task(name="annotations.process_document")
def process_document(document_id: int) -> None:
    if not Document.objects.filter(pk=document_id).exists():
        return  # deleted before the worker got to it
    document_process(document_id=document_id)
