"""Read the law (vocabularies and list files) and declarations from files, and check their
cross-references. What the law *is* lives in `ftzlist.law`; this module only reads files into it.
`Law`, `ListSet`, `Vocabulary` and `nearest` are re-exported here for older imports.

`load_law()` reads the bundled files under `ftzlist/lists/` plus any files or folders a user adds;
a declaration is checked against the law's vocabularies so an unknown id is an error that names
the nearest valid ids, never a silent miss.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from ftzlist.errors import InputError
from ftzlist.identifiers.masking import shown
from ftzlist.law import Law, ListSet, Vocabulary, nearest, parent_of
from ftzlist.law.scope import enclosing
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.instruments import Instruments, InstrumentsFile, citation_context, merge
from ftzlist.schema.lists import ListFile
from ftzlist.schema.vocabulary import VocabularyFile
from ftzlist.yamlio import STDIN, load_model, parse, read_text, validate

__all__ = [
    "BUNDLED",
    "INSTRUMENT_FILES",
    "Law",
    "ListSet",
    "Vocabulary",
    "bundled_instruments",
    "check_declaration",
    "check_list",
    "exemption_grounds",
    "load_declaration",
    "load_instruments",
    "load_law",
    "load_list_file",
    "nearest",
    "read_declaration",
    "registry_for",
]

BUNDLED = Path(__file__).parent / "lists"
INSTRUMENT_FILES = ("instruments.yaml", "instruments.yml")
"""File names of instrument registries: the bundled one, and one in any list folder a user adds."""


def _merge(files: list[tuple[str, VocabularyFile]]) -> Vocabulary:
    sections: dict[str, dict[str, object]] = {
        name: {}
        for name in ("categories", "subject_types", "sensitive_grounds", "sectors", "scenarios", "zones")
    }
    for where, vf in files:
        for name, table in sections.items():
            for entry in getattr(vf, name):
                if entry.id in table:
                    raise InputError(f"{name} id '{entry.id}' is defined twice", where=where)
                table[entry.id] = entry
    voc = Vocabulary(**sections)  # type: ignore[arg-type]
    problems = []
    for cat in voc.categories.values():
        parent = parent_of(cat.id)
        if parent and parent not in voc.categories:
            problems.append(f"category {cat.id}: parent {parent} is not defined")
        if cat.sensitive_ground and cat.sensitive_ground not in voc.sensitive_grounds:
            problems.append(f"category {cat.id}: unknown sensitive ground {cat.sensitive_ground}")
    for st in voc.subject_types.values():
        if st.may_fall_under and st.may_fall_under not in voc.sensitive_grounds:
            problems.append(f"subject type {st.id}: unknown sensitive ground {st.may_fall_under}")
    for sc in voc.scenarios.values():
        if sc.sector not in voc.sectors:
            problems.append(f"scenario {sc.id}: unknown sector {sc.sector}")
        elif not sc.id.startswith(sc.sector + "."):
            problems.append(f"scenario {sc.id}: id must start with its sector '{sc.sector}.'")
    for zone in voc.zones.values():
        if zone.within is not None and zone.within not in voc.zones:
            problems.append(f"zone {zone.id}: within names unknown zone '{zone.within}'")
        else:
            chain = enclosing(zone.id, voc)
            last = voc.zones.get(chain[-1])
            if last is not None and last.within in chain:
                problems.append(f"zone {zone.id}: within leads back to itself ({' -> '.join(chain)})")
    for sector in voc.sectors.values():
        for et in sector.enterprise_types:
            voc.enterprise_types[et.id] = sector.id
    if problems:
        raise InputError("vocabulary is inconsistent", problems=problems)
    return voc


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_instruments(paths: Iterable[Path] = ()) -> Instruments:
    """The bundled registry plus the registry files at `paths`."""
    return _instruments(tuple(dict.fromkeys(p.resolve() for p in paths)), bundled_instruments())


@cache
def bundled_instruments() -> Instruments:
    return _instruments(((BUNDLED / INSTRUMENT_FILES[0]).resolve(),), None)


def _instruments(files: tuple[Path, ...], base: Instruments | None) -> Instruments:
    if not files and base is not None:
        return base
    try:
        return merge(((str(p), load_model(InstrumentsFile, p)) for p in files), base)
    except ValueError as exc:
        raise InputError("instrument registries disagree", problems=str(exc).split("; ")) from None


def registry_for(path: Path, base: Instruments) -> Instruments:
    """`base` plus the `instruments.yaml` beside the list file at `path`, if there is one."""
    return _instruments(tuple(p.resolve() for p in _sibling_registries([Path(path)])), base)


def _sibling_registries(list_paths: Iterable[Path]) -> list[Path]:
    """The `instruments.yaml` next to each list file (a list folder may register its own)."""
    out = []
    for p in list_paths:
        for name in INSTRUMENT_FILES:
            if (p.parent / name).is_file():
                out.append(p.parent / name)
    return out


def _yaml_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml", ".json")))
        elif p.exists():
            out.append(p)
        else:
            raise InputError("file not found", where=str(p))
    return out


def load_list_file(path: Path, instruments: Instruments | None = None) -> tuple[ListFile, str]:
    """One list file and the SHA-256 of its text. Citations are checked against `instruments`
    (default: the bundled registry plus an `instruments.yaml` beside the file) and labelled."""
    instruments = registry_for(Path(path), bundled_instruments() if instruments is None else instruments)
    text = read_text(path)
    data = parse(text, str(path))
    lf = validate(ListFile, data, text, str(path), context=citation_context(data, instruments))
    return lf, _hash(text)


def check_list(lf: ListFile, voc: Vocabulary, where: str) -> list[str]:
    """Cross-references from a list to the vocabularies; each problem names the item."""
    problems: list[str] = []

    def need(kind: str, ids: Iterable[str] | None, table: dict, item: str) -> None:
        for i in ids or ():
            if i not in table:
                problems.append(f"{where}: {item}: unknown {kind} '{i}'{nearest(i, table)}")

    if lf.scope.zone:
        need("zone", [lf.scope.zone], voc.zones, "scope")
        zone = voc.zones.get(lf.scope.zone)
        if zone:
            need("area", lf.scope.areas, {a.id: a for a in zone.areas}, "scope")
    need("place", lf.scope.places, voc.zones, "scope.places")
    for s in lf.sectors:
        need("sector", [s.sector], voc.sectors, f"sector {s.sector}")
        need("enterprise type", s.enterprise_types, voc.enterprise_types, f"sector {s.sector}")
        need("scenario", s.scenarios, voc.scenarios, f"sector {s.sector}")
    items = list(lf.items) + ([lf.off_list] if lf.off_list else [])
    for it in items:
        need("sector", it.sectors, voc.sectors, f"item {it.id}")
        need("scenario", it.scenarios, voc.scenarios, f"item {it.id}")
        need("subject type", it.subjects, voc.subject_types, f"item {it.id}")
        need("category", it.categories, voc.categories, f"item {it.id}")
    for c in lf.catalogue:
        need("category", c.maps_to, voc.categories, f"catalogue {c.id}")
    return problems


def load_law(extra: Iterable[Path] = (), *, bundled: bool = True) -> Law:
    """The bundled vocabularies and lists, plus user-supplied list files or folders."""
    extra = tuple(Path(p) for p in extra)
    if bundled and not extra:
        return _bundled_law()
    return _load(extra, bundled)


@cache
def _bundled_law() -> Law:
    return _load((), True)


def _load(extra: tuple[Path, ...], bundled: bool) -> Law:
    vocab_files = _yaml_files([BUNDLED / "vocabulary"]) if bundled else []
    list_files = (
        [p for p in _yaml_files([BUNDLED]) if p.parent == BUNDLED and p.name not in INSTRUMENT_FILES]
        if bundled
        else []
    )
    registries: list[Path] = []
    for p in _yaml_files(extra):
        if p.name in INSTRUMENT_FILES:
            registries.append(p)
        elif p.parent.name == "vocabulary":
            vocab_files.append(p)
        else:
            list_files.append(p)
    instruments = load_instruments(
        registries + _sibling_registries(p for p in list_files if p.parent.resolve() != BUNDLED.resolve())
    )
    context = {"instruments": instruments}
    voc = _merge([(str(p), load_model(VocabularyFile, p, context=context)) for p in vocab_files])
    by_id: dict[str, ListFile] = {}
    hashes: dict[str, str] = {}
    paths: dict[str, Path] = {}
    problems: list[str] = []
    for p in list_files:
        lf, digest = load_list_file(p, instruments)
        if lf.id in by_id:
            raise InputError(f"list id '{lf.id}' is also defined in {paths[lf.id]}", where=str(p))
        problems.extend(check_list(lf, voc, str(p)))
        by_id[lf.id], hashes[lf.id], paths[lf.id] = lf, digest, p
    if problems:
        raise InputError("list files refer to unknown ids", problems=problems)
    return Law(vocabulary=voc, lists=ListSet(by_id, hashes, paths), instruments=instruments)


# Readers for other formats, by file suffix, as "module:function" so they are imported only when
# used. The function takes a Path and returns a Declaration (or raises InputError).
DECLARATION_READERS: dict[str, str] = {
    ".xlsx": "ftzlist.excel.inventory:read_inventory",
}


def read_declaration(path: Path) -> Declaration:
    if str(path) == STDIN:  # `-`: YAML or JSON on standard input
        return load_model(Declaration, path)
    target = DECLARATION_READERS.get(path.suffix.lower())
    if target is not None:
        module, _, func = target.partition(":")
        reader: Callable[[Path], Declaration] = getattr(importlib.import_module(module), func)
        return reader(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError("expected a .yaml, .yml or .json declaration", where=str(path))
    return load_model(Declaration, path)


def load_declaration(path: Path, law: Law) -> Declaration:
    """Read a declaration and check every id it uses against the law; all problems at once."""
    decl = read_declaration(path)
    problems = check_declaration(decl, law)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {path}", problems=[f"{path}: {p}" for p in problems])
    return decl


def exemption_grounds(law: Law) -> set[str]:
    return {e.ground for lf in law.lists for e in lf.exemptions}


def check_declaration(decl: Declaration, law: Law) -> list[str]:
    voc = law.vocabulary
    problems: list[str] = []

    def need(field_path: str, value: str | None, table: Iterable[str], kind: str) -> None:
        table = list(table)
        if value is not None and value not in table:
            # the value as `shown`: an identifier typed into the wrong field is not echoed back
            problems.append(f"{field_path}: unknown {kind} '{shown(value)}'{nearest(value, table)}")

    h = decl.handler
    need("handler.zone", h.zone, voc.zones, "zone")
    if h.area is not None:
        if h.zone is None:
            problems.append("handler.area: an area needs handler.zone")
        elif h.zone in voc.zones:
            need("handler.area", h.area, [a.id for a in voc.zones[h.zone].areas], f"area of {h.zone}")
    need("handler.sector", h.sector, voc.sectors, "sector")
    for i, filed in enumerate(h.filings):
        need(f"handler.filings[{i}]", filed, law.lists.by_id, "list")
    need("handler.enterprise_type", h.enterprise_type, voc.enterprise_types, "enterprise type")
    if (
        h.enterprise_type in voc.enterprise_types
        and h.sector
        and voc.enterprise_types[h.enterprise_type] != h.sector
    ):
        problems.append(
            f"handler.enterprise_type: '{h.enterprise_type}' belongs to sector "
            f"'{voc.enterprise_types[h.enterprise_type]}', not '{h.sector}'"
        )
    grounds = exemption_grounds(law)
    for i, f in enumerate(decl.flows):
        where = f"flows[{i}] ({shown(f.id)})"
        need(f"{where}.scenario", f.scenario, voc.scenarios, "scenario")
        need(f"{where}.exemption", f.exemption, grounds, "exemption ground")
        for j, d in enumerate(f.data):
            dwhere = f"{where}.data[{j}]"
            need(f"{dwhere}.category", d.category, voc.categories, "category")
            need(f"{dwhere}.subject", d.subject, voc.subject_types, "subject type")
    return problems
