"""An organisation's own space: its members and teams, and its skills and needs check.

The organisation itself is the core's `surgeries.Organisation` (the group named on
bookings); this app gives it members. Each concept has its own module; they are all
importable from here.
"""

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
