"""Tokens → the start rule's value: Lark's own LALR(1) table, run by a tighter loop.

Lark computes the table from the grammar; this module only runs it. Lark's loop pays, for every
token, a method call, a `Rule` hashed to find its callback, and a chain of callback wrappers per
reduction (filter the anonymous tokens, insert `None` for an absent `[…]`, splice an inlined
`_rule`, pass a `?rule`'s single child through). Here each rule's wrappers are read once from the
callbacks Lark built (so every rule calls the same builder method with the same children) and
turned into one small function; and a reduction by a `?rule` with one child that is passed
through (`?expr: otherwise_expr`, ten of them from `expr` down to `postfix` for every operand)
only changes the state, the value on the stack stays.

It parses valid input only: at a token the table has no action for it raises `SyntaxRejected`,
and the caller lets Lark parse the text again to report the error with its expected tokens.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from lark import Token, Tree
from lark.grammar import Rule
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.parsers.lalr_analysis import Shift

if TYPE_CHECKING:
    from lark.parsers.lalr_analysis import ParseTableBase

_SHIFT, _PASS_THROUGH, _REDUCE = 0, 1, 2
_END = Token("$END", "")


class SyntaxRejected(Exception):
    """The table has no action for this token in this state: the text is not in the language."""


class TableParser:
    def __init__(self, parse_table: ParseTableBase, callbacks: Mapping[Rule, Callable], start: str = "start") -> None:
        self._start = parse_table.start_states[start]
        self._end = parse_table.end_states[start]
        if not all(isinstance(rule, Rule) for rule in callbacks):  # a builder method named after a terminal
            raise NotImplementedError("callbacks on terminals")
        reductions = {rule: _reduction(rule, callback) for rule, callback in callbacks.items()}
        self._actions: dict[int, dict[str, tuple[int, Any]]] = {}
        """State → {terminal: (_SHIFT, next state) | (_PASS_THROUGH, rule name) | (_REDUCE, (size, rule name, build))}."""
        self._goto: dict[int, dict[str, int]] = {}
        """State → {rule name: the state after that rule's value}."""
        self._ends_of_chains: dict[tuple[int, int, str], int] = {}
        """(state below, state, terminal) → the state after all the pass-through reductions that
        follow from there, which depends on nothing else: learnt as the parses meet them."""
        for state, row in parse_table.states.items():
            actions = self._actions[state] = {}
            goto = self._goto[state] = {}
            for symbol, (action, arg) in row.items():
                if action is not Shift:
                    actions[symbol] = reductions[arg]
                elif symbol.isupper() or symbol == "$END":  # a terminal, as Lark tells them apart
                    actions[symbol] = (_SHIFT, arg)
                else:
                    goto[symbol] = arg

    def parse(self, tokens: Iterable[Token]) -> Any:
        actions, goto, end, ends_of_chains = self._actions, self._goto, self._end, self._ends_of_chains
        state = self._start  # the top of `states`, kept at hand
        states: list[int] = [state]
        values: list[Any] = []
        push_state, push_value = states.append, values.append
        for token in itertools.chain(tokens, (_END,)):
            type_ = token.type
            while True:
                try:
                    kind, arg = actions[state][type_]
                except KeyError:
                    raise SyntaxRejected(token) from None
                if kind == _SHIFT:
                    state = arg
                    push_state(state)
                    push_value(token)
                    break
                if kind == _PASS_THROUGH:
                    chain = (states[-2], state, type_)
                    try:
                        state = ends_of_chains[chain]
                    except KeyError:
                        state = ends_of_chains[chain] = self._end_of_chain(*chain)
                    states[-1] = state
                else:
                    size, origin, build = arg
                    if size:
                        children = values[-size:]
                        del values[-size:]
                        del states[-size:]
                    else:
                        children = []
                    push_value(build(children))
                    state = goto[states[-1]][origin]
                    push_state(state)
                if state == end:
                    return values[-1]
        raise SyntaxRejected(_END)  # the end token was shifted: Lark's table never does that

    def _end_of_chain(self, below: int, state: int, terminal: str) -> int:
        """Reduce by pass-through rules from `state` over `below` while `terminal` says so: each
        one leaves the value on the stack and replaces the top state by `below`'s goto."""
        while state != self._end:
            kind, arg = self._actions[state].get(terminal, (None, None))
            if kind != _PASS_THROUGH:
                break
            state = self._goto[below][arg]
        return state


def _reduction(rule: Rule, callback: Callable) -> tuple[int, Any]:
    """The action of reducing by `rule`: what Lark's callback for it does, as one function."""
    size = len(rule.expansion)
    # Lark wraps the builder method: the child filter outermost, then `?rule`'s pass-through.
    keep: list[tuple[int, bool, int]] = [(i, False, 0) for i in range(size)]  # (child, splice it, Nones before it)
    nones_after = 0
    if isinstance(callback, ChildFilterLALR):
        keep, nones_after, callback = list(callback.to_include), callback.append_none, callback.node_builder
    elif isinstance(callback, ChildFilterLALR_NoPlaceholders):
        keep, callback = [(i, splice, 0) for i, splice in callback.to_include], callback.node_builder
    single_passes_through = isinstance(callback, ExpandSingleChild)
    if single_passes_through:
        callback = callback.node_builder
    inlined = isinstance(callback, partial) and callback.func is Tree and callback.args[0].startswith("_")
    if inlined and single_passes_through:
        raise NotImplementedError(f"an inlined rule that passes a single child through: {rule}")
    if isinstance(callback, (ChildFilterLALR, ChildFilterLALR_NoPlaceholders, ExpandSingleChild)):
        raise NotImplementedError(f"Lark wraps the callback of {rule} in an unexpected order")

    splices = any(splice for _, splice, _ in keep)
    count = len(keep) + sum(nones for _, _, nones in keep) + nones_after
    if single_passes_through and count == 1 and not splices:
        if size == 1:
            return _PASS_THROUGH, rule.origin.name
        return _REDUCE, (size, rule.origin.name, _function(f"return s[{keep[0][0]}]", {}))
    if keep == [(i, False, 0) for i in range(size)] and not nones_after:
        # The children as they are: the slice of the stack is the list to build from.
        return _REDUCE, (size, rule.origin.name, _children if inlined else callback)

    # An inlined `_rule` (its value is the list of its children) is spliced into its parent; when
    # it comes first its list is extended in place, as Lark does, so that a long `x*` repetition
    # (left-recursive) grows one list instead of copying it at every item.
    parts: list[str] = []
    for i, splice, nones in keep:
        parts += ["None"] * nones
        parts.append(f"*s[{i}]" if splice else f"s[{i}]")
    parts += ["None"] * nones_after
    if keep and keep[0][1] and keep[0][2] == 0:
        lines = [f"c = s[{keep[0][0]}]"] + ([f"c += [{', '.join(parts[1:])}]"] if parts[1:] else [])
    else:
        lines = [f"c = [{', '.join(parts)}]"]
    if inlined:
        lines.append("return c")
    elif single_passes_through:  # the count is known only once the spliced lists are in
        lines.append("return c[0] if len(c) == 1 else build(c)")
    else:
        lines.append("return build(c)")
    return _REDUCE, (size, rule.origin.name, _function("\n    ".join(lines), {"build": callback}))


def _children(s: list) -> list:
    return s


def _function(body: str, names: dict[str, Any]) -> Callable[[list], Any]:
    """A function of the children `s` with `body`, compiled once: a rule's reduction in a few
    bytecodes, instead of a loop over its filter's description at every reduction."""
    namespace = dict(names)
    exec(f"def reduce(s):\n    {body}\n", namespace)  # noqa: S102 - the body is built above from the grammar's rules
    return namespace["reduce"]
