"""Every fact of the five seed articles (shared/seeds/000..004) is in the shipped data.

One test per seed article: each check quotes the sentence it was read from and
asks the graph with SPARQL (rdflib). The data is loaded directly from
ontology/ + data/*.ttl, without the `alliances` package.
"""

from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PREFIXES = """
PREFIX al:      <https://w3id.org/alliances/ontology#>
PREFIX e:       <https://w3id.org/alliances/id/>
PREFIX kind:    <https://w3id.org/alliances/kind/>
PREFIX layer:   <https://w3id.org/alliances/layer/>
PREFIX arena:   <https://w3id.org/alliances/arena/>
PREFIX status:  <https://w3id.org/alliances/status/>
PREFIX metric:  <https://w3id.org/alliances/metric/>
PREFIX rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema:  <https://schema.org/>
PREFIX org:     <http://www.w3.org/ns/org#>
"""


# `g`: the ontology and every data file in one rdflib Graph (tests/conftest.py)


# ------------------------------------------------------------------ helpers

def ask(g, body):
    return bool(g.query(PREFIXES + "ASK {" + body + "}").askAnswer)


def select(g, query):
    return list(g.query(PREFIXES + query))


def src(seed):
    return f"e:src-seed-{seed:03d}"


def entity(g, eid, cls, seed=None):
    """Entity e:<eid> is defined (label) with class cls (or a subclass) and, if given, the seed as source."""
    body = f"e:{eid} rdf:type/rdfs:subClassOf* {cls} ; rdfs:label ?l ."
    if seed is not None:
        body += f" e:{eid} al:source {src(seed)} ."
    assert ask(g, body), f"entity e:{eid} ({cls}, seed {seed}) missing"


def fact(g, triple):
    assert ask(g, triple), f"missing: {triple}"


def observation(g, seed, subject, metric, value, value_max=None, unit=None, period=None,
                qualifier=None, confidence=None):
    """An observation of `metric` for `subject` with `value`, sourced to the seed."""
    rows = select(g, f"""
        SELECT ?o ?v ?vmax ?unit ?period ?q ?c WHERE {{
            ?o a al:Observation ; al:subject e:{subject} ; al:metric metric:{metric} ;
               al:value ?v ; al:unit ?unit ; al:source {src(seed)} .
            OPTIONAL {{ ?o al:valueMax ?vmax }}
            OPTIONAL {{ ?o al:period ?period }}
            OPTIONAL {{ ?o al:qualifier ?q }}
            OPTIONAL {{ ?o al:confidence ?c }}
        }}""")
    want = Decimal(str(value))
    hits = [r for r in rows if Decimal(str(r.v)) == want]
    assert hits, f"no observation {subject} {metric}={value} from seed {seed}: {[(str(r.o), r.v) for r in rows]}"
    hits = [r for r in hits
            if (value_max is None or (r.vmax is not None and Decimal(str(r.vmax)) == Decimal(str(value_max))))
            and (unit is None or str(r.unit) == unit)
            and (period is None or str(r.period) == period)
            and (qualifier is None or str(r.q) == qualifier)
            and (confidence is None or str(r.c) == confidence)]
    assert hits, f"observation {subject} {metric}={value} (seed {seed}) lacks max/unit/period/qualifier/confidence"
    return hits[0].o


def partnership(g, seed, kind, roles, status=None):
    """A partnership of `kind` sourced to the seed, with each (role, entity) pair."""
    body = f"?p a al:Partnership ; al:kind kind:{kind} ; al:source {src(seed)} ; al:quote ?q ."
    for role, ent in roles:
        body += f" ?p al:{role} e:{ent} ."
    if status:
        body += f" ?p al:status status:{status} ."
    rows = select(g, "SELECT ?p WHERE {" + body + "}")
    assert rows, f"no {kind} partnership {roles} from seed {seed}"
    return rows[0].p


def claim(g, seed, cid, cls="al:Claim", about=(), affects=(), claimed_by=()):
    body = f"e:{cid} rdf:type/rdfs:subClassOf* {cls} ; al:statement ?s ; al:source {src(seed)} ; al:quote ?q ."
    body += "".join(f" e:{cid} al:about e:{a} ." for a in about)
    body += "".join(f" e:{cid} al:affects e:{a} ." for a in affects)
    body += "".join(f" e:{cid} al:claimedBy e:{a} ." for a in claimed_by)
    assert ask(g, body), f"claim e:{cid} ({cls}) from seed {seed} incomplete"


def competition(g, seed, arena, competitors):
    body = f"?c a al:Competition ; al:arena arena:{arena} ; al:source {src(seed)} ."
    body += "".join(f" ?c al:competitor e:{x} ." for x in competitors)
    assert ask(g, body), f"no competition in {arena} among {competitors} from seed {seed}"


