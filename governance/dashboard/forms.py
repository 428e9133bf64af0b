"""Forms of the board dashboard: the monthly commentary and the RAG thresholds."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguard.tenancy.forms import gds_helper

from .models import RagSettings


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Commentary for the board", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One paragraph: what the figures mean this month, what is being done. Name no one.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Save the commentary")


class RagSettingsForm(forms.ModelForm):
    class Meta:
        model = RagSettings
        fields = ["register_months_amber", "register_months_red", "audit_failures_amber", "audit_failures_red",
                  "case_review_red_months", "policy_out_of_date_rating"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Save the thresholds")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        for low, high in (("register_months_amber", "register_months_red"),
                          ("audit_failures_amber", "audit_failures_red")):
            if data.get(low) is not None and data.get(high) is not None:
                if data[low] < 1:
                    self.add_error(low, "Enter 1 or more.")
                elif data[high] <= data[low]:
                    self.add_error(high, "The number for Red must be more than the number for Amber.")
        if data.get("case_review_red_months") is not None and data["case_review_red_months"] < 1:
            self.add_error("case_review_red_months", "Enter 1 or more.")
        return data


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=[])
    ending = forms.DateField(label="Period ending (any day in it)", widget=forms.DateInput(attrs={"type": "date"}),
                             help_text="The report covers the week, month, quarter or financial year before this day.")
    area = forms.ModelChoiceField(label="Area (weekly manager report only)", queryset=None, required=False)  # type: ignore[var-annotated]

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        from safeguard.tenancy.models import Area

        from .models import ReportKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReportKind.choices  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Make the report")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        if data.get("kind") == "weekly" and not data.get("area"):
            self.add_error("area", "Choose the area of the weekly manager report.")
        return data


class EqualityForm(forms.ModelForm):
    """Every answer optional; gender reassignment only with the person's explicit consent to record it."""

    class Meta:
        from .equality import EqualityProfile

        model = EqualityProfile
        fields = ["age_band", "sex", "ethnicity", "disability", "religion", "sexual_orientation",
                  "pregnancy_maternity", "marital_status", "gender_reassignment_consent", "gender_reassignment"]
        help_texts = {"gender_reassignment": "Only with the person's explicit consent to record it. Never shared, "
                                             "never exported, never in a referral or a figure."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            if name != "gender_reassignment_consent":
                self.fields[name].required = False
        self.helper = gds_helper(self, "Save")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        if data.get("gender_reassignment") and not data.get("gender_reassignment_consent"):
            self.add_error("gender_reassignment", "Record gender reassignment only when the person has explicitly "
                                                  "consented to it being recorded: tick the consent box first.")
        return data
