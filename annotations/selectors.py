"""Reads scoped to what a user may see. Every view, API endpoint, export and command that
reads project data goes through here, so an id from another project is simply not found."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from .models import (
    ROLE_RANK,
    Claim,
    ClaimAnchor,
    ClaimStatus,
    Comment,
    Document,
    Membership,
    Project,
    Publication,
    Role,
    Snapshot,
    Source,
    Verdict,
)
from .rowsql import JoinedRowSQL, RowSQL
from .search import search_claims, search_documents  # noqa: F401 (read through here too)
from .services.history import HistoryEntry, HistoryKey, claim_history, history_after
from .services.permissions import role_of

User = AbstractBaseUser | AnonymousUser


def projects_for(user: User) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user)


def role_in(user: User, project: Project) -> str | None:
    """The user's role in the project (site superusers act as its admins), or None."""
    return role_of(user, project)


def project_get(user: User, slug: str) -> Project:
    try:
        return projects_for(user).get(slug=slug)
    except Project.DoesNotExist:
        raise Http404 from None


def documents_for(user: User) -> QuerySet[Document]:
    """The documents of the user's projects that are not in the trash."""
    return Document.objects.filter(project__in=projects_for(user), deleted_at__isnull=True)


def document_get(user: User, pk: int) -> Document:
    try:
        return documents_for(user).select_related("project").get(pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def claims_for(user: User) -> QuerySet[Claim]:
    return Claim.objects.alive().filter(
        document__project__in=projects_for(user), document__deleted_at__isnull=True
    )


# The orderings of a project's document list, each served by an index of Document.
DOCUMENT_ORDERINGS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "title": ("title", "id"),
    "claims": ("-claim_count", "-id"),
}


def documents_with_progress(project: Project, ordering: str = "newest") -> QuerySet[Document]:
    """The project's documents outside the trash, in one of ``DOCUMENT_ORDERINGS`` (newest
    first by default), without their text; each carries its review progress
    (``claim_count``, ``reviewed_count``, ``approved_count``, ``checkworthy_count``,
    ``checkworthy_reviewed``, kept by the services)."""
    order = DOCUMENT_ORDERINGS.get(ordering, DOCUMENT_ORDERINGS["newest"])
    # An article that changed is listed once, as its latest version.
    return (
        project.documents.filter(deleted_at__isnull=True, superseded_at__isnull=True)
        .defer("text", "links")
        .order_by(*order)
    )


@dataclass(frozen=True)
class Segment:
    """A stretch of document text, either plain or one claim."""

    text: str
    claim: Claim | None = None


def document_segments(document: Document) -> list[Segment]:
    """The document text cut into plain stretches and claims, in order, for display."""
    text = document.text
    segments: list[Segment] = []
    cursor = 0
    for claim in document.claims.alive().order_by("start"):
        if claim.start > cursor:
            segments.append(Segment(text[cursor : claim.start]))
        segments.append(Segment(text[claim.start : claim.end], claim))
        cursor = claim.end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


# --- Review: claims, verdicts, sources and comments -----------------------------------


def claim_get(user: User, pk: int) -> Claim:
    """A claim from one of the user's projects, not in the trash; otherwise 404."""
    try:
        return claims_for(user).select_related("document__project").get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _is_editor(user: User, project: Project) -> bool:
    role = role_in(user, project)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR]


# --- Blind review: the one visibility rule for verdicts --------------------------------
#
# Under blind review a reviewer (or viewer) sees the other reviewers' verdicts, and the
# claim's final verdict, only once they have given a verdict of their own on the claim
# (one not in the trash); editors and admins always see them all; without blind review
# every member does. A verdict in the trash is someone's withdrawn opinion: under blind
# review only its reviewer and the editors see it. Every read path (API, pages, history,
# filters, exports) decides through the functions below.


def verdicts_all_visible(user: User, project: Project | int, *, blind_review: bool) -> bool | None:
    """True when the user sees every verdict of the project's claims, False when they see
    a claim's verdicts only after giving their own, None when they are not a member."""
    return verdicts_all_visible_as(role_in(user, project), blind_review=blind_review)


def verdicts_all_visible_as(role: str | None, *, blind_review: bool) -> bool | None:
    """``verdicts_all_visible`` for a caller that has the user's role in the project."""
    if role is None:
        return None
    return not blind_review or ROLE_RANK[role] >= ROLE_RANK[Role.EDITOR]


