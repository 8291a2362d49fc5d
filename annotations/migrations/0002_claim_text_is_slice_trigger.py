"""The database itself refuses a claim whose text is not its slice of the document.

A CHECK constraint cannot read another table, so this is a trigger, written for each
supported database.
"""

from django.db import migrations

MESSAGE = "claim text must equal the document text between start and end"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION annotations_claim_text_is_slice() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM annotations_document d
        WHERE d.id = NEW.document_id
          AND substr(d.text, NEW.start + 1, GREATEST(NEW."end" - NEW.start, 0)) = NEW.text
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER annotations_claim_text_is_slice
    BEFORE INSERT OR UPDATE OF start, "end", text, document_id ON annotations_claim
    FOR EACH ROW EXECUTE FUNCTION annotations_claim_text_is_slice();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS annotations_claim_text_is_slice ON annotations_claim;
DROP FUNCTION IF EXISTS annotations_claim_text_is_slice();
"""

SQLITE_CONDITION = """
    (SELECT substr(d.text, NEW.start + 1, NEW."end" - NEW.start)
       FROM annotations_document d WHERE d.id = NEW.document_id) IS NOT NEW.text
"""
SQLITE_CREATE = [
    f"""CREATE TRIGGER annotations_claim_text_is_slice_insert
        BEFORE INSERT ON annotations_claim WHEN {SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER annotations_claim_text_is_slice_update
        BEFORE UPDATE OF start, "end", text, document_id ON annotations_claim
        WHEN {SQLITE_CONDITION}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS annotations_claim_text_is_slice_insert;",
    "DROP TRIGGER IF EXISTS annotations_claim_text_is_slice_update;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
