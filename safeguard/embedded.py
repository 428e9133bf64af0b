"""The embedded PostgreSQL used when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries in a wheel; the data lives under the
project folder (``.local/pgdata``) so it survives a restart, and the server is
left running between processes (``cleanup_mode=None``) so that the web server,
the worker and the tests share it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PGDATA = PROJECT_DIR / ".local" / "pgdata"


def embedded_database_url() -> str:
    """Start (or reuse) the embedded server and return its connection URL."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(PGDATA, cleanup_mode=None)
    return server.get_uri()
