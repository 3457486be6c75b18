"""Numbers with a check or a fixed shape that are not identity documents: bank cards, vehicle
identification numbers, licence plates, IP addresses."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ftzlist.discovery.detectors.base import (
    NO,
    P10,
    YMD,
    Context,
    Detector,
    Kind,
    Result,
    area_codes,
    real_dates,
    scalar,
    simple,
    unlabelled,
)
from ftzlist.identifiers import bank_card, network, vehicle
from ftzlist.identifiers.fixed_width import byte_matrix


def _id_shaped(m: np.ndarray) -> np.ndarray:
    """18 digits (as bytes) whose first 14 are a GB/T 2260 area and a real birth date: a mistyped
    identity number, not an 18-digit card (cards are almost always 16 or 19 digits)."""
    areas = area_codes()
    d = m[:, :14].astype(np.int32) - 48
    area = d[:, :6].astype(np.int64) @ P10
    y = d[:, 6:10] @ YMD
    return np.isin(area, areas) & real_dates(y, d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13])


def _card_vector(values: pa.Array, ctx: Context) -> Result:
    label = unlabelled(len(values))
    ok = bank_card.valid_bank_cards(values)
    i18 = np.flatnonzero(ok & (np.asarray(pc.binary_length(values)) == 18))
    if i18.size:
        ok[i18[_id_shaped(byte_matrix(values.take(pa.array(i18)), 18))]] = False
    label[ok] = 0
    return Result(label)


def _card_scalar(value: str, ctx: Context) -> int:
    v = value.strip()
    if not bank_card.is_valid_bank_card(v):
        return NO
    if len(v) == 18 and _id_shaped(np.frombuffer(v.encode(), dtype=np.uint8).reshape(1, 18))[0]:
        return NO
    return 0


VIN_KIND = Kind("vin", "vehicle.vin", 0.95, "ISO 3779 alphabet, GB 16735 check character (position 9)")
CARD_KIND = Kind("bank_card", "finance.bank_account", 0.9, "13-19 digits, issuer prefix, Luhn check digit")
IP_KIND = Kind("ip_address", "device.ip_address", 0.85, "IPv4 dotted quad (octets 0-255) or IPv6")
PLATE_KIND = Kind(
    "licence_plate", "vehicle.plate", 0.9, "GA 36 province character + authority letter + 5 (or 6 new-energy)"
)


# --- detectors ---------------------------------------------------------------------------------

VIN = Detector("vin", (VIN_KIND,), 17, 17, "da", simple(vehicle.valid_vins), scalar(vehicle.is_valid_vin))

BANK_CARD = Detector(
    "bank_card",
    (CARD_KIND,),
    13,
    23,
    "d",
    _card_vector,
    _card_scalar,
)

IP_ADDRESS = Detector(
    "ip_address",
    (IP_KIND,),
    2,
    45,
    "dap",
    simple(network.valid_ip_addresses),
    scalar(network.is_ip_address),
    requires=(".", ":"),
)

LICENCE_PLATE = Detector(
    "licence_plate",
    (PLATE_KIND,),
    9,
    16,
    "h",
    simple(vehicle.valid_plates),
    scalar(vehicle.is_licence_plate),
)
