"""schemathesis against the running app (CI): every generated request to the API must answer
without a server error and as the OpenAPI schema says.

A fresh database with the demo data and an API token holding every scope; gunicorn with DEBUG off;
`schemathesis run` on /api/v1/openapi.json with the token, within a time budget. Exit status is
schemathesis's (non-zero on any failure). `python tools/api_fuzz.py` with DATABASE_URL and REDIS_URL set.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.production_shape import free_port, health, manage, say  # noqa: E402

PY = sys.executable
FUZZ_DB = "safeguard_api_fuzz"
MAX_EXAMPLES = os.environ.get("API_FUZZ_EXAMPLES", "60")
MAX_TIME = os.environ.get("API_FUZZ_SECONDS", "150")


def _database(base_url: str, *, drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {FUZZ_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {FUZZ_DB}")
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(base_url)._replace(path="/" + FUZZ_DB))


def main() -> int:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL and REDIS_URL.", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="safeguard-api-fuzz-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SAFEGUARD_TESTING"}}
    env.update({"DJANGO_SETTINGS_MODULE": "safeguard.settings", "SECRET_KEY": secrets.token_urlsafe(50),
                "DATABASE_URL": _database(base_url), "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": f"https://127.0.0.1:{port}", "STATIC_ROOT": str(work / "static"),
                "PRIVATE_MEDIA_ROOT": str(work / "private-media"), "PYTHONUNBUFFERED": "1",
                "API_RATE_LIMIT_PER_MINUTE": "100000", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"})
    for args in (["migrate", "--no-input"], ["seed_demo"], ["collectstatic", "--no-input"]):
        say("manage.py " + " ".join(args))
        manage(env, *args)
    token = subprocess.run([PY, "manage.py", "create_api_token", "--org", "northvale", "--name", "Schemathesis"],
                           cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    log = (work / "web.log").open("wb")
    web = subprocess.Popen([PY, "-m", "gunicorn", "safeguard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                            "--timeout", "60"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not health(port):
            if time.monotonic() > deadline or web.poll() is not None:
                print((work / "web.log").read_text(errors="replace")[-4000:], file=sys.stderr)
                return 1
            time.sleep(1)
        say(f"schemathesis: at most {MAX_EXAMPLES} examples per operation, {MAX_TIME} s")
        result = subprocess.run([
            str(Path(PY).parent / "schemathesis"), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
            "-H", f"Authorization: Bearer {token}", "-H", "X-Forwarded-Proto: https",
            "-H", "X-Forwarded-For: 127.0.0.1", "--checks", "all",
            "--exclude-checks", "positive_data_acceptance,ignored_auth",
            "--max-examples", MAX_EXAMPLES, "--max-time", MAX_TIME, "--request-timeout", "30",
            "--generation-database", "none", "--no-color",
        ], cwd=ROOT, env=env, timeout=int(MAX_TIME) + 120)
        if result.returncode != 0:
            print("--- last lines of web.log ---", file=sys.stderr)
            print("\n".join((work / "web.log").read_text(errors="replace").splitlines()[-60:]), file=sys.stderr)
        return result.returncode
    finally:
        web.terminate()
        web.wait(20)
        log.close()
        _database(base_url, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
