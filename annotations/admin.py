from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models

for model in (
    models.Project,
    models.Membership,
    models.RatingScale,
    models.Rating,
    models.Document,
    models.Claim,
    models.Source,
    models.Verdict,
    models.Comment,
):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(models.Snapshot)
admin.site.register(models.Profile)