# ------------------------------------------------------------------ seed 000

def test_seed_000_alliance_capitalism(g):
    # "Amazon commits $125B+ CapEx in 2025 and $150B+ in 2026."
    observation(g, 0, "amazon", "capex", 125000000000, unit="USD", period="2025", qualifier="more-than")
    observation(g, 0, "amazon", "capex", 150000000000, unit="USD", period="2026", qualifier="more-than")

    # "Microsoft coordinates OpenAI investment with infrastructure ... buildout."
    partnership(g, 0, "investment", [("investor", "microsoft"), ("investee", "openai")])

    # "Google matches with comparable infrastructure spending."
    claim(g, 0, "claim-google-matches-infrastructure-spending", about=["google"])

    # "Combined, the three are investing over $400B in a single year on AI infrastructure."
    o = observation(g, 0, "hyperscalers", "capex", 400000000000, qualifier="more-than")
    fact(g, f"<{o}> al:note ?n . FILTER(CONTAINS(?n, 'three'))")
    fact(g, "e:hyperscalers a al:Consortium ; rdfs:label 'Big Tech hyperscalers' ; rdfs:comment ?c .")

    # "The reality is more nuanced: this is coordinated sector-wide infrastructure buildout ..."
    claim(g, 0, "claim-coordinated-buildout-not-competition", about=["hyperscalers"])
    # "Each company is betting that the total addressable market for AI agents will be large enough ..."
    claim(g, 0, "claim-agent-tam-justifies-all-three", about=["amazon", "microsoft", "google"])

    # "Amazon added 3.8 GW of power capacity in 12 months—more than any other cloud provider."
    observation(g, 0, "amazon", "power-capacity-added", 3.8, unit="GW", period="12 months")

    # "Project Rainier houses 500K Trainium2 chips scaling to 1M."
    observation(g, 0, "project-rainier", "chip-count", 500000, unit="chips")
    observation(g, 0, "project-rainier", "chip-count", 1000000, unit="chips", qualifier="projection")
    p = partnership(g, 0, "cloud-compute", [("provider", "aws"), ("consumer", "anthropic"),
                                            ("product", "project-rainier")])
    fact(g, f"<{p}> al:chipCount 500000.0 ; al:chipCountMax 1000000.0 .")
    fact(g, "e:project-rainier a al:DataCenterProject ; al:usesChip e:trainium2 ; al:developedBy e:aws .")

    # "Microsoft coordinates Azure AI infrastructure with OpenAI's compute needs."
    partnership(g, 0, "cloud-compute", [("provider", "microsoft"), ("consumer", "openai"),
                                        ("product", "microsoft-azure")])

    # "Google builds TPU v5/v6 and its Hypercomputer architecture."
    for chip, gen in [("tpu-v5", 5), ("tpu-v6", 6)]:
        entity(g, chip, "al:TPU", seed=0)
        fact(g, f"e:{chip} al:developedBy e:google ; al:memberOfFamily e:tpu ; al:generation {gen} .")
    fact(g, "e:tpu-v6 al:successorOf e:tpu-v5 .")
    entity(g, "google-hypercomputer", "al:System", seed=0)

    # "They cooperate on: building out raw infrastructure capacity, expanding power availability,
    #  developing AI safety standards."
    for kind in ("shared-infrastructure", "research"):
        partnership(g, 0, kind, [("member", "amazon"), ("member", "microsoft"), ("member", "google")])

    # "They compete on: who captures the most valuable agent use cases, developer mindshare,
    #  enterprise relationships, and model capabilities."
    for arena in ("agent-platforms", "developer-tools", "enterprise-ai", "foundation-models"):
        competition(g, 0, arena, ["amazon", "google", "microsoft"])

    # "Infrastructure is the ante; the agent layer is the prize."
    claim(g, 0, "claim-infrastructure-ante-agent-layer-prize")
    # "For enterprises, the question isn't whether to adopt AI agents—it's which platform to build on."
    claim(g, 0, "claim-enterprises-choose-agent-platform")

    # "Real-World Examples: Amazon Google Microsoft Nvidia Openai"
    for eid in ("amazon", "google", "microsoft", "nvidia", "openai"):
        entity(g, eid, "al:Company", seed=0)


# ------------------------------------------------------------------ seed 001

