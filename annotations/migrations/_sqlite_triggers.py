"""Operations for migrations that change a table SQLite must rebuild to change.

SQLite changes most columns by copying the table into a new one and renaming it into
place. The rename fails while a trigger elsewhere reads the table (the claim checks of
0002 read ``annotations_document``), and dropping the old table silently drops the
triggers on it (the search index's of 0004). A migration that alters such a table puts
``paused(table)`` before its changes and ``resumed(table)`` after them: every trigger on
or reading the table is set aside and then created again as it was. Other databases are
left alone.
"""

from django.db import migrations

# Triggers set aside, by database alias and table, between the two operations.
_set_aside: dict[tuple[str, str], list[tuple[str, str]]] = {}


def _triggers(schema_editor, table: str) -> list[tuple[str, str]]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND (tbl_name = %s OR sql LIKE %s) ORDER BY name",
            [table, f"%{table}%"],
        )
        return list(cursor.fetchall())


def _set_aside_triggers(table: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        found = _triggers(schema_editor, table)
        _set_aside[(schema_editor.connection.alias, table)] = found
        for name, _sql in found:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')

    return run


def _restore_triggers(table: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for _name, sql in _set_aside.pop((schema_editor.connection.alias, table), []):
            schema_editor.execute(sql)

    return run


def paused(table: str) -> migrations.RunPython:
    return migrations.RunPython(_set_aside_triggers(table), _restore_triggers(table))


def resumed(table: str) -> migrations.RunPython:
    return migrations.RunPython(_restore_triggers(table), _set_aside_triggers(table))
