"""Filters shared by the API's lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from ..models import Project


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
