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


# The forms issue 25 added: counted back from the reference date, weekends, numeric dates that
# cannot be misread, years, and ranges of days kept as ranges.
@pytest.mark.parametrize(
    "expr, start, end",
    [
        ("two days ago", dt.date(2023, 7, 15), None),
        ("a week ago", dt.date(2023, 7, 10), None),
        ("3 months ago", dt.date(2023, 4, 17), None),
        ("a year ago", dt.date(2022, 7, 17), None),
        ("last year", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("earlier this month", dt.date(2023, 7, 1), REF),
        ("earlier this year", dt.date(2023, 1, 1), REF),
        ("this week", dt.date(2023, 7, 17), REF),
        ("the weekend", dt.date(2023, 7, 15), dt.date(2023, 7, 16)),
        ("over the weekend", dt.date(2023, 7, 15), dt.date(2023, 7, 16)),
        ("20/05/2023", dt.date(2023, 5, 20), None),
        ("05/20/2023", dt.date(2023, 5, 20), None),
        ("2023/05/20", dt.date(2023, 5, 20), None),
        ("in 2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        ("8-9 July", dt.date(2023, 7, 8), dt.date(2023, 7, 9)),
        ("8 to 9 July", dt.date(2023, 7, 8), dt.date(2023, 7, 9)),
        ("July 8–9", dt.date(2023, 7, 8), dt.date(2023, 7, 9)),
        ("5-7 Nov 2017", dt.date(2017, 11, 5), dt.date(2017, 11, 7)),
        ("between 12 and 14 October 2021", dt.date(2021, 10, 12), dt.date(2021, 10, 14)),
        ("June 30 - July 2", dt.date(2023, 6, 30), dt.date(2023, 7, 2)),
        ("30 December - 2 January", dt.date(2022, 12, 30), dt.date(2023, 1, 2)),
    ],
)
def test_relative_numeric_year_and_range_forms(expr, start, end):
    assert resolve(expr, REF) == (start, end)


def test_forms_that_stay_open():
    assert resolve("05/06/2023", REF) == (None, None)  # 5 June or 6 May: not guessed
    assert resolve("two days ago", None) == (None, None)
    assert resolve("two days earlier", REF) == (None, None)  # earlier than something else
    assert resolve("8-9 July", None) == (None, None)
    assert resolve("8-9 July 2021", None) == (dt.date(2021, 7, 8), dt.date(2021, 7, 9))
