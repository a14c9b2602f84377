"""Money, deal and power data (issue 14 s.5, issue 15 s.3): data/money.ttl,
data/deals-2025.ttl, data/power.ttl and the amounts added to existing deals.

Hand-checked values against the quoted sentences of the sources, plus structure
checks on every partnership of the three files. Plain rdflib over
ontology/alliances.ttl + data/*.ttl, without the `alliances` package.
"""

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, URIRef

ROOT = Path(__file__).resolve().parents[1]
AL = rdflib.Namespace("https://w3id.org/alliances/ontology#")
E = rdflib.Namespace("https://w3id.org/alliances/id/")
KIND = rdflib.Namespace("https://w3id.org/alliances/kind/")
DEP = rdflib.Namespace("https://w3id.org/alliances/dependency/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")

ROLES = (AL.consumer, AL.provider, AL.investee, AL.investor, AL.hosted, AL.host, AL.licensee,
         AL.licensor, AL.acquirer, AL.target, AL.reviewer, AL.reviewed, AL.member)
NEW_FILES = ("money.ttl", "deals-2025.ttl", "power.ttl")


# `g`: the ontology and every data file in one rdflib Graph (tests/conftest.py)


def one(g, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} {p}: {values}"
    return values[0]


def amount(g, pid, prop=AL.amount):
    return Decimal(str(one(g, E[pid], prop)))


# ------------------------------------------------------------------ hand-checked values

def test_openai_aws_38b(g):
    p = E["p-aws-openai-38b-2025"]
    assert one(g, p, AL.kind) == KIND["cloud-compute"]
    assert (p, AL.consumer, E.openai) in g and (p, AL.provider, E.aws) in g
    assert amount(g, "p-aws-openai-38b-2025") == Decimal("38000000000")
    assert str(one(g, p, AL.currency)) == "USD"


def test_microsoft_constellation_power_deal(g):
    p = E["p-constellation-microsoft-crane-2024"]
    assert one(g, p, AL.kind) == KIND.power
    assert (p, AL.provider, E["constellation-energy"]) in g
    assert (p, AL.consumer, E.microsoft) in g
    assert Decimal(str(one(g, p, AL.capacityGW))) == Decimal("0.835")
    assert (E["constellation-energy"], RDF.type, AL.EnergyCompany) in g


def test_other_power_capacities(g):
    expected = {"p-talen-amazon-susquehanna-2025": "1.92", "p-kairos-google-smr-2024": "0.5",
                "p-constellation-meta-clinton-2025": "1.121", "p-vistra-meta-2026": "2.176"}
    for pid, gw in expected.items():
        assert one(g, E[pid], AL.kind) == KIND.power
        assert Decimal(str(one(g, E[pid], AL.capacityGW))) == Decimal(gw), pid


def test_nvidia_coreweave_backstop_is_capacity_backstop(g):
    p = E["p-nvidia-coreweave-capacity-backstop-2025"]
    assert one(g, p, AL.kind) == KIND["capacity-backstop"]
    assert (p, AL.provider, E.nvidia) in g and (p, AL.consumer, E.coreweave) in g
    assert amount(g, "p-nvidia-coreweave-capacity-backstop-2025") == Decimal("6300000000")
    assert one(g, KIND["capacity-backstop"], AL.dependencyKind) == DEP.capital


def test_amd_openai_warrant_roles(g):
    p = E["p-amd-openai-warrant-2025"]
    assert one(g, p, AL.kind) == KIND.warrant
    assert (p, AL.investor, E.openai) in g and (p, AL.investee, E.amd) in g
    assert one(g, KIND.warrant, AL.dependencyKind) == DEP.capital
    assert (KIND.warrant, SKOS.inScheme, AL.PartnershipKinds) in g


def test_oracle_nvidia_40b_and_lambda_leaseback(g):
    assert amount(g, "p-nvidia-oracle-gb200-abilene-2025") == Decimal("40000000000")
    p = E["p-nvidia-oracle-gb200-abilene-2025"]
    assert (p, AL.consumer, E.oracle) in g and (p, AL.provider, E.nvidia) in g
    q = E["p-lambda-nvidia-leaseback-2025"]
    assert amount(g, "p-lambda-nvidia-leaseback-2025") == Decimal("1500000000")
    assert (q, AL.provider, E["lambda"]) in g and (q, AL.consumer, E.nvidia) in g


def test_existing_compute_amounts(g):
    assert amount(g, "p-microsoft-openai-azure-250b-2025") == Decimal("250000000000")
    assert amount(g, "p-oracle-openai-stargate-2025") == Decimal("300000000000")
    assert amount(g, "p-microsoft-anthropic-azure-2025") == Decimal("30000000000")
    assert amount(g, "p-nebius-microsoft-2025") == Decimal("17400000000")
    assert amount(g, "p-nebius-microsoft-2025", AL.amountMax) == Decimal("19400000000")
    assert amount(g, "p-coreweave-meta-2025", AL.amountMax) == Decimal("14200000000")
    # CoreWeave-OpenAI: up to $11.9B + $4B + up to $6.5B = $22.4B ("up to" amounts are al:amountMax, issue 15)
    total = (amount(g, "p-coreweave-openai-2025-03", AL.amountMax) + amount(g, "p-coreweave-openai-2025-05")
             + amount(g, "p-coreweave-openai-2025-09", AL.amountMax))
    assert total == Decimal("22400000000")


