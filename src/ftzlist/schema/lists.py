"""The law as data: one `ListFile` per list version (the national baseline included).

A list says whom it binds (zone, areas, sectors, enterprise types), when, by what procedure, how
persons are counted, and its items: each item is one rule with a stable id, the data it catches,
the pathway it requires and a citation. The engine reads these; it knows no zone, sector or scenario.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ftzlist.schema.common import Citation, DataClass, Id, Pathway, Sensitivity, Status, Strict, Text

Level = Literal["override", "exemption", "zone", "base"]
"""Rank of an item. The national list's `precedence` orders the levels, strongest first."""

Marker = Literal["important_data", "core_data", "export_controlled"]
"""Facts a declared data item can carry (notified/published important data, national core data,
export-controlled technical data)."""

HoldingMetric = Literal["persons_pi", "persons_sensitive", "persons_sensitive_accounts_or_medical"]
"""What a handler holds, for important-data reference rules (e.g. Fujian Part B)."""


class Band(Strict):
    """A half-open range of persons: `min` <= n < `max` (max None = no upper bound)."""

    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.max is not None and self.max <= self.min:
            raise ValueError(f"band max {self.max} must be greater than min {self.min}")
        return self

    def contains(self, n: int) -> bool:
        return n >= self.min and (self.max is None or n < self.max)

    def __str__(self) -> str:
        hi = f"<{self.max:,}" if self.max is not None else "+"
        return f"{self.min:,}{hi}" if self.max is None else f"{self.min:,}–{hi}"


class Holding(Strict):
    """A handler-holdings condition: the handler holds at least `min` of `metric`."""

    metric: HoldingMetric
    min: int = Field(ge=1)


class Pooling(Strict):
    """Whose persons are summed toward an item's band, as the instrument states it.

    A regime's own counting rule, cited: CAC Order 11 Art. 4(3) counts "personal information of
    100,000 persons" of any kind, sensitive included; CBDF Art. 7(2) counts "personal information
    (not including sensitive personal information)". The engine sums the persons of the data items
    that meet the item's other conditions and whose PIPL Art. 28 sensitivity is one of
    `sensitivity` (data of open sensitivity is certain to count only when both are listed)."""

    sensitivity: list[Sensitivity] = Field(min_length=1, description="Sensitivities whose persons count.")
    citation: Citation
    reading: str | None = Field(None, description="Interpretation taken where the wording is open.")


