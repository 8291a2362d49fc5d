"""Helpers shared by the reviewer page tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model

HTMX = {"HX-Request": "true"}


def login(client, user) -> None:
    """Log in as the user as stored (factories leave the in-memory password unsaved)."""
    client.force_login(get_user_model().objects.get(pk=user.pk))
