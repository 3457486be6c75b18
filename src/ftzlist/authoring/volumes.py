"""Volume phrases of published lists read into person bands, and bands written back as phrases.

The zone lists write their thresholds in Chinese: "100万人以上（不含敏感个人信息）",
"1万人以上敏感个人信息", "10万人以上不满100万人", "不满1万人", "当年累计". The Chinese drafting
convention decides the edges (PRC Civil Code Art. 1259): 以上、以下、以内 include the number itself;
不满、超过 do not. So "10万人以上不满100万人" is 100,000 <= n < 1,000,000 and "1万人以下" is n <= 10,000.
A band written only as "不满N人" starts at one person (a list band covers data that is exported).

`parse_volume(text)` reads one cell and returns one `Volume` per clause ("A或B" gives two). It never
guesses: an approximate figure (约, 余, 数万), persons counted per time (人次), records or vehicles
instead of persons, an open range ("1万至10万人": is the upper end in?), a bare number without a bound
word, or any word it does not know raises `VolumeError` naming the text and what was expected.
`find_volumes(text)` finds the person clauses inside a longer description (a table without a volume
column). `format_volume` writes a band back; parsing what it writes gives the same band.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ftzlist.schema.common import Sensitivity
from ftzlist.schema.lists import Band

Window = Literal["current_year", "previous_and_current_year", "cumulative"]
"""How the persons are counted, where the phrase says: since 1 January of this year, since 1 January
of the previous year, or "cumulative" without a start (the list's counting rule must say)."""

EXAMPLES = "e.g. 1万人以上, 不满10万人, 10万人以上不满100万人, 1万人以上敏感个人信息, 不限"


class VolumeError(ValueError):
    """A phrase that cannot be read as a band with certainty."""

    def __init__(self, text: str, problem: str, expected: str = EXAMPLES):
        self.text, self.problem, self.expected = text, problem, expected
        super().__init__(f"'{text}': {problem}; expected {expected}")


@dataclass(frozen=True)
class Volume:
    """One clause of a volume phrase. `band` None = any number of persons ("不限")."""

    band: Band | None
    sensitivity: Sensitivity | None = None
    window: Window | None = None


@dataclass(frozen=True)
class Found:
    """What `find_volumes` saw in a description: person clauses and quantities of other things."""

    volumes: list[Volume] = field(default_factory=list)
    other_quantities: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    """Spans of time ("近1年", "3个月") among `other_quantities`: a period the persons may be counted
    over, which a band read without it would count differently."""


# --- normalising -------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, one space between words, no thousands commas."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = t.replace("（", "(").replace("）", ")").replace("，", ",").replace("；", ";").replace("、", ",")
    t = re.sub(r"[–—―−]", "-", t)  # dashes
    t = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", t)  # 10,000 -> 10000
    t = re.sub(r"\s+", " ", t).strip()
    return t


# --- numbers -------------------------------------------------------------------------------------------

_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
_CN = "".join([*_DIGITS, *_SMALL, *_LARGE])
NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN}])(?:[{_CN}]|\d+(?:\.\d+)?)*(?: ?(?:million|thousand))?"


def parse_number(token: str, text: str) -> int:
    """'10000', '1万', '1.5万', '100万', '1千万', '1亿5000万', '一万', '十万', '一百万', '两万',
    '一万五千', '一千零五', '10 thousand', '1 million' -> int. Raises VolumeError for anything else
    (a fraction of a person, a colloquial '一万五' or '1万5', digits written one by one)."""
    t = token.replace(" ", "")
    for word, mult in (("million", 1_000_000), ("thousand", 1000)):
        if t.endswith(word):
            t = t[: -len(word)]
            if not re.fullmatch(r"\d+(?:\.\d+)?", t):
                raise VolumeError(text, f"'{token}' is not a number")
            return _integral(float(t) * mult, token, text)
    total = section = 0.0
    number: float | None = None
    arabic = False  # the pending number was written in Arabic digits
    last_unit = 0
    zero_seen = False
    for i, part in enumerate(re.findall(r"\d+(?:\.\d+)?|\D", t)):
        if part[0].isdigit() or part in _DIGITS:
            value = float(part) if part[0].isdigit() else _DIGITS[part]
            if number is not None and not (number == 0 or value == 0):
                raise VolumeError(text, f"'{token}': digits written one by one are not a number")
            if "." in part and i and last_unit:
                raise VolumeError(text, f"'{token}' is not a well-formed number")
            number, arabic = value, part[0].isdigit()
            zero_seen = zero_seen or value == 0
        elif part in _SMALL:
            if number is None and i > 0:
                raise VolumeError(text, f"'{token}' is not a well-formed Chinese numeral")
            section += (number if number is not None else 1) * _SMALL[part]
            number, last_unit = None, _SMALL[part]
        elif part in _LARGE:
            section += number or 0
            if section == 0:
                raise VolumeError(text, f"'{token}' is not a well-formed Chinese numeral")
            if part == "亿":
                total = (total + section) * _LARGE[part]
            else:
                total += section * _LARGE[part]
            section, number, last_unit, zero_seen = 0, None, _LARGE[part], False
        else:
            raise VolumeError(text, f"'{token}' is not a number")
    if number and last_unit >= 100 and not zero_seen and (number < 10 or not arabic):
        raise VolumeError(
            text,
            f"'{token}' is a colloquial abbreviation (is 一万五 15,000?)",
            "the number written out in full, e.g. 一万五千 or 15000",
        )
    return _integral(total + section + (number or 0), token, text)


