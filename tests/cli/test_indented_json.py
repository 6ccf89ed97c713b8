"""The report's JSON writer gives exactly the bytes of `json.dumps(…, ensure_ascii=False,
indent=1)`, the standard library's own encoder, for any document of the kinds a report holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.payouts.indented_json import LayoutWriter, Written, dumps_indented, layout_object

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


# ---- objects whose keys are known before their values (each person's entry of a report) ----------

KEYS = st.lists(TEXT, max_size=4, unique=True)


@st.composite
def layouts_and_values(draw, depth=0):
    """A layout (keys, some of them objects of their own) and values for it, depth first."""
    layout, values = [], []
    for key in draw(KEYS):
        if depth < 2 and draw(st.booleans()):
            inner, inner_values = draw(layouts_and_values(depth=depth + 1))
            layout.append((key, inner))
            values += inner_values
        else:
            layout.append(key)
            values.append(draw(DOCUMENTS))
    return tuple(layout), values


@settings(max_examples=300)
@given(layouts_and_values(), st.integers(min_value=0, max_value=3))
def test_a_layout_is_written_as_the_standard_encoder_writes_its_object(drawn, level):
    layout, values = drawn
    document = layout_object(layout, values)
    expected = json.dumps(document, ensure_ascii=False, indent=1)
    assert dumps_indented(document) == expected
    written = LayoutWriter(layout, level).write(values)
    # at depth `level`, inside a list of objects one level up
    nested = [document] if level == 1 else document
    if level == 1:
        assert dumps_indented([Written(written)]) == json.dumps(nested, ensure_ascii=False, indent=1)
    if level == 0:
        assert written == expected
    # the same text, whatever the depth, save the indentation of each line after the first
    assert written.replace("\n" + " " * level, "\n") == expected


def test_a_written_value_is_put_in_as_it_is():
    assert dumps_indented({"a": [Written('{\n   "b": "1"\n  }')]}) == '{\n "a": [\n  {\n   "b": "1"\n  }\n ]\n}'
