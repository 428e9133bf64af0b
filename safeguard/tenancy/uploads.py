"""Checking that an uploaded file's content is what its name says, for every upload in the app.

A name ending ``.pdf`` is not enough: an HTML page renamed ``certificate.pdf`` would be
stored and later handed back to a colleague. Each accepted type has a content check
(its signature, or for OOXML/ODF the parts inside the zip); text files are read to the
end, in chunks, so markup after the first few kilobytes is found too.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

CONTENT_TYPES = {
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
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
OOXML_DIRS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
# Markup a browser would render or run if the file were ever shown inline.
MARKUP = (b"<script", b"<html", b"<!doctype", b"<iframe", b"<svg", b"<body", b"<object", b"<embed", b"<meta")
CHUNK = 64 * 1024


def extension(name: str) -> str:
    """The lower-case extension with its dot ('' when there is none)."""
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def _ooxml_has(upload: Any, folder: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _odf_is(upload: Any, mimetype: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            return zf.read("mimetype")[:100].strip() == mimetype.encode()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def is_plain_text(upload: Any, *, require_utf8: bool = True) -> bool:
    """Whether the whole file is text with no NUL bytes and no HTML or script markup
    (UTF-8 unless ``require_utf8`` is off: the importer explains other encodings itself)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    upload.seek(0)
    try:
        while chunk := upload.read(CHUNK):
            if b"\x00" in chunk:
                return False
            if require_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    return False
            window = (tail + chunk).lower()
            if any(marker in window for marker in MARKUP):
                return False
            tail = window[-16:]
        if require_utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return False
    finally:
        upload.seek(0)
    return True


def _checker(ext: str) -> Callable[[Any, bytes], bool] | None:
    if ext in SIGNATURES:
        return lambda upload, head: head.startswith(SIGNATURES[ext])
    if ext in OOXML_DIRS:
        return lambda upload, head: head.startswith(b"PK\x03\x04") and _ooxml_has(upload, OOXML_DIRS[ext])
    if ext == ".odt":
        return lambda upload, head: head.startswith(b"PK\x03\x04") and _odf_is(upload, CONTENT_TYPES[".odt"])
    if ext == ".txt":
        return lambda upload, head: is_plain_text(upload)
    if ext == ".csv":
        return lambda upload, head: is_plain_text(upload, require_utf8=False)
    return None


def content_matches(upload: Any, ext: str) -> bool:
    """Whether the upload's content is a real file of type ``ext`` (unknown types never match)."""
    checker = _checker(ext)
    if checker is None:
        return False
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    return checker(upload, head)


def content_error(upload: Any, ext: str, accepted: str) -> str | None:
    """A plain-words error when the content does not match the name, else None."""
    if content_matches(upload, ext):
        return None
    return f"The file's contents are not a real {ext[1:].upper()} file. Upload a {accepted} file"


SPREADSHEET_TYPES = {".csv", ".xlsx"}
MAX_UPLOAD = 5 * 1024 * 1024


def check_form_upload(upload: Any, allowed: set[str], what: str) -> Any:
    """Refuse files of the wrong type, over 5 MB, or whose content is not what their name
    says (checked as case attachments are), saying which types are accepted."""
    from django import forms

    if upload is None:
        return None
    suffix = PurePath(upload.name or "").suffix.lower()
    kinds = ", ".join(sorted(s.lstrip(".").upper() for s in allowed))
    if suffix not in allowed:
        raise forms.ValidationError(f"The {what} must be a {kinds} file")
    if upload.size and upload.size > MAX_UPLOAD:
        raise forms.ValidationError(f"The {what} must be smaller than 5 MB")
    if not content_matches(upload, suffix):
        raise forms.ValidationError(
            f"The {what} is not a real {suffix[1:].upper()} file (its contents are something else). "
            f"Upload a {kinds} file")
    return upload
