"""The six-monthly report (Fujian measures Art. 17) on a known-answer register: every figure
checked against the value worked out by hand from the events below, in the report, the XLSX and
the PDF. Events outside the half-year or at another desk must not count."""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.agency.desk import Desk, DeskScope
from ftzlist.agency.halfyear import figures, half_year, write_pdf, write_xlsx
from ftzlist.calendar import WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law

D = dt.date
LAW = load_law()
CAL = WorkingCalendar.load()


def content(scenario: str, items: list[str], persons: int) -> FiledContent:
    return FiledContent.model_validate(
        {
            "scenario": scenario,
            "purpose": "group operations",
            "recipient": {"name": "Parent GmbH", "country": "DE"},
            "items": [{"id": i, "category": "pi.basic", "persons": persons} for i in items],
            "persons": persons,
        }
    )


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('halfyear') / 'r.sqlite3'}"
    reg = Register.open(url, calendar=CAL, procedures=ProcedureBook.from_law(LAW), actor="xm-officer")
    xm = Desk(reg, LAW, DeskScope("fujian-ftz", "xiamen"))
    for h in ("acme", "beta", "gamma"):
        reg.add_handler(h, h.title())
    reg.add_flow("acme", "crm", scenario="pharma.clinical_trial")
    reg.add_flow("acme", "crm2", scenario="retail.membership")
    reg.add_flow("beta", "hr", scenario="retail.membership")
    reg.add_flow("gamma", "ops", scenario="pharma.rnd")
    fj = "fj.list_filing"

    # A: in the half-year from application to order
    a = reg.open_proceeding("acme", "crm", fj, D(2026, 1, 5))
    xm.address(a, "fujian-ftz/xiamen", D(2026, 1, 5))
    xm.record_step(a, "area_notice", D(2026, 1, 9))  # 4 WD: within
    reg.record_filing(a, D(2026, 1, 12), content("pharma.clinical_trial", ["subject_id"], 1000))
    xm.record_opinion(a, D(2026, 1, 16), "off_list")  # 4 WD: within
    xm.report_opinion_up(a, D(2026, 1, 16))
    reg.record_export("acme", "crm", D(2026, 2, 2), persons=100, records=1000, data_items=["subject_id"])
    reg.record_export(
        "acme", "crm", D(2026, 3, 2), persons=150, records=500, data_items=["subject_id", "passport_no"]
    )
    check = xm.spot_check(a, D(2026, 3, 10), D(2026, 2, 1), D(2026, 3, 9))
    rectify, suspend = xm.conclude(
        check, D(2026, 3, 12), "inconsistent", orders=[("rectify", D(2026, 4, 30)), ("suspend", None)]
    )
    xm.comply(rectify, D(2026, 4, 20))
    inc = reg.record_incident("acme", "crm", D(2026, 5, 5), "misdirected upload")
    xm.report_incident_up(inc, D(2026, 5, 6))
    reg.record_export("acme", "crm", D(2026, 7, 3), persons=999, records=9)  # next half-year

    # B: applied late in June, notice not given: overdue at the end of June
    b = reg.open_proceeding("beta", "hr", fj, D(2026, 6, 22))
    xm.address(b, "fujian-ftz/xiamen", D(2026, 6, 22))

    # C: applied and noticed in 2025 (not counted), filed and opined (late) in 2026H1
    c = reg.open_proceeding("acme", "crm2", fj, D(2025, 12, 26))
    xm.address(c, "fujian-ftz/xiamen", D(2025, 12, 26))
    xm.record_step(c, "area_notice", D(2025, 12, 30))
    reg.record_filing(c, D(2026, 1, 5), content("retail.membership", ["member_no"], 50))
    xm.record_opinion(
        c, D(2026, 1, 14), "on_list", pathway="standard_contract_or_certification"
    )  # 7 WD: late

    # D: another desk's proceeding and incident
    d = reg.open_proceeding("gamma", "ops", fj, D(2026, 2, 2))
    xm.address(d, "fujian-ftz/fuzhou", D(2026, 2, 2))
    reg.record_incident("gamma", "ops", D(2026, 3, 3), "lost laptop")

    yield xm, suspend
    reg.close()


