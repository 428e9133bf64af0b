"""Equality monitoring (whg 5.3–5.4, 5.10): optional protected characteristics of a person in a concern.

Kept in its own table, one row per case person, so that nothing that reads a case person (a referral,
an export, a register entry) can carry it by accident. Gender reassignment is recorded only with the
person's explicit consent to record it (a database constraint as well as the form), is never exported,
never in a referral, and never in a figure: the equality report leaves it out altogether.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.tenancy.scoping import TenantModel

NOT_KNOWN = ("not_known", "Not known")
PREFER_NOT = ("prefer_not", "Prefer not to say")


def _choices(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [*pairs, NOT_KNOWN, PREFER_NOT]


AGE_BANDS = _choices(("0-17", "Under 18"), ("18-24", "18 to 24"), ("25-34", "25 to 34"), ("35-44", "35 to 44"),
                     ("45-54", "45 to 54"), ("55-64", "55 to 64"), ("65-74", "65 to 74"), ("75+", "75 or over"))
SEX = _choices(("female", "Female"), ("male", "Male"))
ETHNICITY = _choices(("asian", "Asian or Asian British"), ("black", "Black, Black British, Caribbean or African"),
                     ("mixed", "Mixed or multiple ethnic groups"), ("white", "White"),
                     ("other", "Another ethnic group"))
YES_NO = _choices(("yes", "Yes"), ("no", "No"))
RELIGION = _choices(("none", "No religion"), ("buddhist", "Buddhist"), ("christian", "Christian"),
                    ("hindu", "Hindu"), ("jewish", "Jewish"), ("muslim", "Muslim"), ("sikh", "Sikh"),
                    ("other", "Another religion or belief"))
ORIENTATION = _choices(("heterosexual", "Heterosexual or straight"), ("gay_lesbian", "Gay or lesbian"),
                       ("bisexual", "Bisexual"), ("other", "Another sexual orientation"))
MARITAL = _choices(("single", "Never married or in a civil partnership"), ("married", "Married"),
                   ("civil_partnership", "In a civil partnership"), ("separated", "Separated"),
                   ("divorced", "Divorced or civil partnership dissolved"), ("widowed", "Widowed"))

# The characteristics the equality report compares (gender reassignment is never one of them).
REPORTED = {
    "age_band": ("Age band", AGE_BANDS),
    "sex": ("Sex", SEX),
    "ethnicity": ("Ethnicity", ETHNICITY),
    "disability": ("Disability", YES_NO),
    "religion": ("Religion or belief", RELIGION),
    "sexual_orientation": ("Sexual orientation", ORIENTATION),
    "pregnancy_maternity": ("Pregnancy and maternity", YES_NO),
    "marital_status": ("Marriage and civil partnership", MARITAL),
}


class EqualityProfile(TenantModel):
    """A case person's protected characteristics, each optional (blank: not asked)."""

    person = models.OneToOneField("cases.CasePerson", on_delete=models.CASCADE, related_name="equality")
    age_band = models.CharField(max_length=20, choices=AGE_BANDS, blank=True)
    sex = models.CharField(max_length=20, choices=SEX, blank=True)
    ethnicity = models.CharField(max_length=20, choices=ETHNICITY, blank=True)
    disability = models.CharField(max_length=20, choices=YES_NO, blank=True)
    religion = models.CharField("religion or belief", max_length=20, choices=RELIGION, blank=True)
    sexual_orientation = models.CharField(max_length=20, choices=ORIENTATION, blank=True)
    pregnancy_maternity = models.CharField("pregnancy and maternity", max_length=20, choices=YES_NO, blank=True)
    marital_status = models.CharField("marriage and civil partnership", max_length=20, choices=MARITAL,
                                      blank=True)
    gender_reassignment_consent = models.BooleanField(
        "the person has explicitly consented to recording gender reassignment", default=False)
    gender_reassignment = models.CharField(max_length=20, choices=YES_NO, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["gender_reassignment"])

    class Meta:
        app_label = "board"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gender_reassignment="") | models.Q(gender_reassignment_consent=True),
                name="gender_reassignment_needs_consent"),
        ]

    def __str__(self) -> str:
        return f"Equality monitoring of person {self.person_id}"
