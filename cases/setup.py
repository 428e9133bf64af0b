"""Each organisation's default lists: categories of harm (whg 2.8) and vulnerability factors (whg 1.11)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import HarmCategory, VulnerabilityFactor

if TYPE_CHECKING:
    from safeguard.tenancy.models import Organisation

HARM_CATEGORIES = [
    "Physical abuse",
    "Sexual abuse",
    "Psychological or emotional abuse",
    "Financial or material abuse",
    "Neglect or acts of omission",
    "Self-neglect (including hoarding)",
    "Discriminatory abuse",
    "Organisational or institutional abuse",
    "Domestic abuse",
    "Coercive control",
    "Modern slavery",
    "Sexual exploitation",
    "Criminal exploitation",
    "Forced marriage and honour-based abuse",
    "Female genital mutilation",
    "Online abuse",
    "Radicalisation (Prevent)",
]

VULNERABILITY_FACTORS = [
    "Memory loss or dementia",
    "Long-term mental health condition",
    "Dependent on others",
    "Physical disability",
    "Learning difficulty",
    "Alcohol or drug dependency",
    "Homeless or at risk of homelessness",
    "Experiencing anti-social behaviour",
    "Carer with unmet needs",
    "Young carer",
    "Child at risk of or involved in crime",
]


def ensure_defaults(org: Organisation) -> None:
    """Create the default categories and factors this organisation lacks (idempotent)."""
    for model, names in ((HarmCategory, HARM_CATEGORIES), (VulnerabilityFactor, VULNERABILITY_FACTORS)):
        have = set(model.objects.for_org(org).values_list("name", flat=True))
        model.objects.bulk_create(
            [model(organisation=org, name=n) for n in names if n not in have], ignore_conflicts=True  # type: ignore[misc]
        )


def on_organisation_saved(sender: Any, instance: Organisation, created: bool, raw: bool = False, **kw: Any) -> None:
    if created and not raw:
        ensure_defaults(instance)