def test_seed_001_new_map_of_alliances(g):
    # "Microsoft, Google, Meta, and Amazon—longtime rivals in cloud, software, and advertising—
    #  are now entering strategic partnerships ..."
    competition(g, 1, "cloud", ["microsoft", "google", "meta", "amazon"])
    competition(g, 1, "search-ads", ["microsoft", "google", "meta", "amazon"])
    claim(g, 1, "claim-coopetition-web", cls="al:Trend")

    # "OpenAI, while backed heavily by Microsoft, continues to integrate AMD's chips alongside Nvidia's GPUs."
    partnership(g, 1, "investment", [("investor", "microsoft"), ("investee", "openai")])
    partnership(g, 1, "chip-supply", [("provider", "amd"), ("consumer", "openai")])
    partnership(g, 1, "chip-supply", [("provider", "nvidia"), ("consumer", "openai"), ("product", "nvidia-gpus")])

    # "Meta and Google have discussed shared infrastructure initiatives for open-source AI frameworks, while
    #  Microsoft cross-licenses technologies with Anthropic, despite both competing for enterprise AI dominance."
    partnership(g, 1, "shared-infrastructure", [("member", "meta"), ("member", "google")], status="in-talks")
    partnership(g, 1, "licensing", [("member", "microsoft"), ("member", "anthropic")])
    competition(g, 1, "enterprise-ai", ["microsoft", "anthropic"])

    # "According to Business Insider and Reuters, this convergence is driven by necessity more than choice.
    #  The demand for compute power ... has vastly outpaced global chip supply."
    claim(g, 1, "claim-compute-demand-outpaces-chip-supply", claimed_by=["business-insider", "reuters"])
    # "No single firm can independently sustain the capital intensity required to dominate AI."
    claim(g, 1, "claim-no-single-firm-sustains-capital-intensity")
    # "... it introduces structural risk: each firm becomes more vulnerable to supply chain shocks ..."
    claim(g, 1, "claim-coopetition-double-edged", cls="al:Risk")

    # "For example, if AMD or Nvidia were to face export restrictions, it could ripple across multiple AI
    #  ecosystems—from Microsoft Azure's model training to Meta's inference workloads."
    claim(g, 1, "claim-export-restrictions-ripple", cls="al:Risk", about=["nvidia", "amd"],
          affects=["microsoft-azure", "meta"])
    for supplier in ("nvidia", "amd"):
        partnership(g, 1, "chip-supply", [("provider", supplier), ("consumer", "microsoft"),
                                          ("product", "microsoft-azure")])
        partnership(g, 1, "chip-supply", [("provider", supplier), ("consumer", "meta")])

    # "... the Department of Justice's review of Microsoft's OpenAI ties, illustrates how regulators are
    #  increasingly wary of potential anti-competitive dependencies."
    fact(g, """e:p-doj-review-microsoft-openai a al:Partnership ; al:kind kind:regulatory-review ;
               al:reviewer e:doj ; al:reviewed e:microsoft , e:openai ; al:status status:under-review ;
               al:concerns e:p-microsoft-openai-investment ; al:source e:src-seed-001 .""")
    entity(g, "doj", "al:Regulator", seed=1)
    claim(g, 1, "claim-regulators-wary-anticompetitive-dependencies", cls="al:Risk", about=["doj"])

    # "Funds holding positions across these giants may unknowingly be concentrated in the same technological
    #  bottlenecks—particularly GPU access and data center capacity."
    claim(g, 1, "claim-investor-concentration-bottlenecks", cls="al:Risk")

    # "According to a McKinsey analysis, global AI infrastructure spending is projected to exceed $400 billion
    #  by 2030, with hyperscalers accounting for 70% of that investment."
    o = observation(g, 1, "ai-infrastructure-market", "market-spending", 400000000000, unit="USD",
                    period="2030", qualifier="projection")
    fact(g, f"<{o}> al:note ?n . FILTER(CONTAINS(?n, 'McKinsey'))")
    o = observation(g, 1, "hyperscalers", "market-share", 70, unit="percent", period="2030",
                    qualifier="projection")
    fact(g, f"<{o}> al:note ?n . FILTER(CONTAINS(?n, 'McKinsey'))")
    claim(g, 1, "claim-mckinsey-ai-infrastructure-2030", claimed_by=["mckinsey"])

    # "As such, partnerships between these hyperscalers are not purely strategic—they're existential."
    claim(g, 1, "claim-hyperscaler-partnerships-existential")
    # "Yet, this raises a sustainability dilemma: how long can cooperation last ..."
    claim(g, 1, "claim-cooperation-sustainability-dilemma", cls="al:Risk")

    # "Analysts at Goldman Sachs have warned that "AI alliances could become chokepoints," ..."
    claim(g, 1, "claim-goldman-alliances-chokepoints", cls="al:Risk", claimed_by=["goldman-sachs"])
    entity(g, "goldman-sachs", "al:Analyst", seed=1)
    entity(g, "mckinsey", "al:Analyst", seed=1)

    # Future Trends to Watch: localization, hardware diversification (Trainium, TPU),
    # regulatory intervention (U.S. and EU), capital expenditure decoupling.
    claim(g, 1, "claim-trend-ai-infrastructure-localization", cls="al:Trend")
    claim(g, 1, "claim-trend-hardware-diversification", cls="al:Trend", about=["trainium", "tpu"])
    claim(g, 1, "claim-trend-regulatory-intervention", cls="al:Trend")
    claim(g, 1, "claim-trend-capex-decoupling", cls="al:Trend")

    # "Firms overly reliant on a single partner or hardware ecosystem may face valuation compression ..."
    claim(g, 1, "claim-single-partner-reliance-valuation-risk", cls="al:Risk")
    # "In essence, the AI boom has become an ecosystem play, not a single-company race."
    claim(g, 1, "claim-ai-boom-ecosystem-play")


