"""Business calendars on their own: opening hours in local wall time, holidays, an IANA
time zone; business-time addition and difference."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._convert import instant, parse_instant, seconds
from ._foliodesk import NativeCalendar, ics_holidays

Interval = Tuple[str, str]


class Calendar:
    """A business calendar.

    >>> cal = Calendar(timezone="Europe/Madrid",
    ...                hours={"mon": [("09:00", "14:00"), ("15:00", "18:00")]},
    ...                holidays=["2026-03-16"])

    `hours` maps weekdays (`mon` … `sun`) to `[start, end)` intervals in local wall time
    (`"24:00"` allowed as an end); `holidays` are `YYYY-MM-DD` or yearly `MM-DD`;
    `working_days` maps dates to the intervals of an exceptional opening. Daylight-saving
    days count in wall time; see the Rust documentation of `foliodesk_core::calendar` for
    the exact rules.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        timezone: str,
        hours: Optional[Mapping[str, Sequence[Interval]]] = None,
        holidays: Iterable[str] = (),
        working_days: Optional[Mapping[str, Sequence[Interval]]] = None,
        horizon_days: int = 1830,
    ):
        spec = {
            "timezone": timezone,
            "hours": {d: [list(i) for i in ivs] for d, ivs in (hours or {}).items()},
            "holidays": list(holidays),
            "working_days": {d: [list(i) for i in ivs] for d, ivs in (working_days or {}).items()},
            "horizon_days": horizon_days,
        }
        self._native = NativeCalendar(json.dumps(spec))

    @classmethod
    def from_ics(cls, ics: str, *, timezone: str, **kwargs: Any) -> "Calendar":
        """A calendar whose holidays include those of an iCalendar (.ics) text."""
        cal = cls(timezone=timezone, **kwargs)
        cal._native = cal._native.with_ics(ics)
        return cal

    @staticmethod
    def holidays_from_ics(ics: str) -> List[str]:
        """The holidays an iCalendar text lists (`YYYY-MM-DD`, or `MM-DD` for yearly ones)."""
        return ics_holidays(ics)

    def spec(self) -> Dict[str, Any]:
        """The calendar as data (the form configuration files use)."""
        spec: Dict[str, Any] = json.loads(self._native.spec_json())
        return spec

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which `duration` of open time has elapsed from `start`."""
        return parse_instant(
            self._native.add_business_time(instant("start", start), seconds("duration", duration))
        )

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Open time in `[a, b)`; negative when `b` is before `a`."""
        return timedelta(seconds=self._native.business_time_between(instant("a", a), instant("b", b)))

    def is_open(self, t: datetime) -> bool:
        return self._native.is_open(instant("t", t))

    def next_open(self, t: datetime) -> datetime:
        """`t` if open, else the next opening."""
        return parse_instant(self._native.next_open(instant("t", t)))

    def next_close(self, t: datetime) -> datetime:
        """The end of the open period containing `t`, or of the next one."""
        return parse_instant(self._native.next_close(instant("t", t)))
