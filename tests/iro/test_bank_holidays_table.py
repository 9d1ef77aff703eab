"""The bank holiday table iro.rules reads equals what the `holidays` package gives."""

from datetime import date

import holidays

from iro import bank_holidays_table
from iro.rules import _bank_holidays, is_bank_holiday


def test_table_matches_the_holidays_package_for_every_year():
    for year in range(bank_holidays_table.FIRST_YEAR, bank_holidays_table.LAST_YEAR + 1):
        expected = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
        assert bank_holidays_table.holidays_in(year) == expected, year


def test_table_has_the_one_off_holidays():
    assert is_bank_holiday(date(2022, 9, 19))  # state funeral of Queen Elizabeth II
    assert is_bank_holiday(date(2023, 5, 8))  # coronation of King Charles III
    assert not is_bank_holiday(date(2023, 5, 9))


def test_years_outside_the_table_ask_the_package():
    assert bank_holidays_table.holidays_in(2070) is None
    assert date(2070, 12, 25) in _bank_holidays(2070)
