"""Throw-away PostgreSQL databases for the benchmarks (the local server, trust auth)."""

SERVER = "postgres://postgres@127.0.0.1:5432"


def recreate_database(name: str) -> str:
    """Drop ``name`` if it exists (closing other sessions), create it empty; its URL."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
