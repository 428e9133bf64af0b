"""What each report says: sections of paragraphs, tables and charts, from ``governance.dashboard.page``.

Only figures, suppressed as on the dashboard: no name, reference or case."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from governance.dashboard import page
from governance.dashboard.models import BoardReport, ReportKind
from safeguard.tenancy.models import Organisation

KIND_PERIOD = {ReportKind.WEEKLY: "month", ReportKind.MONTHLY: "month", ReportKind.QUARTERLY: "quarter",
               ReportKind.ANNUAL: "year"}


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class BarSeries:
    caption: str
    labels: list[str]
    values: list[float]  # hidden figures are 0 here and marked in the table


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[BarSeries] = field(default_factory=list)


def _indicator_table(caption: str, items: list[Any]) -> Table:
    return Table(caption, ["Indicator", "What good looks like", "This period", "Last period", "Last year"],
                 [[i.label, i.target, i.now + (f" ({i.note})" if i.note else ""), i.last or "–", i.last_year or "–"]
                  for i in items])


def _compare(caption: str, label: str, table: dict[str, Any]) -> Table:
    rows = [[r["label"], str(r["now"]), str(r["last"]), r["change_last"], str(r["last_year"]), r["change_last_year"]]
            for r in table["rows"]]
    if table.get("total"):
        t = table["total"]
        rows.append(["Total", str(t["now"]), str(t["last"]), t["change_last"], str(t["last_year"]),
                     t["change_last_year"]])
    return Table(caption, [label, "This period", "Last period", "Change", "Last year", "Change on last year"], rows)


def build(report: BoardReport) -> tuple[dict[str, Any], list[Section]]:
    org: Organisation = report.organisation
    area_ids = {report.area_id} if report.area_id else None
    filters = page.Filters(KIND_PERIOD[ReportKind(report.kind)], report.period_end, report.area_id)
    # the rating as at the report's last day: a monthly report of November confirms November's reviews
    data = page.build(org, filters=filters, area_ids=area_ids, rag_on=report.period_end)
    sections: list[Section] = []
    rag = Section("Risk rating (RAG)")
    for r in data["ratings"]:
        name = f"{r.name} register" if r.area_id else org.name
        rag.paragraphs.append(f"{name}: {r.rating_label}.")
        rag.paragraphs += [f"• {f.text} ({f.rating.title()})" for f in r.facts]
    history = data["history"]
    rag.tables.append(Table("The rating over the last 12 months", ["Register", *history["months"]],
                            [[row["label"], *[c["label"] for c in row["cells"]]] for row in history["rows"]]))
    if report.kind == ReportKind.MONTHLY:
        rows = [[t["label"], "Yes" if t["signed"] else "Not yet", t["not_updated"]] for t in data["this_month"]]
        rag.tables.append(Table(f"Every register entry reviewed in {data['rag_month']:%B %Y} (Connexus 6.1–6.2)",
                                ["Register", "Review signed", "Entries not yet updated"], rows))
    sections.append(rag)
    if data["commentary"]:
        sections.append(Section("Commentary", [data["commentary"]["text"]]))
    case = Section("Casework", tables=[_indicator_table("Lag and lead indicators", data["casework"])])
    if report.kind == ReportKind.WEEKLY:
        by_key = {i.key: i for i in data["casework"]}
        case.paragraphs = [
            f"Cases missed (next action overdue): {by_key['overdue'].now}.",
            f"Cases awaiting a closure decision: {by_key['awaiting_closure'].now}.",
            f"Alerts not made within one working day this month: {by_key['late_alerts'].now}.",
        ]
    sections.append(case)
    concerns = data["concerns"]
    c = Section("Concerns")
    c.charts.append(BarSeries("Concerns reported by month (figures under 5 are not drawn)", [m["short"] for m in concerns["months"]],
                              [float(m["total"].sortable) for m in concerns["months"]]))
    c.tables.append(Table("Concerns reported by month", ["Month", "Safeguarding", "Wellbeing or welfare", "Total"],
                          [[m["label"], str(m["safeguarding"]), str(m["wow"]), str(m["total"])]
                           for m in concerns["months"]]))
    c.paragraphs = ([f"Spike: {s.area}, {s.month:%B %Y}: {s.count} concerns against {s.usual}."
                     for s in concerns["spikes"]] or ["No area had a month well above its usual level."])
    c.tables.append(_compare("Concerns by area", "Area", concerns["areas"]))
    if report.kind != ReportKind.WEEKLY:
        c.tables.append(_compare("Concerns by category of harm", "Category", data["categories"]))
        c.tables.append(_compare("Concerns by who raised them", "Source", concerns["sources"]))
    sections.append(c)
    if report.kind != ReportKind.WEEKLY:
        ref = data["referrals"]
        sections.append(Section("Referrals", tables=[
            Table("Referrals by agency", ["Agency", "Made", "Accepted", "Declined", "No response", "Waiting"],
                  [[a["label"], a["made"], a["accepted"], a["declined"], a["no_response"], a["awaiting"]]
                   for a in ref["agencies"]]),
            Table("Local authority response time", ["Authority", "Responses", "Median"],
                  [[a["label"], a["responses"], a["median"]] for a in ref["authorities"]])]))
        regs = data["registers"]
        sections.append(Section("Registers", [f"Reviews signed on time: {regs['reviews_on_time_text']} "
                                              f"({regs['reviews_percent']})."], tables=[
            Table("Families, children and adults by area", ["Area", "Families", "Children", "Adults"],
                  [[r["label"], str(r["families"]), str(r["children"]), str(r["adults"])]
                   for r in regs["areas"]["rows"]])]))
        sections.append(Section("Governance", tables=[_indicator_table("Reviews, audits, lessons and the work plan",
                                                                       data["governance"])]))
        comp = data["compliance"]
        sections.append(Section("Training, DBS and policy sign-off", tables=[
            Table("Compliance by department (target 100%)", ["Department", "People", "Training", "DBS", "Policy"],
                  [[d["label"], str(d["people"]), d["training"], d["dbs"], d["policy"]] for d in comp["rows"]])],
            charts=[BarSeries("Training compliance by department (%)", [d["label"] for d in comp["rows"]],
                              [d["training_value"] or 0.0 for d in comp["rows"]])]))
    sections.append(Section("About these figures", [
        "Numbers below 5 read “fewer than 5”; a number hidden so that a total cannot give a small one away reads "
        "“not shown”; no percentage is given over fewer than 5. No person, household or case is named.",
        f"Made by Safeguard for {org.name}. OFFICIAL-SENSITIVE: share only with the report's audience."]))
    return data, sections
