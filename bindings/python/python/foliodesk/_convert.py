"""Conversions between Python values and the JSON the native layer speaks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from ._foliodesk import ValidationError

# Keys whose values are instants or durations (seconds) in the JSON results.
_INSTANT_KEYS = {"at", "due", "until", "now", "sla_due", "sla_due_by"}
_DURATION_KEYS = {"budget", "elapsed", "remaining", "used"}


def instant(field: str, value: datetime) -> str:
    """A timezone-aware datetime as RFC 3339; a naive one is refused."""
    if not isinstance(value, datetime):
        raise _invalid(field, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise _invalid(
            field,
            "naive datetime: pass a timezone-aware one (e.g. datetime.now(timezone.utc))",
        )
    return value.astimezone(timezone.utc).isoformat()


def seconds(field: str, value: timedelta) -> float:
    if not isinstance(value, timedelta):
        raise _invalid(field, f"expected a timedelta, got {type(value).__name__}")
    return value.total_seconds()


def _invalid(field: str, reason: str) -> ValidationError:
    err = ValidationError(f"invalid {field}: {reason}")
    err.code = "VALIDATION"
    err.field = field
    return err


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _is_instant_key(key: str) -> bool:
    return key in _INSTANT_KEYS or key.endswith("_at") or key == "opened_at"


def decode(key: str | None, value: Any) -> Any:
    """JSON → Python: instants become aware datetimes, durations timedeltas, objects
    `Record`s with attribute access."""
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [decode(None, v) for v in value]
    if isinstance(value, str) and key is not None and _is_instant_key(key):
        try:
            return parse_instant(value)
        except ValueError:
            return value
    if isinstance(value, int) and key in _DURATION_KEYS:
        return timedelta(seconds=value)
    return value


def encode(value: Any, path: str = "") -> Any:
    """Python → JSON-ready: records and dataclass-like objects to dicts, datetimes to
    RFC 3339, timedeltas to seconds. `path` names where `value` sits (`security`), so a bad
    nested value is named in full (`security.discovered_at`)."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, datetime):
        return instant(path or "datetime", value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {
            k: encode(v, f"{path}.{k}" if path else str(k))
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, (list, tuple)):
        return [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


class Record:
    """A result object: attribute access to its fields (`ticket.status`), `to_dict()` for
    the plain JSON form, equality by content."""

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return decode(name, self._data[name])
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only; use to_dict() for a mutable copy")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._data == self._data

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def __dir__(self):
        return list(self._data)

    def __repr__(self) -> str:
        first = [k for k in ("id", "folio", "status", "title", "name") if k in self._data]
        keys = first + [k for k in self._data if k not in first]
        shown = ", ".join(f"{k}={self._data[k]!r}" for k in keys[:5])
        more = ", …" if len(keys) > 5 else ""
        return f"{type(self).__name__}({shown}{more})"

    def to_dict(self) -> dict:
        """The plain JSON form (a deep copy)."""
        return json.loads(json.dumps(self._data))


def typed(cls: type, value: Any) -> Any:
    """Wraps a JSON result in the record class `cls` (lists element-wise)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [typed(cls, v) for v in value]
    return cls(value)
