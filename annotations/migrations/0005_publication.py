"""Publishing: a claim's public fact-check, a project's public address, the author's type.

The document table changes, so SQLite's triggers on it and reading it are set aside
around the change (see ``_sqlite_triggers``).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from annotations.migrations._sqlite_triggers import paused, resumed


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0004_full_text_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        paused("annotations_document"),
        migrations.AddField(
            model_name="document",
            name="author_type",
            field=models.CharField(
                blank=True,
                choices=[("Person", "Person"), ("Organization", "Organisation")],
                help_text="Whether the author is a person or an organisation; guessed from the claims' named entities when empty.",
                max_length=16,
                verbose_name="author type",
            ),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="author_type",
            field=models.CharField(
                blank=True,
                choices=[("Person", "Person"), ("Organization", "Organisation")],
                help_text="Whether the author is a person or an organisation; guessed from the claims' named entities when empty.",
                max_length=16,
                verbose_name="author type",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="public_base_url",
            field=models.URLField(
                blank=True,
                help_text="Where readers reach the published fact-checks, e.g. https://factcheck.example.org; this site's own address when empty.",
                verbose_name="public address",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="public_base_url",
            field=models.URLField(
                blank=True,
                help_text="Where readers reach the published fact-checks, e.g. https://factcheck.example.org; this site's own address when empty.",
                verbose_name="public address",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalPublication",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "summary",
                    models.CharField(
                        blank=True,
                        help_text="A short wording of the claim for readers and search engines; the claim's own text when empty.",
                        max_length=300,
                        verbose_name="claim as published",
                    ),
                ),
                (
                    "article_url",
                    models.URLField(
                        blank=True,
                        help_text="Where the newsroom publishes this fact-check itself; the public page of factcheck when empty.",
                        max_length=2000,
                        verbose_name="article URL",
                    ),
                ),
                (
                    "first_appearance_url",
                    models.URLField(
                        blank=True,
                        help_text="Where the claim was first made, when known.",
                        max_length=2000,
                        verbose_name="first appearance",
                    ),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="first published at"),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="updated at"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="annotations.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical publication",
                "verbose_name_plural": "historical publications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Publication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "summary",
                    models.CharField(
                        blank=True,
                        help_text="A short wording of the claim for readers and search engines; the claim's own text when empty.",
                        max_length=300,
                        verbose_name="claim as published",
                    ),
                ),
                (
                    "article_url",
                    models.URLField(
                        blank=True,
                        help_text="Where the newsroom publishes this fact-check itself; the public page of factcheck when empty.",
                        max_length=2000,
                        verbose_name="article URL",
                    ),
                ),
                (
                    "first_appearance_url",
                    models.URLField(
                        blank=True,
                        help_text="Where the claim was first made, when known.",
                        max_length=2000,
                        verbose_name="first appearance",
                    ),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="first published at"),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="publication",
                        to="annotations.claim",
                        verbose_name="claim",
                    ),
                ),
            ],
            options={
                "verbose_name": "publication",
                "verbose_name_plural": "publications",
            },
        ),
        resumed("annotations_document"),
    ]
