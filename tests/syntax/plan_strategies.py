"""Hypothesis strategies for kpilang source text: every construct, laid out at random.

The strategies build a plan as a list of tokens, each a string the lexer reads as one token, and
then join the tokens with random white space and comments (a comment may go between any two
tokens, on its own line or at the end of one). The text is valid for the parser; whether it also
compiles is not the point: the formatter must keep any parsed file's meaning and comments.
"""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from kpilang.diagnostics import BIDI_CONTROLS

KEYWORDS = frozenset(
    "import plan metric kpi table pay test below from if then else not and or in to is better for "
    "otherwise true false kind uncontrollable controllable target weight cap floor lower graduated given expect "
    "where".split()
)

# Mostly readable names (Latin, Cyrillic, with `_` and digits), sometimes any Unicode identifier.
readable_names = st.from_regex(r"[a-zа-яё_][a-zа-яё0-9_]{0,7}", fullmatch=True)
unicode_names = st.from_regex(r"[^\W\d]\w{0,5}", fullmatch=True)
# Names in Unicode's normal form (NFKC), as the parser reads them: `ﬁx` is the name `fix`, and a
# name such as `²` whose normal form is no name is an error (tests/syntax/test_name_normal_form.py).
names = st.one_of(readable_names, readable_names, unicode_names).filter(
    lambda n: n not in KEYWORDS and unicodedata.normalize("NFKC", n) == n)

numbers = st.from_regex(r"[0-9]{1,3}(_[0-9]{3}){0,2}(\.[0-9]{1,3}(_[0-9]{1,2})?)?", fullmatch=True)
percents = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,2})?%", fullmatch=True)
durations = st.from_regex(r"[0-9]{1,3}(_[0-9]{3})?[smhd]", fullmatch=True)
dates = st.dates().map(lambda d: d.isoformat())
# A plan refuses bidirectional controls anywhere (E0107, Trojan Source): valid texts hold none.
BIDI = "".join(c for c in map(chr, range(0x2070)) if BIDI_CONTROLS.fullmatch(c))
string_bodies = st.text(st.characters(blacklist_characters="\n" + BIDI, blacklist_categories=("Cs",)), max_size=12)
strings = string_bodies.map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"')
comment_texts = st.text(st.characters(blacklist_characters="\n\r" + BIDI, blacklist_categories=("Cs",)), max_size=20).map(
    lambda s: "#" + s
)

literals = st.one_of(numbers, percents, durations, dates, strings, st.sampled_from(["true", "false"]))
numeric_literals = st.one_of(numbers, percents, durations)

AGGREGATES = ["count", "sum", "avg", "min", "max", "median", "count_distinct", "share"]
COMPARE_OPS = ["=", "!=", "<", "<=", ">", ">="]

# Binding strength, loosest first (as in the grammar): a child looser than its place is wrapped.
OTHERWISE, IF, OR, AND, NOT, COMPARE, SUM, PRODUCT, UNARY, ATOM = range(1, 11)


def _wrap(draw, part: tuple[int, list[str]], at_least: int) -> list[str]:
    level, tokens = part
    if level < at_least or draw(st.integers(0, 9)) == 0:  # sometimes parentheses nobody needs
        return ["(", *tokens, ")"]
    return tokens


