"""A query an export runs once per chunk of claims is built by Django once and run
with each chunk's range of ids, giving the rows building it every time gives."""

from __future__ import annotations

from django.db.models import Q

from annotations.exports import rows
from annotations.exports.native import VERDICT_FIELDS
from annotations.models import Claim, Verdict
from tests.test_export_csv_postgres import newsrooms


def test_the_statement_is_built_once_and_gives_the_rows_of_the_query(db):
    newsrooms()
    built: list[Q] = []

    def live_verdicts(ids: Q):
        built.append(ids)
        return Verdict.objects.filter(ids, deleted_at__isnull=True).order_by(
            "claim_id", "created_at", "id", "sources__id"
        )

    fields = (*VERDICT_FIELDS, "sources__id")
    moments = ("created_at", "updated_at")
    reader = rows.Reader("default")
    claim_ids = sorted(Claim.objects.values_list("pk", flat=True))
    chunks = [claim_ids[start : start + 7] for start in range(0, len(claim_ids), 7)]

    for chunk in chunks:
        found = list(reader.tuples_among(live_verdicts, "claim_id", chunk, fields, moments=moments))
        expected = list(
            rows.Reader("default").tuples(
                live_verdicts(rows.among_ids("claim_id", chunk)), fields, moments=moments
            )
        )
        assert found == expected
    # Once for the statement, then once per chunk for the expected rows alone.
    assert len(built) == 1 + len(chunks)
    assert sum(len(chunk) for chunk in chunks) == len(claim_ids) > 40


def test_sparse_ids_are_asked_for_by_the_ids_themselves(db):
    newsrooms()
    built: list[Q] = []

    def verdicts(ids: Q):
        built.append(ids)
        return Verdict.objects.filter(ids).order_by("claim_id", "id")

    reader = rows.Reader("default")
    claim_ids = sorted(Claim.objects.values_list("pk", flat=True))
    sparse = claim_ids[::5]

    found = list(reader.tuples_among(verdicts, "claim_id", sparse, ("claim_id", "id")))

    assert found == list(
        Verdict.objects.filter(claim_id__in=sparse)
        .order_by("claim_id", "id")
        .values_list("claim_id", "id")
    )
    assert found and {claim_id for claim_id, _ in found} <= set(sparse)
    assert built == [Q(claim_id__in=sparse)]
