"""Full-text search: claims by their words, documents by their title (see ``search``).

PostgreSQL: a ``search_vector`` column on claims, filled by a trigger in the configuration
of the document's language (Django does not map the column; ``search`` reads it), with GIN
indexes on it and on the titles. SQLite: FTS5 tables of stems kept by triggers that call
``search_terms``, a function each connection registers.
"""

from django.db import migrations

POSTGRES_CONFIG = "CASE WHEN {language} = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END"

POSTGRES_CREATE = [
    "ALTER TABLE annotations_claim ADD COLUMN search_vector tsvector",
    f"""
    CREATE OR REPLACE FUNCTION annotations_claim_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector(
            (SELECT {POSTGRES_CONFIG.format(language="d.language")}
               FROM annotations_document d WHERE d.id = NEW.document_id),
            NEW.text);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER annotations_claim_search_vector
        BEFORE INSERT OR UPDATE OF text, document_id ON annotations_claim
        FOR EACH ROW EXECUTE FUNCTION annotations_claim_search_vector()
    """,
    f"""
    UPDATE annotations_claim c SET search_vector = to_tsvector(
        {POSTGRES_CONFIG.format(language="d.language")}, c.text)
    FROM annotations_document d WHERE d.id = c.document_id
    """,
    "CREATE INDEX annotations_claim_search ON annotations_claim USING gin (search_vector)",
    # A document's language is set once its claims are cut: its claims follow it.
    f"""
    CREATE OR REPLACE FUNCTION annotations_document_language_search() RETURNS trigger AS $$
    BEGIN
        UPDATE annotations_claim SET search_vector = to_tsvector(
            {POSTGRES_CONFIG.format(language="NEW.language")}, text)
        WHERE document_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER annotations_document_language_search
        AFTER UPDATE OF language ON annotations_document
        FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
        EXECUTE FUNCTION annotations_document_language_search()
    """,
    f"""
    CREATE INDEX annotations_document_title_search ON annotations_document
        USING gin (to_tsvector({POSTGRES_CONFIG.format(language="language")}, title))
    """,
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS annotations_document_title_search",
    "DROP TRIGGER IF EXISTS annotations_document_language_search ON annotations_document",
    "DROP FUNCTION IF EXISTS annotations_document_language_search()",
    "DROP TRIGGER IF EXISTS annotations_claim_search_vector ON annotations_claim",
    "DROP FUNCTION IF EXISTS annotations_claim_search_vector()",
    "ALTER TABLE annotations_claim DROP COLUMN IF EXISTS search_vector",
]


def _sqlite_index(table: str, column: str) -> list[str]:
    index = f"{table}_search"
    terms = f"search_terms(NEW.{column})"
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5(terms, tokenize='unicode61 remove_diacritics 0')",
        f"INSERT INTO {index} (rowid, terms) SELECT id, search_terms({column}) FROM {table}",
        f"""CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {index} (rowid, terms) VALUES (NEW.id, {terms}); END""",
        f"""CREATE TRIGGER {index}_update AFTER UPDATE OF {column} ON {table} BEGIN
            DELETE FROM {index} WHERE rowid = OLD.id;
            INSERT INTO {index} (rowid, terms) VALUES (NEW.id, {terms}); END""",
        f"""CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN
            DELETE FROM {index} WHERE rowid = OLD.id; END""",
    ]


SQLITE_CREATE = [
    *_sqlite_index("annotations_claim", "text"),
    *_sqlite_index("annotations_document", "title"),
]
SQLITE_DROP = [
    f"DROP {kind} IF EXISTS {table}_search{suffix}"
    for table in ("annotations_claim", "annotations_document")
    for kind, suffix in (
        ("TRIGGER", "_insert"),
        ("TRIGGER", "_update"),
        ("TRIGGER", "_delete"),
        ("TABLE", ""),
    )
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_claim_slice_check_by_bytes")]
    operations = [migrations.RunPython(create, drop)]
