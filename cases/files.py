"""Checking case attachments by their content, not only their name (the checks are shared:
``safeguard.tenancy.uploads``)."""

from __future__ import annotations

import math

from django.core.files.uploadedfile import UploadedFile

from safeguard.tenancy.uploads import CONTENT_TYPES, content_error, extension

MAX_BYTES = 10 * 1024 * 1024

ALLOWED = {ext: CONTENT_TYPES[ext] for ext in (
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".txt")}
ALLOWED_TEXT = "PDF, JPEG, PNG, GIF, Word, Excel, PowerPoint or plain text"


def check_upload(upload: UploadedFile) -> tuple[str | None, str]:
    """(error message or None, content type to store)."""
    if upload.size > MAX_BYTES:  # type: ignore[operator]
        size_mb = math.ceil(upload.size * 10 / (1024 * 1024)) / 10  # type: ignore[operator]
        return f"The file must be 10 MB or smaller (this one is {size_mb:g} MB)", ""
    if upload.size == 0:
        return "The file is empty", ""
    ext = extension(upload.name or "")
    if ext not in ALLOWED:
        return f"The file must be a {ALLOWED_TEXT} file", ""
    error = content_error(upload, ext, ALLOWED_TEXT)
    if error:
        return error, ""
    return None, ALLOWED[ext]
