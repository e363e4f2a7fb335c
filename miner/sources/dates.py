"""Forum dates as people and templates write them -> ISO 8601 in UTC.

Classic forums print dates in the board's language and time zone ("Heute, 14:02", "12. März 2024",
"Mo 12. Mär 2024, 14:02", "vor 5 Minuten", "Sun Mar 06, 2016 5:45 am"). A machine-readable value
(``<time datetime>``, ``data-time``, a unix timestamp) is exact and always wins; the text is the
fallback. Wall-clock text is read in the forum's time zone (an explicit ``tz``, Europe/Berlin by
default) and relative text ("Gestern", "vor 2 Stunden") against an explicit ``now``, so parsing is
pure and repeatable.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/Berlin"

MONTHS = {
    # German, with the abbreviations phpBB, WoltLab, vBulletin and XenForo print (with or without dot)
    "januar": 1, "jan": 1, "jänner": 1, "jän": 1, "februar": 2, "feb": 2, "märz": 3, "mär": 3, "maerz": 3,
    "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10,
    "oct": 10, "december": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))

_UNITS = {
    "sekunde": "seconds", "sekunden": "seconds", "second": "seconds", "seconds": "seconds", "sec": "seconds",
    "minute": "minutes", "minuten": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes",
    "stunde": "hours", "stunden": "hours", "hour": "hours", "hours": "hours", "std": "hours",
    "tag": "days", "tagen": "days", "day": "days", "days": "days",
    "woche": "weeks", "wochen": "weeks", "week": "weeks", "weeks": "weeks",
    "monat": "months", "monaten": "months", "month": "months", "months": "months",
    "jahr": "years", "jahren": "years", "year": "years", "years": "years",
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "ein": 1, "einer": 1, "einem": 1, "eine": 1, "zwei": 2, "two": 2,
                 "drei": 3, "three": 3}
_NUM = r"\d+|" + "|".join(_NUMBER_WORDS)

_RELATIVE_AGO = re.compile(rf"\bvor\s+({_NUM})\s+({_UNIT_RE})\b|\b({_NUM})\s+({_UNIT_RE})\s+ago\b")
_JUST_NOW = re.compile(r"\b(gerade eben|soeben|jetzt|just now|a moment ago|vor wenigen sekunden|a few seconds ago)\b")
_WEEKDAYS = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b")
_DAY_WORDS = {"heute": 0, "today": 0, "gestern": 1, "yesterday": 1, "vorgestern": 2}
_DAY_WORD_RE = re.compile(r"\b(vorgestern|heute|gestern|today|yesterday)\b")
_TIME = re.compile(r"\b(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_RE})\b\.?")
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})\b")


class DateError(ValueError):
    """A date text that no known forum format matches."""


def iso_utc(moment: dt.datetime) -> str:
    """The house format for timestamps (the one Discourse hands out): UTC, milliseconds, 'Z'."""
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def read_iso(value: object) -> dt.datetime | None:
    """A stored ISO 8601 timestamp as an aware datetime (naive ones are UTC); None for anything else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def from_timestamp(value: str | int | float) -> str:
    """A unix timestamp (seconds, as XenForo's data-time or WoltLab's data-timestamp) -> ISO UTC."""
    return iso_utc(dt.datetime.fromtimestamp(float(value), dt.timezone.utc))


