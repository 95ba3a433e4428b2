"""Advisory records: the public pages and permalinks, and staff writing them (issue 12)."""
