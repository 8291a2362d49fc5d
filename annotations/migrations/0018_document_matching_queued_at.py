from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0017_workers_take_back_their_work'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='matching_queued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='matching queued at'),
        ),
    ]
