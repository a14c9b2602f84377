"""Primary sources and quotes (data/sources-primary.ttl and the facts that cite it).

Plain rdflib over ontology/ + data/*.ttl (the session fixture `g` of tests/conftest.py).
"""

PREFIXES = """
PREFIX al:      <https://w3id.org/alliances/ontology#>
PREFIX e:       <https://w3id.org/alliances/id/>
PREFIX metric:  <https://w3id.org/alliances/metric/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema:  <https://schema.org/>
"""


def ask(g, body):
    return bool(g.query(PREFIXES + "ASK {" + body + "}").askAnswer)


def test_every_numeric_non_seed_fact_is_quoted(g):
    rows = list(g.query(PREFIXES + """
        SELECT DISTINCT ?f WHERE {
          { ?f a al:Partnership } UNION { ?f a al:Observation }
          ?f al:source ?s ;
             al:value|al:amount|al:amountMax|al:chipCount|al:chipCountMax|al:capacityGW|al:share|al:equityStake ?n .
          FILTER NOT EXISTS { ?f al:source ?ss . ?ss a al:SeedArticle }
          FILTER NOT EXISTS { ?f al:quote ?q }
        }"""))
    assert rows == [], [str(r[0]) for r in rows]


def test_primary_sources_are_complete(g):
    rows = list(g.query(PREFIXES + """
        SELECT ?s WHERE {
          ?s al:sourceType "primary" .
          FILTER NOT EXISTS { ?s dcterms:title ?t ; dcterms:publisher ?p ; dcterms:date ?d ; schema:url ?u }
        }"""))
    assert rows == [], [str(r[0]) for r in rows]


def test_synergy_q2_2024_release_beside_techradar(g):
    # Synergy's own release: "Their Q2 worldwide market shares were 32%, 23% and 12% respectively."
    assert ask(g, """e:obs-synergy-share-aws-q2-2024 al:source e:src-synergy-2024-q2-cloud-release ; al:value 32.0 .
                     e:obs-synergy-share-microsoft-q2-2024 al:source e:src-synergy-2024-q2-cloud-release ; al:value 23.0 .
                     e:src-synergy-2024-q2-cloud-release al:sourceType "primary" .""")
    # Google: the release says 12%, TechRadar 13% -> two observations, each with its own source
    assert ask(g, """e:obs-synergy-share-google-q2-2024-release al:value 12.0 ; al:metric metric:market-share ;
                         al:subject e:google-cloud ; al:period "Q2 2024" ; al:source e:src-synergy-2024-q2-cloud-release .
                     e:obs-synergy-share-google-q2-2024 al:value 13.0 ; al:period "Q2 2024" .""")
    assert not ask(g, "e:obs-synergy-share-google-q2-2024 al:source e:src-synergy-2024-q2-cloud-release .")


def test_company_releases_cited(g):
    # Nvidia Q2 FY2026 release: "Data Center revenue of $41.1 billion, up 5% from Q1 and up 56% from a year ago"
    assert ask(g, """e:obs-nvidia-dc-revenue-q2-fy2026 al:value 41100000000.0 ;
                         al:source e:src-globenewswire-2025-08-27-nvidia-q2-fy26 .""")
    # SoftBank: "to acquire all of the equity interests of Ampere for USD 6.5 billion"
    assert ask(g, """e:p-softbank-ampere-acquisition-2025 al:amount 6500000000.0 ;
                         al:source e:src-softbank-2025-03-20-ampere .""")
    # Nokia: "The transaction will see NVIDIA become a 2.90% shareholder of Nokia."
    assert ask(g, """e:p-nvidia-nokia-investment-2025 al:amount 1000000000.0 ; al:equityStake 0.029 ;
                         al:source e:src-nokia-2025-10-28-nvidia-investment .""")
