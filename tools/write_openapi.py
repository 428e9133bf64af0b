"""Write the served OpenAPI schema to docs/openapi.json: `python -m tools.write_openapi`.

`tests/api/test_openapi.py` fails when the committed file is not what /api/v1/openapi.json serves."""

from __future__ import annotations

import json
import os
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def served() -> dict:
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/api/v1/openapi.json")
    assert response.status_code == 200, response.status_code
    return response.json()


def text(schema: dict) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    PATH.write_text(text(served()))
    print(f"wrote {PATH}")
