"""Articles that change after publication: versions, re-anchoring, watching.

A document's text never changes. A new version of an article is a new document, linked
to the one it replaces, and the claims move onto it: each is re-anchored (see
``annotations.anchoring``) and keeps its id, so its sources, verdicts, comments and
history come along. A claim that was reworded moves with its new wording and is marked
edited after publication; one that vanished, or that could not be placed with enough
confidence, stays on the old version marked removed or unanchored, for a reviewer to
look at. Where each claim stood in each version is kept as ``ClaimAnchor`` rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import anchoring
from ..fetch_config import fetch_config_from_settings, pdf_limits_from_settings
from ..fetching.client import fetch
from ..fetching.errors import BlockedAddress, FetchError
from ..fetching.page import extract_page
from ..models import (
    AnchorState,
    Claim,
    ClaimAnchor,
    Document,
    Role,
    VersionSource,
    WatchState,
    text_sha256,
)
from .captures import CaptureError, StoredCapture, capture_discard, capture_store
from .errors import ValidationError
from .history import history_record_changes
from .permissions import role_require
from .progress import document_progress_refresh

logger = logging.getLogger(__name__)

_ANCHOR_STATES = {
    anchoring.KEPT: AnchorState.KEPT,
    anchoring.EDITED: AnchorState.EDITED,
    anchoring.UNANCHORED: AnchorState.UNANCHORED,
    anchoring.REMOVED: AnchorState.REMOVED,
}


@dataclass
class VersionOutcome:
    """What storing a new version did: the new document and how many claims went where."""

    document: Document
    counts: Counter = field(default_factory=Counter)


# Why a claim's history changed when it moved onto a new version (see history_reason).
REANCHORED_REASON = "Re-anchored onto version %(number)s of the document"


def anchor_min_confidence() -> float:
    return float(getattr(settings, "ANCHOR_MIN_CONFIDENCE", 0.75))


def document_add_version(
    *,
    document: Document,
    actor: AbstractBaseUser | None,
    text: str,
    source: str = VersionSource.PASTED,
    capture: StoredCapture | None = None,
) -> VersionOutcome:
    """Store ``text`` as the next version of ``document`` and re-anchor its claims.

    ``actor`` None is the watch itself (a worker). Refused when the document already has
    a newer version, is not ready, or the text is the same.
    """
    if actor is not None:
        role_require(actor, document.project, Role.REVIEWER)
    if not text.strip():
        raise ValidationError({"text": _("The new version has no text.")})
    if len(text) > settings.DOCUMENT_MAX_CHARS:
        raise ValidationError({"text": _("The new version is longer than the document limit.")})
    with transaction.atomic():
        old = Document.objects.select_for_update().get(pk=document.pk)
        if old.superseded_at is not None:
            raise ValidationError(
                {"text": _("This is not the latest version; add the new one to the latest.")}
            )
        if old.deleted_at is not None:
            raise ValidationError({"text": _("The document is in the trash.")})
        if old.status != Document.Status.READY:
            raise ValidationError({"text": _("The document is not ready yet.")})
        if old.sha256 == text_sha256(text):
            raise ValidationError({"text": _("The text is the same as this version's.")})
        now = timezone.now()
        new = Document.objects.create(
            project=old.project,
            title=old.title,
            language=old.language,
            origin=old.origin,
            source_format=old.source_format,
            source_url=old.source_url,
            filename=old.filename,
            author=old.author,
            published_on=old.published_on,
            text=text,
            status=Document.Status.READY,
            created_by=actor if actor is not None else old.created_by,
            previous_version=old,
            version_number=old.version_number + 1,
            version_source=source,
            watched=old.watched,
            watch_state=WatchState.CHANGED if source == VersionSource.FETCHED else "",
            watch_checked_at=now if source == VersionSource.FETCHED else None,
            capture=capture.name if capture else "",
            capture_sha256=capture.sha256 if capture else "",
        )
        Document.objects.filter(pk=old.pk).update(superseded_at=now, watched=False)
        counts = _move_claims(old, new, actor)
    return VersionOutcome(document=new, counts=counts)


def _move_claims(old: Document, new: Document, actor: AbstractBaseUser | None) -> Counter:
    claims = list(Claim.objects.filter(document=old).order_by("start", "pk"))
    anchors = anchoring.reanchor(
        old.text,
        new.text,
        [(claim.start, claim.end) for claim in claims],
        min_confidence=anchor_min_confidence(),
    )
    # Where every claim stood in the old version, unless an earlier move recorded it.
    recorded = set(ClaimAnchor.objects.filter(document=old).values_list("claim_id", flat=True))
    ClaimAnchor.objects.bulk_create(
        ClaimAnchor(
            claim=claim,
            document=old,
            start=claim.start,
            end=claim.end,
            text=claim.text,
            state=claim.anchor_state,
            confidence=claim.anchor_confidence,
        )
        for claim in claims
        if claim.pk not in recorded
    )
    counts: Counter = Counter()
    moved: list[Claim] = []
    stayed: list[Claim] = []
    new_anchors: list[ClaimAnchor] = []
    for claim, anchor in zip(claims, anchors, strict=True):
        state = _ANCHOR_STATES[anchor.state]
        counts[state] += 1
        new_anchors.append(
            ClaimAnchor(
                claim=claim,
                document=new,
                start=anchor.start,
                end=anchor.end,
                text=anchor.text if anchor.anchored else claim.text,
                state=state,
                confidence=anchor.confidence,
                method=anchor.method,
            )
        )
        claim.anchor_state = state
        claim.anchor_confidence = anchor.confidence
        if anchor.anchored:
            if anchor.text != claim.text:
                # The wording first seen is what was checked; keep it through later edits.
                claim.text_before_edit = claim.text_before_edit or claim.text
            claim.document = new
            claim.start, claim.end, claim.text = anchor.start, anchor.end, anchor.text
            moved.append(claim)
        else:
            stayed.append(claim)
    moved.sort(key=lambda claim: claim.start)
    for position, claim in enumerate(moved, start=1):
        claim.position = position
    fields = ["anchor_state", "anchor_confidence", "updated_at"]
    now = timezone.now()
    for claim in moved + stayed:
        claim.updated_at = now
    Claim.objects.bulk_update(
        moved, [*fields, "document", "position", "start", "end", "text", "text_before_edit"]
    )
    Claim.objects.bulk_update(stayed, fields)
    # Anyone editing a claim from the old version must reload it first.
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(version=F("version") + 1)
    ClaimAnchor.objects.bulk_create(new_anchors)
    document_progress_refresh(document_ids=[old.pk, new.pk])
    changed = list(Claim.objects.filter(pk__in=[claim.pk for claim in claims]))
    history_record_changes(
        changed,
        actor=actor,
        # Kept in English, the one phrase the history shows in each reader's language.
        reason=REANCHORED_REASON % {"number": new.version_number},
    )
    return counts


@transaction.atomic
def claim_place(*, claim: Claim, actor: AbstractBaseUser | None, start: int, end: int) -> Claim:
    """Place a claim left behind (unanchored or removed) on the document's latest version."""
    old = claim.document
    role_require(actor, old.project, Role.REVIEWER)
    latest = document_latest_version(old)
    if claim.anchor_state not in (AnchorState.UNANCHORED, AnchorState.REMOVED):
        raise ValidationError({"start": _("This claim is already placed in the document.")})
    if latest.pk == old.pk:
        raise ValidationError({"start": _("The claim is already on the latest version.")})
    start, end = _trim(latest.text, start, end)
    if not 0 <= start < end <= len(latest.text):
        raise ValidationError({"start": _("Choose a passage of the latest version.")})
    if (
        Claim.objects.filter(document=latest, start__lt=end, end__gt=start)
        .exclude(pk=claim.pk)
        .exists()
    ):
        raise ValidationError({"start": _("Another claim already covers this passage.")})
    text = latest.text[start:end]
    position = (
        Claim.objects.filter(document=latest)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    ) + 1
    ClaimAnchor.objects.update_or_create(
        claim=claim,
        document=latest,
        defaults={
            "start": start,
            "end": end,
            "text": text,
            "state": AnchorState.EDITED if text != claim.text else AnchorState.KEPT,
            "confidence": 1.0,
            "method": "reviewer",
        },
    )
    Claim.objects.filter(pk=claim.pk).update(
        document=latest,
        position=position,
        start=start,
        end=end,
        text=text,
        text_before_edit=claim.text_before_edit or (claim.text if text != claim.text else ""),
        anchor_state=AnchorState.EDITED if text != claim.text else AnchorState.KEPT,
        anchor_confidence=1.0,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    document_progress_refresh(document_ids=[claim.document_id, latest.pk])
    claim.refresh_from_db()
    # Kept in English, the one phrase the history shows in each reader's language.
    history_record_changes(
        [claim], actor=actor, reason="Placed on the latest version by a reviewer"
    )
    return claim


def document_latest_version(document: Document) -> Document:
    """The newest version of the article ``document`` is a version of."""
    latest = document
    while True:
        following = Document.objects.filter(previous_version=latest).first()
        if following is None:
            return latest
        latest = following


def document_versions(document: Document) -> list[Document]:
    """Every version of the article, oldest first."""
    versions = [document]
    while versions[0].previous_version_id is not None:
        versions.insert(0, Document.objects.get(pk=versions[0].previous_version_id))
    following = Document.objects.filter(previous_version=versions[-1]).first()
    while following is not None:
        versions.append(following)
        following = Document.objects.filter(previous_version=following).first()
    return versions


@transaction.atomic
def document_set_watched(
    *, document: Document, actor: AbstractBaseUser | None, watched: bool
) -> Document:
    """Start or stop watching a document imported from an address."""
    role_require(actor, document.project, Role.REVIEWER)
    if watched and not document.source_url:
        raise ValidationError(
            {"watched": _("Only a document imported from an address can be watched.")}
        )
    if document.superseded_at is not None:
        raise ValidationError({"watched": _("Watch the latest version of the document.")})
    Document.objects.filter(pk=document.pk).update(watched=watched)
    document.refresh_from_db()
    return document


def documents_due_for_check() -> list[int]:
    """Watched latest versions not checked within ``WATCH_INTERVAL_MINUTES``."""
    due = timezone.now() - timedelta(minutes=settings.WATCH_INTERVAL_MINUTES)
    return list(
        Document.objects.filter(
            watched=True,
            superseded_at__isnull=True,
            deleted_at__isnull=True,
            status=Document.Status.READY,
        )
        .exclude(watch_checked_at__gte=due)
        .order_by(F("watch_checked_at").asc(nulls_first=True))
        .values_list("pk", flat=True)[:500]
    )


def document_check_for_changes(*, document_id: int) -> str | None:
    """Fetch a watched document's address again; store a new version if its text changed.

    Returns the watch state, or None when there was nothing to do (not watched any more,
    or superseded meanwhile). A failed fetch keeps the current version and says why.
    """
    document = Document.objects.filter(
        pk=document_id, watched=True, superseded_at__isnull=True
    ).first()
    if document is None:
        return None
    try:
        result = fetch(document.source_url, fetch_config_from_settings())
        page = extract_page(result, pdf_limits=pdf_limits_from_settings())
        if not page.text.strip():
            raise FetchError("The page has no readable text any more.", code="no_text")
    except FetchError as error:
        state = WatchState.BLOCKED if isinstance(error, BlockedAddress) else WatchState.FAILED
        _record_check(document_id, state, str(error), code=error.code, params=error.params)
        return state
    if text_sha256(page.text) == document.sha256:
        _record_check(document_id, WatchState.UNCHANGED, "")
        return WatchState.UNCHANGED
    captured_at = timezone.now()
    try:
        capture = capture_store(
            result=result,
            captured_at=captured_at,
            name=f"documents/{document.pk}/version-{document.version_number + 1}",
        )
    except CaptureError as error:
        _record_check(document_id, WatchState.FAILED, str(error))
        return WatchState.FAILED
    try:
        document_add_version(
            document=document,
            actor=None,
            text=page.text,
            source=VersionSource.FETCHED,
            capture=capture,
        )
    except ValidationError as error:
        # Superseded or changed state meanwhile (another check got there first).
        capture_discard(capture.name)
        logger.info("Version of document %s not stored: %s", document_id, error)
        return None
    except Exception:
        capture_discard(capture.name)
        raise
    return WatchState.CHANGED


def _record_check(
    document_id: int, state: str, message: str, *, code: str = "", params: dict | None = None
) -> None:
    """The outcome of a check: the English text, and the fetcher's code and values that
    the page words in each reader's language."""
    Document.objects.filter(pk=document_id).update(
        watch_state=state,
        watch_message=message[:2000],
        watch_code=code,
        watch_params=params or {},
        watch_checked_at=timezone.now(),
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and start < len(text) and text[start].isspace():
        start += 1
    while end > start and end <= len(text) and text[end - 1].isspace():
        end -= 1
    return start, end
