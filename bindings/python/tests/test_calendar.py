"""Business calendars on their own."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import foliodesk

MADRID = ZoneInfo("Europe/Madrid")
WEEK = {d: [("09:00", "14:00"), ("15:00", "18:00")] for d in ["mon", "tue", "wed", "thu", "fri"]}


def cal(**kw):
    return foliodesk.Calendar(timezone="Europe/Madrid", hours=WEEK, **kw)


def test_add_and_between_in_wall_time():
    c = cal(holidays=["2026-03-19"])
    start = datetime(2026, 3, 18, 17, 0, tzinfo=MADRID)
    due = c.add_business_time(start, timedelta(hours=4))
    assert due == datetime(2026, 3, 20, 12, 0, tzinfo=MADRID)
    assert due.tzinfo is not None
    assert c.business_time_between(start, due) == timedelta(hours=4)
    assert c.business_time_between(due, start) == timedelta(hours=-4)
    assert c.is_open(datetime(2026, 3, 16, 9, 0, tzinfo=MADRID))
    assert not c.is_open(datetime(2026, 3, 16, 14, 0, tzinfo=MADRID))
    assert c.next_open(datetime(2026, 3, 16, 14, 30, tzinfo=MADRID)) == datetime(2026, 3, 16, 15, 0, tzinfo=MADRID)
    assert c.next_close(datetime(2026, 3, 16, 10, 0, tzinfo=MADRID)) == datetime(2026, 3, 16, 14, 0, tzinfo=MADRID)


def test_daylight_saving_day_has_its_wall_hours():
    c = foliodesk.Calendar(timezone="Europe/Madrid", hours={"sun": [("00:00", "24:00")]})
    day = c.business_time_between(datetime(2026, 3, 29, tzinfo=MADRID), datetime(2026, 3, 30, tzinfo=MADRID))
    assert day == timedelta(hours=23)


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261208\r\nSUMMARY:Inmaculada\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_holidays_from_ics():
    assert foliodesk.Calendar.holidays_from_ics(ICS) == ["2026-12-08"]
    c = foliodesk.Calendar.from_ics(ICS, timezone="Europe/Madrid", hours=WEEK)
    assert not c.is_open(datetime(2026, 12, 8, 10, 0, tzinfo=MADRID))
    assert "2026-12-08" in c.spec()["holidays"]
    with pytest.raises(foliodesk.ValidationError) as e:
        foliodesk.Calendar.holidays_from_ics("not a calendar")
    assert e.value.field == "ics"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(timezone="Mars/Olympus"), "timezone"),
        (dict(timezone="UTC", hours={"mon": [("10:00", "09:00")]}), "hours.mon[0]"),
        (dict(timezone="UTC", hours={"mon": [("09:00", "12:00"), ("11:00", "13:00")]}), "hours.mon"),
        (dict(timezone="UTC", holidays=["2026-02-30"]), "holidays[0]"),
    ],
)
def test_bad_calendars_name_the_field(kwargs, field):
    with pytest.raises(foliodesk.ValidationError) as e:
        foliodesk.Calendar(**kwargs)
    assert e.value.field == field


def test_naive_datetimes_and_negative_durations_are_refused():
    c = cal()
    with pytest.raises(foliodesk.ValidationError) as e:
        c.is_open(datetime(2026, 3, 16, 10, 0))
    assert e.value.field == "t"
    with pytest.raises(foliodesk.ValidationError) as e:
        c.add_business_time(datetime(2026, 3, 16, 10, 0, tzinfo=timezone.utc), timedelta(hours=-1))
    assert e.value.field == "duration"
    closed = foliodesk.Calendar(timezone="UTC", horizon_days=30)
    with pytest.raises(foliodesk.ValidationError) as e:
        closed.next_open(datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert e.value.field == "calendar.horizon_days"
