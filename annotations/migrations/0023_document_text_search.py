"""A document's words in its own full-text index, so that the document list finds an
article by any word of its text in one look-up per document.

The list used to find documents through their claims: a document matched when one of
its claims held every word. In an order that does not follow the claims (by title, by
number of claims), a common word made the database walk thousands of documents and look
at each one's claims (480 ms at a million claims). A document's text never changes (a
new version is a new document), so its words are indexed once, when it is stored.

PostgreSQL: a ``text_vector`` column, without positions (a two-million-character text
keeps only its distinct words), under a GIN index; a text whose distinct words pass the
1 MB a vector may hold is indexed by its first 200,000 characters. SQLite: an FTS5 table
of the text's stems, kept by triggers like the titles'.
"""

from django.db import migrations

CONFIG = "CASE WHEN {language} = 'en' THEN 'english'::regconfig ELSE 'russian'::regconfig END"

POSTGRES_FORWARD = [
    "ALTER TABLE annotations_document ADD COLUMN text_vector tsvector",
    f"""
    CREATE OR REPLACE FUNCTION annotations_text_vector(language text, body text)
    RETURNS tsvector AS $$
    BEGIN
        RETURN strip(to_tsvector({CONFIG.format(language="language")}, body));
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN strip(to_tsvector({CONFIG.format(language="language")}, left(body, 200000)));
    END
    $$ LANGUAGE plpgsql IMMUTABLE
    """,
    """
    CREATE OR REPLACE FUNCTION annotations_document_text_vector() RETURNS trigger AS $$
    BEGIN
        NEW.text_vector := annotations_text_vector(NEW.language, NEW.text);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER annotations_document_text_vector
        BEFORE INSERT OR UPDATE OF text, language ON annotations_document
        FOR EACH ROW EXECUTE FUNCTION annotations_document_text_vector()
    """,
    "UPDATE annotations_document SET text_vector = annotations_text_vector(language, text)",
    "CREATE INDEX annotations_document_text_search ON annotations_document "
    "USING gin (text_vector)",
    # Statistics of ten thousand of the most common words rather than a thousand: a word
    # the statistics do not hold is estimated at half the rarest one's share, and with a
    # newsroom's vocabulary only the longer list tells a rare word from a common one, so
    # that the list is read from the index for the one and walked in order for the other.
    "ALTER TABLE annotations_document ALTER COLUMN text_vector SET STATISTICS 1000, "
    "ALTER COLUMN title_vector SET STATISTICS 1000",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS annotations_document_text_search",
    "DROP TRIGGER IF EXISTS annotations_document_text_vector ON annotations_document",
    "DROP FUNCTION IF EXISTS annotations_document_text_vector()",
    "DROP FUNCTION IF EXISTS annotations_text_vector(text, text)",
    "ALTER TABLE annotations_document DROP COLUMN IF EXISTS text_vector",
]

INDEX = "annotations_document_text_search"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {INDEX} USING fts5(terms, tokenize='unicode61 remove_diacritics 0')",
    f"INSERT INTO {INDEX} (rowid, terms) SELECT id, search_terms(text) FROM annotations_document",
    f"""CREATE TRIGGER {INDEX}_insert AFTER INSERT ON annotations_document BEGIN
        INSERT INTO {INDEX} (rowid, terms) VALUES (NEW.id, search_terms(NEW.text)); END""",
    f"""CREATE TRIGGER {INDEX}_update AFTER UPDATE OF text ON annotations_document BEGIN
        DELETE FROM {INDEX} WHERE rowid = OLD.id;
        INSERT INTO {INDEX} (rowid, terms) VALUES (NEW.id, search_terms(NEW.text)); END""",
    f"""CREATE TRIGGER {INDEX}_delete AFTER DELETE ON annotations_document BEGIN
        DELETE FROM {INDEX} WHERE rowid = OLD.id; END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {INDEX}_insert",
    f"DROP TRIGGER IF EXISTS {INDEX}_update",
    f"DROP TRIGGER IF EXISTS {INDEX}_delete",
    f"DROP TABLE IF EXISTS {INDEX}",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0022_document_title_vector"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