def _integral(value: float, token: str, text: str) -> int:
    if value != int(value):
        raise VolumeError(text, f"'{token}' is not a whole number of persons")
    return int(value)


def format_number(n: int) -> str:
    """The way the lists write a number: 1亿, 100万, 5万, 5000, 12345."""
    if n >= 100_000_000 and n % 100_000_000 == 0:
        return f"{n // 100_000_000}亿"
    if n >= 10_000 and n % 10_000 == 0:
        return f"{n // 10_000}万"
    return str(n)


# --- tokens ----------------------------------------------------------------------------------------------

Kind = Literal[
    "num", "person", "other_unit", "ge", "gt", "lt", "le", "post_ge", "post_le", "incl", "excl",
    "range_lt", "open_range", "sens", "non_sens", "any_sens", "pi", "any", "window_cur",
    "window_prev", "window_cum", "sep", "fill", "vague", "blank",
]  # fmt: skip

_W = r"(?![a-z])"  # an English word ends here
# Ordered: the first pattern that matches at a position wins, so longer phrases come first.
_TOKENS: list[tuple[Kind, str]] = [
    ("blank", r"^(?:-|/|无|n/?a|none)$"),
    ("window_prev", r"自?上一?年度?1月1日起(?:累计)?|上一年度和当年(?:累计)?|"
     r"since 1 january of the previous year|(?:in )?the previous and (?:the )?current year"),
    ("window_cur", r"自?(?:当|本)年度?1月1日起(?:累计)?|(?:当|本)年度?累计|(?:当|本)年度?|年度|每一?年|"
     r"since 1 january(?: of the current year| this year)?|this year|per year|a year|annually|"
     r"in the current year|each year"),
    ("window_cum", r"累计|cumulative(?:ly)?|in total"),
    ("vague", r"约|大约|左右|上下|余|多(?!于)|数万|数十万|数百万|数千|若干|大量|较多|较大|规模较大|近|"
     r"approximately|about|around|roughly|some|several|many|nearly|almost|large"),
    ("non_sens", r"\(?(?:不含|不包括|不包含|除)敏感个人信息(?:外)?\)?|非敏感个人信息|一般个人信息|"
     r"\(?(?:excluding|not including|other than) sensitive (?:personal information|pi)\)?|"
     r"\(?non-? ?sensitive(?: personal information| pi)?\)?"),
    ("any_sens", r"\(?(?:含|包括|包含)敏感个人信息\)?|\(?including sensitive (?:personal information|pi)\)?"),
    ("sens", r"\(?敏感个人信息\)?|\(?sensitive (?:personal information|pi)\)?|\(?sensitive\)?"),
    ("pi", r"个人信息|personal information|pi" + _W),
    ("other_unit", r"人次|条记录|条|辆|户|家|件|次|周岁|岁|台|份|个|年|月|日|天|%|"
     r"person-times|records?|vehicles?|households?|times|rows?|entries"),
    ("any", r"不限(?:数量|人数)?|任意数量|任何数量|any number(?: of (?:persons|people|individuals))?|"
     r"any volume|unlimited|no threshold"),
    ("range_lt", r"-<|~<"),
    ("ge", r"≥|>=|至少|不少于|不低于|达到|at least|no fewer than|not fewer than|no less than|not less than"),
    ("le", r"≤|<=|不超过|不多于|不高于|最多|至多|up to|no more than|not more than|at most"),
    ("gt", r">|超过|多于|高于|大于|more than|over|above|exceeding"),
    ("lt", r"<|不满|未满|不足|少于|低于|小于|不到|fewer than|less than|under|below"),
    ("post_ge", r"及以上|或以上|以上|\+|or more|and above|and more|or above"),
    ("post_le", r"及以下|或以下|以下|以内|or fewer|or less|and below|or below"),
    ("incl", r"\((?:含|含本数|包括本数|inclusive)\)"),
    ("excl", r"\((?:不含|不含本数|不包括本数|exclusive)\)"),
    ("open_range", r"至|到|-|~|to" + _W),
    ("person", r"人(?!次)|名|位|natural persons?|persons?|people|individuals?|data subjects?"),
    ("num", NUMBER),
    ("sep", r"或者|或|;|/|or" + _W),
    ("fill", r"[,:。.()\s]|的|且|并且|但|向境外提供|境外提供|提供|出境|数据|涉及|人数|数量|规模|"
     r"of" + _W + r"|the" + _W + r"|data" + _W + r"|exported|abroad|provided|and" + _W),
]  # fmt: skip
_COMPILED = [(k, re.compile(p)) for k, p in _TOKENS]


