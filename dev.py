#!/usr/bin/env python3
"""Safeguard's two commands, for a machine with only Python 3.11+ and git.

    python3 dev.py start   # install, migrate, load demo data, serve (web + scheduled jobs)
    python3 dev.py test    # install, then lint, checks and the whole test suite

Uses only the standard library until the virtual environment exists. Without
DATABASE_URL the app uses an embedded PostgreSQL under .local/pgdata; without
REDIS_URL Celery uses a broker on the file system under .local/broker, so the
scheduled jobs still run.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCAL = ROOT / ".local"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m" if sys.stdout.isatty() else f"==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_installed() -> None:
    """Create .venv and install the project, again only when pyproject.toml changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("Safeguard needs Python 3.11 or newer.")
    if not PY.exists():
        say("Creating the virtual environment in .venv")
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing Safeguard and its dependencies (first run takes a few minutes)")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev,embedded]")
    stamp.write_text(digest)


def base_env(*, debug: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    env["PYTHONUNBUFFERED"] = "1"
    if debug:
        env.setdefault("DJANGO_DEBUG", "1")
        LOCAL.mkdir(exist_ok=True)
        key_file = LOCAL / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
        env.setdefault("SECRET_KEY", key_file.read_text().strip())
    return env


def start() -> None:
    ensure_installed()
    env = base_env(debug=True)
    port = env.get("PORT", "8000")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    where = "DATABASE_URL" if env.get("DATABASE_URL") else "the embedded PostgreSQL in .local/pgdata"
    say(f"Migrating the database ({where})")
    run(PY, "manage.py", "migrate", "--no-input", env=env)
    say("Loading the demo organisations")
    run(PY, "manage.py", "seed_demo", env=env)
    broker = "Redis at REDIS_URL" if env.get("REDIS_URL") else "a file-system broker in .local/broker"
    say(f"Starting the scheduled jobs (Celery worker with beat, {broker})")
    worker = subprocess.Popen(
        [str(PY), "-m", "celery", "-A", "safeguard", "worker", "--beat", "--pool=solo", "--loglevel=WARNING",
         "--schedule", str(LOCAL / "celerybeat-schedule")],
        cwd=ROOT, env=env,
    )
    web = subprocess.Popen([str(PY), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env)
    time.sleep(3)
    say(f"Safeguard is running at http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    say("Demo logins are listed above; all use the password Safeguard-demo-2026. For example:")
    for login in ("frontline@northvale.example", "case.manager@northvale.example", "nso@northvale.example",
                  "dsl@northvale.example", "safeguarding.manager@northvale.example", "hr.ld@northvale.example",
                  "board.member@northvale.example", "org.admin@northvale.example", "jordan.ellery@example.org"):
        print(f"      {login}", flush=True)

    def stop(*_: object) -> None:
        for proc in (web, worker):
            if proc.poll() is None:
                proc.terminate()
        for proc in (web, worker):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while web.poll() is None and worker.poll() is None:
        time.sleep(1)
    stop()


def test(extra: list[str]) -> None:
    ensure_installed()
    env = base_env(debug=False)
    env["SAFEGUARD_TESTING"] = "1"
    env.pop("DJANGO_DEBUG", None)
    say("Lint (ruff)")
    run(BIN / "ruff", "check", ".", env=env)
    say("Tenant scoping check")
    run(PY, "tools/check_scoping.py", env=env)
    say("Migrations are complete")
    run(PY, "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    say("Types (mypy; configured in pyproject.toml)")
    run(BIN / "mypy", env=env)
    if not Path(os.environ.get("SAFEGUARD_CHROMIUM", "/usr/bin/chromium")).exists():
        say("Chromium not found at /usr/bin/chromium: browser tests will be skipped (apt-get install chromium)")
    say("Tests")
    sys.exit(run(PY, "-m", "pytest", *extra, env=env, check=False))


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        start()
    elif command == "test":
        test(sys.argv[2:])
    elif command == "clean":
        shutil.rmtree(LOCAL, ignore_errors=True)
        say("Removed .local (embedded database, broker, secret key)")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
