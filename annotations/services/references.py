"""Importing other fact-checkers' reviews (ClaimReview JSON-LD) into a project's reference
archive, from a file or from a page or feed fetched by the safe fetcher.

Accepted: a ClaimReview object, a list of them, an ``@graph``, a DataFeed whose elements
hold them, or an HTML page with ``<script type="application/ld+json">`` blocks. Each item
is checked before anything is written; one bad item refuses the whole import with a
message per item, so that nothing is half-imported. Importing the same review again
updates it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..fetch_config import fetch_config_from_settings
from ..fetch_messages import fetch_message
from ..fetching.client import fetch
from ..fetching.errors import FetchError
from ..matching.ranking import guess_language, prepare
from ..models import Project, ReferenceReview, Role
from .errors import ValidationError
from .permissions import role_require

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_ITEMS = 10_000
_CONTENT_TYPES = ("application/ld+json", "application/json", "text/html", "application/xhtml+xml")
_LD_JSON = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)


@dataclasses.dataclass(frozen=True)
class ImportResult:
    count: int
    created: int
    updated: int


def _is_claim_review(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "ClaimReview" in kinds


def _walk(node: Any) -> Iterator[dict]:
    """Every ClaimReview in a JSON-LD document, in document order."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        if _is_claim_review(node):
            yield node
            return
        for key in ("@graph", "dataFeedElement", "item", "itemListElement", "mainEntity"):
            if key in node:
                yield from _walk(node[key])


def references_parse(raw: bytes) -> list[Any]:
    """The JSON-LD documents in ``raw``: one JSON document, or the blocks of an HTML page."""
    text = raw.decode("utf-8-sig", errors="replace").strip()
    if not text:
        raise ValidationError({"file": _("The file is empty.")})
    if text[0] in "[{":
        try:
            return [json.loads(text)]
        except json.JSONDecodeError as error:
            raise ValidationError(
                {
                    "file": _("The file is not valid JSON (line %(line)s): %(error)s")
                    % {"line": error.lineno, "error": error.msg}
                }
            ) from None
    documents = []
    for index, block in enumerate(_LD_JSON.findall(text), start=1):
        try:
            documents.append(json.loads(block))
        except json.JSONDecodeError as error:
            raise ValidationError(
                {
                    "file": _("JSON-LD block %(index)s of the page is not valid JSON: %(error)s")
                    % {"index": index, "error": error.msg}
                }
            ) from None
    if not documents:
        raise ValidationError({"file": _("Neither JSON nor a page with JSON-LD in it.")})
    return documents


def _name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    moment = parse_datetime(value) if "T" in value else None
    if moment is not None:
        return moment.date()
    try:
        return parse_date(value[:10])
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _web_address(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    value = value.strip()
    parts = urlsplit(value)
    return (
        value if parts.scheme in ("http", "https") and parts.netloc and len(value) <= 2000 else ""
    )


def _language(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return value.strip()[:2].lower() if isinstance(value, str) else ""


def reference_read(item: dict) -> tuple[dict, list[str]]:
    """The fields of one ClaimReview, and what is wrong with it (empty when nothing)."""
    errors: list[str] = []
    claim = item.get("claimReviewed")
    claim = claim.strip() if isinstance(claim, str) else ""
    if not claim:
        errors.append(_("claimReviewed (the claim) is missing."))
    url = _web_address(item.get("url"))
    if not url:
        errors.append(_("url (the review's address) is missing or not a web address."))
    rating = item.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    rating = rating if isinstance(rating, dict) else {}
    label = rating.get("alternateName") or rating.get("name")
    label = label.strip() if isinstance(label, str) else ""
    if not label:
        errors.append(_("reviewRating.alternateName (the rating) is missing."))
    review_author = item.get("author") or item.get("publisher")
    review_author = (
        review_author[0] if isinstance(review_author, list) and review_author else review_author
    )
    review_author = review_author if isinstance(review_author, dict) else {}
    publisher = _name(item.get("author")) or _name(item.get("publisher"))
    if not publisher:
        errors.append(_("author.name (who published the review) is missing."))
    if item.get("datePublished") and _date(item.get("datePublished")) is None:
        errors.append(_("datePublished is not a date."))
    reviewed = item.get("itemReviewed")
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    author = reviewed.get("author")
    author = author[0] if isinstance(author, list) and author else author
    fields = {
        "claim_text": claim,
        "url": url,
        "rating_label": label[:300],
        "rating_value": _number(rating.get("ratingValue")),
        "best_rating": _number(rating.get("bestRating")),
        "worst_rating": _number(rating.get("worstRating")),
        "publisher": publisher[:300],
        "publisher_url": _web_address(review_author.get("url")),
        "claim_author": _name(author)[:300],
        "claim_date": _date(reviewed.get("datePublished")),
        "date_published": _date(item.get("datePublished")),
        "language": _language(item.get("inLanguage")) or guess_language(claim),
    }
    return fields, errors


def match_terms(text: str, language: str) -> str:
    prepared = prepare(text, language or None)
    return " " + " ".join(sorted(prepared.weights)) + " "


@transaction.atomic
def references_import(
    *, project: Project, actor: AbstractBaseUser | None, raw: bytes
) -> ImportResult:
    """Import every ClaimReview in ``raw`` into the project's reference archive (editor+):
    all of them, or, if any is invalid, none, with a message per bad item."""
    role_require(actor, project, Role.EDITOR)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is too large.")})
    items = [item for document in references_parse(raw) for item in _walk(document)]
    if not items:
        raise ValidationError({"file": _("No ClaimReview found in it.")})
    if len(items) > MAX_ITEMS:
        raise ValidationError(
            {"file": _("More than %(max)s reviews at once; split the file.") % {"max": MAX_ITEMS}}
        )
    read = [reference_read(item) for item in items]
    problems = [
        _("Review %(number)s: %(errors)s") % {"number": number, "errors": " ".join(errors)}
        for number, (_fields, errors) in enumerate(read, start=1)
        if errors
    ]
    if problems:
        raise ValidationError({"items": problems})
    created = updated = 0
    for fields, _errors in read:
        digest = hashlib.sha256(fields["claim_text"].encode("utf-8")).hexdigest()
        fields["match_terms"] = match_terms(fields["claim_text"], fields["language"])
        _reference, was_created = ReferenceReview.objects.update_or_create(
            project=project,
            url=fields["url"],
            claim_sha256=digest,
            defaults={**fields, "imported_by": actor},
        )
        created += was_created
        updated += not was_created
    return ImportResult(count=len(read), created=created, updated=updated)


def references_import_url(
    *, project: Project, actor: AbstractBaseUser | None, url: str
) -> ImportResult:
    """Fetch a fact-checker's page or feed with the safe fetcher and import its reviews."""
    role_require(actor, project, Role.EDITOR)
    config = dataclasses.replace(
        fetch_config_from_settings(),
        allowed_content_types=_CONTENT_TYPES,
        max_bytes=MAX_IMPORT_BYTES,
    )
    try:
        result = fetch(url, config)
    except FetchError as error:
        # Said in the reader's language from the fetcher's code, as on a source's card.
        raise ValidationError(
            {"url": fetch_message(error.code, error.params, str(error))}
        ) from None
    return references_import(project=project, actor=actor, raw=result.body)