@dataclass(frozen=True)
class _Tok:
    kind: Kind
    text: str
    start: int


def _tokens(t: str, *, lenient: bool = False) -> list[_Tok]:
    """Tokens of normalised text; unknown text is a VolumeError, or (lenient) an 'unknown' break."""
    out: list[_Tok] = []
    i = 0
    while i < len(t):
        for kind, rx in _COMPILED:
            m = rx.match(t, i)
            if m and m.end() > i and (kind != "blank" or (i == 0 and m.end() == len(t))):
                out.append(_Tok(kind, m.group(0), i))
                i = m.end()
                break
        else:
            if not lenient:
                j = i
                while j < len(t) and not any(rx.match(t, j) for k, rx in _COMPILED if k != "fill"):
                    j += 1
                raise VolumeError(t, f"'{t[i : max(j, i + 1)]}' is not part of a volume phrase")
            out.append(_Tok("fill", "\x00", i))  # marks a break for find_volumes
            i += 1
    return out


# --- clauses -----------------------------------------------------------------------------------------------


def parse_volume(text: str) -> list[Volume]:
    """Every clause of one volume cell. A blank cell ('', '—', '/', '无') gives [].

    A line break inside a cell is read both as a space and as a clause separator; the cell is read
    only when exactly one of the two readings holds, or both give the same bands."""
    if "\n" in text.strip():
        readings = []
        for joiner in (" ", ";"):
            try:
                readings.append(_parse(text.strip().replace("\n", joiner), text))
            except VolumeError as exc:
                readings.append(exc)
        ok = [r for r in readings if not isinstance(r, VolumeError)]
        if not ok:
            raise readings[0]  # type: ignore[misc]
        if len(ok) == 2 and ok[0] != ok[1]:
            raise VolumeError(
                text, "the line break could separate two clauses or continue one", "或 between clauses"
            )
        return ok[0]
    return _parse(text, text)


def _parse(cell: str, text: str) -> list[Volume]:
    t = normalise(cell)
    if not t:
        return []
    toks = _tokens(t)
    if len(toks) == 1 and toks[0].kind == "blank":
        return []
    clauses: list[list[_Tok]] = [[]]
    for tok in toks:
        if tok.kind == "sep":
            clauses.append([])
        else:
            clauses[-1].append(tok)
    if any(not any(x.kind != "fill" for x in c) for c in clauses):
        raise VolumeError(text, "an empty clause around 或 or ';'")
    out = [_clause(c, text) for c in clauses]
    kinds = [v.sensitivity for v in out]
    if len(set(kinds)) != len(kinds):
        raise VolumeError(
            text,
            "two bands for the same kind of personal information in one cell",
            "one band per kind (e.g. 100万人以上（不含敏感个人信息）或1万人以上敏感个人信息)",
        )
    windows = {v.window for v in out if v.window}
    if len(windows) > 1:
        raise VolumeError(text, f"two counting windows in one cell ({', '.join(sorted(windows))})")
    return out


_SENSITIVITY: dict[str, Sensitivity | None] = {
    "sens": Sensitivity.sensitive,
    "non_sens": Sensitivity.non_sensitive,
    "any_sens": None,  # "含敏感个人信息": all personal information, sensitive included
}


