"""The database itself refuses a claim whose text is not its slice of the document.

A CHECK constraint cannot read another table, so this is a trigger, written for each
supported database.
"""

from django.db import migrations

MESSAGE = "claim text must equal the document text between start and end"

# PostgreSQL checks each statement's new rows at once (a transition table), walking the
# text in order: checking row by row would scan a long document from its start per claim.
POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION annotations_claims_are_slices() RETURNS trigger AS $$
DECLARE
    window_size constant integer := 8192;
    current_document bigint := NULL;
    claim record;
    tail text;
    piece text;
    win text;
    win_start integer;
    win_end integer;
    need integer;
BEGIN
    -- Slicing a multi-byte string by character scans it from the start, so the claims are
    -- checked in order against a short window that moves along the text:
    -- win = text[win_start:win_end], tail = text[win_end:].
    FOR claim IN
        SELECT document_id, start, "end", text FROM new_claims ORDER BY document_id, start
    LOOP
        IF claim."end" <= claim.start THEN
            CONTINUE;  -- the CHECK constraint start < end reports this one
        END IF;
        IF current_document IS DISTINCT FROM claim.document_id OR claim.start < win_start THEN
            SELECT substr(d.text, claim.start + 1) INTO tail
            FROM annotations_document d WHERE d.id = claim.document_id;
            current_document := claim.document_id;
            win := '';
            win_start := claim.start;
            win_end := claim.start;
        END IF;
        IF claim."end" > win_end THEN
            IF claim.start >= win_end THEN
                tail := substr(tail, claim.start - win_end + 1);
                win := '';
                win_end := claim.start;
            ELSE
                win := substr(win, claim.start - win_start + 1);
            END IF;
            win_start := claim.start;
            need := greatest(window_size, claim."end" - win_end);
            piece := left(tail, need);
            win := win || piece;
            win_end := win_end + char_length(piece);
            tail := substr(tail, need + 1);
        END IF;
        IF substr(win, claim.start - win_start + 1, claim."end" - claim.start)
           IS DISTINCT FROM claim.text THEN
            RAISE EXCEPTION '{MESSAGE}'
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER annotations_claim_text_is_slice_insert AFTER INSERT ON annotations_claim
    REFERENCING NEW TABLE AS new_claims
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_claims_are_slices();
CREATE TRIGGER annotations_claim_text_is_slice_update AFTER UPDATE ON annotations_claim
    REFERENCING NEW TABLE AS new_claims
    FOR EACH STATEMENT EXECUTE FUNCTION annotations_claims_are_slices();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS annotations_claim_text_is_slice_insert ON annotations_claim;
DROP TRIGGER IF EXISTS annotations_claim_text_is_slice_update ON annotations_claim;
DROP FUNCTION IF EXISTS annotations_claims_are_slices();
"""

# SQLite has no statement-level triggers: each row is checked on its own, which costs a
# scan of the document text per claim (fine for articles, slow for megabyte documents).
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
