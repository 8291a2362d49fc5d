from django.db import migrations, models

from annotations.migrations._sqlite_triggers import paused, resumed


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0016_fetch_messages_as_codes"),
    ]

    # SQLite rebuilds both tables to add a column with a default.
    operations = [
        paused("annotations_document"),
        paused("annotations_source"),
        migrations.AddField(
            model_name="document",
            name="processing_worker",
            field=models.CharField(blank=True, max_length=200, verbose_name="processed by worker"),
        ),
        migrations.AddField(
            model_name="source",
            name="fetch_slot",
            field=models.CharField(blank=True, max_length=64, verbose_name="fetch slot"),
        ),
        migrations.AddField(
            model_name="source",
            name="fetch_worker",
            field=models.CharField(blank=True, max_length=200, verbose_name="fetched by worker"),
        ),
        resumed("annotations_source"),
        resumed("annotations_document"),
    ]
