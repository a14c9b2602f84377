"""Output: rows as text tables, JSON or CSV, and the offline HTML map."""