@st.composite
def expressions(draw, depth: int = 3) -> tuple[int, list[str]]:
    """(binding level, tokens) of an expression of every kind the grammar has."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["literal", "name", "dotted", "neg-literal"]))
        if kind == "literal":
            return ATOM, [draw(literals)]
        if kind == "name":
            return ATOM, [draw(names)]
        if kind == "dotted":
            return ATOM, [draw(names), ".", draw(names)]
        return UNARY, ["-", draw(numeric_literals)]
    sub = expressions(depth - 1)
    kind = draw(st.sampled_from(
        ["otherwise", "if", "or", "and", "not", "compare", "in", "sum", "product", "neg", "call", "aggregate"]
    ))
    if kind == "otherwise":
        return OTHERWISE, [*_wrap(draw, draw(sub), OTHERWISE), "otherwise", *_wrap(draw, draw(sub), IF)]
    if kind == "if":
        return IF, ["if", *_wrap(draw, draw(sub), 0), "then", *_wrap(draw, draw(sub), 0), "else",
                    *_wrap(draw, draw(sub), IF)]
    if kind in ("or", "and"):
        level = OR if kind == "or" else AND
        return level, [*_wrap(draw, draw(sub), level), kind, *_wrap(draw, draw(sub), level + 1)]
    if kind == "not":
        return NOT, ["not", *_wrap(draw, draw(sub), NOT)]
    if kind == "compare":
        return COMPARE, [*_wrap(draw, draw(sub), SUM), draw(st.sampled_from(COMPARE_OPS)), *_wrap(draw, draw(sub), SUM)]
    if kind == "in":
        items = draw(st.lists(sub, max_size=3))
        tokens = [*_wrap(draw, draw(sub), SUM), "in", "["]
        for i, item in enumerate(items):
            tokens += ([","] if i else []) + _wrap(draw, item, 0)
        return COMPARE, [*tokens, "]"]
    if kind in ("sum", "product"):
        level = SUM if kind == "sum" else PRODUCT
        op = draw(st.sampled_from(["+", "-"] if kind == "sum" else ["*", "/"]))
        return level, [*_wrap(draw, draw(sub), level), op, *_wrap(draw, draw(sub), level + 1)]
    if kind == "neg":
        return UNARY, ["-", *_wrap(draw, draw(sub), UNARY)]
    if kind == "call":
        args = draw(st.lists(sub, max_size=3))
        tokens = [draw(names), "("]
        for i, arg in enumerate(args):
            tokens += ([","] if i else []) + _wrap(draw, arg, 0)
        return ATOM, [*tokens, ")"]
    return ATOM, draw(aggregates(depth - 1))


@st.composite
def conditions(draw, depth: int = 2) -> tuple[int, list[str]]:
    """Row conditions: comparisons of columns, `in [...]`, `not`, `and`/`or`, a bare boolean column."""
    column = st.one_of(names, st.tuples(names, names).map(lambda t: f"{t[0]} . {t[1]}"))
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        kind = draw(st.sampled_from(["compare", "in", "bare"]))
        if kind == "compare":
            return COMPARE, [draw(column), draw(st.sampled_from(COMPARE_OPS)), draw(literals)]
        if kind == "in":
            items = draw(st.lists(literals, min_size=1, max_size=3))
            return COMPARE, [draw(column), "in", "[", *_commas([[i] for i in items]), "]"]
        return ATOM, [draw(column)]
    sub = conditions(depth - 1)
    kind = draw(st.sampled_from(["and", "or", "not"]))
    if kind == "not":
        return NOT, ["not", *_wrap(draw, draw(sub), NOT)]
    level = OR if kind == "or" else AND
    return level, [*_wrap(draw, draw(sub), level), kind, *_wrap(draw, draw(sub), level + 1)]


@st.composite
def aggregates(draw, depth: int = 2) -> list[str]:
    func = draw(st.sampled_from(AGGREGATES))
    table = draw(st.sampled_from(["activities", "leads", "deals"]))
    if func in ("count", "share"):
        arg = [table]
    elif func == "count_distinct" or draw(st.booleans()):
        arg = [table, ".", draw(names)]
    else:  # a row expression: datetime − datetime, or a column times a number
        op = draw(st.sampled_from(["-", "*", "/", "+"]))
        arg = [table, ".", draw(names), op, table, ".", draw(names)]
    tokens = [func, "(", *arg]
    if func == "share" or draw(st.booleans()):
        tokens += ["where", *draw(conditions(depth))[1]]
    return [*tokens, ")"]


def _commas(parts: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i, part in enumerate(parts):
        out += ([","] if i else []) + part
    return out


def _label(draw) -> list[str]:
    return [draw(strings)] if draw(st.booleans()) else []


def _expr(draw, depth: int = 3) -> list[str]:
    return draw(expressions(depth))[1]


@st.composite
def plan_blocks(draw) -> list[str]:
    field_value = st.one_of(names, strings, dates, numbers, percents)
    tokens = ["plan", draw(names), *_label(draw), "{"]
    for _ in range(draw(st.integers(0, 8))):
        values = draw(st.lists(field_value, min_size=1, max_size=3))
        tokens += [draw(names), *_commas([[v] for v in values])]
    return [*tokens, "}"]


@st.composite
def metrics(draw) -> list[str]:
    tokens = ["metric", draw(names), *_label(draw), "="]
    tokens += draw(aggregates()) if draw(st.integers(0, 4)) else _expr(draw)
    for _ in range(draw(st.integers(0, 2))):
        choice = draw(st.integers(0, 2))
        if choice == 0:
            tokens += ["kind", draw(st.sampled_from(["result", "activity", "quality"]))]
        elif choice == 1:
            tokens += ["controllable", draw(strings)]
        else:
            roles = draw(st.lists(names, max_size=3))
            tokens += ["uncontrollable"] + (["for", *_commas([[r] for r in roles])] if roles else [])
    return tokens


@st.composite
def kpis(draw) -> list[str]:
    tokens = ["kpi", draw(names), *_label(draw), "=", *_expr(draw)]
    for _ in range(draw(st.integers(0, 4))):
        clause = draw(st.sampled_from(["target", "weight", "cap", "lower"]))
        tokens += ["lower", "is", "better"] if clause == "lower" else [clause, *_expr(draw, 2)]
    return tokens


@st.composite
def tables(draw) -> list[str]:
    tokens = ["table", draw(names), *_label(draw)] + (["graduated"] if draw(st.booleans()) else []) + ["{"]
    edge = st.one_of(numeric_literals.map(lambda t: [t]), numeric_literals.map(lambda t: ["-", t]))
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["below", "range", "from"]))
        if kind == "below":
            tokens += ["below", *draw(edge)]
        elif kind == "from":
            tokens += ["from", *draw(edge)]
        else:
            tokens += [*draw(edge), "to", *draw(edge)]
        tokens += [":", *draw(edge)]
    return [*tokens, "}"]


@st.composite
def pays(draw) -> list[str]:
    tokens = ["pay", draw(names), *_label(draw), "=", *_expr(draw)]
    for _ in range(draw(st.integers(0, 2))):
        tokens += [draw(st.sampled_from(["cap", "floor"])), *_expr(draw, 2)]
    return tokens


@st.composite
def tests(draw) -> list[str]:
    target = st.one_of(
        names.map(lambda n: [n]),
        st.tuples(names, names).map(lambda t: [t[0], ".", t[1]]),
        st.tuples(names, names).map(lambda t: [t[0], "(", t[1], ")"]),
    )
    value = st.one_of(literals.map(lambda v: [v]), numeric_literals.map(lambda v: ["-", v]))
    tokens = ["test", draw(strings), "{"]
    for _ in range(draw(st.integers(0, 3))):
        tokens.append(draw(st.sampled_from(["given", "expect"])))
        for i in range(draw(st.integers(1, 6))):
            tokens += ([","] if i else []) + draw(target) + ["="] + draw(value)
    return [*tokens, "}"]


declarations = st.one_of(
    st.builds(lambda s: ["import", s], strings), plan_blocks(), metrics(), kpis(), tables(), pays(), tests()
)


@st.composite
def layouts(draw, tokens: list[str]) -> tuple[str, list[str]]:
    """`tokens` joined by random white space and comments; returns the text and its comments."""
    separators = [" ", "  ", "\n", "\n    ", "\n\n", "\t", " \n  "]
    out, comments = [], []
    for i, tok in enumerate(tokens):
        out.append(tok)
        choice = draw(st.integers(0, 9))
        if choice == 0:  # a comment at the end of the line
            comment = draw(comment_texts)
            comments.append(comment)
            out.append(" " * draw(st.integers(0, 3)) + comment + "\n")
        elif choice == 1:  # a comment on a line of its own
            comment = draw(comment_texts)
            comments.append(comment)
            out.append("\n" + " " * draw(st.integers(0, 6)) + comment + "\n")
        else:
            out.append(draw(st.sampled_from(separators)))
    return "".join(out), comments


@st.composite
def plan_texts(draw) -> tuple[str, list[str]]:
    """A plan file's text (every construct may appear, in any order) and the comments it holds."""
    header = [] if draw(st.booleans()) else [draw(comment_texts)]
    items = draw(st.lists(declarations, max_size=6))
    tokens = [tok for item in items for tok in item]
    body, comments = draw(layouts(tokens))
    if header:
        body = header[0] + "\n" + ("\n" if draw(st.booleans()) else "") + body
    return body, header + comments


