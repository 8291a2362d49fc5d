"""PostgreSQL: a document's title search vector kept in a column, like a claim's.

The expression index on ``to_tsvector(title)`` served a rare word, but a common one makes
the planner walk the document list in its order and check each title, and the check
computed the vector again for every row (about 12 µs a title: 10 ms to fill a page of a
37,000-document archive). A stored vector is checked without being computed. SQLite's
titles are in their FTS5 table already.
"""

from django.db import migrations

CONFIG = "CASE WHEN {language} = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END"

FORWARD = [
    "ALTER TABLE annotations_document ADD COLUMN title_vector tsvector",
    f"""
    CREATE OR REPLACE FUNCTION annotations_document_title_vector() RETURNS trigger AS $$
    BEGIN
        NEW.title_vector := to_tsvector({CONFIG.format(language="NEW.language")}, NEW.title);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER annotations_document_title_vector
        BEFORE INSERT OR UPDATE OF title, language ON annotations_document
        FOR EACH ROW EXECUTE FUNCTION annotations_document_title_vector()
    """,
    f"UPDATE annotations_document SET title_vector = "
    f"to_tsvector({CONFIG.format(language='language')}, title)",
    "DROP INDEX IF EXISTS annotations_document_title_search",
    "CREATE INDEX annotations_document_title_search ON annotations_document "
    "USING gin (title_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS annotations_document_title_search",
    f"""
    CREATE INDEX annotations_document_title_search ON annotations_document
        USING gin (to_tsvector({CONFIG.format(language="language")}, title))
    """,
    "DROP TRIGGER IF EXISTS annotations_document_title_vector ON annotations_document",
    "DROP FUNCTION IF EXISTS annotations_document_title_vector()",
    "ALTER TABLE annotations_document DROP COLUMN IF EXISTS title_vector",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0021_watch_code"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