def test_intel_stakes(g):
    p = E["p-us-government-intel-stake-2025"]
    assert (p, AL.investor, E["us-government"]) in g and (p, AL.investee, E.intel) in g
    assert amount(g, "p-us-government-intel-stake-2025") == Decimal("8900000000")
    assert Decimal(str(one(g, p, AL.equityStake))) == Decimal("0.099")
    assert amount(g, "p-softbank-intel-investment-2025") == Decimal("2000000000")
    assert amount(g, "p-nvidia-intel-investment-2025") == Decimal("5000000000")


def test_acquihire_licences_are_licensing(g):
    for pid, licensee, licensor in [
        ("p-nvidia-groq-licensing-2025", "nvidia", "groq"),
        ("p-google-character-ai-licensing-2024", "google", "character-ai"),
        ("p-amazon-adept-licensing-2024", "amazon", "adept"),
        ("p-google-windsurf-licensing-2025", "google", "windsurf"),
    ]:
        p = E[pid]
        assert one(g, p, AL.kind) == KIND.licensing, pid
        assert (p, AL.licensee, E[licensee]) in g and (p, AL.licensor, E[licensor]) in g, pid
    assert amount(g, "p-google-windsurf-licensing-2025") == Decimal("2400000000")


def test_softbank_openai_split(g):
    """The $40B round is a round total; SoftBank's own $30B is its own partnership."""
    assert str(one(g, E["p-softbank-openai-40b-2025"], AL.amountScope)) == "round-total"
    p = E["p-softbank-openai-30b-2025"]
    assert list(g.objects(p, AL.investor)) == [E.softbank]
    assert amount(g, "p-softbank-openai-30b-2025") == Decimal("30000000000")
    assert not list(g.objects(p, AL.amountScope))


def test_multi_investor_amounts_are_round_totals(g):
    """Never credit one investor with a whole round: an investment or joint venture
    with an amount and several investors (or members) carries amountScope round-total."""
    for p in g.subjects(RDF.type, AL.Partnership):
        if not (list(g.objects(p, AL.amount)) or list(g.objects(p, AL.amountMax))):
            continue
        funders = set(g.objects(p, AL.investor)) | set(g.objects(p, AL.member))
        if len(funders) > 1:
            assert str(one(g, p, AL.amountScope)) == "round-total", p


def test_circular_financing_claims(g):
    claims = {c for c in g.subjects(AL.about, E.nvidia)
              if (c, RDF.type, AL.Claim) in g or (c, RDF.type, AL.Risk) in g or (c, RDF.type, AL.Trend) in g}
    ids = {str(c).rsplit("/", 1)[1] for c in claims}
    assert {"claim-ai-circular-deal-wheel", "claim-nvidia-openai-epitomizes-circularity",
            "claim-nvidia-backstops-coreweave"} <= ids
    c = E["claim-amd-pays-openai-to-be-customer"]
    assert {E.amd, E.openai} <= set(g.objects(c, AL.about))
    assert list(g.objects(c, AL.statement)) and list(g.objects(c, AL.quote))


# ------------------------------------------------------------------ structure

def _partnerships_of(name):
    graph = rdflib.Graph().parse(ROOT / "data" / name)
    return list(graph.subjects(RDF.type, AL.Partnership))


@pytest.mark.parametrize("name", NEW_FILES)
def test_new_partnerships_complete(g, name):
    parts = _partnerships_of(name)
    assert parts, name
    for p in parts:
        assert len(list(g.objects(p, AL.kind))) == 1, p
        parties = {o for r in ROLES for o in g.objects(p, r)}
        assert len(parties) >= 2, p
        sources = list(g.objects(p, AL.source))
        assert sources, p
        for s in sources:
            assert (s, RDF.type, AL.Source) in g or (s, RDF.type, AL.SeedArticle) in g, s
        assert list(g.objects(p, AL.announced)) or list(g.objects(p, AL.start)), p
        assert list(g.objects(p, AL.quote)), p
        for prop in (AL.amount, AL.amountMax):
            for v in g.objects(p, prop):
                assert v.datatype == rdflib.XSD.decimal, (p, prop)
                assert list(g.objects(p, AL.currency)), p


def test_power_file_only_power(g):
    for p in _partnerships_of("power.ttl"):
        assert one(g, p, AL.kind) == KIND.power
        assert list(g.objects(p, AL.capacityGW)), p
        provider = one(g, p, AL.provider)
        assert (provider, RDF.type, AL.EnergyCompany) in g, provider


def test_entities_defined_once():
    """Every entity defined (a + rdfs:label) in the new files is defined in no other file."""
    defined = {}
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        for s in set(graph.subjects(rdflib.RDFS.label, None)):
            if isinstance(s, URIRef) and str(s).startswith(str(E)) and list(graph.objects(s, RDF.type)):
                defined.setdefault(s, []).append(path.name)
    for s, files in defined.items():
        if any(f in NEW_FILES for f in files):
            assert len(files) == 1, (s, files)
