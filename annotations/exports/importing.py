"""Importing a native export into a project.

``import_native`` reads the file in three steps and writes only after all of them pass:
the JSON Schema, then what a schema cannot say (offsets inside the text, each claim's
text equal to its slice, the SHA-256 of each text, ratings that exist on the target
project's scale, references between verdicts and sources), then one transaction that
stores everything. An invalid file raises ``ImportError_`` naming the JSON path of the
first problem, e.g. ``$.documents[0].claims[3].end``, and leaves the database untouched.

Documents are stored as given, not cut into claims again: with their origin, their
times (created, updated, published), comments, published wording and history, so that
exporting the project again gives the same file but for the ids. Sources keep their
state and snapshots (without page bodies, which exports never carry); a source that was
being fetched comes back as pending, and the periodic sweep fetches pending sources.

People are named by username. Each name in the file stands for, in this order:
the user the importer maps it to (``users``, e.g. ``{"anna": "anna.k"}``); the member of
the project with that username; or, when this installation has no account of that name,
a new inactive account with that name and no usable password (a placeholder), made a
member with the role the file gives it (at least reviewer if it wrote verdicts or
comments or was assigned claims). An administrator activates a placeholder and sets its
password when its owner arrives. An existing account that is not a member of the project
is never made one by an import: its verdicts and comments are attributed to the importing
user, its assignments dropped, and the result says so; map it, or add it to the project
first. A history entry by such a user keeps its time and reason but no user.

A file of version 1.0 (without comments, history entries or people) is read too; its
objects get one history record each, "import", by the importing user.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    ROLE_RANK,
    Claim,
    ClaimStatus,
    Comment,
    Document,
    FetchState,
    Membership,
    Project,
    Publication,
    Rating,
    Role,
    Snapshot,
    Source,
    Verdict,
    text_sha256,
)
from ..services.errors import ValidationError
from ..services.history import RestoredRecord, history_record_changes, history_restore
from ..services.permissions import role_require
from ..services.progress import document_progress_refresh
from .native import SCHEMA_VERSION
from .rows import HISTORY_OBJECTS, HISTORY_TYPES
from .schema import first_schema_error

BATCH_SIZE = 500
# Versions of the native format this installation reads; it writes SCHEMA_VERSION.
READABLE_VERSIONS = ("1.0", SCHEMA_VERSION)
# A username longer than this cannot be an account here (Django's default user model).
USERNAME_MAX_CHARS = 150
# simple-history's record types by the names an export gives them.
HISTORY_KINDS = {name: kind for kind, name in HISTORY_TYPES.items()}


class ImportError_(ValidationError):
    """An import file that cannot be imported; ``path`` is the JSON path of the problem.

    A ``ValidationError``, so callers that handle those already report it; its one
    message reads ``"$.documents[0].claims[3].end: <problem>"``.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}", code="invalid_import")


@dataclass
class ImportResult:
    """What an import stored, and what the importer should know about it."""

    documents: int = 0
    claims: int = 0
    sources: int = 0
    snapshots: int = 0
    verdicts: int = 0
    comments: int = 0
    placeholders: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_native(
    *,
    data: bytes | str | dict,
    project: Project,
    actor: AbstractBaseUser | None,
    users: dict[str, str] | None = None,
) -> ImportResult:
    """Store the documents of a native export in ``project``, all or nothing (editor+).

    ``data`` is the file's bytes or text, or the parsed JSON. ``users`` maps usernames of
    the file to usernames of this installation (see the module's docstring for the
    names it does not map). Raises ``PermissionDenied`` for an actor below editor,
    ``ValidationError`` for a mapping to a user who does not exist and ``ImportError_``
    (a ``ValidationError``) for a file that cannot be imported, before anything is
    written.
    """
    role_require(actor, project, Role.EDITOR)
    mapped = _mapped_users(users or {})
    payload = _parse(data)
    if not isinstance(payload, dict):
        raise ImportError_("$", _("The file must hold one JSON object, a native export."))
    _check_version(payload)
    try:
        problem = first_schema_error(payload)
    except RecursionError:
        raise ImportError_("$", _("The JSON is nested too deeply.")) from None
    if problem is not None:
        raise ImportError_(*problem)
    _check_characters(payload)
    plan = _Plan(project=project, actor=actor, mapped=mapped)
    plan.check(payload)
    with transaction.atomic():
        return plan.write(payload)