def from_machine(value: str, tz: str = DEFAULT_TZ) -> str:
    """A `<time datetime>` value (ISO 8601, offset optional) or a unix timestamp -> ISO UTC."""
    value = value.strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", value):
        return from_timestamp(value)
    text = value.replace("Z", "+00:00").replace(" ", "T", 1)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0200 -> +02:00 (Python < 3.11 style)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise DateError(f"not an ISO 8601 date: {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return iso_utc(moment)


def parse_date(text: str, *, tz: str = DEFAULT_TZ, now: dt.datetime | None = None,
               day_first: bool | None = None) -> str:
    """A date as a forum prints it -> ISO 8601 UTC; raises DateError when nothing matches.

    `now` anchors "Heute", "Gestern" and "vor 5 Minuten" (an aware datetime; default: the current
    time). `day_first` settles "04-06-2019": True for 4 June, False for April 6; left None, dots mean
    day first (German) and dashes/slashes mean month first (vBulletin's and phpBB's English default)
    unless the first number cannot be a month.
    """
    zone = ZoneInfo(tz)
    local_now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone)
    clean = " ".join(text.replace("\xa0", " ").split()).lower().strip(" ,")
    if not clean:
        raise DateError("empty date text")

    if _JUST_NOW.search(clean):
        return iso_utc(local_now)
    ago = _RELATIVE_AGO.search(clean)
    if ago:
        amount_text, unit_text = (ago.group(1), ago.group(2)) if ago.group(1) else (ago.group(3), ago.group(4))
        amount = int(amount_text) if amount_text.isdigit() else _NUMBER_WORDS[amount_text]
        return iso_utc(_minus(local_now, _UNITS[unit_text], amount))

    hour, minute, second = _time_of_day(clean)
    day = _calendar_day(clean, local_now.date(), day_first)
    if day is None:
        raise DateError(f"unknown date format: {text.strip()!r}")
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return iso_utc(moment)


def _time_of_day(clean: str) -> tuple[int, int, int]:
    """Hour, minute and second of the text (midnight when it has no time, as in "12. März 2024")."""
    # a date's dotted numbers ("12.03.2024") are not a time: look only outside of them
    without_dates = _NUMERIC_DATE.sub(" ", _ISO_DATE.sub(" ", clean))
    match = _TIME.search(without_dates)
    if not match:
        return 0, 0, 0
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    meridiem = (match.group(4) or "").replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"impossible time of day: {match.group(0)!r}")
    return hour, minute, second


def _calendar_day(clean: str, today: dt.date, day_first: bool | None) -> dt.date | None:
    word = _DAY_WORD_RE.search(clean)
    if word:
        return today - dt.timedelta(days=_DAY_WORDS[word.group(1)])
    match = _ISO_DATE.search(clean)
    if match:
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)), clean)
    match = _NUMERIC_DATE.search(clean)
    if match:
        first, separator, second, year = match.groups()
        first_day = day_first if day_first is not None else (separator == "." or int(first) > 12)
        day, month = (int(first), int(second)) if first_day else (int(second), int(first))
        return _date(_full_year(year), month, day, clean)
    match = _DAY_MONTH_YEAR.search(clean)
    if match:
        return _date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1)), clean)
    match = _MONTH_DAY_YEAR.search(clean)
    if match:
        return _date(int(match.group(3)), MONTHS[match.group(1)], int(match.group(2)), clean)
    # "12. März" / "Mar 12" without a year (XenForo, WoltLab for this year's dates): the latest such day
    match = _DAY_MONTH.search(clean) or _MONTH_DAY.search(clean)
    if match:
        first, second = match.groups()
        day, month = (int(first), MONTHS[second]) if first.isdigit() else (int(second), MONTHS[first])
        candidate = _date(today.year, month, day, clean)
        return candidate if candidate <= today else _date(today.year - 1, month, day, clean)
    # "Sonntag um 09:00" / "Sunday at 9:00 AM" (XenForo, WoltLab within the last week): the latest such day
    match = _WEEKDAY_RE.search(clean)
    if match:
        back = (today.weekday() - _WEEKDAYS[match.group(1)]) % 7 or 7
        return today - dt.timedelta(days=back)
    return None


def _date(year: int, month: int, day: int, clean: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"impossible date: {clean!r}") from exc


def _full_year(year: str) -> int:
    return int(year) if len(year) == 4 else 2000 + int(year)


def _minus(moment: dt.datetime, unit: str, amount: int) -> dt.datetime:
    if unit == "months":
        month_index = moment.year * 12 + moment.month - 1 - amount
        year, month = divmod(month_index, 12)
        return moment.replace(year=year, month=month + 1, day=min(moment.day, 28))
    if unit == "years":
        return moment.replace(year=moment.year - amount, day=min(moment.day, 28))
    if unit in ("seconds", "minutes", "hours"):  # elapsed time: count it in UTC, across DST changes
        return moment.astimezone(dt.timezone.utc) - dt.timedelta(**{unit: amount})
    return moment - dt.timedelta(**{unit: amount})
