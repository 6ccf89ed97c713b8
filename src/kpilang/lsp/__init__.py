"""The language server (`kpilang lsp`): the linter, the compiler and the formatter in the editor.

analysis.py (one open plan: its parse, program and findings), findings.py (those findings as LSP
diagnostics), positions.py (spans as LSP ranges), symbols.py (what is at a place, where a name is
declared), hover.py, completion.py, actions.py (quick fixes) and server.py (the protocol, on pygls).
"""