class RowSource(Strict):
    """Where an item imported from a published table was read (`ftzlist lists import`): the SHA-256
    of the file (also in the list's `sources`), the sheet or Word table, and the row as numbered there."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    sheet: str = Field(min_length=1)
    row: int = Field(ge=1)


class Item(Strict):
    """One rule of a list. Every condition that is set must hold for the item to fire.

    How the engine reads an item (docs/list-format.md has the full account):
    - `data_class`, `sectors`, `scenarios`, `subjects`, `categories` (descendants match),
      `sensitivity`, `ciio`, `markers` and `holdings` are conditions on the declared data item, its
      flow and its handler. A condition on a fact the declaration leaves unknown makes the item
      `unknown`, and the flow `undetermined` unless something stricter already decides it.
    - `persons`: the band is tested against the persons summed over every declared data item (all
      flows of the handler) that meets the item's other conditions, leaving out flows whose
      exemption ground the list's counting rule excludes. Summing over-counts where persons overlap,
      never under-counts. `ftzlist count` supplies de-duplicated figures.
    - `catch_all`: considered only when no other item of the same list and data class catches the
      data item on everything but persons (a scenario-specific band below its floor leaves the data
      off the list; the catch-all does not pick it up).
    - `level`: `override` items apply whatever else applies; `exemption` is the flow's claimed
      ground; `zone` items apply to handlers the list binds, in place of the national `base` ladder.
    - `exclusive`: data the item catches is judged by it alone among the list's zone items (a bucket
      of its own, e.g. genetic data on the human-genetic-resources route); it is left out of every
      other item's count, and when a clearance lifts the item the data is off the list. On an
      `override` item (national core data, DSL Art. 21 / Fujian Art. 20; export-controlled data,
      Fujian Art. 22) it takes the data out of every list and ladder: no exemption, zone or base
      rule decides it, and no list duty (filing) attaches to it.
    - `group`: items on one person axis (e.g. tier 2 then tier 1 for one subject type); headroom is
      the distance to the next item of the group, and two items of one group firing at once with
      different pathways are reported as a conflict.
    """

    id: Id
    title: Text
    level: Level = "zone"
    pathway: Pathway
    data_class: DataClass | None = Field(None, description="Only data items of this class; None = any.")
    sectors: list[Id] | None = Field(None, description="Sectors the item is in; None = sector-independent.")
    scenarios: list[Id] | None = Field(None, description="Scenarios; None = every scenario of its sectors.")
    subjects: list[Id] | None = None
    categories: list[Id] | None = Field(None, description="Taxonomy ids; descendants match too.")
    sensitivity: Sensitivity | None = None
    persons: Band | None = None
    pooling: Pooling | None = Field(
        None,
        description="Whose persons count toward `persons` (national bands state it); None = the "
        "persons of data meeting every condition of the item, its sensitivity included.",
    )
    catch_all: bool = Field(
        False, description="Applies only when no specific item of the sector catches the data."
    )
    exclusive: bool = Field(
        False, description="Data it catches is judged by it alone among the list's zone items."
    )
    ciio: bool | None = None
    markers: list[Marker] = Field(default_factory=list)
    holdings: list[Holding] = Field(default_factory=list, description="Any one suffices.")
    lifted_by: list[Id] = Field(
        default_factory=list, description="Data-item clearances that lift it, e.g. hgr_cleared."
    )
    group: Id | None = Field(None, description="Band group: items on one person axis, for headroom.")
    citation: Citation
    note: str | None = None
    reading: str | None = Field(None, description="Interpretation taken where the source is ambiguous.")
    status: Status = "V"
    source: RowSource | None = Field(None, description="Provenance of an item imported from a table.")

    @model_validator(mode="after")
    def _pooling_has_band(self) -> Item:
        if self.pooling is not None and self.persons is None:
            raise ValueError(f"item {self.id}: pooling is set but the item has no persons band")
        return self


class GroundCondition(Strict):
    """One condition an exemption ground puts on the facts of the flow that claims it.

    Every field that is set is tested on each data item of the flow the condition is about
    (`about`: every item, or only its personal information); a flow-level field (`scenarios`) on
    the flow. A stated fact outside what the condition allows *contradicts* the ground: the engine
    decides the flow without it and warns, naming this condition, the fact and the citation. A fact
    the condition needs that the declaration leaves unstated makes the flow `undetermined`, with
    the answer without the ground as its lower bound, naming the fact.
    """

    id: Id
    text: Text = Field(description="What the ground requires, as the source says it.")
    about: Literal["all_data", "personal_information"] = Field(
        "personal_information", description="Which data items of the flow are tested."
    )
    subjects: list[Id] | None = Field(None, description="Subject types allowed; None = any.")
    subject_implied_by: list[Id] = Field(
        default_factory=list,
        description="Taxonomy ids (descendants too) whose data is by definition about an allowed "
        "subject type (employee HR records): an unstated subject is taken from them.",
    )
    scenarios: list[Id] | None = Field(None, description="Flow scenarios allowed; None = any.")
    if_unstated: Literal["undetermined", "asserted_by_claim"] = Field(
        "undetermined",
        description="A needed fact the declaration leaves out: `undetermined` (ask for it), or "
        "`asserted_by_claim` where the claim itself states it (the ground's name is the fact, e.g. "
        "HR management for the scenario); a stated fact is always tested.",
    )
    categories: list[Id] | None = Field(
        None, description="Taxonomy ids allowed (descendants too); None = any."
    )
    data_classes: list[DataClass] | None = Field(
        None, description="Data classes allowed (e.g. no personal information); None = any."
    )
    without_markers: list[Marker] = Field(
        default_factory=list, description="Markers that must not be set (e.g. notified important data)."
    )
    ciio: bool | None = Field(None, description="The handler's CIIO status the ground needs; None = any.")
    citation: Citation
    reading: str | None = Field(None, description="Interpretation taken where the source is open.")
    status: Status = "V"

    @model_validator(mode="after")
    def _tests_something(self) -> GroundCondition:
        if not (
            self.subjects is not None
            or self.scenarios is not None
            or self.categories is not None
            or self.data_classes is not None
            or self.without_markers
            or self.ciio is not None
        ):
            raise ValueError(
                f"condition {self.id} tests nothing: set subjects, scenarios, categories, "
                "data_classes, without_markers or ciio"
            )
        return self


class Exemption(Strict):
    """An exemption ground a flow may claim (CBDF Arts. 3, 4, 5(1)-(3)), with its conditions.

    `covers`: the data the ground exempts (all the flow's data, or only its personal information).
    `conditions`: what the facts must show for the ground to apply (`GroundCondition`)."""

    id: Id
    ground: Id
    name: Text
    covers: Literal["all_data", "personal_information"]
    conditions: list[GroundCondition] = Field(default_factory=list)
    citation: Citation
    reading: str | None = Field(
        None, description="What the claim itself is taken to assert (facts no declaration field carries)."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _unique_conditions(self) -> Exemption:
        dupes = sorted(i for i, n in Counter(c.id for c in self.conditions).items() if n > 1)
        if dupes:
            raise ValueError(f"exemption {self.id}: duplicate condition ids: {', '.join(dupes)}")
        return self


class StepOutcome(Strict):
    """One kind of answer an authority's step may give (e.g. the Fujian area's Art. 12(2) opinion:
    within the list, off the list, the list does not apply). `id` is the register's outcome word
    (ftzlist.filings.lifecycle.OUTCOMES); `guides_to` lists the pathways the answer sends the
    handler to, of which the opinion must name one; `may_export` says whether the answer alone
    lets the data flow (under the guide)."""

    id: Id
    name: Text
    guides_to: list[Pathway] = Field(default_factory=list)
    may_export: bool = False
    citation: Citation


StepRole = Literal[
    "preparation",
    "application",
    "notice",
    "review",
    "filing",
    "opinion",
    "export",
    "update",
    "request",
]
"""What a procedure step is, typed so the register never reads meaning from step ids:
`preparation` (a self-assessment, an impact assessment, a commitment, a contract taking effect),
`application` (the application or declaration that opens a proceeding), `notice` (an authority's
notice of its review), `review` (a completeness check, an acceptance), `filing` (the handler files
the content: a filing, a post-export report), `opinion` (the authority's answer or assessment
result), `export` (the export itself, recorded as an export), `update` (a later update of the
filing), `request` (a right the handler may use, e.g. re-evaluation)."""


class Step(Strict):
    """A step of a procedure. `after` names the step (or event) whose day starts the count.
    `role` says what the step is (`StepRole`); the register finds the filing and opinion steps,
    and the application recorded when a proceeding opens, by role."""

    id: Id
    name: Text
    actor: Literal["handler", "authority"]
    role: StepRole | None = Field(
        None, description="What the step is; the register finds filing/opinion/application steps by it."
    )
    after: Id | None = None
    working_days: int | None = Field(None, ge=1, description="Within this many working days after `after`.")
    before_export: bool = False
    optional: bool = Field(
        False, description="A right, not a duty (e.g. a re-evaluation request): a window, never overdue."
    )
    outcomes: list[StepOutcome] = Field(
        default_factory=list, description="The kinds of answer an authority's step gives (opinion kinds)."
    )
    citation: Citation


class IncidentDuty(Strict):
    """The duty to report a data-export security incident (e.g. Fujian measures Art. 15: take
    remedial measures and report at once to the area implementing agency; PIPL Art. 57 / DSL
    Art. 29 nationally). `working_days` None = at once: due the day the incident is discovered.
    `reading` states the interpretation taken where the text is unclear."""

    report_to: Text
    working_days: int | None = Field(None, ge=1, description="None = at once (the day it is discovered).")
    reading: str | None = None
    citation: Citation


class Validity(Strict):
    years: int = Field(ge=1)
    from_step: Id
    citation: Citation


class Renewal(Strict):
    working_days_before_expiry: int = Field(ge=1)
    extends_years: int | None = None
    citation: Citation


ChangeKind = Literal[
    "purpose",
    "method",
    "scope",
    "data_types",
    "sensitivity",
    "recipient",
    "recipient_environment",
    "control",
    "storage_place",
    "storage_period",
    "legal_documents",
    "volume",
    "band",
    "pathway",
    "non_material",
]
"""What a change trigger covers, typed so the register never reads meaning from trigger ids:
`band` is a filed figure crossing a person band of the list, `pathway` a change of the flow's
pathway, `non_material` the simplified-change route itself (Fujian Art. 13)."""


class ChangeTrigger(Strict):
    """A change to a filed flow; `material` ones need a fresh application."""

    id: Id
    name: Text
    material: bool
    covers: list[ChangeKind] = Field(
        min_length=1, description="The kinds of change this trigger covers (`ftzlist.filings.changes`)."
    )
    citation: Citation


class AgencyOrder(Strict):
    """A measure the receiving agency may order after a consistency spot-check (e.g. Fujian Art. 16:
    suspend exports, rectify within a deadline, re-apply, terminate with key supervision).
    `needs_deadline`: the order carries a date by which the handler must comply."""

    id: Id
    name: Text
    needs_deadline: bool = False
    serious: bool = False
    citation: Citation


class AgencyReport(Strict):
    """A report the agency owes upward: `every_months` for a periodic report (Fujian Art. 17)."""

    to: Text
    every_months: int | None = Field(None, ge=1, le=12)
    citation: Citation


class AgencyDesk(Strict):
    """The other side of a procedure: the body that receives applications, filings or reports
    (a zone area's implementing agency, a zone's service centre). `addressed_to: area` routes a
    proceeding to one of the list's `scope.areas`; `zone` to the zone's single desk."""

    name: Text
    addressed_to: Literal["area", "zone"]
    opinion_filed_with: AgencyReport | None = None
    incident_report: AgencyReport | None = None
    periodic_report: AgencyReport | None = None
    spot_checks: Citation | None = None
    orders: list[AgencyOrder] = Field(default_factory=list)
    citation: Citation


class Procedure(Strict):
    """How a pathway or the use of a list is carried out, in working days on the PRC calendar."""

    id: Id
    name: Text
    model: Literal[
        "pre_export_filing",
        "post_export_report",
        "security_assessment",
        "standard_contract_filing",
        "certification",
    ]
    serves: list[Pathway] = Field(
        description="Pathways (or list use, as `exempt`) this procedure carries out."
    )
    steps: list[Step]
    validity: Validity | None = None
    renewal: Renewal | None = None
    changes: list[ChangeTrigger] = Field(default_factory=list)
    agency: AgencyDesk | None = Field(None, description="Who receives the proceeding on the other side.")
    incident: IncidentDuty | None = Field(
        None, description="The incident duty the list attaches to a proceeding under this procedure."
    )
    citation: Citation

    @model_validator(mode="after")
    def _one_step_per_role(self) -> Procedure:
        once = ("application", "filing", "opinion", "export")
        for role in once:
            ids = [s.id for s in self.steps if s.role == role]
            if len(ids) > 1:
                raise ValueError(f"procedure {self.id}: more than one '{role}' step: {', '.join(ids)}")
        return self

    def step_for(self, role: StepRole) -> Step | None:
        """The step playing `role` in this procedure, or None when the list names none."""
        return next((s for s in self.steps if s.role == role), None)

    def trigger_for(self, kind: ChangeKind) -> ChangeTrigger | None:
        """The first change trigger that covers `kind`, or None when the list names none."""
        return next((t for t in self.changes if kind in t.covers), None)


class CountingRule(Strict):
    unit: Literal["natural_person"] = "natural_person"
    deduplicated: bool = True
    window: Literal["current_year", "previous_and_current_year"]
    excluded_exemptions: list[Id] = Field(default_factory=list, description="Exemption ids not counted.")
    citation: Citation


class Obligation(Strict):
    """A duty that attaches to a kind of export (e.g. separate consent), or, with `pathways` and
    dates, a transition duty (e.g. CAC Order 11 Art. 20: exports under way brought into line
    within six months). It applies to a data item when `when` holds, its pathway is one of
    `pathways` (None = any), and the decision's day lies in `shown_from`..`shown_until`."""

    id: Id
    text: Text
    when: Literal["personal_information", "sensitive_personal_information", "list_relied_on", "any"]
    pathways: list[Pathway] | None = Field(None, description="Only data needing one of these; None = any.")
    shown_from: dt.date | None = Field(
        None, description="First decision day it applies on; None = the list's."
    )
    shown_until: dt.date | None = Field(
        None, description="Last decision day it applies on; None = the list's."
    )
    due: dt.date | None = Field(None, description="Deadline the duty must be met by (shown in decisions).")
    reading: str | None = Field(None, description="Interpretation taken (e.g. how a period is counted).")
    citation: Citation

    def applies_on(self, day: dt.date) -> bool:
        """Whether a decision made on `day` carries the duty (its `shown_from`..`shown_until`)."""
        return (self.shown_from is None or self.shown_from <= day) and (
            self.shown_until is None or day <= self.shown_until
        )


