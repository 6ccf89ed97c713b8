"""scan_bytes counts a CSV file's lines chunk by chunk; it must agree with counting the whole
file at once for any split of the bytes into chunks, including chunks made only of line breaks
and line breaks (a CR LF pair too) straddling a chunk edge."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.data.readers import csv_bytes
from kpilang.data.readers.csv_bytes import ByteLayout, scan_bytes


def whole_file_layout(data: bytes) -> ByteLayout:
    body = data.rstrip(b"\r\n")
    lone_cr = data.count(b"\r") > data.count(b"\r\n")
    if not body:
        return ByteLayout(0, b'"' in data, lone_cr)
    lines = data.count(b"\n") - data[len(body):].count(b"\n") + 1
    return ByteLayout(lines, b'"' in data, lone_cr)


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(st.sampled_from([b"a", b",", b'"', b"\n", b"\r", b"\r\n", b"\n\n"]), max_size=60)
    .map(b"".join),
    chunk=st.integers(min_value=1, max_value=9),
    tail=st.integers(min_value=1, max_value=5),
)
def test_chunked_scan_agrees_with_whole_file(tmp_path_factory, data, chunk, tail):
    path = tmp_path_factory.mktemp("scan") / "t.csv"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_bytes, "CHUNK_BYTES", chunk)
        patch.setattr(csv_bytes, "TAIL_BYTES", tail)
        assert scan_bytes(path) == whole_file_layout(data)


def test_trailing_blank_lines_are_not_lines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id\r\nm1\r\n\r\n\n")
    assert scan_bytes(path) == ByteLayout(2, False)


def test_a_carriage_return_without_line_feed_is_noticed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id\r\nm1\rm2\r\n")
    assert scan_bytes(path) == ByteLayout(2, False, True)
