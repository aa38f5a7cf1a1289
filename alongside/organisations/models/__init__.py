"""An organisation's own space: its members and teams, its skills and needs check, its
mentors, its approach pack and its escalation route.

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
from alongside.organisations.models.escalation import (
    Kind,
    Report,
    Responder,
    ResponseTimes,
    Step,
    Urgency,
    is_report_reader,
    report_readers,
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
    "ACKNOWLEDGED_KINDS",
    "Acknowledgement",
    "ChosenSheet",
    "Course",
    "DocumentKind",
    "DocumentVersion",
    "Platform",
    "INVITATION_DAYS",
    "Invitation",
    "Kind",
    "MaturityScore",
    "Membership",
    "MentorMeeting",
    "MentorPairing",
    "OwnTopic",
    "Rating",
    "Report",
    "Responder",
    "Response",
    "ResponseTimes",
    "Role",
    "Round",
    "Step",
    "Team",
    "Urgency",
    "is_report_reader",
    "new_nonce",
    "report_readers",
]
