"""The desk's periodic implementation report (Fujian measures Art. 17: every six months to the
provincial authorities), for a chosen half-year: applications, filings and opinions by outcome,
sector and scenario; time to notice and to opinion against the procedure's working-day limits;
exports and persons under filed flows; spot-checks and their results; incidents and orders.

Each figure is computed once here (`figures`) and rendered as XLSX and PDF from the same rows,
so the two files and the known-answer test read the same numbers. Periods and limits come from
the list data (`agency.periodic_report.every_months`, the steps' `working_days`).

Readings taken:
- agency.report-period: an event counts in the half-year its own date falls in (application
  submitted, filing filed, opinion issued, export made, check made, incident discovered, order
  issued); a clock counts in the half-year its agency step was done in; one not done counts in
  every half-year from the one it falls due in while it stays outstanding (reported as open or
  overdue at the period's end), so an overdue step is never left out of a report.
- agency.persons-summed: persons under filed flows are the recorded exports' persons summed, not
  de-duplicated across exports (the register keeps per-export figures); the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ftzlist.agency.desk import Desk
from ftzlist.agency.models import Order, SpotCheck, UpwardReport
from ftzlist.errors import InputError
from ftzlist.filings.models import (
    Application,
    ExportEvent,
    Filing,
    Flow,
    Opinion,
    Proceeding,
    StepRecord,
)
from ftzlist.schema.common import Text

HALF = re.compile(r"^(\d{4})-?H([12])$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    def holds(self, d: dt.date | None) -> bool:
        return d is not None and self.start <= d <= self.end


def half_year(text: str) -> Period:
    """`2026H1` (1 January - 30 June) or `2026H2` (1 July - 31 December). Raises InputError."""
    m = HALF.match(text.strip().upper())
    if not m:
        raise InputError(f"half-year '{text}': expected YYYYH1 or YYYYH2, e.g. 2026H1")
    year, half = int(m.group(1)), int(m.group(2))
    if not 2000 <= year <= 2099:
        raise InputError(f"half-year '{text}': year out of range 2000-2099")
    if half == 1:
        return Period(dt.date(year, 1, 1), dt.date(year, 6, 30), f"{year}H1")
    return Period(dt.date(year, 7, 1), dt.date(year, 12, 31), f"{year}H2")


@dataclass(frozen=True)
class Figure:
    section: str
    key: str
    label: Text
    value: int | float | str | None
    note: str | None = None


@dataclass(frozen=True)
class Clock:
    proceeding: str
    step: str
    started_on: dt.date
    done_on: dt.date | None
    due_on: dt.date
    limit: int
    working_days: int | None
    status: str  # within | late | open | overdue


@dataclass
class SixMonthly:
    desk: str
    period: Period
    to: Text | None
    citation: str | None
    figures: list[Figure] = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)

    def value(self, key: str) -> int | float | str | None:
        """One figure by key (KeyError if the report has none)."""
        for f in self.figures:
            if f.key == key:
                return f.value
        raise KeyError(key)


READINGS = [
    "agency.report-period: each event counts in the half-year of its own date; a clock counts in the "
    "half-year its step was done in, or, not done, in every half-year from its due date while outstanding.",
    "agency.persons-summed: persons under filed flows are recorded exports' persons summed, not "
    "de-duplicated across exports.",
]


def _fig(out: list[Figure], section: str, key: str, zh: str, en: str, value, note: str | None = None) -> None:
    out.append(Figure(section, key, Text(zh=zh, en=en), value, note))


def figures(desk: Desk, period: Period, today: dt.date) -> SixMonthly:
    """The report's figures for `desk` (its scope; every desk for an admin) over `period`, with
    open clocks judged as of `min(today, period.end)`."""
    at = min(today, period.end)
    cal = desk.register.calendar
    incs = [i for i in desk.incidents() if period.holds(i.discovered_on)]  # its own session: before ours
    with desk.reading() as s:
        scopes = desk.visible(s)
        procs = {pid: s.get(Proceeding, pid) for pid in scopes}
        agencies = [desk.agency_of(p) for p in procs.values()]  # type: ignore[arg-type]
        periodic = next((a.periodic_report for a in agencies if a.periodic_report), None)
        report = SixMonthly(
            desk=str(desk.scope) if desk.scope else "all desks",
            period=period,
            to=periodic.to if periodic else None,
            citation=(periodic.citation.label.en if periodic and periodic.citation.label else None),
            readings=list(READINGS),
        )
        figs = report.figures
        ids = list(procs)

        def sector_of(scenario: str | None) -> str:
            sc = desk.law.vocabulary.scenarios.get(scenario or "")
            return sc.sector if sc else "(none)"

        apps = [
            a
            for a in s.scalars(select(Application).where(Application.proceeding_id.in_(ids)))
            if period.holds(a.submitted_on)
        ]
        kinds = Counter(a.kind for a in apps)
        _fig(figs, "applications", "applications", "收到的申请", "applications received", len(apps))
        for k in ("initial", "renewal", "fresh", "simplified_change"):
            _fig(figs, "applications", f"applications.{k}", k, k, kinds.get(k, 0))
        filings = [
            f
            for f in s.scalars(select(Filing).where(Filing.proceeding_id.in_(ids), Filing.basis == "filed"))
            if period.holds(f.filed_on)
        ]
        _fig(figs, "filings", "filings", "备案", "filings received", len(filings))
        flows = {pid: s.get(Flow, p.flow_id) for pid, p in procs.items()}  # type: ignore[union-attr]
        by_sector = Counter(sector_of(f.scenario or flows[f.proceeding_id].scenario) for f in filings)  # type: ignore[union-attr]
        by_scenario = Counter((f.scenario or flows[f.proceeding_id].scenario or "(none)") for f in filings)  # type: ignore[union-attr]
        for k, v in sorted(by_sector.items()):
            _fig(figs, "filings", f"filings.sector.{k}", f"行业 {k}", f"sector {k}", v)
        for k, v in sorted(by_scenario.items()):
            _fig(figs, "filings", f"filings.scenario.{k}", f"场景 {k}", f"scenario {k}", v)
        ops = [
            o
            for o in s.scalars(select(Opinion).where(Opinion.proceeding_id.in_(ids)))
            if period.holds(o.issued_on)
        ]
        _fig(figs, "opinions", "opinions", "出具的评估意见", "opinions issued", len(ops))
        outcome_ids: list[str] = []
        for p in procs.values():
            for st in desk.procedure(p).steps:  # type: ignore[arg-type]
                outcome_ids += [o.id for o in st.outcomes if o.id not in outcome_ids]
        by_outcome = Counter(o.outcome for o in ops)
        for k in outcome_ids + sorted(set(by_outcome) - set(outcome_ids)):
            _fig(figs, "opinions", f"opinions.{k}", k, k, by_outcome.get(k, 0))
        for k, v in sorted(Counter(o.pathway for o in ops if o.pathway).items()):
            _fig(figs, "opinions", f"opinions.guided_to.{k}", f"指导路径 {k}", f"guided to {k}", v)
        up = {
            r.subject_id
            for r in s.scalars(select(UpwardReport).where(UpwardReport.kind == "opinion"))
            if r.subject_id is not None
        }
        _fig(
            figs,
            "opinions",
            "opinions.filed_up",
            "已报省级备案的意见",
            "opinions filed with the authority above",
            sum(1 for o in ops if o.id in up),
        )

        # clocks: the agency's timed steps
        for pid, p in procs.items():
            proc = desk.procedure(p)  # type: ignore[arg-type]
            rec = {
                r.step_id: r.occurred_on
                for r in s.scalars(
                    select(StepRecord).where(
                        StepRecord.proceeding_id == pid, StepRecord.export_event_id.is_(None)
                    )
                )
            }
            for st in proc.steps:
                if st.actor != "authority" or st.working_days is None or st.after not in rec:
                    continue
                start = rec[st.after]
                due = cal.add_working_days(start, st.working_days).date
                done = rec.get(st.id)
                if done is not None and period.holds(done):
                    used: int | None = cal.working_days_between(start, done)
                    status = "within" if done <= due else "late"
                elif due <= period.end and (done is None or done > period.end) and start <= period.end:
                    used, status = None, "overdue" if due < at else "open"  # outstanding at the period's end
                else:
                    continue
                shown = done if done is not None and done <= period.end else None
                report.clocks.append(Clock(p.key, st.id, start, shown, due, st.working_days, used, status))  # type: ignore[union-attr]
        for step in sorted({c.step for c in report.clocks}):
            mine = [c for c in report.clocks if c.step == step]
            used = [c.working_days for c in mine if c.working_days is not None]
            _fig(figs, "clocks", f"clocks.{step}.done", f"{step} 已完成", f"{step}: done", len(used))
            _fig(
                figs,
                "clocks",
                f"clocks.{step}.within",
                f"{step} 在{mine[0].limit}个工作日内",
                f"{step}: within the {mine[0].limit} working-day limit",
                sum(c.status == "within" for c in mine),
            )
            _fig(
                figs,
                "clocks",
                f"clocks.{step}.late",
                f"{step} 超期完成",
                f"{step}: done late",
                sum(c.status == "late" for c in mine),
            )
            _fig(
                figs,
                "clocks",
                f"clocks.{step}.overdue",
                f"{step} 期末逾期未完成",
                f"{step}: overdue, not done at the period's end",
                sum(c.status == "overdue" for c in mine),
            )
            _fig(
                figs,
                "clocks",
                f"clocks.{step}.mean_working_days",
                f"{step} 平均工作日",
                f"{step}: mean working days taken",
                round(sum(used) / len(used), 2) if used else None,
            )
            _fig(
                figs,
                "clocks",
                f"clocks.{step}.max_working_days",
                f"{step} 最长工作日",
                f"{step}: most working days taken",
                max(used) if used else None,
            )

        flow_ids = {p.flow_id for p in procs.values()}  # type: ignore[union-attr]
        exports = [
            e
            for e in s.scalars(select(ExportEvent).where(ExportEvent.flow_id.in_(flow_ids)))
            if period.holds(e.exported_on)
        ]
        _fig(figs, "exports", "exports", "出境次数", "exports recorded", len(exports))
        _fig(
            figs,
            "exports",
            "exports.persons",
            "出境个人信息人数（各次相加，未去重）",
            "persons exported (summed over exports, not de-duplicated)",
            sum(e.persons or 0 for e in exports),
        )
        _fig(
            figs,
            "exports",
            "exports.records",
            "出境记录数",
            "records exported",
            sum(e.records or 0 for e in exports),
        )
        _fig(
            figs,
            "exports",
            "exports.flows",
            "有出境的数据流",
            "flows with exports",
            len({e.flow_id for e in exports}),
        )

        checks = [
            c
            for c in s.scalars(select(SpotCheck).where(SpotCheck.proceeding_id.in_(ids)))
            if period.holds(c.checked_on)
        ]
        _fig(figs, "spot_checks", "spot_checks", "一致性抽查", "consistency spot-checks", len(checks))
        for k in ("consistent", "inconsistent", "serious"):
            _fig(figs, "spot_checks", f"spot_checks.{k}", k, k, sum(c.outcome == k for c in checks))
        _fig(
            figs,
            "spot_checks",
            "spot_checks.open",
            "尚未结论",
            "not yet concluded",
            sum(c.outcome is None for c in checks),
        )
        _fig(
            figs,
            "spot_checks",
            "spot_checks.discrepancies",
            "发现的不一致（确定）",
            "discrepancies found (certain)",
            sum(sum(1 for d in c.discrepancies if d["certain"]) for c in checks),
        )
        _fig(
            figs,
            "spot_checks",
            "spot_checks.possible",
            "可能的不一致（待计数核实）",
            "possible discrepancies (to settle by a count)",
            sum(sum(1 for d in c.discrepancies if not d["certain"]) for c in checks),
        )

        _fig(figs, "incidents", "incidents", "数据出境安全事件", "security incidents", len(incs))
        _fig(
            figs,
            "incidents",
            "incidents.reported_up",
            "已向上报告",
            "reported to the authority above",
            sum(i.reported_up_on is not None for i in incs),
        )

        orders = [
            o
            for o in s.scalars(select(Order).where(Order.proceeding_id.in_(ids)))
            if period.holds(o.issued_on)
        ]
        _fig(figs, "orders", "orders", "责令措施", "orders issued", len(orders))
        for k, v in sorted(Counter(o.order for o in orders).items()):
            _fig(figs, "orders", f"orders.{k}", k, k, v)
        _fig(
            figs,
            "orders",
            "orders.complied",
            "期末已整改",
            "complied with by the period's end",
            sum(o.complied_on is not None and o.complied_on <= period.end for o in orders),
        )
        _fig(
            figs,
            "orders",
            "orders.overdue",
            "期末逾期未整改",
            "overdue at the period's end",
            sum(
                o.due_on is not None and o.due_on < at and (o.complied_on is None or o.complied_on > at)
                for o in orders
            ),
        )
    return report


SECTIONS = {
    "applications": Text(zh="申请", en="Applications"),
    "filings": Text(zh="备案", en="Filings"),
    "opinions": Text(zh="评估意见", en="Opinions"),
    "clocks": Text(zh="审核时限", en="Time to notice and opinion"),
    "exports": Text(zh="备案数据流的出境", en="Exports under filed flows"),
    "spot_checks": Text(zh="一致性抽查", en="Spot-checks"),
    "incidents": Text(zh="安全事件", en="Incidents"),
    "orders": Text(zh="责令措施", en="Orders"),
}


def write_xlsx(report: SixMonthly, path: Path) -> Path:
    """The report as a workbook: Figures (section, key, 中文, English, value, note), Clocks."""
    from openpyxl import Workbook

    from ftzlist.reports.workbook import sheet

    wb = Workbook()
    wb.remove(wb.active)
    head = [
        ("部分", "Section", 18),
        ("键", "Key", 36),
        ("中文", "Chinese", 36),
        ("英文", "English", 48),
        ("数值", "Value", 12),
        ("说明", "Note", 30),
    ]
    rows = [[f.section, f.key, f.label.zh, f.label.en, f.value, f.note or ""] for f in report.figures]
    sheet(wb, "Figures", head, rows, "bilingual")
    clock_head = [
        ("申请/备案", "Proceeding", 18),
        ("步骤", "Step", 16),
        ("起算日", "Started", 12),
        ("完成日", "Done", 12),
        ("截止日", "Due", 12),
        ("时限（工作日）", "Limit (WD)", 10),
        ("用时（工作日）", "Taken (WD)", 10),
        ("状态", "Status", 10),
    ]
    clock_rows = [
        [c.proceeding, c.step, c.started_on, c.done_on, c.due_on, c.limit, c.working_days, c.status]
        for c in report.clocks
    ]
    sheet(wb, "Clocks", clock_head, clock_rows, "bilingual")
    about = wb.create_sheet("About")
    lines = [
        ("desk", report.desk),
        ("period", f"{report.period.label}: {report.period.start} - {report.period.end}"),
        ("to", f"{report.to.zh} / {report.to.en}" if report.to else "-"),
        ("basis", report.citation or "-"),
        *[("reading", r) for r in report.readings],
    ]
    from ftzlist.excel.safe import set_cell

    for i, (k, v) in enumerate(lines, start=1):
        set_cell(about.cell(i, 1), k)
        set_cell(about.cell(i, 2), v)
    wb.save(path)
    return path


def write_pdf(report: SixMonthly, path: Path) -> Path:
    """The report as PDF through the reports' template machinery (bundled CJK font embedded)."""
    from ftzlist.reports.html import render_pdf

    sections = [
        {"title": SECTIONS[k], "figures": [f for f in report.figures if f.section == k]}
        for k in SECTIONS
        if any(f.section == k for f in report.figures)
    ]
    context = {"r": report, "sections": sections, "lang": "bilingual"}
    return render_pdf(context, path, template="agency-halfyear.html.j2")
