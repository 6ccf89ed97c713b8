"""Statements laid out as text, Markdown or one self-contained HTML page, with Jinja2.

Templates are compiled once per renderer. HTML templates autoescape, so a name such as
`<script>` in the data is shown as text; Markdown output escapes the characters Markdown would
read as markup or raw HTML, and text and Markdown put every value on one line (a line break in a
name would break the statement's lines and tables). A user template directory
(`--templates DIR`) overrides any of our templates by file name and runs, with ours, in Jinja2's
`SandboxedEnvironment`: a template from outside cannot reach Python internals.

Figures rounded for display carry their exact value (see `approx`); every `{{ … }}` passes through
the environment's `finalize`, which shows them as written in text and Markdown and as
`<data value title>` in HTML. Inside SVG text and attribute values, where no element can go,
templates use the `plain` filter.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from kpilang.explain import approx
from kpilang.explain.catalog import Messages
from kpilang.explain.model import Statement

FORMATS = {"text": "txt", "md": "md", "html": "html"}
"""Output format → file extension of its templates and of the files written."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(value: Any) -> str:
    """Text safe inside Markdown: markup characters get a backslash, `<` and `&` become entities
    (so raw HTML in a name is shown, not run)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
"""Whatever `str.splitlines` breaks a line at."""


def _finalize_plain(value: Any) -> Any:
    """Every value a text or Markdown template writes stays on the line the template puts it
    on: a line break inside a name (`Анна\nИтого к выплате: 1 000 000 ₽`) would otherwise start
    a line of its own in the statement, or end a Markdown table row. Each run of line breaks
    becomes one space."""
    if isinstance(value, str):
        if approx.is_marked(value):
            value = approx.plain(value)
        if _LINE_BREAKS.search(value):
            return _LINE_BREAKS.sub(" ", value)
    return value


def _finalize_html(value: Any) -> Any:
    if isinstance(value, str) and approx.is_marked(value):
        return approx.plain(value) if hasattr(value, "__html__") else approx.html(value)
    return value


class TemplateError(ValueError):
    """A template that cannot be loaded or rendered, with the file and line if known."""


class StatementRenderer:
    """Renders statements in one format; templates are looked up in `templates_dir` first."""

    def __init__(self, fmt: str, templates_dir: Path | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.format = fmt
        self.extension = FORMATS[fmt]
        loaders: list[Any] = [PackageLoader("kpilang.explain", "templates")]
        if templates_dir is not None:
            loaders.insert(0, FileSystemLoader(str(templates_dir)))
        env_class = SandboxedEnvironment if templates_dir is not None else Environment
        self.env = env_class(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False,
                                         default=False),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined,
            auto_reload=False, finalize=_finalize_html if fmt == "html" else _finalize_plain,
        )
        self.env.filters["md"] = md_escape
        self.env.filters["plain"] = approx.plain
        # ` = ` before a figure, or just a space before a rounded one, which brings its own `≈`
        self.env.filters["equals"] = lambda figure: " " if approx.is_marked(str(figure)) else " = "
        try:
            self._statement = self.env.get_template(f"statement.{self.extension}.j2")
            self._index = self.env.get_template(f"index.{self.extension}.j2")
            # Many HTML statements on standard output: one page, a printed page per person.
            self._book = self.env.get_template("book.html.j2") if fmt == "html" else None
        except Exception as err:  # a syntax error in a user template: say which file and line
            raise TemplateError(_template_problem(err)) from err

    def statement(self, statement: Statement, t: Messages) -> str:
        try:
            return self._statement.render(s=statement, t=t)
        except Exception as err:
            raise TemplateError(_template_problem(err)) from err

    def index(self, statements: list[Statement], t: Messages, *, plan_label: str, plan_name: str, period: str,
              fingerprint: str, sum_of_totals: str | None = None) -> str:
        try:
            return self._index.render(statements=statements, t=t, plan_label=plan_label, plan_name=plan_name,
                                      period=period, fingerprint=fingerprint, extension=self.extension,
                                      sum_of_totals=sum_of_totals,
                                      not_computed=sum(1 for s in statements if s.total is None))
        except Exception as err:
            raise TemplateError(_template_problem(err)) from err


    def book(self, statements: list[Statement], t: Messages, *, plan_label: str, period: str) -> str:
        """Every statement in one document (HTML only; text and Markdown simply follow each other)."""
        if self._book is None:
            raise ValueError(f"no combined document for {self.format}")
        try:
            return self._book.render(statements=statements, t=t, plan_label=plan_label, period=period)
        except Exception as err:
            raise TemplateError(_template_problem(err)) from err


def _template_problem(err: Exception) -> str:
    name = getattr(err, "filename", None) or getattr(err, "name", None)
    line = getattr(err, "lineno", None)
    where = f"{name}:{line}: " if name and line else (f"{name}: " if name else "")
    return f"{where}{type(err).__name__}: {err}"