def claims_showing_verdicts(user: User, claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """Those of ``claims`` whose verdicts and final verdict the user may see.

    For filters on verdicts (a claim list narrowed by final rating) and for exports: a
    filter on a hidden rating would tell it by what it lets through.
    """
    if not user.is_authenticated:
        return claims.none()
    if user.is_superuser:
        return claims
    editor = Membership.objects.filter(
        project_id=OuterRef("document__project_id"),
        user_id=user.pk,
        role__in=[Role.EDITOR, Role.ADMIN],
    )
    own = Verdict.objects.filter(
        claim_id=OuterRef("pk"), reviewer_id=user.pk, deleted_at__isnull=True
    )
    return claims.filter(Q(document__project__blind_review=False) | Exists(editor) | Exists(own))


def verdicts_shown(user: User, claim: Claim) -> bool:
    """Whether the user sees the claim's verdicts by others and its final verdict."""
    project = claim.document.project
    sees_all = verdicts_all_visible(user, project, blind_review=project.blind_review)
    if sees_all is None:
        return False
    return sees_all or claim.verdicts.filter(reviewer_id=user.pk, deleted_at__isnull=True).exists()


def claims_set_visible_final_verdict(
    user: User, claims: Sequence[Claim], *, role: str | None = None
) -> None:
    """Set ``visible_final_verdict`` on each claim: its final verdict, or None where the
    user may not see it. The claims come with their document's project; one query for
    the user's own verdicts at most, and one for their role per project unless ``role``
    gives it (all the claims in one project then)."""
    rules: dict[int, bool | None] = {}
    for claim in claims:
        project = claim.document.project
        if project.pk not in rules:
            known = role if role is not None else role_in(user, project)
            rules[project.pk] = verdicts_all_visible_as(known, blind_review=project.blind_review)
    judged = [claim.pk for claim in claims if rules[claim.document.project.pk] is False]
    own: set[int] = set()
    if judged:
        own = set(
            Verdict.objects.filter(
                claim_id__in=judged, reviewer_id=user.pk, deleted_at__isnull=True
            ).values_list("claim_id", flat=True)
        )
    for claim in claims:
        shown = rules[claim.document.project.pk] or claim.pk in own
        claim.visible_final_verdict = claim.final_verdict if shown else None


def export_scope(user: User, documents: QuerySet[Document]) -> dict[str, QuerySet]:
    """The arguments of an export of ``documents`` (already scoped) for the user: the
    documents whole when the user sees every verdict in them, otherwise only the claims
    whose verdicts the user may see, so that no hidden verdict leaves in a file."""
    projects = Project.objects.filter(pk__in=documents.values("project_id"))
    if all(
        verdicts_all_visible(user, project, blind_review=project.blind_review)
        for project in projects
    ):
        return {"documents": documents}
    claims = claims_showing_verdicts(user, claims_for(user).filter(document__in=documents))
    return {"documents": documents, "claims": claims}


def verdicts_visible_to(user: User, claim: Claim) -> QuerySet[Verdict]:
    """The claim's verdicts (not in the trash) that the user may see: all of them, or only
    their own (see the rule above). The caller has the claim from a scoped selector; a
    user outside the project sees nothing.
    """
    verdicts = (
        Verdict.objects.filter(claim=claim, deleted_at__isnull=True)
        .select_related("reviewer", "rating")
        .order_by("created_at", "pk")
    )
    project = claim.document.project
    sees_all = verdicts_all_visible(user, project, blind_review=project.blind_review)
    if sees_all is None:
        return verdicts.none()
    if sees_all or verdicts.filter(reviewer_id=user.pk).exists():
        return verdicts
    return verdicts.filter(reviewer_id=user.pk)


def verdicts_for(user: User) -> QuerySet[Verdict]:
    """Every verdict the user may see across their projects, as one query: outside the
    trash, on claims outside the trash, and under blind review (the rule of
    ``verdicts_visible_to``) only on claims the user has given a verdict on, unless they
    are an editor or admin of the project."""
    if not user.is_authenticated:
        return Verdict.objects.none()
    verdicts = Verdict.objects.filter(
        deleted_at__isnull=True,
        claim__deleted_at__isnull=True,
        claim__document__project__in=projects_for(user),
    )
    if user.is_superuser:
        return verdicts
    editing = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.EDITOR]]
    seen_whole = Membership.objects.filter(user=user).filter(
        Q(project__blind_review=False) | Q(role__in=editing)
    )
    own = Verdict.objects.filter(
        claim_id=OuterRef("claim_id"), reviewer_id=user.pk, deleted_at__isnull=True
    )
    return verdicts.filter(
        Q(claim__document__project__in=seen_whole.values("project_id"))
        | Q(reviewer_id=user.pk)
        | Q(Exists(own))
    )