class SectorScope(Strict):
    """A sector the list covers, with the enterprise types it binds and those it excludes."""

    sector: Id
    enterprise_types: list[Id] | None = Field(None, description="None = every type of the sector.")
    excludes: list[Text] = Field(default_factory=list, description="What the sector entry leaves out.")
    scenarios: list[Id] | None = Field(None, description="Scenarios named by the list; None = all.")
    notes: list[Text] = Field(default_factory=list)
    citation: Citation


class CatalogueEntry(Strict):
    """An important-data catalogue entry (e.g. Fujian Part B: 13 categories, 40 sub-categories)."""

    id: Id
    number: int | None = None
    category: Text
    subcategory: Text
    examples: Text
    maps_to: list[Id] = Field(default_factory=list, description="Taxonomy ids this entry identifies.")
    citation: Citation


class Coverage(Strict):
    """How much of the official text is encoded. Parts not encoded make dependent flows undetermined."""

    complete: bool
    missing: list[MissingPart] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Coverage:
        if self.complete and self.missing:
            raise ValueError("coverage.complete is true but parts are listed as missing")
        return self


class MissingPart(Strict):
    """A part of the official text that is not encoded. A data item it could affect (its sector and
    data class) cannot be called lighter than security assessment: it is `undetermined`."""

    id: Id
    description: str
    sectors: list[Id] | None = Field(None, description="Sectors whose flows it affects; None = all.")
    data_classes: list[DataClass] | None = Field(None, description="Data classes it affects; None = all.")
    affects_pathways: bool = Field(
        True, description="False for parts that set no pathway (e.g. purpose, supervision)."
    )


