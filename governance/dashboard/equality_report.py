"""The equality report (whg 5.3–5.4): who is the subject of concerns against who is referred, by protected
characteristic, to show whether bias affects who is referred. Counts suppressed as every board figure;
gender reassignment is never part of it. One query."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from cases.referrals.models import Referral
from safeguard.tenancy import suppression
from safeguard.tenancy.models import Organisation

from .equality import REPORTED, EqualityProfile


def equality_report(org: Organisation, start: date, end: date) -> list[dict[str, Any]]:
    """Per characteristic: each value's people in concerns reported in the period, how many were referred
    (a referral made for them, or for their case when it names no one), the share referred."""
    referred = Exists(Referral.objects.for_org(org).filter(
        Q(person=OuterRef("person_id")) | Q(case=OuterRef("person__case_id"), person__isnull=True),
        made_on__isnull=False))
    qs = (EqualityProfile.objects.for_org(org)
          .filter(person__case__reported_at__date__gte=start, person__case__reported_at__date__lte=end)
          .annotate(referred=referred))
    aggregates: dict[str, Any] = {}
    for field_name, (_label, choices) in REPORTED.items():
        for value, _text in choices:
            aggregates[f"{field_name}__{value}__n"] = Count("pk", filter=Q(**{field_name: value}))
            aggregates[f"{field_name}__{value}__r"] = Count("pk", filter=Q(**{field_name: value}, referred=True))
    row = qs.aggregate(**aggregates)
    result = []
    for field_name, (label, choices) in REPORTED.items():
        counts = [(text, row[f"{field_name}__{value}__n"], row[f"{field_name}__{value}__r"])
                  for value, text in choices]
        shown = suppression.table([[n, r] for _, n, r in counts], row_totals=False)
        rows = [{"label": text, "subjects": shown["cells"][i][0], "referred": shown["cells"][i][1],
                 "share": suppression.percent(r, n) if not shown["cells"][i][1].hidden else suppression.NOT_SHOWN}
                for i, (text, n, r) in enumerate(counts)]
        total_n, total_r = shown["column_totals"]
        result.append({"label": label, "rows": rows, "total": {"subjects": total_n, "referred": total_r}})
    return result
