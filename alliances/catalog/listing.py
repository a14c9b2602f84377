"""What the graph holds: counts (`stats`), listings (`list`) and one entity's facts (`show`).

>>> from alliances.store.memory import load
>>> s = stats(load())
>>> s.triples > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliances.catalog.resolve import ENTITY_CLASSES, EntityRef
from alliances.datavalues import date_text, number
from alliances.errors import AlliancesError
from alliances.store.base import Store
from alliances.timeline import active_as_of
from alliances.vocab import AL, GENERIC_CLASSES, iri_list, local_id, safe_iri

# Friendly names for `alliances list NAME`: plural words a user would type.
CLASS_ALIASES = {
    "entities": "Entity", "organizations": "Organization", "orgs": "Organization",
    "companies": "Company", "hyperscalers": "Hyperscaler", "labs": "ModelLab",
    "chip-designers": "ChipDesigner", "foundries": "Foundry", "memory-makers": "MemoryMaker",
    "neoclouds": "Neocloud", "investors": "Investor", "analysts": "Analyst",
    "regulators": "Regulator", "governments": "Government", "products": "Product",
    "hardware": "Hardware", "chips": "Chip", "gpus": "GPU", "tpus": "TPU",
    "accelerators": "Accelerator", "models": "Model", "platforms": "Platform",
    "clouds": "CloudPlatform", "frameworks": "AgentFramework", "protocols": "Protocol",
    "applications": "Application", "apps": "Application", "projects": "DataCenterProject",
    "partnerships": "Partnership", "deals": "Partnership", "observations": "Observation",
    "figures": "Observation", "claims": "Claim", "risks": "Risk", "trends": "Trend",
    "competitions": "Competition", "sources": "Source",
}


@dataclass
class Stats:
    triples: int
    entities_per_class: dict[str, int]
    partnerships_per_kind: dict[str, int]
    totals: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, int] = field(default_factory=dict)

    def rows(self) -> list[dict]:
        out = [{"section": "total", "name": "triples", "count": self.triples}]
        out += [{"section": "total", "name": k, "count": v} for k, v in self.totals.items()]
        out += [{"section": "coverage", "name": k, "count": v} for k, v in self.coverage.items()]
        out += [{"section": "class", "name": k, "count": v}
                for k, v in sorted(self.entities_per_class.items(), key=lambda kv: (-kv[1], kv[0]))]
        out += [{"section": "partnership kind", "name": k, "count": v}
                for k, v in sorted(self.partnerships_per_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
        return out


# The library's queries are constant text; a value goes in only as a checked <iri> (_iri)
# or in a VALUES clause (vocab.iri_list): user input never becomes query text. The
# restriction comes first in PARTNERSHIPS and OBSERVATIONS: Oxigraph then starts from the
# entity (show: 16 ms -> 5-8 ms each; rdflib 1.2 s -> 0.35 s for the figures).
COUNT_OF_CLASS = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* %s }"
COUNT_OF_PATTERN = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { %s }"
KIND_FILTER = "?p al:kind %s . "
PARTY_FILTER = "?p ?anyRole %s . ?anyRole rdfs:subPropertyOf+ al:party . "
SUBJECT_FILTER = "?o al:subject %s . "
METRIC_FILTER = "?o al:metric %s . "


def _iri(iri) -> str:
    """`iri` written as <iri> for a query; an IRI that cannot be written so is an error.

    >>> _iri("urn:x> } SERVICE <http://y")
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: not a valid IRI: 'urn:x> } SERVICE <http://y'
    """
    text = str(iri)
    if not text or not safe_iri(text):
        raise AlliancesError(f"not a valid IRI: '{text[:80]}'")
    return "<" + text + ">"


SCHEME_CONCEPTS = "SELECT ?c WHERE { ?c skos:inScheme %s }"


def concept(store: Store, scheme: str, value: str, what: str, option: str) -> str:
    """The IRI of the concept of the SKOS scheme al:`scheme` whose id is `value` (any case);
    an unknown value is an AlliancesError with a did-you-mean and the known ids.

    >>> from alliances.store.memory import load
    >>> concept(load(), "Metrics", "capex", "metric", "--metric")
    'https://w3id.org/alliances/metric/capex'
    >>> concept(load(), "Metrics", "capx", "metric", "--metric")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --metric: unknown metric 'capx'; did you mean 'capex'? (one of: ...)
    """
    import difflib

    concepts = {local_id(c): c for (c,) in store.values(SCHEME_CONCEPTS % _iri(AL[scheme]))
                if c is not None}
    key = value.strip()
    found = concepts.get(key) or {k.lower(): v for k, v in concepts.items()}.get(key.lower())
    if found:
        return found
    close = difflib.get_close_matches(key.lower(), sorted(concepts), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    known = ", ".join(sorted(concepts))
    raise AlliancesError(f"{option}: unknown {what} '{value[:80]}'{hint} (one of: {known})")


def _count(store: Store, cls: str) -> int:
    rows = store.select(COUNT_OF_CLASS % _iri(AL[cls]))
    return int(rows[0]["n"].toPython())


def stats(store: Store) -> Stats:
    """Triples, entities per asserted class, partnerships per kind and totals."""
    per_class = {
        local_id(r["class"]): int(r["n"].toPython())
        for r in store.select(
            "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class . "
            "?class rdfs:subClassOf* al:Entity } GROUP BY ?class")
    }
    per_kind = {
        local_id(r["kind"]): int(r["n"].toPython())
        for r in store.select(
            "SELECT ?kind (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a al:Partnership ; al:kind ?kind }"
            " GROUP BY ?kind")
    }
    totals = {name: _count(store, cls) for name, cls in [
        ("organizations", "Organization"), ("hardware", "Hardware"),
        ("models, platforms, protocols, applications", "Product"),
        ("data-center projects", "DataCenterProject"), ("partnerships", "Partnership"),
        ("observations", "Observation"), ("claims", "Claim"), ("competitions", "Competition"),
        ("sources", "Source")]}
    totals["models, platforms, protocols, applications"] -= totals["hardware"]
    return Stats(store.triple_count(), per_class, per_kind, totals, coverage(store))


# How much of the data can be joined to other datasets, and how much of it states shares.
# The organization classes are bound with VALUES (%(orgs)s): Virtuoso 7.2 once counted 1
# organization with a ticker instead of 40 for `?x a/rdfs:subClassOf* al:Organization ;
# schema:tickerSymbol ?t`, depending on the plan it chose.
ORGANIZATION_CLASSES = "SELECT ?c WHERE { ?c rdfs:subClassOf* al:Organization }"
COVERAGE = {
    "organizations with a Wikidata item": """VALUES ?c { %(orgs)s } ?x a ?c ; owl:sameAs ?w
        FILTER(STRSTARTS(STR(?w), "http://www.wikidata.org/entity/"))""",
    "organizations with a ticker": "VALUES ?c { %(orgs)s } ?x a ?c ; schema:tickerSymbol ?t",
    "organizations with an LEI": "VALUES ?c { %(orgs)s } ?x a ?c ; al:lei ?l",
    "partnerships with a stated share": "?x a al:Partnership ; al:share ?s",
    "supply-share figures": "?x al:metric metric:supply-share",
    "customer-share figures": "?x al:metric metric:customer-share",
    "market-share figures": "?x al:metric metric:market-share",
}


def coverage(store: Store) -> dict[str, int]:
    """Counts of identifiers and of stated shares (``alliances stats``, section coverage).

    >>> from alliances.store.memory import load
    >>> coverage(load())["organizations with a ticker"] > 20
    True
    """
    orgs = iri_list(c for (c,) in store.values(ORGANIZATION_CLASSES) if c) or "al:Organization"
    return {name: int(store.select(COUNT_OF_PATTERN % (pattern % {"orgs": orgs}))[0]["n"])
            for name, pattern in COVERAGE.items()}


def class_for(name: str, store: Store) -> str:
    """The ontology class local name for a user's word ('companies', 'GPU', 'ModelLab')."""
    key = name.strip().lower()
    if key in CLASS_ALIASES:
        return CLASS_ALIASES[key]
    classes = {local_id(r["c"]): r["c"] for r in store.select("SELECT ?c WHERE { ?c a owl:Class }")}
    for cls in classes:
        if cls.lower() == key or cls.lower() + "s" == key:
            return cls
    import difflib

    close = difflib.get_close_matches(key, list(CLASS_ALIASES) + [c.lower() for c in classes], n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise AlliancesError(f"no class '{name}'{hint}")


def _ids(value: str | None) -> list[str]:
    return sorted(local_id(v) for v in value.split(" ")) if value else []


PARTNERSHIPS = """
SELECT ?p ?label ?kind ?announced ?start ?end ?status ?amount ?currency ?share
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  %s
  ?p a al:Partnership ; rdfs:label ?label ; al:kind ?kind .
  OPTIONAL { ?p al:announced ?announced } OPTIONAL { ?p al:start ?start }
  OPTIONAL { ?p al:end ?end } OPTIONAL { ?p al:status ?status }
  OPTIONAL { ?p al:amount ?amount } OPTIONAL { ?p al:currency ?currency }
  OPTIONAL { ?p al:share ?share } OPTIONAL { ?p al:source ?src }
} GROUP BY ?p ?label ?kind ?announced ?start ?end ?status ?amount ?currency ?share
ORDER BY ?p
"""

PARTIES = """
SELECT ?p ?role ?party WHERE {
  ?p a al:Partnership ; ?role ?party .
  ?role rdfs:subPropertyOf+ al:party .
  %s
}
"""


def partnerships(store: Store, kind: str | None = None, as_of: str | None = None,
                 party: str | None = None) -> list[dict]:
    """Partnerships as rows: id, label, kind, parties by role, dates, amount, sources.

    Filtered by kind id (`investment`, or a dependency kind such as `chips` standing for
    every partnership kind of that dependency kind), date (`as_of`, YYYY-MM-DD) and a
    party IRI.
    """
    if kind:
        from alliances.catalog.kind_map import partnership_kinds_for

        kinds = partnership_kinds_for(store, [kind])
        if len(kinds) > 1:  # one query per kind: the rows are kept in the order of their ids
            rows = [r for k in kinds for r in partnerships(store, k, as_of, party)]
            return sorted(rows, key=lambda r: r["id"])
    restrict = ""
    if kind:
        restrict += KIND_FILTER % _iri(concept(store, "PartnershipKinds", kinds[0], "partnership kind",
                                               "--kind"))
    if party:
        restrict += PARTY_FILTER % _iri(party)
    roles: dict[str, dict[str, list[str]]] = {}
    for r in store.select(PARTIES % restrict):
        roles.setdefault(str(r["p"]), {}).setdefault(local_id(r["role"]), []).append(
            local_id(r["party"]))
    out = []
    for r in store.select(PARTNERSHIPS % restrict):
        r.update({k: date_text(store, r[k], r["p"], k) for k in ("announced", "start", "end")})
        if not active_as_of(r["announced"], r["start"], r["end"], as_of):
            continue
        parties = roles.get(str(r["p"]), {})
        out.append({
            "id": local_id(r["p"]), "label": str(r["label"]), "kind": local_id(r["kind"]),
            "parties": "; ".join(f"{role}: {', '.join(sorted(ids))}"
                                 for role, ids in sorted(parties.items())),
            "roles": {k: sorted(v) for k, v in sorted(parties.items())},
            "announced": r["announced"] and str(r["announced"]),
            "start": r["start"] and str(r["start"]), "end": r["end"] and str(r["end"]),
            "status": r["status"] and local_id(r["status"]),
            "amount": number(store, r["amount"], r["p"], "amount"),
            "currency": r["currency"] and str(r["currency"]),
            "share": number(store, r["share"], r["p"], "share"),
            "sources": _ids(r["sources"] and str(r["sources"])),
        })
    return out


OBSERVATIONS = """
SELECT ?o ?label ?subject ?metric ?value ?valueMax ?unit ?period ?qualifier ?asOf ?confidence
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources)
       (GROUP_CONCAT(DISTINCT STR(?seg); separator=" ") AS ?segment)
       (GROUP_CONCAT(DISTINCT STR(?ar); separator=" ") AS ?arena)
       (GROUP_CONCAT(DISTINCT STR(?cp); separator=" ") AS ?counterparty)
       (GROUP_CONCAT(DISTINCT STR(?dk); separator=" ") AS ?dependencyKind)
       (GROUP_CONCAT(DISTINCT STR(?fk); separator=" ") AS ?figureKind) WHERE {
  %s
  ?o a al:Observation ; al:subject ?subject ; al:metric ?metric ; al:value ?value ; al:unit ?unit .
  OPTIONAL { ?o rdfs:label ?label } OPTIONAL { ?o al:valueMax ?valueMax }
  OPTIONAL { ?o al:period ?period } OPTIONAL { ?o al:qualifier ?qualifier }
  OPTIONAL { ?o al:asOf ?asOf } OPTIONAL { ?o al:confidence ?confidence }
  OPTIONAL { ?o al:source ?src }
  OPTIONAL { ?o al:segment ?seg } OPTIONAL { ?o al:arena ?ar } OPTIONAL { ?o al:figureKind ?fk }
  OPTIONAL { { ?o al:counterparty ?cp } UNION { ?o al:counterpartyText ?cp } }
  OPTIONAL { ?o al:dependencyKind ?dk }
} GROUP BY ?o ?label ?subject ?metric ?value ?valueMax ?unit ?period ?qualifier ?asOf ?confidence
ORDER BY ?subject ?metric ?period ?o
"""


def observations(store: Store, subject: str | None = None, metric: str | None = None,
                 as_of: str | None = None) -> list[dict]:
    """Figures as rows: subject, metric, value (and upper bound), unit, period, sources."""
    restrict = ""
    if subject:
        restrict += SUBJECT_FILTER % _iri(subject)
    if metric:
        restrict += METRIC_FILTER % _iri(concept(store, "Metrics", metric, "metric", "--metric"))
    out = []
    for r in store.select(OBSERVATIONS % restrict):
        r["asOf"] = date_text(store, r["asOf"], r["o"], "asOf")
        if not active_as_of(r["asOf"], None, None, as_of):
            continue
        out.append({
            "id": local_id(r["o"]), "label": r["label"] and str(r["label"]),
            "subject": local_id(r["subject"]), "metric": local_id(r["metric"]),
            "value": number(store, r["value"], r["o"], "value"),
            "value_max": number(store, r["valueMax"], r["o"], "valueMax"),
            "unit": str(r["unit"]), "period": r["period"] and str(r["period"]),
            "qualifier": r["qualifier"] and str(r["qualifier"]),
            "as_of": r["asOf"] and str(r["asOf"]),
            "confidence": r["confidence"] and str(r["confidence"]),
            "sources": _ids(r["sources"] and str(r["sources"])),
            # what the figure is a figure of, beyond subject and metric: two figures that
            # differ here measure different things and are never a conflict
            "dimensions": tuple(" ".join(sorted(_ids(r[k] and str(r[k])))) for k in
                                ("segment", "arena", "counterparty", "dependencyKind")),
            "figure_kind": " ".join(sorted(_ids(r["figureKind"] and str(r["figureKind"])))) or None,
        })
    return out


ENTITIES = """
SELECT ?x ?label ?type (SAMPLE(?dev) AS ?developer) WHERE {
  ?x a ?type . ?type rdfs:subClassOf* %s .
  OPTIONAL { ?x rdfs:label ?label } OPTIONAL { ?x dcterms:title ?label }
  OPTIONAL { ?x al:developedBy ?dev }
} GROUP BY ?x ?label ?type ORDER BY ?x"""
ENTITY_ALIASES = """SELECT DISTINCT ?x ?alias WHERE {
  ?x a ?type . ?type rdfs:subClassOf* %s . ?x skos:altLabel ?alias }"""


def entities(store: Store, cls: str) -> list[dict]:
    """Entities (or partnerships, sources, claims...) of a class and its subclasses."""
    cls_iri = _iri(AL[cls])
    rows = store.select(ENTITIES % cls_iri)
    # aliases as rows, not joined into one string: any separator can occur in an alias
    aliases: dict[str, set[str]] = {}
    for r in store.select(ENTITY_ALIASES % cls_iri):
        aliases.setdefault(str(r["x"]), set()).add(str(r["alias"]))
    seen: dict[str, dict] = {}
    generic = GENERIC_CLASSES | {"Claim", "Source"}
    for r in rows:
        key = local_id(r["x"])
        row = seen.setdefault(key, {"id": key, "label": r["label"] and str(r["label"]),
                                    "class": local_id(r["type"]),
                                    "aliases": sorted(filter(None, aliases.get(str(r["x"]), ()))),
                                    "developer": r["developer"] and local_id(r["developer"])})
        if row["class"] in generic:
            row["class"] = local_id(r["type"])
    return list(seen.values())


@dataclass
class EntityReport:
    """Everything the graph says about one entity."""

    entity: EntityRef
    facts: list[dict]
    partnerships: list[dict]
    observations: list[dict]
    claims: list[dict]
    incoming: list[dict]
    dependencies: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"id": self.entity.id, "label": self.entity.label, "class": self.entity.cls,
                "facts": self.facts, "partnerships": self.partnerships,
                "observations": self.observations, "claims": self.claims,
                "referenced_by": self.incoming, "dependencies": self.dependencies}

    def sections(self) -> list[tuple[str, list[dict], list[str]]]:
        """(title, rows, columns) of each part, in the order `show` prints them."""
        return [
            ("facts", self.facts, ["property", "value"]),
            ("partnerships", self.partnerships,
             ["id", "kind", "role", "parties", "announced", "status", "sources"]),
            ("observations", self.observations,
             ["id", "metric", "value", "value_max", "unit", "period", "sources"]),
            ("claims", self.claims, ["id", "statement", "source"]),
            ("referenced by", self.incoming, ["id", "property"]),
            ("dependencies", self.dependencies, ["supplier", "kind", "share", "basis", "partnerships"]),
        ]


