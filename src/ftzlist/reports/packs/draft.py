"""Draft the filing packs of a handler from its declaration and the decision on it.

Which documents: every obligation of a flow names a procedure (a security assessment, a standard-
contract filing, a zone's list filing); the guides registry says which documents serve that
procedure. A flow joins a procedure's documents only when its pathway is one the procedure serves:
an `undetermined` flow is never drafted into a filing (that could be a lighter path than the law
requires); the pack lists it with the facts that would settle it.

How the documents are split: a standard contract is signed with one recipient, so each recipient
gets its own Appendix 1; one impact-assessment report covers all the handler's standard-contract
flows; one declaration and one self-assessment report cover its security-assessment flows; a zone
list filing gets one application and one filing per flow (Fujian measures Art. 11).

Every value names the input it came from (`Source`); what no input holds is a gap (`value=None`)
with a hint of what to write. Nothing is invented: a field the declaration does not hold is a gap
even when a plausible value exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ftzlist.reports import labels as T
from ftzlist.reports.lookup import find_procedure, rule_title
from ftzlist.reports.packs.guides import registry
from ftzlist.reports.packs.model import Field, PackDocument, Pair, Section, Source, Table
from ftzlist.reports.text import free_text
from ftzlist.schema.common import Pathway

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import DataItem, Declaration, Flow
    from ftzlist.schema.lists import Procedure

YES: Pair = ("是", "yes")
NO: Pair = ("否", "no")
NONE: Pair = ("无", "none")


@dataclass
class Pack:
    """The documents drafted for one handler, and what was not drafted and why."""

    documents: list[PackDocument]
    not_drafted: list[tuple[str, Pair]] = field(default_factory=list)


def draft(decl: Declaration, ds: DecisionSet, law: Law) -> Pack:
    """All pack documents for `decl` as decided in `ds` (see the module doc)."""
    return _Drafter(decl, ds, law).run()


def _yn(v: bool | None) -> Pair | None:
    return None if v is None else (YES if v else NO)


def _num(n: int | None) -> str | None:
    return None if n is None else f"{n:,}"


def slug(text: str) -> str:
    """A file-name-safe slug of a recipient's name (ASCII letters, digits, hyphens)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:40].rstrip("-") or "recipient"


def gap(label: Pair, what: str, hint: Pair) -> Field:
    return Field(label, None, Source("gap", what), hint)


