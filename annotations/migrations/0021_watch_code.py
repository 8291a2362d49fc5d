"""A watched document's last failed check kept as the fetcher's code with its values,
beside the English text, so the page says it in the reader's language.

SQLite rebuilds the table to add a column with a default, so its triggers are set aside
around the change (see ``_sqlite_triggers``).
"""

from django.db import migrations, models

from annotations.migrations._sqlite_triggers import paused, resumed


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0020_claim_number_terms"),
    ]

    operations = [
        paused("annotations_document"),
        migrations.AddField(
            model_name="document",
            name="watch_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="last check code"),
        ),
        migrations.AddField(
            model_name="document",
            name="watch_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="last check values"),
        ),
        resumed("annotations_document"),
        migrations.AddField(
            model_name="historicaldocument",
            name="watch_code",
            field=models.CharField(blank=True, max_length=40, verbose_name="last check code"),
        ),
        migrations.AddField(
            model_name="historicaldocument",
            name="watch_params",
            field=models.JSONField(blank=True, default=dict, verbose_name="last check values"),
        ),
    ]
