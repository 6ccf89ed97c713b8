"""Properties of the pull's small parts: the PHP query form Bitrix24's batch reads, the hiding of
secrets in any text, and the bounds of back-off."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from kpilang.sources.pull.bitrix24 import php_query
from kpilang.sources.pull.secret import Secret
from kpilang.sources.pull.transport import Retry

from .fake_crm import nested

keys = st.text(st.characters(blacklist_characters="[]", blacklist_categories=("Cs",)), min_size=1, max_size=8)
values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
params = st.dictionaries(keys, values | st.dictionaries(keys, values, min_size=1, max_size=3), max_size=4)


@given(params)
def test_php_query_reads_back_as_the_parameters(value):
    assert nested(parse_qsl(php_query(value), keep_blank_values=True)) == value


@given(st.text(min_size=1, max_size=30).filter(lambda s: "*" not in s), st.lists(st.text(max_size=20), max_size=4))
def test_a_secret_never_survives_redaction(secret, pieces):
    text = secret.join(pieces + [""]) + secret
    assert secret not in Secret(secret, "test").redact(text)


@given(st.integers(0, 40), st.floats(0, 1), st.none() | st.floats(0, 1000))
def test_back_off_stays_within_its_bounds(attempt, draw, asked):
    retry = Retry(base=1.0, cap=60.0, random=lambda: draw)
    ceiling = min(60.0, 2.0 ** attempt)
    delay = retry.delay(attempt, asked)
    assert ceiling / 2 <= delay <= max(ceiling, min(asked or 0, 300.0))
