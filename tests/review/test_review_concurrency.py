"""No lost updates: two people writing the same thing at once.

Each writer runs in its own thread with its own database connection. Both read the
object first and wait at a barrier, so both hold the same version when they write;
exactly one must win and the other must get ``Conflict``. Run on SQLite (the default)
and on PostgreSQL (``DATABASE_URL=postgres://...``): they lock differently.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from annotations.models import Claim, Verdict
from annotations.services.errors import Conflict
from annotations.services.verdicts import (
    claim_set_final_verdict,
    verdict_submit,
    verdict_update,
)
from annotations.services.workflow import claim_approve, claim_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(*writers: tuple[Callable[[], Any], Callable[[Any], Any]]) -> list[tuple[str, Any]]:
    """Run each (read, write) pair in its own thread: all reads, then all writes at once.

    Returns ("ok", result) or ("error", exception) per writer, in order.
    """
    barrier = threading.Barrier(len(writers), timeout=20)
    outcomes: list[tuple[str, Any]] = [("error", None)] * len(writers)

    def run(index: int, read: Callable[[], Any], write: Callable[[Any], Any]) -> None:
        try:
            seen = read()
            barrier.wait()
            outcomes[index] = ("ok", write(seen))
        except Exception as exc:
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, read, write))
        for index, (read, write) in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def one_wins(outcomes: list[tuple[str, Any]]) -> int:
    """The index of the single winner; everyone else got Conflict."""
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1, outcomes
    for kind, value in outcomes:
        if kind == "error":
            assert isinstance(value, Conflict), value
    return kinds.index("ok")


def test_two_tabs_updating_one_verdict_cannot_overwrite_each_other(project, reviewer):
    claim = ClaimFactory(document__project=project)
    verdict = verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="First.")
    records = verdict.history.count()

    def read():
        return Verdict.objects.get(pk=verdict.pk)

    def writer(rationale):
        def write(seen):
            return verdict_update(
                verdict=seen, actor=reviewer, expected_version=seen.version, rationale=rationale
            )

        return write

    outcomes = race((read, writer("From tab A.")), (read, writer("From tab B.")))
    winner = one_wins(outcomes)

    verdict.refresh_from_db()
    assert verdict.rationale == ["From tab A.", "From tab B."][winner]
    assert verdict.version == 2
    assert verdict.history.count() == records + 1
    loser = outcomes[1 - winner][1]
    assert loser.current.rationale == verdict.rationale


def test_two_reviewers_correcting_one_claim_cannot_overwrite_each_other(project, member):
    claim = ClaimFactory(document__project=project)
    first, second = member(), member()

    def read():
        return Claim.objects.get(pk=claim.pk)

    def writer(actor, kind):
        def write(seen):
            return claim_update(claim=seen, actor=actor, expected_version=seen.version, kind=kind)

        return write

    outcomes = race((read, writer(first, "opinion")), (read, writer(second, "prediction")))
    winner = one_wins(outcomes)

    claim.refresh_from_db()
    assert claim.kind == ["opinion", "prediction"][winner]
    assert claim.version == 2


def test_an_approval_and_a_correction_of_the_same_version_do_not_both_happen(
    project, reviewer, editor
):
    claim = ClaimFactory(document__project=project)
    verdict_submit(claim=claim, actor=reviewer, rating="false", rationale="No.")
    claim_set_final_verdict(claim=claim, actor=editor, verdict=claim.verdicts.get())

    def read():
        return Claim.objects.get(pk=claim.pk)

    def approve(seen):
        return claim_approve(claim=seen, actor=editor, expected_version=seen.version)

    def correct(seen):
        return claim_update(
            claim=seen, actor=reviewer, expected_version=seen.version, kind="opinion"
        )

    outcomes = race((read, approve), (read, correct))
    winner = one_wins(outcomes)

    claim.refresh_from_db()
    # Either the editor approved what they saw, or the correction went in and the
    # approval was refused: never an approval of a claim the editor did not see.
    assert (claim.status, claim.kind) == [("approved", "fact"), ("reviewed", "opinion")][winner]


def test_a_double_submitted_first_verdict_is_stored_once(project, reviewer):
    claim = ClaimFactory(document__project=project)

    def read():
        return Claim.objects.get(pk=claim.pk)

    def submit(seen):
        return verdict_submit(claim=seen, actor=reviewer, rating="false", rationale="No.")

    one_wins(race((read, submit), (read, submit)))
    assert Verdict.objects.filter(claim=claim).count() == 1