ENTITY_SOURCES = "SELECT ?s WHERE { %s al:source ?s } ORDER BY ?s"
ENTITY_FACTS = "SELECT ?p ?o WHERE { %s ?p ?o } ORDER BY ?p ?o"
ENTITY_CLAIMS = """SELECT DISTINCT ?c ?st ?src WHERE {
  ?c a/rdfs:subClassOf* al:Claim ; al:statement ?st ; al:source ?src .
  { ?c al:about %s } UNION { ?c al:affects %s } } ORDER BY ?c ?src ?st"""
ENTITY_INCOMING = """SELECT DISTINCT ?s ?p WHERE {
  VALUES ?class { %s } ?s ?p %s ; a ?class .
  FILTER(?p != al:subject) } ORDER BY ?p ?s"""


def show(store: Store, entity: EntityRef, as_of: str | None = None) -> EntityReport:
    """Facts about an entity with their sources, its partnerships in and out, its
    figures, the claims about it, and the entities that point at it."""
    iri = entity.iri
    one = _iri(iri)
    facts = []
    sources = [local_id(r["s"]) for r in store.select(ENTITY_SOURCES % one)]
    for r in store.select(ENTITY_FACTS % one):
        prop = local_id(r["p"])
        if prop == "source":
            continue
        facts.append({"property": prop, "value": local_id(r["o"]) if r["o"].__class__.__name__ ==
                      "URIRef" else str(r["o"]), "sources": sources})
    parts = partnerships(store, party=iri, as_of=as_of)
    for p in parts:
        p["role"] = ", ".join(sorted(role for role, ids in p["roles"].items() if entity.id in ids))
    claims = [{"id": local_id(r["c"]), "statement": str(r["st"]), "source": local_id(r["src"])}
              for r in store.select(ENTITY_CLAIMS % (one, one))]
    # The classes are bound with VALUES, not joined through rdfs:subClassOf*: Virtuoso 7.2
    # drops every row of `?s ?p <iri> . ?s a/rdfs:subClassOf* al:Entity` (variable ?p).
    classes = iri_list([c for (c,) in store.values(ENTITY_CLASSES)] + [str(AL.Partnership)])
    incoming = [{"id": local_id(r["s"]), "property": local_id(r["p"])}
                for r in store.select(ENTITY_INCOMING % (classes, one))]
    return EntityReport(entity, facts, parts, observations(store, subject=iri, as_of=as_of),
                        claims, incoming)


