"""Forms of the training app. Every choice is scoped to the organisation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone

from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Department, Organisation
from safeguard.tenancy.uploads import SPREADSHEET_TYPES as IMPORT_TYPES
from safeguard.tenancy.uploads import check_form_upload as check_upload

from .models import DBSLevel, ImportKind, JobRole, Person

EVIDENCE_TYPES = {".pdf", ".png", ".jpg", ".jpeg"}
POLICY_TYPES = {".pdf", ".docx", ".odt"}
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"})


def not_in_future(value: date, what: str) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError(f"The {what} must be today or in the past")
    return value


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "reference", "email", "kind", "job_role", "department", "team", "line_manager",
                  "is_active", "version"]
        widgets = {"version": forms.HiddenInput}
        labels = {"full_name": "Full name", "reference": "Employee or person reference", "kind": "Type of person",
                  "job_role": "Job role", "is_active": "Still works or volunteers here"}
        error_messages = {"full_name": {"required": "Enter the person's full name"},
                          "email": {"invalid": "Enter an e-mail address like name@example.org"}}
        help_texts = {"reference": "From your HR system. Used to match people when you import a spreadsheet.",
                      "email": "If they sign in to Safeguard, use the same e-mail so their record links to them."}

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.instance.organisation = org
        self.fields["job_role"].queryset = JobRole.objects.for_org(org)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        managers = Person.objects.for_org(org).filter(is_active=True)
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        self.fields["line_manager"].queryset = managers  # type: ignore[attr-defined]
        self.fields["version"].required = False
        self.helper = gds_helper(self, "Save person")

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        taken = Person.objects.for_org(self.org).filter(reference__iexact=reference).exclude(pk=self.instance.pk)
        if reference and taken.exists():
            raise forms.ValidationError("Someone in your organisation already has this reference")
        return reference


class DBSForm(forms.Form):
    level = forms.ChoiceField(label="Level of check", choices=DBSLevel.choices[1:], widget=forms.RadioSelect,
                              error_messages={"required": "Choose the level of the check"})
    certificate_number = forms.CharField(label="Certificate number", max_length=20,
                                         help_text="The 12 digits at the top of the certificate.")
    issued_on = forms.DateField(label="Issue date", widget=DATE_INPUT,
                                error_messages={"required": "Enter the issue date", "invalid": "Enter a real date"})
    update_service = forms.BooleanField(label="Subscribed to the DBS update service", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certificate_number"].widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-20"})
        self.helper = gds_helper(self, "Save DBS check")

    def clean_certificate_number(self) -> str:
        value = self.cleaned_data["certificate_number"].replace(" ", "")
        if not value.isdigit() or len(value) != 12:
            raise forms.ValidationError("Enter the 12 digits of the certificate number, like 001234567890")
        return value

    def clean_issued_on(self) -> date:
        return not_in_future(self.cleaned_data["issued_on"], "issue date")


class TrainingForm(forms.Form):
    course = forms.ModelChoiceField(label="Course", queryset=None)  # type: ignore[var-annotated]
    level = forms.IntegerField(label="Level", min_value=1, max_value=9, initial=1,
                               widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    provider = forms.CharField(label="Provider", max_length=200, required=False)
    completed_on = forms.DateField(label="Completion date", widget=DATE_INPUT,
                                   error_messages={"required": "Enter the completion date", "invalid": "Enter a real date"})
    expires_on = forms.DateField(label="Expiry date", widget=DATE_INPUT, required=False,
                                 help_text="Leave empty to use the refresh interval for their job role.")
    evidence = forms.FileField(label="Certificate (optional)", required=False,
                               help_text="A PDF, PNG or JPG file, smaller than 5 MB.")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import Course

        self.fields["course"].queryset = Course.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Save training record")

    def clean_completed_on(self) -> date:
        return not_in_future(self.cleaned_data["completed_on"], "completion date")

    def clean_evidence(self) -> UploadedFile | None:
        return check_upload(self.cleaned_data.get("evidence"), EVIDENCE_TYPES, "certificate")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        course, level = data.get("course"), data.get("level")
        if course and level and level > course.levels:
            self.add_error("level", f"{course.name} has only {course.levels} level{'s' if course.levels > 1 else ''}")
        done, expires = data.get("completed_on"), data.get("expires_on")
        if done and expires and expires <= done:
            self.add_error("expires_on", "The expiry date must be after the completion date")
        return data


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label="Why was this record entered in error?", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For example: recorded against the wrong person, or a duplicate.",
                             error_messages={"required": "Say why the record was entered in error"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Mark as entered in error")


class CourseForm(forms.Form):
    name = forms.CharField(label="Course name", max_length=120)
    levels = forms.IntegerField(label="Number of levels", min_value=1, max_value=9, initial=1,
                                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Add course")
        self.helper.form_action = reverse("training:course-add")


class JobRoleForm(forms.ModelForm):
    class Meta:
        model = JobRole
        fields = ["name", "dbs_level", "dbs_renewal_years", "training_refresh_years"]
        labels = {"name": "Job role", "dbs_level": "DBS check needed", "dbs_renewal_years": "Years between DBS checks",
                  "training_refresh_years": "Years between training refreshers"}
        widgets = {"dbs_level": forms.RadioSelect}

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.instance.organisation = org
        from .models import Course

        self.courses = list(Course.objects.for_org(org).filter(is_active=True))
        current = {r.course_id: r.level for r in self.instance.requirements.all()} if self.instance.pk else {}
        for course in self.courses:
            self.fields[f"course_{course.pk}"] = forms.TypedChoiceField(
                label=f"{course.name}: level required", required=False, coerce=int, empty_value=0,  # type: ignore[arg-type]
                choices=[("", "Not required"), *[(n, f"Level {n}") for n in range(1, course.levels + 1)]],
                initial=current.get(course.pk, ""),
            )
        for name in ("dbs_renewal_years", "training_refresh_years"):
            self.fields[name].widget.attrs["class"] = "govuk-input--width-3"
        self.helper = gds_helper(self, "Save job role")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = JobRole.objects.for_org(self.org).filter(name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a job role called {name}: choose another name")
        return name

    def _get_validation_exclusions(self) -> set[str]:
        # The organisation is set by the view, not a field; keep it in validate_unique so the
        # (organisation, name) constraint is checked by the form rather than failing in the database.
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.discard("organisation")
        return exclude

    def requirements(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"course_{c.pk}"] for c in self.courses if self.cleaned_data.get(f"course_{c.pk}")}


class PolicyForm(forms.Form):
    label = forms.CharField(label="Version", max_length=40, help_text="For example 2026.2 or v4.")
    document = forms.FileField(label="Policy document", help_text="A PDF, DOCX or ODT file, smaller than 5 MB.")
    review_on = forms.DateField(label="Review date", widget=DATE_INPUT)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.helper = gds_helper(self, "Publish and ask everyone to read it")

    def clean_document(self) -> UploadedFile | None:
        return check_upload(self.cleaned_data.get("document"), POLICY_TYPES, "policy document")

    def clean_label(self) -> str:
        from .compliance import staff_versions

        label = self.cleaned_data["label"].strip()
        if staff_versions(self.org).filter(label=label).exists():
            raise forms.ValidationError(f"Version {label} has already been published: give this one a new version")
        return label


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="What does the spreadsheet hold?", choices=ImportKind.choices,
                             widget=forms.RadioSelect)
    file = forms.FileField(label="Spreadsheet", help_text="A CSV or XLSX file, smaller than 5 MB, with the columns "
                                                          "of the template.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Upload and check")

    def clean_file(self) -> UploadedFile | None:
        return check_upload(self.cleaned_data.get("file"), IMPORT_TYPES, "spreadsheet")