# ------------------------------------------------------------------ seed 002

def test_seed_002_full_stack_race(g):
    # "OpenAI, Nvidia, Google, and Amazon are shifting from focusing primarily on AI models to building
    #  full-stack AI infrastructure."
    claim(g, 2, "claim-full-stack-race", cls="al:Trend", about=["openai", "nvidia", "google", "amazon"])
    competition(g, 2, "ai-compute", ["openai", "nvidia", "google", "amazon"])

    # "Controlling the full AI stack lets these companies capture more economic value and lock in customers."
    claim(g, 2, "claim-full-stack-lock-in")
    # "... forces AI startups to pick alliances carefully."
    claim(g, 2, "claim-startups-pick-alliances")
    # "Nvidia benefits from growing demand for GPUs that power large models."
    claim(g, 2, "claim-nvidia-benefits-gpu-demand", about=["nvidia"])
    # "Amazon and Google leverage their cloud dominance to embed AI infrastructure deeply."
    claim(g, 2, "claim-amazon-google-leverage-cloud", about=["amazon", "google"])
    # "OpenAI's partnerships reflect the need for customized infrastructure ..."
    claim(g, 2, "claim-openai-custom-infrastructure", about=["openai"])
    # "Smaller players, especially startups without access to proprietary hardware or cloud scale, may struggle ..."
    claim(g, 2, "claim-startups-squeezed", cls="al:Risk")
    # "Customers face less choice between AI model providers that depend on the same underlying infrastructure ..."
    claim(g, 2, "claim-customers-less-choice", cls="al:Risk")
    # "Expect more exclusive partnerships or vertical integration moves ..."
    claim(g, 2, "claim-exclusive-partnerships-vertical-integration", cls="al:Trend")
    # "Regulators might scrutinize market concentration as infrastructure control tightens."
    claim(g, 2, "claim-regulators-scrutinize-concentration", cls="al:Risk")
    # "For businesses adopting AI, infrastructure choices will increasingly shape costs, performance, and flexibility."
    claim(g, 2, "claim-infrastructure-choice-shapes-costs")

    for eid in ("openai", "nvidia", "google", "amazon"):
        entity(g, eid, "al:Company", seed=2)


# ------------------------------------------------------------------ seed 003

