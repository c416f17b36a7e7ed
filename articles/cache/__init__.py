"""The page cache: anonymous readers' pages, feeds and sitemaps answered at the WSGI edge, never
stale (see docs/architecture.md, "The page cache")."""
