"""What happened at a session, for apps that react without being imported here (webhooks).

Sent once the transaction that made the change has committed.
"""

from __future__ import annotations

from django.dispatch import Signal

help_recorded = Signal()  # with `record`: a HelpRecord just added
