"""Known answers on small hand-built logs: every linking and counting rule, one case each."""

from __future__ import annotations

import datetime as dt

from tests.counting.conftest import MAPPING, bad_rid, fixture_list, national_exemptions, rid, row, run, totals


def test_cross_identifier_merge(tmp_path):
    # one person: resident ID in system A, resident ID + passport in B, passport only in C
    r = run(
        tmp_path,
        [
            row(rid=rid(1)),
            row(rid=rid(1), pp="E12345678", ppc="CN"),
            row(pp="e1234 5678", ppc="cn"),
        ],
    )
    assert totals(r) == (1, 0, 1)
    assert r.quality.linked_groups == 1


def test_chain_through_strong_identifiers(tmp_path):
    # A-B share the passport, B-C share the customer id, C-D share the resident ID: one person
    r = run(
        tmp_path,
        [
            row(rid=rid(1), pp="E1000001", ppc="CN"),
            row(pp="E1000001", ppc="CN", cust="C-9"),
            row(cust="C-9", rid=rid(1)),
            row(rid=rid(1)),
            row(rid=rid(2)),
        ],
    )
    assert totals(r) == (2, 0, 2)


def test_legacy_15_digit_id_merges_with_18_digit_form(tmp_path):
    r18 = rid(7, birth="19700315")
    r15 = r18[:6] + r18[8:17]
    r = run(tmp_path, [row(rid=r18), row(rid=r15), row(rid=r18.lower())])
    assert totals(r) == (1, 0, 1)


def test_invalid_checksum_never_merges(tmp_path):
    # the corrupted number shares the passport row's... nothing: it is invalid, so the two rows
    # carrying it are two records, and it does not join the valid number
    r = run(
        tmp_path,
        [
            row(rid=rid(1)),
            row(rid=bad_rid(1), pp="E5555555", ppc="CN"),
            row(rid=bad_rid(1)),
            row(rid=bad_rid(1), date="2025-03-02"),
        ],
    )
    # rid(1) person; passport person (its row); two rows with only the invalid number: distinct rows
    assert totals(r) == (4, 0, 4)
    ident = {c.label: c for c in r.quality.identifiers}
    assert ident["rid"].invalid == 3


def test_shared_phone_does_not_merge_by_default(tmp_path):
    r = run(
        tmp_path,
        [
            row(rid=rid(1), phone="13800138000"),
            row(rid=rid(2), phone="138 0013 8000"),
            row(phone="13800138000"),
        ],
    )
    assert totals(r) == (3, 0, 3)


def test_weak_link_attaches_only_to_one_identified_person(tmp_path):
    m = {**MAPPING, "identifiers": [dict(i) for i in MAPPING["identifiers"]]}
    m["identifiers"][2]["link"] = True  # phone
    # phone P1 belongs to person 1 only: the phone-only row attaches to person 1
    r = run(tmp_path, [row(rid=rid(1), phone="13800138000"), row(phone="+86 138-0013-8000")], mapping=m)
    assert totals(r) == (1, 0, 1)
    assert r.quality.weak_attached_rows == 1


def test_weak_link_never_joins_two_identified_persons(tmp_path):
    m = {**MAPPING, "identifiers": [dict(i) for i in MAPPING["identifiers"]]}
    m["identifiers"][2]["link"] = True
    # a switchboard: two identified persons and a phone-only row share it -> nothing merges
    r = run(
        tmp_path,
        [
            row(rid=rid(1), phone="02168888888"),
            row(rid=rid(2), phone="021-6888 8888"),
            row(phone="02168888888"),
        ],
        mapping=m,
    )
    assert totals(r) == (3, 0, 3)
    assert r.quality.shared_weak_values == 1
    assert any(s.kind == "shared_weak_value" for s in r.suspicious)


def test_two_resident_ids_joined_by_a_passport_stay_two_persons(tmp_path):
    # a data error (one passport typed against two people) must not collapse them
    r = run(
        tmp_path,
        [
            row(rid=rid(1), pp="E7777777", ppc="CN"),
            row(rid=rid(2), pp="E7777777", ppc="CN"),
            row(pp="E7777777", ppc="CN"),
        ],
    )
    assert r.quality.doubtful_groups == 1
    # each resident ID is a person; the passport-only row keyed by its passport: three
    assert totals(r) == (3, 0, 3)
    assert r.suspicious[0].kind == "strong_group"


