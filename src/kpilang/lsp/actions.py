"""Quick fixes for the findings the editor shows: put the name a did-you-mean help proposes in
place of the misspelt one, and silence a check's finding with an ignore comment.

The ignore comment is left without its reason (`# kpilang: ignore[KPL019] -- `): a reason is
the author's to write, and until it is written KPL021 (ignore without a reason) points at the
comment, which is the prompt. A comment that already silences other checks on that line gets
the code added to its list instead of a second comment.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import PositionCodec

from kpilang.lint.run import ignore_comments
from kpilang.lsp.findings import SOURCE
from kpilang.lsp.positions import DEFAULT_CODEC, lines_of
from kpilang.messages import t

NOT_IGNORABLE = ("KPL021", "KPL022")
"""The findings about ignore comments themselves: fixed by editing the comment, not by another."""


def code_actions(uri: str, text: str, diagnostics: list[types.Diagnostic], lang: str,
                 codec: PositionCodec = DEFAULT_CODEC) -> list[types.CodeAction]:
    actions = []
    for diag in diagnostics:
        if diag.source != SOURCE:
            continue
        fix = diag.data.get("fix") if isinstance(diag.data, dict) else None
        if isinstance(fix, dict):
            edit = types.TextEdit(range=_range(fix["range"]), new_text=fix["newText"])
            actions.append(types.CodeAction(
                title=t("lsp.action.replace", name=fix["name"]).render(lang), kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], is_preferred=True, edit=types.WorkspaceEdit(changes={uri: [edit]})))
        code = str(diag.code or "")
        if code.startswith("KPL") and code not in NOT_IGNORABLE:
            actions.append(types.CodeAction(
                title=t("lsp.action.ignore", code=code).render(lang), kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag], edit=types.WorkspaceEdit(changes={uri: [_ignore_edit(text, diag.range.start.line, code, codec)]})))
    return actions


def _ignore_edit(text: str, line: int, code: str, codec: PositionCodec) -> types.TextEdit:
    """The edit that silences `code` on the 0-based `line`."""
    covering = next((c for c in ignore_comments(text, "") if c.covers(line + 1)), None)
    source = lines_of(text)
    if covering is not None:
        comment_line = source[covering.span.line - 1]
        close = comment_line.index("]", covering.span.column - 1)
        at = codec.position_to_client_units(source, types.Position(line=covering.span.line - 1, character=close))
        return types.TextEdit(range=types.Range(start=at, end=at), new_text=f", {code}")
    current = source[line] if line < len(source) else ""
    indent = current[:len(current) - len(current.lstrip())]
    at = types.Position(line=line, character=0)
    return types.TextEdit(range=types.Range(start=at, end=at), new_text=f"{indent}# kpilang: ignore[{code}] -- \n")


def _range(data: dict) -> types.Range:
    return types.Range(start=types.Position(**data["start"]), end=types.Position(**data["end"]))
