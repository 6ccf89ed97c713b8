"""Data from CRMs: pulling records into a snapshot folder (`pull`, `snapshot`)."""
