import datetime as dt

import pytest

from kg.dates import full_dates, resolve

REF = dt.date(2023, 7, 17)  # a Monday


@pytest.mark.parametrize(
    "expr, start, end",
    [
        ("8 July", dt.date(2023, 7, 8), None),
        ("June 14", dt.date(2023, 6, 14), None),
        ("17 July 2023", dt.date(2023, 7, 17), None),
        ("June 17, 2023", dt.date(2023, 6, 17), None),
        ("Saturday", dt.date(2023, 7, 15), None),
        ("Monday", dt.date(2023, 7, 17), None),  # news style names the day of publication too
        ("late May", dt.date(2023, 5, 21), dt.date(2023, 5, 31)),
        ("early June", dt.date(2023, 6, 1), dt.date(2023, 6, 10)),
        ("December 30", dt.date(2022, 12, 30), None),  # a past December, not a future one
        ("yesterday", dt.date(2023, 7, 16), None),
        ("2023-05-20", dt.date(2023, 5, 20), None),
    ],
)
def test_resolve_against_reference(expr, start, end):
    assert resolve(expr, REF) == (start, end)


def test_vague_or_unplaceable_stays_open():
    assert resolve("recent years", REF) == (None, None)
    assert resolve("June 14", None) == (None, None)
    assert resolve("two-day", REF) == (None, None)


def test_full_dates_only_with_years():
    text = "On 8 July militants attacked; photo taken on 17 July 2023 and filed June 18, 2023."
    assert sorted(full_dates(text)) == [dt.date(2023, 6, 18), dt.date(2023, 7, 17)]
