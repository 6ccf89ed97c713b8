"""The suite's one golden switch (tests/conftest.py): compares by default, rewrites with
`--update-golden` or `KPILANG_UPDATE_GOLDEN=1`, and never accepts an empty output."""

import pytest

import conftest
from conftest import check_golden


def test_a_matching_output_passes_and_a_different_one_fails(tmp_path, monkeypatch):
    monkeypatch.delenv(conftest.UPDATE_GOLDEN_ENV, raising=False)
    monkeypatch.setattr(conftest, "_option_given", False)
    golden = tmp_path / "out.txt"
    golden.write_text("total 155000.01\n", encoding="utf-8")
    check_golden(golden, "total 155000.01\n")
    with pytest.raises(AssertionError, match="KPILANG_UPDATE_GOLDEN=1"):
        check_golden(golden, "total 155000.00\n")


def test_a_missing_golden_file_fails(tmp_path, monkeypatch):
    monkeypatch.delenv(conftest.UPDATE_GOLDEN_ENV, raising=False)
    monkeypatch.setattr(conftest, "_option_given", False)
    with pytest.raises(AssertionError, match="no golden file"):
        check_golden(tmp_path / "absent.txt", "text")


@pytest.mark.parametrize("switch", ["environment", "option"])
def test_either_switch_rewrites(tmp_path, monkeypatch, switch):
    monkeypatch.delenv(conftest.UPDATE_GOLDEN_ENV, raising=False)
    monkeypatch.setattr(conftest, "_option_given", switch == "option")
    if switch == "environment":
        monkeypatch.setenv(conftest.UPDATE_GOLDEN_ENV, "1")
    golden = tmp_path / "sub" / "out.txt"
    check_golden(golden, "new text\n")
    assert golden.read_text(encoding="utf-8") == "new text\n"


@pytest.mark.parametrize("update", [False, True])
def test_an_empty_output_is_refused_either_way(tmp_path, monkeypatch, update):
    monkeypatch.delenv(conftest.UPDATE_GOLDEN_ENV, raising=False)
    monkeypatch.setattr(conftest, "_option_given", update)
    golden = tmp_path / "out.txt"
    golden.write_text("", encoding="utf-8")
    with pytest.raises(AssertionError, match="refusing an empty output"):
        check_golden(golden, "  \n")
