"""Filing packages: how a filing travels when the handler and the agency do not share a deployment.

A package is a zip of
- `filing.json`: the proceeding (list, procedure, kind, dates of every step recorded, the desk it
  is addressed to), the handler and flow, and every filed version as filed;
- `filing.json.sha256`: the SHA-256 of `filing.json`;
- `decision-snapshot.json`: the flow's latest decision snapshot as kept in the register, with its
  register hash (`ftzlist.filings.chain.snapshot_hash`), if one was kept;
- `materials.pdf`: the filing materials (the filed content, item by item, bilingual headings);
- `manifest.json`: every other file's SHA-256.

On import every hash is checked first (the file's, the manifest's, the snapshot's own), then the
proceeding is rebuilt step by step in the agency's register through the register's public API, so
its clocks are computed there from the same list data; the package's hashes and the handler's key
for the proceeding are kept in the application's details. Nothing is read from the zip but these
files; anything else in it, or a file missing, is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftzlist.agency.desk import Desk, parse_scope
from ftzlist.errors import InputError
from ftzlist.filings.chain import snapshot_hash
from ftzlist.filings.content import FiledContent
from ftzlist.filings.models import (
    Application,
    DecisionSnapshot,
    Filing,
    Flow,
    Handler,
    Opinion,
    Proceeding,
    StepRecord,
)
from ftzlist.filings.register import Register

FORMAT = "ftzlist-filing-package/1"
FILES = ("filing.json", "filing.json.sha256", "materials.pdf", "manifest.json")
OPTIONAL = ("decision-snapshot.json",)
MAX_MEMBER = 50 * 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2, default=str).encode("utf-8")


def package_document(register: Register, key: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The filing document and the latest decision snapshot (or None) of proceeding `key`."""
    with Session(register.engine) as s:
        p = s.scalar(select(Proceeding).where(Proceeding.key == key))
        if p is None:
            raise InputError(f"unknown filing '{key}'")
        f = s.get(Flow, p.flow_id)
        h = s.get(Handler, f.handler_id)  # type: ignore[union-attr]
        steps = [
            {"step_id": r.step_id, "on": r.occurred_on.isoformat(), "outcome": r.outcome, "note": r.note}
            for r in s.scalars(
                select(StepRecord)
                .where(StepRecord.proceeding_id == p.id, StepRecord.export_event_id.is_(None))
                .order_by(StepRecord.occurred_on, StepRecord.id)
            )
        ]
        filings = [
            {"version": x.version, "basis": x.basis, "filed_on": x.filed_on.isoformat(), "content": x.content}
            for x in s.scalars(select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version))
        ]
        opinions = [
            {
                "step_id": o.step_id,
                "on": o.issued_on.isoformat(),
                "outcome": o.outcome,
                "pathway": o.pathway,
                "reference": o.reference,
                "note": o.note,
            }
            for o in s.scalars(select(Opinion).where(Opinion.proceeding_id == p.id).order_by(Opinion.id))
        ]
        apps = [
            {"kind": a.kind, "on": a.submitted_on.isoformat(), "details": a.details}
            for a in s.scalars(
                select(Application).where(Application.proceeding_id == p.id).order_by(Application.id)
            )
        ]
        address = Desk.addressed(s, p)
        snap = s.scalar(
            select(DecisionSnapshot)
            .where(DecisionSnapshot.flow_id == f.id)
            .order_by(DecisionSnapshot.id.desc())  # type: ignore[union-attr]
        )
        snapshot = None
        if snap is not None:
            snapshot = {
                "flow_id": snap.flow_id,
                "taken_at": snap.taken_at.isoformat(),
                "as_of": snap.as_of.isoformat(),
                "pathway": snap.pathway,
                "list_versions": snap.list_versions,
                "input_hash": snap.input_hash,
                "engine_version": snap.engine_version,
                "decision": snap.decision,
                "sha256": snap.sha256,
            }
        doc = {
            "format": FORMAT,
            "proceeding": {
                "key": p.key,
                "list_id": p.list_id,
                "procedure_id": p.procedure_id,
                "kind": p.kind,
                "opened_on": p.opened_on.isoformat(),
                "addressed_to": address,
            },
            "handler": {"key": h.key, "name": h.name, "uscc": h.uscc, "zone": h.zone},  # type: ignore[union-attr]
            "flow": {
                "key": f.key,  # type: ignore[union-attr]
                "scenario": f.scenario,  # type: ignore[union-attr]
                "purpose": f.purpose,  # type: ignore[union-attr]
                "recipient_name": f.recipient_name,  # type: ignore[union-attr]
                "recipient_country": f.recipient_country,  # type: ignore[union-attr]
            },
            "applications": apps,
            "steps": steps,
            "filings": filings,
            "opinions": opinions,
        }
        return doc, snapshot


