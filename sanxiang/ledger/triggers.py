"""Database triggers that make the ledger tables append-only (UPDATE and DELETE refused).

Installed by migration 0002 on PostgreSQL and SQLite. They stop the application and casual
edits; a database administrator can still drop them, which is why detection does not rely on
them: ``verify_ledger`` and the checkpoints catch any change to the stored log.
"""

APPEND_ONLY_TABLES = ("ledger_entry", "ledger_subtree", "ledger_checkpoint", "ledger_cosignature")
MESSAGE = "全过程记录只允许追加，不能修改或删除"


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            "CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$ "
            # No "%" placeholder: the driver would try to read it as a query parameter.
            f"BEGIN RAISE EXCEPTION USING MESSAGE = '{MESSAGE}（' || TG_TABLE_NAME || '）'; END; "
            "$$ LANGUAGE plpgsql;"
        ]
        for table in APPEND_ONLY_TABLES:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only();"
            )
            # TRUNCATE bypasses row triggers; refuse it too.
            statements.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();"
            )
        return statements
    if vendor == "sqlite":
        statements = []
        for table in APPEND_ONLY_TABLES:
            for action in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
                )
        return statements
    raise RuntimeError(f"不支持的数据库类型：{vendor}（全过程记录需要 PostgreSQL 或 SQLite）")
