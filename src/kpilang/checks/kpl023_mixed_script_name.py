"""KPL023 mixed-script-name: a name that mixes letters of several alphabets.

**Why.** A Latin `c`, `a`, `o`, `p` or `x` looks exactly like its Cyrillic twin. A name typed
half on one keyboard layout (`cумма` with a Latin `c`) is a different name from the one everybody
reads, so a formula that should use it may quietly use another declaration, or a copy of the plan
may declare a twin that passes review unseen. A name wholly in Russian or wholly in English is
normal; one mixing alphabets is almost always a slip of the layout, or a trick.

**Avoid.** `metric cумма = …` with a Latin `c` among Cyrillic letters.

**Prefer.** `metric сумма = …` in one alphabet (digits and `_` go with any).
"""

from __future__ import annotations

from kpilang.checks.base import Check, CheckContext, Finding
from kpilang.checks.lookalikes import scripts
from kpilang.checks.support import declared_names
from kpilang.diagnostics import Severity
from kpilang.messages import join, t


def run(ctx: CheckContext):
    for name, span in declared_names(ctx.program):
        if name.isascii():
            continue
        alphabets = scripts(name)
        if len(alphabets) > 1:
            letters = join(t("KPL023.letters", script=_script_name(script), letters=chars)
                           for script, chars in alphabets.items())
            yield Finding(t("KPL023.message", name=name, letters=letters), span, help=t("KPL023.help", name=name))


def _script_name(script: str):
    """The alphabet's name in the reader's language for the usual ones, Unicode's name otherwise."""
    return t(f"KPL023.{script.lower()}") if script in _NAMED else script.title()


_NAMED = frozenset({"LATIN", "CYRILLIC", "GREEK"})


CHECK = Check("KPL023", "mixed-script-name", Severity.WARNING, "a name that mixes letters of several alphabets", run)