def export_package(register: Register, key: str, out: Path) -> Path:
    """Write proceeding `key` as a filing package to `out` (a .zip). Refuses a proceeding with
    nothing filed yet (there is no filing to send)."""
    doc, snapshot = package_document(register, key)
    if not doc["filings"]:
        raise InputError(f"{key}: nothing has been filed yet, so there is no filing package")
    filing = _dump(doc)
    members: dict[str, bytes] = {
        "filing.json": filing,
        "filing.json.sha256": (sha256(filing) + "  filing.json\n").encode(),
    }
    if snapshot is not None:
        members["decision-snapshot.json"] = _dump(snapshot)
    members["materials.pdf"] = materials_pdf(doc)
    members["manifest.json"] = _dump({"format": FORMAT, "files": {n: sha256(b) for n, b in members.items()}})
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out


def materials_pdf(doc: dict[str, Any]) -> bytes:
    """The filing materials as PDF (reports' template machinery, bundled CJK font)."""
    import tempfile

    from ftzlist.reports.html import render_pdf

    with tempfile.TemporaryDirectory(prefix="ftzlist-package-") as tmp:
        path = Path(tmp) / "materials.pdf"
        render_pdf({"doc": doc, "lang": "bilingual"}, path, template="agency-filing.html.j2")
        return path.read_bytes()


