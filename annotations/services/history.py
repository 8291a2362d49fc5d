"""Who changed what, and when.

Services change claims and verdicts with conditional ``UPDATE`` statements (the version
check that prevents lost updates). Those statements bypass the model signals that
simple-history listens to, so the services record the change themselves through
``instance_update_versioned`` or ``history_record_changes``; the result is the same
history a ``save()`` would leave, with the acting user and the many-to-many state.

``claim_history`` reads it back for the UI and the API, ``history_after`` a page of
a project's history for the API's history list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Model,
    Prefetch,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.utils import (
    get_history_manager_for_model,
    get_m2m_field_name,
    get_m2m_reverse_field_name,
)

from ..models import Claim, Document, Source, Verdict
from ..rowsql import RowSQL
from .errors import Conflict
from .progress import document_progress_refresh

# Bookkeeping that changes with every write and says nothing to a reader.
_NOT_SHOWN = frozenset({"id", "version", "updated_at", "created_at"})


def history_record_changes(
    instances: Sequence[Model],
    *,
    actor: AbstractBaseUser | None,
    reason: str = "",
    created: bool = False,
) -> None:
    """Write one historical record per instance, attributed to ``actor``.

    The instances must hold what is stored now (refresh them after an ``UPDATE``). The
    records include many-to-many state (a verdict's sources), as simple-history's own
    records do, so that ``diff_against`` compares like with like.
    """
    if not instances:
        return
    model = type(instances[0])
    manager = get_history_manager_for_model(model)
    records = manager.bulk_history_create(
        instances,
        update=not created,
        default_user=actor,
        default_change_reason=reason,
    )
    if not records:
        # History is switched off in settings.
        return
    _record_m2m(manager.model, records, instances)


def _record_m2m(history_model: Any, records: Sequence[Any], instances: Sequence[Model]) -> None:
    """The many-to-many state of ``instances`` now, written for their ``records``."""
    for m2m_field in history_model._history_m2m_fields:
        through = m2m_field.remote_field.through
        owner = get_m2m_field_name(m2m_field)
        rows_by_owner: dict[Any, list[Model]] = defaultdict(list)
        for row in through.objects.filter(**{f"{owner}__in": [i.pk for i in instances]}):
            rows_by_owner[getattr(row, f"{owner}_id")].append(row)
        m2m_history_model = getattr(history_model, m2m_field.name).model
        columns = [f.attname for f in through._meta.concrete_fields]
        m2m_history_model.objects.bulk_create(
            m2m_history_model(history=record, **{c: getattr(row, c) for c in columns})
            for record in records
            for row in rows_by_owner[record.id]
        )


class RestoredRecord(NamedTuple):
    """A history record to write again as it was: of ``instance`` (in its state now),
    made at ``when`` by ``who``, of simple-history's ``kind`` (+, ~ or -)."""

    instance: Model
    when: datetime
    who: AbstractBaseUser | None
    kind: str
    reason: str


def history_restore(records: Sequence[RestoredRecord]) -> None:
    """Write history records carried from elsewhere (an import), in the order given.

    Each record holds the state its object has now, with its many-to-many state: a
    restored history says who changed what and when, not the values in between.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    for model in dict.fromkeys(type(record.instance) for record in records):
        mine = [record for record in records if type(record.instance) is model]
        manager = get_history_manager_for_model(model)
        history_model = manager.model
        rows = [
            history_model(
                history_date=record.when,
                history_user=record.who,
                history_change_reason=record.reason[:100] or None,
                history_type=record.kind,
                **{
                    field.attname: getattr(record.instance, field.attname)
                    for field in history_model.tracked_fields
                },
            )
            for record in mine
        ]
        _record_m2m(
            history_model, history_model.objects.bulk_create(rows), [r.instance for r in mine]
        )


def instance_update_versioned(
    instance: Model,
    *,
    actor: AbstractBaseUser | None,
    expected_version: int,
    reason: str,
    record: bool = True,
    **changes: Any,
) -> None:
    """Apply ``changes`` only if the stored row is still at ``expected_version``.

    The row's version goes up by one, ``instance`` is refreshed to what is stored, and the
    change is recorded in its history (unless ``record`` is false because the caller has
    more to change first and records afterwards). Raises ``Conflict`` carrying the stored
    object when someone else changed or removed the row since the caller read it; nothing
    is written then.
    """
    model = type(instance)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changes.setdefault("updated_at", timezone.now())
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        current = model._default_manager.filter(pk=instance.pk).first()
        raise Conflict(_conflict_message(model), current=current)
    instance.refresh_from_db()
    if model is Claim:
        # Status, trash and span changes all come through here.
        document_progress_refresh(document_ids=[instance.document_id])
    if record:
        history_record_changes([instance], actor=actor, reason=reason)


def _conflict_message(model: type[Model]) -> str:
    # One whole sentence per kind of object: languages with gender and case cannot fit a
    # model name into a shared frame.
    if model is Claim:
        return _("Someone else changed this claim since you opened it. Reload and try again.")
    if model is Verdict:
        return _("Someone else changed this verdict since you opened it. Reload and try again.")
    return _("Someone else changed this since you opened it. Reload and try again.")


class FieldChange(NamedTuple):
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change to a claim, one of its verdicts or one of its sources.

    ``action`` is a stable identifier: created, changed, deleted (moved to the trash),
    restored or purged (removed for good). ``changes`` lists (field, old, new); for a
    creation it lists the initial values that are not empty; foreign keys are the related
    objects (or simple-history's ``DeletedObject`` when they are gone).
    """

    when: datetime
    who: AbstractBaseUser | None
    model: str
    object_id: int
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    # The claim it is about, and its place in the order of every entry (``HistoryKey``).
    claim_id: int | None = None
    key: HistoryKey | None = None


# Entries in time order: (moment, place of the model in STREAMS, id of the record).
HistoryKey = tuple[datetime, int, int]
STREAMS: dict[str, type[Model]] = {"claim": Claim, "verdict": Verdict, "source": Source}


def claim_history(claim: Claim) -> list[HistoryEntry]:
    """Everything recorded about a claim, its verdicts and its sources, oldest first.

    Verdicts and sources that were deleted, even purged, keep their history here.
    """
    streams = {
        "claim": Claim.history.filter(id=claim.pk),
        "verdict": Verdict.history.filter(claim_id=claim.pk),
        "source": Source.history.filter(claim_id=claim.pk),
    }
    entries: list[HistoryEntry] = []
    for name, records in streams.items():
        previous: dict[int, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            entries.append(_entry(name, record, previous.get(record.id)))
            previous[record.id] = record
    entries.sort(key=lambda entry: entry.key)
    return entries


def history_after(
    streams: dict[str, QuerySet], after: HistoryKey | None, size: int
) -> list[HistoryEntry]:
    """The first ``size`` records of ``streams`` (historical records of claims, verdicts
    and sources, by name as in ``STREAMS``) that come after ``after`` in time order, as
    entries. Each stream is read by its index on (history_date, history_id) from ``after``
    on, ``size`` rows at most, so a page deep in the history costs what the first does;
    the records before the changed ones come in one more query per stream."""
    read: list[tuple[HistoryKey, str, Any]] = []
    for order, name in enumerate(STREAMS):
        records = streams[name]
        if after is not None:
            moment, stream, history_id = after
            if order < stream:
                records = records.filter(history_date__gt=moment)
            elif order > stream:
                records = records.filter(history_date__gte=moment)
            else:
                moment = connection.ops.adapt_datetimefield_value(moment)
                records = records.filter(
                    RowSQL(
                        "({table}.history_date, {table}.history_id) > (%s, %s)",
                        [moment, history_id],
                        BooleanField(),
                    )
                )
        records = records.select_related("history_user").order_by("history_date", "history_id")
        read += [((r.history_date, order, r.history_id), name, r) for r in records[:size]]
    read.sort(key=lambda row: row[0])
    read = read[:size]
    # The record before each change, to tell what changed: the earlier records of the
    # changed objects, by the index on their id.
    previous: dict[int, Any] = {}
    for order, (name, model) in enumerate(STREAMS.items()):
        changed = [(key, r) for key, kind, r in read if kind == name and r.history_type == "~"]
        if not changed:
            continue
        last = max(key for key, _r in changed)
        earlier = model.history.filter(
            id__in={r.id for _key, r in changed}, history_date__lte=last[0]
        ).order_by("history_date", "history_id")
        by_object: dict[int, list[Any]] = defaultdict(list)
        for record in earlier:
            by_object[record.id].append(record)
        for key, record in changed:
            before = [
                other
                for other in by_object[record.id]
                if (other.history_date, order, other.history_id) < key
            ]
            if before:
                previous[record.history_id] = before[-1]
    _load_related([r for _key, _kind, r in read] + list(previous.values()))
    return [_entry(name, r, previous.get(r.history_id)) for _key, name, r in read]


def _load_related(records: list[Any]) -> None:
    """The objects the records' foreign keys name, a query per kind of object rather
    than one per record; documents without their text."""
    by_model: dict[type[Model], list[Any]] = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record)
    for model, same in by_model.items():
        names = [
            f.name
            for f in model._meta.fields
            if f.is_relation and f.name not in ("history_user", "history_relation")
        ]
        lookups = [
            Prefetch(name, queryset=Document.objects.defer("text", "links"))
            if model._meta.get_field(name).related_model is Document
            else name
            for name in names
        ]
        prefetch_related_objects(same, *lookups)


def _entry(name: str, record: Any, before: Any) -> HistoryEntry:
    if record.history_type == "-":
        action, changes = "purged", []
    elif record.history_type == "+" or before is None:
        action, changes = "created", _initial_values(record)
    else:
        delta = record.diff_against(before, foreign_keys_are_objs=True)
        m2m = {f.name: f for f in record._history_m2m_fields}
        changes = [
            FieldChange(c.field, *(_related(m2m[c.field], v) for v in (c.old, c.new)))
            if c.field in m2m
            else FieldChange(c.field, _value(c.old), _value(c.new))
            for c in delta.changes
            if c.field not in _NOT_SHOWN
        ]
        action = "changed"
        if "deleted_at" in delta.changed_fields:
            action = "restored" if record.deleted_at is None else "deleted"
    return HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        model=name,
        object_id=record.id,
        action=action,
        reason=record.history_change_reason or "",
        changes=changes,
        claim_id=record.id if name == "claim" else record.claim_id,
        key=(record.history_date, list(STREAMS).index(name), record.history_id),
    )


def _initial_values(record: Any) -> list[FieldChange]:
    changes = []
    for tracked in record.tracked_fields:
        if tracked.name in _NOT_SHOWN or not tracked.editable:
            continue
        value = getattr(record, tracked.attname)
        if value in (None, "", [], {}):
            continue
        if tracked.is_relation:
            value = getattr(record, tracked.name, value)
        changes.append(FieldChange(tracked.name, None, value))
    for m2m_field in record._history_m2m_fields:
        target = get_m2m_reverse_field_name(m2m_field)
        rows = getattr(record, m2m_field.name).select_related(target)
        related = [getattr(row, target) for row in rows.order_by(target)]
        if related:
            changes.append(FieldChange(m2m_field.name, None, related))
    return changes


def _value(value: Any) -> Any:
    # diff_against reports an empty foreign key as a deleted object without a key.
    if isinstance(value, DeletedObject) and value.pk is None:
        return None
    return value


def _related(m2m_field: Any, rows: list[dict]) -> list[Any]:
    # diff_against gives many-to-many values as rows of the through table; a reader wants
    # the related objects themselves (for a verdict: the sources it relies on).
    target = get_m2m_reverse_field_name(m2m_field)
    return [row[target] for row in rows]
