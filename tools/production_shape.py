#!/usr/bin/env python3
"""Start Safeguard's production shape without Docker and use it as each demo role would.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python tools/production_shape.py

What docker-compose.yml runs, on this machine: a fresh database next to the one in DATABASE_URL,
``migrate``, the demo data, ``collectstatic`` (manifest storage), ``check --deploy``, then gunicorn with
DEBUG off and the production settings, a Celery worker and Celery beat against Redis, and an SMTP sink
(aiosmtpd) standing in for the mail server. Through loopback, as a browser behind the TLS proxy would
(``X-Forwarded-Proto: https``), it signs in through the form as every demo role, opens each role's home
page and three pages of its work with their CSS, reports a concern, and waits for the worker to e-mail
its notification to the sink; beat must have sent its first scheduled task. It stops everything it
started and exits non-zero on the first failure, saying what failed.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEMO_PASSWORD = "Safeguard-demo-2026"  # noqa: S105 - the published demo password
SHAPE_DB = "safeguard_production_shape"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


class ShapeFailure(Exception):
    """The production shape did not do what a person would need."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- HTML ------------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # select and radio choices
    selects: set[str] = field(default_factory=set)
    submits: list[tuple[str, str]] = field(default_factory=list)


class PageParser(html.parser.HTMLParser):
    """The links, stylesheets, navigation links and forms of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.nav_links: list[str] = []
        self.forms: list[Form] = []
        self._in_nav = 0
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "nav":
            self._in_nav += 1
        elif tag == "a" and self._in_nav and a.get("href"):
            self.nav_links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(action=a.get("action", "")))
        elif self.forms and tag == "input":
            self._input(self.forms[-1], a)
        elif self.forms and tag == "textarea":
            self.forms[-1].fields.setdefault(a.get("name", ""), [""])
        elif self.forms and tag == "select":
            self._select = a.get("name", "")
            self.forms[-1].options.setdefault(self._select, [])
            self.forms[-1].selects.add(self._select)
        elif self.forms and tag == "option" and self._select is not None:
            if a.get("value"):
                self.forms[-1].options[self._select].append(a["value"])
        elif self.forms and tag == "button" and a.get("name"):
            self.forms[-1].submits.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav -= 1
        elif tag == "select":
            self._select = None

    @staticmethod
    def _input(form: Form, a: dict[str, str]) -> None:
        name, kind = a.get("name", ""), a.get("type", "text")
        if not name:
            return
        if kind in {"radio", "checkbox"}:
            form.options.setdefault(name, []).append(a.get("value", "on"))
        elif kind == "submit":
            form.submits.append((name, a.get("value", "")))
        else:
            form.fields.setdefault(name, []).append(a.get("value", ""))


def parse(body: str) -> PageParser:
    parser = PageParser()
    parser.feed(body)
    return parser


# --- A browser behind the TLS proxy -----------------------------------------------------------------


class Browser:
    """Keeps cookies, follows redirects, and sends what the TLS-terminating proxy would add."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, list[str]] | None = None,
                referer: str = "") -> tuple[int, dict[str, str], str, str]:
        """Returns (status, headers, body, final path), following redirects on the same site."""
        for _ in range(10):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                       "X-Forwarded-For": "127.0.0.1", "User-Agent": "safeguard-production-shape"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            data = None
            if body is not None:
                data = urllib.parse.urlencode([(k, v) for k, vs in body.items() for v in vs]).encode()
                headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                                "Referer": self.origin + (referer or path)})
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            status, response_headers = response.status, {k.lower(): v for k, v in response.getheaders()}
            conn.close()
            if status in (301, 302, 303) and "location" in response_headers:
                location = urllib.parse.urlsplit(response_headers["location"])
                if location.netloc and location.netloc != f"127.0.0.1:{self.port}":
                    raise ShapeFailure(f"{path} redirected off the site to {response_headers['location']}")
                path = location.path + (f"?{location.query}" if location.query else "")
                method, body = "GET", None
                continue
            return status, response_headers, text, path
        raise ShapeFailure(f"{path}: too many redirects")

    def get(self, path: str) -> tuple[str, str]:
        status, _, text, final = self.request("GET", path)
        if status != 200:
            raise ShapeFailure(f"GET {path} answered {status} (ended at {final})")
        return text, final

    def sign_in(self, email: str) -> str:
        page, _ = self.get("/account/login/")
        form = next(f for f in parse(page).forms if "password" in f.fields)
        data = {"csrfmiddlewaretoken": form.fields["csrfmiddlewaretoken"], "username": [email],
                "password": [DEMO_PASSWORD]}
        status, _, text, final = self.request("POST", "/account/login/", data)
        if status != 200 or final.startswith("/account/login"):
            raise ShapeFailure(f"{email} could not sign in through the form (status {status}, at {final})")
        return text


