"""Where a person is: coordinate pairs and single coordinates, postal addresses (Chinese and English)."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.discovery.detectors.base import NO, Context, Detector, Kind, Result, matches, unlabelled
from ftzlist.identifiers import geo

COORD_KINDS = (
    Kind(
        "coordinates", "location.precise", 0.8, "latitude,longitude pair with 4 or more decimals (about 11 m)"
    ),
    Kind("coordinates_coarse", "location.coarse", 0.6, "latitude,longitude pair with fewer than 4 decimals"),
    Kind(
        "coordinate",
        "location.precise",
        0.8,
        "one coordinate (-180..180, 4 or more decimals) in a latitude/longitude column",
        needs_hint=True,
    ),
)
_COMPONENT = r"^[-+]?[0-9]{1,3}\.[0-9]{4,}$"
_COORD_HINTS = ("latitude", "longitude", "coordinates")


def _coord_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    ok, precise = geo.valid_coordinate_pairs(values)
    label[ok] = np.where(precise[ok], 0, 1)
    return Result(label)


def _component_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    comp = np.flatnonzero(matches(values, _COMPONENT))
    if comp.size:
        num = np.asarray(pc.cast(values.take(pa.array(comp)), pa.float64()))
        label[comp[np.abs(num) <= 180]] = 2
    return Result(label)


_COMPONENT_RE = re.compile(_COMPONENT)


def _coord_scalar(value: str, ctx: Context) -> int:
    pair = geo.parse_pair(value)
    if pair is not None:
        return 0 if pair[2] >= geo.PRECISE_DECIMALS else 1
    return NO


def _component_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    return 2 if _COMPONENT_RE.match(v) and abs(float(v)) <= 180 else NO


# --- addresses -------------------------------------------------------------------------------------

ADDRESS_KIND = Kind(
    "address",
    "contact.address",
    0.7,
    "administrative division (省/市/区/县) followed by a street, village or building number; "
    "or number + street name + street type",
)
_ADDR_ZH = (
    r"^\p{Han}.*?(?:省|市|自治区|区|县|旗|州).*?"
    r"(?:[0-9一二三四五六七八九十百]+(?:号|弄|栋|幢|室|楼|单元|组)|路|街|巷|胡同|村|镇|乡|大道|小区|大厦)"
)
_ADDR_EN = (
    r"(?i)^[0-9]+[a-z]? [a-z0-9 .,'\-]*\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|"
    r"court|ct|place|pl|terrace)\b"
)
_ADDR_ZH_RE = re.compile(_ADDR_ZH.replace(r"\p{Han}", "[\u3400-\u9fff]"))
_ADDR_EN_RE = re.compile(_ADDR_EN)


def _addr_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    label[matches(values, _ADDR_ZH)] = 0
    return Result(label)


def _addr_scalar(value: str, ctx: Context) -> int:
    return 0 if _ADDR_ZH_RE.match(value.strip()) else NO


def _addr_en_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    label[matches(values, _ADDR_EN)] = 0
    return Result(label)


def _addr_en_scalar(value: str, ctx: Context) -> int:
    return 0 if _ADDR_EN_RE.match(value.strip()) else NO


# --- detectors ---------------------------------------------------------------------------------

COORDINATES = Detector(
    "coordinates", COORD_KINDS, 7, 60, "dp", _coord_vector, _coord_scalar, requires=(",", " ", ";")
)

COORDINATE = Detector(
    "coordinate",
    COORD_KINDS,
    6,
    24,
    "dp",
    _component_vector,
    _component_scalar,
    requires=(".",),
    hints=_COORD_HINTS,
)

ADDRESS = Detector("address", (ADDRESS_KIND,), 9, 1000, "h", _addr_vector, _addr_scalar)

ADDRESS_EN = Detector(
    "address_en", (ADDRESS_KIND,), 9, 1000, "d", _addr_en_vector, _addr_en_scalar, requires=(" ",)
)
