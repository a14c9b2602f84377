"""Shares and customer concentration (data/shares.ttl, issue 15 section 1).

Plain rdflib: the graph is ontology/alliances.ttl + data/*.ttl, without the
`alliances` package. A few hand-checked values, each against the sentence it
was read from, and the completeness rules for every supply-share and
customer-share observation in the data.
"""

from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Literal, Namespace

ROOT = Path(__file__).resolve().parents[1]

AL = Namespace("https://w3id.org/alliances/ontology#")
E = Namespace("https://w3id.org/alliances/id/")
METRIC = Namespace("https://w3id.org/alliances/metric/")
DEP = Namespace("https://w3id.org/alliances/dependency/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")

SHARE_METRICS = (METRIC["supply-share"], METRIC["customer-share"])


# `g`: the ontology and every data file in one rdflib Graph (tests/conftest.py)


def share_observations(g, metric=None):
    metrics = (metric,) if metric else SHARE_METRICS
    return sorted({o for m in metrics for o in g.subjects(AL.metric, m)})


def find(g, subject, metric, counterparty, period):
    hits = [
        o for o in g.subjects(AL.subject, subject)
        if (o, AL.metric, metric) in g
        and (o, AL.counterparty, counterparty) in g
        and (o, AL.period, Literal(period)) in g
    ]
    assert len(hits) == 1, (subject, metric, counterparty, period, hits)
    return hits[0]


def value(g, obs):
    return g.value(obs, AL.value).toPython()


def sources(g, obs):
    return set(g.objects(obs, AL.source))


def quotes(g, obs):
    return " ".join(str(q) for q in g.objects(obs, AL.quote))


# ------------------------------------------------------------------ vocabulary

