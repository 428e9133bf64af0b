"""The OpenAPI schema is served, committed, and documented on a page that works under the CSP."""

from __future__ import annotations

import json

from tools.write_openapi import PATH, text


def test_it_serves_the_committed_schema(client, db) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    assert text(response.json()) == PATH.read_text(), "run: python -m tools.write_openapi"


def test_it_documents_every_operation_on_a_page_without_script(client, db) -> None:
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    for path, item in json.loads(PATH.read_text())["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert "cdn" not in html.lower()
