"""Standard output that cannot take the results: a closed pipe, a full disk.

Every command writes its results to standard output, which the shell may have pointed at a
reader that has gone (`kpilang eval … | head -1`) or at a device that refuses them (a full disk,
`> /dev/full`). Python reports either with a traceback, at the write or only at exit when the
buffer is flushed. `output_guard` turns them into what a Unix tool does instead:

- a closed pipe: nothing more is said (the reader asked for no more), exit status
  `EXIT_CLOSED_PIPE`, 141 = 128 + SIGPIPE, what a shell reports for `yes | head -1`;
- any other failure to write: one line on standard error saying so, exit status 2 (the job could
  not be done).

Results written to a file with `--out` are the commands' own business (their own messages).
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from typing import Iterator, Sequence

EXIT_CLOSED_PIPE = 141

_WRITE_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT, errno.EINVAL}
"""What a write to standard output fails with, besides a broken pipe; an error with a file name
comes from opening a file, and is no concern of this module."""


@contextmanager
def output_guard(args: Sequence[str] | None = None) -> Iterator[None]:
    """Run a command, then flush standard output; a failure to write it ends the command as the
    module docstring says. `args` (the command line) give the `--lang` of the message."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()
    except OSError as err:
        if err.filename is not None or err.errno not in _WRITE_ERRORS:
            raise
        _discard_stdout()
        if err.errno == errno.EPIPE:
            raise SystemExit(EXIT_CLOSED_PIPE) from None
        _say_cannot_write(err, args)
        raise SystemExit(2) from None


def results_console(**options):
    """A rich Console for results on standard output (or `file=`) whose closed pipe ends the
    command through `output_guard` like any other (rich itself would exit with status 1)."""
    from rich.console import Console

    class ResultsConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return ResultsConsole(**options)


def _discard_stdout() -> None:
    """Point standard output at the null device, so that what is still buffered does not fail
    again (with a traceback) when Python flushes it on exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # a stream without a descriptor (tests, embedding)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives until exit


def _say_cannot_write(err: OSError, args: Sequence[str] | None) -> None:
    from kpilang.cli.common import report_error
    from kpilang.messages import language, t

    try:
        report_error(t("cli.output.cannot-write-stdout", reason=err.strerror or str(err)), lang=language(lang_in(args)))
        sys.stderr.flush()
    except (OSError, ValueError):  # standard error is gone too: the exit status says it
        pass


def lang_in(args: Sequence[str] | None) -> str | None:
    """The value of `--lang` on the command line, if any (before click has parsed it)."""
    from kpilang.messages import LANGUAGES

    words = list(sys.argv[1:] if args is None else args)
    for i, word in enumerate(words):
        if word == "--lang" and i + 1 < len(words) and words[i + 1] in LANGUAGES:
            return words[i + 1]
        if word.startswith("--lang=") and word[7:] in LANGUAGES:
            return word[7:]
    return None