def check_assets(browser: Browser, page: str, where: str) -> None:
    parsed = parse(page)
    if not parsed.stylesheets:
        raise ShapeFailure(f"{where} links no stylesheet")
    for href in parsed.stylesheets + parsed.scripts:
        status, headers, body, _ = browser.request("GET", href)
        if status != 200 or not body:
            raise ShapeFailure(f"{where}: {href} answered {status}")
        if href.endswith(".css") and "text/css" not in headers.get("content-type", ""):
            raise ShapeFailure(f"{where}: {href} is not served as CSS")
        if re.search(r"/static/[^\"']+\.(css|js)$", href) and not re.search(r"\.[0-9a-f]{12}\.(css|js)$", href):
            raise ShapeFailure(f"{where}: {href} is not a hashed (manifest) static file")


def work_pages(page: str) -> list[str]:
    """The first three pages of the role's own navigation, not account or sign-out links."""
    links = []
    for href in parse(page).nav_links:
        path = urllib.parse.urlsplit(href).path
        if href.startswith("/") and path not in ("/", "") and not path.startswith(("/account/", "/static/")) \
                and path not in links:
            links.append(path)
    return links[:3]


# --- Processes ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def processes(env: dict[str, str], port: int, work: Path) -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    started: dict[str, subprocess.Popen[bytes]] = {}
    commands = {
        "web": [PY, "-m", "gunicorn", "safeguard.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "--access-logfile", "-"],
        "worker": [PY, "-m", "celery", "-A", "safeguard", "worker", "--loglevel=INFO", "--concurrency=2",
                   "--hostname", f"shape-{port}@%h"],
        "beat": [PY, "-m", "celery", "-A", "safeguard", "beat", "--loglevel=INFO",
                 "--schedule", str(work / "celerybeat-schedule")],
    }
    try:
        for name, command in commands.items():
            log = (work / f"{name}.log").open("wb")
            started[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                             start_new_session=True)
        yield started
    finally:
        for proc in started.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in started.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(what: str, test: object, seconds: float, procs: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise ShapeFailure(f"the {name} process exited with status {proc.returncode} while waiting for {what}")
        if test():  # type: ignore[operator]
            return
        time.sleep(0.5)
    raise ShapeFailure(f"timed out after {seconds:.0f} s waiting for {what}")


def health(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/health/", headers={"Host": f"127.0.0.1:{port}"})
        return conn.getresponse().status == 200
    except OSError:
        return False


# --- Database ----------------------------------------------------------------------------------------


def shape_database_url(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + SHAPE_DB))


def recreate_database(base_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SHAPE_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{SHAPE_DB}"')


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=900)
    if result.returncode != 0:
        raise ShapeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


# --- The walk ----------------------------------------------------------------------------------------


def demo_logins() -> list[tuple[str, str]]:
    from safeguard.tenancy.roles import ALL_ROLES

    return [(str(role), f"{str(role).replace('_', '.')}@northvale.example") for role in ALL_ROLES]


def walk_roles(port: int) -> int:
    pages = 0
    for role, email in demo_logins():
        browser = Browser(port)
        home = browser.sign_in(email)
        check_assets(browser, home, f"{role}'s home page")
        work = work_pages(home)
        if not work:
            raise ShapeFailure(f"{role}'s home page shows no navigation to their work")
        for path in work:
            page, final = browser.get(path)
            check_assets(browser, page, f"{role}: {path}")
            pages += 1
        say(f"{role}: signed in, home and {', '.join(work)} served with their CSS")
        pages += 1
    return pages


def report_concern(port: int) -> str:
    browser = Browser(port)
    browser.sign_in("frontline@northvale.example")
    page, _ = browser.get("/cases/report/")
    form = next(f for f in parse(page).forms if "what_happened" in f.fields)
    data = {k: v for k, v in form.fields.items() if k}
    data.update({name: form.options[name][:1] for name in form.selects if form.options[name]})
    data.update({
        "immediate_risk": ["no"], "concern_type": [form.options["concern_type"][0]],
        "area": [form.options["area"][0]], "department": [form.options["department"][0]],
        "source": [form.options["source"][0]], "happened_on": [date.today().isoformat()],
        "what_happened": ["A neighbour said the resident has not been seen for a week. (Production-shape check.)"],
        "people-0-full_name": ["Robin Testwell"], "submit": ["1"],
    })
    status, _, text, final = browser.request("POST", "/cases/report/", data)
    match = re.search(r'data-testid="reference">([^<]+)<', text)
    if status != 200 or not match:
        errors = re.findall(r'<a href="#[^"]*">([^<]+)</a>', text.split("govuk-error-summary__list", 1)[-1])[:5]
        raise ShapeFailure(f"reporting a concern did not show its reference (status {status}, at {final}): "
                           + "; ".join(errors))
    return match.group(1).strip()


def main() -> int:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not os.environ.get("REDIS_URL"):
        print("Set DATABASE_URL (a server whose user may create databases) and REDIS_URL.", file=sys.stderr)
        return 2
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[str] = []

    class Sink(Message):
        def handle_message(self, message: object) -> None:
            received.append(str(message["Subject"]))  # type: ignore[index]

    work = Path(tempfile.mkdtemp(prefix="safeguard-shape-"))
    smtp_port, port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SAFEGUARD_TESTING", "EMAIL_BACKEND"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "safeguard.settings", "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": shape_database_url(base_url), "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{port}", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
        "STATIC_ROOT": str(work / "static"), "PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "PYTHONUNBUFFERED": "1",
    })
    sink = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    failed = ""
    try:
        say(f"Production shape: fresh database {SHAPE_DB}, work files in {work}")
        recreate_database(base_url)
        for args in (["migrate", "--no-input"], ["seed_demo"], ["collectstatic", "--no-input"],
                     ["check", "--deploy", "--fail-level", "WARNING"]):
            say("manage.py " + " ".join(args))
            manage(env, *args)
        sink.start()
        with processes(env, port, work) as procs:
            say(f"gunicorn on 127.0.0.1:{port}, Celery worker and beat against {env['REDIS_URL']}")
            wait_for("/health/ to answer 200", lambda: health(port), 90, procs)
            pages = walk_roles(port)
            reference = report_concern(port)
            say(f"Reported concern {reference}; waiting for the worker to e-mail its notification")
            wait_for(f"an e-mail about {reference}", lambda: any(reference in s for s in received), 120, procs)
            beat_log = work / "beat.log"
            wait_for("beat to send its first scheduled task",
                     lambda: "Sending due task" in beat_log.read_text(errors="replace"), 120, procs)
            say(f"Production shape works: {pages} pages served as {len(demo_logins())} roles, "
                f"{len(received)} e-mails delivered by the worker, beat scheduling")
    except ShapeFailure as failure:
        failed = str(failure)
    finally:
        with contextlib.suppress(Exception):
            sink.stop()
    if failed:
        print(f"PRODUCTION SHAPE FAILED: {failed}", file=sys.stderr)
        for name in ("web", "worker", "beat"):
            log = work / f"{name}.log"
            if log.exists():
                print(f"--- last lines of {name}.log ---", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        return 1
    with contextlib.suppress(Exception):
        recreate_database(base_url, drop_only=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    sys.exit(main())