def _clause(toks: list[_Tok], text: str) -> Volume:
    lower: int | None = None
    upper: int | None = None  # exclusive
    sensitivity: Sensitivity | None = None
    sens_stated = False
    window: Window | None = None
    unlimited = False
    pending: Kind | None = None  # a comparator before its number
    last: tuple[Kind, int] | None = None  # the bound just set, for (含)/(不含)
    after_range = False
    numbers = 0

    def set_bound(kind: Kind, n: int) -> tuple[Kind, int]:
        nonlocal lower, upper
        if kind in ("ge", "gt", "post_ge"):
            if lower is not None:
                raise VolumeError(text, "two lower bounds in one clause")
            lower = n + 1 if kind == "gt" else n
        else:
            if upper is not None:
                raise VolumeError(text, "two upper bounds in one clause")
            upper = n if kind == "lt" else n + 1
        return kind, n

    for tok in toks:  # what disqualifies the clause whatever else it says
        if tok.kind == "vague":
            raise VolumeError(text, f"'{tok.text}' makes the figure approximate", "an exact figure and bound")
        if tok.kind == "other_unit":
            raise VolumeError(
                text, f"counts '{tok.text}', not de-duplicated natural persons", "a number of persons (人)"
            )
    i = 0
    while i < len(toks):
        tok = toks[i]
        k = tok.kind
        if k == "blank":
            raise VolumeError(text, f"'{tok.text}' inside a phrase")
        if k in ("ge", "gt", "lt", "le"):
            if pending is not None:
                raise VolumeError(text, f"two bound words in a row ('{tok.text}')")
            pending = k
        elif k == "range_lt":
            if last is None or last[0] != "num":
                raise VolumeError(text, f"'{tok.text}' needs a number on each side")
            pending, last = "lt", None
            after_range = True
        elif k == "open_range":
            raise VolumeError(
                text,
                f"'{tok.text}' between two figures leaves open whether the upper end is in the band",
                "以上/不满 (e.g. 1万人以上不满10万人) or 10,000–<100,000",
            )
        elif k == "num":
            n = parse_number(tok.text, text)
            numbers += 1
            j = i + 1
            while j < len(toks) and (toks[j].kind == "person" or toks[j].text == " "):
                j += 1
            post = toks[j].kind if j < len(toks) and toks[j].kind in ("post_ge", "post_le") else None
            if pending is not None and post is not None:
                raise VolumeError(text, f"'{tok.text}' has a bound word on both sides")
            if pending is not None:
                last = set_bound(pending, n)
                pending = None
                i = j
                continue
            if post is not None:
                last = set_bound(post, n)
                i = j + 1
                continue
            nxt = toks[j].kind if j < len(toks) else None
            if nxt == "open_range":
                raise VolumeError(
                    text,
                    f"'{toks[j].text}' between two figures leaves open whether the upper end is in the band",
                    "以上/不满 (e.g. 1万人以上不满10万人) or 10,000–<100,000",
                )
            if nxt == "range_lt":
                last = set_bound("ge", n)
                last = ("num", n)
                i = j
                continue
            raise VolumeError(text, f"'{tok.text}' has no bound word (以上, 不满, 以下, 超过 ...)")
        elif k in ("incl", "excl"):
            if last is None or last[0] not in ("post_ge", "post_le", "ge", "le"):
                raise VolumeError(text, f"'{tok.text}' does not follow a bound")
            if k == "excl":
                kind, n = last
                if kind in ("post_ge", "ge"):
                    lower = n + 1
                else:
                    upper = n
            last = None
        elif k in ("post_ge", "post_le"):
            raise VolumeError(text, f"'{tok.text}' does not follow a number")
        elif k in ("sens", "non_sens", "any_sens"):
            value = _SENSITIVITY[k]
            if sens_stated and value != sensitivity:
                raise VolumeError(text, "says both sensitive and non-sensitive personal information")
            sensitivity, sens_stated = value, True
        elif k == "any":
            unlimited = True
        elif k.startswith("window_"):
            w: Window = {"window_cur": "current_year", "window_prev": "previous_and_current_year"}.get(
                k, "cumulative"
            )  # type: ignore[assignment]
            if window is not None and window != w and not (window == "cumulative" or w == "cumulative"):
                raise VolumeError(text, "two counting windows in one clause")
            if window is None or window == "cumulative":
                window = w
        elif k == "person" and (i == 0 or toks[i - 1].kind not in ("num",)):
            pass  # "人" on its own, e.g. "人数" fragments: harmless
        i += 1
    if pending is not None:
        raise VolumeError(text, "a bound word without its number")
    if after_range and upper is None:
        raise VolumeError(text, "'–<' needs a number after it")
    if unlimited:
        if numbers:
            raise VolumeError(text, "says 不限 (any number) and gives a figure")
        return Volume(None, sensitivity, window)
    if lower is None and upper is None:
        raise VolumeError(text, "no number of persons")
    band_min = 1 if lower is None else lower
    if upper is not None and upper <= band_min:
        raise VolumeError(text, f"the band is empty (from {band_min:,} to below {upper:,})")
    return Volume(Band(min=band_min, max=upper), sensitivity, window)