def _mapped_users(users: dict[str, str]) -> dict[str, AbstractBaseUser]:
    """The users a mapping names, by the file's usernames; every one must exist."""
    found = {
        user.get_username(): user
        for user in get_user_model().objects.filter(
            **{f"{get_user_model().USERNAME_FIELD}__in": set(users.values())}
        )
    }
    missing = sorted(set(users.values()) - set(found))
    if missing:
        raise ValidationError(
            {
                "users": _("There is no user “%(user)s” to attribute the file's work to.")
                % {"user": missing[0]}
            }
        )
    return {name: found[target] for name, target in users.items()}


def _parse(data: bytes | str | Any) -> Any:
    if not isinstance(data, bytes | str):
        return data  # parsed already (a request body)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportError_("$", _("The file is not UTF-8 text.")) from None
    try:
        return json.loads(data)
    except RecursionError:
        raise ImportError_("$", _("The JSON is nested too deeply.")) from None
    except json.JSONDecodeError as error:
        raise ImportError_(
            "$",
            _("The file is not valid JSON (line %(line)s, column %(column)s: %(problem)s).")
            % {"line": error.lineno, "column": error.colno, "problem": error.msg},
        ) from None


def _check_version(payload: Any) -> None:
    if isinstance(payload, dict) and "schema_version" in payload:
        version = payload["schema_version"]
        if version not in READABLE_VERSIONS:
            raise ImportError_(
                "$.schema_version",
                _("This file is format version %(found)s; this installation reads %(known)s.")
                % {"found": version, "known": ", ".join(READABLE_VERSIONS)},
            )