def test_seed_003_orchestration_discontinuity(g):
    # "The hyperscalers' $400B+ AI capex surge in 2025 ..." (four: Meta, Google, Amazon, Microsoft)
    o = observation(g, 3, "hyperscalers", "capex", 400000000000, period="2025", qualifier="more-than")
    fact(g, f"<{o}> al:note ?n . FILTER(CONTAINS(?n, 'four'))")
    fact(g, "e:hyperscalers org:hasMember e:amazon , e:microsoft , e:google , e:meta .")
    claim(g, 3, "claim-capex-four-bets")
    claim(g, 3, "claim-orchestration-discontinuity", cls="al:Trend")

    # "Google raised its FY2025 capex guidance to $91-$93 billion, up from $85 billion one quarter prior,
    #  and $75 billion at the year's start."
    q3 = observation(g, 3, "google", "capex", 91000000000, value_max=93000000000, period="FY2025",
                     qualifier="guidance")
    q2 = observation(g, 3, "google", "capex", 85000000000, period="FY2025", qualifier="guidance")
    start = observation(g, 3, "google", "capex", 75000000000, period="FY2025", qualifier="guidance")
    fact(g, f"<{q3}> al:supersedes <{q2}> . <{q2}> al:supersedes <{start}> .")

    # "Microsoft reported a record $34.9 billion in capital expenditures for its fiscal first quarter
    #  (Q1FY2026, $80 billion in FY2025), a 74% year-over-year increase."
    observation(g, 3, "microsoft", "capex", 34900000000, period="Q1 FY2026", qualifier="record")
    observation(g, 3, "microsoft", "capex", 80000000000, period="FY2025")
    observation(g, 3, "microsoft", "capex-growth", 74, unit="percent", period="Q1 FY2026")
    # "CEO Satya Nadella announced plans to "roughly double our total data center footprint over the next 2 years.""
    observation(g, 3, "microsoft", "data-center-footprint", 2, unit="multiplier", qualifier="about")

    # "Amazon guided to $125 billion in full-year 2025 capex with expectations for further increases in 2026.
    #  The company's capex on AI infrastructure was $34.2bn in this quarter, bringing total YTD capex to $89.9bn."
    observation(g, 3, "amazon", "capex", 125000000000, period="2025", qualifier="guidance")
    observation(g, 3, "amazon", "capex", 34200000000, period="Q3 2025")
    observation(g, 3, "amazon", "capex", 89900000000)
    claim(g, 3, "claim-amazon-capex-increase-2026", claimed_by=["amazon"])

    # "Meta increased its outlook to $70-$72 billion while stating that "capital expenditures dollar growth
    #  will be notably larger in 2026 than 2025.""
    observation(g, 3, "meta", "capex", 70000000000, value_max=72000000000, qualifier="guidance")
    claim(g, 3, "claim-meta-capex-growth-2026", claimed_by=["meta"])

    # "... while AWS revenue grew 20.2% year-over-year and Google Cloud surged 34%, these impressive figures
    #  mask the reality that infrastructure is becoming table stakes."
    observation(g, 3, "aws", "revenue-growth", 20.2, unit="percent")
    observation(g, 3, "google-cloud", "revenue-growth", 34, unit="percent")
    claim(g, 3, "claim-infrastructure-table-stakes")
    claim(g, 3, "claim-custom-silicon-defense")

    # "Google's TPUs, now in their seventh generation with "Ironwood," have reached a maturity validated by
    #  Anthropic's recent commitment to utilize up to 1 million TPUs in a deal worth "tens of billions.""
    fact(g, "e:tpu-ironwood al:generation 7 ; al:memberOfFamily e:tpu ; al:developedBy e:google .")
    p = partnership(g, 3, "cloud-compute", [("consumer", "anthropic"), ("provider", "google-cloud")])
    fact(g, f"<{p}> al:chipCountMax 1000000.0 ; al:amountText 'tens of billions' ; "
            "al:announced '2025-10-23'^^xsd:date .")
    claim(g, 3, "claim-tpu-maturity-validated")

    # "Amazon's dual-pronged strategy relies on Trainium for training and Inferentia for inference, creating a
    #  "multi-billion-dollar business that grew 150% quarter over quarter," according to CEO Andy Jassy."
    observation(g, 3, "trainium", "growth-qoq", 150, unit="percent")
    fact(g, "e:inferentia al:developedBy e:aws . e:trainium2 al:memberOfFamily e:trainium .")

    # "Microsoft's Maia accelerator and Cobalt CPU represent their billion-dollar bet to escape the NVIDIA tax ..."
    entity(g, "maia", "al:Accelerator", seed=3)
    entity(g, "cobalt", "al:CPU", seed=3)
    claim(g, 3, "claim-microsoft-escape-nvidia-tax", about=["maia", "cobalt"], affects=["nvidia"])

    # "Amazon's "Project Rainier" alone contains nearly 500,000 Trainium2 chips built specifically to train
    #  Anthropic's next-generation Claude models."
    observation(g, 3, "project-rainier", "chip-count", 500000, qualifier="about")
    partnership(g, 3, "cloud-compute", [("provider", "aws"), ("consumer", "anthropic"), ("product", "trainium2")])
    fact(g, "e:claude al:usesChip e:trainium2 ; al:runsOn e:project-rainier ; al:developedBy e:anthropic .")

    # "Proprietary models like OpenAI's GPT series and Google's Gemini capture value through direct API
    #  monetization ... However, this approach suffers from "value leakage" ..."
    claim(g, 3, "claim-api-models-value-leakage", cls="al:Risk", about=["gpt", "gemini"])

    # "For example, Google's Gemini app has already amassed over 650 million monthly active users, while
    #  Microsoft's exclusive OpenAI partnership drives Azure AI revenue that's growing faster than the already
    #  impressive 26% cloud growth rate."
    observation(g, 3, "gemini-app", "users", 650000000, qualifier="more-than")
    partnership(g, 3, "model-integration", [("consumer", "microsoft"), ("provider", "openai"), ("product", "gpt")])
    # The 26% is Microsoft Cloud, not Azure (issue 15): stored on e:microsoft, segment:cloud.
    observation(g, 3, "microsoft", "revenue-growth", 26, unit="percent")
    observation(g, 3, "azure-ai", "revenue-growth", 26, qualifier="more-than")
    fact(g, "e:microsoft-copilot al:builtOn e:gpt . e:gemini-app al:builtOn e:gemini .")

    # "In contrast, Amazon Bedrock adopts a neutral, model-agnostic approach, hosting everything from
    #  Anthropic's Claude to Meta's Llama alongside their own Titan and Nova models ..."
    for model in ("claude", "llama", "titan", "nova"):
        partnership(g, 3, "model-hosting", [("host", "amazon-bedrock"), ("hosted", model)])
    claim(g, 3, "claim-bedrock-model-differentiation-temporary", about=["amazon-bedrock"])

    # "Meta's Llama strategy represents the antithesis: commoditize to dominate. By open-sourcing frontier models
    #  that now power applications for over 1.2 billion developers, Meta forces rivals to host its technology ..."
    claim(g, 3, "claim-llama-commoditize-to-dominate", about=["llama", "meta"])
    observation(g, 3, "llama", "developers", 1200000000, qualifier="more-than", confidence="low")
    # "... where a mere 5% improvement in content recommendation drives billions in incremental revenue."
    observation(g, 3, "meta", "engagement-change", 5, unit="percent")

    # "The Orchestration Mesh is the second battleground and, in my view, the ultimate prize."
    claim(g, 3, "claim-orchestration-is-the-prize")
    competition(g, 3, "agent-platforms", ["google", "microsoft", "amazon"])
    competition(g, 3, "agent-platforms", ["vertex-ai-agent-builder", "microsoft-agent-framework",
                                          "agents-for-amazon-bedrock", "langgraph"])

    # "Its Vertex AI Agent Builder, coupled with the open Agent2Agent (A2A) protocol introduced in April ...
    #  with the recent launch of the Agent Payments Protocol (AP2) ..."
    for eid, cls in [("vertex-ai-agent-builder", "al:AgentFramework"), ("a2a", "al:Protocol"), ("ap2", "al:Protocol")]:
        entity(g, eid, cls, seed=3)
        fact(g, f"e:{eid} al:layer layer:orchestration .")
    claim(g, 3, "claim-google-orchestration-open-standard", about=["a2a", "ap2"])

    # "Microsoft countered with its newly unified Agent Framework, merging the enterprise-grade Semantic Kernel
    #  SDK with the experimental AutoGen framework."
    fact(g, "e:microsoft-agent-framework al:successorOf e:semantic-kernel , e:autogen ; al:developedBy e:microsoft .")

    # "Amazon's Agents for Amazon Bedrock, built on the AgentCore platform, emphasizes reliability ..."
    fact(g, "e:agents-for-amazon-bedrock al:dependsOn e:bedrock-agentcore .")
    claim(g, 3, "claim-amazon-agents-installed-base")

    # "From a value standpoint, platform lock-in creates switching costs ..."
    claim(g, 3, "claim-orchestration-lock-in")
    # "... true interoperability remains limited - frameworks operate in silos ..."
    claim(g, 3, "claim-agent-frameworks-siloed", about=["autogen", "langgraph"])

    # "Google Search processes c.14 bn. queries daily, ... AI Overviews that have driven a >30% increase in
    #  user engagement with complex queries."
    observation(g, 3, "google-search", "queries-per-day", 14000000000, qualifier="about")
    observation(g, 3, "ai-overviews", "engagement-change", 30, unit="percent", qualifier="more-than")

    # "Microsoft 365 captures the entire knowledge work output of the Fortune 500, with Copilot usage doubling
    #  quarter-over-quarter."
    observation(g, 3, "microsoft-copilot", "growth-qoq", 2, unit="multiplier")

    # "Amazon.com records every browse, click, and purchase across a marketplace, generating $180.2 billion in
    #  quarterly revenue."
    observation(g, 3, "amazon", "revenue", 180200000000, unit="USD")

    # "Meta's platforms document the social graph of 3.4 billion humans, with AI-driven recommendations
    #  increasing time spent on Facebook by 5% and on Threads by 10% in Q3 alone."
    observation(g, 3, "meta", "users", 3400000000)
    observation(g, 3, "facebook", "engagement-change", 5, unit="percent", period="Q3 2025")
    observation(g, 3, "threads", "engagement-change", 10, unit="percent", period="Q3 2025")
    claim(g, 3, "claim-application-data-flywheel")
    claim(g, 3, "claim-meta-ai-ad-signals", about=["meta-ai"])

    # "Google's AI Overviews directly answer queries that once generated multiple ad clicks, yet the company
    #  maintains a 30.5% operating margin (for Q3 2025 ending September 30, 2025)."
    observation(g, 3, "google", "operating-margin", 30.5, unit="percent", period="Q3 2025")
    claim(g, 3, "claim-ai-overviews-cannibalization", cls="al:Risk", about=["ai-overviews"])
    # "Microsoft accepts near-term margin pressure from Copilot investments, betting on long-term lock-in."
    claim(g, 3, "claim-microsoft-copilot-margin-pressure")

    # "In the cloud era, infrastructure providers (AWS, Azure, GCP) captured value through consumption."
    competition(g, 3, "cloud", ["aws", "microsoft-azure", "google-cloud"])
    fact(g, "e:google-cloud skos:altLabel 'GCP' ; al:subsidiaryOf e:google . e:microsoft-azure skos:altLabel 'Azure' .")

    # Part 2: "Google: The Orchestration Maximalist / Microsoft: The Integration Incumbent /
    #  Amazon: The Orchestration Risk / Meta: The Consumer Superintelligence Wildcard"
    claim(g, 3, "claim-google-orchestration-maximalist", about=["google"])
    claim(g, 3, "claim-microsoft-integration-incumbent", about=["microsoft"])
    claim(g, 3, "claim-amazon-orchestration-risk", cls="al:Risk", about=["amazon"])
    claim(g, 3, "claim-meta-consumer-superintelligence-wildcard", about=["meta"])

    # The three layers: every company and product of the seed has a layer.
    rows = select(g, """SELECT ?x WHERE { ?x al:source e:src-seed-003 ;
                          rdf:type/rdfs:subClassOf* ?c . VALUES ?c { al:Hyperscaler al:ModelLab al:ChipDesigner al:Product }
                          FILTER NOT EXISTS { ?x al:layer ?l } }""")
    assert not rows, f"seed-003 entities without al:layer: {[str(r.x) for r in rows]}"