# --- descriptions ------------------------------------------------------------------------------------------


def find_volumes(text: str) -> Found:
    """Person clauses inside a description ("…受试者个人信息：5000人以上不满1万人，订立标准合同…").

    Runs of volume words are cut out of the text and each read strictly. Only a run with a figure
    that has a unit or a bound word is a quantity ("百货" is not); a run that counts something other
    than persons (岁, 辆, 条) is kept in `other_quantities`. Raises VolumeError when a run that counts
    persons cannot be read.
    """
    t = normalise(text)
    toks = _tokens(t, lenient=True)
    runs: list[list[_Tok]] = [[]]
    for tok in toks:
        if tok.text == "\x00":
            runs.append([])
        else:
            runs[-1].append(tok)
    found = Found()
    for run in runs:
        while run and run[0].kind in ("fill", "sep"):
            run = run[1:]
        while run and run[-1].kind in ("fill", "sep"):
            run = run[:-1]
        if not _is_quantity(run):
            continue
        span = t[run[0].start : run[-1].start + len(run[-1].text)]
        if any(x.kind == "other_unit" for x in run) and not any(x.kind == "person" for x in run):
            found.other_quantities.append(span)
            if any(x.kind == "other_unit" and x.text in _PERIOD_UNITS for x in run):
                found.periods.append(span)
            continue
        found.volumes.extend(parse_volume(span))
    return found


_PERIOD_UNITS = frozenset({"年", "月", "日", "天"})


def _is_quantity(run: list[_Tok]) -> bool:
    bounds = {"ge", "gt", "lt", "le", "post_ge", "post_le", "range_lt"}
    for i, tok in enumerate(run):
        if tok.kind != "num":
            continue
        before = run[i - 1].kind if i else None
        after = run[i + 1].kind if i + 1 < len(run) else None
        if before in bounds or after in bounds | {"person", "other_unit"}:
            return True
    return False


def parse_window(text: str) -> Window | None:
    """The counting window a phrase or note states ("自当年1月1日起累计", "年度"), or None."""
    toks = _tokens(normalise(text), lenient=True)
    kinds = {t.kind for t in toks}
    for kind, window in (
        ("window_prev", "previous_and_current_year"),
        ("window_cur", "current_year"),
        ("window_cum", "cumulative"),
    ):
        if kind in kinds:
            return window  # type: ignore[return-value]
    return None


# --- writing -----------------------------------------------------------------------------------------------

_WINDOW_ZH = {
    "current_year": "当年累计",
    "previous_and_current_year": "自上年1月1日起累计",
    "cumulative": "累计",
}
_WINDOW_EN = {
    "current_year": "cumulative this year, ",
    "previous_and_current_year": "since 1 January of the previous year, ",
    "cumulative": "cumulative, ",
}


def format_band(band: Band | None, lang: Literal["zh", "en"] = "zh") -> str:
    """A band as the lists write it: 10万人以上不满100万人 / 100,000–<1,000,000 persons."""
    if lang == "en":
        if band is None:
            return "any number of persons"
        if band.max is None:
            return f"{band.min:,}+ persons"
        if band.min == 1:
            return f"<{band.max:,} persons"
        return f"{band.min:,}–<{band.max:,} persons"
    if band is None:
        return "不限"
    if band.max is None:
        return f"{format_number(band.min)}人以上"
    if band.min == 1:
        return f"不满{format_number(band.max)}人"
    return f"{format_number(band.min)}人以上不满{format_number(band.max)}人"


def format_volume(v: Volume, lang: Literal["zh", "en"] = "zh") -> str:
    """One clause written back; `parse_volume(format_volume(v)) == [v]`."""
    band = format_band(v.band, lang)
    if lang == "en":
        window = _WINDOW_EN[v.window] if v.window else ""
        sens = {
            Sensitivity.sensitive: " (sensitive personal information)",
            Sensitivity.non_sensitive: " (excluding sensitive personal information)",
            None: "",
        }[v.sensitivity]
        return f"{window}{band}{sens}"
    window = _WINDOW_ZH[v.window] if v.window else ""
    if v.sensitivity == Sensitivity.sensitive:
        return f"{window}{band}敏感个人信息" if v.band else f"{window}敏感个人信息，不限"
    if v.sensitivity == Sensitivity.non_sensitive:
        return f"{window}{band}（不含敏感个人信息）"
    return f"{window}{band}"


def format_volumes(volumes: list[Volume], lang: Literal["zh", "en"] = "zh") -> str:
    return ("或" if lang == "zh" else " or ").join(format_volume(v, lang) for v in volumes)
