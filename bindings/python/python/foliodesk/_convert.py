"""Conversions between Python values and the JSON the native layer speaks, by the schema:
the generated table (`_types.SHAPES`) says which values are instants (aware datetimes),
durations (timedeltas) and records, so user-chosen keys are never touched."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Generic, Optional, TypeVar, overload

from ._foliodesk import ValidationError

T = TypeVar("T")

_SHAPES: Dict[str, Any] = {}
_CLASSES: Dict[str, type] = {}


def register(shapes: Dict[str, Any], classes: Dict[str, type]) -> None:
    """Installs the generated conversion table and result classes."""
    _SHAPES.update(shapes)
    _CLASSES.update(classes)


def instant(field: str, value: datetime) -> str:
    """A timezone-aware datetime as RFC 3339; a naive one is refused."""
    if not isinstance(value, datetime):
        raise invalid(field, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise invalid(
            field,
            "naive datetime: pass a timezone-aware one (e.g. datetime.now(timezone.utc))",
        )
    return value.astimezone(timezone.utc).isoformat()


def seconds(field: str, value: timedelta) -> float:
    if not isinstance(value, timedelta):
        raise invalid(field, f"expected a timedelta, got {type(value).__name__}")
    return value.total_seconds()


def invalid(field: str, reason: str) -> ValidationError:
    err = ValidationError(f"invalid {field}: {reason}")
    err.code = "VALIDATION"
    err.field = field
    return err


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _fields(shape: Any, data: Dict[str, Any]) -> Dict[str, Any]:
    """The field shapes of a record, or of the union variant `data` is."""
    if not isinstance(shape, dict):
        return {}
    for variant in shape.get("u", ()):
        if all(data.get(k) == c for k, c in variant["c"].items()):
            fields: Dict[str, Any] = variant["f"]
            return fields
    found: Dict[str, Any] = shape.get("f", {})
    return found


def decode(shape: Any, value: Any) -> Any:
    """JSON → Python by `shape`: `"t"` instant, `"d"` seconds, `"b"` bytes, `["l", s]` list, `["m", s]`
    map (keys kept), a record's name or in-place shape, `None` unchanged."""
    if value is None or shape is None:
        return value
    if shape == "t":
        return parse_instant(value)
    if shape == "d":
        return timedelta(seconds=value)
    if shape == "b":
        return base64.b64decode(value)
    if isinstance(shape, list):
        kind, inner = shape
        if kind == "l":
            return [decode(inner, v) for v in value]
        if kind == "p":
            return tuple(decode(s, v) for s, v in zip(inner, value))
        return {k: decode(inner, v) for k, v in value.items()}
    if isinstance(shape, str):
        table = _SHAPES.get(shape, {})
        if "v" in table:
            return value
        return _CLASSES.get(shape, Record)(value)
    if "v" in shape:
        return value
    return Record(value, shape)


def encode(value: Any, path: str = "") -> Any:
    """Python → JSON-ready: records to dicts, datetimes to RFC 3339, timedeltas to seconds.
    `path` names where `value` sits (`security`), so a bad nested value is named in full
    (`security.discovered_at`)."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, datetime):
        return instant(path or "datetime", value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (bytes, bytearray, memoryview)):
        # Raw bytes (an e-mail) travel as base64.
        return base64.b64encode(bytes(value)).decode("ascii")
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
    """A result object: typed attributes (`ticket.status`), `to_dict()` for the plain JSON
    form, equality by content. Read-only."""

    __slots__ = ("_data", "_shape")

    def __init__(self, data: Dict[str, Any], shape: Any = None):
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_shape", shape or _SHAPES.get(type(self).__name__))

    def _get(self, name: str) -> Any:
        try:
            raw = self._data[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}") from None
        return decode(_fields(self._shape, self._data).get(name), raw)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._get(name)

    def __getitem__(self, name: str) -> Any:
        return self._get(name)

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("results are read-only; use to_dict() for a mutable copy")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and other._data == self._data

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def __dir__(self) -> list[str]:
        return list(self._data)

    def __repr__(self) -> str:
        first = [k for k in ("id", "folio", "status", "title", "name") if k in self._data]
        keys = first + [k for k in self._data if k not in first]
        shown = ", ".join(f"{k}={self._data[k]!r}" for k in keys[:5])
        more = ", …" if len(keys) > 5 else ""
        return f"{type(self).__name__}({shown}{more})"

    def to_dict(self) -> Dict[str, Any]:
        """The plain JSON form (a deep copy)."""
        copy: Dict[str, Any] = json.loads(json.dumps(self._data))
        return copy


class Field(Generic[T]):
    """A typed field of a result class, converted by the schema when read."""

    __slots__ = ("key",)

    def __init__(self, key: str):
        self.key = key

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> "Field[T]": ...

    @overload
    def __get__(self, obj: Record, owner: Optional[type] = None) -> T: ...

    def __get__(self, obj: Optional[Record], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return obj._get(self.key)