# ------------------------------------------------------------------ seed 004

def test_seed_004_amazon_power_structure(g):
    # "Amazon is the only hyperscaler with simultaneous leverage across infrastructure, middleware, and
    #  consumer distribution."
    claim(g, 4, "claim-amazon-only-full-leverage", about=["amazon"])
    # "Its AI strategy compounds: AWS builds the supply, Applied AI converts it into enterprise demand, ..."
    claim(g, 4, "claim-amazon-strategy-compounds")
    # "Mechanism: "Compute plus energy plus geography" becomes the real constraint in the AI era."
    claim(g, 4, "claim-compute-energy-geography-constraint")

    # "$115.9B annual CapEx" — conflicts with seed 003's $125B for 2025: both kept, this one low confidence.
    observation(g, 4, "amazon", "capex", 115900000000, unit="USD", period="2025", confidence="low")
    rows = select(g, """SELECT ?o WHERE { ?o al:subject e:amazon ; al:metric metric:capex ; al:period "2025" ;
                                           al:value 125000000000.0 }""")
    assert rows, "the conflicting $125B Amazon 2025 capex must stay side by side"

    # "3.8 gigawatts of new power"
    observation(g, 4, "amazon", "power-capacity-added", 3.8, unit="GW")
    # "500K Trainium2 chips"
    observation(g, 4, "project-rainier", "chip-count", 500000, unit="chips")
    # "Full NVIDIA GB200 integration"
    partnership(g, 4, "chip-supply", [("provider", "nvidia"), ("consumer", "aws"), ("product", "nvidia-gb200")])
    entity(g, "nvidia-gb200", "al:System", seed=4)
    # "Model-agnostic Bedrock support" / "Bedrock marketplace (multi-model abstraction)"
    entity(g, "amazon-bedrock", "al:Platform", seed=4)
    claim(g, 4, "claim-aws-default-operating-layer", about=["aws"])

    # "Quick Suite (80 percent time saved)"
    observation(g, 4, "quick-suite", "time-saved", 80, unit="percent")
    # "Kiro (100K+ developers)"
    observation(g, 4, "kiro", "developers", 100000, qualifier="more-than")
    # "Transform and Connect agents" / "AgentCore building blocks"
    for eid in ("amazon-transform", "amazon-connect", "bedrock-agentcore"):
        entity(g, eid, "al:Product", seed=4)
        fact(g, f"e:{eid} al:developedBy e:aws .")

    # "Rufus: 250M shoppers"
    observation(g, 4, "rufus", "users", 250000000, unit="users")
    # "Alexa+: 2x engagement"
    observation(g, 4, "alexa-plus", "engagement-change", 2, unit="multiplier")
    # "1.3M sellers using GenAI tooling"
    observation(g, 4, "amazon-com", "users", 1300000)
    # "Amazon controls the agent that controls the transaction."
    claim(g, 4, "claim-amazon-controls-transaction-agent")
    # "This is the most complete AI strategy ... in the industry"
    claim(g, 4, "claim-amazon-most-complete-ai-strategy")

    # "Real-World Examples: Amazon Nvidia Stripe Target" (no relation stated: entities only)
    entity(g, "stripe", "al:Company", seed=4)
    entity(g, "target", "al:Retailer", seed=4)


