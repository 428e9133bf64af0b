"""No input gives a 500 (issue 8 item 6).

Every URL pattern of the access matrix is opened as a role allowed to use it. Each page
is asked for with hostile query strings (NUL, a lone surrogate, 100,000 characters,
out-of-range numbers and dates, another organisation's ids under every parameter the
app reads); each form on it (found by parsing the page's <form>s) is posted with every
field hostile at once, and then one field at a time on top of otherwise sensible values,
so the hostile value reaches the deepest code. POST-only URLs are posted the same way
from the matrix's data. Any 5xx, or an exception escaping a view, fails.

Each request runs in a savepoint that is rolled back, on one world per module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from safeguard.tenancy.roles import ALL_ROLES, Role

from .access import UrlCase, all_cases
from .factories import World


class Raw(str):
    """A value already percent-encoded (a lone surrogate cannot be a Python str sent as UTF-8)."""


NUL = "a\x00b"
SURROGATE = Raw("%ED%A0%80")
LONG = "x" * 100_000
BIG = "99999999999999999999"
EVERYWHERE = [NUL, SURROGATE, LONG, BIG, "-1", "9999-12-31", "0001-01-01"]
GET_PARAMS = ["q", "s", "page", "status", "show", "needs_update", "todo", "decision", "start", "end", "format",
              "department", "job_role", "team", "area", "category", "officer", "overdue", "kind", "agency", "next",
              "month", "role", "year"]
PREFERRED = [Role.SAFEGUARDING_MANAGER, Role.HR_LD, Role.ORG_ADMIN, Role.CASE_MANAGER, Role.CASE_OFFICER, Role.DSL]
SKIP_ACTIONS = ("/account/logout/",)
CASES = [c for c in all_cases() if c.name != "logout"]
SEEN_FORMS: set[tuple[str, tuple[str, ...]]] = set()


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, select, radio, checkbox, hidden, file, email, button
    value: str = ""
    options: list[str] = field(default_factory=list)
    chosen: bool = False
    bounded: bool = False  # has a maxlength, so the form checks the length


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page with their fields, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset"):
                kind = "button"
            self._form.fields.append(Field(a["name"], kind, a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                                           chosen="checked" in a, bounded="maxlength" in a))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(Field(a["name"], "button", a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea", bounded="maxlength" in a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def _kind(f: Field) -> str:
    if f.kind in ("text", "search") and (f.name.endswith(("_on", "_date", "date")) or f.name in ("start", "end")):
        return "date"
    return f.kind


def baseline(form: Form) -> list[tuple[str, Any]]:
    """Sensible values, so that one hostile field at a time reaches the code behind a valid form."""
    pairs: list[tuple[str, Any]] = []
    buttons_done: set[str] = set()
    radios_done: set[str] = set()
    for f in form.fields:
        kind = _kind(f)
        if f.name == "csrfmiddlewaretoken" or kind == "file":
            continue
        if kind == "button":
            if f.name not in buttons_done:
                buttons_done.add(f.name)
                pairs.append((f.name, f.value))
        elif kind == "radio":
            if f.name not in radios_done:
                siblings = [g for g in form.fields if g.name == f.name]
                pairs.append((f.name, next((g.value for g in siblings if g.chosen), f.value)))
                radios_done.add(f.name)
        elif kind == "checkbox":
            pairs.append((f.name, f.value))
        elif kind == "select":
            pairs.append((f.name, f.value or next((o for o in f.options if o), "")))
        elif kind == "number":
            pairs.append((f.name, f.value or "1"))
        elif kind == "date":
            pairs.append((f.name, f.value or date.today().isoformat()))
        elif kind == "email":
            pairs.append((f.name, f.value or "someone@example.test"))
        elif kind == "hidden":
            pairs.append((f.name, f.value))
        else:
            pairs.append((f.name, f.value or "Some ordinary words"))
    return pairs


def hostile_for(f: Field, world: World) -> list[str]:
    """Values for one field on top of sensible others (the all-fields rounds cover the rest)."""
    kind = _kind(f)
    other = str(world.other_department.pk if "department" in f.name else world.other_area.pk)
    if kind == "number":
        return [BIG, "32767"]
    if kind == "hidden":
        return [BIG] if f.value.isdigit() else []
    if kind == "date":
        return ["9999-12-31"]
    if kind in ("select", "radio", "checkbox"):  # another organisation's id where the choices are ids
        return [other] if any(o.isdigit() for o in f.options) or f.value.isdigit() else []
    if kind in ("text", "textarea", "search", "email", "password", "tel", "url"):
        return [] if f.bounded else [LONG]
    return []


def encode(pairs: list[tuple[str, Any]]) -> str:
    return "&".join(f"{quote(k, safe='')}={v if isinstance(v, Raw) else quote(str(v), safe='')}" for k, v in pairs)


@dataclass
class Prober:
    client: Client
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def _send(self, label: str, fn: Any) -> Any:
        self.requests += 1
        try:
            with transaction.atomic():
                response = fn()
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - any escaping exception is the failure being looked for
            self.problems.append(f"{label}: {type(exc).__name__}: {str(exc)[:160]}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{label}: {response.status_code}")
        return response

    def twice(self, path: str, pairs: list[tuple[str, Any]]) -> Any:
        """The same sensible submission twice (a double submit, or a name that is now taken)."""
        body = encode(pairs)

        def both() -> Any:
            self.client.post(path, body, content_type="application/x-www-form-urlencoded")
            return self.client.post(path, body, content_type="application/x-www-form-urlencoded")

        return self._send(f"POST twice {path} {_short(pairs)}", both)

    def get(self, path: str, pairs: list[tuple[str, Any]]) -> Any:
        return self._send(f"GET {path} {_short(pairs)}", lambda: self.client.get(f"{path}?{encode(pairs)}"))

    def post(self, path: str, pairs: list[tuple[str, Any]], files: dict[str, Any] | None = None) -> Any:
        label = f"POST {path} {_short(pairs)}{' +files' if files else ''}"
        if files:
            data: dict[str, Any] = {}
            for k, v in pairs:
                if not isinstance(v, Raw):
                    data.setdefault(k, []).append(v)
            for k, f in files.items():
                f.seek(0)
                data[k] = f
            return self._send(label, lambda: self.client.post(path, data))
        return self._send(label, lambda: self.client.post(path, encode(pairs),
                                                          content_type="application/x-www-form-urlencoded"))


def _short(pairs: list[tuple[str, Any]]) -> str:
    return "&".join(f"{k}={str(v)[:20]!r}" for k, v in pairs)[:200]


def _role_for(case: UrlCase, world: World) -> str:
    if case.allowed_for:
        return next(r for r in ALL_ROLES if case.allowed_for(world, r))
    return next((r for r in PREFERRED if r in case.allowed), sorted(case.allowed)[0])


def _files() -> list[dict[str, Any]]:
    return [
        {"evil": SimpleUploadedFile("certificate.pdf", b"<html><script>alert(1)</script></html>")},
        {"evil": SimpleUploadedFile("n" * 300 + ".pdf", b"%PDF-1.4 a long name")},
        {"evil": SimpleUploadedFile("empty.pdf", b"")},
    ]


def probe_form(prober: Prober, page: str, form: Form, world: World) -> None:
    action = urlsplit(urljoin(page, form.action or page))
    path = action.path
    if path.startswith(SKIP_ACTIONS) or not path.startswith("/"):
        return
    names = tuple(sorted({f.name for f in form.fields}))
    if (form.method + path, names) in SEEN_FORMS:
        return
    SEEN_FORMS.add((form.method + path, names))
    base = baseline(form)
    send = prober.get if form.method == "get" else prober.post
    for value in EVERYWHERE:
        send(path, [(k, value) for k, _ in base] or [("q", value)])
    for f in form.fields:
        for value in hostile_for(f, world):
            send(path, [(k, value if k == f.name else v) for k, v in base if k != f.name or f.kind != "checkbox"]
                 + ([(f.name, value)] if f.kind == "checkbox" else []))
    if form.method == "post":
        prober.twice(path, base)
    file_fields = [f.name for f in form.fields if f.kind == "file"]
    if file_fields and form.method == "post":
        for files in _files():
            prober.post(path, base, dict.fromkeys(file_fields, files["evil"]))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_it_never_answers_5xx_to_hostile_input(case: UrlCase, matrix_world: World) -> None:
    world = matrix_world
    kwargs = case.prepare(world)
    client = Client()
    if not case.public:
        client.force_login(world.members[_role_for(case, world)])
    prober = Prober(client)
    url = reverse(case.name, kwargs=kwargs)
    if case.method == "post":
        data = [(k, str(v)) for k, v in case.data(world, kwargs).items()]
        probe_form(prober, url, Form("post", url, [Field(k, "text", v) for k, v in data]), world)
    else:
        page = prober._send(f"GET {url}", lambda: client.get(url))
        for value in EVERYWHERE:
            prober.get(url, [(name, value) for name in GET_PARAMS])
        other = {"department": world.other_department.pk}
        prober.get(url, [(name, other.get(name, world.other_area.pk)) for name in GET_PARAMS])
        if page is not None and page.status_code == 200 and "html" in page.get("Content-Type", ""):
            for form in forms_of(page.content.decode()):
                probe_form(prober, url, form, world)
    assert not prober.problems, f"{case.key} ({prober.requests} requests):\n" + "\n".join(prober.problems[:15])