ReadingPoint = Literal["first_day", "catalogue_scope", "zone_band_stricter", "catch_all_floor"]
"""Where the engine chooses between readings the text leaves open (issue 10 §5):
- `first_day`: sources give two first days in force (`effective_from_dates`); between them the
  stricter of "in force" and "not yet in force" is given;
- `catalogue_scope`: whether the list's important-data catalogue binds handlers of the zone in
  sectors the list does not cover;
- `zone_band_stricter`: a band of the list that binds the handler asks more than the national
  ladder would for the same data, and the list's band is applied;
- `catch_all_floor`: a band of the list for the data's own subject (or scenario) catches it on all
  but persons, its count is below that band's floor, and a catch-all band of the list whose range
  holds the count is not applied: the data is off the list."""


class Reading(Strict):
    """A reading the list takes where the text is open, named (by `id`) in every decision that relies
    on it: in the flow's `readings` (JSON) and its notes (table)."""

    id: Id
    point: ReadingPoint
    text: Text
    status: Status = "V"


class DatedSource(Strict):
    """A date one source gives (e.g. for the first day in force), with the source and its tag."""

    date: dt.date
    source: str = Field(min_length=1)
    status: Status = "V"


class Source(Strict):
    title: str
    url: str | None = None
    status: Status = "V"
    sha256: str | None = Field(
        None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file read (an imported table)."
    )


