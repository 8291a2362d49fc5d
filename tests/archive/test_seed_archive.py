"""The seeded archive the benchmarks compare: its sizes and how much of it is in the trash."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Claim, Document

pytestmark = pytest.mark.django_db


def seed(*args: str) -> None:
    call_command("seed_archive", *args, stdout=io.StringIO())


def test_it_puts_one_claim_in_200_in_the_trash_by_default():
    seed("--project", "archive", "--claims", "540")

    assert Document.objects.filter(project__slug="archive").count() == 20
    assert Claim.objects.filter(document__project__slug="archive").count() == 540
    assert Claim.objects.filter(deleted_at__isnull=False).count() == 2


def test_trash_every_fills_a_small_archive_s_trash():
    seed("--project", "full", "--claims", "540", "--trash-every", "20")

    trashed = Claim.objects.filter(deleted_at__isnull=False)
    assert trashed.count() == 27
    assert all(claim.pk % 20 == 0 for claim in trashed)


def test_trash_every_must_be_at_least_one():
    with pytest.raises(CommandError):
        seed("--project", "none", "--claims", "540", "--trash-every", "0")
