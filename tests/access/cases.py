from __future__ import annotations

from . import UrlCase

CASES = [
    UrlCase("cases:report"),
]