SOURCES = """
SELECT ?s ?title ?url ?publisher ?date WHERE {
  ?s a ?c . ?c rdfs:subClassOf* al:Source .
  OPTIONAL { ?s dcterms:title ?title } OPTIONAL { ?s schema:url ?url }
  OPTIONAL { ?s dcterms:publisher ?publisher } OPTIONAL { ?s dcterms:date ?date }
}
"""

def source_index(store) -> dict[str, dict]:
    """Source id -> {title, url, publisher, date} for tooltips and links."""
    out: dict[str, dict] = {}
    for row in store.select(SOURCES):
        info = out.setdefault(local_id(row["s"]), {})
        for key in ("title", "url", "publisher", "date"):
            if row[key] is not None and key not in info:
                info[key] = str(row[key])
    return out


def data_as_of(store, sources: dict[str, dict], today: str | None = None) -> tuple[str | None, list[str]]:
    """The latest source date not after `today` (what the page calls "data as of"), and
    the ids of the sources dated later (a typo such as 2099 must not date the page).
    A date that is not an ISO date is skipped (and reported once).

    >>> data_as_of(None, {"a": {"date": "2025-06"}, "b": {"date": "2099-01-01"}}, "2026-01-01")
    ('2025-06', ['b'])
    """
    import datetime as dt

    from alliances.datavalues import date_text
    from alliances.vocab import E

    today = today or dt.date.today().isoformat()
    latest, future = None, []
    for sid, info in sorted(sources.items()):
        date = date_text(store, info.get("date"), f"{E}{sid}", "dcterms:date")
        if date is None:
            continue
        if date[:10] > today:
            future.append(sid)
        elif latest is None or date > latest:
            latest = date
    return latest, future
