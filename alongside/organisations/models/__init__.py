"""An organisation's own space: its members and teams, its skills and needs check, mentors.

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
from alongside.organisations.models.mentors import MentorMeeting, MentorPairing

__all__ = [
    "INVITATION_DAYS",
    "Invitation",
    "MaturityScore",
    "Membership",
    "MentorMeeting",
    "MentorPairing",
    "OwnTopic",
    "Rating",
    "Response",
    "Role",
    "Round",
    "Team",
    "new_nonce",
]
