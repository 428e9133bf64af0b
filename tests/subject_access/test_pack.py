"""The subject access pack for a demo person: made in the background, its pages rendered as images
(pdftoppm, poppler-utils) and its text read (pypdf): the redacted text is not in the file at all."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from cases.demo import seed_cases
from governance.subject_access import actions
from governance.subject_access.demo import REASON, REDACTED, SUBJECT, seed_requests
from governance.subject_access.models import FoundRecord, Mark, Request
from safeguard.background.runner import run_now
from safeguard.tenancy.demo import ORGS, build_org
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role

pytestmark = pytest.mark.django_db
PAGES = Path(__file__).resolve().parents[2] / ".local" / "sar-pack"


@pytest.fixture
def demo(db):
    demo = build_org(0, ORGS[0])
    seed_cases(demo)
    seed_requests(demo)
    return demo


def _pack(demo):
    req = Request.objects.for_org(demo.org).get()
    job = run_now(actions.do_request_pack(req, acting_user=demo.people[Role.DATA_PRIVACY_MANAGER]))
    assert job.status == "done", job.message
    return req, job


def test_it_seeds_one_request_with_found_records_and_one_redaction(demo):
    req = Request.objects.for_org(demo.org).get()
    found = FoundRecord.objects.for_org(demo.org).filter(request=req)
    assert found.exists() and not found.filter(mark=Mark.PENDING).exists()
    assert sum(f.redactions.count() for f in found) == 1
    seed_requests(demo)  # idempotent
    assert Request.objects.for_org(demo.org).count() == 1


def test_it_makes_a_pack_without_the_redacted_text(demo, client):
    req, job = _pack(demo)
    data = job.file.open("rb").read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert REDACTED not in flat and "slam the door" not in flat and b"slam the door" not in data
    assert f"[redacted: {REASON}]" in flat
    assert "heard shouting and a child crying" in flat  # disclosed
    assert SUBJECT in flat and req.reference in flat
    assert "What we disclosed" in flat and "What we withheld, and why" in flat
    assert job.result["disclosed"] >= 1 and job.result["redactions"] == 1

    client.force_login(demo.people[Role.DATA_PRIVACY_MANAGER])
    response = client.get(f"/subject-access/{req.pk}/pack/{job.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert AuditEvent.objects.for_org(demo.org).filter(action="subject_request.pack_downloaded").exists()
    client.force_login(demo.people[Role.SAFEGUARDING_MANAGER])
    assert client.get(f"/subject-access/{req.pk}/pack/{job.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_it_renders_the_pack_pages_as_readable_images(demo):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: apt-get install -y poppler-utils")
    _, job = _pack(demo)
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("page-*.png"):
        old.unlink()
    pdf = PAGES / "pack.pdf"
    pdf.write_bytes(job.file.open("rb").read())
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(PAGES / "page")], check=True, timeout=60)  # noqa: S603, S607
    images = sorted(PAGES.glob("page-*.png"))
    assert len(images) == job.result["pages"] >= 3
    assert all(p.stat().st_size > 5_000 for p in images)  # drawn pages, not blanks
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        )  # noqa: S603, S607
        assert "slam the door" not in out.stdout and "[redacted:" in out.stdout
