"""CRM sources: mappings that turn a CRM's files into kpilang's five tables, and `kpilang pull`.

Nothing below this package knows that a CRM exists: a mapped table reaches the data checks as a
raw table of text cells, numbered by the CRM file's own rows, exactly as kpilang's own files do.
"""
