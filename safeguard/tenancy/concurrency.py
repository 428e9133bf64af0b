"""Optimistic locking for records two people may edit at once.

A form carries the ``version`` of the record it was opened on. The action
locks the stored row and refuses the save when someone else has saved since,
so neither edit is lost silently: the second person is told and keeps what
they typed. Every app's edit actions use this one check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

STALE_MESSAGE = ("Someone else changed this record while you were editing it. "
                 "Your changes are below: check them and save again.")


class StaleEditError(ValidationError):
    """Someone else saved the record after this editor opened it; ``current`` is what is stored now."""

    def __init__(self, message: str = STALE_MESSAGE, current: Model | None = None) -> None:
        super().__init__(message)
        self.current = current


def ensure_version(current: Any, expected_version: int | None, *, message: str = STALE_MESSAGE) -> None:
    """Refuse when the stored version is not the one the form was opened on (None: not checked)."""
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError(message, current)


def lock_for_edit(
    queryset: QuerySet[Any],
    pk: int,
    expected_version: int | None,
    *,
    message: str = STALE_MESSAGE,
    missing_message: str | None = None,
) -> Any:
    """The stored row, locked for the rest of the transaction, after the version check."""
    current = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if current is None:
        if missing_message is not None:
            raise ValidationError(missing_message)
        raise queryset.model.DoesNotExist
    ensure_version(current, expected_version, message=message)
    return current
