"""The progress bars of `eval` and `explain` speak the reader's language."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from kpilang.cli.eval import _progress
from kpilang.cli.explain import _Progress


@pytest.mark.parametrize("lang, reading, computing", [("en", "reading the data", "computing pay"),
                                                       ("ru", "читаю данные", "считаю выплаты")])
def test_the_eval_bar_names_its_steps_in_the_readers_language(lang, reading, computing):
    bar = _progress(Console(file=io.StringIO(), force_terminal=True), lang)
    task = bar.progress.tasks[0]
    assert task.description == reading
    bar(1, 4)
    assert task.description == computing


@pytest.mark.parametrize("lang, label", [("en", "explaining pay"), ("ru", "пишу выписки")])
def test_the_explain_bar_names_its_work_in_the_readers_language(lang, label):
    assert _Progress(lang).label == label
