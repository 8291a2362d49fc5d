"""Filters shared by the API's lists."""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

from ..models import Project
from .serializers import MAX_ID

WORDS_MAX_LENGTH = 200


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A row by its id: a whole number the database's ids can hold, stated as such in the
    OpenAPI document so that clients (and generated requests) don't send fractions."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 1})
class FractionFilter(django_filters.NumberFilter):
    """A fraction from 0 to 1 (a check-worthiness score), its bounds stated in the schema."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 1)
        super().__init__(*args, **kwargs)


class ProjectFilter(django_filters.CharFilter):
    """A project by its slug, compared by id: the database then knows which project the
    list is about and reads the rows in the order of its index for that project, where a
    comparison of slugs across a join leaves it to guess and read the whole project."""

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        found = Project.objects.filter(slug=value).values_list("pk", flat=True).first()
        if found is None:
            return queryset.none()
        return queryset.filter(**{self.field_name: found})


@extend_schema_field({"type": "string", "maxLength": WORDS_MAX_LENGTH})
class WordsFilter(django_filters.CharFilter):
    """Words to search for, as long as a search box takes."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", WORDS_MAX_LENGTH)
        super().__init__(*args, **kwargs)


class SinceFilter(django_filters.IsoDateTimeFilter):
    """Rows changed at or after a moment, compared in UTC: ISO 8601 allows offsets up to
    ±23:59 where PostgreSQL takes ±15:59, and a moment at the edge of the calendar has no
    UTC time (before it means everything, after it nothing)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: datetime | None) -> QuerySet:
        if value is None:
            return queryset
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            edge = datetime.min if value.year == datetime.min.year else datetime.max
            value = edge.replace(tzinfo=UTC)
        return super().filter(queryset, value)