EXPECTED = {
    "applications": 2,
    "applications.initial": 2,
    "applications.renewal": 0,
    "applications.fresh": 0,
    "applications.simplified_change": 0,
    "filings": 2,
    "filings.sector.pharma": 1,
    "filings.sector.retail": 1,
    "filings.scenario.pharma.clinical_trial": 1,
    "filings.scenario.retail.membership": 1,
    "opinions": 2,
    "opinions.on_list": 1,
    "opinions.off_list": 1,
    "opinions.not_applicable": 0,
    "opinions.guided_to.standard_contract_or_certification": 1,
    "opinions.filed_up": 1,
    "clocks.area_notice.done": 1,
    "clocks.area_notice.within": 1,
    "clocks.area_notice.late": 0,
    "clocks.area_notice.overdue": 1,
    "clocks.area_notice.mean_working_days": 4.0,
    "clocks.area_notice.max_working_days": 4,
    "clocks.opinion.done": 2,
    "clocks.opinion.within": 1,
    "clocks.opinion.late": 1,
    "clocks.opinion.overdue": 0,
    "clocks.opinion.mean_working_days": 5.5,
    "clocks.opinion.max_working_days": 7,
    "exports": 2,
    "exports.persons": 250,
    "exports.records": 1500,
    "exports.flows": 1,
    "spot_checks": 1,
    "spot_checks.consistent": 0,
    "spot_checks.inconsistent": 1,
    "spot_checks.serious": 0,
    "spot_checks.open": 0,
    "spot_checks.discrepancies": 1,
    "spot_checks.possible": 0,
    "incidents": 1,
    "incidents.reported_up": 1,
    "orders": 2,
    "orders.rectify": 1,
    "orders.suspend": 1,
    "orders.complied": 1,
    "orders.overdue": 0,
}


def test_every_figure_of_the_known_register(known):
    xm, _ = known
    r = figures(xm, half_year("2026H1"), D(2026, 7, 15))
    got = {f.key: f.value for f in r.figures}
    assert got == EXPECTED
    assert r.to is not None and r.to.en == "the provincial-level administrative authorities"
    assert r.citation and "17" in r.citation
    # the overdue notice is B's, due five working days after 22 June
    [open_clock] = [c for c in r.clocks if c.status == "overdue"]
    assert open_clock.due_on == CAL.add_working_days(D(2026, 6, 22), 5).date == D(2026, 6, 29)


def test_the_other_half_year_counts_only_its_own_events(known):
    xm, _ = known
    r = figures(xm, half_year("2026H2"), D(2026, 12, 31))
    assert r.value("exports") == 1 and r.value("exports.persons") == 999
    assert r.value("applications") == 0 and r.value("opinions") == 0 and r.value("incidents") == 0
    # B's notice, overdue since June and still not given, is reported again: it is outstanding
    assert r.value("clocks.area_notice.overdue") == 1 and r.value("clocks.area_notice.done") == 0
    assert "clocks.opinion.done" not in {f.key for f in r.figures}  # nothing of the opinion step in H2
    # the orders of H1 are not counted again
    assert r.value("orders") == 0


def test_xlsx_and_pdf_carry_the_same_figures(known, tmp_path):
    import pypdfium2 as pdfium
    from openpyxl import load_workbook

    xm, _ = known
    r = figures(xm, half_year("2026H1"), D(2026, 7, 15))
    wb = load_workbook(write_xlsx(r, tmp_path / "h1.xlsx"), read_only=True)
    rows = list(wb["Figures"].iter_rows(min_row=2, values_only=True))
    assert {row[1]: row[4] for row in rows} == EXPECTED
    assert len(list(wb["Clocks"].iter_rows(min_row=2))) == len(r.clocks) == 4
    pdf = pdfium.PdfDocument(str(write_pdf(r, tmp_path / "h1.pdf")))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    for words in (
        "2026H1",
        "fujian-ftz/xiamen",
        "省级主管部门",
        "consistency spot-checks",
        "agency.persons-summed",
    ):
        assert words in text.replace("\r\n", " ").replace("\n", " "), words


@pytest.mark.parametrize("bad", ["2026", "2026H3", "26H1", "H1", "1999H1", ""])
def test_a_half_year_is_named_yyyyh1_or_yyyyh2(bad):
    with pytest.raises(InputError, match="half-year"):
        half_year(bad)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2026H1", D(2026, 1, 1), D(2026, 6, 30)), ("2026-h2", D(2026, 7, 1), D(2026, 12, 31))],
)
def test_half_year_bounds(text, start, end):
    p = half_year(text)
    assert (p.start, p.end) == (start, end)
