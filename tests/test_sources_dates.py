"""Forum date texts -> ISO 8601 UTC, in the forum's time zone and against an explicit `now`."""

import datetime as dt

import pytest

from miner.sources.dates import DateError, from_machine, from_timestamp, parse_date

BERLIN_NOW = dt.datetime(2024, 3, 14, 10, 30, tzinfo=dt.timezone.utc)  # 11:30 in Berlin (CET)


@pytest.mark.parametrize("text, expected", [
    ("Heute, 14:02", "2024-03-14T13:02:00.000Z"),
    ("heute um 14:02 Uhr", "2024-03-14T13:02:00.000Z"),
    ("Gestern, 09:15", "2024-03-13T08:15:00.000Z"),
    ("Vorgestern, 23:59", "2024-03-12T22:59:00.000Z"),
    ("Today at 2:02 PM", "2024-03-14T13:02:00.000Z"),
    ("Yesterday at 9:15 AM", "2024-03-13T08:15:00.000Z"),
    ("12. März 2024", "2024-03-11T23:00:00.000Z"),
    ("12. März 2024, 14:02", "2024-03-12T13:02:00.000Z"),
    ("12.03.2024, 14:02", "2024-03-12T13:02:00.000Z"),
    ("12.03.2024 14:02", "2024-03-12T13:02:00.000Z"),
    ("12.03.24, 14:02", "2024-03-12T13:02:00.000Z"),
    ("Mo 12. Mär 2024, 14:02", "2024-03-12T13:02:00.000Z"),
    ("Di 2. Jul 2024, 08:00", "2024-07-02T06:00:00.000Z"),  # summer time: UTC+2
    ("9. März 2020", "2020-03-08T23:00:00.000Z"),
    ("18. Dezember 2019", "2019-12-17T23:00:00.000Z"),
    ("13.11.2019", "2019-11-12T23:00:00.000Z"),
    ("Sun Mar 06, 2016 5:45 am", "2016-03-06T04:45:00.000Z"),
    ("Sun Dec 15, 2019 4:58 pm", "2019-12-15T15:58:00.000Z"),
    ("23 Jul 2018 09:58", "2018-07-23T07:58:00.000Z"),
    ("12 Jan 2018, 12:15", "2018-01-12T11:15:00.000Z"),
    ("April 04, 2020, 09:22:51 AM", "2020-04-04T07:22:51.000Z"),
    ("Mar 21, 2020, 12:31 AM", "2020-03-20T23:31:00.000Z"),
    ("04-06-2019, 06:55 AM", "2019-04-06T04:55:00.000Z"),
    ("Sep 9, 2017", "2017-09-08T22:00:00.000Z"),
    ("17 April 2020 23:20", "2020-04-17T21:20:00.000Z"),
    ("2024-03-12 14:02", "2024-03-12T13:02:00.000Z"),
    ("12. März", "2024-03-11T23:00:00.000Z"),  # no year: the latest such day
    ("20. Dezember", "2023-12-19T23:00:00.000Z"),
    ("Mo, 12. Mär. 2024, 14:02", "2024-03-12T13:02:00.000Z"),
    ("12. Mrz. 2024", "2024-03-11T23:00:00.000Z"),
    ("Dienstag, 12. März 2024 14:02", "2024-03-12T13:02:00.000Z"),
    ("1. Jänner 2024", "2023-12-31T23:00:00.000Z"),
    ("12 Mar 2024 14:02:33", "2024-03-12T13:02:33.000Z"),
    ("Sonntag um 09:00", "2024-03-10T08:00:00.000Z"),  # now is Thursday 14 March: the last Sunday
    ("Thursday at 9:00 AM", "2024-03-07T08:00:00.000Z"),  # today's weekday means a week ago
])
def test_german_and_english_texts_in_berlin(text, expected):
    assert parse_date(text, now=BERLIN_NOW) == expected


@pytest.mark.parametrize("text, delta", [
    ("vor 5 Minuten", dt.timedelta(minutes=5)),
    ("vor einer Stunde", dt.timedelta(hours=1)),
    ("Vor 2 Stunden", dt.timedelta(hours=2)),
    ("vor 3 Tagen", dt.timedelta(days=3)),
    ("vor 2 Wochen", dt.timedelta(weeks=2)),
    ("5 minutes ago", dt.timedelta(minutes=5)),
    ("an hour ago", dt.timedelta(hours=1)),
    ("Gerade eben", dt.timedelta(0)),
])
def test_relative_texts_count_back_from_now(text, delta):
    expected = (BERLIN_NOW - delta).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert parse_date(text, now=BERLIN_NOW) == expected


def test_relative_months_and_years():
    assert parse_date("vor 2 Monaten", now=BERLIN_NOW) == "2024-01-14T10:30:00.000Z"
    assert parse_date("vor einem Jahr", now=BERLIN_NOW) == "2023-03-14T10:30:00.000Z"


def test_hours_ago_across_the_spring_change_counts_elapsed_time():
    after_change = dt.datetime(2024, 3, 31, 2, 30, tzinfo=dt.timezone.utc)  # 04:30 CEST
    assert parse_date("vor 3 Stunden", now=after_change) == "2024-03-30T23:30:00.000Z"


def test_forum_time_zone_is_explicit():
    assert parse_date("12.03.2024, 14:02", tz="UTC") == "2024-03-12T14:02:00.000Z"
    assert parse_date("12.03.2024, 14:02", tz="America/New_York") == "2024-03-12T18:02:00.000Z"
    late = dt.datetime(2024, 3, 14, 23, 30, tzinfo=dt.timezone.utc)  # already the 15th in Berlin
    assert parse_date("Heute, 00:10", now=late) == "2024-03-14T23:10:00.000Z"
    assert parse_date("Heute, 00:10", now=late, tz="UTC") == "2024-03-14T00:10:00.000Z"


def test_day_first_settles_ambiguous_numbers():
    assert parse_date("04-06-2019", tz="UTC") == "2019-04-06T00:00:00.000Z"
    assert parse_date("04-06-2019", tz="UTC", day_first=True) == "2019-06-04T00:00:00.000Z"
    assert parse_date("25/12/2019", tz="UTC") == "2019-12-25T00:00:00.000Z"  # 25 cannot be a month


def test_machine_readable_values():
    assert from_machine("2020-04-22T10:15:00+0200") == "2020-04-22T08:15:00.000Z"
    assert from_machine("2020-04-22T10:15:00+02:00") == "2020-04-22T08:15:00.000Z"
    assert from_machine("2020-04-22T08:15:00Z") == "2020-04-22T08:15:00.000Z"
    assert from_machine("2020-04-22T10:15:00") == "2020-04-22T08:15:00.000Z"  # forum zone
    assert from_machine("1587543300") == "2020-04-22T08:15:00.000Z"
    assert from_timestamp(1587543300) == "2020-04-22T08:15:00.000Z"


@pytest.mark.parametrize("text", ["", "irgendwann", "31.02.2024", "Heute, 25:61", "not a date"])
def test_unreadable_dates_raise_a_date_error(text):
    with pytest.raises(DateError):
        parse_date(text, now=BERLIN_NOW)
