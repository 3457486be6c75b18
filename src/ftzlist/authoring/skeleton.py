"""`lists new`: a list file to fill in. It parses and loads, but `lists validate` rejects it until
every TODO is replaced, so a half-transcribed list cannot be mistaken for a finished one."""

from __future__ import annotations

import datetime as dt

_TEMPLATE = """\
# {title_en}. Transcribed from: TODO (official text, URL, date read).
# Status tags on every fact: V verified, V2 one secondary source, U uncertain, C sources conflict.
id: {list_id}
family: {family}
kind: {kind}
title:
  zh: TODO 中文标题
  en: {title_en}
issuers:
  - {{zh: TODO 发布机关, en: TODO issuer}}
issued: {day}
effective_from: {day}
legal_basis: [cn.cbdf]
scope:
  zone: {zone}
  description:
    zh: TODO 适用范围
    en: TODO whom the list binds (registered in and exporting from the zone; CIIOs excluded?)
sources:
  - title: TODO official text
    url: null
status: V
coverage:
  # complete: true only when every scenario, item and band of the official text is encoded.
  complete: false
  missing:
    - id: {prefix}.untranscribed
      description: TODO what is not encoded yet; flows it could affect are undetermined, never guessed
      sectors: [{sector}]
counting:
  window: current_year
  excluded_exemptions: [cbdf-art3, cbdf-art4, cbdf-art5-1, cbdf-art5-2, cbdf-art5-3]
  citation: {{instrument: TODO, ref: TODO counting rule}}
{off_list}sectors:
  - sector: {sector}
    # enterprise_types: [...]   # None = every type of the sector
    # scenarios: [...]          # None = every scenario
    citation: {{instrument: TODO, ref: TODO sector part}}
items:
  # One item per rule; bands on one person axis share a `group`; bands are half-open: min <= n < max.
  - id: {prefix}.{sector}.pi.contract
    title:
      zh: TODO
      en: TODO
    pathway: standard_contract_or_certification
    data_class: personal_information
    sectors: [{sector}]
    sensitivity: non_sensitive
    ciio: false
    persons: {{min: 100000, max: 1000000}}
    group: {prefix}.{sector}.pi
    citation: {{instrument: TODO, ref: TODO}}
    status: U
  - id: {prefix}.{sector}.pi.assessment
    title:
      zh: TODO
      en: TODO
    pathway: security_assessment
    data_class: personal_information
    sectors: [{sector}]
    sensitivity: non_sensitive
    ciio: false
    persons: {{min: 1000000}}
    group: {prefix}.{sector}.pi
    citation: {{instrument: TODO, ref: TODO}}
    status: U
procedures: []
"""

_OFF_LIST = """\
off_list:
  id: {prefix}.off-list
  title:
    zh: 清单所列行业中未列入清单的数据出境，免予申报安全评估、订立标准合同、通过认证
    en: data of a covered sector that is not on the list is exempt from the three formalities
  pathway: exempt
  citation: {{instrument: cn.cbdf, ref: Art. 6}}
"""


def skeleton(
    list_id: str,
    *,
    zone: str,
    kind: str = "negative_list",
    sector: str = "general",
    family: str | None = None,
    day: dt.date | None = None,
) -> str:
    """The text of a new list file for `zone`, one example sector and two example bands."""
    family = family or list_id.rsplit("-", 1)[0]
    prefix = "".join(part[:2] for part in list_id.split("-")[:-1]) + list_id.rsplit("-", 1)[-1][-2:]
    prefix = prefix.lower() or "new"
    return _TEMPLATE.format(
        list_id=list_id,
        family=family,
        kind=kind,
        zone=zone,
        sector=sector,
        prefix=prefix,
        title_en=f"TODO title of {list_id}",
        day=(day or dt.date(2000, 1, 1)).isoformat(),
        off_list=_OFF_LIST.format(prefix=prefix) if kind == "negative_list" else "",
    )