# A NUL cannot be stored in a PostgreSQL text column, and a lone surrogate (JSON allows
# "\ud800") is no character at all: no database encodes it.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_characters(payload: Any) -> None:
    """Refuse the first string (key or value) holding a NUL or a lone surrogate, by path."""
    stack: list[tuple[str, Any]] = [("$", payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                raise ImportError_(
                    path,
                    _("The text holds a NUL character or a lone surrogate; neither can be stored."),
                )
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if _UNSTORABLE.search(key):
                    raise ImportError_(path, _("A key holds a NUL character or a lone surrogate."))
                stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend(
                (f"{path}[{index}]", item) for index, item in reversed(list(enumerate(value)))
            )


def _absent(kind: str, claim: Claim, entry: dict[str, Any]) -> Verdict | Source:
    """A stand-in for a verdict or source the file does not carry, to hang its history
    entry on: its claim, its id in the file made negative, the entry's moment."""
    moment = _moment(entry["at"])
    model = Verdict if kind == "verdict" else Source
    return model(id=-abs(entry["object_id"]), claim=claim, created_at=moment, updated_at=moment)


def _moment(value: str | None) -> datetime | None:
    # The schema has already checked the shape (ISO 8601 with an offset).
    return datetime.fromisoformat(value) if value else None


class _Plan:
    """Checks a schema-valid file against the target project, then writes it."""

    def __init__(
        self,
        *,
        project: Project,
        actor: AbstractBaseUser | None,
        mapped: dict[str, AbstractBaseUser],
    ) -> None:
        self.project = project
        self.actor = actor
        self.ratings: dict[str, Rating] = {
            rating.value: rating
            for rating in Rating.objects.filter(scale_id=project.rating_scale_id)
        }
        self.mapped = mapped
        # The role in the project of each name the file's people stand for here:
        # members', and the placeholders' that the import will make.
        self.roles: dict[str, str] = {}
        # Placeholders to make: username → (first name, last name, role or None).
        self.placeholders: dict[str, tuple[str, str, str | None]] = {}
        # Every user the file's people stand for, by username here (filled when writing).
        self.users: dict[str, AbstractBaseUser] = {}
        self.notes: list[str] = []

    # --- checking ---------------------------------------------------------------

    def check(self, payload: dict[str, Any]) -> None:
        names: set[str | None] = set()
        for document in payload["documents"]:
            names.add(document.get("created_by"))
            for claim in document["claims"]:
                names.add(claim["assignee"])
                names.update(source["added_by"] for source in claim["sources"])
                names.update(verdict["reviewer"] for verdict in claim["verdicts"])
                names.update(comment["author"] for comment in claim.get("comments", []))
                names.update(entry["by"] for entry in claim["history"].get("entries", []))
        roles: dict[str, str] = {}
        for project in payload["projects"]:
            for member in project.get("members", []):
                roles.setdefault(member["username"], member["role"])
        names |= set(roles)
        names -= {None, ""}
        field = f"user__{get_user_model().USERNAME_FIELD}"
        here = names | {user.get_username() for user in self.mapped.values()}
        self.roles = dict(
            Membership.objects.filter(project=self.project, **{f"{field}__in": here}).values_list(
                field, "role"
            )
        )
        existing = set(
            get_user_model()
            .objects.filter(**{f"{get_user_model().USERNAME_FIELD}__in": names})
            .values_list(get_user_model().USERNAME_FIELD, flat=True)
        )
        people = {person["username"]: person for person in payload.get("users", [])}
        for name in sorted(names - existing - set(self.mapped)):
            if len(name) > USERNAME_MAX_CHARS:
                continue
            person = people.get(name, {})
            role = roles.get(name)
            self.placeholders[name] = (
                person.get("first_name", ""),
                person.get("last_name", ""),
                role,
            )
            if role is not None:
                self.roles[name] = role
        listed = {document["id"] for document in payload["documents"]}
        self._check_same_claims(payload)
        seen: set[int] = set()
        superseded: set[int] = set()
        for index, document in enumerate(payload["documents"]):
            path = f"$.documents[{index}]"
            self._check_document(document, path)
            self._check_version(document, path, listed, seen, superseded)

    def _check_document(self, document: dict[str, Any], path: str) -> None:
        text = document["text"]
        if not document["title"].strip():
            raise ImportError_(f"{path}.title", _("A document needs a title."))
        if len(text) > settings.DOCUMENT_MAX_CHARS:
            raise ImportError_(
                f"{path}.text",
                _("The text has %(size)s characters; the limit is %(limit)s.")
                % {"size": len(text), "limit": settings.DOCUMENT_MAX_CHARS},
            )
        if text_sha256(text) != document["sha256"]:
            raise ImportError_(
                f"{path}.sha256", _("This is not the SHA-256 of the document's text.")
            )
        if document["published_on"] is not None:
            self._date(document["published_on"], f"{path}.published_on")
        for index, claim in enumerate(document["claims"]):
            self._check_claim(claim, text, f"{path}.claims[{index}]")
        self._check_overlaps(document["claims"], path)

    def _check_same_claims(self, payload: dict[str, Any]) -> None:
        """Claim ids are unique in the file, and the same-claim links among its claims
        neither point at the claim itself nor go round in a circle."""
        links: dict[int, int | None] = {}
        paths: dict[int, str] = {}
        for index, document in enumerate(payload["documents"]):
            for position, claim in enumerate(document["claims"]):
                path = f"$.documents[{index}].claims[{position}]"
                if claim["id"] in links:
                    raise ImportError_(f"{path}.id", _("Two claims of the file have the same id."))
                links[claim["id"]] = claim.get("same_as")
                paths[claim["id"]] = path
        for claim_id, path in paths.items():
            seen = {claim_id}
            step = links[claim_id]
            while step is not None and step in links:
                if step in seen:
                    raise ImportError_(
                        f"{path}.same_as",
                        _("The claim is linked as the same claim as itself, through others."),
                    )
                seen.add(step)
                step = links[step]

    def _check_version(
        self,
        document: dict[str, Any],
        path: str,
        listed: set[int],
        seen: set[int],
        superseded: set[int],
    ) -> None:
        # A previous version the file holds is linked to its import; one it does not hold
        # (an export of some documents only) leaves the version unlinked.
        previous = document.get("previous_version")
        if document["id"] in seen:
            raise ImportError_(f"{path}.id", _("Two documents of the file have the same id."))
        seen.add(document["id"])
        if previous is None or previous not in listed:
            return
        if previous not in seen or previous == document["id"]:
            raise ImportError_(
                f"{path}.previous_version",
                _("The previous version must come before its next version in the file."),
            )
        if previous in superseded:
            raise ImportError_(
                f"{path}.previous_version",
                _("Another document of the file is already the next version of %(id)s.")
                % {"id": previous},
            )
        superseded.add(previous)

    def _check_overlaps(self, claims: list[dict[str, Any]], path: str) -> None:
        # Claims never share text, in an import as in every other way of making them.
        ordered = sorted(range(len(claims)), key=lambda i: (claims[i]["start"], claims[i]["end"]))
        for before, after in pairwise(ordered):
            if claims[after]["start"] < claims[before]["end"]:
                later = max(before, after)
                raise ImportError_(
                    f"{path}.claims[{later}].start",
                    _("The claim overlaps claim %(other)s of the same document.")
                    % {"other": min(before, after)},
                )

    def _date(self, value: str, path: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ImportError_(path, _("Give the date as YYYY-MM-DD.")) from None

    def _check_claim(self, claim: dict[str, Any], text: str, path: str) -> None:
        start, end = claim["start"], claim["end"]
        if end > len(text):
            raise ImportError_(
                f"{path}.end",
                _("The claim ends at %(end)s, after the end of the text (%(length)s).")
                % {"end": end, "length": len(text)},
            )
        if start >= end:
            raise ImportError_(f"{path}.end", _("A claim must end after it starts."))
        if text[start:end] != claim["text"]:
            raise ImportError_(
                f"{path}.text",
                _("The claim's text is not the document's text from %(start)s to %(end)s.")
                % {"start": start, "end": end},
            )
        source_ids: set[int] = set()
        for index, source in enumerate(claim["sources"]):
            self._check_source(source, source_ids, f"{path}.sources[{index}]")
        verdict_ratings: dict[int, str] = {}
        reviewers: dict[int, str] = {}
        for index, verdict in enumerate(claim["verdicts"]):
            verdict_path = f"{path}.verdicts[{index}]"
            if verdict["id"] in verdict_ratings:
                raise ImportError_(
                    f"{verdict_path}.id", _("Two verdicts of the claim have the same id.")
                )
            value = verdict["rating"]["value"]
            if value not in self.ratings:
                raise ImportError_(
                    f"{verdict_path}.rating.value",
                    _("The project's rating scale has no rating “%(value)s”.") % {"value": value},
                )
            verdict_ratings[verdict["id"]] = value
            for position, source_id in enumerate(verdict["sources"]):
                if source_id not in source_ids:
                    raise ImportError_(
                        f"{verdict_path}.sources[{position}]",
                        _("The verdict relies on a source the claim does not have."),
                    )
            owner = self._reviewer_name(verdict["reviewer"])
            if owner in reviewers.values():
                raise ImportError_(
                    f"{verdict_path}.reviewer",
                    _(
                        "Two verdicts of this claim would both belong to “%(user)s”, and a "
                        "user has one verdict per claim. Make their reviewers members of the "
                        "project (reviewer role or higher) and import again."
                    )
                    % {"user": owner},
                )
            reviewers[verdict["id"]] = owner
        comment_ids: set[int] = set()
        for index, comment in enumerate(claim.get("comments", [])):
            comment_path = f"{path}.comments[{index}]"
            if comment["id"] in comment_ids:
                raise ImportError_(
                    f"{comment_path}.id", _("Two comments of the claim have the same id.")
                )
            if comment["parent"] is not None and comment["parent"] not in comment_ids:
                raise ImportError_(
                    f"{comment_path}.parent",
                    _("A reply must follow the comment it answers, on the same claim."),
                )
            comment_ids.add(comment["id"])
        final = claim["final_verdict"]
        if final is not None:
            if final["verdict"] not in verdict_ratings:
                raise ImportError_(
                    f"{path}.final_verdict.verdict",
                    _("The final verdict must be one of the claim's verdicts."),
                )
            if final["rating"]["value"] != verdict_ratings[final["verdict"]]:
                raise ImportError_(
                    f"{path}.final_verdict.rating.value",
                    _("The final verdict's rating differs from that verdict's rating."),
                )
        elif claim["status"] in (ClaimStatus.APPROVED, ClaimStatus.PUBLISHED):
            raise ImportError_(
                f"{path}.final_verdict",
                _("An approved or published claim needs a final verdict."),
            )

    def _check_source(self, source: dict[str, Any], seen: set[int], path: str) -> None:
        if source["id"] in seen:
            raise ImportError_(f"{path}.id", _("Two sources of the claim have the same id."))
        seen.add(source["id"])
        numbers = set()
        for index, snapshot in enumerate(source["snapshots"]):
            snapshot_path = f"{path}.snapshots[{index}]"
            if snapshot["fetch_number"] in numbers:
                raise ImportError_(
                    f"{snapshot_path}.fetch_number",
                    _("Two snapshots of the source have the same fetch number."),
                )
            numbers.add(snapshot["fetch_number"])
            quote = snapshot["quote"]
            start, end = quote["start"], quote["end"]
            if start is not None and end is not None and start >= end:
                raise ImportError_(
                    f"{snapshot_path}.quote.end", _("A located passage must end after it starts.")
                )

    def _name(self, username: str | None, role: str = Role.VIEWER) -> str | None:
        """The username here of the file's ``username``, if that person may be credited
        with work needing ``role``: a mapped user or a placeholder always is, a member
        with that role or a higher one."""
        if not username:
            return None
        if username in self.mapped:
            return self.mapped[username].get_username()
        if username in self.placeholders:
            return username
        held = self.roles.get(username)
        if held is not None and ROLE_RANK[held] >= ROLE_RANK[role]:
            return username
        return None

    def _reviewer_name(self, username: str) -> str:
        """Whom a verdict or a comment is credited to here: its author, else the importer."""
        return self._name(username, Role.REVIEWER) or self.actor.get_username()

    def _user(self, username: str | None, role: str = Role.VIEWER) -> AbstractBaseUser | None:
        name = self._name(username, role)
        return self.users[name] if name is not None else None

    def _reviewer(self, username: str) -> AbstractBaseUser:
        return self.users[self._reviewer_name(username)]

    def _member(self, username: str | None, role: str) -> AbstractBaseUser | None:
        # An assignment is work in the project: a mapped user must be a member as well.
        name = self._name(username, role)
        if name is None or ROLE_RANK.get(self.roles.get(name, ""), -1) < ROLE_RANK[role]:
            return None
        return self.users[name]

    # --- writing ----------------------------------------------------------------

    def write(self, payload: dict[str, Any]) -> ImportResult:
        result = ImportResult()
        # The file's document ids and the documents stored for them, for the versions;
        # its claim ids and the claims stored for them, for the same-claim links.
        self.written: dict[int, Document] = {}
        self.claims_written: dict[int, Claim] = {}
        self.links: list[tuple[Claim, int]] = []
        self._write_people(result)
        unmapped: dict[str, int] = defaultdict(int)
        unassigned: dict[str, int] = defaultdict(int)
        for entry in payload["documents"]:
            self._write_document(entry, result, unmapped, unassigned)
        self._link_same_claims()
        actor_name = self.actor.get_username()
        if result.placeholders:
            self.notes.append(
                _(
                    "Inactive accounts were made for the people this installation did not "
                    "know, without passwords: %(users)s. An administrator activates them."
                )
                % {"users": ", ".join(f"“{name}”" for name in result.placeholders)}
            )
        for username, count in sorted(unmapped.items()):
            self.notes.append(
                _(
                    "%(count)s verdict(s) or comment(s) by “%(user)s” are attributed to "
                    "“%(actor)s”: “%(user)s” is not a reviewer in this project."
                )
                % {"count": count, "user": username, "actor": actor_name}
            )
        for username, count in sorted(unassigned.items()):
            self.notes.append(
                _(
                    "%(count)s claim(s) assigned to “%(user)s” are left unassigned: "
                    "“%(user)s” is not a reviewer in this project."
                )
                % {"count": count, "user": username}
            )
        result.notes = self.notes
        return result

    def _write_people(self, result: ImportResult) -> None:
        """Make the placeholders, members of the project, and find everyone else."""
        model = get_user_model()
        for name, (first_name, last_name, role) in self.placeholders.items():
            user = model(**{model.USERNAME_FIELD: name}, first_name=first_name, last_name=last_name)
            user.is_active = False
            user.set_unusable_password()
            user.save()
            # A member where the file says so: someone who has left the project keeps
            # the credit for their work, not a place in it.
            if role is not None:
                membership = Membership(project=self.project, user=user, role=role)
                membership._history_user = self.actor
                membership.save()
            result.placeholders.append(name)
        self.users = {
            user.get_username(): user
            for user in model.objects.filter(
                **{
                    f"{model.USERNAME_FIELD}__in": [
                        *self.roles,
                        *self.placeholders,
                        self.actor.get_username(),
                    ]
                }
            )
        }
        self.users.update((user.get_username(), user) for user in self.mapped.values())

    def _write_document(
        self,
        entry: dict[str, Any],
        result: ImportResult,
        unmapped: dict[str, int],
        unassigned: dict[str, int],
    ) -> None:
        document = Document(
            project=self.project,
            title=entry["title"].strip()[:500],
            text=entry["text"],
            sha256=entry["sha256"],
            language=entry["language"],
            origin=entry["origin"],
            source_format=entry["source_format"],
            source_url=entry["source_url"],
            filename=entry["filename"],
            author=entry["author"],
            author_type=entry.get("author_type", ""),
            published_on=date.fromisoformat(entry["published_on"])
            if entry["published_on"]
            else None,
            links=entry["links"],
            status=Document.Status.READY,
            created_by=self._user(entry.get("created_by")) or self.actor,
            version_number=entry.get("version", 1),
            previous_version=self.written.get(entry.get("previous_version")),
        )
        document._history_user = self.actor
        document.save()
        # Kept as the file says, not the moment of the import (save() stamps it).
        document.created_at = _moment(entry["created_at"])
        Document.objects.filter(pk=document.pk).update(created_at=document.created_at)
        self.written[entry["id"]] = document
        if document.previous_version is not None:
            Document.objects.filter(pk=document.previous_version_id).update(
                superseded_at=document.created_at
            )
        result.documents += 1
        result.document_ids.append(document.pk)

        claims = []
        for position, item in enumerate(entry["claims"]):
            assignee = self._member(item["assignee"], Role.REVIEWER)
            if item["assignee"] and assignee is None:
                unassigned[item["assignee"]] += 1
            claims.append(
                Claim(
                    document=document,
                    position=position,
                    start=item["start"],
                    end=item["end"],
                    text=item["text"],
                    kind=item["kind"],
                    extracted_kind=item["extracted_kind"],
                    checkworthiness=item["checkworthiness"],
                    reasons=item["reasons"],
                    entities=item["entities"],
                    dates=item["dates"],
                    quantities=item["quantities"],
                    attribution=item["attribution"],
                    status=item["status"],
                    assignee=assignee,
                    # A claim written before this one; later ones are linked at the end.
                    same_as=self.claims_written.get(item.get("same_as")),
                    published_at=_moment(item["published_at"]),
                )
            )
        claims = Claim.objects.bulk_create(claims, batch_size=BATCH_SIZE)
        result.claims += len(claims)
        for claim, item in zip(claims, entry["claims"], strict=True):
            self.claims_written[item["id"]] = claim
            if item.get("same_as") is not None and claim.same_as is None:
                self.links.append((claim, item["same_as"]))

        sources: list[Source] = []
        source_keys: dict[tuple[int, int], Source] = {}
        snapshots: list[tuple[Source, dict[str, Any]]] = []
        for claim, item in zip(claims, entry["claims"], strict=True):
            for record in item["sources"]:
                numbers = [snapshot["fetch_number"] for snapshot in record["snapshots"]]
                state = record["fetch_state"]
                source = Source(
                    claim=claim,
                    url=record["url"],
                    title=record["title"],
                    publisher=record["publisher"],
                    quote=record["quote"],
                    stance=record["stance"],
                    origin=record["origin"],
                    added_by=self._user(record["added_by"]) or self.actor,
                    # Nobody here is fetching it: the sweep picks pending sources up.
                    fetch_state=FetchState.PENDING if state == FetchState.FETCHING else state,
                    fetch_error=record["fetch_error"],
                    fetch_count=max(numbers, default=0),
                    last_fetched_at=_moment(record["last_fetched_at"]),
                )
                sources.append(source)
                source_keys[(claim.pk, record["id"])] = source
                snapshots.extend((source, snapshot) for snapshot in record["snapshots"])
        Source.objects.bulk_create(sources, batch_size=BATCH_SIZE)
        result.sources += len(sources)
        Snapshot.objects.bulk_create(
            (self._snapshot(source, record) for source, record in snapshots),
            batch_size=BATCH_SIZE,
        )
        result.snapshots += len(snapshots)

        verdicts: list[Verdict] = []
        verdict_keys: dict[tuple[int, int], Verdict] = {}
        verdict_sources: list[tuple[Verdict, list[Source]]] = []
        reasons: dict[int, str] = {}
        for claim, item in zip(claims, entry["claims"], strict=True):
            for record in item["verdicts"]:
                reviewer = self._reviewer(record["reviewer"])
                verdict = Verdict(
                    claim=claim,
                    reviewer=reviewer,
                    rating=self.ratings[record["rating"]["value"]],
                    rationale=record["rationale"],
                )
                if reviewer.get_username() != self._name(record["reviewer"], Role.REVIEWER):
                    unmapped[record["reviewer"]] += 1
                    # Kept with the verdict's history, where the change reason is shown.
                    reasons[id(verdict)] = f"import: reviewer {record['reviewer']}"[:100]
                verdicts.append(verdict)
                verdict_keys[(claim.pk, record["id"])] = verdict
                verdict_sources.append(
                    (verdict, [source_keys[(claim.pk, pk)] for pk in record["sources"]])
                )
        Verdict.objects.bulk_create(verdicts, batch_size=BATCH_SIZE)
        Verdict.sources.through.objects.bulk_create(
            (
                Verdict.sources.through(verdict_id=verdict.pk, source_id=source.pk)
                for verdict, relied_on in verdict_sources
                for source in relied_on
            ),
            batch_size=BATCH_SIZE,
        )
        result.verdicts += len(verdicts)

        comments = self._write_comments(claims, entry["claims"], unmapped)
        result.comments += len(comments)
        publications = Publication.objects.bulk_create(
            [
                Publication(
                    claim=claim,
                    summary=item["publication"]["summary"],
                    article_url=item["publication"]["article_url"],
                    first_appearance_url=item["publication"]["first_appearance_url"],
                    first_published_at=_moment(item["publication"]["first_published_at"]),
                    withdrawn_at=_moment(item["publication"]["withdrawn_at"]),
                )
                for claim, item in zip(claims, entry["claims"], strict=True)
                if item.get("publication")
            ],
            batch_size=BATCH_SIZE,
        )
        published = [item["publication"] for item in entry["claims"] if item.get("publication")]
        for publication, record in zip(publications, published, strict=True):
            publication.updated_at = _moment(record["updated_at"])
        Publication.objects.bulk_update(publications, ["updated_at"], batch_size=BATCH_SIZE)

        finals = []
        for claim, item in zip(claims, entry["claims"], strict=True):
            if item["final_verdict"] is not None:
                claim.final_verdict = verdict_keys[(claim.pk, item["final_verdict"]["verdict"])]
                finals.append(claim)
        Claim.objects.bulk_update(finals, ["final_verdict"], batch_size=BATCH_SIZE)
        self._keep_times(claims, sources, verdicts, entry["claims"])
        document_progress_refresh(document_ids={claim.document_id for claim in claims})

        carried = [
            (claim, item) for claim, item in zip(claims, entry["claims"], strict=True)
            if "entries" in item["history"]
        ]  # fmt: skip
        self._restore_history(carried, source_keys, verdict_keys)
        bare = {claim.pk for claim in claims} - {claim.pk for claim, _item in carried}
        # A verdict credited to someone else than in the file says so in its history: on
        # top of the history carried, or as the one record of a file without any.
        by_reason: dict[tuple[str, bool], list[Verdict]] = defaultdict(list)
        for verdict in verdicts:
            if verdict.claim_id in bare or id(verdict) in reasons:
                key = (reasons.get(id(verdict), "import"), verdict.claim_id in bare)
                by_reason[key].append(verdict)
        for (reason, created), group in by_reason.items():
            for start in range(0, len(group), BATCH_SIZE):
                history_record_changes(
                    group[start : start + BATCH_SIZE],
                    actor=self.actor,
                    reason=reason,
                    created=created,
                )
        if not bare:
            return
        # A file without history entries: one record per object, in its final state, by
        # the importing user.
        claims = [claim for claim in claims if claim.pk in bare]
        sources = [source for source in sources if source.claim_id in bare]
        for start in range(0, len(claims), BATCH_SIZE):
            history_record_changes(
                claims[start : start + BATCH_SIZE], actor=self.actor, reason="import", created=True
            )
        for start in range(0, len(sources), BATCH_SIZE):
            history_record_changes(
                sources[start : start + BATCH_SIZE], actor=self.actor, reason="import", created=True
            )

    def _write_comments(
        self, claims: list[Claim], items: list[dict[str, Any]], unmapped: dict[str, int]
    ) -> list[Comment]:
        """The claims' comments, each answering the one it answered in the file."""
        comments: list[Comment] = []
        moments: list[datetime | None] = []
        keys: dict[tuple[int, int], Comment] = {}
        replies: list[tuple[Comment, Comment]] = []
        for claim, item in zip(claims, items, strict=True):
            for record in item.get("comments", []):
                author = self._reviewer(record["author"])
                if author.get_username() != self._name(record["author"], Role.REVIEWER):
                    unmapped[record["author"]] += 1
                comment = Comment(claim=claim, author=author, body=record["body"])
                comments.append(comment)
                moments.append(_moment(record["created_at"]))
                keys[(claim.pk, record["id"])] = comment
                if record["parent"] is not None:
                    replies.append((comment, keys[(claim.pk, record["parent"])]))
        Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
        for comment, parent in replies:
            comment.parent = parent
        # bulk_create stamps the moment of the import; the file's times are put back.
        for comment, moment in zip(comments, moments, strict=True):
            comment.created_at = moment
        Comment.objects.bulk_update(comments, ["parent", "created_at"], batch_size=BATCH_SIZE)
        return comments

    def _keep_times(
        self,
        claims: list[Claim],
        sources: list[Source],
        verdicts: list[Verdict],
        items: list[dict[str, Any]],
    ) -> None:
        """Put back the times the file gives, which saving stamped with the present."""
        for claim, item in zip(claims, items, strict=True):
            claim.created_at = _moment(item["created_at"])
            claim.updated_at = _moment(item["updated_at"])
        Claim.objects.bulk_update(claims, ["created_at", "updated_at"], batch_size=BATCH_SIZE)
        records = {
            id(obj): record
            for claim, item in zip(claims, items, strict=True)
            for obj, record in (
                *zip([s for s in sources if s.claim_id == claim.pk], item["sources"], strict=True),
                *zip(
                    [v for v in verdicts if v.claim_id == claim.pk], item["verdicts"], strict=True
                ),
            )
        }
        for source in sources:
            source.created_at = _moment(records[id(source)]["created_at"])
        Source.objects.bulk_update(sources, ["created_at"], batch_size=BATCH_SIZE)
        for verdict in verdicts:
            record = records[id(verdict)]
            verdict.created_at = _moment(record["created_at"])
            verdict.updated_at = _moment(record["updated_at"])
        Verdict.objects.bulk_update(verdicts, ["created_at", "updated_at"], batch_size=BATCH_SIZE)

    def _restore_history(
        self,
        carried: list[tuple[Claim, dict[str, Any]]],
        source_keys: dict[tuple[int, int], Source],
        verdict_keys: dict[tuple[int, int], Verdict],
    ) -> None:
        """The claims' history entries as records of the objects imported with them.

        An entry of a verdict or a source the file does not carry (it was in the trash
        or removed) is kept under the negative of its id in the file: no object here
        has a negative id, so the entry is never taken for another object's.
        """
        records: list[RestoredRecord] = []
        for claim, item in carried:
            keys = {"verdict": verdict_keys, "source": source_keys}
            for entry in item["history"]["entries"]:
                kind = entry["object"]
                if kind == HISTORY_OBJECTS[0]:
                    instance: Any = claim
                else:
                    instance = keys[kind].get((claim.pk, entry["object_id"]))
                    if instance is None:
                        instance = _absent(kind, claim, entry)
                records.append(
                    RestoredRecord(
                        instance=instance,
                        when=_moment(entry["at"]),
                        who=self._user(entry["by"]),
                        kind=HISTORY_KINDS[entry["type"]],
                        reason=entry["reason"],
                    )
                )
        history_restore(records)

    def _link_same_claims(self) -> None:
        # Links to claims written after the linking claim; a link to a claim the file
        # does not hold (another project's, or one left out of the export) is not kept.
        linked = []
        outside = 0
        for claim, same_as in self.links:
            target = self.claims_written.get(same_as)
            if target is None:
                outside += 1
                continue
            claim.same_as = target
            linked.append(claim)
        Claim.objects.bulk_update(linked, ["same_as"], batch_size=BATCH_SIZE)
        for start in range(0, len(linked), BATCH_SIZE):
            history_record_changes(
                linked[start : start + BATCH_SIZE], actor=self.actor, reason="import"
            )
        if outside:
            self.notes.append(
                _(
                    "%(count)s same-claim link(s) point to claims that are not in the file "
                    "and are left out."
                )
                % {"count": outside}
            )

    def _snapshot(self, source: Source, record: dict[str, Any]) -> Snapshot:
        quote = record["quote"]
        return Snapshot(
            source=source,
            fetch_number=record["fetch_number"],
            final_url=record["final_url"],
            http_status=record["http_status"],
            content_type=record["content_type"],
            sha256=record["sha256"],
            size=record["size"],
            body_truncated=record["body_truncated"],
            fetched_at=_moment(record["fetched_at"]),
            title=record["title"],
            author=record["author"],
            published=record["published"],
            site_name=record["site_name"],
            text=record.get("text", ""),
            quote_found=quote["found"],
            quote_method=quote["method"],
            quote_score=quote["score"],
            quote_start=quote["start"],
            quote_end=quote["end"],
            quote_passage=quote["passage"],
            context_before=quote["context_before"],
            context_after=quote["context_after"],
            suggestions=record["suggestions"],
        )
