"""Claim dates: a year alone is that year, whatever the article's date; relative ones are read
against it."""
import pytest

from kg.dates import ClaimDate, resolve_date


@pytest.mark.parametrize("text, article_date, iso", [
    ("in 2002", "2024-06-19", "2002"), ("since 1999", None, "1999"), ("last year", "2024-06-19", "2023"),
    ("early 2030", "2024-06-19", "2030"),
])
def test_a_year_alone_is_that_year(text, article_date, iso):
    assert resolve_date(text, article_date) == ClaimDate(text, iso, "year")


def test_a_month_and_a_day_keep_their_precision():
    assert resolve_date("in April", "2024-06-19") == ClaimDate("in April", "2024-04", "month")
    assert resolve_date("on March 3, 2021", "2024-06-19") == ClaimDate("on March 3, 2021", "2021-03-03", "day")
