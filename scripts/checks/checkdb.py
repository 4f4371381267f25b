"""The database a check reads to verify what the server acknowledged: the SQLite file at a path, or PostgreSQL when
the argument is a libpq connection string (`postgres://...` or `host=... port=...`, issue 21). Statements use `?`
placeholders on both."""
import sqlite3


def is_postgres(target):
    return target.startswith("postgres") or "=" in target


class PostgresDatabase:
    def __init__(self, target):
        import psycopg2  # pinned in the test venv (Makefile PY_TOOLS)
        self.connection = psycopg2.connect(target)
        self.connection.autocommit = True

    def execute(self, sql, parameters=()):
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", "%s"), parameters)
        return cursor


def connect(target):
    """A connection with `execute(sql, parameters)` returning a cursor, whichever engine `target` names."""
    return PostgresDatabase(target) if is_postgres(target) else sqlite3.connect(target)
