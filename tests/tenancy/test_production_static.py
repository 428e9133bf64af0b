"""The production shape serves pages: static files collect, pages render, /health/ tells the truth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Renders the sign-in page and /health/ with production settings (manifest storage, DEBUG off),
# printing "<login status> <health status> <health body>".
_PROBE = """
import django, sys
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False, HTTP_X_FORWARDED_PROTO="https")
login = client.get("/account/login/", HTTP_HOST="safeguard.example")
health = client.get("/health/", HTTP_HOST="safeguard.example")
print(login.status_code, health.status_code, health.content.decode())
"""


def _production_env(static_root: Path) -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict  # the test database, so the probe's SELECT 1 has somewhere to go
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SAFEGUARD_TESTING"}}
    env.update(SECRET_KEY="p" * 40 + "-production-secret-0123456789", ALLOWED_HOSTS="safeguard.example",
               DJANGO_SETTINGS_MODULE="safeguard.settings", STATIC_ROOT=str(static_root),
               DATABASE_URL=f"postgres://{quote(db['USER'] or '', safe='')}@{quote(db['HOST'] or '', safe='')}"
                            f":{db['PORT'] or 5432}/{db['NAME']}")
    return env


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None,
              django_db_blocker: object) -> Path:
    """collectstatic once for the module, with the production (manifest) storage."""
    static_root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        env = _production_env(static_root)
    result = _run(["manage.py", "collectstatic", "--no-input"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    return static_root


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.django_db
def test_it_collects_static_files_and_serves_pages_in_production_mode(collected: Path) -> None:
    probe = _run(["-c", _PROBE], _production_env(collected))
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split()[:3] == ["200", "200", "ok"], probe.stdout + probe.stderr
    css = next((collected / "govuk").glob("govuk-frontend.min.*.css"))
    assert "govuk-crest" not in css.read_text()  # brand-neutral: no crown, and no missing image


@pytest.mark.django_db
def test_it_reports_unhealthy_when_static_files_were_not_collected(tmp_path: Path) -> None:
    probe = _run(["-c", _PROBE], _production_env(tmp_path / "nothing-collected"))
    status = probe.stdout.split()
    assert status[1] == "503" and "static files missing" in probe.stdout, probe.stdout + probe.stderr


@pytest.mark.django_db
def test_it_reports_unhealthy_when_the_database_is_unreachable(collected: Path) -> None:
    env = _production_env(collected)
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    probe = _run(["-c", _PROBE], env)
    assert "503" in probe.stdout.split() and "database unreachable" in probe.stdout, probe.stdout + probe.stderr
