"""The reading document of a list: what the instrument is, whom it binds, and article by article
the rules that encode it with the readings taken, made from the list file alone (issue 12 item 2).

`reading_document(lf, law, lang)` returns Markdown in Chinese or English (list content is bilingual;
free-text notes and readings are English and marked so in the Chinese page). `ftzlist lists doc`
writes it; `docs/lists/<list id>.md` holds the bundled lists' documents and a test keeps them equal
to what the data gives, so the page can never say something the list file does not.

How a rule is placed: a citation with `provision:` puts its rule under that article; every other
citation puts it under its citation (a part of a list, an article of another instrument), in the
order the file first cites it. Every citation of the file is placed, whatever it belongs to (a rule,
a procedure step, a duty, the counting rule), so nothing the file encodes is missing from the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ftzlist.authoring.volumes import format_band
from ftzlist.law import Law
from ftzlist.render.labels import PATHWAYS
from ftzlist.schema.common import Citation, Text
from ftzlist.schema.instruments import walk_citations
from ftzlist.schema.lists import Item, ListFile, Procedure, Provision

Lang = Literal["zh", "en"]

WORDS: dict[str, tuple[str, str]] = {
    "generated": (
        "本文件由清单文件 `{file}` 生成（`ftzlist lists doc {id}`）：请修改清单文件，勿手改本文件。",
        "Generated from the list file `{file}` by `ftzlist lists doc {id}`: edit the list file, not this page.",
    ),
    "instrument": ("基本信息", "The instrument"),
    "id": ("清单编号", "List id"),
    "family": ("系列", "Family"),
    "kind": ("类型", "Kind"),
    "national": ("国家规则", "national rules"),
    "negative_list": ("负面清单", "negative list"),
    "positive_list": ("正面清单（一般数据清单）", "positive list (general data)"),
    "issuers": ("发布机关", "Issuers"),
    "issued": ("发布日期", "Issued"),
    "in_force": ("施行期间", "In force"),
    "open": ("至今", "open"),
    "trial_until": ("试行至", "trial until"),
    "first_days": ("各来源所载施行日期", "First day in force, as the sources give it"),
    "disputed": (
        "两日之间，引擎取“已施行”与“尚未施行”中较严格的答案并说明理由。",
        "between the two, the engine gives the stricter of 'in force' and 'not yet in force' and says why.",
    ),
    "legal_basis": ("上位依据", "Legal basis"),
    "scale": ("规模", "Scale"),
    "binds": ("适用对象", "Binds"),
    "zone": ("区域", "zone"),
    "areas": ("片区", "areas"),
    "places": ("另及（整体适用，含其内区域）", "also (whole, with every place within)"),
    "every_sector": ("适用于全部行业（按数据类别）", "every sector (category-based)"),
    "after_filing": (
        "数据处理者完成本清单备案（{proc}）后，清单所列数据方可自由流动；备案记录前按其他规则判断",
        "listed data flows freely only once the handler's filing of this list ({proc}) is recorded; "
        "until then the rest of the law decides",
    ),
    "status": ("可信度", "Status"),
    "checked": ("最近一次与来源核对", "Last checked against its sources"),
    "not_recorded": ("未记录", "not recorded"),
    "sources": ("来源", "Sources"),
    "sure": ("可信度与编码范围", "How sure we are, and what is encoded"),
    "tags": (
        "每条规则都带可信度标记：V 官方文本或两个独立来源一致；V2 一个可靠的二手来源；U 不确定；C 来源冲突。"
        "判断结果列出所依据规则的标记，依据 U 或 C 规则时给出提示。",
        "Every rule carries a status tag: V official text or two independent sources agree; V2 one good "
        "secondary source; U uncertain; C the sources conflict. A decision shows the tag of every rule it "
        "checked, and warns when a deciding rule is U or C.",
    ),
    "complete": ("本清单已完整编码。", "The list is encoded completely."),
    "incomplete": (
        "本清单未完整编码：缺失部分见下文“未编码部分”；依赖缺失部分的数据流为“待定”，并指明缺失部分，绝不猜测。",
        "The list is not encoded completely: the parts not encoded are listed under 'Not encoded' below; "
        "a flow that depends on one is undetermined, naming the part, never guessed.",
    ),
    "sectors": ("适用行业", "Who the list binds, by sector"),
    "sector": ("行业", "Sector"),
    "types": ("所涵盖的企业类型", "Enterprise types bound"),
    "all_types": ("该行业全部企业", "every type of the sector"),
    "excluded": ("排除", "Excluded"),
    "scenarios": ("业务场景", "Scenarios"),
    "in_scenarios": ("场景", "scenarios"),
    "notes": ("说明", "Notes"),
    "precedence": ("适用顺序（由强到弱）", "Precedence (strongest first)"),
    "all_scenarios": ("全部场景", "all"),
    "cites": ("出处", "Cites"),
    "by_article": ("逐条对照：条文、规则与解读", "Article by article: provisions, rules, readings"),
    "by_article_intro": (
        "清单文件在 `provisions` 中保留的每一条文，以及编码该条文的规则（`citation.provision`）。",
        "Each article the list file keeps under `provisions`, with the rules that encode it "
        "(`citation.provision`).",
    ),
    "reference_only": ("仅作参考保留，未编码为规则。", "Kept for reference; no rule encodes it."),
    "other_parts": ("清单其他部分及其他文件", "Other parts of the list, and other instruments"),
    "cited": ("清单文件的引用", "What the list file cites"),
    "cited_intro": (
        "清单文件的全部引用，按出处归组，顺序同清单文件。",
        "Every citation of the list file, grouped by what it cites, in the order of the file.",
    ),
    "fact": ("事项", "Fact"),
    "value": ("内容", "Value"),
    "other_parts_intro": (
        "未链接到上述条文的引用，按出处归组，顺序同清单文件。",
        "Citations not linked to an article above, grouped by what they cite, in the order of the file.",
    ),
    "rules": ("规则一览", "The rules"),
    "rules_intro": (
        "人数区间“a–<b”指去重后的自然人数 n 满足 a ≤ n < b，按计数规则统计。“兜底”规则只适用于本行业其他规则"
        "均未涵盖的数据，也只计该部分数据的人数；“单独适用”规则涵盖的数据只由该规则判断，不计入其他规则的人数。",
        "Persons a–<b means a ≤ n < b de-duplicated natural persons, counted as the counting rule says. A "
        "catch-all applies only to data no other rule of the sector catches, and counts only the persons of "
        "that data; data an exclusive rule catches is judged by it alone and left out of every other rule's "
        "count.",
    ),
    "level": ("层级", "Level"),
    "pathway": ("路径", "Pathway"),
    "persons": ("人数", "Persons"),
    "conditions": ("条件", "Conditions"),
    "procedures": ("程序", "Procedures"),
    "step": ("步骤", "Step"),
    "who": ("主体", "Who"),
    "when": ("时限", "When"),
    "handler": ("数据处理者", "handler"),
    "authority": ("主管机关", "authority"),
    "before_export": ("出境前", "before export"),
    "optional": ("可选（权利而非义务）", "optional (a right, not a duty)"),
    "working_days": ("`{after}` 后{n}个工作日内", "within {n} working days of `{after}`"),
    "serves": ("适用路径", "serves"),
    "validity": ("有效期", "Validity"),
    "validity_text": ("自 `{step}` 起{n}年", "{n} years from `{step}`"),
    "renewal": ("延续", "Renewal"),
    "renewal_text": ("届满前{n}个工作日内申请", "apply within the {n} working days before expiry"),
    "extends": ("，延长{n}年", ", extends by {n} years"),
    "change": ("变更", "Change"),
    "material": ("重大变更：重新申请", "material: a fresh application"),
    "not_material": ("非重大变更：简易变更", "not material: the simplified process"),
    "readings": ("所采取的解读", "Readings taken"),
    "readings_intro": (
        "原文有多种理解时所采取的解读；规则适用时，引擎在结果中一并给出。",
        "Where the text leaves a choice open, the reading taken; the engine shows it with the answer "
        "whenever the rule applies.",
    ),
    "no_readings": ("本清单未记录解读。", "The list records no reading."),
    "missing": ("未编码部分", "Not encoded"),
    "no_missing": ("无。", "None."),
    "affects": ("影响", "affects"),
    "all_sectors": ("全部行业", "every sector"),
    "all_classes": ("全部数据类别", "every data class"),
    "no_pathway": ("不影响路径", "sets no pathway"),
    "catalogue": ("重要数据目录", "Important-data catalogue"),
    "no": ("序号", "No."),
    "category": ("一级类别", "Category"),
    "subcategory": ("二级类别", "Sub-category"),
    "maps_to": ("对应数据类别", "Maps to"),
    "english_only": ("（仅英文）", "(English only) "),
    "reading": ("解读", "Reading"),
    "note": ("说明", "Note"),
    "none": ("—", "—"),
    "catch_all": ("兜底", "catch-all"),
    "exclusive": ("单独适用", "exclusive"),
    "ciio": ("关键信息基础设施运营者", "CIIO"),
    "not_ciio": ("非关键信息基础设施运营者", "not a CIIO"),
    "sensitive": ("敏感个人信息", "sensitive"),
    "non_sensitive": ("非敏感个人信息", "non-sensitive"),
    "holds": ("持有", "holds"),
    "lifted_by": ("解除条件", "lifted by"),
    "marker": ("标记", "marker"),
    "catalogue_entries": ("目录条目 {n} 条（见下文目录）", "{n} catalogue entries (see the catalogue below)"),
}

PART_NAMES: dict[str, tuple[str, str]] = {
    "items": ("规则", "rule"),
    "off_list": ("清单外规则", "off-list rule"),
    "exemptions": ("豁免情形", "exemption ground"),
    "procedures": ("程序", "procedure"),
    "steps": ("步骤", "step"),
    "validity": ("有效期", "validity"),
    "renewal": ("延续", "renewal"),
    "changes": ("变更", "change"),
    "obligations": ("义务", "duty"),
    "counting": ("计数规则", "counting rule"),
    "sectors": ("行业范围", "sector scope"),
    "references_other_lists": ("参照其他自贸区清单", "other zones' lists may be relied on"),
    "scope": ("适用范围", "scope"),
    "filing_required": ("完成备案后方可适用", "relied on only after its filing"),
    "catalogue": ("目录条目", "catalogue entry"),
}
"""What a citation belongs to, by the field that holds it; a field not named here is shown by its
own name (a part added to the schema later is still placed, never dropped)."""

DATA_CLASSES: dict[str, tuple[str, str]] = {
    "personal_information": ("个人信息", "personal information"),
    "important_data": ("重要数据", "important data"),
    "other": ("其他数据", "other data"),
}
HOLDINGS: dict[str, tuple[str, str]] = {
    "persons_pi": ("个人信息（不含敏感）", "personal information (non-sensitive)"),
    "persons_sensitive": ("敏感个人信息", "sensitive personal information"),
    "persons_sensitive_accounts_or_medical": (
        "含账户或诊疗数据的敏感个人信息",
        "sensitive PI with accounts or medical data",
    ),
}
MARKERS: dict[str, tuple[str, str]] = {
    "important_data": ("已被告知或公开发布的重要数据", "notified or published important data"),
    "core_data": ("国家核心数据", "national core data"),
    "export_controlled": ("出口管制物项", "export-controlled"),
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


@dataclass
class _Writer:
    lf: ListFile
    law: Law
    lang: Lang
    lines: list[str] = field(default_factory=list)

    # --- words ---------------------------------------------------------------------------------------
    @property
    def comma(self) -> str:
        return "、" if self.lang == "zh" else ", "

    @property
    def semi(self) -> str:
        return "；" if self.lang == "zh" else "; "

    def w(self, key: str, **fmt: Any) -> str:
        return _pick(WORDS[key], self.lang).format(**fmt)

    def t(self, value: Text | str | None) -> str:
        """Bilingual text in the page's language; plain (English) text marked so in Chinese."""
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.zh if self.lang == "zh" else value.en
        return (self.w("english_only") if self.lang == "zh" else "") + value

    def both(self, value: Text) -> str:
        """The page's language first, the other beside it (titles, names)."""
        first, second = (value.zh, value.en) if self.lang == "zh" else (value.en, value.zh)
        return first if first == second else f"{first} ({second})"

    def cite(self, c: Citation) -> str:
        return c.text(self.lang) + f" [{c.status}]"

    def pathway(self, value: str) -> str:
        return _pick(PATHWAYS[value], self.lang)

    def name_of(self, table: dict[str, Any], key: str) -> str:
        entry = table.get(key)
        return self.t(entry.name) if entry is not None else key

    def instrument(self, iid: str) -> str:
        ins = self.law.instruments.by_id.get(iid)
        if ins is None:  # a list citing itself before its instrument is registered
            return self.t(self.lf.title) if iid == self.lf.id else iid
        return self.both(ins.title)

    def ref_label(self, iid: str, ref: str) -> str:
        ins = self.law.instruments.by_id.get(iid)
        if ins is None:
            return f"{self.instrument(iid)} {ref}"
        return self.law.instruments.cite(iid, ref).text(self.lang)

    # --- output --------------------------------------------------------------------------------------
    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.out("| " + " | ".join(header) + " |", "|" + "---|" * len(header))
        self.out(*("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows))
        self.out("")

    # --- parts ---------------------------------------------------------------------------------------
    def conditions(self, it: Item) -> str:
        voc = self.law.vocabulary
        bits: list[str] = []
        if it.data_class is not None:
            bits.append(_pick(DATA_CLASSES[it.data_class.value], self.lang))
        if it.sectors:
            bits.append(self.comma.join(self.name_of(voc.sectors, s) for s in it.sectors))
        if it.scenarios:
            bits.append(
                self.w("in_scenarios")
                + ": "
                + self.comma.join(self.name_of(voc.scenarios, s) for s in it.scenarios)
            )
        if it.subjects:
            bits.append(self.comma.join(self.name_of(voc.subject_types, s) for s in it.subjects))
        if it.categories:
            bits.append(self.comma.join(f"{self.name_of(voc.categories, c)} `{c}`" for c in it.categories))
        if it.sensitivity is not None:
            bits.append(self.w(it.sensitivity.value))
        if it.ciio is not None:
            bits.append(self.w("ciio" if it.ciio else "not_ciio"))
        bits += [self.w("marker") + ": " + _pick(MARKERS[m], self.lang) for m in it.markers]
        if it.holdings:
            bits.append(
                self.w("holds")
                + " "
                + " / ".join(f"{_pick(HOLDINGS[h.metric], self.lang)} ≥ {h.min:,}" for h in it.holdings)
            )
        if it.catch_all:
            bits.append(self.w("catch_all"))
        if it.exclusive:
            bits.append(self.w("exclusive"))
        if it.lifted_by:
            bits.append(self.w("lifted_by") + ": " + self.comma.join(it.lifted_by))
        return self.semi.join(bits)

    def rule_line(self, it: Item) -> str:
        band = f", {format_band(it.persons, self.lang)}" if it.persons is not None else ""
        cond = self.conditions(it)
        return (
            f"`{it.id}` {self.t(it.title)} → **{self.pathway(it.pathway.value)}**{band}"
            + (f" ({cond})" if cond else "")
            + f" [{it.status}]"
        )

    def owner_line(self, loc: tuple[Any, ...], c: Citation) -> str:
        """One line for whatever holds the citation at `loc` (a rule, a step, the counting rule...)."""
        chain = _holders(self.lf, loc)
        if not chain:  # a citation held directly by the list (e.g. references_other_lists)
            return f"{_pick(PART_NAMES.get(loc[0], (loc[0], loc[0])), self.lang)} [{c.status}]"
        holder = chain[-1][1]
        if isinstance(holder, Item):
            kind = _pick(PART_NAMES[chain[-1][0]], self.lang)
            return f"{kind} {self.rule_line(holder)}"
        parts = []
        for name, obj in chain:
            label = _pick(PART_NAMES.get(name, (name, name)), self.lang)
            ident = getattr(obj, "id", None) or getattr(obj, "sector", None)
            parts.append(f"{label} `{ident}`" if ident else label)
        what = next(
            (
                getattr(holder, a)
                for a in ("name", "title", "text")
                if isinstance(getattr(holder, a, None), Text)
            ),
            None,
        )
        line = " › ".join(parts) + (f": {self.t(what)}" if what is not None else "")
        return line + f" [{getattr(holder, 'status', c.status)}]"

    def notes_of(self, loc: tuple[Any, ...], c: Citation) -> list[str]:
        """The reading and note of what holds the citation, then the citation's own note."""
        chain = _holders(self.lf, loc)
        holder = chain[-1][1] if chain else None
        out = []
        for attr in ("reading", "note"):
            value = getattr(holder, attr, None)
            if isinstance(value, str):
                out.append(f"{self.w(attr)}: {self.t(value)}")
        if c.note:
            out.append(f"{self.w('note')}: {self.t(c.note)}")
        return out


def _cell(value: str) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def _holders(root: BaseModel, loc: tuple[Any, ...]) -> list[tuple[str, BaseModel]]:
    """The models on the path `loc` from `root` down to a citation (the citation left out), each
    with the name of the field that holds it."""
    node: Any = root
    name = ""
    chain: list[tuple[str, BaseModel]] = []
    for key in loc:
        if isinstance(key, int):
            node = node[key]
        else:
            name, node = key, getattr(node, key)
        if isinstance(node, BaseModel) and not isinstance(node, Citation):
            chain.append((name, node))
    return chain


def reading_document(lf: ListFile, law: Law, lang: Lang = "en", *, file: str | None = None) -> str:
    """The list's reading document as Markdown in `lang` (see the module docstring)."""
    d = _Writer(lf, law, lang)
    voc = law.vocabulary
    other: Lang = "en" if lang == "zh" else "zh"
    d.out(f"# {d.t(lf.title)}", "", getattr(lf.title, other), "")
    d.out(d.w("generated", file=file or f"{lf.id}.yaml", id=lf.id), "")

    # --- the instrument --------------------------------------------------------------------------
    d.out(f"## {d.w('instrument')}", "")
    rows = [
        [d.w("id"), f"`{lf.id}`"],
        [d.w("family"), f"`{lf.family}`"],
        [d.w("kind"), d.w(lf.kind)],
        [d.w("issuers"), d.semi.join(d.both(i) for i in lf.issuers)],
    ]
    if lf.issued:
        rows.append([d.w("issued"), str(lf.issued)])
    span = f"{lf.effective_from} → {lf.effective_to or d.w('open')}"
    if lf.trial_until:
        span += f" ({d.w('trial_until')} {lf.trial_until})"
    rows.append([d.w("in_force"), span])
    if lf.effective_from_dates:
        dates = d.semi.join(f"{x.date} [{x.status}] {d.t(x.source)}" for x in lf.effective_from_dates)
        rows.append([d.w("first_days"), f"{dates} — {d.w('disputed')}"])
    if lf.legal_basis:
        rows.append([d.w("legal_basis"), d.semi.join(d.instrument(i) for i in lf.legal_basis)])
    if lf.scale:
        rows.append([d.w("scale"), d.t(lf.scale)])
    if lf.precedence:
        rows.append([d.w("precedence"), " > ".join(lf.precedence)])
    binds = d.t(lf.scope.description)
    if lf.scope.zone:
        zone = voc.zones.get(lf.scope.zone)
        binds += f" — {d.w('zone')} `{lf.scope.zone}`" + (f" ({d.t(zone.name)})" if zone else "")
        if lf.scope.areas and zone:
            names = {a.id: a.name for a in zone.areas}
            areas = d.comma.join(d.t(names[a]) if a in names else a for a in lf.scope.areas)
            binds += f"; {d.w('areas')}: {areas}"
    if lf.scope.places:
        places = d.comma.join(
            f"`{p}` ({d.t(voc.zones[p].name)})" if p in voc.zones else f"`{p}`" for p in lf.scope.places
        )
        binds += f"; {d.w('places')}: {places}"
    if lf.scope.sectors == "all":
        binds += f"; {d.w('every_sector')}"
    if lf.scope.citation:
        binds += f" {d.cite(lf.scope.citation)}"
    if lf.filing_required:
        binds += (
            f"; {d.w('after_filing', proc=f'`{lf.filing_required.procedure}`')} [{lf.filing_required.status}]"
        )
    rows.append([d.w("binds"), binds])
    rows.append([d.w("status"), lf.status])
    rows.append([d.w("checked"), str(lf.last_checked_on or d.w("not_recorded"))])
    d.table([d.w("fact"), d.w("value")], rows)
    d.out(f"{d.w('sources')}:", "")
    for s in lf.sources:
        d.out(f"- {d.t(s.title)}" + (f" <{s.url}>" if s.url else "") + f" [{s.status}]")
    d.out("")

    # --- how sure ----------------------------------------------------------------------------------
    d.out(f"## {d.w('sure')}", "", d.w("tags"), "")
    d.out(d.w("complete" if lf.coverage.complete else "incomplete"), "")
    if lf.coverage.notes:
        d.out(d.t(lf.coverage.notes), "")

    # --- sectors -----------------------------------------------------------------------------------
    if lf.sectors:
        d.out(f"## {d.w('sectors')}", "")
        rows = []
        for s in lf.sectors:
            types = (
                d.comma.join(d.t(_type_name(voc, s.sector, e)) for e in s.enterprise_types)
                if s.enterprise_types
                else d.w("all_types")
            )
            scen = (
                d.comma.join(d.name_of(voc.scenarios, x) for x in s.scenarios)
                if s.scenarios
                else d.w("all_scenarios")
            )
            rows.append(
                [
                    f"{d.name_of(voc.sectors, s.sector)} `{s.sector}`",
                    types,
                    d.semi.join(d.t(x) for x in s.excludes) or d.w("none"),
                    scen,
                    " ".join(d.t(n) for n in s.notes),
                    d.cite(s.citation),
                ]
            )
        header = [d.w("sector"), d.w("types"), d.w("excluded"), d.w("scenarios"), d.w("notes"), d.w("cites")]
        d.table(header, rows)

    # --- article by article ------------------------------------------------------------------------
    placed = _place(lf)
    if lf.provisions:
        d.out(f"## {d.w('by_article')}", "", d.w("by_article_intro"), "")
        for p in lf.provisions:
            _article(d, p, placed.pop(("provision", p.id), []))
    if placed:
        heading, intro = ("other_parts", "other_parts_intro") if lf.provisions else ("cited", "cited_intro")
        d.out(f"## {d.w(heading)}", "", d.w(intro), "")
        for entries in placed.values():
            d.out(f"### {entries[0][1].text(lang)}", "")
            _entries(d, entries)

    # --- rules ---------------------------------------------------------------------------------------
    rules = [*lf.items, *([lf.off_list] if lf.off_list else [])]
    if rules:
        d.out(f"## {d.w('rules')}", "", d.w("rules_intro"), "")
        d.table(
            [
                "id",
                d.w("level"),
                d.w("pathway"),
                d.w("persons"),
                d.w("conditions"),
                d.w("cites"),
                d.w("status"),
            ],
            [
                [
                    f"`{it.id}`",
                    it.level,
                    d.pathway(it.pathway.value),
                    format_band(it.persons, lang) if it.persons is not None else "",
                    d.conditions(it),
                    it.citation.text(lang),
                    it.status,
                ]
                for it in rules
            ],
        )

    # --- procedures ----------------------------------------------------------------------------------
    if lf.procedures:
        d.out(f"## {d.w('procedures')}", "")
        for proc in lf.procedures:
            _procedure(d, proc)

    # --- readings ------------------------------------------------------------------------------------
    d.out(f"## {d.w('readings')}", "", d.w("readings_intro"), "")
    readings: dict[str, list[Item]] = {}
    for it in rules:
        if it.reading:
            readings.setdefault(it.reading, []).append(it)
    if not readings and not lf.readings:
        d.out(d.w("no_readings"), "")
    for r in lf.readings:  # the list's readings at the engine's choice points, named in decisions
        d.out(f"- `{r.id}` ({r.point}): {d.t(r.text)}")
    for text, items in readings.items():  # one reading shared by several rules is said once
        ids = d.comma.join(f"`{it.id}`" for it in items)
        cites = d.semi.join(dict.fromkeys(it.citation.text(lang) for it in items))
        d.out(f"- {ids} ({cites}): {d.t(text)}")
    if readings or lf.readings:
        d.out("")

    # --- coverage ------------------------------------------------------------------------------------
    d.out(f"## {d.w('missing')}", "")
    if not lf.coverage.missing:
        d.out(d.w("no_missing"), "")
    for m in lf.coverage.missing:
        sectors = (
            d.comma.join(d.name_of(voc.sectors, s) for s in m.sectors) if m.sectors else d.w("all_sectors")
        )
        classes = (
            d.comma.join(_pick(DATA_CLASSES[c.value], lang) for c in m.data_classes)
            if m.data_classes
            else d.w("all_classes")
        )
        scope = f"{d.w('affects')}: {sectors}; {classes}" if m.affects_pathways else d.w("no_pathway")
        d.out(f"- `{m.id}` ({scope}): {d.t(m.description)}")
    if lf.coverage.missing:
        d.out("")

    # --- catalogue -----------------------------------------------------------------------------------
    if lf.catalogue:
        d.out(f"## {d.w('catalogue')}", "")
        d.table(
            [d.w("no"), d.w("category"), d.w("subcategory"), d.w("maps_to")],
            [
                [
                    str(e.number) if e.number is not None else f"`{e.id}`",
                    d.t(e.category),
                    d.t(e.subcategory),
                    d.comma.join(f"`{m}`" for m in e.maps_to),
                ]
                for e in lf.catalogue
            ],
        )
    while d.lines and d.lines[-1] == "":
        d.lines.pop()
    return "\n".join(d.lines) + "\n"


def _type_name(voc: Any, sector: str, type_id: str) -> Text | str:
    s = voc.sectors.get(sector)
    for e in s.enterprise_types if s else ():
        if e.id == type_id:
            return e.name
    return type_id


Entry = tuple[tuple[Any, ...], Citation]


def _place(lf: ListFile) -> dict[tuple[str, str], list[Entry]]:
    """Every citation of the file, keyed by the article it is linked to (`("provision", id)`) or,
    unlinked, by what it cites (`("cites", English label)`), in the order of the file."""
    placed: dict[tuple[str, str], list[Entry]] = {}
    for loc, c in walk_citations(lf):
        if loc and loc[0] == "provisions":
            continue
        key = ("provision", c.provision) if c.provision else ("cites", c.text("en"))
        placed.setdefault(key, []).append((loc, c))
    return placed


def _article(d: _Writer, p: Provision, entries: list[Entry]) -> None:
    d.out(f"### {d.ref_label(p.instrument, p.ref)} — {d.both(p.title)} [{p.status}]", "")
    d.out(d.t(p.summary), "")
    if entries:
        _entries(d, entries)
    else:
        d.out(d.w("reference_only"), "")


def _entries(d: _Writer, entries: list[Entry]) -> None:
    catalogue = [e for e in entries if e[0][0] == "catalogue"]
    for loc, c in entries:
        if loc[0] == "catalogue":
            continue
        d.out(f"- {d.owner_line(loc, c)}")
        d.out(*(f"  - {n}" for n in d.notes_of(loc, c)))
    if catalogue:
        d.out(f"- {d.w('catalogue_entries', n=len(catalogue))}")
    d.out("")


def _procedure(d: _Writer, proc: Procedure) -> None:
    serves = d.comma.join(d.pathway(s.value) for s in proc.serves)
    d.out(
        f"### {d.both(proc.name)} `{proc.id}`", "", f"{d.w('serves')}: {serves}. {d.cite(proc.citation)}", ""
    )
    rows = []
    for s in proc.steps:
        when = []
        if s.working_days is not None:
            when.append(d.w("working_days", n=s.working_days, after=s.after or "—"))
        if s.before_export:
            when.append(d.w("before_export"))
        if s.optional:
            when.append(d.w("optional"))
        rows.append([f"{d.t(s.name)} `{s.id}`", d.w(s.actor), d.semi.join(when), d.cite(s.citation)])
    d.table([d.w("step"), d.w("who"), d.w("when"), d.w("cites")], rows)
    if proc.validity:
        v = proc.validity
        text = d.w("validity_text", n=v.years, step=v.from_step)
        d.out(f"- {d.w('validity')}: {text}. {d.cite(v.citation)}")
    if proc.renewal:
        r = proc.renewal
        text = d.w("renewal_text", n=r.working_days_before_expiry)
        if r.extends_years:
            text += d.w("extends", n=r.extends_years)
        d.out(f"- {d.w('renewal')}: {text}. {d.cite(r.citation)}")
    for ch in proc.changes:
        d.out(
            f"- {d.w('change')} `{ch.id}`: {d.t(ch.name)} ({d.w('material' if ch.material else 'not_material')}). {d.cite(ch.citation)}"
        )
    if proc.validity or proc.renewal or proc.changes:
        d.out("")
