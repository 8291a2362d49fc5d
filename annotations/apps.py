from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _register_search_terms(sender, connection, **kwargs) -> None:
    """SQLite's search triggers call ``search_terms`` (migration 0004) on each write."""
    if connection.vendor == "sqlite":
        from .search import search_terms

        connection.connection.create_function("search_terms", 1, search_terms, deterministic=True)


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = _("Fact-checking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_register_search_terms)
