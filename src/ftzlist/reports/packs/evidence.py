"""The evidence bundle for a regulator's question: what was decided, on what, by which rules.

A folder holding the decision (JSON, as `ftzlist assess --format json` gives it), the declaration it
was made on, the PDF report, every list version used (the file itself, so its hash can be checked),
the count run and its parameters where persons came from one, the register's extract for the
handler where a register was given, and a manifest: each file's SHA-256 and size, what it is, and
the checks the bundle could make on itself (`SHA256SUMS` is the same list for `sha256sum -c`).

Checks: the declaration hashes (with the assessment date, as the engine hashes it) to the
decision's input hash; each list file hashes to the hash the decision names. A check that cannot
pass is reported as failed in the manifest, never dropped.

No raw identifier: free text a user wrote (the handler's and recipients' names, purposes, penalty
notes, log file names, register notes) passes through the one masking function; where masking
changed the declaration, its hash no longer matches and the manifest says so and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.reports.text import free_text

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.reports.labels import Lang
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration

MANIFEST = "MANIFEST.json"
SUMS = "SHA256SUMS"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _masked_declaration(decl: Declaration) -> tuple[Declaration, int]:
    """The declaration with free text masked, and how many values masking changed."""
    changed = 0

    def m(v: str | None) -> str | None:
        nonlocal changed
        if v is None:
            return None
        out = free_text(v)
        changed += out != v
        return out

    h = decl.handler
    handler = h.model_copy(
        update={
            "name": m(h.name),
            "penalties_past_2y": None if h.penalties_past_2y is None else [m(x) for x in h.penalties_past_2y],
        }
    )
    flows = [
        f.model_copy(
            update={
                "purpose": m(f.purpose),
                "recipient": f.recipient.model_copy(update={"name": m(f.recipient.name)}),
                "data": [d.model_copy(update={"persons_source": m(d.persons_source)}) for d in f.data],
            }
        )
        for f in decl.flows
    ]
    return decl.model_copy(update={"handler": handler, "flows": flows}), changed


def _scrub(value: Any) -> Any:
    """Every string in a JSON-like value through the masking function (hashes and ids unchanged)."""
    if isinstance(value, str):
        return free_text(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    return value


def register_extract(register: Any, handler: str, flows: list[str], today: dt.date) -> dict[str, Any]:
    """What the register holds for `handler`, read through its public API: proceedings (with steps,
    filings, opinions, exports and deadlines), the decision snapshots of `flows`, and what is due.
    Free text is masked."""

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {k: plain(x) for k, x in dataclasses.asdict(v).items()}
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        return v

    proceedings = [register.show(p.key, today) for p in register.list_proceedings(handler)]
    snapshots = []
    for flow in flows:
        try:
            kept = register.snapshots(handler, flow)
        except Exception as exc:  # an unknown flow is an InputError: the flow was never registered
            if type(exc).__name__ != "InputError":
                raise
            continue
        snapshots.extend(
            {
                "id": s.id,
                "flow": flow,
                "taken_at": s.taken_at,
                "as_of": s.as_of,
                "pathway": s.pathway,
                "list_versions": s.list_versions,
                "input_hash": s.input_hash,
                "engine_version": s.engine_version,
            }
            for s in kept
        )
    due = [r for r in register.due(today) if r.handler == handler]
    return _scrub(
        plain(
            {
                "handler": handler,
                "read_on": today,
                "proceedings": proceedings,
                "decision_snapshots": snapshots,
                "due": due,
            }
        )
    )


def write_bundle(
    out_dir: Path,
    decl: Declaration,
    ds: DecisionSet,
    law: Law,
    *,
    lang: Lang = "bilingual",
    count_json: str | None = None,
    register: dict[str, Any] | None = None,
) -> Path:
    """Write the evidence bundle into `out_dir` (created); returns the manifest's path.

    `count_json` is an `ftzlist count --format json` result as text; `register` an extract from
    `register_extract`.
    """
    from ftzlist.reports import render_report

    out = Path(out_dir)
    (out / "lists").mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    checks: dict[str, Any] = {}

    def add(name: str, what: str) -> None:
        p = out / name
        files.append({"path": name, "sha256": sha256_file(p), "bytes": p.stat().st_size, "what": what})

    def write_json(name: str, data: Any, what: str) -> None:
        (out / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        add(name, what)

    decision = json.loads(ds.model_dump_json())
    decision["handler"] = free_text(decision["handler"])
    write_json("decision.json", decision, "the decision, as `ftzlist assess --format json` gives it")

    shown, masked = _masked_declaration(decl)
    text = shown.model_dump_json(exclude_none=False)
    (out / "declaration.json").write_text(text, encoding="utf-8")
    add("declaration.json", "the declaration the decision was made on (canonical JSON, as hashed)")
    recomputed = hashlib.sha256((text + f"|as_of={ds.as_of.isoformat()}").encode("utf-8")).hexdigest()
    checks["input_hash"] = {
        "expected": ds.input_sha256,
        "recomputed": recomputed,
        "verified": recomputed == ds.input_sha256,
        "how": "sha256(declaration.json + '|as_of=' + as_of)",
        "masked_values": masked,
        **(
            {"why_not": f"{masked} free-text value(s) held identifier-shaped text and were masked"}
            if masked and recomputed != ds.input_sha256
            else {}
        ),
    }

    render_report(ds, decl, law, "pdf", out / "report.pdf", lang=lang)
    add("report.pdf", "the assessment report (PDF)")

    lists = []
    for ref in ds.lists:
        entry: dict[str, Any] = {"id": ref.id, "family": ref.family, "sha256": ref.sha256, "file": None}
        src = law.lists.paths.get(ref.id)
        if src is not None:
            from ftzlist.yamlio import read_text

            body = read_text(src)
            name = f"lists/{ref.id}.yaml"
            (out / name).write_text(body, encoding="utf-8", newline="")
            add(name, f"list version {ref.id} as loaded")
            entry["file"] = name
            entry["verified"] = files[-1]["sha256"] == ref.sha256
        else:
            entry["verified"] = False
        lists.append(entry)
    write_json("lists.json", lists, "the list versions used and their SHA-256")
    checks["lists"] = {x["id"]: x["verified"] for x in lists}

    if count_json is not None:
        from ftzlist.counting import CountResult

        run = CountResult.model_validate_json(count_json)
        data = _scrub(json.loads(run.model_dump_json()))
        write_json("count.json", data, "the count run (ftzlist count --format json)")
        params = {
            k: data[k] for k in ("run_id", "as_of", "window_start", "rule", "readings") if k in data
        } | {"files": data["quality"]["files"]}
        write_json(
            "count-parameters.json", params, "the count run's parameters: window, rule, inputs, readings"
        )
    if register is not None:
        write_json("register.json", register, "the filing register's extract for this handler")
        if "verification" in register:
            v = register["verification"]
            checks["register"] = {"ok": v["ok"], "anchor": v["anchor"], "problems": len(v["problems"])}

    manifest = {
        "bundle": "ftzlist evidence bundle",
        "handler": free_text(ds.handler),
        "as_of": ds.as_of.isoformat(),
        "engine_version": ds.engine_version,
        "input_sha256": ds.input_sha256,
        "files": files,
        "checks": checks,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / SUMS).write_text("".join(f"{f['sha256']}  {f['path']}\n" for f in files), encoding="utf-8")
    return out / MANIFEST
