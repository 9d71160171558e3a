"""Conveniences on result classes. A class here named like a generated one becomes its base
(`cargo run -p xtask -- bindings` reads this file), so its methods are typed and checked
like the fields."""

from __future__ import annotations

import importlib
from typing import Any, Optional

from ._convert import Record


class EventEnvelope(Record):
    __slots__ = ()

    @property
    def type(self) -> str:
        """The event's type name (`opened`, `commented`, `sla_alert`…)."""
        kind: str = self._get("event").type
        return kind


class SlaView(Record):
    __slots__ = ()

    def target(self, name: str) -> Optional[Any]:
        """The view of one target (`"resolution"`…), if the policy sets it."""
        return next((t for t in self._get("targets") if t.target == name), None)


class Verification(Record):
    __slots__ = ()

    def is_intact(self) -> bool:
        """No link of the hash chain is broken."""
        return self._get("first_broken") is None


class DeskVerification(Record):
    __slots__ = ()

    def is_intact(self) -> bool:
        """Nothing was found: every checkpoint, ticket and chain holds."""
        return not self._get("findings")


class ReportTable(Record):
    __slots__ = ()

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame with columns `section`, `kpi`, `key`, `period`
        and `value`; needs pandas installed (`pip install pandas`)."""
        try:
            pandas = importlib.import_module("pandas")
        except ImportError as e:
            raise ImportError("ReportTable.to_pandas() needs pandas: pip install pandas") from e
        rows = [(r.section, r.kpi, r.key, r.period, r.value) for r in self._get("rows")]
        return pandas.DataFrame.from_records(rows, columns=["section", "kpi", "key", "period", "value"])
