"""Column-name hints in Chinese and English."""

from __future__ import annotations

import pytest

from ftzlist.discovery.hints import hint_for, tokens

CASES = [
    ("身份证号", "resident_id"),
    ("证件号码", "resident_id"),
    ("id_card_no", "resident_id"),
    ("customerPhone", "phone"),
    ("手机号", "phone"),
    ("email_address", "email"),
    ("邮箱", "email"),
    ("bankCardNo", "bank_card"),
    ("银行卡号", "bank_card"),
    ("护照号", "passport"),
    ("港澳通行证", "hmt_permit"),
    ("永久居留证号", "foreign_pr"),
    ("统一社会信用代码", "uscc"),
    ("出生日期", "birth_date"),
    ("dob", "birth_date"),
    ("plate_no", "licence_plate"),
    ("车架号", "vin"),
    ("client_ip", "ip_address"),
    ("lat", "latitude"),
    ("经度", "longitude"),
    ("gps", "coordinates"),
    ("收货地址", "address"),
    ("home_address", "address"),
    ("客户姓名", "chinese_name"),
    ("patient_name", "chinese_name"),
    ("诊断", "medical"),
    ("allergy", "medical"),
    ("基因型", "genetic"),
    ("指纹模板", "biometric"),
    ("宗教信仰", "religion"),
    ("民族", "demographics"),
    ("mac_address", "device_id"),
    ("监护人", "minor"),
    # no hint
    ("zip", None),
    ("ship_date", None),
    ("product_name", None),
    ("company_address", None),
    ("公司名称", None),
    ("order_id", None),
    ("amount", None),
]


@pytest.mark.parametrize(("column", "kind"), CASES)
def test_hint(column: str, kind: str | None) -> None:
    h = hint_for(column)
    assert (h[0].kind if h else None) == kind


def test_tokens_split_camel_case_and_separators() -> None:
    assert tokens("customerPhone-No") == ["customer", "phone", "no"]
    assert tokens("ID_CARD no") == ["id", "card", "no"]
