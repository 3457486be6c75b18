"""One report context (plain dicts) shared by the HTML/PDF, DOCX and XLSX renderings.

Everything a report prints is decided here, once, in the chosen language; the renderers only lay it
out. Rules that did not fire are counted, not listed (a board reads the reasons that decided the
answer; `--explain`, the XLSX and the JSON keep every rule checked).
"""

from __future__ import annotations

import base64
from collections import Counter
from typing import TYPE_CHECKING, Any

from ftzlist.law.reasons import said
from ftzlist.reports import labels as T
from ftzlist.reports.charts import Bar, headroom_png, series_png
from ftzlist.reports.findings import (
    RejectedClaim,
    national_reference,
    rejected_claims,
    split_missing,
    strictest,
)
from ftzlist.reports.lookup import find_procedure
from ftzlist.reports.text import free_text
from ftzlist.schema.common import PATHWAY_RANK, Pathway

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.reports.model import ReportExtras
    from ftzlist.schema.decision import DecisionSet, FlowDecision, Headroom, Message
    from ftzlist.schema.declaration import Declaration

PATHWAY_ORDER = [
    Pathway.national_core_data,
    Pathway.export_control,
    Pathway.security_assessment,
    Pathway.other_lawful_path,
    Pathway.standard_contract_or_certification,
    Pathway.undetermined,
    Pathway.exempt,
]


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def threshold_kind(h: Headroom, law: Law | None, lang: T.Lang) -> str:
    """Which threshold a headroom line measures: an important-data line or a personal-information
    band (two lines of one data item can otherwise read alike)."""
    lf = law.lists.by_id.get(h.list_id) if law is not None else None
    classes = {i.data_class for i in (lf.items if lf else []) if i.group == h.group}
    if classes == {"important_data"}:
        return T.word("threshold_important", lang)
    if classes == {"personal_information"}:
        return T.word("threshold_pi", lang)
    return ""  # the items do not say: the band group's id (printed beside) names the threshold


def _headroom_bar(h: Headroom, lang: T.Lang, subject: str, law: Law | None = None) -> Bar:
    who = h.data_item or h.group
    label = " · ".join(x for x in (who, subject, threshold_kind(h, law, lang), f"{h.list_id}/{h.group}") if x)
    if h.next_threshold is None:
        note = f"{h.persons:,} — {T.word('none_above', lang)} ({T.pathway(h.current, lang)})"
    else:
        note = (
            f"{h.persons:,} / {h.next_threshold:,} → {T.pathway(h.next_pathway, lang)}; "
            f"{T.word('remaining', lang)} {h.remaining:,}"
        )
    return Bar(label=label, persons=h.persons, limit=h.next_threshold, note=note)


def _procedure(law: Law | None, list_id: str, proc_id: str | None, lang: T.Lang) -> dict[str, Any] | None:
    if law is None or proc_id is None:
        return None
    hit = find_procedure(law, list_id, proc_id)
    if hit is None:
        return None
    proc = hit[1]
    steps = []
    for s in proc.steps:
        if s.optional:
            continue
        when = ""
        if s.working_days:
            when = (
                f"{s.working_days} 个工作日内"
                if lang == "zh"
                else f"within {s.working_days} working days"
                if lang == "en"
                else f"{s.working_days} 个工作日内 / within {s.working_days} working days"
            )
        steps.append(
            {
                "name": T.text(s.name, lang),
                "actor": s.actor,
                "when": when,
                "before_export": s.before_export,
                "citation": T.cite(s.citation, lang),
            }
        )
    return {
        "id": proc.id,
        "name": T.text(proc.name, lang),
        "steps": steps,
        "citation": T.cite(proc.citation, lang),
    }


def _said(msg: Message | None, fallback: str, lang: T.Lang) -> str:
    """An engine sentence in the report's language (both, for a bilingual report), from the
    catalogue of law/reasons.yaml; `fallback` (English) when there is no message."""
    return T.pick((said(msg, fallback, "zh"), said(msg, fallback, "en")), lang)


