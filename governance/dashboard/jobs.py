"""The nightly RAG job (registered with ``register_daily_job``); see ``governance.rag``."""

from __future__ import annotations
