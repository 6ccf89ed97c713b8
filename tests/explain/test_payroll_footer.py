"""Every statement ends with what the payroll office needs to settle a dispute: the snapshot's
manifest hash when the data was a snapshot, and the start of each input file's SHA-256; the index
(the summary of everyone's pay) stays without them."""

from __future__ import annotations

import hashlib

import pytest

from kpilang.explain import FORMATS, build_statements, load_messages, render_statements
from kpilang.explain.provenance import SHORT_HASH_DIGITS

from .conftest import evaluate_normative

MANIFEST = b'{"source": "amocrm", "pulled_at": "2026-08-01T09:00:00+03:00"}\n'


@pytest.fixture(scope="module")
def snapshot_report(tmp_path_factory):
    import shutil

    from .conftest import DATA

    data = tmp_path_factory.mktemp("snapshot") / "data"
    shutil.copytree(DATA, data)
    (data / "manifest.json").write_bytes(MANIFEST)
    return evaluate_normative(data)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_snapshot_hash_and_input_hashes_are_at_the_foot_of_every_statement(snapshot_report, lang, fmt):
    rendered = render_statements(build_statements(snapshot_report, lang=lang), snapshot_report, fmt=fmt, lang=lang)
    t = load_messages(lang)
    manifest_hash = hashlib.sha256(MANIFEST).hexdigest()
    shorts = [f.sha256[:SHORT_HASH_DIGITS] for f in snapshot_report.inputs]
    assert len(shorts) == 5 and len(rendered.statements) == 4
    for doc in rendered.statements:
        # After every figure: the pays are the statement's last figures.
        foot = doc.text.index(t.payroll)
        assert doc.text.rindex(t.pays) < foot
        assert doc.text.index(manifest_hash) > foot and "manifest.json" in doc.text[foot:]
        assert all(doc.text.index(short) > foot for short in shorts)
    assert manifest_hash not in rendered.index and not any(short in rendered.index for short in shorts)


def test_without_a_snapshot_no_snapshot_line(normative_report):
    rendered = render_statements(build_statements(normative_report, lang="en"), normative_report, fmt="text",
                                 lang="en")
    for doc in rendered.statements:
        assert "Data snapshot" not in doc.text
        assert "For the payroll office" in doc.text
