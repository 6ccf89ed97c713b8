"""`kpilang pull`: a CRM's raw records for a period, fetched into a snapshot folder.

`secret` reads and hides the webhook or token, `transport` does HTTP with retries, `bitrix24` and
`amocrm` know their APIs, `run` writes the files resumably; the folder's layout and manifest are
in `kpilang.sources.snapshot`.
"""
