"""A claim's figures, normalised, in its full-text index (see ``Claim.number_terms``).

PostgreSQL: the search vector is the text's words in the document's language and the
figures' words as they are ('simple'). SQLite: the FTS5 row holds the stems of both.
Existing claims get their figures here, a chunk at a time.
"""

from django.db import migrations, models

from annotations.migrations._sqlite_triggers import paused, resumed

CONFIG = "CASE WHEN {language} = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END"


def _vector(language: str, text: str, terms: str) -> str:
    return (
        f"to_tsvector({CONFIG.format(language=language)}, {text}) "
        f"|| to_tsvector('simple', coalesce({terms}, ''))"
    )


def _vector_text_only(language: str, text: str) -> str:
    return f"to_tsvector({CONFIG.format(language=language)}, {text})"


def _postgres(columns: str, claim_vector: str, document_vector: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION annotations_claim_search_vector() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := (SELECT {claim_vector}
                                    FROM annotations_document d WHERE d.id = NEW.document_id);
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """,
        "DROP TRIGGER IF EXISTS annotations_claim_search_vector ON annotations_claim",
        f"""
        CREATE TRIGGER annotations_claim_search_vector
            BEFORE INSERT OR UPDATE OF text, document_id{columns} ON annotations_claim
            FOR EACH ROW EXECUTE FUNCTION annotations_claim_search_vector()
        """,
        f"""
        CREATE OR REPLACE FUNCTION annotations_document_language_search() RETURNS trigger AS $$
        BEGIN
            UPDATE annotations_claim SET search_vector = {document_vector}
            WHERE document_id = NEW.id;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
    ]


POSTGRES_FORWARD = _postgres(
    ", number_terms",
    _vector("d.language", "NEW.text", "NEW.number_terms"),
    _vector("NEW.language", "text", "number_terms"),
)
POSTGRES_BACKWARD = _postgres(
    "",
    _vector_text_only("d.language", "NEW.text"),
    _vector_text_only("NEW.language", "text"),
)


def _sqlite(columns: str, terms: str) -> list[str]:
    index = "annotations_claim_search"
    return [
        f"DROP TRIGGER IF EXISTS {index}_insert",
        f"DROP TRIGGER IF EXISTS {index}_update",
        f"""CREATE TRIGGER {index}_insert AFTER INSERT ON annotations_claim BEGIN
            INSERT INTO {index} (rowid, terms) VALUES (NEW.id, {terms}); END""",
        f"""CREATE TRIGGER {index}_update AFTER UPDATE OF {columns} ON annotations_claim BEGIN
            DELETE FROM {index} WHERE rowid = OLD.id;
            INSERT INTO {index} (rowid, terms) VALUES (NEW.id, {terms}); END""",
    ]


SQLITE_FORWARD = _sqlite("text, number_terms", "search_terms(NEW.text || ' ' || NEW.number_terms)")
SQLITE_BACKWARD = _sqlite("text", "search_terms(NEW.text)")


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def backfill(apps, schema_editor) -> None:
    from annotations.matching.ranking import number_terms

    Claim = apps.get_model("annotations", "Claim")
    last = 0
    while True:
        chunk = list(
            Claim.objects.filter(pk__gt=last).order_by("pk").only("pk", "text")[:2000]
        )
        if not chunk:
            return
        last = chunk[-1].pk
        changed = []
        for claim in chunk:
            claim.number_terms = number_terms(claim.text)
            if claim.number_terms:
                changed.append(claim)
        Claim.objects.bulk_update(changed, ["number_terms"])


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0019_trash_and_history_orderings"),
    ]

    # SQLite rebuilds the claim table to add a column with a default.
    operations = [
        paused("annotations_claim"),
        migrations.AddField(
            model_name="claim",
            name="number_terms",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="figures"),
        ),
        resumed("annotations_claim"),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