class Scope(Strict):
    """Whom the list binds (issue 17 §7; `ftzlist.law.scope` reads it).

    - Place: handlers registered in `zone` (only in its `areas` when given; None = nationwide),
      and in each of `places` or a place within one (a whole city, a park beside the zone).
    - Sectors: `listed` binds only the sectors of the list's `sectors` entries; `all` binds every
      sector (a category-based list), the `sectors` entries then only adding notes and citations.
    """

    zone: Id | None = Field(None, description="The list's own zone (its issuer's); None = nationwide.")
    areas: list[Id] | None = Field(None, description="Areas of `zone` bound; None = the whole zone.")
    places: list[Id] = Field(
        default_factory=list,
        description="Further places bound whole (zone vocabulary ids: a city, a park, another zone).",
    )
    sectors: Literal["listed", "all"] = Field(
        "listed", description="`all`: every sector is bound (a category-based list)."
    )
    citation: Citation | None = Field(None, description="The provision setting the scope.")
    description: Text

    @model_validator(mode="after")
    def _places(self) -> Scope:
        if self.places and self.zone is None:
            raise ValueError("scope.places needs scope.zone (a nationwide list binds every place)")
        if self.zone is not None and self.zone in self.places:
            raise ValueError(f"scope.places repeats the list's own zone '{self.zone}'")
        dupes = sorted(p for p, n in Counter(self.places).items() if n > 1)
        if dupes:
            raise ValueError(f"scope.places names {', '.join(dupes)} twice")
        return self


