"""Volume phrases of the published lists: a table of real-style phrases with the band each must give,
the phrases that must be refused (never read as a guess), and the round trip band -> text -> band."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftzlist.authoring.volumes import (
    Volume,
    VolumeError,
    find_volumes,
    format_band,
    format_volume,
    format_volumes,
    parse_number,
    parse_volume,
    parse_window,
)
from ftzlist.schema.common import Sensitivity
from ftzlist.schema.lists import Band

S, NS = Sensitivity.sensitive, Sensitivity.non_sensitive
INF = None

# phrase -> [(min, max, sensitivity, window), ...]  (max exclusive; None = open)
READ: list[tuple[str, list[tuple[int, int | None, Sensitivity | None, str | None]]]] = [
    # the phrases
    ("100万人以上（不含敏感个人信息）", [(1_000_000, INF, NS, None)]),
    ("1万人以上敏感个人信息", [(10_000, INF, S, None)]),
    ("10万人以上不满100万人", [(100_000, 1_000_000, None, None)]),
    ("不满1万人", [(1, 10_000, None, None)]),
    ("当年累计10万人以上", [(100_000, INF, None, "current_year")]),
    ("年度累计1万人以上敏感个人信息", [(10_000, INF, S, "current_year")]),
    ("累计1万人以上", [(10_000, INF, None, "cumulative")]),
    # Fujian 2025 Part C, as the list writes its bands
    ("5000人以上不满1万人", [(5_000, 10_000, None, None)]),
    ("1万人以上", [(10_000, INF, None, None)]),
    ("1万人以上不满5万人", [(10_000, 50_000, None, None)]),
    ("5万人以上", [(50_000, INF, None, None)]),
    ("1万人以上不满20万人（不含敏感个人信息）", [(10_000, 200_000, NS, None)]),
    ("20万人以上（不含敏感个人信息）", [(200_000, INF, NS, None)]),
    ("1万人以上不满10万人敏感个人信息", [(10_000, 100_000, S, None)]),
    ("不满10万人", [(1, 100_000, None, None)]),
    ("不满10万人敏感个人信息", [(1, 100_000, S, None)]),
    ("10万人以上不满100万人（不含敏感个人信息）", [(100_000, 1_000_000, NS, None)]),
    ("不满1万人敏感个人信息", [(1, 10_000, S, None)]),
    ("50万人以上不满300万人（不含敏感个人信息）", [(500_000, 3_000_000, NS, None)]),
    ("300万人以上（不含敏感个人信息）", [(3_000_000, INF, NS, None)]),
    ("10万人以上不满50万人敏感个人信息", [(100_000, 500_000, S, None)]),
    ("50万人以上敏感个人信息", [(500_000, INF, S, None)]),
    ("1万人以上不满5万人敏感个人信息", [(10_000, 50_000, S, None)]),
    # two clauses in one cell: one item per kind of personal information
    (
        "100万人以上（不含敏感个人信息）或1万人以上敏感个人信息",
        [(1_000_000, INF, NS, None), (10_000, INF, S, None)],
    ),
    (
        "10万人以上不满100万人（不含敏感个人信息）；不满1万人敏感个人信息",
        [(100_000, 1_000_000, NS, None), (1, 10_000, S, None)],
    ),
    (
        "100万人以上（不含敏感个人信息）\n1万人以上敏感个人信息",
        [(1_000_000, INF, NS, None), (10_000, INF, S, None)],
    ),
    ("100万人以上个人信息或1万人以上敏感个人信息", [(1_000_000, INF, None, None), (10_000, INF, S, None)]),
    # Chinese numerals, 万/亿, full-width
    ("一万人以上", [(10_000, INF, None, None)]),
    ("十万人以上不满一百万人", [(100_000, 1_000_000, None, None)]),
    ("两万人以上", [(20_000, INF, None, None)]),
    ("五千人以上不满一万人", [(5_000, 10_000, None, None)]),
    ("一万五千人以上", [(15_000, INF, None, None)]),
    ("壹拾万人以上", [(100_000, INF, None, None)]),
    ("一千万人以上", [(10_000_000, INF, None, None)]),
    ("1千万人以上", [(10_000_000, INF, None, None)]),
    ("1亿人以上", [(100_000_000, INF, None, None)]),
    ("1.5万人以上", [(15_000, INF, None, None)]),
    ("１００万人以上（不含敏感个人信息）", [(1_000_000, INF, NS, None)]),
    ("１０万人以上不满１００万人", [(100_000, 1_000_000, None, None)]),
    ("10,000人以上", [(10_000, INF, None, None)]),
    ("100000人以上不满1000000人", [(100_000, 1_000_000, None, None)]),
    # the other bound words (PRC Civil Code Art. 1259: 以上/以下/以内 include the number)
    ("1万人以下", [(1, 10_001, None, None)]),
    ("1万人以内", [(1, 10_001, None, None)]),
    ("超过1万人", [(10_001, INF, None, None)]),
    ("不超过1万人", [(1, 10_001, None, None)]),
    ("少于1万人", [(1, 10_000, None, None)]),
    ("未满1万人", [(1, 10_000, None, None)]),
    ("不足1万人", [(1, 10_000, None, None)]),
    ("至少1万人", [(10_000, INF, None, None)]),
    ("不少于1万人", [(10_000, INF, None, None)]),
    ("达到1万人", [(10_000, INF, None, None)]),
    ("1万人及以上", [(10_000, INF, None, None)]),
    ("1万人以上（含）", [(10_000, INF, None, None)]),
    ("1万人以上（不含）", [(10_001, INF, None, None)]),
    ("1万人以上10万人以下", [(10_000, 100_001, None, None)]),
    ("1万名以上", [(10_000, INF, None, None)]),
    ("0人以上不满1万人", [(0, 10_000, None, None)]),
    # counting windows
    ("自当年1月1日起累计向境外提供10万人以上个人信息", [(100_000, INF, None, "current_year")]),
    ("自上年1月1日起累计10万人以上", [(100_000, INF, None, "previous_and_current_year")]),
    ("每年1万人以上", [(10_000, INF, None, "current_year")]),
    # sensitivity written other ways
    ("100万人以上（不包括敏感个人信息）", [(1_000_000, INF, NS, None)]),
    ("非敏感个人信息100万人以上", [(1_000_000, INF, NS, None)]),
    ("100万人以上个人信息（含敏感个人信息）", [(1_000_000, INF, None, None)]),
    ("敏感个人信息：1万人以上", [(10_000, INF, S, None)]),
    # English, as the seed's working translation writes bands
    ("5,000–<10,000", [(5_000, 10_000, None, None)]),
    ("10,000–<50,000 persons", [(10_000, 50_000, None, None)]),
    ("10,000+ persons", [(10_000, INF, None, None)]),
    ("<10,000 (sensitive)", [(1, 10_000, S, None)]),
    ("1,000,000+ (non-sensitive)", [(1_000_000, INF, NS, None)]),
    ("at least 1 million people", [(1_000_000, INF, None, None)]),
    ("fewer than 10,000 individuals", [(1, 10_000, None, None)]),
    ("more than 100,000 persons", [(100_001, INF, None, None)]),
    ("100,000 or more persons (excluding sensitive personal information)", [(100_000, INF, NS, None)]),
    ("up to 10 thousand persons", [(1, 10_001, None, None)]),
    ("cumulative this year, 10,000+ persons", [(10_000, INF, None, "current_year")]),
]

ANY: list[tuple[str, list[Volume]]] = [
    ("不限", [Volume(None)]),
    ("不限数量", [Volume(None)]),
    ("敏感个人信息，不限", [Volume(None, S)]),
    ("any number of persons", [Volume(None)]),
    ("", []),
    ("—", []),
    ("/", []),
    ("无", []),
]

# phrase -> a word the refusal must name
REFUSE: list[tuple[str, str]] = [
    ("约1万人", "approximate"),
    ("1万余人", "approximate"),
    ("1万多人", "approximate"),
    ("数万人", "approximate"),
    ("10万人左右", "approximate"),
    ("近10万人", "approximate"),
    ("规模较大", "approximate"),
    ("若干", "approximate"),
    ("about 10,000 persons", "approximate"),
    ("1万人次", "natural persons"),
    ("10万条", "natural persons"),
    ("10万条记录以上", "natural persons"),
    ("1万辆以上", "natural persons"),
    ("1万户以上", "natural persons"),
    ("10,000 records", "natural persons"),
    ("1万至10万人", "upper end"),
    ("1万-10万人", "upper end"),
    ("1万~10万人", "upper end"),
    ("10,000 to 100,000 persons", "upper end"),
    ("10万人以上不满1万人", "empty"),
    ("不满1人", "empty"),
    ("一万五人以上", "colloquial"),
    ("1万5人以上", "colloquial"),
    ("1.23456万人以上", "whole number"),
    ("1万人", "no bound word"),
    ("10000", "no bound word"),
    ("敏感个人信息", "no number"),
    ("年度", "no number"),
    ("以上", "does not follow a number"),
    ("不满", "without its number"),
    ("100万人以上或10万人以上", "same kind"),
    ("1万人以上、不满10万人；100万人以上", "same kind"),
    ("1万人以上敏感个人信息（不含敏感个人信息）", "both sensitive and non-sensitive"),
    ("1万人以上不满5万人不满10万人", "two upper bounds"),
    ("1万人以上超过5万人", "two lower bounds"),
    ("不限1万人以上", "不限"),
    ("100万人以上或", "empty clause"),
    ("当年累计1万人以上或自上年1月1日起累计10万人以上敏感个人信息", "two counting windows"),
    ("10万人以上受试者", "not part of a volume phrase"),
    ("1万以上人员", "not part of a volume phrase"),
    ("以上1万人", "does not follow a number"),
    ("不满以上1万人", "does not follow a number"),
    ("不满不超过1万人", "two bound words"),
]


def _volumes(expected):
    return [Volume(Band(min=lo, max=hi), sens, win) for lo, hi, sens, win in expected]


@pytest.mark.parametrize(("text", "expected"), READ, ids=[t for t, _ in READ])
def test_reads(text: str, expected) -> None:
    assert parse_volume(text) == _volumes(expected)


@pytest.mark.parametrize(("text", "expected"), ANY, ids=[t or "(blank)" for t, _ in ANY])
def test_any_and_blank(text: str, expected) -> None:
    assert parse_volume(text) == expected


@pytest.mark.parametrize(("text", "why"), REFUSE, ids=[t for t, _ in REFUSE])
def test_refuses(text: str, why: str) -> None:
    with pytest.raises(VolumeError) as exc:
        parse_volume(text)
    assert why in str(exc.value)
    assert exc.value.text == text  # the report quotes the cell as written
    assert exc.value.expected


def test_at_least_sixty_phrases() -> None:
    assert len(READ) + len(ANY) + len(REFUSE) >= 60
    assert len(REFUSE) >= 20


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("10000", 10_000),
        ("1万", 10_000),
        ("100万", 1_000_000),
        ("一百万", 1_000_000),
        ("十", 10),
        ("二十万", 200_000),
        ("一千零五", 1_005),
        ("一亿五千万", 150_000_000),
        ("1亿5000万", 150_000_000),
        ("三百万", 3_000_000),
    ],
)
def test_numbers(token: str, value: int) -> None:
    assert parse_number(token, token) == value


def test_descriptions() -> None:
    f = find_volumes(
        "临床试验、去中心化临床试验、研发场景中的受试者个人信息：5000人以上不满10000人，订立标准合同或通过认证"
    )
    assert f.volumes == [Volume(Band(min=5000, max=10000))]
    f = find_volumes("医疗器械售后服务场景中的患者生理健康信息、不满十四周岁未成年人信息：不满100000人")
    assert f.volumes == [Volume(Band(min=1, max=100_000))]
    assert f.other_quantities == ["不满十四周岁"]  # an age, not a volume
    f = find_volumes("达到规定精度、规模、覆盖范围的地图数据（1万辆以上车辆或省级路网里程）")
    assert (f.volumes, f.other_quantities) == ([], ["1万辆以上"])
    assert find_volumes("百货商店会员信息") == find_volumes("会员信息")  # 百 alone is no quantity
    with pytest.raises(VolumeError):
        find_volumes("约10万人以上的患者数据")
    # a period the persons are counted over is kept apart from ages and other things counted
    f = find_volumes("近1年内向境外提供1万人以上患者的个人信息")
    assert (f.volumes, f.periods) == ([Volume(Band(min=10_000))], ["近1年"])
    assert find_volumes("过去12个月内累计1万人以上").periods == ["12个月"]
    assert find_volumes("近3年内累计1万人以上").periods == ["近3年"]
    assert find_volumes("不满十四周岁未成年人信息：不满100000人").periods == []
    assert find_volumes("1万辆以上车辆").periods == []


def test_windows() -> None:
    assert parse_window("注：个人信息数量自当年1月1日起累计计算") == "current_year"
    assert parse_window("年度") == "current_year"
    assert parse_window("累计") == "cumulative"
    assert parse_window("自上年1月1日起累计") == "previous_and_current_year"
    assert parse_window("会员信息") is None


# --- property: a band written and read again is the same band ---------------------------------------

numbers = st.one_of(
    st.integers(min_value=0, max_value=10**10),
    st.integers(min_value=1, max_value=10**5).map(lambda n: n * 10_000),
    st.integers(min_value=1, max_value=100).map(lambda n: n * 100_000_000),
)


@st.composite
def volumes(draw) -> Volume:
    if draw(st.booleans()) and draw(st.booleans()):
        band = None
    else:
        lo = draw(numbers)
        hi = draw(st.one_of(st.none(), numbers.filter(lambda n: n > lo), st.just(lo + 1)))
        band = Band(min=lo, max=hi)
    sens = draw(st.sampled_from([None, S, NS]))
    window = draw(st.sampled_from([None, "current_year", "previous_and_current_year", "cumulative"]))
    return Volume(band, sens, window)


@given(volumes(), st.sampled_from(["zh", "en"]))
def test_band_printed_and_read_is_the_same_band(v: Volume, lang: str) -> None:
    assert parse_volume(format_volume(v, lang)) == [v]  # type: ignore[arg-type]


@given(
    st.lists(volumes(), min_size=1, max_size=3, unique_by=lambda v: v.sensitivity),
    st.sampled_from(["zh", "en"]),
)
def test_several_clauses_round_trip(vs: list[Volume], lang: str) -> None:
    vs = [Volume(v.band, v.sensitivity, vs[0].window) for v in vs]  # one window per cell
    assert parse_volume(format_volumes(vs, lang)) == vs  # type: ignore[arg-type]


def test_written_as_the_lists_write() -> None:
    assert format_band(Band(min=100_000, max=1_000_000)) == "10万人以上不满100万人"
    assert format_band(Band(min=1, max=10_000)) == "不满1万人"
    assert format_band(Band(min=5000, max=10_000)) == "5000人以上不满1万人"
    assert format_volume(Volume(Band(min=1_000_000), NS)) == "100万人以上（不含敏感个人信息）"
    assert format_volume(Volume(Band(min=10_000), S)) == "1万人以上敏感个人信息"
    assert format_band(Band(min=10_000, max=50_000), "en") == "10,000–<50,000 persons"
