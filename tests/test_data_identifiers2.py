"""Identifiers added in the second pass (data/identifiers.ttl, branch data-ids2): organizations added
with the 2025 deals, power and money data. Plain rdflib over ontology/alliances.ttl + data/*.ttl."""

from pathlib import Path

import pytest
from rdflib import OWL, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
AL = Namespace("https://w3id.org/alliances/ontology#")
E = Namespace("https://w3id.org/alliances/id/")
SCHEMA = Namespace("https://schema.org/")
WD = "http://www.wikidata.org/entity/"


# `g`: the ontology and every data file in one rdflib Graph (tests/conftest.py)


def test_apple_identifiers(g):
    assert g.value(E.apple, OWL.sameAs) == URIRef(WD + "Q312")
    assert Literal("NASDAQ:AAPL") in set(g.objects(E.apple, SCHEMA.tickerSymbol))
    assert g.value(E.apple, AL.lei) == Literal("HWUPKR0MPOU8FGXBT394")


@pytest.mark.parametrize("org, qid", [
    ("cisco", "Q173395"), ("blackrock", "Q219635"), ("sequoia-capital", "Q1852025"),
    ("andreessen-horowitz", "Q4034010"), ("us-government", "Q48525"), ("groq", "Q126050137"),
])
def test_second_pass_wikidata_items(g, org, qid):
    assert g.value(E[org], OWL.sameAs) == URIRef(WD + qid)


def test_power_companies_tickers_and_vistra_lei(g):
    tickers = {org: {str(t) for t in g.objects(E[org], SCHEMA.tickerSymbol)}
               for org in ("constellation-energy", "vistra", "talen-energy", "oklo")}
    assert tickers == {"constellation-energy": {"NASDAQ:CEG"}, "vistra": {"NYSE:VST"},
                       "talen-energy": {"NASDAQ:TLN"}, "oklo": {"NYSE:OKLO"}}
    assert g.value(E.vistra, AL.lei) == Literal("549300KP43CPCUJOOG15")


def test_blackrock_lei_left_out_after_2024_reorganisation(g):
    assert g.value(E.blackrock, AL.lei) is None


def test_nokia_qid_is_flagged_as_not_fully_verified(g):
    assert g.value(E.nokia, OWL.sameAs) == URIRef(WD + "Q1418")
    assert Literal("identifier not verified offline") in set(g.objects(E.nokia, AL.note))
