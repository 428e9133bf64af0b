"""Suppliers and contractors, and their safeguarding assurance (whg 3.16-3.17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

from .common import Document, Record


class Supplier(TenantModel, Record, Document):
    class PolicyBasis(models.TextChoices):
        UNKNOWN = "unknown", "Not yet confirmed"
        OWN = "own", "Has its own safeguarding policy"
        OURS = "ours", "Confirmed it follows our policy"

    name = models.CharField(max_length=200)
    services = models.TextField("services they provide")
    contract_has_clause = models.BooleanField("the contract carries the safeguarding clause", default=False)
    policy_basis = models.CharField("safeguarding policy", max_length=20, choices=PolicyBasis.choices,
                                    default=PolicyBasis.UNKNOWN)
    confirmed_on = models.DateField("date they confirmed", null=True, blank=True)
    review_on = models.DateField("next confirmation due", null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Who manages the contract.")
    is_active = models.BooleanField("we still use them", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="uniq_governance_supplier_name",
                                               violation_error_message="Your organisation already has a supplier with this name")]

    def __str__(self) -> str:
        return self.name
