"""Secrets kept encrypted at rest (the identity provider's client secret).

cryptography's MultiFernet with the keys of ``SAFEGUARD_FIELD_KEYS`` (comma-separated Fernet keys, the
first encrypts, all decrypt, so a key is rotated by putting the new one first). Unset, one key is
derived from SECRET_KEY: then a database copy alone does not reveal the secrets, but changing
SECRET_KEY makes them unreadable (the administrator enters the client secret again).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "SAFEGUARD_FIELD_KEYS", []) or [])
    if not keys:
        digest = hashlib.sha256(b"safeguard-field-key:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """The plain secret, or "" when there is none or no key in force can read it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
