"""Plain-word display of record values for lists and summary pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile

from safeguard.tenancy.models import User


def show(value: Any) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{value:%-d %B %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, User):
        return value.full_name or value.email
    if isinstance(value, FieldFile):
        return value.name or "None"
    return str(value)


def value_of(obj: Model, attr: str) -> str:
    """The display value of ``attr`` on ``obj``: choices by their label, people by name, M2M joined."""
    field = None
    try:
        field = obj._meta.get_field(attr)
    except Exception:  # noqa: BLE001 -- a property or method, not a field
        field = None
    if field is not None and field.many_to_many:
        items = list(getattr(obj, attr).all())
        return ", ".join(show(i) for i in items) or "None"
    if field is not None and getattr(field, "choices", None) and not field.is_relation:
        value = getattr(obj, f"get_{attr}_display")()
        if getattr(obj, attr) is None:
            return "Not known yet" if isinstance(getattr(obj, attr), type(None)) else value
        return value
    value = getattr(obj, attr, None)
    if callable(value):
        value = value()
    return show(value)


def label_of(obj_or_model: Any, attr: str) -> str:
    try:
        return str(obj_or_model._meta.get_field(attr).verbose_name).capitalize()
    except Exception:  # noqa: BLE001
        return attr.replace("_", " ").capitalize()
