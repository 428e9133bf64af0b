from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import World, make_world


@pytest.fixture(autouse=True)
def _clean_state(settings):  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True
    cache.clear()


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return make_world()
