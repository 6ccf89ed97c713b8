"""CRM sources: mappings that turn a CRM's files into kpilang's five tables (mapping, records,
transforms, people, convert, source), and pulling a CRM's records into a snapshot folder (pull,
snapshot).

Nothing below this package knows that a CRM exists: a mapped table reaches the data checks as a
raw table of text cells, numbered by the CRM file's own rows, exactly as kpilang's own files do.
"""
