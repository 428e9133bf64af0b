"""The shape shared by an organisation's named lists (areas, departments, harm categories,
vulnerability factors, courses, job roles): a name unique in the organisation, sorted by name."""

from __future__ import annotations

from django.db import models

from .scoping import TenantModel


class NamedList(TenantModel):
    """One entry of an organisation's named list. Abstract: each list keeps its own table.

    A subclass's ``Meta`` extends ``NamedList.Meta`` and names its unique constraint on
    (organisation, name); its ``history`` stays its own."""

    name = models.CharField(max_length=120)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
