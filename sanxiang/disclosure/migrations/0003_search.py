"""Full-text search over PublicEntry.search_text (jieba-segmented; see sanxiang.disclosure.search).

SQLite: an external-content FTS5 table ``disclosure_search`` kept in sync by triggers.
PostgreSQL: a generated tsvector column ``search_vector`` ('simple' configuration) with a GIN
index. Neither is a model field: only sanxiang/disclosure/search/backends.py queries them.

Note: Django rebuilds an SQLite table to alter some columns, which drops its triggers; a later
migration that alters PublicEntry on SQLite must run ``install`` again (RunPython(install)).
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search USING fts5(search_text, "
    "content='disclosure_publicentry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_insert AFTER INSERT ON disclosure_publicentry BEGIN "
    "INSERT INTO disclosure_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_delete AFTER DELETE ON disclosure_publicentry BEGIN "
    "INSERT INTO disclosure_search(disclosure_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_update AFTER UPDATE OF search_text ON disclosure_publicentry "
    "BEGIN INSERT INTO disclosure_search(disclosure_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO disclosure_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO disclosure_search(disclosure_search) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS disclosure_search_insert",
    "DROP TRIGGER IF EXISTS disclosure_search_delete",
    "DROP TRIGGER IF EXISTS disclosure_search_update",
    "DROP TABLE IF EXISTS disclosure_search",
]
POSTGRES = [
    "ALTER TABLE disclosure_publicentry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS disclosure_publicentry_search_gin ON disclosure_publicentry USING gin (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS disclosure_publicentry_search_gin",
    "ALTER TABLE disclosure_publicentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: dict[str, list[str]], schema_editor) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor) -> None:
    _run({"sqlite": SQLITE, "postgresql": POSTGRES}, schema_editor)


def uninstall(apps, schema_editor) -> None:
    _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_portal")]

    operations = [migrations.RunPython(install, uninstall)]
