"""What the graph holds: counts (`stats`), listings (`list`) and one entity's facts (`show`).

>>> from alliances.store.memory import load
>>> s = stats(load())
>>> s.triples > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliances.catalog.resolve import EntityRef
from alliances.errors import AlliancesError
from alliances.store.base import Store
from alliances.timeline import active_as_of
from alliances.vocab import local_id

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

    def rows(self) -> list[dict]:
        out = [{"section": "total", "name": "triples", "count": self.triples}]
        out += [{"section": "total", "name": k, "count": v} for k, v in self.totals.items()]
        out += [{"section": "class", "name": k, "count": v}
                for k, v in sorted(self.entities_per_class.items(), key=lambda kv: (-kv[1], kv[0]))]
        out += [{"section": "partnership kind", "name": k, "count": v}
                for k, v in sorted(self.partnerships_per_kind.items(), key=lambda kv: (-kv[1], kv[0]))]
        return out


def _count(store: Store, cls: str) -> int:
    rows = store.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a/rdfs:subClassOf* al:{cls} }}")
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
    return Stats(store.triple_count(), per_class, per_kind, totals)


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
  ?p a al:Partnership ; rdfs:label ?label ; al:kind ?kind .
  OPTIONAL { ?p al:announced ?announced } OPTIONAL { ?p al:start ?start }
  OPTIONAL { ?p al:end ?end } OPTIONAL { ?p al:status ?status }
  OPTIONAL { ?p al:amount ?amount } OPTIONAL { ?p al:currency ?currency }
  OPTIONAL { ?p al:share ?share } OPTIONAL { ?p al:source ?src }
  %s
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

    Filtered by kind id (`investment`), date (`as_of`, YYYY-MM-DD) and a party IRI.
    """
    restrict = ""
    if kind:
        restrict += f"?p al:kind kind:{kind} . "
    if party:
        restrict += f"?p ?anyRole <{party}> . ?anyRole rdfs:subPropertyOf+ al:party . "
    roles: dict[str, dict[str, list[str]]] = {}
    for r in store.select(PARTIES % restrict):
        roles.setdefault(str(r["p"]), {}).setdefault(local_id(r["role"]), []).append(
            local_id(r["party"]))
    out = []
    for r in store.select(PARTNERSHIPS % restrict):
        if not active_as_of(r["announced"], r["start"], r["end"], as_of):
            continue
        parties = roles.get(str(r["p"]), {})
        out.append({
            "id": local_id(r["p"]), "label": str(r["label"]), "kind": local_id(r["kind"]),
            "parties": "; ".join(f"{role}: {', '.join(sorted(ids))}"
                                 for role, ids in sorted(parties.items())),
            "roles": {k: sorted(v) for k, v in parties.items()},
            "announced": r["announced"] and str(r["announced"]),
            "start": r["start"] and str(r["start"]), "end": r["end"] and str(r["end"]),
            "status": r["status"] and local_id(r["status"]),
            "amount": r["amount"] and float(r["amount"].toPython()),
            "currency": r["currency"] and str(r["currency"]),
            "share": r["share"] and float(r["share"].toPython()),
            "sources": _ids(r["sources"] and str(r["sources"])),
        })
    return out


OBSERVATIONS = """
SELECT ?o ?label ?subject ?metric ?value ?valueMax ?unit ?period ?qualifier ?asOf ?confidence
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  ?o a al:Observation ; al:subject ?subject ; al:metric ?metric ; al:value ?value ; al:unit ?unit .
  OPTIONAL { ?o rdfs:label ?label } OPTIONAL { ?o al:valueMax ?valueMax }
  OPTIONAL { ?o al:period ?period } OPTIONAL { ?o al:qualifier ?qualifier }
  OPTIONAL { ?o al:asOf ?asOf } OPTIONAL { ?o al:confidence ?confidence }
  OPTIONAL { ?o al:source ?src }
  %s
} GROUP BY ?o ?label ?subject ?metric ?value ?valueMax ?unit ?period ?qualifier ?asOf ?confidence
ORDER BY ?subject ?metric ?period ?o
"""


