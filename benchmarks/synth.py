"""A synthetic alliance graph shaped like the real one, as Turtle on stdout (or -o FILE).

Power-law supplier degrees (a few giant suppliers: synth-0 is the biggest), supply
chains of depth 4-6 (tiers: apps -> labs -> clouds -> chip designers -> foundries ->
equipment), cycles of cross-investment, and every node valid against
ontology/shapes.ttl: entities with labels and sources, partnerships with one kind, two
parties (al:consumer/al:provider, al:investor/al:investee) and a source, sources with
title, publisher, date and schema:url.

Run: python benchmarks/synth.py --triples 100000 --seed 1 -o /tmp/synth-100k.ttl
"""

from __future__ import annotations

import argparse
import random
import sys

PREFIXES = """@prefix al: <https://w3id.org/alliances/ontology#> .
@prefix e: <https://w3id.org/alliances/id/> .
@prefix kind: <https://w3id.org/alliances/kind/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .

"""
# tier -> (class, kind of the deals where this tier is the provider)
TIERS = [("Application", "distribution"), ("ModelLab", "model-integration"),
         ("Hyperscaler", "cloud-compute"), ("ChipDesigner", "chip-supply"),
         ("Foundry", "foundry"), ("Company", "equipment-supply")]
ENTITY_TRIPLES, DEAL_TRIPLES, SOURCE_TRIPLES = 3, 7, 5


def generate(triples: int, seed: int = 0, out=sys.stdout) -> dict:
    rng = random.Random(seed)
    # per entity: 3 triples + ~3 deals of 8 + a source of 5 per 4 deals -> ~30 triples
    entities = max(30, triples // 30)
    deals_target = max(20, int((triples - entities * ENTITY_TRIPLES) / (DEAL_TRIPLES + SOURCE_TRIPLES / 4)))
    sources = max(5, deals_target // 4)
    tiers: list[list[int]] = [[] for _ in TIERS]
    # giant suppliers first: synth-0..4 sit in the chip, foundry and cloud tiers
    giants = [3, 4, 2, 3, 5]
    tier_of = {}
    for i in range(entities):
        t = giants[i] if i < len(giants) else min(len(TIERS) - 1, int(rng.paretovariate(1.2)) - 1)
        tier_of[i] = t
        tiers[t].append(i)
    # Zipf weights: the lower the index, the more deals as a provider
    weight = {i: 1.0 / (i + 1) ** 1.1 for i in range(entities)}
    w = out.write
    w(PREFIXES)
    for s in range(sources):
        y = rng.randint(2019, 2025)
        w(f'e:synth-src-{s} a al:Source ; dcterms:title "Synthetic report {s}" ; '
          f'dcterms:publisher "Synth Wire" ; dcterms:date "{y}-{rng.randint(1, 12):02d}"^^xsd:gYearMonth ; '
          f'schema:url "https://example.org/synth/{s}" .\n')
    for i in range(entities):
        cls = TIERS[tier_of[i]][0]
        src = rng.randrange(sources)
        w(f'e:synth-{i} a al:{cls} ; rdfs:label "Synth {i}" ; al:source e:synth-src-{src} .\n')
    providers_by_tier = [(ids, [weight[i] for i in ids]) for ids in tiers]
    made = 0
    count = 0
    while count < deals_target:
        consumer = rng.randrange(entities)
        t = tier_of[consumer]
        if rng.random() < 0.08:  # cross-investment, both ways: cycles
            other = rng.randrange(entities)
            if other == consumer:
                continue
            for a, b in ((consumer, other), (other, consumer)):
                w(f'e:synth-d{made} a al:Partnership ; rdfs:label "Synth investment {made}" ; '
                  f'al:kind kind:investment ; al:investor e:synth-{a} ; al:investee e:synth-{b} ; '
                  f'al:source e:synth-src-{rng.randrange(sources)} ; '
                  f'al:announced "{rng.randint(2015, 2025)}"^^xsd:gYear .\n')
                made += 1
                count += 1
            continue
        # depend on the next tier down (sometimes two down): chains of depth 4-6
        nt = min(len(TIERS) - 1, t + (1 if rng.random() < 0.85 else 2))
        ids, weights = providers_by_tier[nt]
        if nt == t or not ids:
            ids, weights = providers_by_tier[len(TIERS) - 1]
        provider = rng.choices(ids, weights)[0]
        if provider == consumer:
            continue
        w(f'e:synth-d{made} a al:Partnership ; rdfs:label "Synth deal {made}" ; '
          f'al:kind kind:{TIERS[nt][1]} ; al:consumer e:synth-{consumer} ; al:provider e:synth-{provider} ; '
          f'al:source e:synth-src-{rng.randrange(sources)} ; '
          f'al:announced "{rng.randint(2015, 2025)}"^^xsd:gYear .\n')
        made += 1
        count += 1
    return {"entities": entities, "deals": made, "sources": sources,
            "triples": sources * SOURCE_TRIPLES + entities * ENTITY_TRIPLES + made * 7}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            info = generate(args.triples, args.seed, out)
    else:
        info = generate(args.triples, args.seed, sys.stdout)
    print(f"synth: {info}", file=sys.stderr)


if __name__ == "__main__":
    main()
