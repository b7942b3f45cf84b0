"""Spreadsheet column widths: wide enough for the values, a long header wraps instead."""

from __future__ import annotations

from lms.domain.registry.export_rows import COLUMNS, HEADER_WIDTH_LIMIT, column_width


def test_every_column_has_a_width_for_its_values():
    assert column_width("holder_name", "Holder") == 28
    assert column_width("number", "No.") == 18
    assert all(column_width(name, "") >= 9 for name in COLUMNS)


def test_a_short_header_widens_a_narrow_column_and_a_long_one_wraps():
    assert column_width("kind", "Сургалтын төрөл") == len("Сургалтын төрөл") + 2
    long_header = "Татаасын эрхтэй эсэх (өнөөдөр)"
    assert column_width("qualifies_for_subsidy", long_header) == HEADER_WIDTH_LIMIT


def test_an_unknown_column_gets_a_default_width():
    assert column_width("something_new", "x") == 12