def undetermined_label(f: FlowDecision, lang: T.Lang) -> str:
    """`undetermined` saying why: facts the user can supply, or parts of the law not encoded."""
    facts, gaps = split_missing(f)
    key = "undetermined_both" if facts and gaps else "undetermined_law" if gaps else "undetermined_facts"
    return T.word(key, lang)


def claim_text(c: RejectedClaim, lang: T.Lang) -> str:
    """A rejected exemption claim as a sentence (the engine's reason only in English text)."""
    if c.rule_id is None:
        zh = f"{c.flow_id}：主张的豁免情形 {c.ground} " + (
            "不在适用的清单中，未被采纳" if not c.available else "未被采纳"
        )
        en = f"{c.flow_id}: claimed ground {c.ground} " + (
            "is not offered by the lists in force; not applied" if not c.available else "not applied"
        )
        return T.pick((zh, en), lang)
    name = c.name or (c.ground, c.ground)
    cite_zh = c.citation.text("zh") if c.citation else ""
    cite_en = c.citation.text("en") if c.citation else ""
    outcome = T.OUTCOMES.get(c.outcome or "", (c.outcome or "", c.outcome or ""))
    zh = f"{c.flow_id}：主张“{name[0]}”（{cite_zh}），未被采纳（{outcome[0]}）"
    en = f"{c.flow_id}: claimed {name[1]} ({cite_en}); not granted ({outcome[1]}{': ' + c.reason if c.reason else ''})"
    return T.pick((zh, en), lang)


def _flow(
    f: FlowDecision,
    decl_flow: Any,
    law: Law | None,
    lang: T.Lang,
    explain: bool,
    claims: list[RejectedClaim],
    national: FlowDecision | None,
) -> dict[str, Any]:
    voc = law.vocabulary if law else None
    scen = voc.scenarios.get(f.scenario) if (voc and f.scenario) else None
    item_subject = {d.id: d.subject for d in decl_flow.data} if decl_flow else {}

    def subject_name(item: str | None) -> str:
        sid = item_subject.get((item or "").split("/")[-1])
        st = voc.subject_types.get(sid) if (voc and sid) else None
        return T.text(st.name, lang) if st else ""

    def cat_name(cid: str) -> str:
        c = voc.categories.get(cid) if voc else None
        return T.text(c.name, lang) if c else cid

    shown = [c for c in f.checks if explain or c.outcome != "not_fired"]
    bars = [_headroom_bar(h, lang, subject_name(h.data_item), law) for h in f.headroom]
    return {
        "id": f.flow_id,
        "scenario": f.scenario or "—",
        "scenario_name": T.text(scen.name, lang) if scen else (f.scenario or T.word("unknown", lang)),
        "recipient": (
            f"{free_text(decl_flow.recipient.name)} ({decl_flow.recipient.country})" if decl_flow else "—"
        ),
        "purpose": free_text(decl_flow.purpose) if decl_flow else "—",
        "exemption": (decl_flow.exemption if decl_flow else None) or "—",
        "pathway": undetermined_label(f, lang)
        if f.pathway == Pathway.undetermined
        else T.pathway(f.pathway, lang),
        "pathway_id": f.pathway.value,
        "lower_bound": T.pathway(f.lower_bound, lang) if f.lower_bound else "",
        "claims": [claim_text(c, lang) for c in claims],
        "national_ref": (
            T.pathway(national.pathway, lang)
            + (
                f" ({T.word('lower_bound', lang)}: {T.pathway(national.lower_bound, lang)})"
                if national.lower_bound
                else ""
            )
            if national is not None
            else ""
        ),
        "data_items": [
            {
                "id": i.data_item,
                "category": i.category,
                "category_name": cat_name(i.category),
                "sensitive": T.word(
                    "unknown" if i.sensitive is None else ("yes" if i.sensitive else "no"), lang
                ),
                "persons": "—" if i.persons is None else f"{i.persons:,}",
                "pathway": T.pathway(i.pathway, lang),
                "regime": i.regime,
                "rules": ", ".join(i.deciding_rules),
            }
            for i in f.items
        ],
        "obligations": [
            {
                "id": o.id,
                "text": T.text(o.text, lang),
                "pathway": T.pathway(o.pathway, lang) if o.pathway else "",
                "citation": T.cite(o.citation, lang),
                "procedure": o.procedure or "",
            }
            for o in f.obligations
        ],
        "reasons": [
            {
                "list": c.list_id,
                "rule": c.rule_id,
                "outcome": T.outcome(c.outcome, lang),
                "outcome_id": c.outcome,
                "pathway": T.pathway(c.pathway, lang) if c.pathway else "",
                "item": c.data_item or "",
                "citation": T.cite(c.citation, lang),
                "status": c.status,
                "reason": _said(c.message, c.reason, lang),
            }
            for c in shown
        ],
        "checked": len(f.checks),
        "not_shown": len(f.checks) - len(shown),
        "headroom": [
            {"label": b.label, "note": b.note, "persons": b.persons, "limit": b.limit} for b in bars
        ],
        "headroom_png": headroom_png(bars) if bars else None,
        "missing": [f"{m.field}: {_said(m.message, m.why, lang)}" for m in f.missing],
        "missing_facts": [f"{m.field}: {_said(m.message, m.why, lang)}" for m in split_missing(f)[0]],
        "missing_law": [f"{m.field}: {_said(m.message, m.why, lang)}" for m in split_missing(f)[1]],
        "conflicts": [f"{', '.join(c.rules)} → {c.resolution}" for c in f.conflicts],
        "warnings": list(f.warnings),
        "alternatives": list(f.alternatives),
    }


