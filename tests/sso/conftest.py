from __future__ import annotations

from collections.abc import Iterator

import pytest

from .provider import Provider


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[Provider]:
    server = Provider()
    yield server
    server.stop()