def test_exempt_rows_set_apart(tmp_path):
    r = run(
        tmp_path,
        [
            row(rid=rid(1)),
            row(rid=rid(2), ground="HR"),
            row(rid=rid(3), ground="CT"),
            row(rid=rid(4), ground="cbdf-art3"),
        ],
        lists=[fixture_list(), national_exemptions()],
    )
    # HR and CT map to grounds the rule excludes; cbdf-art3 is a known ground the rule does not
    # exclude -> counted (an unknown value is refused: tests/counting/test_bad_input.py)
    assert totals(r) == (2, 0, 2)
    assert r.exempt_totals.any == 2
    f1 = r.by_flow[0]
    assert (f1.rows, f1.exempt_rows, f1.persons.any, f1.exempt_persons.any) == (2, 2, 2, 2)


def test_person_in_two_flows_counts_once_handler_wide(tmp_path):
    r = run(tmp_path, [row(flow="f1", rid=rid(1)), row(flow="f2", rid=rid(1)), row(flow="f2", rid=rid(2))])
    by = {b.flow: b.persons.any for b in r.by_flow}
    assert by == {"f1": 1, "f2": 2}
    assert r.totals.any == 2


def test_sensitive_and_non_sensitive_count_on_both_axes(tmp_path):
    r = run(
        tmp_path,
        [row(sens="N", rid=rid(1)), row(sens="S", item="health", rid=rid(1)), row(sens="", rid=rid(2))],
    )
    # person 1 on both axes; person 2's row states no sensitivity and has no category -> both axes
    assert totals(r) == (2, 2, 2)


def test_year_boundary(tmp_path):
    rows = [
        row(date="2024-12-31", rid=rid(1)),
        row(date="2025-01-01", rid=rid(2)),
        row(date="2025-07-01", rid=rid(3)),
    ]
    r = run(tmp_path, rows, as_of=dt.date(2025, 6, 30))
    assert totals(r) == (1, 0, 1)
    assert (r.quality.rows_before_window, r.quality.rows_after_as_of) == (1, 1)
    r24 = run(tmp_path, rows, as_of=dt.date(2024, 12, 31))
    assert r24.totals.any == 1 and r24.window_start == dt.date(2024, 1, 1)


def test_crossing_dates_and_projection(tmp_path):
    rows = [
        row(date="2025-01-10", rid=rid(1)),
        row(date="2025-01-10", rid=rid(1)),  # same person again: no new person
        row(date="2025-02-01", rid=rid(2)),
        row(date="2025-03-05", rid=rid(3)),  # third distinct person: threshold 3 crossed
        row(date="2025-03-06", rid=rid(3)),
        row(date="2025-04-01", sens="S", item="health", rid=rid(4)),
    ]
    r = run(tmp_path, rows, as_of=dt.date(2025, 4, 10))
    c = {(x.sensitivity, x.threshold): x for x in r.crossings}
    assert c[("non_sensitive", 3)].crossed_on == dt.date(2025, 3, 5)
    five = c[("non_sensitive", 5)]
    assert five.crossed_on is None and five.count == 3
    # 3 persons in 100 days -> 2 more in ceil(2 / 0.03) = 67 days after 10 April
    assert five.projected_on == dt.date(2025, 6, 16) and five.projected_within_window
    sens = c[("sensitive", 2)]
    assert sens.count == 1 and sens.crossed_on is None


def test_identical_repeated_rows_without_identifier_are_one_record(tmp_path):
    r = run(tmp_path, [row(phone="13800138000"), row(phone="13800138000"), row(phone="13900139000")])
    assert totals(r) == (2, 0, 2)


