"""What a tracker's webhook says happened to a ticket."""

import datetime
from dataclasses import dataclass

UNCHANGED = object()


@dataclass
class RemoteChange:
    external_id: str
    url: str = ""
    closed: bool | None = None  # True closed, False reopened, None unchanged
    closed_at: datetime.datetime | None = None
    # A login / e-mail / display name, None for "unassigned", UNCHANGED otherwise.
    assignee: object = UNCHANGED
    description: str = ""
