"""History that the API lists across a project, or for one claim, in time order."""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords


class ListedHistory(HistoricalRecords):
    """Historical records with an index on (history_date, history_id), the order of the
    history list whose pages seek by it (many records share a moment, so the date alone
    would leave each page to sort its ties), and one on (``claim``, history_date,
    history_id) for one claim's history, ``claim`` naming the column that holds the claim
    (without it the database reads the whole history in time order looking for the few
    records of one claim)."""

    def __init__(self, *args: Any, claim: str = "claim", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        meta = super().get_meta_options(model)
        name = model._meta.model_name
        meta["indexes"] = (
            *meta.get("indexes", ()),
            models.Index(fields=["history_date", "history_id"], name=f"{name}_history_time"),
            models.Index(
                fields=[self.claim, "history_date", "history_id"], name=f"{name}_history_claim"
            ),
        )
        return meta
