"""Case forms. Every choice is scoped to the organisation; every free text refuses markup."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Area, Department, Organisation

from . import actions
from .files import ALLOWED_TEXT, check_upload
from .models import ActionType, Case, ConcernType, HarmCategory, PersonType, Source, VulnerabilityFactor
from .policy.cadence import case_cadence, next_due_limit

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
MARKUP_MESSAGE = "Remove the text in angle brackets (< >): code or web page markup cannot be saved here"
DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


def no_markup(value: str) -> None:
    if value and MARKUP.search(value):
        raise forms.ValidationError(MARKUP_MESSAGE)


def not_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future")


def text_field(label: str, *, required: bool = True, textarea: bool = False, max_length: int | None = None,
               help_text: str = "", required_message: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 6}) if textarea else forms.TextInput
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, help_text=help_text,
        validators=[no_markup], error_messages={"required": required_message or f"Enter {label.lower()}"},
    )


class ConcernForm(forms.Form):
    """The concern itself; the people it is about are a formset alongside."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    immediate_risk = forms.TypedChoiceField(
        label="Is anyone at immediate risk of harm now?", choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        error_messages={"required": "Say whether anyone is at immediate risk"},
        help_text="If yes, call 999 first, then report the concern here.",
    )
    concern_type = forms.ChoiceField(
        label="What kind of concern is it?", choices=ConcernType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose safeguarding or wellbeing or welfare"},
        help_text="Safeguarding: someone is being harmed or at risk of abuse or neglect. "
                  "Wellbeing or welfare: someone is struggling and may need support.",
    )
    area = forms.ModelChoiceField(label="Local authority area", queryset=Area.objects.none(),
                                  empty_label="Choose an area", error_messages={"required": "Choose the area"})
    department = forms.ModelChoiceField(label="Your department", queryset=Department.objects.none(),
                                        empty_label="Choose a department",
                                        error_messages={"required": "Choose the department"})
    source = forms.ChoiceField(label="Who raised the concern?", choices=Source.choices,
                               error_messages={"required": "Choose who raised the concern"})
    happened_on = forms.DateField(label="When did it happen or when did you find out?", widget=DATE_WIDGET,
                                  validators=[not_future],
                                  error_messages={"required": "Enter the date it happened",
                                                  "invalid": "Enter a real date, for example 14/11/2026"})
    what_happened = text_field("What was seen or heard", textarea=True,
                               help_text="Write what you saw or heard, in the words people used. Facts, not opinions.",
                               required_message="Describe what was seen or heard")
    categories = forms.ModelMultipleChoiceField(label="Categories of harm (choose all that apply)",
                                                queryset=HarmCategory.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    vulnerabilities = forms.ModelMultipleChoiceField(label="Vulnerability factors (choose all that apply)",
                                                     queryset=VulnerabilityFactor.objects.none(), required=False,
                                                     widget=forms.CheckboxSelectMultiple)
    is_colleague_allegation = forms.BooleanField(
        label="This is an allegation against a colleague, contractor or volunteer", required=False,
        help_text="Only the People and Culture Director and people they name will see it.",
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["categories"].queryset = HarmCategory.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["vulnerabilities"].queryset = VulnerabilityFactor.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        areas = list(self.fields["area"].queryset[:2])  # type: ignore[attr-defined]
        if len(areas) == 1:  # a council with one area: nothing to choose
            self.initial.setdefault("area", areas[0].pk)
        self.helper = gds_helper(self, "Report the concern")
        self.helper.form_tag = False
        self.helper.inputs = []


class PersonForm(forms.Form):
    """One person the concern is about."""

    full_name = text_field("Full name", required=False, max_length=200)
    person_type = forms.ChoiceField(label="Adult, child or unborn child", choices=PersonType.choices,
                                    initial=PersonType.ADULT)
    date_of_birth = forms.DateField(label="Date of birth (if known)", required=False, widget=DATE_WIDGET,
                                    validators=[not_future],
                                    error_messages={"invalid": "Enter a real date of birth"})
    age = forms.IntegerField(label="Age, if you do not know the date of birth", required=False, min_value=0,
                             max_value=120, widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                             error_messages={"min_value": "Enter an age of 0 or more",
                                             "max_value": "Enter an age of 120 or less"})
    address = text_field("Address", required=False, textarea=False)
    tenancy_reference = text_field("Tenancy reference (if known)", required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self)
        self.helper.form_tag = False
        self.helper.inputs = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = any(data.get(f) for f in ("date_of_birth", "age", "address", "tenancy_reference"))
        if others and not data.get("full_name"):
            self.add_error("full_name", "Enter the person's name, or 'not known'")
        return data

    def person(self) -> actions.PersonData | None:
        d = self.cleaned_data
        if not d.get("full_name"):
            return None
        return actions.PersonData(
            full_name=d["full_name"], person_type=d.get("person_type") or PersonType.ADULT,
            date_of_birth=d.get("date_of_birth"), age=d.get("age"), address=d.get("address", ""),
            tenancy_reference=d.get("tenancy_reference", ""),
        )


class BasePeopleFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(f.cleaned_data.get("full_name") for f in self.forms):
            raise forms.ValidationError("Enter the name of at least one person the concern is about")


PeopleFormSet = formset_factory(PersonForm, formset=BasePeopleFormSet, extra=0, min_num=1, max_num=12,
                              absolute_max=12)  # a forged TOTAL_FORMS builds at most 12 forms, not 1,012


def concern_data(form: ConcernForm, people: Any) -> actions.ConcernData:
    d = form.cleaned_data
    return actions.ConcernData(
        concern_type=d["concern_type"], area_id=d["area"].pk, department_id=d["department"].pk,
        source=d["source"], what_happened=d["what_happened"], happened_on=d["happened_on"],
        people=[p for p in (f.person() for f in people.forms) if p is not None],
        immediate_risk=d["immediate_risk"], is_colleague_allegation=d["is_colleague_allegation"],
        category_ids=[c.pk for c in d["categories"]], vulnerability_ids=[v.pk for v in d["vulnerabilities"]],
    )


def new_token() -> str:
    return str(uuid.uuid4())


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocateForm(VersionedForm):
    officer = forms.ChoiceField(label="Case officer", error_messages={"required": "Choose a case officer"})
    concern_type = forms.ChoiceField(label="Confirm the kind of concern", choices=ConcernType.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"required": "Confirm safeguarding or wellbeing or welfare"})

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .load import officer_load

        self.members = {str(m.user_id): m.user for m in actions.officer_choices(case)}
        self.loads = officer_load(case.organisation_id, [u.pk for u in self.members.values()])
        self.fields["officer"].choices = [("", "Choose a person")] + [  # type: ignore[attr-defined]
            (uid, f"{u.full_name} ({self.loads[u.pk].summary()})") for uid, u in self.members.items()
        ]
        self.helper = gds_helper(self, "Allocate")


class DetailsForm(VersionedForm):
    concern_type = forms.ChoiceField(label="Kind of concern", choices=ConcernType.choices, widget=forms.RadioSelect)
    area = forms.ModelChoiceField(label="Local authority area", queryset=Area.objects.none())
    department = forms.ModelChoiceField(label="Department", queryset=Department.objects.none())
    categories = forms.ModelMultipleChoiceField(label="Categories of harm", queryset=HarmCategory.objects.none(),
                                                required=False, widget=forms.CheckboxSelectMultiple)
    vulnerabilities = forms.ModelMultipleChoiceField(label="Vulnerability factors",
                                                     queryset=VulnerabilityFactor.objects.none(),
                                                     required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["categories"].queryset = HarmCategory.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["vulnerabilities"].queryset = VulnerabilityFactor.objects.for_org(org)  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Save changes")


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(label="What was done", choices=[("", "Choose")] + ActionType.choices,
                                    error_messages={"required": "Choose what was done"})
    taken_on = forms.DateField(label="Date it was done", widget=DATE_WIDGET, validators=[not_future],
                               error_messages={"required": "Enter the date it was done",
                                               "invalid": "Enter a real date"})
    note = text_field("Note", textarea=True, required_message="Write a note of what was done and found")
    next_due = forms.DateField(label="Next action due by", widget=DATE_WIDGET,
                               error_messages={"required": "Enter when the next action is due",
                                               "invalid": "Enter a real date"})

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        today = timezone.localdate()
        self.fields["taken_on"].initial = today
        self.fields["next_due"].initial = next_due_limit(case, today)
        self.fields["next_due"].help_text = (
            f"Within {case_cadence(case)} of the action ({case.get_concern_type_display().lower()})."
        )
        self.helper = gds_helper(self, "Save action")


class AddendumForm(forms.Form):
    text = text_field("Addendum", textarea=True, required_message="Write the addendum",
                      help_text="What you wrote before is kept as it was. This is added below it, dated and signed.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Add addendum")


class AttachmentForm(forms.Form):
    file = forms.FileField(label="File", help_text=f"{ALLOWED_TEXT}; 10 MB or smaller.",
                           error_messages={"required": "Choose a file to upload"})
    description = text_field("Description", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content_type = ""
        self.helper = gds_helper(self, "Upload file")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        error, self.content_type = check_upload(upload)
        if error:
            raise forms.ValidationError(error)
        return upload


class ClosureRequestForm(VersionedForm):
    outcome = text_field("Outcome and reason to close", textarea=True,
                         required_message="Describe the outcome and why the case can close")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Ask a manager to close the case")


class ClosureDecisionForm(VersionedForm):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("authorise", "Authorise closure"), ("send_back", "Send it back to the officer")],
                                 error_messages={"required": "Choose to authorise or send it back"})
    reason = text_field("Reason", required=False, textarea=True,
                        help_text="Needed when you send it back: say what must be done first.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Record decision")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "send_back" and not data.get("reason"):
            self.add_error("reason", "Say why the case is sent back")
        return data


class ReopenForm(VersionedForm):
    reason = text_field("Why reopen the case", textarea=True, required_message="Say why the case is reopened")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Reopen case")


class GrantForm(forms.Form):
    user = forms.ChoiceField(label="Person", error_messages={"required": "Choose a person"})
    reason = text_field("Why they need to see it", textarea=True, required_message="Say why they need access")
    can_edit = forms.BooleanField(label="They may record actions and add files", required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from safeguard.tenancy.models import Membership

        members = Membership.objects.for_org(org).filter(is_active=True).select_related("user")
        self.users = {str(m.user_id): m.user for m in members}
        self.fields["user"].choices = [("", "Choose a person")] + [(k, u.full_name) for k, u in self.users.items()]  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Give access")
