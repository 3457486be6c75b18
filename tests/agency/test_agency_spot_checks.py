"""Spot-checks never let a flow go lighter than its filing (Fujian measures Arts. 13, 16): an
unsettled (possible) discrepancy cannot be concluded consistent, an export recorded without its
persons leaves the persons unknown (a possible discrepancy, never "within the filing"), and a
period cannot be checked before it ends."""

from __future__ import annotations

import pytest
from tests.agency.test_agency_lifecycle import FILED, client, ok, open_xiamen

CHECK = {"on": "2026-05-04", "period_from": "2026-04-01", "period_to": "2026-04-30"}


def filed_with_exports(c, tokens, persons: list[int | None]) -> str:
    """A Xiamen filing of 800 persons (FILED), its opinion, and one export a day from 2026-04-01
    with the given persons (None: not recorded), each within the filed catalogue and recipient."""
    key = open_xiamen(c, tokens)
    ok(
        c.post(
            f"/api/v1/agency/filings/{key}/steps",
            json={"step_id": "area_notice", "on": "2026-03-05"},
            headers=tokens["ag-xiamen"],
        )
    )
    ok(
        c.post(
            f"/api/v1/filings/{key}/filing",
            json={"on": "2026-03-10", "content": FILED},
            headers=tokens["approver"],
        )
    )
    ok(
        c.post(
            f"/api/v1/agency/filings/{key}/opinion",
            json={"on": "2026-03-16", "kind": "off_list"},
            headers=tokens["ag-xiamen"],
        )
    )
    for day, n in enumerate(persons, start=1):
        body = {
            "handler": "acme",
            "flow": "crm",
            "on": f"2026-04-{day:02d}",
            "data_items": ["trial_subject_id"],
            "recipient_name": "Acme Pharma AG",
            "recipient_country": "CH",
        }
        if n is not None:
            body["persons"] = n
        ok(c.post("/api/v1/exports", json=body, headers=tokens["editor"]), 201)
    return key


def conclude(c, tokens, cid: int, outcome: str):
    return c.post(
        f"/api/v1/agency/spot-checks/{cid}/outcome",
        json={"on": "2026-05-06", "outcome": outcome},
        headers=tokens["ag-xiamen"],
    )


@pytest.mark.parametrize(
    ("persons", "aspects", "certain", "actual"),
    [
        ([400, 400], [], None, None),  # sum 800 = filed: within the filing
        ([400, 401], ["persons"], False, [401, 801]),  # sum one above: possible
        ([600, 600], ["persons"], False, [600, 1200]),  # the red-team case: up to 1,200, 800 filed
        ([801, 1], ["persons"], True, [801, 802]),  # largest single export above: certain
        ([None, None], ["persons"], False, None),  # persons not recorded: unknown, never within
        ([300, None], ["persons"], False, [300, None]),  # one unrecorded: upper bound unknown
    ],
)
def test_persons_against_the_filing(app, tokens, persons, aspects, certain, actual):
    c = client(app)
    key = filed_with_exports(c, tokens, persons)
    check = ok(
        c.post(f"/api/v1/agency/filings/{key}/spot-checks", json=CHECK, headers=tokens["ag-xiamen"]), 201
    )
    assert [d["aspect"] for d in check["discrepancies"]] == aspects
    r = conclude(c, tokens, check["id"], "consistent")
    if not aspects:
        assert r.status_code == 200, r.text
        return
    d = check["discrepancies"][0]
    assert (d["certain"], d["filed"], d["actual"]) == (certain, 800, actual)
    # neither a certain nor a possible discrepancy can be concluded consistent
    assert r.status_code == 400 and "cannot be concluded consistent" in r.json()["detail"]
    if not certain:
        assert "possible" in r.json()["detail"] and "count run" in r.json()["problems"][0]
        assert "agency.persons-" in d["what"] or "count over the logs" in d["what"]
    assert conclude(c, tokens, check["id"], "inconsistent").status_code == 200


@pytest.mark.parametrize(("on", "status"), [("2026-04-29", 400), ("2026-04-30", 201), ("2026-03-04", 400)])
def test_a_period_is_not_checked_before_it_ends(app, tokens, on, status):
    c = client(app)
    key = filed_with_exports(c, tokens, [100])
    r = c.post(
        f"/api/v1/agency/filings/{key}/spot-checks", json=dict(CHECK, on=on), headers=tokens["ag-xiamen"]
    )
    assert r.status_code == status, r.text
    if status == 400:
        assert "2026-04-30" in r.json()["detail"]