def read_package(data: bytes, where: str = "package") -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """Open and check a package: every expected file present and no other, each hash right.
    Returns (filing document, snapshot or None, SHA-256 of filing.json). Raises InputError naming
    the file that is wrong."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            "not a zip file: expected a filing package (ftzlist agency package export)", where=where
        ) from None
    names = set(z.namelist())
    missing = [n for n in FILES if n not in names]
    if missing:
        raise InputError(f"the package lacks {', '.join(missing)}", where=where)
    other = sorted(names - set(FILES) - set(OPTIONAL))
    if other:
        raise InputError(
            f"the package holds files that are not part of a filing package: {', '.join(other)}", where=where
        )
    members = {}
    for info in z.infolist():
        if info.file_size > MAX_MEMBER:
            raise InputError(f"{info.filename}: larger than {MAX_MEMBER // 2**20} MB", where=where)
        members[info.filename] = z.read(info)
    try:
        manifest = json.loads(members["manifest.json"])
        listed = manifest["files"]
    except (ValueError, KeyError, TypeError):
        raise InputError("manifest.json: not a package manifest", where=where) from None
    if manifest.get("format") != FORMAT:
        raise InputError(f"manifest.json: format {manifest.get('format')!r}, expected {FORMAT}", where=where)
    if set(listed) != set(members) - {"manifest.json"}:
        raise InputError("manifest.json does not list exactly the package's files", where=where)
    for name, digest in listed.items():
        if sha256(members[name]) != digest:
            raise InputError(f"{name}: SHA-256 differs from the manifest: the file was altered", where=where)
    stated = (
        members["filing.json.sha256"].decode("ascii", "replace").split()[0]
        if members["filing.json.sha256"].strip()
        else ""
    )
    if stated != sha256(members["filing.json"]):
        raise InputError(
            "filing.json: SHA-256 differs from filing.json.sha256: the filing was altered", where=where
        )
    try:
        doc = json.loads(members["filing.json"])
    except ValueError as exc:
        raise InputError(f"filing.json: not JSON ({exc})", where=where) from None
    if doc.get("format") != FORMAT:
        raise InputError(f"filing.json: format {doc.get('format')!r}, expected {FORMAT}", where=where)
    snapshot = None
    if "decision-snapshot.json" in members:
        snapshot = json.loads(members["decision-snapshot.json"])
        if snapshot_hash(snapshot) != snapshot.get("sha256"):
            raise InputError(
                "decision-snapshot.json: its content no longer matches its register hash", where=where
            )
    return doc, snapshot, stated


def import_package(desk: Desk, data: bytes, *, where: str = "package") -> str:
    """Check a package and rebuild its proceeding in this register, addressed to the package's desk
    (which must be this desk's). Returns the new proceeding key. A package imported before is refused."""
    doc, snapshot, digest = read_package(data, where)
    reg = desk.register
    p, h, f = doc["proceeding"], doc["handler"], doc["flow"]
    scope = p.get("addressed_to")
    if not scope:
        raise InputError(
            "filing.json: the proceeding is not addressed to a desk (address it before exporting)",
            where=where,
        )
    if desk.scope is not None and not desk.scope.covers(parse_scope(scope, desk.law)):
        raise InputError(f"the package is addressed to {scope}, not to this desk ({desk.scope})", where=where)
    with desk.reading() as s:
        for a in s.scalars(select(Application).where(Application.kind == p["kind"])):
            if (a.details or {}).get("package_sha256") == digest:
                raise InputError("this package was imported before", where=where)
    reg.ensure_handler(h["key"], h["name"], uscc=h.get("uscc"), zone=h.get("zone"))
    reg.add_flow(
        h["key"],
        f["key"],
        scenario=f.get("scenario"),
        purpose=f.get("purpose"),
        recipient_name=f.get("recipient_name"),
        recipient_country=f.get("recipient_country"),
        exist_ok=True,
    )
    opened = dt.date.fromisoformat(p["opened_on"])
    details = {
        "package_sha256": digest,
        "handler_key_of_proceeding": p["key"],
        "snapshot_sha256": snapshot["sha256"] if snapshot else None,
    }
    key = reg.open_proceeding(
        h["key"], f["key"], p["procedure_id"], opened, list_id=p["list_id"], kind="initial", details=details
    )
    desk.address(key, scope, opened)
    filed = {x["filed_on"]: x for x in doc["filings"] if x["basis"] == "filed"}
    opinions = {(o["step_id"], o["on"]): o for o in doc["opinions"]}
    first = {
        st["step_id"]
        for st in doc["steps"]
        if st["on"] == p["opened_on"] and st["note"] and "application" in st["note"]
    }
    for st in doc["steps"]:
        if st["step_id"] in first:
            continue
        on = dt.date.fromisoformat(st["on"])
        o = opinions.get((st["step_id"], st["on"]))
        if o is not None:
            reg.record_opinion(
                key,
                on,
                o["outcome"],
                pathway=o["pathway"],
                reference=o["reference"],
                note=o["note"],
                step_id=o["step_id"],
            )
        elif st["on"] in filed and desk.step_actor(key, st["step_id"]) == "handler":
            reg.record_filing(
                key, on, FiledContent.model_validate(filed.pop(st["on"])["content"]), step_id=st["step_id"]
            )
        else:
            reg.record_step(key, st["step_id"], on, outcome=st["outcome"], note=st["note"])
    for x in doc["filings"]:
        if x["basis"] != "filed":
            reg.change(key, dt.date.fromisoformat(x["filed_on"]), FiledContent.model_validate(x["content"]))
    if snapshot is not None:
        reg.snapshot_decision(
            h["key"],
            f["key"],
            as_of=dt.date.fromisoformat(snapshot["as_of"]),
            pathway=snapshot["pathway"],
            list_versions=snapshot["list_versions"],
            input_hash=snapshot["input_hash"],
            engine_version=snapshot["engine_version"],
            decision=snapshot["decision"],
        )
    return key