def build_context(
    ds: DecisionSet,
    decl: Declaration | None,
    law: Law | None,
    lang: T.Lang = "bilingual",
    extras: ReportExtras | None = None,
    *,
    explain: bool = False,
) -> dict[str, Any]:
    """Everything a report shows, in `lang`. `decl` and `law` add names; both are optional."""
    decl_flows = {f.id: f for f in decl.flows} if decl else {}
    claims = rejected_claims(ds, decl, law)
    national = national_reference(ds, decl, law)
    flows = [
        _flow(
            f,
            decl_flows.get(f.flow_id),
            law,
            lang,
            explain,
            [c for c in claims if c.flow_id == f.flow_id],
            national.get(f.flow_id),
        )
        for f in ds.flows
    ]
    top, may_need_more = strictest(ds)
    by_pathway = Counter(f.pathway for f in ds.flows)
    undetermined = [f for f in ds.flows if f.pathway == Pathway.undetermined]
    facts_missing = any(split_missing(f)[0] for f in undetermined)
    law_missing = any(split_missing(f)[1] for f in undetermined)
    und_label = T.word(
        "undetermined_both"
        if facts_missing and law_missing
        else "undetermined_law"
        if law_missing
        else "undetermined_facts",
        lang,
    )
    summary = [
        {
            "pathway": und_label if p == Pathway.undetermined else T.pathway(p, lang),
            "pathway_id": p.value,
            "count": by_pathway[p],
            "flows": ", ".join(f.flow_id for f in ds.flows if f.pathway == p),
        }
        for p in PATHWAY_ORDER
        if by_pathway[p]
    ]
    # What is due next: one row per procedure (or missing fact), naming every flow it concerns.
    due: list[dict[str, Any]] = []
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for f in sorted(ds.flows, key=lambda f: -PATHWAY_RANK.get(f.pathway, 6)):
        rows = []
        for o in f.obligations:
            if not o.procedure:
                continue
            proc = _procedure(law, o.list_id, o.procedure, lang)
            rows.append(
                (
                    ("procedure", o.procedure),
                    {
                        "what": proc["name"] if proc else T.text(o.text, lang),
                        "steps": [s for s in (proc["steps"] if proc else []) if s["actor"] == "handler"][:3],
                        "citation": proc["citation"] if proc else T.cite(o.citation, lang),
                    },
                )
            )
        if f.pathway == Pathway.undetermined:
            facts, gaps = split_missing(f)
            for key, group in (("facts_to_supply", facts), ("law_not_encoded", gaps)):
                if group:
                    fields = "; ".join(m.field for m in group)
                    rows.append(
                        (
                            (key, fields),
                            {"what": T.word(key, lang) + ": " + fields, "steps": [], "citation": ""},
                        )
                    )
        for key, row in rows:
            if key not in by_key:
                by_key[key] = {**row, "flow_ids": []}
                due.append(by_key[key])
            if f.flow_id not in by_key[key]["flow_ids"]:
                by_key[key]["flow_ids"].append(f.flow_id)
    for d in due:
        d["flows"] = ", ".join(d.pop("flow_ids"))
    ht = ds.handler_totals
    handler = decl.handler if decl else None
    ex = extras
    counts = []
    if ex and ex.counts:
        for s in ex.counts:
            png = series_png(s, max([ds.as_of, *(p.day for p in s.points)]))
            counts.append({"label": s.label, "png": png, "last": s.points[-1].persons if s.points else 0})
    return {
        "lang": lang,
        "w": {k: T.word(k, lang) for k in T.WORDS},
        "title": T.word("report_title", lang),
        "handler": free_text(ds.handler),
        "handler_zone": (handler.zone or "—") if handler else "—",
        "handler_sector": (handler.sector or "—") if handler else "—",
        "as_of": ds.as_of.isoformat(),
        "engine_version": ds.engine_version,
        "input_sha256": ds.input_sha256,
        "governing": ", ".join(ds.governing_lists) or "—",
        "summary": summary,
        "due": due,
        "flows": flows,
        "lists": [
            {
                "id": r.id,
                "family": r.family,
                "title": T.text(r.title, lang),
                "sha256": r.sha256,
                "coverage": T.word("complete" if r.coverage_complete else "incomplete", lang),
            }
            for r in ds.lists
        ],
        "totals": {
            "non_sensitive": "—" if ht.persons_non_sensitive is None else f"{ht.persons_non_sensitive:,}",
            "sensitive": "—" if ht.persons_sensitive is None else f"{ht.persons_sensitive:,}",
            "excluded": ", ".join(ht.excluded_exempt_flows) or T.word("none", lang),
            "pathway": T.pathway(ht.pathway, lang),
            "strictest": T.pathway(top, lang)
            + (f" ({T.word('may_need_more', lang)})" if may_need_more else ""),
            "lighter_than_flows": PATHWAY_RANK.get(ht.pathway, -1) < PATHWAY_RANK.get(top, -1),
        },
        "claims": [claim_text(c, lang) for c in claims],
        "counts": counts,
        "comparison": (
            {
                "zones": list(ex.comparison.zones),
                "rows": [
                    {"flow": r.flow_id, "pathways": [T.pathway(p, lang) if p else "—" for p in r.pathways]}
                    for r in ex.comparison.rows
                ],
            }
            if ex and ex.comparison
            else None
        ),
        "calendar": [
            {
                "date": e.day.isoformat(),
                "flow": e.flow_id or "",
                "what": free_text(e.what),
                "provisional": T.word("provisional", lang) if e.provisional else "",
                "owner": free_text(e.owner) if e.owner else "",
                "status": T.pick(T.DUE_STATUS[e.status], lang)
                if e.status in T.DUE_STATUS
                else (e.status or ""),
            }
            for e in (ex.calendar if ex else [])
        ],
    }
