"""The report's JSON writer gives exactly the bytes of `json.dumps(…, ensure_ascii=False,
indent=1)`, the standard library's own encoder, for any document of the kinds a report holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.payouts.indented_json import dumps_indented

TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('"\\\n\t\x00\x7f\u2028é€𝄞'))
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400)
@given(DOCUMENTS)
def test_the_same_bytes_as_the_standard_encoder(document):
    assert dumps_indented(document) == json.dumps(document, ensure_ascii=False, indent=1)


def test_empty_containers_and_nesting_as_the_standard_encoder():
    document = {"a": [], "b": {}, "c": [{}, [], [[]], {"d": None}], "e": 1.5, "é": "€"}
    assert dumps_indented(document) == json.dumps(document, ensure_ascii=False, indent=1)


def test_a_key_that_is_not_text_is_refused():
    with pytest.raises(TypeError):
        dumps_indented({1: "x"})
