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
        data = super().clean()
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