def verdict_visibility(user: User, project: Project) -> Callable[[Claim, Verdict], bool]:
    """``visible(claim, verdict)`` for listing many claims of one project at once.

    The same rule as ``verdicts_visible_to``, decided from ``claim.verdicts.all()`` so that
    prefetched verdicts cost no further queries.
    """
    sees_all = verdicts_all_visible(user, project, blind_review=project.blind_review)
    if sees_all is None:
        return lambda claim, verdict: False
    if sees_all:
        return lambda claim, verdict: True

    def visible(claim: Claim, verdict: Verdict) -> bool:
        return any(
            own.reviewer_id == user.pk and own.deleted_at is None for own in claim.verdicts.all()
        )

    return visible


def claim_history_for(user: User, claim: Claim, *, role: str | None = None) -> list[HistoryEntry]:
    """The claim's history as the user may read it (``role``: theirs in the project, when
    the caller has it); see ``history_visible_to``."""
    return history_visible_to(user, claim_history(claim), project=claim.document.project, role=role)


def history_visible_to(
    user: User, entries: list[HistoryEntry], *, project: Project, role: str | None = None
) -> list[HistoryEntry]:
    """Those of ``entries`` (about claims of ``project``) that the user may read, as they
    may read them: the one rule for history, in the claim panel and in the API's lists.

    Under blind review, for someone who does not see every verdict: the entries of other
    reviewers' verdicts only while those verdicts are visible to them and not in the
    trash, and no change of a claim's final verdict until they see its verdicts. Three
    queries at most, however many claims the entries are about.
    """
    known = role if role is not None else role_in(user, project)
    sees_all = verdicts_all_visible_as(known, blind_review=project.blind_review)
    if sees_all:
        return entries
    if sees_all is None:
        return []
    claim_ids = {entry.claim_id for entry in entries}
    # The claims whose verdicts the user sees: those with a verdict of their own.
    judged = set(
        Verdict.objects.filter(
            claim_id__in=claim_ids, reviewer_id=user.pk, deleted_at__isnull=True
        ).values_list("claim_id", flat=True)
    )
    shown = set(
        Verdict.objects.filter(claim_id__in=judged, deleted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    own = set(
        Verdict.history.filter(claim_id__in=claim_ids, reviewer_id=user.pk).values_list(
            "id", flat=True
        )
    )
    visible = []
    for entry in entries:
        if entry.model == "verdict" and entry.object_id not in shown | own:
            continue
        if entry.model == "claim" and entry.claim_id not in judged:
            changes = [c for c in entry.changes if c.field != "final_verdict"]
            if entry.changes and not changes:
                continue
            entry = replace(entry, changes=changes)
        visible.append(entry)
    return visible


def history_page(
    user: User,
    project: Project,
    *,
    claim: Claim | None = None,
    since: datetime | None = None,
    after: HistoryKey | None = None,
    size: int = 100,
) -> tuple[list[HistoryEntry], HistoryKey | None]:
    """A page of the project's history (or one claim's) as the user may read it, oldest
    first, from ``since`` on and after the entry whose key is ``after``; with the key to
    continue from, None on the last page.

    Claims in the trash keep their history here, documents in the trash do not. Entries
    hidden by ``history_visible_to`` are left out in SQL where the rule allows (another
    reviewer's verdicts under blind review) and by that function in any case, so a page
    may be read in more than one round; the key returned is always a visible entry's.
    """
    role = role_in(user, project)
    if role is None:
        return [], None
    if claim is not None:
        streams = {
            "claim": Claim.history.filter(id=claim.pk),
            "verdict": Verdict.history.filter(claim_id=claim.pk),
            "source": Source.history.filter(claim_id=claim.pk),
        }
    else:
        of_project = {"document__project": project, "document__deleted_at__isnull": True}
        on_claim = {f"claim__{name}": value for name, value in of_project.items()}
        streams = {
            "claim": Claim.history.filter(**of_project),
            "verdict": Verdict.history.filter(**on_claim),
            "source": Source.history.filter(**on_claim),
        }
    if since is not None:
        streams = {
            name: records.filter(history_date__gte=since) for name, records in streams.items()
        }
    if not verdicts_all_visible_as(role, blind_review=project.blind_review):
        own = Verdict.objects.filter(
            claim_id=OuterRef("claim_id"), reviewer_id=user.pk, deleted_at__isnull=True
        )
        streams["verdict"] = streams["verdict"].filter(Q(reviewer_id=user.pk) | Exists(own))
    shown: list[HistoryEntry] = []
    position = after
    while True:
        read = history_after(streams, position, size + 1)
        shown += history_visible_to(user, read, project=project, role=role)
        if len(read) <= size or len(shown) > size:
            break
        position = read[-1].key
    if len(shown) > size:
        return shown[:size], shown[size - 1].key
    return shown, None


def verdict_get(user: User, pk: int) -> Verdict:
    """A verdict the user may see (scoped, not in the trash, blind review); otherwise 404."""
    try:
        verdict = (
            Verdict.objects.filter(deleted_at__isnull=True, claim__in=claims_for(user))
            .select_related("claim__document__project", "reviewer", "rating")
            .get(pk=pk)
        )
    except (Verdict.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not verdicts_visible_to(user, verdict.claim).filter(pk=verdict.pk).exists():
        raise Http404
    return verdict


def sources_of(claim: Claim) -> list[Source]:
    """The claim's sources outside the trash, oldest first, each with ``latest_snapshot``
    (newest fetch, without the page text and body, which the panel never shows)."""
    snapshots = Snapshot.objects.defer("text", "body").order_by("-fetched_at", "-pk")
    sources = list(
        claim.sources.filter(deleted_at__isnull=True)
        .select_related("added_by")
        .prefetch_related(Prefetch("snapshots", queryset=snapshots))
        .order_by("created_at", "pk")
    )
    for source in sources:
        taken = source.snapshots.all()
        source.latest_snapshot = taken[0] if taken else None
    return sources


def source_get(user: User, pk: int) -> Source:
    """A source of a claim in the user's projects, neither of them in the trash; else 404."""
    try:
        return (
            Source.objects.filter(deleted_at__isnull=True, claim__in=claims_for(user))
            .select_related("claim__document__project")
            .get(pk=pk)
        )
    except (Source.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def snapshot_get(user: User, pk: int, *, source_pk: int | None = None) -> Snapshot:
    """A snapshot of a source the user may see (see ``source_get``), of ``source_pk``
    when given; otherwise 404."""
    snapshots = Snapshot.objects.filter(
        source__deleted_at__isnull=True, source__claim__in=claims_for(user)
    )
    if source_pk is not None:
        snapshots = snapshots.filter(source_id=source_pk)
    try:
        return snapshots.defer("text", "body").get(pk=pk)
    except (Snapshot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def comment_get(user: User, pk: int) -> Comment:
    """A comment on a claim in the user's projects, not in the trash; otherwise 404."""
    try:
        return (
            Comment.objects.filter(deleted_at__isnull=True, claim__in=claims_for(user))
            .select_related("claim__document__project", "author")
            .get(pk=pk)
        )
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class QueueFilters:
    """Narrowing "my queue". ``rating`` is a rating value (e.g. "false") of the user's own
    verdict on the claim; ``document`` is a document id; ``status`` one or several states."""

    status: str | Sequence[str] | None = None
    kind: str | None = None
    rating: str | None = None
    document: int | None = None
    project: Project | None = None
    # Words of the claim, any of their forms (see ``search_claims``).
    query: str | None = None


# The orderings of "my queue", each served by an index of Claim on (assignee, ...).
QUEUE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "document": ("document_id", "position"),
    "checkworthy": ("-checkworthiness", "-id"),
    "updated": ("-updated_at", "-id"),
}


def queue_for(
    user: User, filters: QueueFilters | None = None, ordering: str = "document"
) -> QuerySet[Claim]:
    """Claims assigned to the user in their projects, not in the trash, in one of
    ``QUEUE_ORDERINGS``: by default in reading order, document by document (documents
    in the order they came in)."""
    if not user.is_authenticated:
        return Claim.objects.none()
    filters = filters or QueueFilters()
    claims = claims_for(user).filter(assignee=user).select_related("document__project")
    if filters.status:
        statuses = [filters.status] if isinstance(filters.status, str) else filters.status
        claims = claims.filter(status__in=statuses)
    if filters.kind:
        claims = claims.filter(kind=filters.kind)
    if filters.document is not None:
        claims = claims.filter(document_id=filters.document)
    if filters.project is not None:
        claims = claims.filter(document__project=filters.project)
    if filters.query:
        claims = search_claims(filters.query, scope=claims)
    if filters.rating:
        claims = claims.filter(
            verdicts__reviewer=user,
            verdicts__deleted_at__isnull=True,
            verdicts__rating__value=filters.rating,
        )
    return claims.order_by(*QUEUE_ORDERINGS.get(ordering, QUEUE_ORDERINGS["document"]))


@dataclass(frozen=True)
class CommentNode:
    """A comment in thread order. A comment in the trash is kept only as a placeholder
    (``deleted``; do not show its body) while replies under it are still visible."""

    comment: Comment
    depth: int
    deleted: bool


def comments_for(claim: Claim) -> list[CommentNode]:
    """The claim's comments as threads: each comment followed by its replies, oldest first.

    The caller has the claim from a scoped selector, so its members may read these.
    """
    comments = list(
        Comment.objects.filter(claim=claim).select_related("author").order_by("created_at", "pk")
    )
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)

    def visible(comment: Comment) -> bool:
        return comment.deleted_at is None or any(visible(c) for c in children[comment.pk])

    nodes: list[CommentNode] = []
    # Depth-first without recursion: a long reply chain must not hit the recursion limit.
    stack = [(comment, 0) for comment in reversed(children[None])]
    while stack:
        comment, depth = stack.pop()
        if not visible(comment):
            continue
        nodes.append(CommentNode(comment, depth, deleted=comment.deleted_at is not None))
        stack.extend((reply, depth + 1) for reply in reversed(children[comment.pk]))
    return nodes


@dataclass(frozen=True)
class Trash:
    """What is in a project's trash, newest first, for restoring or purging."""

    claims: QuerySet[Claim]
    verdicts: QuerySet[Verdict]
    sources: QuerySet[Source]
    comments: QuerySet[Comment]
    documents: QuerySet[Document] | None = None


def trash_for(user: User, project: Project) -> Trash:
    """The project's trashed objects; empty for someone outside the project.

    Verdicts, sources and comments of a trashed claim come back with the claim, so only
    those on claims that are not in the trash are listed on their own. Under blind review
    a reviewer sees only their own trashed verdicts.
    """
    if role_in(user, project) is None:
        return Trash(
            Claim.objects.none(),
            Verdict.objects.none(),
            Source.objects.none(),
            Comment.objects.none(),
        )
    # Joined rather than ``claim__in``: the database starts from the few trashed rows
    # (an index on deleted_at) instead of every claim of the project.
    on_alive_claim = {
        "claim__deleted_at__isnull": True,
        "claim__document__deleted_at__isnull": True,
    }
    verdicts = Verdict.objects.filter(
        _in_project_by_trash("claim__document", project),
        deleted_at__isnull=False,
        **on_alive_claim,
    )
    if not verdicts_all_visible(user, project, blind_review=project.blind_review):
        # Under blind review a trashed verdict would tell its rating: only one's own.
        verdicts = verdicts.filter(reviewer_id=user.pk)
    return Trash(
        claims=Claim.objects.filter(
            _in_project_by_trash("document", project),
            document__deleted_at__isnull=True,
            deleted_at__isnull=False,
        ).order_by("-deleted_at", "-id"),
        verdicts=verdicts.order_by("-deleted_at", "-id"),
        sources=Source.objects.filter(
            _in_project_by_trash("claim__document", project),
            deleted_at__isnull=False,
            **on_alive_claim,
        ).order_by("-deleted_at", "-id"),
        comments=Comment.objects.filter(
            _in_project_by_trash("claim__document", project),
            deleted_at__isnull=False,
            **on_alive_claim,
        ).order_by("-deleted_at", "-id"),
        documents=Document.objects.filter(
            _in_project_by_trash("", project), deleted_at__isnull=False
        )
        .defer("text", "links")
        .order_by("-deleted_at"),
    )


def _in_project_by_trash(relation: str, project: Project) -> Q | JoinedRowSQL | RowSQL:
    """The trashed rows of ``project``, reached through ``relation`` (a path to the
    document; "" for documents themselves), read from the trash's own index.

    SQLite's planner, without statistics, takes an equality on an indexed column for a
    handful of rows: it would walk every document of the project and every claim in them
    to find the few trashed ones. A unary ``+`` keeps it from using the project's index,
    so it starts from the partial index on ``deleted_at`` in the page's order and stops at
    the page. PostgreSQL weighs both ways from its statistics and is left to choose."""
    if connection.vendor != "sqlite":
        return Q(**{f"{relation}__project" if relation else "project": project})
    condition = '+{table}."project_id" = %s'
    if not relation:
        return RowSQL(condition, [project.pk], BooleanField())
    return JoinedRowSQL(relation, condition, [project.pk], BooleanField())


def document_get_trashed(user: User, pk: int) -> Document:
    """A trashed document of the user's projects, to restore; otherwise 404."""
    try:
        return Document.objects.select_related("project").get(
            pk=pk, deleted_at__isnull=False, project__in=projects_for(user)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def trash_item_get(user: User, model: type[Claim | Verdict | Source | Comment], pk: int):
    """A trashed claim, verdict, source or comment from the user's projects, to restore or
    purge; otherwise 404."""
    project_path = "document__project" if model is Claim else "claim__document__project"
    try:
        found = (
            model.objects.filter(
                deleted_at__isnull=False, **{f"{project_path}__in": projects_for(user)}
            )
            .select_related(project_path)
            .get(pk=pk)
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if isinstance(found, Verdict) and found.reviewer_id != user.pk:
        project = found.claim.document.project
        if not verdicts_all_visible(user, project, blind_review=project.blind_review):
            # Under blind review another reviewer's trashed verdict is not for this user.
            raise Http404
    return found


def verdict_visibility_for_rows(
    user: User, *, project_id: int, blind_review: bool
) -> Callable[[set[int]], bool]:
    """``visible(reviewer_ids)`` for listing many claims of one project as plain rows.

    The rule of ``verdict_visibility``, decided per claim from the reviewers of its
    verdicts that are not in the trash: the user sees all of a claim's verdicts, its
    final verdict included, or none of them. One query at most, for the user's role.
    """
    # The project's id serves in the role's query as well as the project would.
    sees_all = verdicts_all_visible(user, project_id, blind_review=blind_review)
    if sees_all is None:
        return lambda reviewer_ids: False
    if sees_all:
        return lambda reviewer_ids: True
    return lambda reviewer_ids: user.pk in reviewer_ids


def purge_target_get(user: User, model: type[Claim | Verdict | Source | Comment], pk: int):
    """What a purge names: a trashed object as ``trash_item_get``, or one still in use as its
    own selector finds it, so that the purge service can say why it refuses; else 404."""
    try:
        return trash_item_get(user, model, pk)
    except Http404:
        alive = {Claim: claim_get, Verdict: verdict_get, Source: source_get, Comment: comment_get}
        return alive[model](user, pk)


class Withdrawn(Exception):
    """A public fact-check that was published once and has since been withdrawn."""


class MovedOn(Exception):
    """A document's public fact-checks are on a later version of the article."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.pk)
        self.document = document


def claim_get_public(pk: int) -> Claim:
    """A published claim as anyone may read it, with its document, project and final
    verdict. Raises ``Withdrawn`` for a fact-check taken down, ``Http404`` otherwise."""
    claim = (
        Claim.objects.select_related(
            "document__project", "final_verdict__rating__scale", "publication"
        )
        .filter(pk=pk)
        .first()
    )
    if claim is None:
        raise Http404
    public = (
        claim.status == ClaimStatus.PUBLISHED
        and claim.deleted_at is None
        and claim.final_verdict is not None
        and claim.final_verdict.deleted_at is None
    )
    if public:
        return claim
    if Publication.objects.filter(claim=claim, first_published_at__isnull=False).exists():
        raise Withdrawn
    raise Http404


def claims_public_of(document: Document) -> QuerySet[Claim]:
    """A document's claims that are public fact-checks, in reading order."""
    return (
        document.claims.alive()
        .filter(
            status=ClaimStatus.PUBLISHED,
            final_verdict__isnull=False,
            final_verdict__deleted_at__isnull=True,
        )
        .select_related("final_verdict__rating", "publication")
        .order_by("start")
    )


def document_get_public(pk: int) -> Document:
    """A document that has at least one public fact-check; ``Withdrawn`` when all its
    fact-checks were taken down, ``Http404`` when it never had one. ``MovedOn`` names
    the latest later version with public fact-checks when the claims moved onto it, so
    that a link to the article's earlier version still leads to them."""
    document = Document.objects.select_related("project").filter(pk=pk).first()
    if document is None:
        raise Http404
    if claims_public_of(document).exists():
        return document
    later, moved_to = document, None
    while (later := Document.objects.filter(previous_version=later).first()) is not None:
        if claims_public_of(later).exists():
            moved_to = later
    if moved_to is not None:
        raise MovedOn(moved_to)
    if Publication.objects.filter(
        claim__document=document, first_published_at__isnull=False
    ).exists():
        raise Withdrawn
    raise Http404


def sources_public_of(claim: Claim) -> list[Source]:
    """The sources a published fact-check shows: those its final verdict relied on, or
    all the claim's sources whose page was read when the verdict names none."""
    sources = sources_of(claim)
    relied_on = set(claim.final_verdict.sources.values_list("pk", flat=True))
    if relied_on:
        return [source for source in sources if source.pk in relied_on]
    return [source for source in sources if source.latest_snapshot is not None]


def project_get_public(slug: str) -> Project:
    """A project that publishes at least one fact-check (its public style sheet)."""
    project = Project.objects.filter(slug=slug).first()
    published = project is not None and (
        Claim.objects.alive()
        .filter(document__project=project, status=ClaimStatus.PUBLISHED)
        .exists()
    )
    if not published:
        raise Http404
    return project


# --- Versions of an article that changed ----------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A stretch of two versions: the same in both, only in the old, or only in the new."""

    kind: str  # "same", "removed" or "added"
    text: str


_DIFF_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def text_differences(old: str, new: str) -> list[Difference]:
    """The changes from ``old`` to ``new``, word by word, in reading order."""
    old_tokens = _DIFF_TOKEN.findall(old)
    new_tokens = _DIFF_TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    differences: list[Difference] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            differences.append(Difference("same", "".join(old_tokens[i1:i2])))
            continue
        if i1 < i2:
            differences.append(Difference("removed", "".join(old_tokens[i1:i2])))
        if j1 < j2:
            differences.append(Difference("added", "".join(new_tokens[j1:j2])))
    return differences


@dataclass(frozen=True)
class ClaimAcross:
    """One claim as it stands in two versions; ``old``/``new`` are None where it is not."""

    claim: Claim
    old: ClaimAnchor | None
    new: ClaimAnchor | None

    @property
    def reworded(self) -> bool:
        return bool(self.old and self.new and self.old.text != self.new.text)


def claims_on_version(document: Document) -> dict[int, ClaimAnchor]:
    """Where each claim stood in this version (placed or not), by claim id.

    The latest version reads its claims themselves; earlier ones the anchors recorded
    when the next version was stored.
    """
    anchors = {anchor.claim_id: anchor for anchor in ClaimAnchor.objects.filter(document=document)}
    if document.superseded_at is None:
        for claim in document.claims.alive():
            recorded = anchors.get(claim.pk)
            anchors[claim.pk] = ClaimAnchor(
                claim=claim,
                document=document,
                start=claim.start,
                end=claim.end,
                text=claim.text,
                state=claim.anchor_state,
                confidence=claim.anchor_confidence,
                method=recorded.method if recorded else "",
            )
    return anchors


def claims_across_versions(old: Document, new: Document) -> list[ClaimAcross]:
    """The claims of two versions of one article, in the order of the newer text."""
    before = claims_on_version(old)
    after = claims_on_version(new)
    ids = set(before) | set(after)
    claims = Claim.objects.alive().in_bulk(ids)
    rows = [ClaimAcross(claims[pk], before.get(pk), after.get(pk)) for pk in ids if pk in claims]

    def order(row: ClaimAcross) -> tuple[int, int]:
        for side, anchor in ((0, row.new), (1, row.old)):
            if anchor is not None and anchor.start is not None:
                return side, anchor.start
        return 2, row.claim.pk

    return sorted(rows, key=order)