# ------------------------------------------------------------------ structure shared by all seeds

def test_reserved_entities_defined_with_layers_and_tickers(g):
    for eid, ticker in [("microsoft", "MSFT"), ("alphabet", "GOOGL"), ("amazon", "AMZN"), ("meta", "META"),
                        ("nvidia", "NVDA"), ("amd", "AMD")]:
        fact(g, f"e:{eid} al:ticker '{ticker}' .")
    for child, parent in [("google", "alphabet"), ("google-cloud", "google"), ("aws", "amazon")]:
        fact(g, f"e:{child} al:subsidiaryOf e:{parent} .")
    for eid, alias in [("aws", "AWS"), ("microsoft-azure", "Azure"), ("google-cloud", "Google Cloud Platform"),
                       ("meta", "Meta Platforms")]:
        fact(g, f"e:{eid} skos:altLabel '{alias}' .")
    # every product named by a seed has a developer and a layer
    rows = select(g, """SELECT DISTINCT ?x WHERE { ?x rdf:type/rdfs:subClassOf* al:Product ; al:source ?s .
                          ?s a al:SeedArticle .
                          FILTER (NOT EXISTS { ?x al:developedBy ?d } || NOT EXISTS { ?x al:layer ?l }) }""")
    assert not rows, [str(r.x) for r in rows]