def test_share_terms_are_in_the_ontology(g):
    for term in (METRIC["supply-share"], METRIC["customer-share"]):
        assert (term, RDF.type, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in g
    for prop in (AL.counterparty, AL.counterpartyText, AL.basis):
        assert g.value(prop, RDFS.label) is not None
        assert g.value(prop, RDFS.comment) is not None


# ------------------------------------------------------------------ hand-checked values

def test_coreweave_microsoft_share_of_2024_revenue_is_62_from_the_s1(g):
    # "Surprisingly, Microsoft (MSFT) accounted for 62% of 2024 revenue, making it
    # CoreWeave's largest customer." (Aware Original, on the S-1)
    obs = find(g, E.coreweave, METRIC["customer-share"], E.microsoft, "2024")
    assert value(g, obs) == Decimal("62.0")
    assert str(g.value(obs, AL.unit)) == "percent"
    assert str(g.value(obs, AL.basis)) == "stated"
    assert E["src-coreweave-2025-03-424b4-prospectus"] in sources(g, obs)
    assert "sec.gov" in str(g.value(E["src-coreweave-2025-03-424b4-prospectus"], SCHEMA.url))
    assert "62%" in quotes(g, obs)


def test_microsoft_nvidia_share_is_derived_from_the_omdia_counts(g):
    counts = {
        supplier: value(g, find(g, E.microsoft, METRIC["chip-count"], supplier, "2024"))
        for supplier in (E.nvidia, E.amd, E.microsoft)
    }
    assert counts == {E.nvidia: Decimal("485000.0"), E.amd: Decimal("96000.0"),
                      E.microsoft: Decimal("200000.0")}
    obs = find(g, E.microsoft, METRIC["supply-share"], E.nvidia, "2024")
    assert str(g.value(obs, AL.basis)) == "derived"
    assert g.value(obs, AL.dependencyKind) == DEP.chips
    computed = 100 * counts[E.nvidia] / sum(counts.values())
    assert abs(value(g, obs) - computed) < Decimal("0.05")
    note = str(g.value(obs, AL.note))
    for cited in ("obs-microsoft-chips-nvidia-2024", "obs-microsoft-chips-amd-2024",
                  "obs-microsoft-chips-in-house-2024"):
        assert cited in note


def test_derived_supply_shares_of_one_buyer_add_up(g):
    for buyer in (E.microsoft, E.meta, E.amazon, E.google):
        shares = [
            value(g, o) for o in share_observations(g, METRIC["supply-share"])
            if g.value(o, AL.subject) == buyer and str(g.value(o, AL.period)) == "2024"
            and str(g.value(o, AL.basis)) == "derived"
        ]
        assert len(shares) >= 2, buyer
        assert abs(sum(shares) - 100) <= Decimal("0.2"), (buyer, shares)


def test_nvidia_fy2025_direct_customers_from_the_10k(g):
    # "Sales to direct Customers A, B and C represented 12%, 11% and 11% of total
    # revenue, respectively, for fiscal year 2025, ..."
    found = {}
    for obs in share_observations(g, METRIC["customer-share"]):
        if g.value(obs, AL.subject) == E.nvidia and "FY2025 (year ended" in str(g.value(obs, AL.period)):
            found[str(g.value(obs, AL.counterpartyText))] = value(g, obs)
            assert E["src-nvidia-2025-02-26-10k-fy2025"] in sources(g, obs)
            assert g.value(obs, AL.counterparty) is None
    assert found == {"Direct Customer A": Decimal("12.0"), "Direct Customer B": Decimal("11.0"),
                     "Direct Customer C": Decimal("11.0")}


def test_skhynix_h1_2025_major_customer_share_is_the_stated_amounts(g):
    obs = E["obs-skhynix-customer-share-major-h1-2025"]
    assert (obs, AL.subject, E["sk-hynix"]) in g
    # KRW 10.8906 trillion of KRW 39.8711 trillion
    assert abs(value(g, obs) - Decimal("100") * Decimal("10.8906") / Decimal("39.8711")) < Decimal("0.05")
    assert "10조8906억원" in quotes(g, obs) and "39조8711억원" in quotes(g, obs)
    assert "Nvidia" in str(g.value(obs, AL.note))


def test_synergy_q1_2025_cloud_shares(g):
    expected = {E.aws: Decimal("29.0"), E.microsoft: Decimal("22.0"), E["google-cloud"]: Decimal("12.0")}
    for subject, share in expected.items():
        hits = [o for o in g.subjects(AL.subject, subject)
                if (o, AL.metric, METRIC["market-share"]) in g
                and str(g.value(o, AL.period)) == "Q1 2025"]
        assert len(hits) == 1, subject
        assert value(g, hits[0]) == share
        assert E["src-srg-2025-05-01-cloud-q1"] in sources(g, hits[0])


def test_conflicting_tsmc_apple_2024_shares_stay_side_by_side(g):
    hits = sorted(
        value(g, o) for o in share_observations(g, METRIC["customer-share"])
        if g.value(o, AL.subject) == E.tsmc and g.value(o, AL.counterparty) == E.apple
        and str(g.value(o, AL.period)) == "2024"
    )
    assert hits == [Decimal("22.0"), Decimal("24.0")]


def test_market_shares_are_not_duplicated(g):
    seen = {}
    for obs in g.subjects(AL.metric, METRIC["market-share"]):
        key = (g.value(obs, AL.subject), g.value(obs, AL.arena), str(g.value(obs, AL.period)),
               str(g.value(obs, AL.qualifier)), tuple(sorted(sources(g, obs))))
        assert key not in seen, (obs, seen.get(key))
        seen[key] = obs


# ------------------------------------------------------------------ completeness rules

def test_every_share_observation_is_complete(g):
    observations = share_observations(g)
    assert len(observations) >= 40
    for obs in observations:
        assert (obs, RDF.type, AL.Observation) in g, obs
        assert g.value(obs, AL.subject) is not None, obs
        counterparty = g.value(obs, AL.counterparty)
        text = g.value(obs, AL.counterpartyText)
        assert (counterparty is None) != (text is None), f"{obs}: counterparty xor counterpartyText"
        if counterparty is not None:
            assert g.value(counterparty, RDFS.label) is not None, counterparty
        v = g.value(obs, AL.value)
        assert v is not None and Decimal("0") <= v.toPython() <= Decimal("100"), obs
        if g.value(obs, AL.valueMax) is not None:
            assert v.toPython() <= g.value(obs, AL.valueMax).toPython() <= Decimal("100"), obs
        assert str(g.value(obs, AL.unit)) == "percent", obs
        assert sources(g, obs), obs
        for src in sources(g, obs):
            for prop in (DCTERMS.title, DCTERMS.publisher, DCTERMS.date, SCHEMA.url):
                assert g.value(src, prop) is not None, (obs, src, prop)
        assert quotes(g, obs).strip(), obs
        basis = g.value(obs, AL.basis)
        assert basis is not None and str(basis) in {"stated", "estimated", "derived"}, obs
        if str(basis) == "estimated":
            assert (g.value(obs, AL.confidence) is not None
                    or (obs, AL.metric, METRIC["market-share"]) in g), obs
        if str(basis) == "derived":
            assert "Derived:" in str(g.value(obs, AL.note)), obs


def test_every_supply_share_names_its_dependency_kind(g):
    for obs in share_observations(g, METRIC["supply-share"]):
        kind = g.value(obs, AL.dependencyKind)
        assert kind is not None and str(kind).startswith(str(DEP)), obs


def test_chip_counts_by_supplier_are_sourced_and_quoted(g):
    for obs in g.subjects(AL.metric, METRIC["chip-count"]):
        if g.value(obs, AL.counterparty) is None:
            continue
        assert g.value(obs, AL.dependencyKind) == DEP.chips, obs
        assert sources(g, obs) and quotes(g, obs).strip(), obs
        assert g.value(obs, AL.value).toPython() > 0, obs
