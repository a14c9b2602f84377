"""The catalog: what the graph holds, read through a store (stats, lists, one entity's
facts, lookup by id/label/alias, conflicting figures, SHACL validation, saved queries)."""
