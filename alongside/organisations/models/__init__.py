"""An organisation's own space: its members and teams, its skills and needs check, and its
approach pack.

The organisation itself is the core's `surgeries.Organisation` (the group named on
bookings); this app gives it members. Each concept has its own module; they are all
importable from here.
"""

from alongside.organisations.models.approach import (
    ACKNOWLEDGED_KINDS,
    Acknowledgement,
    ChosenSheet,
    Course,
    DocumentKind,
    DocumentVersion,
    Platform,
)
from alongside.organisations.models.check import (
    MaturityScore,
    OwnTopic,
    Rating,
    Response,
    Round,
)
from alongside.organisations.models.members import (
    INVITATION_DAYS,
    Invitation,
    Membership,
    Role,
    Team,
    new_nonce,
)

__all__ = [
    "ACKNOWLEDGED_KINDS",
    "Acknowledgement",
    "ChosenSheet",
    "Course",
    "DocumentKind",
    "DocumentVersion",
    "Platform",
    "INVITATION_DAYS",
    "Invitation",
    "MaturityScore",
    "Membership",
    "OwnTopic",
    "Rating",
    "Response",
    "Role",
    "Round",
    "Team",
    "new_nonce",
]