def test_csv_parquet_and_jsonl_give_the_same_counts(tmp_path):
    import json

    import duckdb
    from tests.counting.conftest import AS_OF, COLUMNS, KEY, fixture_list, write_csv

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.mapping import Mapping

    rows = [
        row(rid=rid(1), date="2025-03-01 10:15:00"),
        row(rid=rid(1), pp="E12345678", ppc="CN", flow="f2"),
        row(pp="E12345678", ppc="CN", sens="S"),
        row(phone="13800138000", ground="HR"),
    ]
    csv_path = write_csv(tmp_path / "a.csv", rows)
    pq = tmp_path / "a.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) TO '{pq}' (FORMAT parquet)")
    jl = tmp_path / "a.jsonl"
    jl.write_text("".join(json.dumps({c: r.get(c) or None for c in COLUMNS}) + "\n" for r in rows))
    results = [
        count_persons(
            expand([p]), Mapping.model_validate(MAPPING), as_of=AS_OF, key=KEY, lists=[fixture_list()]
        )
        for p in (csv_path, pq, jl)
    ]
    snaps = [(r.totals, r.exempt_totals, [(b.flow, b.persons) for b in r.by_flow]) for r in results]
    assert snaps[0] == snaps[1] == snaps[2]
    assert totals(results[0]) == (1, 1, 1)


def test_counting_rule_window_and_exemptions_come_from_the_list(tmp_path):
    from tests.counting.conftest import KEY, fixture_list, write_csv

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.mapping import Mapping

    base = fixture_list()
    old = base.model_copy(
        update={
            "counting": base.counting.model_copy(
                update={"window": "previous_and_current_year", "excluded_exemptions": []}
            )
        }
    )
    p = write_csv(
        tmp_path / "w.csv",
        [row(date="2024-03-01", rid=rid(1)), row(date="2025-03-01", rid=rid(2), ground="HR")],
    )
    r = count_persons(
        expand([p]), Mapping.model_validate(MAPPING), as_of=dt.date(2025, 6, 30), key=KEY, lists=[old]
    )
    assert r.window_start == dt.date(2024, 1, 1) and r.rule.window == "previous_and_current_year"
    assert r.totals.any == 2 and r.exempt_totals.any == 0  # no ground excluded under this rule
    none = count_persons(expand([p]), Mapping.model_validate(MAPPING), as_of=dt.date(2025, 6, 30), key=KEY)
    assert none.rule.list_id is None and none.totals.any == 0 and none.exempt_totals.any == 1


def test_group_above_the_size_limit_is_suspicious_and_not_merged(tmp_path):
    m = {**MAPPING, "linking": {"max_group_identifiers": 2}}
    # a chain of three customer ids (C1-C2, C2-C3) forms a group of three identifiers
    r = run(tmp_path, [row(cust="C1", rid=rid(1)), row(cust="C2", rid=rid(1)), row(cust="C3")], mapping=m)
    assert r.quality.doubtful_groups == 1
    assert r.suspicious and "3 identifiers in one group (limit 2)" in r.suspicious[0].reason
    # not merged transitively: rows keyed by their resident ID (one person) and C3 (another)
    assert totals(r) == (2, 0, 2)


def test_evidence_keeps_every_merged_group(tmp_path):
    import duckdb

    ev = tmp_path / "groups.parquet"
    r = run(
        tmp_path,
        [
            row(rid=rid(1), pp="E12345678", ppc="CN"),
            row(pp="E12345678", ppc="CN", cust="C9"),
            row(rid=rid(2)),
        ],
        evidence=ev,
    )
    assert r.quality.linked_groups == 1
    got = duckdb.sql(
        f"SELECT group_id, identifier_column, identifier_hash FROM read_parquet('{ev}')"
    ).fetchall()
    assert sorted(c for _, c, _ in got) == ["cust", "pp", "rid"]  # the three identifiers that joined
    assert len({g for g, _, _ in got}) == 1 and all(h.startswith("h:") and len(h) == 18 for _, _, h in got)


def test_hmt_residence_permit_links_across_columns(tmp_path):
    from ftzlist.identifiers.resident_id import check_char

    permit = "810000199001010" + "12"
    permit += check_char(permit)
    m = {**MAPPING, "identifiers": [*MAPPING["identifiers"], {"kind": "hmt_permit", "column": "hmt"}]}
    from tests.counting.conftest import COLUMNS, write_csv

    cols = [*COLUMNS, "hmt"]
    write_csv(
        tmp_path / "log0.csv",
        [{**row(), "rid": permit}, {**row(), "hmt": permit}, {**row(), "hmt": "H1234567801"}],
        columns=cols,
    )
    from tests.counting.conftest import AS_OF, KEY

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.mapping import Mapping

    r = count_persons(expand([tmp_path / "log0.csv"]), Mapping.model_validate(m), as_of=AS_OF, key=KEY)
    assert r.totals.any == 2  # the permit in either column is one person; the home-return permit another
