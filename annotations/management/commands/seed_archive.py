"""Fill a project with a newsroom's archive of a given size, for benchmarks and trials.

    python manage.py seed_archive --project archive --claims 1000000

Made in bulk (PostgreSQL: COPY; SQLite: executemany), a few thousand documents to a
transaction: for every 27 claims one document, for every 10 claims a source with one
snapshot, for every 10 claims four verdicts (by the reviewers in turn), a fifth of the
claims assigned to the first reviewer, one claim in 200 in the trash (``--trash-every``).
The database's triggers still check each claim against its document's text and index it
for search.

A small archive to compare with a large one should show full pages wherever the large one
does, or the comparison measures how many rows a page holds rather than how the archive
grew: ``--claims 2700 --trash-every 20`` gives 100 documents and 135 trashed claims, a
full page of each.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.models import (
    Claim,
    ClaimStatus,
    Document,
    Membership,
    Project,
    Role,
    Snapshot,
    Source,
    Verdict,
)
from annotations.search import tidy_index
from annotations.services.projects import project_create

CLAIMS_PER_DOCUMENT = 27
REVIEWERS = 5
BATCH_DOCUMENTS = 2000

RUSSIAN_SUBJECTS = [
    "Казахстан", "Россия", "Министерство финансов", "Правительство", "Центральный банк",
    "Парламент", "Астана", "Москва", "Экспорт зерна", "Инфляция", "Бюджет", "Компания",
]  # fmt: skip
RUSSIAN_VERBS = [
    "увеличил", "сократила", "объявило", "сообщил", "снизилась", "выросла", "потратил",
    "подписала", "обещал", "отменила",
]  # fmt: skip
RUSSIAN_OBJECTS = [
    "расходы на оборону", "поставки нефти", "пенсии", "налоги для малого бизнеса",
    "торговлю с Китаем", "число школ", "цены на хлеб", "соглашение о транзите",
    "строительство дорог", "выпуск облигаций", "импорт автомобилей", "зарплаты врачей",
]  # fmt: skip
ENGLISH_SUBJECTS = [
    "The ministry", "The government", "The central bank", "Parliament", "The company",
    "Inflation", "The budget", "Exports of grain", "The mayor", "Kazakhstan",
]  # fmt: skip
ENGLISH_VERBS = [
    "raised", "cut", "announced", "reported", "doubled", "halved", "spent", "signed",
    "promised", "cancelled",
]  # fmt: skip
ENGLISH_OBJECTS = [
    "defence spending", "oil deliveries", "pensions", "taxes on small firms",
    "trade with China", "the number of schools", "bread prices", "a transit agreement",
    "road building", "bond sales", "car imports", "doctors' pay",
]  # fmt: skip

STATUSES = [
    (ClaimStatus.UNREVIEWED, 60),
    (ClaimStatus.IN_REVIEW, 10),
    (ClaimStatus.REVIEWED, 20),
    (ClaimStatus.APPROVED, 7),
    (ClaimStatus.PUBLISHED, 3),
]


def _sentence(rng: random.Random, language: str) -> str:
    if language == "en":
        subject, verb, obj = ENGLISH_SUBJECTS, ENGLISH_VERBS, ENGLISH_OBJECTS
        tail = f"by {rng.randint(2, 90)}% in {rng.randint(1995, 2026)}"
    else:
        subject, verb, obj = RUSSIAN_SUBJECTS, RUSSIAN_VERBS, RUSSIAN_OBJECTS
        tail = f"на {rng.randint(2, 90)}% в {rng.randint(1995, 2026)} году"
    return f"{rng.choice(subject)} {rng.choice(verb)} {rng.choice(obj)} {tail}."


class _Table:
    """Rows for one model's table in column order: given values, the rest its defaults."""

    def __init__(self, model: type[models.Model], given: list[str]) -> None:
        self.model = model
        by_name = {field.name: field for field in model._meta.concrete_fields}
        self.given = [by_name[name].column for name in given]
        # The primary key comes from its sequence unless given.
        fields = [
            field for field in by_name.values() if not field.primary_key or field.name in given
        ]
        self.columns = [field.column for field in fields]
        self.constants: dict[str, Any] = {}
        for field in fields:
            if field.column not in self.given:
                self.constants[field.column] = field.get_db_prep_save(
                    field.get_default(), connection
                )
        self.order = self.given + [column for column in self.columns if column not in self.given]

    def write(self, rows: Iterable[tuple]) -> None:
        constants = tuple(self.constants[column] for column in self.order[len(self.given) :])
        full = (row + constants for row in rows)
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.order)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.order))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (model names)
                cursor.executemany(insert, full)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _reset_sequences(*tables: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


class Command(BaseCommand):
    help = _("Fill a project with an archive of documents, claims, sources and verdicts.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", required=True, help=_("Slug; made if missing."))
        parser.add_argument("--claims", type=int, required=True)
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument(
            "--trash-every",
            type=int,
            default=200,
            help=_("One claim in this many is in the trash."),
        )
        parser.add_argument(
            "--password", default="archive-bench", help=_("Password of the seeded users.")
        )

    def handle(
        self,
        *args,
        project: str,
        claims: int,
        seed: int,
        password: str,
        trash_every: int = 200,
        **options,
    ):
        if claims < CLAIMS_PER_DOCUMENT:
            raise CommandError(_("Give at least %(n)s claims.") % {"n": CLAIMS_PER_DOCUMENT})
        if trash_every < 1:
            raise CommandError(_("--trash-every is a whole number of at least 1."))
        self.trash_every = trash_every
        rng = random.Random(seed)
        target, reviewers = self._project(project, password)
        if Document.objects.filter(project=target).exists():
            raise CommandError(_("Project “%(slug)s” already has documents.") % {"slug": project})
        ratings = list(target.rating_scale.ratings.values_list("pk", flat=True))
        documents = claims // CLAIMS_PER_DOCUMENT
        made = 0
        for first in range(0, documents, BATCH_DOCUMENTS):
            count = min(BATCH_DOCUMENTS, documents - first)
            with transaction.atomic():
                made += self._batch(rng, target, reviewers, ratings, first, count)
            self.stdout.write(f"{first + count} documents, {made} claims")
        _reset_sequences(Document, Claim, Source, Snapshot, Verdict)
        # As the daily tidying leaves a live archive's SQLite full-text indexes.
        tidy_index()
        if connection.vendor == "postgresql":
            # As autovacuum leaves a live archive: statistics for the planner (the history
            # too) and a visibility map, without which index-only scans read the table.
            # (VACUUM cannot run inside a transaction: a seed run inside one only analyses.)
            history = Claim.history.model
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                for model in (Document, Claim, Source, Snapshot, Verdict, history):
                    cursor.execute(f"{command} {model._meta.db_table}")
        self.stdout.write(
            _("Project “%(slug)s”: %(documents)s documents, %(claims)s claims.")
            % {"slug": project, "documents": documents, "claims": made}
        )

    def _project(self, slug: str, password: str):
        User = get_user_model()
        owner, _made = User.objects.get_or_create(username=f"{slug}-editor")
        owner.set_password(password)
        owner.save()
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            project = project_create(name=slug, slug=slug, created_by=owner)
        reviewers = []
        for number in range(1, REVIEWERS + 1):
            user, _made = User.objects.get_or_create(username=f"{slug}-reviewer{number}")
            user.set_password(password)
            user.save()
            Membership.objects.get_or_create(
                project=project, user=user, defaults={"role": Role.REVIEWER}
            )
            reviewers.append(user.pk)
        return project, reviewers

    def _batch(self, rng, project, reviewers, ratings, first: int, count: int) -> int:
        now = timezone.now()
        document_id, claim_id = _next_id(Document), _next_id(Claim)
        source_id, verdict_id = _next_id(Source), _next_id(Verdict)
        documents, claims, sources, snapshots, verdicts = [], [], [], [], []
        weights = [weight for _status, weight in STATUSES]
        statuses = [status for status, _weight in STATUSES]
        for number in range(first, first + count):
            language = "en" if number % 5 == 0 else "ru"
            # Older documents first, as an archive grows; stored as the backend stores them.
            created = connection.ops.adapt_datetimefield_value(
                now - timedelta(minutes=10 * (first + count - number))
            )
            sentences = [_sentence(rng, language) for _ in range(CLAIMS_PER_DOCUMENT)]
            text = " ".join(sentences)
            title = f"{sentences[0][:-1]} ({number + 1})"
            sha256 = hashlib.sha256(text.encode()).hexdigest()
            documents.append(
                (document_id, project.pk, title, language, text, sha256, "ready", created)
            )
            start = 0
            for position, sentence in enumerate(sentences):
                end = start + len(sentence)
                status = rng.choices(statuses, weights)[0]
                assignee = reviewers[0] if claim_id % 5 == 0 else None
                deleted = created if claim_id % self.trash_every == 0 else None
                worth = round(rng.random(), 3)
                claims.append(
                    (claim_id, document_id, position, start, end, sentence, "fact", "fact",
                     worth, status, assignee, deleted, created, created)
                )  # fmt: skip
                if claim_id % 10 == 0:
                    sources.append(
                        (source_id, claim_id, f"https://news{claim_id % 97}.example/{claim_id}",
                         sentence[:40], "quote_found", 1, created, created)
                    )  # fmt: skip
                    snapshots.append(
                        (source_id, 1, f"https://news{claim_id % 97}.example/{claim_id}", 200,
                         "text/html", "0" * 64, created, True)
                    )  # fmt: skip
                    source_id += 1
                if claim_id % 10 in (1, 2, 3, 4):
                    verdicts.append(
                        (verdict_id, claim_id, reviewers[claim_id % len(reviewers)],
                         rng.choice(ratings), "Checked against the ministry's figures.",
                         created, created)
                    )  # fmt: skip
                    verdict_id += 1
                start = end + 1
                claim_id += 1
            document_id += 1
        _Table(
            Document,
            ["id", "project", "title", "language", "text", "sha256", "status", "created_at"],
        ).write(documents)
        _Table(
            Claim,
            ["id", "document", "position", "start", "end", "text", "kind", "extracted_kind",
             "checkworthiness", "status", "assignee", "deleted_at", "created_at", "updated_at"],
        ).write(claims)  # fmt: skip
        _Table(
            Source,
            ["id", "claim", "url", "quote", "fetch_state", "fetch_count", "created_at",
             "updated_at"],
        ).write(sources)  # fmt: skip
        _Table(
            Snapshot,
            ["source", "fetch_number", "final_url", "http_status", "content_type", "sha256",
             "fetched_at", "quote_found"],
        ).write(snapshots)  # fmt: skip
        _Table(
            Verdict, ["id", "claim", "reviewer", "rating", "rationale", "created_at", "updated_at"]
        ).write(verdicts)
        self._history(claims[0][0], claims[-1][0])
        return len(claims)

    def _history(self, first: int, last: int) -> None:
        """A "created" history row per claim, as storing extracted claims writes."""
        from simple_history.utils import get_history_manager_for_model

        history = get_history_manager_for_model(Claim).model
        quote = connection.ops.quote_name
        tracked = [field.column for field in history.tracked_fields]
        extra = {
            "history_date": history._meta.get_field("history_date").get_db_prep_save(
                timezone.now(), connection
            ),
            "history_type": "+",
        }
        target = ", ".join(quote(column) for column in [*tracked, *extra])
        source = ", ".join([*(quote(column) for column in tracked), "%s", "%s"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({target}) "  # noqa: S608
                f"SELECT {source} FROM {quote(Claim._meta.db_table)} WHERE id BETWEEN %s AND %s",
                [*extra.values(), first, last],
            )