def test_every_fact_has_a_source_and_every_source_is_complete(g):
    for cls in ("al:Partnership", "al:Observation", "al:Claim", "al:Competition"):
        rows = select(g, f"""SELECT ?x WHERE {{ ?x rdf:type/rdfs:subClassOf* {cls} .
                              FILTER NOT EXISTS {{ ?x al:source ?s }} }}""")
        assert not rows, f"{cls} without al:source: {[str(r.x) for r in rows]}"
        rows = select(g, f"""SELECT ?x ?s WHERE {{ ?x rdf:type/rdfs:subClassOf* {cls} ; al:source ?s .
                              FILTER NOT EXISTS {{ ?s rdf:type/rdfs:subClassOf* al:Source }} }}""")
        assert not rows, f"{cls} with an undefined source: {[(str(r.x), str(r.s)) for r in rows]}"
    rows = select(g, """SELECT ?s WHERE { ?s rdf:type/rdfs:subClassOf* al:Source .
                          FILTER (NOT EXISTS { ?s dcterms:publisher ?p } || NOT EXISTS { ?s dcterms:date ?d }) }""")
    assert not rows, f"sources without publisher or date: {[str(r.s) for r in rows]}"
    # seed facts carry the sentence they were read from
    rows = select(g, """SELECT ?x WHERE { ?x al:source ?s . ?s a al:SeedArticle .
                          { ?x a al:Partnership } UNION { ?x a al:Observation } UNION { ?x a al:Claim }
                          UNION { ?x a al:Risk } UNION { ?x a al:Trend } UNION { ?x a al:Competition }
                          FILTER NOT EXISTS { ?x al:quote ?q } }""")
    assert not rows, f"seed facts without al:quote: {[str(r.x) for r in rows]}"


def test_backlog_is_its_own_metric_not_revenue(shipped_store):
    """Regression: contracted backlog (Oracle RPO $455B, CoreWeave $55.6B) was stored as
    metric:revenue with a qualifier, so revenue queries mixed in money not yet earned."""
    mixed = shipped_store.select("""
        SELECT ?o WHERE { ?o al:metric metric:revenue ; al:qualifier ?q
                          FILTER(CONTAINS(LCASE(STR(?q)), "backlog")) }""")
    assert mixed == []
    backlog = {str(r["o"]).rsplit("/", 1)[-1]: float(r["v"].toPython()) for r in shipped_store.select(
        "SELECT ?o ?v WHERE { ?o al:metric metric:backlog ; al:value ?v }")}
    # more backlog figures may be added; these two must be there, with these values
    assert {k: backlog.get(k) for k in ("obs-oracle-rpo-q1-fy2026", "obs-coreweave-backlog-q3-2025")} == {
        "obs-oracle-rpo-q1-fy2026": 455e9, "obs-coreweave-backlog-q3-2025": 55.6e9}
