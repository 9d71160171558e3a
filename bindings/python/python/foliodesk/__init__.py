"""Foliodesk: embeddable help-desk and IT-incident library.

>>> import foliodesk
>>> desk = foliodesk.Desk.open("sqlite://desk.db")      # or memory://, postgres://…, redb://…
"""

from ._calendar import Calendar
from ._desk import SYSTEM, Desk, PermanentDeliveryError
from ._foliodesk import (
    Conflict,
    FoliodeskError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StorageError,
    RemoteError,
    ValidationError,
    __version__,
)
from ._types import *  # noqa: F401,F403 (every result class and alias)
from ._types import (
    Comment,
    Crossing,
    EventEnvelope,
    LevelUsage,
    Organisation,
    OutboxMessage,
    Page,
    SlaView,
    TargetView,
    Team,
    Ticket,
    TickReport,
    User,
    Verification,
)

__all__ = [
    "SYSTEM",
    "Calendar",
    "Comment",
    "Conflict",
    "Crossing",
    "Desk",
    "EventEnvelope",
    "FoliodeskError",
    "InvalidTransition",
    "LevelUsage",
    "NotFound",
    "Organisation",
    "OutboxMessage",
    "Page",
    "PermanentDeliveryError",
    "PermissionDenied",
    "SlaView",
    "StorageError",
    "RemoteError",
    "TargetView",
    "Team",
    "Ticket",
    "TickReport",
    "User",
    "ValidationError",
    "Verification",
    "__version__",
]
