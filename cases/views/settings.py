"""The organisation's own lists of categories of harm and vulnerability factors (organisation administrator)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.roles import Role

from ..forms import no_markup
from ..models import HarmCategory, VulnerabilityFactor

KINDS = {"category": HarmCategory, "factor": VulnerabilityFactor}


class ListItemForm(forms.Form):
    kind = forms.ChoiceField(label="Add to", choices=[("category", "Categories of harm"),
                                                        ("factor", "Vulnerability factors")], widget=forms.RadioSelect,
                             error_messages={"required": "Choose which list to add to"})
    name = forms.CharField(label="Name", max_length=120, validators=[no_markup],
                           error_messages={"required": "Enter a name"})

    def __init__(self, *args: object, org: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.org = org
        self.helper = gds_helper(self, "Add")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        model = KINDS.get(str(data.get("kind")))
        name = str(data.get("name") or "").strip()
        if model and name and model.objects.for_org(self.org).filter(name__iexact=name).exists():  # type: ignore[arg-type]
            self.add_error("name", f"“{name}” is already on the list")
        return data


@role_required(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def org_lists(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = ListItemForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        model = KINDS[form.cleaned_data["kind"]]
        model.objects.create(organisation=org, name=form.cleaned_data["name"].strip())
        messages.success(request, f"“{form.cleaned_data['name'].strip()}” added.")
        return redirect("cases:lists")
    return render(request, "cases/lists.html", {
        "form": form, "categories": HarmCategory.objects.for_org(org), "factors": VulnerabilityFactor.objects.for_org(org),
    }, status=400 if form.errors else 200)


@role_required(Role.ORG_ADMIN)
@require_POST
def toggle_list_item(request: OrgRequest, kind: str, item_pk: int) -> HttpResponse:
    """Stop offering an item on new reports (cases keep it), or offer it again."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model.objects.for_org(request.org), pk=item_pk)
    item.is_active = not item.is_active  # type: ignore[attr-defined]
    item.save()
    messages.success(request, f"“{item.name}” is {'offered again' if item.is_active else 'no longer offered'}.")  # type: ignore[attr-defined]
    return redirect("cases:lists")
