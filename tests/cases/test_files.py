"""Attachments: size and type checked by content, stored privately, served only after the case's check."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.files import check_upload
from cases.forms import AttachmentForm

from .helpers import PDF, allocated, pdf_upload


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_stores_a_file_privately_and_serves_it_only_to_those_who_see_the_case(world) -> None:
    case = allocated(world)
    officer = _client(world.members["case_officer"])
    response = officer.post(reverse("cases:add-attachment", args=[case.pk]),
                            {"file": pdf_upload("Visit letter.pdf"), "description": "Letter"})
    assert response.status_code == 302
    attachment = case.attachments.get()
    assert "Visit letter" not in attachment.file.name and not attachment.file.name.startswith(str(settings.STATIC_ROOT))
    url = reverse("cases:attachment", args=[case.pk, attachment.pk])
    download = officer.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="Visit letter.pdf"' in download["Content-Disposition"]
    assert _client(world.members["frontline"]).get(url).status_code == 404
    assert _client(world.outsider).get(url).status_code == 404


def test_it_refuses_a_program_renamed_to_pdf(world) -> None:
    case = allocated(world)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00 this is an exe", content_type="application/pdf")
    response = _client(world.members["case_officer"]).post(
        reverse("cases:add-attachment", args=[case.pk]), {"file": fake, "description": "Keep this description"})
    page = response.content.decode()
    assert response.status_code == 400 and "not a real PDF file" in page and "Keep this description" in page
    assert not case.attachments.exists()


def test_it_refuses_a_file_type_that_is_not_allowed(world) -> None:
    case = allocated(world)
    response = _client(world.members["case_officer"]).post(
        reverse("cases:add-attachment", args=[case.pk]), {"file": SimpleUploadedFile("run.exe", b"MZ\x90")})
    assert response.status_code == 400 and "The file must be a PDF, JPEG, PNG" in response.content.decode()


def test_it_refuses_a_file_over_10_mb(world) -> None:
    case = allocated(world)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = _client(world.members["case_officer"]).post(reverse("cases:add-attachment", args=[case.pk]), {"file": big})
    assert response.status_code == 400
    assert "The file must be 10 MB or smaller (this one is 10.1 MB)" in response.content.decode()


def test_it_explains_a_100_mb_file_is_too_big() -> None:
    upload = SimpleUploadedFile("huge.pdf", PDF)
    upload.size = 100 * 1024 * 1024
    form = AttachmentForm(data={}, files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file must be 10 MB or smaller (this one is 100 MB)"]


def test_it_accepts_real_office_documents_and_images_by_content() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    docx = SimpleUploadedFile("notes.docx", buffer.getvalue())
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert check_upload(docx)[0] is None and check_upload(png)[0] is None
    assert check_upload(SimpleUploadedFile("fake.docx", b"PK\x03\x04garbage"))[0] is not None