class _Drafter:
    def __init__(self, decl: Declaration, ds: DecisionSet, law: Law) -> None:
        self.decl, self.ds, self.law, self.voc = decl, ds, law, law.vocabulary
        self.reg = registry()
        self.decl_flows = {f.id: f for f in decl.flows}
        self.decided = {f.flow_id: f for f in ds.flows}

    # -- which procedures, which flows --------------------------------------------------------

    def run(self) -> Pack:
        pack = Pack(documents=[])
        served: dict[str, tuple[str, Procedure, list[str]]] = {}
        for f in self.ds.flows:
            for o in f.obligations:
                if not o.procedure:
                    continue
                hit = find_procedure(self.law, o.list_id, o.procedure)
                if hit is None:
                    continue
                list_id, proc = hit[0].id, hit[1]
                entry = served.setdefault(proc.id, (list_id, proc, []))
                if f.pathway.value in proc.serves and f.flow_id not in entry[2]:
                    entry[2].append(f.flow_id)
                elif f.pathway == Pathway.undetermined:
                    missing = "; ".join(m.field for m in f.missing)
                    note = (
                        f"{f.flow_id}",
                        (
                            f"待定，未起草{proc.name.zh}材料；先补充：{missing}",
                            f"undetermined: not drafted into the {proc.name.en}; settle first: {missing}",
                        ),
                    )
                    if note not in pack.not_drafted:
                        pack.not_drafted.append(note)
        builders: dict[str, Callable[[str, Procedure, list[str]], list[PackDocument]]] = {
            "scc_annex": self.scc_annexes,
            "scc_pia": self.scc_pia,
            "sa_declaration": self.sa_declaration,
            "sa_self_assessment": self.sa_self_assessment,
            "zone_application": self.zone_application,
            "zone_filing": self.zone_filings,
        }
        for list_id, proc, flows in served.values():
            if not flows:
                continue
            kinds = self.reg.documents_for(proc.id, proc.model)
            if not kinds:
                pack.not_drafted.append(
                    (
                        f"{list_id}/{proc.id}",
                        (
                            f"{proc.name.zh}：未登记该程序的材料结构，未起草（活动：{'、'.join(flows)}）",
                            f"{proc.name.en}: no document structure is registered for this procedure; "
                            f"nothing drafted (flows: {', '.join(flows)})",
                        ),
                    )
                )
                continue
            for kind in kinds:
                pack.documents.extend(builders[kind](list_id, proc, flows))
        return pack

    # -- shared pieces --------------------------------------------------------------------------

    def _doc(self, kind: str, doc_id: str, title: Pair, flows: list[str]) -> tuple[PackDocument, dict]:
        guide = self.reg.ref(kind, self.ds.as_of, self.law.instruments)
        sections = self.reg.skeleton(kind, guide.structure_status)
        tops = [s for key, s in sections.items() if "." not in key]
        doc = PackDocument(
            id=doc_id,
            kind=kind,
            title=title,
            guide=guide,
            handler=free_text(self.decl.handler.name),
            as_of=self.ds.as_of,
            flows=flows,
            sections=tops,
            preface=self._preface() + (CERTIFICATION_NOTE if kind.startswith("scc_") else []),
        )
        return doc, sections

    def _preface(self) -> list[Pair]:
        lists = ", ".join(f"{r.id} ({r.sha256[:12]})" for r in self.ds.lists)
        return [
            (
                f"本文件由 ftzlist 根据申报材料（输入哈希 {self.ds.input_sha256[:16]}）及其评估结论（评估日期 "
                f"{self.ds.as_of}，{self.ds.engine_version}，清单 {lists}）草拟。每项内容均注明来源；"
                "【待填写】处为输入中没有的信息，须由数据处理者填写并核对。本文件不构成法律意见。",
                f"Drafted by ftzlist from the declaration (input hash {self.ds.input_sha256[:16]}) and the "
                f"decision on it (as of {self.ds.as_of}, {self.ds.engine_version}, lists {lists}). Every "
                "value names its source; [to complete] marks what the inputs do not hold, for the handler "
                "to fill in and check. Not legal advice.",
            )
        ]

    def handler_fields(self, *, with_holdings: bool = True) -> list[Field]:
        h = self.decl.handler
        zone = self.voc.zones.get(h.zone) if h.zone else None
        area = next((a for a in zone.areas if a.id == h.area), None) if zone and h.area else None
        sector = self.voc.sectors.get(h.sector) if h.sector else None
        et = next((e for e in sector.enterprise_types if e.id == h.enterprise_type), None) if sector else None
        out = [
            Field(("名称", "Name"), free_text(h.name), Source("declaration", "handler.name")),
            Field(
                ("统一社会信用代码", "Unified social credit code"),
                h.uscc,
                Source("declaration", "handler.uscc"),
            )
            if h.uscc
            else gap(
                ("统一社会信用代码", "Unified social credit code"),
                "handler.uscc",
                ("18位统一社会信用代码", "the 18-character code on the business licence"),
            ),
            Field(
                ("注册地（自贸试验区）", "Registered in (free trade zone)"),
                (zone.name.zh, zone.name.en)
                if zone
                else ("不在自由贸易试验区", "outside every free trade zone"),
                Source("declaration", "handler.zone"),
            ),
        ]
        if zone is not None:
            out.append(
                Field(("片区", "Area"), (area.name.zh, area.name.en), Source("declaration", "handler.area"))
                if area
                else gap(("片区", "Area"), "handler.area", ("注册所在片区", "the FTZ area of registration"))
            )
        out.append(
            gap(("详细地址", "Address"), "address", ("注册地址及办公地址", "registered and office address"))
        )
        out.append(
            Field(
                ("所属行业", "Sector"),
                (sector.name.zh, sector.name.en),
                Source("declaration", "handler.sector"),
            )
            if sector
            else gap(("所属行业", "Sector"), "handler.sector", ("所属行业", "the handler's sector"))
        )
        if h.enterprise_type is not None:
            name = (et.name.zh, et.name.en) if et else (h.enterprise_type, h.enterprise_type)
            out.append(
                Field(("企业类型", "Enterprise type"), name, Source("declaration", "handler.enterprise_type"))
            )
        ciio = _yn(h.ciio)
        out.append(
            Field(
                ("关键信息基础设施运营者", "Critical information infrastructure operator"),
                ciio,
                Source("declaration", "handler.ciio"),
            )
            if ciio
            else gap(
                ("关键信息基础设施运营者", "Critical information infrastructure operator"),
                "handler.ciio",
                ("是否已被认定为关键信息基础设施运营者", "whether the handler has been designated a CIIO"),
            )
        )
        if with_holdings:
            hold = h.holdings
            for key, label in (
                ("persons_pi", ("处理个人信息的自然人数", "Persons whose personal information it holds")),
                (
                    "persons_sensitive",
                    ("处理敏感个人信息的自然人数", "Persons whose sensitive personal information it holds"),
                ),
                (
                    "persons_sensitive_accounts_or_medical",
                    ("其中账户或诊疗信息的自然人数", "of whom accounts or medical data"),
                ),
            ):
                v = getattr(hold, key) if hold else None
                out.append(
                    Field(label, _num(v), Source("declaration", f"handler.holdings.{key}"))
                    if v is not None
                    else gap(label, f"handler.holdings.{key}", ("境内处理的规模", "the number held in China"))
                )
        return out

    def penalties_field(self) -> Field:
        label = (
            "近两年行政处罚、监管部门调查或整改情况",
            "Penalties, investigations or rectifications in the past 2 years",
        )
        p = self.decl.handler.penalties_past_2y
        if p is None:
            return gap(
                label, "handler.penalties_past_2y", ("如无，填写“无”", "write 'none' if there were none")
            )
        value = NONE if not p else "；".join(free_text(x) for x in p)
        return Field(label, value, Source("declaration", "handler.penalties_past_2y"))

    def category(self, cid: str) -> Pair:
        c = self.voc.categories.get(cid)
        return (f"{c.name.zh}（{cid}）", f"{c.name.en} ({cid})") if c else (cid, cid)

    def subject(self, sid: str | None) -> Pair | None:
        if sid is None:
            return None
        s = self.voc.subject_types.get(sid)
        return (s.name.zh, s.name.en) if s else (sid, sid)

    def scenario_field(self, f: Flow) -> Field:
        label = ("业务场景", "Business scenario")
        if f.scenario is None:
            return gap(label, f"flows[{f.id}].scenario", ("出境业务场景", "the export business scenario"))
        s = self.voc.scenarios.get(f.scenario)
        name = (
            (f"{s.name.zh}（{f.scenario}）", f"{s.name.en} ({f.scenario})") if s else (f.scenario, f.scenario)
        )
        return Field(label, name, Source("declaration", f"flows[{f.id}].scenario"))

    def item_path(self, f: Flow, i: int, d: DataItem) -> str:
        return f"flows[{f.id}].data[{d.id or i}]"

    def sensitive(self, f: Flow, i: int, d: DataItem) -> Field:
        """The sensitivity the decision used (PIPL Art. 28: a declaration may raise it, never lower
        it; the engine resolves it once)."""
        label = ("敏感个人信息", "Sensitive PI")
        key = f"{f.id}/{d.id or i}"
        it = next((x for x in self.decided[f.id].items if x.data_item == key), None)
        if it is None or it.sensitive is None:
            return gap(
                label,
                f"{self.item_path(f, i, d)}.sensitive",
                ("是否属于敏感个人信息", "whether this is sensitive PI"),
            )
        return Field(label, _yn(it.sensitive), Source("decision", f"flows[{f.id}].items[{key}].sensitive"))

    def declared_sensitive(self, f: Flow, i: int, d: DataItem) -> Field:
        label = ("申报的敏感性", "Sensitivity declared")
        value = (
            ("未申报（按类别认定）", "not stated (follows the category)")
            if d.sensitive is None
            else _yn(d.sensitive)
        )
        return Field(label, value, Source("declaration", f"{self.item_path(f, i, d)}.sensitive"))

    def catalogue(self, flows: Iterable[str]) -> list[Table]:
        """The data items of `flows`: what, whose, how sensitive, how many; then each item's flags."""
        main, flags = [], []
        for fid in flows:
            f = self.decl_flows[fid]
            for i, d in enumerate(f.data):
                p = self.item_path(f, i, d)
                item = Field(("数据项", "Item"), f"{fid}/{d.id or i}", Source("declaration", f"{p}.id"))
                subj = self.subject(d.subject)
                main.append(
                    [
                        item,
                        Field(
                            ("数据类别", "Category"),
                            self.category(d.category),
                            Source("declaration", f"{p}.category"),
                        ),
                        Field(("主体类型", "Subjects"), subj, Source("declaration", f"{p}.subject"))
                        if subj
                        else gap(
                            ("主体类型", "Subjects"), f"{p}.subject", ("个人信息主体类型", "whose data it is")
                        ),
                        self.sensitive(f, i, d),
                        Field(("人数", "Persons"), _num(d.persons), Source("declaration", f"{p}.persons"))
                        if d.persons is not None
                        else gap(
                            ("人数", "Persons"),
                            f"{p}.persons",
                            ("当年累计去重人数", "de-duplicated persons this year"),
                        ),
                        Field(("记录条数", "Records"), _num(d.records), Source("declaration", f"{p}.records"))
                        if d.records is not None
                        else gap(
                            ("记录条数", "Records"),
                            f"{p}.records",
                            ("记录条数或数据量", "number of records or data volume"),
                        ),
                    ]
                )
                cleared = ", ".join(d.cleared)
                flags.append(
                    [
                        item,
                        Field(
                            ("已告知或公布为重要数据", "Notified as important data"),
                            _yn(d.important_data),
                            Source("declaration", f"{p}.important_data"),
                        ),
                        self.important_decided(fid, f"{fid}/{d.id or i}"),
                        self.declared_sensitive(f, i, d),
                        Field(
                            ("核心数据", "Core data"),
                            _yn(d.core_data),
                            Source("declaration", f"{p}.core_data"),
                        ),
                        Field(
                            ("出口管制", "Export-controlled"),
                            _yn(d.export_controlled),
                            Source("declaration", f"{p}.export_controlled"),
                        ),
                        Field(
                            ("已匿名化", "Anonymised"),
                            _yn(d.anonymised),
                            Source("declaration", f"{p}.anonymised"),
                        ),
                        Field(
                            ("已取得的许可", "Clearances"),
                            cleared or NONE,
                            Source("declaration", f"{p}.cleared"),
                        ),
                        Field(
                            ("人工确认", "Reviewed by a person"),
                            ("否：由扫描草拟，须确认", "no: drafted by a scan, confirm it")
                            if d.suggested
                            else YES,
                            Source("declaration", f"{p}.suggested"),
                        ),
                        Field(
                            ("人数来源", "Persons figure from"),
                            free_text(d.persons_source),
                            Source("declaration", f"{p}.persons_source"),
                        )
                        if d.persons_source
                        else Field(
                            ("人数来源", "Persons figure from"),
                            ("申报材料", "the declaration"),
                            Source("declaration", f"{p}.persons_source"),
                        ),
                    ]
                )
        cols = [c.label for c in main[0]] if main else []
        return [Table(cols, main), Table([c.label for c in flags[0]] if flags else [], flags)]

    def important_decided(self, fid: str, key: str) -> Field:
        """Whether the decision treats a data item as important data: a rule for important data
        fired on it (a list can identify important data the declaration did not flag)."""
        label = ("评估认定为重要数据", "Important data per the decision")
        for c in self.decided[fid].checks:
            if c.data_item != key or c.outcome != "fired":
                continue
            lf = self.law.lists.by_id.get(c.list_id)
            item = next((x for x in lf.items if x.id == c.rule_id), None) if lf else None
            if item is not None and item.data_class == "important_data":
                return Field(
                    label,
                    (f"是（{c.rule_id}）", f"yes ({c.rule_id})"),
                    Source("decision", f"flows[{fid}].checks[{c.rule_id}]"),
                )
        return Field(label, NO, Source("decision", f"flows[{fid}].items[{key}]"))

    def flow_table(self, flows: list[str]) -> Table:
        """One row per flow: scenario, purpose, recipient, country, exemption claimed, pathway."""
        rows = []
        for fid in flows:
            f = self.decl_flows[fid]
            no_claim = Field(
                ("主张的豁免情形", "Exemption claimed"),
                NONE,
                Source("declaration", f"flows[{fid}].exemption"),
            )
            rows.append(
                [
                    Field(("活动", "Flow"), fid, Source("declaration", f"flows[{fid}].id")),
                    self.scenario_field(f),
                    Field(
                        ("出境目的", "Purpose"),
                        free_text(f.purpose),
                        Source("declaration", f"flows[{fid}].purpose"),
                    ),
                    Field(
                        ("境外接收方", "Recipient"),
                        free_text(f.recipient.name),
                        Source("declaration", f"flows[{fid}].recipient.name"),
                    ),
                    Field(
                        ("国家或地区", "Country"),
                        f.recipient.country,
                        Source("declaration", f"flows[{fid}].recipient.country"),
                    ),
                    self.exemption_field(f) if f.exemption else no_claim,
                    self.pathway_field(fid),
                ]
            )
        return Table([c.label for c in rows[0]], rows)

    def exemption_field(self, f: Flow) -> Field:
        """The exemption a flow claims, and whether the decision granted it."""
        fd = self.decided[f.id]
        rules = {e.id for lf in self.law.lists for e in lf.exemptions if e.ground == f.exemption}
        fired = any(c.rule_id in rules and c.outcome == "fired" for c in fd.checks)
        verdict = (
            ("，已适用", ", granted")
            if fired
            else ("，未被采纳（见评估结论）", ", not granted (see the decision)")
        )
        return Field(
            ("主张的豁免情形", "Exemption claimed"),
            (f"{f.exemption}{verdict[0]}", f"{f.exemption}{verdict[1]}"),
            Source("declaration", f"flows[{f.id}].exemption"),
        )

    def pathway_field(self, fid: str) -> Field:
        fd = self.decided[fid]
        return Field(
            ("评估结论（出境路径）", "Pathway decided"),
            T.PATHWAYS[fd.pathway.value],
            Source("decision", f"flows[{fid}].pathway"),
        )

    def rule_title(self, list_id: str, rule_id: str) -> Pair:
        return rule_title(self.law, list_id, rule_id)

    def deciding(self, fid: str, lists: set[str] | None = None) -> list[Field]:
        """The rules that decided a flow's items (fired checks), each with its title and citation."""
        fd = self.decided[fid]
        out, seen = [], set()
        for c in fd.checks:
            if c.outcome != "fired" or (lists is not None and c.list_id not in lists):
                continue
            key = (c.list_id, c.rule_id)
            if key in seen:
                continue
            seen.add(key)
            tag = f" [{c.status}]" if c.status != "V" else ""
            out.append(
                Field(
                    (
                        f"{c.rule_id}\n{c.citation.text('zh')}{tag}",
                        f"{c.rule_id}\n{c.citation.text('en')}{tag}",
                    ),
                    self.rule_title(c.list_id, c.rule_id),
                    Source("decision", f"flows[{fid}].checks[{c.rule_id}]"),
                )
            )
        return out

    def headroom(self, fid: str) -> list[Field]:
        fd = self.decided[fid]
        out = []
        for h in fd.headroom:
            if h.next_threshold is None:
                continue
            who = h.data_item or h.group
            out.append(
                Field(
                    ("距下一阈值", "Headroom"),
                    (
                        f"{who}：{h.persons:,} / {h.next_threshold:,}，余 {h.remaining:,} 人后需{T.PATHWAYS[h.next_pathway.value][0] if h.next_pathway else ''}",
                        f"{who}: {h.persons:,} of {h.next_threshold:,}; {h.remaining:,} persons left before "
                        f"{T.PATHWAYS[h.next_pathway.value][1] if h.next_pathway else ''}",
                    ),
                    Source("decision", f"flows[{fid}].headroom[{h.list_id}/{h.group}]"),
                )
            )
        return out

    def recipients(self, flows: list[str]) -> dict[tuple[str, str], list[str]]:
        out: dict[tuple[str, str], list[str]] = {}
        for fid in flows:
            r = self.decl_flows[fid].recipient
            out.setdefault((r.name, r.country), []).append(fid)
        return out

    def recipient_table(self, flows: list[str]) -> Table:
        rows = []
        for (name, country), fids in self.recipients(flows).items():
            first = fids[0]
            rows.append(
                [
                    Field(
                        ("名称", "Name"),
                        free_text(name),
                        Source("declaration", f"flows[{first}].recipient.name"),
                    ),
                    Field(
                        ("国家或地区", "Country or region"),
                        country,
                        Source("declaration", f"flows[{first}].recipient.country"),
                    ),
                    Field(
                        ("数据出境活动", "Flows"),
                        ", ".join(fids),
                        Source("declaration", f"flows[{','.join(fids)}].id"),
                    ),
                    gap(
                        ("地址及联系方式", "Address and contact"),
                        "recipient.address",
                        ("地址、联系人、电话、邮箱", "address, contact person, phone, e-mail"),
                    ),
                    gap(
                        ("法律地位与主营业务", "Legal status and business"),
                        "recipient.profile",
                        ("境外接收方的基本情况", "who the recipient is and what it does"),
                    ),
                    gap(
                        ("数据安全保护能力", "Data-protection capability"),
                        "recipient.capability",
                        ("管理和技术措施", "its management and technical measures"),
                    ),
                ]
            )
        return Table([c.label for c in rows[0]], rows)

    # -- standard contract -------------------------------------------------------------------------

    def scc_annexes(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        docs = []
        for n, ((name, country), fids) in enumerate(self.recipients(flows).items(), start=1):
            doc, s = self._doc(
                "scc_annex",
                f"scc-annex-{n}-{slug(name)}",
                (
                    f"个人信息出境标准合同 附录一：{free_text(name)}",
                    f"Standard contract, Appendix 1: {free_text(name)}",
                ),
                fids,
            )
            first = fids[0]
            s["parties"].fields = [
                Field(
                    ("个人信息处理者", "Personal-information handler"),
                    free_text(self.decl.handler.name),
                    Source("declaration", "handler.name"),
                ),
                gap(
                    (
                        "处理者地址、电话、邮箱、联系人、职务",
                        "Handler's address, phone, e-mail, contact, position",
                    ),
                    "handler.contact",
                    ("合同首部所列联系信息", "the contact details the preamble asks for"),
                ),
                Field(
                    ("境外接收方", "Overseas recipient"),
                    free_text(name),
                    Source("declaration", f"flows[{first}].recipient.name"),
                ),
                Field(
                    ("境外接收方所在国家或地区", "Recipient's country or region"),
                    country,
                    Source("declaration", f"flows[{first}].recipient.country"),
                ),
                gap(
                    (
                        "接收方地址、电话、邮箱、联系人、职务、国籍",
                        "Recipient's address, phone, e-mail, contact, position, nationality",
                    ),
                    "recipient.contact",
                    ("合同首部所列联系信息", "the contact details the preamble asks for"),
                ),
                gap(
                    ("相关商业合同及签署日期", "Related commercial contract and its date"),
                    "commercial_contract",
                    ("如有", "if any"),
                ),
            ]
            s["purpose"].fields = [
                Field(
                    (f"{fid} 出境目的", f"{fid} purpose"),
                    free_text(self.decl_flows[fid].purpose),
                    Source("declaration", f"flows[{fid}].purpose"),
                )
                for fid in fids
            ] + [self.scenario_field(self.decl_flows[fid]) for fid in fids]
            s["method"].fields = [
                gap(
                    ("处理方式", "Methods of processing"),
                    "processing_methods",
                    ("如收集、存储、使用、加工、分析等", "e.g. storage, use, analysis, and by whom"),
                )
            ]
            s["scale"].fields = [
                Field(
                    (f"{fid}/{d.id or i} 人数", f"{fid}/{d.id or i} persons"),
                    (
                        f"{d.persons:,} 人（当年1月1日起累计，去重）",
                        f"{d.persons:,} persons (this year from 1 January, de-duplicated)",
                    ),
                    Source("declaration", f"{self.item_path(self.decl_flows[fid], i, d)}.persons"),
                )
                if d.persons is not None
                else gap(
                    (f"{fid}/{d.id or i} 人数", f"{fid}/{d.id or i} persons"),
                    f"{self.item_path(self.decl_flows[fid], i, d)}.persons",
                    ("当年累计去重人数", "de-duplicated persons this year"),
                )
                for fid in fids
                for i, d in enumerate(self.decl_flows[fid].data)
            ]
            s["categories"].tables, s["sensitive"].fields = self._annex_categories(fids)
            s["onward"].fields = [
                gap(
                    ("境外第三方（名称、国家或地区）", "Third parties (name, country)"),
                    "onward_recipients",
                    ("如适用；不再提供的写“无”", "if any; write 'none' if it provides to no one"),
                )
            ]
            s["transfer"].fields = [
                gap(
                    ("传输方式", "Transfer method"),
                    "transfer_method",
                    ("如加密专线传输、远程访问等", "e.g. encrypted transfer, remote access"),
                )
            ]
            s["retention"].fields = [
                gap(
                    ("保存期限（年月日至年月日）", "Retention period (from, to)"),
                    "retention_period",
                    ("出境后保存的起止日期", "start and end dates of storage abroad"),
                )
            ]
            s["place"].fields = [
                gap(
                    ("保存地点", "Place of storage"),
                    "storage_place",
                    ("出境后数据存放的国家或地区及设施", "the country and facility where the data is kept"),
                ),
            ]
            s["other"].fields = [gap(("其他事项", "Other matters"), "other", ("视情况填写", "as needed"))]
            docs.append(doc)
        return docs

    def _annex_categories(self, fids: list[str]) -> tuple[list[Table], list[Field]]:
        rows, sensitive = [], []
        for fid in fids:
            f = self.decl_flows[fid]
            for i, d in enumerate(f.data):
                p = self.item_path(f, i, d)
                sens = self.sensitive(f, i, d)
                cat = Field(
                    ("数据类别", "Category"),
                    self.category(d.category),
                    Source("declaration", f"{p}.category"),
                )
                rows.append(
                    [
                        Field(("数据项", "Item"), f"{fid}/{d.id or i}", Source("declaration", f"{p}.id")),
                        cat,
                        sens,
                    ]
                )
                if sens.value == YES:
                    sensitive.append(
                        Field(
                            (f"{fid}/{d.id or i}", f"{fid}/{d.id or i}"),
                            self.category(d.category),
                            Source("declaration", f"{p}.category"),
                        )
                    )
        if not sensitive:
            sensitive = [
                Field(
                    ("敏感个人信息", "Sensitive PI"), NONE, Source("decision", "flows[*].items[*].sensitive")
                )
            ]
        return [Table([c.label for c in rows[0]], rows)], sensitive

    def scc_pia(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        doc, s = self._doc(
            "scc_pia",
            "scc-impact-assessment",
            ("个人信息保护影响评估报告", "Personal-information protection impact assessment report"),
            flows,
        )
        s["work"].fields = [
            gap(
                ("评估起止时间、组织、实施过程与方式", "Dates, organisation, process and method"),
                "assessment_work",
                ("如有第三方机构参与，说明其情况", "name any third party that took part"),
            ),
            Field(
                ("ftzlist 评估（出境路径）", "ftzlist assessment (pathway)"),
                (
                    f"评估日期 {self.ds.as_of}，{self.ds.engine_version}",
                    f"as of {self.ds.as_of}, {self.ds.engine_version}",
                ),
                Source("decision", "as_of"),
            ),
        ]
        s["overall.handler"].fields = self.handler_fields()
        s["overall.business"].tables = [self.flow_table(flows)]
        s["overall.business"].fields = [
            gap(
                ("涉及的信息系统", "Information systems involved"),
                "information_systems",
                ("系统名称、部署位置、数据流转", "systems, where they run, how data moves"),
            )
        ]
        s["overall.data"].tables = self.catalogue(flows)
        s["overall.capability"].fields = [
            gap(
                ("个人信息保护能力", "Protection capability"),
                "handler_capability",
                ("管理制度、技术措施、认证情况", "policies, technical measures, certifications"),
            )
        ]
        s["overall.recipients"].tables = [self.recipient_table(flows)]
        s["overall.contract"].fields = [
            gap(
                ("境外接收方再提供情况", "Onward provision by the recipient"),
                "onward_recipients",
                ("是否向第三方提供及其名单", "whether and to whom the recipient provides the data"),
            ),
            gap(
                ("确保标准合同落实的措施", "How the contract's terms are kept"),
                "contract_measures",
                ("监督、审计等安排", "oversight and audit arrangements"),
            ),
        ]
        self._impact_sections(s, "impact", flows)
        s["conclusion"].fields = [
            Field(
                (f"{fid} 出境路径", f"{fid} pathway"),
                T.PATHWAYS[self.decided[fid].pathway.value],
                Source("decision", f"flows[{fid}].pathway"),
            )
            for fid in flows
        ] + [
            gap(
                ("评估结论", "Conclusion"),
                "conclusion",
                (
                    "风险是否可控的结论由数据处理者作出",
                    "the handler's own conclusion on whether the risk is acceptable",
                ),
            )
        ]
        return [doc]

    def _impact_sections(self, s: dict[str, Section], root: str, flows: list[str]) -> None:
        """The six assessment points (Order 13 Art. 5 / Order 11 Art. 5): the facts the inputs hold,
        then the judgement, which is the handler's to write."""
        s[f"{root}.legality"].fields = [
            *(
                Field(
                    (f"{fid} 出境目的", f"{fid} purpose"),
                    free_text(self.decl_flows[fid].purpose),
                    Source("declaration", f"flows[{fid}].purpose"),
                )
                for fid in flows
            ),
            *(x for fid in flows for x in self.deciding(fid)),
            gap(
                ("合法性、正当性、必要性分析", "Lawfulness, legitimacy and necessity"),
                "legality",
                ("逐项分析", "the handler's analysis, point by point"),
            ),
        ]
        s[f"{root}.scale_risk"].tables = self.catalogue(flows)[:1]
        s[f"{root}.scale_risk"].fields = [
            *(x for fid in flows for x in self.headroom(fid)),
            gap(
                ("风险分析", "Risk analysis"),
                "scale_risk",
                ("对个人信息权益等可能带来的风险", "the risks to the individuals' rights and others"),
            ),
        ]
        s[f"{root}.recipient_duties"].fields = [
            gap(
                ("接收方义务及保障能力", "Recipient's duties and capability"),
                "recipient_duties",
                ("结合合同条款与接收方措施", "from the contract's terms and the recipient's measures"),
            )
        ]
        s[f"{root}.leak_risk"].fields = [
            gap(
                ("篡改、泄露等风险及权益救济渠道", "Risks of tampering or leakage; channels for individuals"),
                "leak_risk",
                ("风险及应对措施", "risks and what answers them"),
            )
        ]
        if f"{root}.foreign_law" in s:
            s[f"{root}.foreign_law"].fields = [
                *(
                    Field(
                        (f"{fid} 接收方所在地", f"{fid} recipient's country"),
                        self.decl_flows[fid].recipient.country,
                        Source("declaration", f"flows[{fid}].recipient.country"),
                    )
                    for fid in flows
                ),
                gap(
                    ("所在地法律对合同履行的影响", "Effect of that country's law on performing the contract"),
                    "foreign_law",
                    ("政策法规分析", "analysis of its policies and law"),
                ),
            ]
        if f"{root}.documents" in s:
            s[f"{root}.documents"].fields = [
                gap(
                    (
                        "法律文件是否充分约定数据安全保护责任义务",
                        "Whether the legal documents provide fully for data-security duties",
                    ),
                    "legal_documents",
                    (
                        "逐项对照《数据出境安全评估办法》第九条",
                        "checked against CAC Order 11 Art. 9, point by point",
                    ),
                )
            ]
        notes = [
            Field(("提示", "Note"), w, Source("decision", f"flows[{fd.flow_id}].warnings"))
            for fd in (self.decided[fid] for fid in flows)
            for w in fd.warnings
        ]
        s[f"{root}.other"].fields = [
            *notes,
            gap(
                ("其他事项", "Other matters"),
                "other_risks",
                ("如无，写“无”", "write 'none' if there are none"),
            ),
        ]

    # -- security assessment -----------------------------------------------------------------------

    def sa_declaration(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        doc, s = self._doc(
            "sa_declaration",
            "sa-declaration-form",
            ("数据出境安全评估申报书（数据部分）", "Security-assessment declaration form (data sections)"),
            flows,
        )
        s["basis"].fields = [x for fid in flows for x in self.deciding(fid)]
        s["handler"].fields = self.handler_fields()
        s["export"].tables = [self.flow_table(flows)]
        s["export"].fields = [
            gap(
                ("出境方式及链路", "How the data leaves (method and link)"),
                "transfer_method",
                ("传输方式、链路、频次", "transfer method, link and frequency"),
            ),
            gap(
                ("境外存储地点及期限", "Storage abroad: place and period"),
                "storage",
                ("地点与期限", "where and for how long"),
            ),
        ]
        s["data"].tables = self.catalogue(flows)
        s["recipients"].tables = [self.recipient_table(flows)]
        s["documents"].fields = [
            gap(
                (zh, en),
                f"legal_documents.{n}",
                ("约定内容摘要及条款位置", "what the documents say, and where"),
            )
            for n, (zh, en) in enumerate(ARTICLE_9, start=1)
        ]
        return [doc]

    def sa_self_assessment(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        doc, s = self._doc(
            "sa_self_assessment",
            "sa-self-assessment",
            ("数据出境风险自评估报告", "Self-assessment report on data-export risk"),
            flows,
        )
        s["work"].fields = [
            gap(
                ("起止时间、组织情况、实施过程、实施方式", "Dates, organisation, process and method"),
                "assessment_work",
                (
                    "自评估须在申报前3个月内完成",
                    "the self-assessment must be finished within 3 months before the application",
                ),
            ),
            Field(
                ("ftzlist 评估（出境路径）", "ftzlist assessment (pathway)"),
                (
                    f"评估日期 {self.ds.as_of}，{self.ds.engine_version}",
                    f"as of {self.ds.as_of}, {self.ds.engine_version}",
                ),
                Source("decision", "as_of"),
            ),
        ]
        s["overall.handler"].fields = [
            *self.handler_fields(),
            gap(
                ("股权结构、实际控制人、境内外投资", "Ownership, actual controller, investments"),
                "ownership",
                ("基本情况简介", "a short description"),
            ),
            gap(
                ("组织架构和数据安全管理机构", "Organisation and data-security function"),
                "organisation",
                ("机构与负责人", "the function and who leads it"),
            ),
        ]
        s["overall.data"].tables = [self.flow_table(flows), *self.catalogue(flows)]
        s["overall.recipients"].tables = [self.recipient_table(flows)]
        s["overall.documents"].fields = [
            gap(
                (zh, en),
                f"legal_documents.{n}",
                ("约定内容摘要及条款位置", "what the documents say, and where"),
            )
            for n, (zh, en) in enumerate(ARTICLE_9, start=1)
        ]
        self._impact_sections(s, "risk", flows)
        s["conclusion"].fields = [
            Field(
                (f"{fid} 出境路径", f"{fid} pathway"),
                T.PATHWAYS[self.decided[fid].pathway.value],
                Source("decision", f"flows[{fid}].pathway"),
            )
            for fid in flows
        ] + [
            gap(
                ("自评估结论", "Conclusion"),
                "conclusion",
                (
                    "风险是否可控的结论由数据处理者作出",
                    "the handler's own conclusion on whether the risk is acceptable",
                ),
            )
        ]
        return [doc]

    # -- zone list filing ----------------------------------------------------------------------------

    def zone_application(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        doc, s = self._doc(
            "zone_application",
            f"zone-application-{list_id}",
            (f"{proc.name.zh}：申请", f"{proc.name.en}: application"),
            flows,
        )
        fields = {f.source.ref: f for f in self.handler_fields(with_holdings=False)}
        s["handler"].fields = [fields["handler.name"], fields["handler.uscc"], fields["handler.ciio"]]
        s["registration"].fields = [
            fields[k] for k in ("handler.zone", "handler.area", "address") if k in fields
        ]
        s["industry"].fields = [
            fields[k] for k in ("handler.sector", "handler.enterprise_type") if k in fields
        ]
        s["business"].fields = [
            gap(
                ("经营情况", "Business situation"),
                "business",
                ("主营业务、经营规模", "main business and its scale"),
            )
        ]
        s["penalties"].fields = [self.penalties_field()]
        s["flows"].fields = [
            Field(
                (fid, fid),
                (
                    f"{self.scenario_name(fid)[0]}；{T.PATHWAYS[self.decided[fid].pathway.value][0]}",
                    f"{self.scenario_name(fid)[1]}; {T.PATHWAYS[self.decided[fid].pathway.value][1]}",
                ),
                Source("decision", f"flows[{fid}].pathway"),
            )
            for fid in flows
        ] + [
            gap(
                ("联系人及联系方式", "Contact person"), "contact", ("姓名、电话、邮箱", "name, phone, e-mail")
            ),
            gap(
                ("申请日期及盖章", "Date and company seal"),
                "date_seal",
                ("申请日期，加盖公章", "date of application, with the company seal"),
            ),
        ]
        return [doc]

    def scenario_name(self, fid: str) -> Pair:
        sid = self.decl_flows[fid].scenario
        s = self.voc.scenarios.get(sid) if sid else None
        return (s.name.zh, s.name.en) if s else (sid or "—", sid or "—")

    def zone_filings(self, list_id: str, proc: Procedure, flows: list[str]) -> list[PackDocument]:
        docs = []
        for fid in flows:
            doc, s = self._doc(
                "zone_filing",
                f"zone-filing-{list_id}-{fid}",
                (f"{proc.name.zh}：备案材料（{fid}）", f"{proc.name.en}: filing ({fid})"),
                [fid],
            )
            f = self.decl_flows[fid]
            s["scenario"].tables = [self.flow_table([fid])]
            s["catalogue"].tables = self.catalogue([fid])
            total = [d.persons for d in f.data]
            s["scale"].fields = [
                Field(
                    ("各数据项人数合计", "Persons, sum over data items"),
                    (
                        f"约 {sum(total):,} 人（各数据项相加，可能重复计算）",
                        f"about {sum(total):,} persons (data items added up; may count a person twice)",
                    ),
                    Source("declaration", f"flows[{fid}].data[*].persons"),
                )
                if all(p is not None for p in total)
                else gap(
                    ("各数据项人数合计", "Persons, sum over data items"),
                    f"flows[{fid}].data[*].persons",
                    ("各数据项的人数", "each data item's persons"),
                ),
                gap(
                    ("数据量（条数或容量）及频次", "Volume (records or size) and frequency"),
                    "volume",
                    ("出境数据量与出境频次", "how much, how often"),
                ),
            ]
            s["recipient"].tables = [self.recipient_table([fid])]
            zone_lists = {list_id}
            why = self.deciding(fid, zone_lists)
            s["why"].fields = why or [
                gap(("理由", "Why"), "why", ("本活动未适用清单条目", "no list entry applied to this flow"))
            ]
            subs = []
            for c in self.decided[fid].checks:
                if (
                    c.outcome == "fired"
                    and c.list_id in zone_lists
                    and c.rule_id not in {x.label[0] for x in subs}
                ):
                    subs.append(
                        Field(
                            (c.rule_id, c.rule_id),
                            self.rule_title(c.list_id, c.rule_id),
                            Source("law", f"{c.list_id}/{c.rule_id}"),
                        )
                    )
            s["subcategories"].fields = subs or [
                gap(
                    ("清单子类", "Sub-category"),
                    "subcategory",
                    ("适用的清单子类", "the list sub-category that applies"),
                )
            ]
            docs.append(doc)
        return docs


CERTIFICATION_NOTE: list[Pair] = [
    (
        "此路径为“订立标准合同或通过个人信息保护认证”：选择认证的，无需订立并备案本标准合同，改由专业机构认证。",
        "The pathway is 'standard contract or personal-information protection certification': where "
        "certification by a professional body is chosen instead, this contract and its filing are not needed.",
    )
]
"""PIPL Art. 38 para. 1 items (2) and (3), CBDF Provisions Art. 8: either route meets the pathway."""

ARTICLE_9: list[Pair] = [
    (
        "数据出境的目的、方式和数据范围，境外接收方处理数据的用途、方式等",
        "Purpose, method and scope of the export; the recipient's use and methods",
    ),
    (
        "数据在境外保存地点、期限，以及达到保存期限、完成约定目的或者法律文件终止后出境数据的处理措施",
        "Place and period of storage abroad, and what happens to the data at the end",
    ),
    (
        "对于境外接收方将出境数据再转移给其他组织、个人的约束性要求",
        "Binding limits on onward transfer by the recipient",
    ),
    (
        "境外接收方在实际控制权或者经营范围发生实质性变化等情形下应当采取的安全措施",
        "Security measures on a change of control or business, or of the legal environment",
    ),
    (
        "违反数据安全保护义务的补救措施、违约责任和争议解决方式",
        "Remedies, liability and dispute resolution for breach",
    ),
    (
        "应急处置的要求和保障个人维护其个人信息权益的途径和方式",
        "Incident handling, and how individuals enforce their rights",
    ),
]
"""What the legal documents with the recipient must provide at least (CAC Order 11 Art. 9 (1)-(6),
abridged)."""
