"""Claims: storing what the extractor cut, and reviewers' corrections of the cut."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..extraction import extract_claims
from ..models import Claim, Comment, Document, Role, Source, SourceOrigin, Verdict
from .claim_rows import claims_insert_extracted, claims_record_creation_history
from .errors import Conflict, ValidationError
from .permissions import role_require
from .progress import document_progress_refresh
from .sources import source_fetch_enqueue


def claims_extract(*, document: Document) -> str:
    """Cut the document into claims and store them (with candidate sources from its links).

    This is the one place the extractor plugs into storage. Returns the detected language.
    """
    extracted = extract_claims(document.text, language=document.language or None)
    with transaction.atomic():
        document.claims.all().delete()
        claims_insert_extracted(document, extracted)
        claims_record_creation_history(document)
        document_progress_refresh(document_ids=[document.pk])
        if document.links and extracted:
            _candidate_sources(document)
    languages = {item.language for item in extracted if getattr(item, "language", None)}
    if len(languages) == 1:
        return languages.pop()
    return "mixed" if languages else ""


def _candidate_sources(document: Document) -> None:
    # Claims are sorted and disjoint, so each link falls in at most one of them.
    claims = list(document.claims.order_by("start").values_list("pk", "start", "end"))
    starts = [start for _pk, start, _end in claims]
    sources = []
    seen: set[tuple[int, str]] = set()
    for link in document.links:
        index = bisect_right(starts, link["start"]) - 1
        if index < 0 or link["start"] >= claims[index][2]:
            continue
        claim_id = claims[index][0]
        if (claim_id, link["url"]) in seen:
            continue
        seen.add((claim_id, link["url"]))
        sources.append(
            Source(
                claim_id=claim_id,
                url=link["url"][:2000],
                title=(link.get("text") or "")[:500],
                origin=SourceOrigin.DOCUMENT_LINK,
            )
        )
    created = bulk_create_with_history(sources, Source)
    # Links in the text are fetched like any cited source, once the document is stored.
    for source in created:
        source_fetch_enqueue(source.pk)


# --- Reviewers correct the cut --------------------------------------------------------

_SHIFT = 1_000_000_000  # larger than any position, so shifted rows never collide


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# A dash that joins two parts of a sentence belongs to neither once it is cut there.
_DASHES = frozenset("—–‒")


def _is_joining_dash(text: str, index: int) -> bool:
    char = text[index]
    if char in _DASHES:
        return True
    # A hyphen set between spaces stands for a dash; inside a word it is the word's.
    return char == "-" and (index == 0 or text[index - 1].isspace())


def _trimmed_part(text: str, start: int, end: int, *, cut_at_end: bool) -> tuple[int, int]:
    """A part of a split claim without the spaces and the dash at the cut."""
    start, end = _trimmed(text, start, end)
    if cut_at_end:
        while end > start and (_is_joining_dash(text, end - 1) or text[end - 1].isspace()):
            end -= 1
    else:
        while start < end and (_is_joining_dash(text, start) or text[start].isspace()):
            start += 1
    return start, end


def _locked_claim(claim: Claim, expected_version: int | None) -> Claim:
    fresh = Claim.objects.select_for_update().select_related("document__project").get(pk=claim.pk)
    if fresh.deleted_at is not None:
        raise ValidationError(_("The claim was deleted."))
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            _("Someone else changed this claim. Review their change and apply yours again."),
            current=fresh,
        )
    return fresh


def _rescore(document: Document, start: int, end: int) -> dict:
    """Kind, check-worthiness and features of a span a reviewer drew by hand."""
    text = document.text[start:end]
    found = extract_claims(
        text, language=document.language if document.language in ("ru", "en") else None
    )
    if len(found) != 1:
        return {}
    item = found[0]

    def shifted(items: list[dict]) -> list[dict]:
        return [
            {**entry, "start": entry["start"] + start, "end": entry["end"] + start}
            if "start" in entry
            else entry
            for entry in items
        ]

    return {
        "kind": item.kind,
        "extracted_kind": item.kind,
        "checkworthiness": round(float(item.checkworthiness), 4),
        "reasons": list(item.reasons),
        "entities": shifted(list(item.entities)),
        "dates": shifted(list(item.dates)),
        "quantities": shifted(list(item.quantities)),
        "attribution": (item.attribution or "")[:500],
    }


def _set_span(claim: Claim, start: int, end: int, actor: AbstractBaseUser | None) -> None:
    document = claim.document
    claim._history_user = actor  # simple-history records who made the change
    claim.start, claim.end = start, end
    claim.text = document.text[start:end]
    for field, value in _rescore(document, start, end).items():
        setattr(claim, field, value)
    claim.version += 1


def _insert_position_after(document: Document, position: int) -> int:
    following = Claim.objects.filter(document=document, position__gt=position)
    following.update(position=F("position") + _SHIFT)
    Claim.objects.filter(document=document, position__gt=_SHIFT).update(
        position=F("position") - _SHIFT + 1
    )
    return position + 1


def _neighbours(claim: Claim) -> tuple[Claim | None, Claim | None]:
    alive = Claim.objects.alive().filter(document_id=claim.document_id).exclude(pk=claim.pk)
    before = alive.filter(start__lt=claim.start).order_by("-start").first()
    after = alive.filter(start__gt=claim.start).order_by("start").first()
    return before, after


@transaction.atomic
def claim_split(
    *, claim: Claim, actor: AbstractBaseUser | None, at: int, expected_version: int | None = None
) -> tuple[Claim, Claim]:
    """Cut a claim in two at a document offset.

    The first part keeps the claim's identity, verdicts, comments and status; sources found
    as links in the text go with the part that contains the link, the others stay on the
    first part. The second part is a new, unreviewed claim.
    """
    claim = _locked_claim(claim, expected_version)
    role_require(actor, claim.document.project, Role.REVIEWER)
    text = claim.document.text
    refusal = ValidationError(
        {"at": _("Split inside the claim, so that both parts keep some text.")}
    )
    if not (claim.start < at < claim.end):
        raise refusal
    first = _trimmed_part(text, claim.start, at, cut_at_end=True)
    second = _trimmed_part(text, at, claim.end, cut_at_end=False)
    if first[0] == first[1] or second[0] == second[1]:
        raise refusal
    position = _insert_position_after(claim.document, claim.position)
    _set_span(claim, *first, actor)
    claim.save()
    new = Claim(document=claim.document, position=position, start=second[0], end=second[1])
    new.text = text[second[0] : second[1]]
    for field, value in _rescore(claim.document, *second).items():
        setattr(new, field, value)
    new._history_user = actor
    new.save()
    for link in claim.document.links:
        if second[0] <= link.get("start", -1) < second[1]:
            for source in claim.sources.filter(origin=SourceOrigin.DOCUMENT_LINK, url=link["url"]):
                source.claim = new
                source.save(update_fields=["claim", "updated_at"])
    document_progress_refresh(document_ids=[claim.document_id])
    return claim, new


def span_crosses_paragraph(text: str, start: int, end: int) -> bool:
    """Whether a line break lies between two offsets: claims of different paragraphs
    (or list items, or headings) are never merged."""
    return "\n" in text[start:end]


@dataclass(frozen=True)
class MergeUndo:
    """What a merge changed, so that it can be taken back: where the second claim
    started, and what moved from it onto the merged claim."""

    claim: int
    version: int
    at: int
    sources: list[int] = dataclass_field(default_factory=list)
    verdicts: list[int] = dataclass_field(default_factory=list)
    comments: list[int] = dataclass_field(default_factory=list)


@transaction.atomic
def claim_merge(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    expected_version: int | None = None,
) -> Claim:
    """Join a claim with the next claim of the document.

    The merged claim keeps the first claim's identity; the second's sources, verdicts and
    comments move onto it. Refused while one reviewer has verdicts on both, because
    keeping either would silently drop the other, and across paragraphs. The returned
    claim carries ``merge_undo`` (a ``MergeUndo``) for ``claim_unmerge``.
    """
    claim = _locked_claim(claim, expected_version)
    role_require(actor, claim.document.project, Role.REVIEWER)
    _before, following = _neighbours(claim)
    if following is None:
        raise ValidationError(_("This is the last claim of the document; nothing to merge with."))
    following = Claim.objects.select_for_update().get(pk=following.pk)
    if span_crosses_paragraph(claim.document.text, claim.end, following.start):
        raise ValidationError(
            _("The next claim is in another paragraph; claims are merged within a paragraph.")
        )
    shared = set(claim.verdicts.values_list("reviewer_id", flat=True)) & set(
        following.verdicts.values_list("reviewer_id", flat=True)
    )
    if shared:
        raise ValidationError(
            _("The same reviewer has verdicts on both claims; withdraw one of them first.")
        )
    moved: dict[str, list[int]] = {}
    for name in ("sources", "verdicts", "comments"):
        items = list(getattr(following, name).all())
        moved[name] = [item.pk for item in items]
        for item in items:
            item.claim = claim
            item.save()
    at = following.start
    following.delete()
    _set_span(claim, claim.start, following.end, actor)
    claim.save()
    document_progress_refresh(document_ids=[claim.document_id])
    claim.merge_undo = MergeUndo(claim=claim.pk, version=claim.version, at=at, **moved)
    return claim


@transaction.atomic
def claim_unmerge(*, claim: Claim, actor: AbstractBaseUser | None, undo: MergeUndo) -> Claim:
    """Take a merge back: cut the claim where the second claim began and move back onto
    the second part what came from it. Refused once the merged claim changed again."""
    if undo.claim != claim.pk:
        raise ValidationError(_("There is no merge of this claim to undo."))
    first, second = claim_split(claim=claim, actor=actor, at=undo.at, expected_version=undo.version)
    for model, ids in ((Source, undo.sources), (Verdict, undo.verdicts), (Comment, undo.comments)):
        for item in model.objects.filter(pk__in=ids, claim=first):
            item.claim = second
            item.save()
    return second


@transaction.atomic
def claim_move_boundary(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    start: int | None = None,
    end: int | None = None,
    expected_version: int | None = None,
) -> Claim:
    """Move a claim's start and/or end. Neighbours it now overlaps give the text up."""
    claim = _locked_claim(claim, expected_version)
    role_require(actor, claim.document.project, Role.REVIEWER)
    text = claim.document.text
    new_start = claim.start if start is None else start
    new_end = claim.end if end is None else end
    if not (0 <= new_start < new_end <= len(text)):
        raise ValidationError(
            _("The new boundaries must lie inside the document, start before end.")
        )
    new_start, new_end = _trimmed(text, new_start, new_end)
    if new_start == new_end:
        raise ValidationError(_("A claim cannot be only whitespace."))
    before, after = _neighbours(claim)
    alive = Claim.objects.alive().filter(document_id=claim.document_id).exclude(pk=claim.pk)
    swallowed = alive.filter(start__gte=new_start, end__lte=new_end)
    if swallowed.exists():
        raise ValidationError(_("The new span covers another claim whole; merge them instead."))
    for neighbour, cut in ((before, "end"), (after, "start")):
        if neighbour is None:
            continue
        n_start, n_end = neighbour.start, neighbour.end
        if cut == "end" and n_end > new_start:
            n_start, n_end = _trimmed(text, n_start, new_start)
        elif cut == "start" and n_start < new_end:
            n_start, n_end = _trimmed(text, new_end, n_end)
        else:
            continue
        if n_start >= n_end:
            raise ValidationError(
                _("The move would leave a neighbouring claim empty; merge them instead.")
            )
        neighbour = Claim.objects.select_for_update().get(pk=neighbour.pk)
        _set_span(neighbour, n_start, n_end, actor)
        neighbour.save()
    _set_span(claim, new_start, new_end, actor)
    claim.save()
    document_progress_refresh(document_ids=[claim.document_id])
    return claim
