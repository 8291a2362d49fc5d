"""Fetch failures kept as a code with its values, beside the English text.

SQLite rebuilds both tables to add a column with a default, so their triggers are set
aside around the change (see ``_sqlite_triggers``).
"""

from django.db import migrations, models

from annotations.migrations._sqlite_triggers import paused, resumed


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0015_queued_at_for_the_sweep'),
    ]

    operations = [
        paused("annotations_document"),
        paused("annotations_source"),
        migrations.AddField(
            model_name='document',
            name='status_code',
            field=models.CharField(blank=True, max_length=40, verbose_name='status code'),
        ),
        migrations.AddField(
            model_name='document',
            name='status_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='status values'),
        ),
        migrations.AddField(
            model_name='source',
            name='fetch_error_code',
            field=models.CharField(blank=True, max_length=40, verbose_name='fetch error code'),
        ),
        migrations.AddField(
            model_name='source',
            name='fetch_error_params',
            field=models.JSONField(blank=True, default=dict, verbose_name='fetch error values'),
        ),
        resumed("annotations_source"),
        resumed("annotations_document"),
    ]
