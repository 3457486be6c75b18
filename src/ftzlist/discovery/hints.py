"""Column-name hints, Chinese and English: what a column's name says it holds.

A hint never decides on its own that values are identifiers (a column called `phone` may hold
anything); it raises the confidence of a value detector that agrees, lets the weak detectors
(names, birth dates, latitude/longitude) speak at all, and is the only evidence for categories no
value pattern can recognise: health, religion, biometrics, ethnicity.

English words match whole tokens of the name (`ship_ip` has the token `ip`, `zip` does not);
Chinese words match as substrings. Rules are tried in order; the first that matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class HintRule:
    kind: str
    category: str
    en: tuple[tuple[str, ...], ...]
    zh: tuple[str, ...]
    not_en: frozenset[str] = frozenset()
    """Tokens that make the rule not apply (`product_name` is not a person's name)."""
    not_zh: tuple[str, ...] = ()


_NOT_PERSON_EN = frozenset(
    [
        "product",
        "company",
        "corp",
        "firm",
        "file",
        "brand",
        "item",
        "sku",
        "shop",
        "store",
        "city",
        "province",
        "country",
        "host",
        "domain",
        "table",
        "field",
        "drug",
        "medicine",
        "model",
        "project",
        "category",
        "dept",
        "department",
        "org",
        "organisation",
        "organization",
        "merchant",
        "bank",
        "branch",
        "hospital",
        "server",
        "app",
        "sheet",
        "column",
        "vendor",
        "supplier",
        "warehouse",
        "port",
        "vessel",
        "ship",
    ]
)
_NOT_PERSON_ZH = (
    "产品",
    "公司",
    "企业",
    "商品",
    "文件",
    "医院",
    "药品",
    "银行",
    "部门",
    "商户",
    "门店",
    "城市",
    "省份",
    "品牌",
    "项目",
    "仓库",
)


def _en(*phrases: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in phrases)


# Order matters: more specific rules first ("bank card" before "card", "birth date" before "date").
RULES: tuple[HintRule, ...] = (
    HintRule(
        "uscc",
        "business.organisation_id",
        _en("uscc", "credit code", "social credit", "tax id", "taxpayer id"),
        ("统一社会信用代码", "信用代码", "税号", "纳税人识别号", "组织机构代码"),
    ),
    HintRule(
        "foreign_pr",
        "identity.government_id.foreign_pr",
        _en("permanent residence", "pr card", "pr no"),
        ("永久居留", "永居"),
    ),
    HintRule(
        "hmt_permit",
        "identity.government_id.hmt_permit",
        _en(
            "hk macao permit", "home return permit", "mtp", "taiwan permit", "hmt permit", "residence permit"
        ),
        ("港澳", "台胞", "回乡证", "通行证", "居住证"),
    ),
    HintRule("passport", "identity.government_id.passport", _en("passport"), ("护照",)),
    HintRule(
        "resident_id",
        "identity.government_id.resident_id",
        _en(
            "id card",
            "idcard",
            "id no",
            "id number",
            "idno",
            "id num",
            "citizen id",
            "national id",
            "identity",
            "id card no",
            "sfz",
            "sfzh",
            "certificate no",
            "cert no",
            "document no",
            "id doc",
        ),
        ("身份证", "证件号", "证件号码", "公民身份号码", "身份号码"),
    ),
    HintRule(
        "bank_card",
        "finance.bank_account",
        _en(
            "bank card",
            "card no",
            "card number",
            "cardno",
            "bank account",
            "account no",
            "iban",
            "pan",
            "credit card",
            "debit card",
        ),
        ("银行卡", "卡号", "银行账号", "账号", "账户", "开户"),
    ),
    HintRule(
        "birth_date",
        "identity.demographics",
        _en("birth", "birthday", "dob", "birth date", "date of birth", "birthdate"),
        ("出生", "生日", "出生日期"),
    ),
    HintRule(
        "phone",
        "contact.phone",
        _en("phone", "mobile", "tel", "telephone", "cell", "cellphone", "msisdn", "contact number"),
        ("手机", "电话", "联系方式", "移动电话", "手机号"),
    ),
    HintRule(
        "email", "contact.email", _en("email", "e mail", "mail", "mailbox"), ("邮箱", "电子邮件", "邮件")
    ),
    HintRule(
        "licence_plate",
        "vehicle.plate",
        _en("plate", "license plate", "licence plate", "plate no"),
        ("车牌", "号牌"),
    ),
    HintRule("vin", "vehicle.vin", _en("vin", "chassis", "frame no"), ("车架号", "车辆识别", "识别代号")),
    HintRule(
        "ip_address",
        "device.ip_address",
        _en("ip", "ip addr", "ip address", "client ip", "ipv4", "ipv6"),
        ("IP地址", "ip地址"),
    ),
    HintRule("latitude", "location.precise", _en("lat", "latitude"), ("纬度",)),
    HintRule("longitude", "location.precise", _en("lng", "lon", "long", "longitude"), ("经度",)),
    HintRule(
        "coordinates",
        "location.precise",
        _en("gps", "coordinates", "coord", "coords", "geo", "location", "position", "lat lng", "latlng"),
        ("经纬度", "坐标", "定位", "位置", "轨迹"),
    ),
    HintRule(
        "device_id",
        "device.identifier",
        _en("imei", "imsi", "idfa", "oaid", "android id", "device id", "mac", "mac address", "udid"),
        ("设备号", "设备标识", "设备ID"),
    ),
    HintRule(
        "address",
        "contact.address",
        _en("address", "addr", "street", "residence", "home address"),
        ("地址", "住址", "住所", "居住地", "户籍"),
        _NOT_PERSON_EN,
        _NOT_PERSON_ZH,
    ),
    HintRule(
        "chinese_name",
        "identity.name",
        _en(
            "name",
            "full name",
            "first name",
            "last name",
            "surname",
            "given name",
            "customer name",
            "patient name",
            "contact",
            "contact person",
        ),
        ("姓名", "名字", "联系人", "客户名", "患者", "收件人", "持卡人"),
        _NOT_PERSON_EN,
        _NOT_PERSON_ZH,
    ),
    HintRule(
        "medical",
        "health.medical_record",
        _en(
            "diagnosis",
            "disease",
            "medical",
            "symptom",
            "allergy",
            "medication",
            "prescription",
            "icd",
            "blood type",
            "health",
            "illness",
            "treatment",
        ),
        ("病历", "诊断", "疾病", "病史", "症状", "过敏", "用药", "处方", "血型", "健康", "就诊", "病情"),
    ),
    HintRule("genetic", "health.genetic", _en("gene", "genome", "genotype", "dna", "snp"), ("基因", "遗传")),
    HintRule(
        "biometric",
        "biometric",
        _en("fingerprint", "face", "face id", "iris", "voiceprint", "biometric", "palm"),
        ("指纹", "人脸", "面部", "虹膜", "声纹", "掌纹", "生物识别"),
    ),
    HintRule("religion", "religion", _en("religion", "faith", "religious"), ("宗教", "信仰")),
    HintRule(
        "demographics",
        "identity.demographics",
        _en("gender", "sex", "ethnicity", "ethnic", "nationality", "age", "marital"),
        ("性别", "民族", "国籍", "年龄", "婚姻"),
    ),
    HintRule(
        "payment",
        "finance.payment",
        _en("transaction", "payment", "salary", "income", "balance", "credit score"),
        ("交易", "支付", "工资", "收入", "余额", "征信", "流水"),
    ),
    HintRule(
        "minor", "minor", _en("guardian", "student", "pupil", "child"), ("监护人", "学生", "儿童", "未成年")
    ),
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")


def tokens(name: str) -> list[str]:
    return [t.lower() for t in _SPLIT.split(_CAMEL.sub(" ", name)) if t]


def _contains(seq: list[str], phrase: tuple[str, ...]) -> bool:
    k = len(phrase)
    return any(tuple(seq[i : i + k]) == phrase for i in range(len(seq) - k + 1))


def hint_for(column: str) -> tuple[HintRule, str] | None:
    """The first rule the column name matches, with the word that matched."""
    toks = tokens(column)
    for rule in RULES:
        if rule.not_en.intersection(toks) or any(z in column for z in rule.not_zh):
            continue
        for zh in rule.zh:
            if zh.lower() in column.lower():
                return rule, zh
        for phrase in rule.en:
            if _contains(toks, phrase):
                return rule, " ".join(phrase)
    return None


__all__ = ["RULES", "HintRule", "hint_for", "tokens"]