def observations(store: Store, subject: str | None = None, metric: str | None = None,
                 as_of: str | None = None) -> list[dict]:
    """Figures as rows: subject, metric, value (and upper bound), unit, period, sources."""
    restrict = ""
    if subject:
        restrict += f"?o al:subject <{subject}> . "
    if metric:
        restrict += f"?o al:metric metric:{metric} . "
    out = []
    for r in store.select(OBSERVATIONS % restrict):
        if not active_as_of(r["asOf"], None, None, as_of):
            continue
        out.append({
            "id": local_id(r["o"]), "label": r["label"] and str(r["label"]),
            "subject": local_id(r["subject"]), "metric": local_id(r["metric"]),
            "value": float(r["value"].toPython()),
            "value_max": r["valueMax"] and float(r["valueMax"].toPython()),
            "unit": str(r["unit"]), "period": r["period"] and str(r["period"]),
            "qualifier": r["qualifier"] and str(r["qualifier"]),
            "as_of": r["asOf"] and str(r["asOf"]),
            "confidence": r["confidence"] and str(r["confidence"]),
            "sources": _ids(r["sources"] and str(r["sources"])),
        })
    return out


def entities(store: Store, cls: str) -> list[dict]:
    """Entities (or partnerships, sources, claims...) of a class and its subclasses."""
    rows = store.select(f"""
        SELECT ?x ?label ?type (GROUP_CONCAT(DISTINCT STR(?alias); separator="|") AS ?aliases)
               (SAMPLE(?dev) AS ?developer) WHERE {{
          ?x a ?type . ?type rdfs:subClassOf* al:{cls} .
          OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x dcterms:title ?label }}
          OPTIONAL {{ ?x skos:altLabel ?alias }} OPTIONAL {{ ?x al:developedBy ?dev }}
        }} GROUP BY ?x ?label ?type ORDER BY ?x""")
    seen: dict[str, dict] = {}
    generic = {"Entity", "Organization", "Product", "Company", "Hardware", "Chip", "Platform",
               "Claim", "Source"}
    for r in rows:
        key = local_id(r["x"])
        row = seen.setdefault(key, {"id": key, "label": r["label"] and str(r["label"]),
                                    "class": local_id(r["type"]),
                                    "aliases": sorted(filter(None, str(r["aliases"] or "").split("|"))),
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


def show(store: Store, entity: EntityRef, as_of: str | None = None) -> EntityReport:
    """Facts about an entity with their sources, its partnerships in and out, its
    figures, the claims about it, and the entities that point at it."""
    iri = entity.iri
    facts = []
    sources = [local_id(r["s"]) for r in store.select(f"SELECT ?s WHERE {{ <{iri}> al:source ?s }}")]
    for r in store.select(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} ORDER BY ?p ?o"):
        prop = local_id(r["p"])
        if prop == "source":
            continue
        facts.append({"property": prop, "value": local_id(r["o"]) if r["o"].__class__.__name__ ==
                      "URIRef" else str(r["o"]), "sources": sources})
    parts = partnerships(store, party=iri, as_of=as_of)
    for p in parts:
        p["role"] = ", ".join(sorted(role for role, ids in p["roles"].items() if entity.id in ids))
    claims = [{"id": local_id(r["c"]), "statement": str(r["st"]), "source": local_id(r["src"])}
              for r in store.select(f"""SELECT DISTINCT ?c ?st ?src WHERE {{
                  ?c a/rdfs:subClassOf* al:Claim ; al:statement ?st ; al:source ?src .
                  {{ ?c al:about <{iri}> }} UNION {{ ?c al:affects <{iri}> }} }} ORDER BY ?c""")]
    incoming = [{"id": local_id(r["s"]), "property": local_id(r["p"])}
                for r in store.select(f"""SELECT DISTINCT ?s ?p WHERE {{
                    ?s ?p <{iri}> .
                    {{ ?s a/rdfs:subClassOf* al:Entity }} UNION {{ ?s a al:Partnership }}
                    FILTER(?p != al:subject) }} ORDER BY ?p ?s""")]
    return EntityReport(entity, facts, parts, observations(store, subject=iri, as_of=as_of),
                        claims, incoming, dependencies(store, entity.id, as_of))


def dependencies(store: Store, entity_id: str, as_of: str | None = None) -> list[dict]:
    """What the entity depends on in the dependency graph: supplier, kind, share of the
    entity's need of that kind, and the basis of that share (stated, remainder, amounts,
    market share, even split), with the partnerships behind it."""
    from alliances.graph.dependency import dependency_graph

    graph = dependency_graph(store, as_of=as_of, provenance=False)
    if entity_id not in graph:
        return []
    return [{"supplier": y, "kind": kind, "share": share, "basis": data["basis"][kind],
             "partnerships": data["kind_partnerships"].get(kind, [])}
            for y, data in sorted(graph.succ[entity_id].items())
            for kind, share in sorted(data["shares"].items())]
