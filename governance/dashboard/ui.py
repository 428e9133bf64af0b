"""Navigation for the board dashboard."""

from __future__ import annotations
