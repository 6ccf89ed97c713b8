"""The outputs of `kpilang eval`: one module per format.

`json` is the exact contract for machines (every digit, `null` next to the error that says why);
`table`, `csv` and `xlsx` are for people and spreadsheets.
"""
