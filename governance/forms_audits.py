"""Forms of case audits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Organisation

from .forms import DATE_INPUT, MemberChoice, org_users
from .models import AuditFinding, AuditQuestion


class StartRoundForm(forms.Form):
    title = forms.CharField(label="Name of the round (optional)", max_length=200, required=False,
                            help_text="For example: Quarter 3 register audit.")
    areas = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label="Areas",  # type: ignore[var-annotated]
                                           error_messages={"required": "Choose at least one area"})
    period_start = forms.DateField(label="Cases reported from", widget=DATE_INPUT,
                                   error_messages={"required": "Enter the first date of the period",
                                                   "invalid": "Enter a real date for the start of the period"})
    period_end = forms.DateField(label="Cases reported up to", widget=DATE_INPUT,
                                 error_messages={"required": "Enter the last date of the period",
                                                 "invalid": "Enter a real date for the end of the period"})
    sample_size = forms.IntegerField(label="Sample size", min_value=1, max_value=1000,
                                     error_messages={"required": "Enter how many cases to sample",
                                                     "min_value": "Sample at least 1 case",
                                                     "max_value": "Sample at most 1,000 cases"})
    sample_is_percent = forms.TypedChoiceField(
        label="The sample size is", choices=[("false", "A number of cases"), ("true", "A percentage of the cases")],
        coerce=lambda v: v == "true", initial="false", widget=forms.RadioSelect)
    seed = forms.IntegerField(label="Sample number (optional)", required=False, min_value=0, max_value=2**31 - 1,
                              help_text="Leave empty for a new random sample. The same number over the same cases "
                                        "draws the same sample again.")

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Draw the sample")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", "The end of the period must be on or after its start")
        if data.get("sample_is_percent") and (data.get("sample_size") or 0) > 100:
            self.add_error("sample_size", "A percentage must be 100 or less")
        return data


class AuditForm(forms.Form):
    """A finding per checklist question, the overall result, and a follow-up action on failure."""

    findings = forms.CharField(label="What you found", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    correctly_recorded = forms.TypedChoiceField(
        label="Is the case correctly recorded on the register?", choices=[("true", "Yes"), ("false", "No")],
        coerce=lambda v: v == "true", widget=forms.RadioSelect,
        error_messages={"required": "Say whether the case is correctly recorded on the register"})
    audited_on = forms.DateField(label="Date of the audit", widget=DATE_INPUT, initial=timezone.localdate,
                                 error_messages={"required": "Enter the date of the audit",
                                                 "invalid": "Enter a real date for the audit"})
    action_title = forms.CharField(label="Follow-up action", required=False, max_length=300,
                                   help_text="Needed when the case is not correctly recorded.")
    action_owner = MemberChoice(queryset=None, required=False, label="Who will do it", empty_label="Choose a person")
    action_due_on = forms.DateField(label="Due date of the action", widget=DATE_INPUT, required=False,
                                    error_messages={"invalid": "Enter a real due date"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, org: Organisation, questions: list[AuditQuestion],
                 existing: dict[int, AuditFinding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["action_owner"].queryset = org_users(org)  # type: ignore[attr-defined]
        for q in questions:
            f = existing.get(q.pk)
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                label=q.text, choices=AuditFinding.Answer.choices, widget=forms.RadioSelect,
                initial=f.answer if f else None,
                error_messages={"required": f"Answer \u201c{q.text}\u201d"})
            self.fields[f"q{q.pk}_note"] = forms.CharField(label=f"Note on \u201c{q.text}\u201d (optional)",
                                                           required=False, initial=f.note if f else "")
        order = [n for q in questions for n in (f"q{q.pk}", f"q{q.pk}_note")]
        self.order_fields(order + ["findings", "correctly_recorded", "audited_on", "action_title", "action_owner",
                                   "action_due_on", "version"])
        self.helper = gds_helper(self, "Save the audit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        parts = [data.get("action_title"), data.get("action_owner"), data.get("action_due_on")]
        if any(parts) and not all(parts):
            for name, value in zip(("action_title", "action_owner", "action_due_on"), parts, strict=True):
                if not value:
                    self.add_error(name, {"action_title": "Say what must be done",
                                          "action_owner": "Choose who will do the action",
                                          "action_due_on": "Enter the due date of the action"}[name])
        return data

    def answers(self) -> dict[int, tuple[str, str]]:
        return {q.pk: (self.cleaned_data[f"q{q.pk}"], self.cleaned_data.get(f"q{q.pk}_note", ""))
                for q in self.questions}

    def follow_up(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if d.get("action_title"):
            return {"title": d["action_title"], "owner": d["action_owner"], "due_on": d["action_due_on"]}
        return None


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300,
                           error_messages={"required": "Enter the question"})
    position = forms.IntegerField(label="Position in the checklist", min_value=0, max_value=999, initial=10)
    is_active = forms.BooleanField(label="Ask this question in new audits", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Save the question")
