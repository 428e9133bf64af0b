"""Checking uploaded files by their content, not only their name."""

from __future__ import annotations

import math
import zipfile

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024

ALLOWED = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
}
ALLOWED_TEXT = "PDF, JPEG, PNG, GIF, Word, Excel, PowerPoint or plain text"
OOXML_DIRS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


def _extension(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def _looks_like(ext: str, head: bytes, upload: UploadedFile) -> bool:
    if ext == ".pdf":
        return head.startswith(b"%PDF-")
    if ext == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext == ".gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if ext in {".doc", ".xls"}:
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if ext in OOXML_DIRS:
        return head.startswith(b"PK\x03\x04") and _ooxml_has(upload, OOXML_DIRS[ext])
    if ext == ".txt":
        return _is_text(head)
    return False


def _ooxml_has(upload: UploadedFile, folder: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lowered = head.lower()
    return b"<script" not in lowered and b"<html" not in lowered


def check_upload(upload: UploadedFile) -> tuple[str | None, str]:
    """(error message or None, content type to store)."""
    if upload.size > MAX_BYTES:
        size_mb = math.ceil(upload.size * 10 / (1024 * 1024)) / 10
        return f"The file must be 10 MB or smaller (this one is {size_mb:g} MB)", ""
    if upload.size == 0:
        return "The file is empty", ""
    ext = _extension(upload.name or "")
    if ext not in ALLOWED:
        return f"The file must be a {ALLOWED_TEXT} file", ""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not _looks_like(ext, head, upload):
        return f"The file's contents are not a real {ext[1:].upper()} file. Upload a {ALLOWED_TEXT} file", ""
    return None, ALLOWED[ext]