# ---- plans that also compile ---------------------------------------------------------------------

_CONDITIONS = {
    "activities": ['type = "call"', 'type in ["call", "meeting"]', 'status != "done"', "duration >= 1m",
                   'not (status = "failed")'],
    "leads": ['source = "ads"', 'status in ["qualified", "converted"]', "first_response_at <= created_at",
              'not source = "site"'],
    "deals": ['stage = "won"', "is_new_client", "not is_new_client", 'stage in ["won", "lost"]', "amount > 1_000"],
}
_COLUMNS = {"activities": ["duration"], "leads": ["first_response_at - leads.created_at"], "deals": ["amount"]}


@st.composite
def _condition(draw, table: str) -> str:
    parts = draw(st.lists(st.sampled_from(_CONDITIONS[table]), min_size=1, max_size=3))
    text = parts[0]
    for part in parts[1:]:
        op = draw(st.sampled_from(["and", "or"]))
        text = f"({text}) {op} {part}" if draw(st.booleans()) else f"{text} {op} {part}"
    return text


@st.composite
def compiling_plans(draw) -> tuple[str, list[str]]:
    """A plan that compiles: every aggregate, where conditions, KPIs with every clause, step and
    graduated tables, pays with cap and floor, a test; laid out with random white space and
    comments. Returns the text and its comments."""
    metric_names = draw(st.lists(names, min_size=2, max_size=5, unique=True))
    used: set[str] = set(metric_names)

    def fresh() -> str:
        name = draw(names.filter(lambda n: n not in used and n not in ("salary", "kpi_score", "targets", "managers",
                                                                         "activities", "leads", "deals")))
        used.add(name)
        return name

    tokens = ["plan", draw(names), *_label(draw), "{", "role", "cold", ",", "inbound", "period",
              draw(st.sampled_from(["week", "month", "quarter"])), "effective", draw(dates.filter(lambda d: d >= "1900")),
              "timezone", '"Europe/Moscow"', "currency", draw(st.sampled_from(["RUB", "EUR", "KZT"])),
              "strategy", draw(st.sampled_from(["growth", "retention", "scaling", "service"])),
              "goal", draw(strings)]
    tokens += (["scope", "team"] if draw(st.booleans()) else []) + ["}"]
    units: dict[str, str] = {}
    for name in metric_names:
        table = draw(st.sampled_from(["activities", "leads", "deals"]))
        func = draw(st.sampled_from(AGGREGATES))
        where = draw(_condition(table))
        if func in ("count", "share"):
            body, units[name] = f"{func}({table} where {where})", "count" if func == "count" else "number"
        elif func == "count_distinct":
            body, units[name] = f"count_distinct({table}.id where {where})", "count"
        else:
            column = draw(st.sampled_from(_COLUMNS[table]))
            body = f"{func}({table}.{column}" + (f" where {where})" if draw(st.booleans()) else ")")
            units[name] = "money" if column == "amount" else "duration"
        tokens += ["metric", name, *_label(draw), "=", body]
        tokens += ["kind", draw(st.sampled_from(["result", "activity", "quality"]))] if draw(st.booleans()) else []
        overrule = draw(st.integers(0, 5))
        if overrule == 0:
            tokens += ["uncontrollable", "for", "inbound"] if draw(st.booleans()) else ["uncontrollable"]
        elif overrule == 1:
            tokens += ["controllable", '"the manager chooses which leads to call first"']
    kpi_names = []
    for name in metric_names[: draw(st.integers(1, len(metric_names)))]:
        kpi = fresh()
        kpi_names.append(kpi)
        target = {"count": draw(st.sampled_from(["10", "4", "targets.calls"])), "number": "80%",
                  "money": draw(st.sampled_from(["1_000_000", "targets.revenue"])), "duration": "15m"}[units[name]]
        value = f"{name} otherwise 0" if units[name] in ("count", "number") and draw(st.booleans()) else name
        tokens += ["kpi", kpi, *_label(draw), "=", value, "target", target, "weight", f"{draw(st.integers(1, 100))}%"]
        if draw(st.booleans()):
            tokens += ["cap", f"{draw(st.integers(100, 200))}%"]
        if units[name] == "duration" and draw(st.booleans()):
            tokens += ["lower", "is", "better"]
    step, graduated = fresh(), fresh()
    tokens += ["table", step, *_label(draw), "{", "below", "70%", ":", "0", "70%", "to", "100%", ":", "1",
               "from", "100%", ":", "1.2", "}"]
    tokens += ["table", graduated, "graduated", "{", "below", "100%", ":", "3%", "from", "100%", ":", "5%", "}"]
    money_metrics = [n for n in metric_names if units[n] == "money"]
    base = fresh()
    tokens += ["pay", base, "=", f"salary * {step}(kpi_score)", "cap", "2 * salary", "floor", "0"]
    pays = [base]
    if money_metrics:
        commission = fresh()
        tokens += ["pay", commission, *_label(draw), "=", f"{graduated}({money_metrics[0]}, targets.revenue)"]
        pays.append(commission)
    if kpi_names:
        extra = fresh()
        tokens += ["pay", extra, "=", f"if {kpi_names[0]} >= 100% and kpi_score > 0.5 then round(salary * 10%, 2) else 0"]
        pays.append(extra)
    total = fresh()
    tokens += ["pay", total, "=", " + ".join(pays)]
    given = [f"{n} = {dict(count='3', number='50%', money='500_000', duration='10m')[units[n]]}" for n in metric_names]
    tokens += ["test", draw(strings), "{", "given", ", ".join(["salary = 60000", "targets.revenue = 1_000_000",
                                                             "targets.calls = 10", *given]),
               "expect", f"{base} = 0"]
    tokens += ["}"]
    # Split the formula strings into tokens so that comments and white space can go between them.
    split: list[str] = []
    for tok in tokens:
        split += tok.split(" ") if not tok.startswith('"') else [tok]
    return draw(layouts(split))