class FilingGate(Strict):
    """A positive list whose free flow starts only once the handler's filing of the list is
    recorded (Lingang: "在完成备案后"). Until then the list lightens nothing: the flow gets the rest
    of the law's answer plus the duty to file (`procedure`), and the reading is stated."""

    procedure: Id = Field(description="The list's procedure that carries out the filing.")
    citation: Citation
    reading: str | None = Field(None, description="Interpretation taken where the source is ambiguous.")
    status: Status = "V"


class ListFile(Strict):
    id: Id = Field(description="Stable id of this version, e.g. fujian-ftz-2025.")
    family: Id = Field(description="Editions of one list share a family, e.g. fujian-ftz.")
    kind: Literal["national", "negative_list", "positive_list"]
    title: Text
    issuers: list[Text]
    issued: dt.date | None = None
    effective_from: dt.date
    effective_to: dt.date | None = Field(None, description="Last day in force; None = open.")
    effective_from_dates: list[DatedSource] = Field(
        default_factory=list,
        description="When sources disagree on the first day in force: every date a source gives. "
        "`effective_from` is the latest of them (certainly in force); between the earliest and it the "
        "engine takes the stricter answer of 'in force' and 'not yet in force' and says why.",
    )
    trial_until: dt.date | None = None
    legal_basis: list[str] = Field(
        default_factory=list, description="Instrument ids (instruments.yaml) the list rests on."
    )
    scale: str | None = None
    scope: Scope
    filing_required: FilingGate | None = Field(
        None,
        description="Positive lists: relied on only once the handler's filing of the list is recorded "
        "(`handler.filings`).",
    )
    sources: list[Source]
    last_checked_on: dt.date | None = Field(
        None,
        description="Day the encoding was last checked against its sources; `ftzlist lists` and "
        "`ftzlist due` remind when that is more than 12 months ago (or never recorded).",
    )
    status: Status = "V"
    coverage: Coverage
    precedence: list[Level] | None = Field(None, description="National list only: levels, strongest first.")
    counting: CountingRule | None = None
    off_list: Item | None = Field(
        None, description="What data in a covered sector that no item catches gets."
    )
    references_other_lists: Citation | None = Field(
        None, description="Handlers may rely on other zones' lists."
    )
    sectors: list[SectorScope] = Field(default_factory=list)
    exemptions: list[Exemption] = Field(default_factory=list)
    items: list[Item]
    obligations: list[Obligation] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    incident: IncidentDuty | None = Field(
        None,
        description="The incident duty binding every handler while the list is in force (national list);"
        " a zone procedure's own duty is added to it.",
    )
    catalogue: list[CatalogueEntry] = Field(default_factory=list)
    provisions: list[Provision] = Field(default_factory=list)
    readings: list[Reading] = Field(
        default_factory=list, description="Readings the engine names where it chooses (one per point)."
    )

    @field_validator("legal_basis")
    @classmethod
    def _known_instruments(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        registry = (info.context or {}).get("instruments")
        if registry is not None:
            registry.check_ids(ids)
        return ids

    @model_validator(mode="after")
    def _check(self) -> ListFile:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.effective_from_dates:
            latest = max(d.date for d in self.effective_from_dates)
            if latest != self.effective_from:
                raise ValueError(
                    f"effective_from {self.effective_from} must be the latest of effective_from_dates ({latest})"
                )
        if self.filing_required is not None:
            if self.kind != "positive_list":
                raise ValueError("filing_required is for positive lists (free flow after a filing)")
            if self.filing_required.procedure not in {p.id for p in self.procedures}:
                raise ValueError(
                    f"filing_required.procedure '{self.filing_required.procedure}' is not a procedure of the list"
                )
        if self.kind == "national" and self.scope.sectors == "all":
            raise ValueError("scope.sectors: all is for zone lists (the national list binds every handler)")
        if self.scope.sectors == "all":
            narrowed = [
                s.sector for s in self.sectors if s.enterprise_types is not None or s.scenarios is not None
            ]
            if narrowed:
                raise ValueError(
                    "scope.sectors is all (every sector bound whole) but sector entries narrow it: "
                    + ", ".join(narrowed)
                )
        points = Counter(r.point for r in self.readings)
        twice = sorted(p for p, n in points.items() if n > 1)
        if twice:
            raise ValueError(f"more than one reading for: {', '.join(twice)}")
        if self.effective_from_dates and "first_day" not in points:
            raise ValueError(
                "effective_from_dates gives disputed first days: add a reading with `point: first_day` saying "
                "which answer is given between them"
            )
        ids = Counter(
            [i.id for i in self.items] + [e.id for e in self.exemptions] + [r.id for r in self.readings]
        )
        dupes = sorted(i for i, n in ids.items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate item ids: {', '.join(dupes)}")
        return self

    def reading_on(self, point: str) -> Reading | None:
        """The list's reading at a choice point (`ReadingPoint`), if it states one."""
        return next((r for r in self.readings if r.point == point), None)

    def in_force(self, day: dt.date) -> bool:
        """Certainly in force on `day` (from the latest first day any source gives)."""
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def in_force_disputed(self, day: dt.date) -> bool:
        """In force on `day` according to some sources but not others (`effective_from_dates`)."""
        earliest = min((d.date for d in self.effective_from_dates), default=self.effective_from)
        return earliest <= day < self.effective_from


class Provision(Strict):
    """An article or part of an instrument, kept for reference (not itself a rule). Rules that
    encode it point at it with `citation.provision`; the list's reading document is built from
    those links (article -> items -> readings)."""

    id: Id
    instrument: str = Field(min_length=1, description="Instrument id from instruments.yaml.")
    ref: str
    title: Text
    summary: Text
    status: Status = "V"

    @model_validator(mode="before")
    @classmethod
    def _known_instrument(cls, data: Any, info: ValidationInfo) -> Any:
        registry = (info.context or {}).get("instruments")
        if registry is not None and isinstance(data, dict) and isinstance(data.get("instrument"), str):
            registry.check_ids([data["instrument"]])
        return data


Coverage.model_rebuild()
ListFile.model_rebuild()
